"""What an import reads and writes: kinds of file, the tables they stage, and their references.

A new kind of row (pairwise votes, say) plugs in here: a decoder for its file, a TableSpec
(or ReviewedSpec) for its table, and the references its rows must satisfy. The importer,
staging, checks and merge then serve it like every other kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtbench_tui.core import decoding
from mtbench_tui.core.jsonl import InputError
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.store.staging import Orphan
from mtbench_tui.core.store.tables import (
    ANSWERS,
    JUDGMENTS,
    PAIRS,
    QUESTIONS,
    RATINGS,
    REFERENCES,
    ReviewedSpec,
    TableSpec,
)


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


@dataclass(frozen=True)
class Parent:
    """A reference: ``columns`` of a staged row must be a key of ``table``."""

    table: StagedKind
    columns: tuple[str, ...]
    field: str
    """The field an error blames for a row whose reference does not resolve."""


@dataclass(frozen=True)
class FileKind:
    """A kind of input file: where ``DataSources`` lists it and how its lines decode."""

    name: str
    source: str
    """The ``DataSources`` attribute listing these files."""
    decode: decoding.Decoder
    required: bool = False
    """An empty file of this kind is an error (a question or answer file must hold rows)."""


def _q(columns: tuple[str, ...], kind: StagedKind) -> Parent:
    """A reference to questions."""
    return Parent(kind, columns, "question_id")


_QUESTIONS = StagedKind("questions", QUESTIONS, conflict_field="question_id")
_ANSWERS = StagedKind(
    "answers",
    ANSWERS,
    parents=(_q(("question_id",), _QUESTIONS),),
    conflict_field="question_id+model",
)
TABLES: dict[str, StagedKind] = {
    "questions": _QUESTIONS,
    "reference_answers": StagedKind(
        "references",
        REFERENCES,
        parents=(_q(("question_id",), _QUESTIONS),),
        conflict_field="question_id+source",
    ),
    "answers": _ANSWERS,
    "judgments": StagedKind(
        "judgments",
        JUDGMENTS,
        parents=(Parent(_ANSWERS, ("question_id", "model"), "model"),),
        conflict_field="question_id+model+turn+judge",
    ),
    "ratings": StagedKind(
        "ratings",
        RATINGS.table,
        RATINGS,
        parents=(Parent(_ANSWERS, ("question_id", "model"), "model"),),
        item="rating",
        conflict_field="judge",
    ),
    "pair_judgments": StagedKind(
        "pair_judgments",
        PAIRS,
        parents=(
            Parent(_ANSWERS, ("question_id", "model_1"), "model_1"),
            Parent(_ANSWERS, ("question_id", "model_2"), "model_2"),
        ),
        conflict_field="question_id+model_1+model_2+turn+judge",
    ),
}
"""Every staged table, in the order references between them are checked."""

FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("questions", "questions", decoding.decode_questions, required=True),
    FileKind("references", "references", decoding.decode_references),
    FileKind("answers", "answers", decoding.decode_answers, required=True),
    FileKind("judgments", "judgments", decoding.decode_judgments),
    FileKind("pair_judgments", "pairs", decoding.decode_pairs),
)
"""Kinds of file, in the order an import reads them (parents before children)."""


def orphan_error(session: ImportSession, path: Path, orphan: Orphan, parent: Parent) -> InputError:
    """The error for a row whose reference resolves nowhere, saying which part is missing."""
    values = dict(zip(parent.columns, orphan.values))
    qid: Any = values.get("question_id")
    if not _known(session, QUESTIONS, {"question_id": qid}):
        return InputError(
            path, orphan.line, "question_id", f"question {qid} is not among the imported questions"
        )
    model = next((v for c, v in values.items() if c != "question_id"), None)
    if model is None:
        raise AssertionError(f"unexpected reference {parent}")
    if not _known(session, ANSWERS, {"model": model}):
        return InputError(
            path, orphan.line, parent.field, f"unknown model {model!r}: no model_answer file for it"
        )
    return InputError(
        path, orphan.line, parent.field, f"model {model!r} has no answer to question {qid}"
    )


def _known(session: ImportSession, spec: TableSpec, where: dict[str, Any]) -> bool:
    """Whether a row matching ``where`` is staged or stored."""
    cond = " AND ".join(f"{c} = ?" for c in where)
    params = list(where.values())
    tables = [f"main.{spec.name}"]
    if spec.name in session.tables:
        tables.append(f"stg.s_{spec.name}")
    return any(
        session.conn.execute(f"SELECT 1 FROM {t} WHERE {cond} LIMIT 1", params).fetchone()
        for t in tables
    )
