"""Descriptions of the content tables that imports write, so one bulk-write path serves them all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableSpec:
    """A content table: its name, key columns and the other columns an import writes."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Key columns, then the others, then the content hash."""
        return (*self.key, *self.columns, "content_hash")

    def key_of(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The key of a row dict."""
        return tuple(row[c] for c in self.key)


def content_hash(row: dict[str, Any], spec: TableSpec) -> str:
    """A digest of a row's non-key content, to tell unchanged rows from changed ones on re-import."""
    # repr of a tuple of str/int/float/None is unambiguous and much faster than json.dumps.
    payload = repr(tuple(row[c] for c in spec.columns))
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


QUESTIONS = TableSpec("questions", ("question_id",), ("category", "turn_1", "turn_2", "reference"))
REFERENCES = TableSpec("reference_answers", ("question_id", "source"), ("turn_1", "turn_2"))
ANSWERS = TableSpec(
    "answers",
    ("question_id", "model"),
    ("answer_id", "model_id", "turn_1", "turn_2", "length_1", "length_2", "tstamp"),
)
JUDGMENTS = TableSpec(
    "judgments",
    ("question_id", "model", "turn", "judge"),
    ("judge_model", "prompt", "score", "judgment", "user_prompt", "tstamp", "origin"),
)
PAIRS = TableSpec(
    "pair_judgments",
    ("question_id", "model_1", "model_2", "turn", "judge"),
    (
        "judge_model",
        "prompt",
        "winner",
        "g1_winner",
        "g2_winner",
        "g1_judgment",
        "g2_judgment",
        "g1_user_prompt",
        "g2_user_prompt",
        "tstamp",
    ),
)
