"""What an import reads and writes: kinds of file, the tables they stage, and their references.

A new kind of row plugs in here: a decoder (or a reader) for its file, a TableSpec or
ReviewedSpec for its table, and the references its rows must satisfy. The importer, the
staging file, the checks and the merge then serve it like every other kind; pairwise votes
(``vote_decoding``) are one such kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mtbench_tui.core import decoding, pair_decoding
from mtbench_tui.core.jsonl import InputError, ProgressCallback
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.store.staging import Orphan
from mtbench_tui.core.store.tables import (
    ANSWERS,
    CONVERSATIONS,
    JUDGMENTS,
    PAIRS,
    QUESTIONS,
    RATINGS,
    REFERENCES,
    STUDY_VOTES,
    VOTES,
    ReviewedSpec,
    TableSpec,
)
from mtbench_tui.core.vote_decoding import VoteReader


@dataclass(frozen=True)
class Parent:
    """A reference: ``columns`` of a staged row must be a key of ``table``."""

    table: TableSpec
    columns: tuple[str, ...]
    field: str
    """The field an error blames for a row whose reference does not resolve."""


@dataclass(frozen=True)
class StagedKind:
    """A table an import stages: its spec, how it merges, and how its errors name things."""

    summary: str
    """The kind's name in the import summary."""
    spec: TableSpec
    reviewed: ReviewedSpec | None = None
    parents: tuple[Parent, ...] = ()
    item: str = "key"
    """What one row is called in a conflict message."""
    conflict_field: str | None = None
    new_only: bool = False
    """Only rows that add to the database count in the summary (answers from conversations)."""


class Reader(Protocol):
    """Reads one file of a kind that is not one JSON object per line."""

    def read(
        self, path: Path, index: int, progress: ProgressCallback | None
    ) -> Iterator[decoding.Decoded]:
        """Staged rows, a batch at a time."""


@dataclass(frozen=True)
class FileKind:
    """A kind of input file: where ``DataSources`` lists it and how it decodes."""

    name: str
    source: str
    """The ``DataSources`` attribute listing these files."""
    decode: decoding.Decoder | None = None
    """For JSON Lines: one block of lines -> staged rows."""
    reader: Callable[[], Reader] | None = None
    """For any other layout: makes the reader one import uses for all its files."""
    required: bool = False
    """An empty file of this kind is an error (a question or answer file must hold rows)."""


_QUESTION = Parent(QUESTIONS, ("question_id",), "question_id")


def _answer(column: str, field: str) -> Parent:
    """A reference to an answer of the same question."""
    return Parent(ANSWERS, ("question_id", column), field)


TABLES: dict[str, StagedKind] = {
    kind.spec.staged_name: kind
    for kind in (
        StagedKind("questions", QUESTIONS, conflict_field="question_id"),
        StagedKind(
            "references", REFERENCES, parents=(_QUESTION,), conflict_field="question_id+source"
        ),
        StagedKind("answers", ANSWERS, parents=(_QUESTION,), conflict_field="question_id+model"),
        StagedKind("answers", CONVERSATIONS, parents=(_QUESTION,), new_only=True),
        StagedKind(
            "judgments",
            JUDGMENTS,
            parents=(_answer("model", "model"),),
            conflict_field="question_id+model+turn+judge",
        ),
        StagedKind(
            "ratings",
            RATINGS.table,
            RATINGS,
            parents=(_answer("model", "model"),),
            item="rating",
            conflict_field="judge",
        ),
        StagedKind(
            "pair_judgments",
            PAIRS,
            parents=(_answer("model_1", "model_1"), _answer("model_2", "model_2")),
            item="judge's verdict on this comparison",
            conflict_field="winner",
        ),
        StagedKind(
            "votes",
            VOTES.table,
            VOTES,
            parents=(_answer("model_1", "model_1"), _answer("model_2", "model_2")),
            item="reviewer's vote on this comparison",
            conflict_field="winner",
        ),
        StagedKind(
            "votes",
            STUDY_VOTES.table,
            STUDY_VOTES,
            parents=(_answer("model_1", "model_a"), _answer("model_2", "model_b")),
            item="reviewer's vote on this comparison",
            conflict_field="winner",
        ),
    )
}
"""Every staged table, in the order references between them are checked."""

FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("questions", "questions", decoding.decode_questions, required=True),
    FileKind("references", "references", decoding.decode_references),
    FileKind("answers", "answers", decoding.decode_answers, required=True),
    FileKind("votes", "votes", reader=VoteReader),
    FileKind("judgments", "judgments", decoding.decode_judgments),
    FileKind("pair_judgments", "pairs", pair_decoding.decode_pairs),
)
"""Kinds of file, in the order an import reads them (parents before children)."""

SOURCES: dict[str, tuple[str, ...]] = {"answers": ("answers", "conversations")}
"""Staged tables that hold rows of a main table, when more than one does."""


def staged_sources(session: ImportSession, table: str) -> list[str]:
    """The staged tables (``stg.s_...``) of this import that hold rows of a main table."""
    names = SOURCES.get(table, (table,))
    return [session.tables[n].name for n in names if n in session.tables]


def orphan_error(session: ImportSession, path: Path, orphan: Orphan, parent: Parent) -> InputError:
    """The error for a row whose reference resolves nowhere, saying which part is missing."""
    values = dict(zip(parent.columns, orphan.values))
    qid: Any = values.get("question_id")
    if not _known(session, QUESTIONS, {"question_id": qid}):
        return InputError(
            path, orphan.line, "question_id", f"question {qid} is not among the imported questions"
        )
    model = next((v for c, v in values.items() if c != "question_id"), None)
    # A verdict staged the other way round names its models in the file's order.
    field = _SWAPPED.get(parent.field, parent.field) if orphan.flipped else parent.field
    if not _known(session, ANSWERS, {"model": model}):
        return InputError(
            path, orphan.line, field, f"unknown model {model!r}: no model_answer file for it"
        )
    return InputError(path, orphan.line, field, f"model {model!r} has no answer to question {qid}")


_SWAPPED = {"model_1": "model_2", "model_2": "model_1", "model_a": "model_b", "model_b": "model_a"}


def _known(session: ImportSession, spec: TableSpec, where: dict[str, Any]) -> bool:
    """Whether a row matching ``where`` is staged or stored."""
    cond = " AND ".join(f"{c} = ?" for c in where)
    tables = [f"main.{spec.name}", *staged_sources(session, spec.name)]
    return any(
        session.conn.execute(
            f"SELECT 1 FROM {t} WHERE {cond} LIMIT 1", list(where.values())
        ).fetchone()
        for t in tables
    )
