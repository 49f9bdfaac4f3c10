"""The judge - human gap per category or turn: which groups stand out, and which can't tell."""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.bias import NO_PAIRS, item, n_questions
from mtbench_tui.core.analysis.findings import AuditFinding, GroupGap
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean
from mtbench_tui.core.analysis.significance import MIN_QUESTIONS, Call, call, questions
from mtbench_tui.core.stats import paired
from mtbench_tui.core.stats.grouped import group_agreement


def gaps_by(pairs: RatingPairs, field: str, s: Settings) -> AuditFinding:
    """Mean judge - human gap per group, each with an interval and its own number of questions.

    Args:
        pairs: the judge's pairs with all reviewers.
        field: ``category`` or ``turn``.
        s: bootstrap settings.

    Returns:
        The finding: flagged when any group with enough questions has an interval excluding 0.
    """
    check, title = f"gap_by_{field}", f"Gap by {field}"
    if pairs.n == 0:
        return item(check, title, Call.NOT_APPLICABLE, 0, NO_PAIRS)
    coded = pairs.coded(field)
    found = group_agreement(
        pairs.human,
        pairs.judge,
        pairs.question_id,
        coded.codes,
        len(coded.values),
        s.n_resamples,
        s.confidence,
        s.seed,
    )
    groups = tuple(
        _group(found[i]["mean_diff"], pairs.question_id[coded.codes == i], str(value))
        for i, value in enumerate(coded.values)
    )
    flagged = [g for g in groups if g.status is Call.FLAGGED]
    unclear = [g for g in groups if g.status is Call.TOO_FEW]
    if flagged:
        status = Call.FLAGGED
    else:
        status = Call.TOO_FEW if len(unclear) == len(groups) else Call.CLEAR
    message = _message(field, flagged, unclear, len(groups))
    return item(check, title, status, n_questions(pairs), message, groups=groups)


def _group(est: paired.Estimate, questions: np.ndarray, name: str) -> GroupGap:
    """The gap in one group (its pairs' questions given)."""
    nq = int(np.unique(questions).size)
    ci = Interval(clean(est.low), clean(est.high))
    return GroupGap(name, questions.size, nq, clean(est.value), ci, call(ci.low, ci.high, 0, nq))


def _label(field: str, g: GroupGap) -> str:
    """'turn 2' or 'writing'."""
    return f"turn {g.group}" if field == "turn" else g.group


def _message(field: str, flagged: list[GroupGap], unclear: list[GroupGap], n_groups: int) -> str:
    """The plain-language finding."""
    parts = []
    if flagged:
        shown = ", ".join(
            f"{_label(field, g)} ({g.effect or 0:+.2f}, {questions(g.n_questions)})"
            for g in flagged
        )
        parts.append(f"The judge departs from humans on {shown}.")
    elif len(unclear) == n_groups:
        return f"Too few questions per {field} to tell ({_why(unclear)})."
    elif not unclear:
        return f"No {field} stands out: every interval of the gap includes 0."
    else:
        parts.append(f"No {field} with enough questions stands out.")
    if unclear:
        names = ", ".join(_label(field, g) for g in unclear)
        parts.append(f"Too few questions to tell for {names} ({_why(unclear)}).")
    return " ".join(parts)


def _why(groups: list[GroupGap]) -> str:
    """Why these groups can't tell: too few questions, or an interval that is a single point."""
    if all(g.n_questions < MIN_QUESTIONS for g in groups):
        return f"{_counts(groups)}; {MIN_QUESTIONS} needed"
    return f"{_counts(groups)}; some intervals are a single point"


def _counts(groups: list[GroupGap]) -> str:
    """'2 questions each' or '2, 3 and 4 questions'."""
    counts = sorted({g.n_questions for g in groups})
    if len(counts) == 1:
        return f"{questions(counts[0])} each" if len(groups) > 1 else questions(counts[0])
    return ", ".join(str(c) for c in counts[:-1]) + f" and {counts[-1]} questions"
