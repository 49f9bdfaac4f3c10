"""The 1-10 rating scale that judges and reviewers share, and FastChat's no-verdict score."""

from __future__ import annotations

MIN_SCORE = 1
MAX_SCORE = 10
SCORES: tuple[int, ...] = tuple(range(MIN_SCORE, MAX_SCORE + 1))
"""The rating scale, for judges and reviewers alike: every label, lowest first."""
NO_VERDICT = -1
"""FastChat's score for a judgment with no parseable rating."""


def on_scale(score: float) -> bool:
    """True when a score lies on the rating scale (fractions such as 8.5 included)."""
    return MIN_SCORE <= score <= MAX_SCORE
