"""Every human pairwise vote as CSV, beside one judge's verdict on the same comparison."""

from __future__ import annotations

import csv
import json
from typing import IO

from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import VoteRow
from mtbench_tui.core.textsafe import csv_cell

VOTE_CSV_COLUMNS = (
    "question_id",
    "category",
    "turn",
    "model_1",
    "model_2",
    "reviewer",
    "group",
    "shown_a",
    "winner",
    "judge",
    "judge_winner",
    "agree",
    "flags",
    "note",
    "blind",
    "created",
    "updated",
)
"""``winner`` and ``judge_winner`` name the winning model (or ``tie``; the judge may also be
``inconsistent``, a tie, or ``error``); ``agree`` is 1 or 0 where both have a verdict."""


def default_pair_judge(store: Store) -> str | None:
    """The pairwise judge with the most verdicts.

    Args:
        store: the database.

    Returns:
        Its label, or None when there are no pairwise verdicts.
    """
    judges = store.votes.pair_judges()
    return judges[0][0] if judges else None


def write_votes_csv(
    store: Store, out: IO[str], judge: str | None, reviewer: str | None = None
) -> int:
    """Write every vote (optionally one reviewer's) with the judge's verdict.

    Text cells a spreadsheet would run as a formula are neutralised, and control
    characters are made visible.

    Args:
        store: the database.
        out: where to write.
        judge: whose pairwise verdicts to join.
        reviewer: only this reviewer's votes.

    Returns:
        The number of rows written.
    """
    writer = csv.writer(out)
    writer.writerow(VOTE_CSV_COLUMNS)
    count = 0
    for row in store.analysis.vote_rows(judge, reviewer):
        writer.writerow([csv_cell("" if v is None else v) for v in _values(row)])
        count += 1
    return count


def _values(row: VoteRow) -> tuple[object, ...]:
    """One vote's cells, in VOTE_CSV_COLUMNS order."""
    return (
        row.question_id,
        row.category,
        row.turn,
        row.model_1,
        row.model_2,
        row.reviewer,
        row.group,
        row.shown_a,
        _named(row, row.winner),
        row.judge if row.judge_winner is not None else None,
        _named(row, row.judge_winner),
        _agree(row.winner, row.judge_winner),
        ";".join(json.loads(row.flags)),
        row.note,
        int(row.blind),
        row.created,
        row.updated,
    )


def _named(row: VoteRow, winner: str | None) -> str | None:
    """``model_1``/``model_2`` as the model's name; other verdicts unchanged."""
    return {"model_1": row.model_1, "model_2": row.model_2}.get(winner or "", winner)


def _agree(vote: str | None, verdict: str | None) -> int | None:
    """1 when the vote and the verdict agree (every tie label is a tie), 0 when not."""
    if vote is None or verdict in (None, "error"):
        return None
    tie = ("tie", "inconsistent")
    return int(vote == verdict or (vote in tie and verdict in tie))
