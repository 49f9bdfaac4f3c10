"""Pairwise win rates, exactly as FastChat's ``show_result.py`` pairwise modes compute them.

A verdict whose winner is a model is a win and a loss; a tie, or a verdict whose two answer
orders disagreed (inconsistent), is a tie for both models; ``error`` verdicts are left
out. ``pairwise-baseline`` keeps only comparisons against the baseline and drops the
baseline's own row. Human votes are scored the same way, one "judge" per reviewer group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from mtbench_tui.core.store import Store

HUMAN_LABEL = "human:"
"""Prefix of the judge label under which a reviewer group's votes are scored."""


@dataclass(frozen=True)
class PairScore:
    """One model's pairwise record under one judge (or one reviewer group)."""

    model: str
    judge: str
    win: int
    loss: int
    tie: int
    win_rate: float
    loss_rate: float
    win_rate_adjusted: float

    def to_json(self) -> dict[str, Any]:
        """The row as JSON (the schema of ``scores --mode pair --json``)."""
        return asdict(self)


@dataclass(frozen=True)
class Outcome:
    """How many verdicts of one judge on one model pair had one winner label."""

    judge: str
    model_1: str
    model_2: str
    winner: str
    count: int


def pair_scores(
    store: Store, baseline: str | None = None, judge: str | None = None
) -> list[PairScore]:
    """Win / loss / tie per model and judge, judges' verdicts and human votes alike.

    Args:
        store: the database.
        baseline: FastChat's pairwise-baseline mode against this model; None for pairwise-all.
        judge: only this judge label (``gpt-4``, ``human:expert`` ...).

    Returns:
        Rows sorted by judge, then by ``win_rate_adjusted`` (highest first), then model.
    """
    outcomes = [o for o in _outcomes(store) if judge is None or o.judge == judge]
    return score_outcomes(outcomes, baseline)


def score_outcomes(outcomes: list[Outcome], baseline: str | None = None) -> list[PairScore]:
    """Score counted outcomes (see ``pair_scores``)."""
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in outcomes:
        if baseline is not None and baseline not in (o.model_1, o.model_2):
            continue
        if o.winner in ("model_1", "model_2"):
            best, worst = (
                (o.model_1, o.model_2) if o.winner == "model_1" else (o.model_2, o.model_1)
            )
            tally[(o.judge, best)][0] += o.count
            tally[(o.judge, worst)][1] += o.count
        else:
            tally[(o.judge, o.model_1)][2] += o.count
            tally[(o.judge, o.model_2)][2] += o.count
    rows = [_row(j, m, *c) for (j, m), c in tally.items() if m != baseline]
    return sorted(rows, key=lambda r: (r.judge, -r.win_rate_adjusted, r.model))


def _row(judge: str, model: str, win: int, loss: int, tie: int) -> PairScore:
    """A scored row; a tie counts half a win in the adjusted rate."""
    n = win + loss + tie
    return PairScore(model, judge, win, loss, tie, win / n, loss / n, (win + 0.5 * tie) / n)


def _outcomes(store: Store) -> list[Outcome]:
    """Counted verdicts per judge, model pair and winner; human votes under their group."""
    judges = store.db.execute(
        "SELECT judge, model_1, model_2, winner, COUNT(*) FROM pair_judgments"
        " WHERE winner <> 'error' GROUP BY 1, 2, 3, 4"
    )
    humans = store.db.execute(
        f"SELECT '{HUMAN_LABEL}' || r.reviewer_group, v.model_1, v.model_2, v.winner, COUNT(*)"
        " FROM pair_votes v JOIN reviewers r ON r.name = v.reviewer"
        " WHERE v.winner IS NOT NULL GROUP BY 1, 2, 3, 4"
    )
    return [Outcome(*row) for row in [*judges, *humans]]
