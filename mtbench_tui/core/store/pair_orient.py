"""Keep one orientation per judge and comparison when pair verdicts arrive in either model order.

FastChat names a comparison (model_1, model_2) in the judge's order, and g1 shows model_1
first. The same comparison written as (model_2, model_1) is the same verdict with the two
orders swapped, so a row is flipped into the orientation already stored or already read
in this import; the unique index then never sees two rows for one comparison.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

_FLIP = {"model_1": "model_2", "model_2": "model_1"}
_SWAPPED = (("g1_judgment", "g2_judgment"), ("g1_user_prompt", "g2_user_prompt"))


def flip_record(record: dict[str, Any]) -> dict[str, Any]:
    """The same pair verdict written with the two models swapped.

    Args:
        record: a pair_judgments row as a dict.

    Returns:
        A new dict: models swapped, winners renamed, g1 and g2 exchanged.
    """
    out = dict(record)
    out["model_1"], out["model_2"] = record["model_2"], record["model_1"]
    out["winner"] = _FLIP.get(record["winner"], record["winner"])
    out["g1_winner"] = _flip(record.get("g2_winner"))
    out["g2_winner"] = _flip(record.get("g1_winner"))
    for first, second in _SWAPPED:
        out[first], out[second] = record.get(second, ""), record.get(first, "")
    return out


def _flip(winner: str | None) -> str | None:
    """A per-order winner seen from the other model's side."""
    return None if winner is None else _FLIP.get(winner, winner)


class PairOrienter:
    """Remembers the orientation of each (question, model pair, turn, judge) seen in one import."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.seen: dict[tuple[Any, ...], tuple[str, str]] = {}

    def orient(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Flip each record whose comparison is stored or was read the other way round."""
        out = []
        for record in records:
            m1, m2 = record["model_1"], record["model_2"]
            key = (record["question_id"], min(m1, m2), max(m1, m2), record["turn"], record["judge"])
            order = self.seen.get(key) or self._stored(key) or (m1, m2)
            self.seen[key] = order
            out.append(record if order == (m1, m2) else flip_record(record))
        return out

    def _stored(self, key: tuple[Any, ...]) -> tuple[str, str] | None:
        """The stored orientation of a comparison, if the judge has a verdict on it."""
        row = self.db.execute(
            "SELECT model_1, model_2 FROM pair_judgments WHERE question_id = ?"
            " AND min(model_1, model_2) = ? AND max(model_1, model_2) = ? AND turn = ? AND judge = ?",
            list(key),
        ).fetchone()
        return (row[0], row[1]) if row else None
