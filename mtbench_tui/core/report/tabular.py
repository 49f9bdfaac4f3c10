"""Row exports: every rating as CSV; human ratings as FastChat model_judgment JSONL."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from mtbench_tui.core.loading import HUMAN_JUDGE_PREFIX
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import RatingRow
from mtbench_tui.core.textsafe import csv_cell, json_safe

CSV_COLUMNS = (
    "question_id",
    "category",
    "model",
    "turn",
    "reviewer",
    "score",
    "judge",
    "judge_prompt",
    "judge_score",
    "gap",
    "flags",
    "note",
    "blind",
    "created",
    "updated",
    "question",
    "answer",
    "judge_explanation",
)
HUMAN_PROMPT = "review"
"""The 'prompt' half of FastChat's judge field for an exported human rating."""


def write_csv(store: Store, out: IO[str], judge: str | None) -> int:
    """Every rating joined with the judge's score and the item's category; returns the row count.

    Text cells that a spreadsheet would run as a formula are neutralised, and control
    characters are made visible.

    Args:
        store: the database.
        out: where to write.
        judge: whose verdicts to join.

    Returns:
        The number of rows written.
    """
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in store.analysis.rating_rows(judge):
        writer.writerow([csv_cell(_plain(v)) for v in _csv_values(row)])
        count += 1
    return count


def _csv_values(row: RatingRow) -> tuple[object, ...]:
    """One rating's cells, in CSV_COLUMNS order."""
    gap = None
    if row.score is not None and row.judge_score is not None:
        gap = row.judge_score - row.score
    return (
        row.question_id,
        row.category,
        row.model,
        row.turn,
        row.reviewer,
        row.score,
        row.judge,
        row.judge_prompt,
        row.judge_score,
        gap,
        ";".join(json.loads(row.flags)),
        row.note,
        int(row.blind),
        row.created,
        row.updated,
        row.question,
        row.answer,
        row.judge_explanation,
    )


def _plain(value: object) -> object:
    """A cell value: None as empty, whole floats (judge scores stored as REAL) as integers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fastchat_rows(store: Store, reviewer: str | None = None) -> Iterator[dict[str, Any]]:
    """Human ratings as FastChat ``model_judgment`` rows, judge ``["human:<reviewer>", "review"]``.

    Score -1 means the turn has a note or flags but no score, as FastChat writes a missing
    rating. Extra keys (flags, blind, created, updated, history) carry everything else, so an
    export imported into another database loses nothing.
    """
    history: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for e in store.ratings.all_history(reviewer):
        history.setdefault((e.question_id, e.model, e.turn, e.reviewer), []).append(
            {
                "event": e.event,
                "score": e.score,
                "note": e.note,
                "flags": list(e.flags),
                "blind": e.blind,
                "at": e.at,
            }
        )
    for r in store.ratings.iter_all(reviewer):
        yield {
            "question_id": r.question_id,
            "model": r.model,
            "judge": [f"{HUMAN_JUDGE_PREFIX}{r.reviewer}", HUMAN_PROMPT],
            "user_prompt": "",
            "judgment": r.note,
            "score": -1 if r.score is None else r.score,
            "turn": r.turn,
            "tstamp": _epoch(r.updated),
            "flags": list(r.flags),
            "blind": r.blind,
            "created": r.created,
            "updated": r.updated,
            "history": history.get((r.question_id, r.model, r.turn, r.reviewer), []),
        }


def write_fastchat(store: Store, out: IO[str], reviewer: str | None = None) -> int:
    """Write the FastChat JSONL; returns the row count."""
    count = 0
    for row in fastchat_rows(store, reviewer):
        out.write(json_safe(json.dumps(row, ensure_ascii=False)) + "\n")
        count += 1
    return count


def _epoch(iso: str | None) -> float | None:
    """An ISO timestamp as Unix seconds, as FastChat's tstamp."""
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
