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
    stage: str = ""
    """The staged table's name when it differs from ``name`` (two sources, one table)."""
    extra: tuple[str, ...] = ()
    """Columns a staged row carries for error messages only; never merged."""
    repeat: tuple[str, ...] = ()
    """Columns that must agree for a repeated key to be a repeat (default: all data)."""
    oriented: bool = False
    """Rows are pairwise verdicts staged with model_1 < model_2 (see ``pair_flip``)."""
    adds_only: bool = False
    """The source may add rows, never change one (checked before the merge)."""

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

    @property
    def staged_name(self) -> str:
        """The staged table's name."""
        return self.stage or self.name

    @property
    def repeat_columns(self) -> tuple[str, ...]:
        """Columns compared when a key is read again."""
        return self.repeat or self.data_columns


@dataclass(frozen=True)
class HistorySpec:
    """The change log beside a reviewed table (``rating_history``): united on import, never lost."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ReviewedSpec:
    """A table of reviewers' judgements: on import the later ``updated`` wins, histories unite.

    Its ``table`` has ``reviewer`` (a ``reviewers`` row), ``created`` and ``updated`` columns;
    ``compare`` are the columns whose difference makes a stored row change, and ``writes``
    the columns such a change rewrites (default: all but the key).
    """

    table: TableSpec
    history: HistorySpec | None
    compare: tuple[str, ...]
    writes: tuple[str, ...] = ()

    @property
    def written(self) -> tuple[str, ...]:
        """The columns a change rewrites."""
        return self.writes or self.table.columns


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
    extra=("flipped",),
    oriented=True,
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


_WINNER_FLIP = "CASE {0} WHEN 'model_1' THEN 'model_2' WHEN 'model_2' THEN 'model_1' ELSE {0} END"
_PAIR_SWAP = {
    "model_1": "model_2",
    "model_2": "model_1",
    "g1_judgment": "g2_judgment",
    "g2_judgment": "g1_judgment",
    "g1_user_prompt": "g2_user_prompt",
    "g2_user_prompt": "g1_user_prompt",
}


def pair_flip(column: str, alias: str) -> str:
    """SQL for a pair_judgments column of row ``alias`` as if its two models were swapped.

    The same verdict written the other way round: models exchanged, each winner seen from
    the other side, and the two orders (g1, g2) exchanged.
    """
    if column == "winner":
        return _WINNER_FLIP.format(f"{alias}.winner")
    if column in ("g1_winner", "g2_winner"):
        other = "g2_winner" if column == "g1_winner" else "g1_winner"
        return _WINNER_FLIP.format(f"{alias}.{other}")
    return f"{alias}.{_PAIR_SWAP.get(column, column)}"


def oriented(spec: TableSpec, alias: str, flip_when: str) -> list[str]:
    """SQL for each data column of ``alias``, flipped where ``flip_when`` holds."""
    if not spec.oriented:
        return [f"{alias}.{c}" for c in spec.data_columns]
    return [
        f"CASE WHEN {flip_when} THEN {pair_flip(c, alias)} ELSE {alias}.{c} END"
        if pair_flip(c, alias) != f"{alias}.{c}"
        else f"{alias}.{c}"
        for c in spec.data_columns
    ]


CONVERSATIONS = TableSpec(
    "answers",
    ANSWERS.key,
    ANSWERS.columns,
    stage="conversations",
    extra=("side",),
    adds_only=True,
)
"""Answers taken from the conversations of a vote file: they may add an answer, never change one."""

_VOTE_TABLE = TableSpec(
    "pair_votes",
    ("question_id", "model_1", "model_2", "turn", "reviewer"),
    ("shown_a", "winner", "note", "flags", "blind", "origin", "created", "updated"),
    hashed=False,
    repeat=("winner",),
)
VOTES = ReviewedSpec(
    _VOTE_TABLE,
    HistorySpec(
        "pair_vote_history",
        (
            "question_id",
            "model_1",
            "model_2",
            "turn",
            "reviewer",
            "event",
            "shown_a",
            "winner",
            "note",
            "flags",
            "blind",
            "at",
        ),
    ),
    compare=("shown_a", "winner", "note", "flags", "blind"),
)
"""Pair votes exported by mtbench-review: a repeat is the same vote when its winner is."""

STUDY_VOTES = ReviewedSpec(
    TableSpec(
        "pair_votes",
        _VOTE_TABLE.key,
        _VOTE_TABLE.columns,
        hashed=False,
        stage="study_votes",
        repeat=("winner",),
    ),
    None,
    compare=("winner",),
    writes=("shown_a", "winner", "updated"),
)
"""Votes of the published human study: a changed winner replaces the stored one."""
