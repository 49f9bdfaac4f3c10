"""When a finding is flagged: the interval decides, and only when enough questions stand behind it.

The report's intervals come from a bootstrap that resamples whole questions. With few
questions that interval is coarse (two questions allow only three distinct resamples)
and can collapse to a single point, so it says nothing. A finding is therefore flagged
only when

1. it rests on at least ``MIN_QUESTIONS`` distinct questions,
2. its interval is a real interval (finite, not a single point), and
3. the interval excludes the value of "no effect" (0 for a gap, 1 for a ratio, 0.5 for a share).

The p-value of each check's classical test is reported beside the interval. Those tests
treat every rating as independent (and some compare medians, not means), so they can
disagree with the interval; when they do, the interval governs and the message says so.
"""

from __future__ import annotations

import math
from enum import Enum

MIN_QUESTIONS = 10
"""Fewest distinct questions behind an interval for a finding to be flagged."""

ALPHA = 0.05
"""The level at which a p-value is called significant (the intervals are 95%)."""


class Call(str, Enum):
    """What a finding's interval says."""

    FLAGGED = "flagged"
    """Enough questions, and the interval excludes 'no effect'."""
    CLEAR = "clear"
    """Enough questions, and the interval includes 'no effect'."""
    TOO_FEW = "too_few"
    """Too few questions, or an interval that is missing or a single point."""
    NOT_APPLICABLE = "not_applicable"
    """The check could not be run on these data."""


def call(low: float | None, high: float | None, null: float, n_questions: int) -> Call:
    """Decide a finding from its interval.

    Args:
        low: the interval's lower end.
        high: the interval's upper end.
        null: the value meaning "no effect".
        n_questions: distinct questions the interval rests on.

    Returns:
        FLAGGED, CLEAR or TOO_FEW.
    """
    if n_questions < MIN_QUESTIONS or not _real(low, high):
        return Call.TOO_FEW
    assert low is not None and high is not None  # _real checked both
    return Call.FLAGGED if low > null or high < null else Call.CLEAR


def _real(low: float | None, high: float | None) -> bool:
    """True for a finite interval wider than a point."""
    if low is None or high is None or not (math.isfinite(low) and math.isfinite(high)):
        return False
    return high > low


def too_few(n_questions: int, low: float | None = None, high: float | None = None) -> str:
    """Why a finding can't be told: 'too few questions to tell (2 questions; 10 needed)'.

    Args:
        n_questions: distinct questions behind the interval.
        low: the interval's lower end, if any.
        high: the interval's upper end, if any.

    Returns:
        The phrase, without a final full stop.
    """
    if n_questions < MIN_QUESTIONS:
        return f"too few questions to tell ({questions(n_questions)}; {MIN_QUESTIONS} needed)"
    if low is not None and low == high:
        return f"too few questions to tell (the interval is a single point, {low:.2f})"
    return f"too few questions to tell ({questions(n_questions)}, no usable interval)"


def questions(n: int) -> str:
    """'1 question', '16 questions'."""
    return f"{n} question" if n == 1 else f"{n} questions"


def disagreement(p: float | None, flagged: bool, test: str) -> str:
    """A note when the test's p-value and the interval disagree, else ''.

    Args:
        p: the test's p-value.
        flagged: whether the interval flagged the finding.
        test: the test's name, e.g. 'Wilcoxon'.

    Returns:
        A sentence starting with a space, or ''.
    """
    if p is None or math.isnan(p) or (p < ALPHA) == flagged:
        return ""
    return (
        f" The {test} test ({p_is(p)}) disagrees: it treats each rating as independent "
        "and tests a different quantity, so the interval, which resamples whole questions, "
        "decides."
    )


def p_text(p: float) -> str:
    """A p-value for reading: 3 significant figures, '< 0.001' below that.

    Args:
        p: the p-value.

    Returns:
        The text.
    """
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def p_is(p: float) -> str:
    """'p = 0.121' or 'p < 0.001', for a sentence.

    Args:
        p: the p-value.

    Returns:
        The clause.
    """
    text = p_text(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"
