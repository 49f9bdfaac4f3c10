"""Descriptions of the tables that imports write, so one staging-and-merge path serves them all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableSpec:
    """A table an import writes: its name, key columns and the other columns it writes.

    ``match`` is how a row is recognised as the same one: the key columns, unless the
    table's uniqueness is wider (a pairwise verdict is one per unordered pair of models).
    """

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    match: tuple[str, ...] = ()
    hashed: bool = True
    """The table has a ``content_hash`` column (kept NOT NULL for older code that wrote it)."""

    @property
    def identity(self) -> tuple[str, ...]:
        """SQL expressions that identify a row: ``match``, else the key."""
        return self.match or self.key

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Key columns, then the others, then the content hash when the table has one."""
        return (*self.key, *self.columns, *(("content_hash",) if self.hashed else ()))

    @property
    def data_columns(self) -> tuple[str, ...]:
        """Key columns, then the others: what an import row carries."""
        return (*self.key, *self.columns)

    def key_of(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """The key of a row dict."""
        return tuple(row[c] for c in self.key)


@dataclass(frozen=True)
class HistorySpec:
    """The change log beside a reviewed table (``rating_history``): united on import, never lost."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ReviewedSpec:
    """A table of reviewers' judgements: on import the later ``updated`` wins, histories unite.

    Its ``table`` has ``reviewer`` (a ``reviewers`` row), ``created`` and ``updated`` columns;
    ``compare`` are the columns whose difference makes a stored row change.
    """

    table: TableSpec
    history: HistorySpec
    compare: tuple[str, ...]


def content_hash(row: dict[str, Any], spec: TableSpec) -> str:
    """A digest of a row's non-key content (the judge runner stores it with each verdict)."""
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
    match=("question_id", "min(model_1, model_2)", "max(model_1, model_2)", "turn", "judge"),
)
RATINGS = ReviewedSpec(
    TableSpec(
        "ratings",
        ("question_id", "model", "turn", "reviewer"),
        ("score", "note", "flags", "blind", "created", "updated"),
        hashed=False,
    ),
    HistorySpec(
        "rating_history",
        (
            "question_id",
            "model",
            "turn",
            "reviewer",
            "event",
            "score",
            "note",
            "flags",
            "blind",
            "at",
        ),
    ),
    compare=("score", "note", "flags", "blind"),
)
