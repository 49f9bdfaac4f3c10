"""What a pair-review filter selects, and the SQL conditions both pair queues share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

VoteProgress = Literal["all", "voted", "unvoted"]
"""Which comparisons by the reviewer's progress: all, fully voted ones, or the rest."""

PROGRESS_CHOICES: tuple[VoteProgress, ...] = ("all", "voted", "unvoted")

VERDICT_CHOICES: tuple[str, ...] = ("decisive", "tie", "error", "judged", "unjudged")
"""Judge-verdict filters: one answer wins, a plain tie, no verdict (an order failed), any
verdict at all, or none."""

_VERDICT_SQL = {
    "decisive": "j.winner IN ('model_1', 'model_2')",
    "tie": "j.winner = 'tie'",
    "error": "j.winner = 'error'",
    "judged": "1",
}

ORDERS_DISAGREE = (
    "(j.winner = 'inconsistent' OR (j.g1_winner <> j.g2_winner"
    " AND 'error' NOT IN (j.g1_winner, j.g2_winner)))"
)
"""A verdict whose two answer orders disagree: FastChat's inconsistent pair, or a tie in one
order against a winner in the other (NULL orders, as in the published split, never match)."""


@dataclass(frozen=True, order=True)
class Comparison:
    """One item of the pair queue: a question answered by two models, in canonical order."""

    question_id: int
    model_1: str
    model_2: str


@dataclass(frozen=True)
class PairEntry:
    """A comparison in the queue, its 1-based position and, in the disagreement order, how far
    the reviewer's votes are from the judge (0 same, 1 tie against a winner, 2 opposite)."""

    item: Comparison
    position: int
    disagreement: int | None = None


@dataclass(frozen=True)
class PairProgress:
    """How far the reviewer is through a queue's comparisons (ignoring its progress condition)."""

    voted: int
    """Comparisons voted on every turn the filter asks for."""
    partial: int
    """Comparisons voted on some of those turns but not all."""


@dataclass(frozen=True)
class PairFilter:
    """Which comparisons the reviewer works through, and in what order."""

    category: str | None = None
    model: str | None = None
    """Comparisons with this model on either side."""
    turn: int | None = None
    progress: VoteProgress = "all"
    verdict: str | None = None
    """One of VERDICT_CHOICES, for the session's judge."""
    inconsistent: bool = False
    """Only comparisons whose judge verdict depends on the answer order."""
    differs: bool = False
    """Only comparisons where the reviewer's vote differs from the judge's verdict."""
    by_disagreement: bool = False
    """Order: the reviewer's voted comparisons, largest disagreement with the judge first."""

    def __post_init__(self) -> None:
        if self.progress not in PROGRESS_CHOICES:
            raise ValueError(f"progress must be one of {PROGRESS_CHOICES}, got {self.progress!r}")
        if self.verdict is not None and self.verdict not in VERDICT_CHOICES:
            raise ValueError(f"verdict must be one of {VERDICT_CHOICES}, got {self.verdict!r}")

    @property
    def turns(self) -> tuple[int, ...]:
        """The turns to vote on under this filter."""
        return (self.turn,) if self.turn else (1, 2)

    @property
    def vote_driven(self) -> bool:
        """True when the queue is built from this reviewer's votes (a frozen snapshot)."""
        return self.differs or self.by_disagreement

    @property
    def judge_driven(self) -> bool:
        """True when only judged comparisons can match (counted from the verdicts table)."""
        return self.inconsistent or self.verdict not in (None, "unjudged")

    def describe(self) -> str:
        """A short human description, e.g. ``math · turn 2 · unvoted``."""
        parts = [
            self.category or "",
            self.model or "",
            f"turn {self.turn}" if self.turn else "",
            "" if self.progress == "all" else self.progress,
            f"verdict {self.verdict}" if self.verdict else "",
            "inconsistent" if self.inconsistent else "",
            "my vote differs" if self.differs else "",
            "by disagreement" if self.by_disagreement else "",
        ]
        return " · ".join(p for p in parts if p) or "all"


@dataclass(frozen=True)
class Columns:
    """The SQL expressions naming a comparison's question, model_1 and model_2 in a query."""

    question_id: str
    model_1: str
    model_2: str

    def key(self) -> str:
        """The three columns as a row value, for keyset comparisons."""
        return f"({self.question_id}, {self.model_1}, {self.model_2})"


ANSWER_PAIRS = Columns("q.question_id", "a1.model", "a2.model")
"""Comparisons as every two answers to one question, model_1 < model_2."""

FROM_ANSWER_PAIRS = (
    "questions q CROSS JOIN answers a1 ON a1.question_id = q.question_id"
    " CROSS JOIN answers a2 ON a2.question_id = q.question_id AND a2.model > a1.model"
)
"""Every answer pair, walked question by question. CROSS JOIN fixes the join order, so rows
come out in key order from the indexes (a category filter walks its own index) and a keyset
step never sorts."""

ALIAS = Columns("c.question_id", "c.model_1", "c.model_2")
"""Comparisons from a subquery aliased ``c``."""


def params(f: PairFilter, reviewer: str, judge: str | None) -> dict[str, Any]:
    """The named parameters every condition of a filter uses.

    Args:
        f: the filter.
        reviewer: whose votes count.
        judge: the judge whose verdicts the verdict filters read.

    Returns:
        The parameters.
    """
    return {
        "reviewer": reviewer,
        "judge": judge,
        "turn": f.turn,
        "nturns": len(f.turns),
        "category": f.category,
        "model": f.model,
    }


def base_conditions(f: PairFilter, c: Columns) -> list[str]:
    """Conditions of the filter that don't depend on votes or verdicts."""
    conds = []
    if f.category:
        conds.append("q.category = :category")
    if f.model:
        conds.append(f"(:model IN ({c.model_1}, {c.model_2}))")
    return conds


def judge_conditions(f: PairFilter, c: Columns) -> list[str]:
    """Conditions on the judge's verdicts (verdict class, inconsistent)."""
    conds = []
    if f.verdict == "unjudged":
        conds.append(f"NOT {verdict_exists(f, c, '1')}")
    elif f.verdict:
        conds.append(verdict_exists(f, c, _VERDICT_SQL[f.verdict]))
    if f.inconsistent:
        conds.append(verdict_exists(f, c, ORDERS_DISAGREE))
    return conds


def verdict_exists(f: PairFilter, c: Columns, predicate: str) -> str:
    """Condition: the judge has a verdict matching ``predicate`` (on ``j``) on a filtered turn.

    A verdict is stored in the judge's own model order, so both orders are looked up by
    primary key. ``+j.judge`` keeps SQLite from preferring the (judge, question) index,
    which would scan every verdict of the question for each comparison.
    """
    turn = " AND j.turn = :turn" if f.turn else ""

    def one(first: str, second: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM pair_judgments j WHERE j.question_id = {c.question_id}"
            f" AND j.model_1 = {first} AND j.model_2 = {second} AND +j.judge = :judge{turn}"
            f" AND {predicate})"
        )

    return f"({one(c.model_1, c.model_2)} OR {one(c.model_2, c.model_1)})"


def needs_vote(f: PairFilter, c: Columns) -> str:
    """Condition: the reviewer has voted on fewer than all of the filter's turns."""
    turn = " AND v.turn = :turn" if f.turn else ""
    return (
        f"(SELECT COUNT(*) FROM pair_votes v WHERE v.question_id = {c.question_id}"
        f" AND v.model_1 = {c.model_1} AND v.model_2 = {c.model_2} AND v.reviewer = :reviewer"
        f" AND v.winner IS NOT NULL{turn}) < :nturns"
    )


def progress_condition(f: PairFilter, c: Columns) -> list[str]:
    """The voted / unvoted condition of a filter, if any."""
    if f.progress == "unvoted":
        return [needs_vote(f, c)]
    if f.progress == "voted":
        return [f"NOT {needs_vote(f, c)}"]
    return []


def where(conds: list[str]) -> str:
    """Conditions joined by AND (``1`` when there are none)."""
    return " AND ".join(conds) or "1"


def comparison_params(item: Comparison, prefix: str = "") -> dict[str, Any]:
    """Named parameters ``q``, ``m1``, ``m2`` (with an optional prefix) for a comparison."""
    return {
        f"{prefix}q": item.question_id,
        f"{prefix}m1": item.model_1,
        f"{prefix}m2": item.model_2,
    }
