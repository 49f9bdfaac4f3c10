"""Import FastChat data into the store: streamed, validated, all-or-nothing, idempotent.

Three phases. Stage: each file is decoded block by block and its rows written to a
disposable staging file, where SQLite's UNIQUE indexes catch repeated keys. Check: every
reference (an answer's question, a verdict's answer) is looked up in the staging file and
the database, and every staged row is compared with the stored one. Merge: one short
transaction writes what is new or changed. Only the merge takes the database's write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from mtbench_tui.core import loading
from mtbench_tui.core.decoding import Decoded
from mtbench_tui.core.import_kinds import (
    FILE_KINDS,
    TABLES,
    FileKind,
    Reader,
    StagedKind,
    orphan_error,
    staged_sources,
)
from mtbench_tui.core.jsonl import InputError, iter_lines, regular_size
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.store.staging import Conflict
from mtbench_tui.core.vote_checks import check_conversations, fill_study_prompts


class ImportProgress(Protocol):
    """Receives progress while files are read and merged."""

    def start_file(self, path: Path, total_bytes: int) -> None:
        """A file is about to be read."""

    def advance(self, nbytes: int) -> None:
        """More bytes of the current file were read."""

    def end_file(self) -> None:
        """The current file is done."""

    def step(self, description: str) -> None:
        """A step with no byte count began (checking references, merging)."""


@dataclass
class KindCounts:
    """What happened to one kind of row."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0
    no_verdict: int = 0


@dataclass
class ImportSummary:
    """Counts per kind of row, and the files read."""

    files: list[str] = field(default_factory=list)
    kinds: dict[str, KindCounts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    lock_seconds: float = 0.0
    """How long the merge held the database's write lock (not part of ``to_dict``)."""

    def kind(self, name: str) -> KindCounts:
        """The counts for one kind, created on first use."""
        return self.kinds.setdefault(name, KindCounts())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "files": self.files,
            "kinds": {k: asdict(v) for k, v in self.kinds.items()},
            "notes": self.notes,
        }

    @property
    def changed(self) -> int:
        """Rows whose stored content this import changed."""
        return sum(k.updated for k in self.kinds.values())


def import_sources(
    store: Store, sources: loading.DataSources, progress: ImportProgress | None = None
) -> ImportSummary:
    """Import every file in ``sources``: all of it, or (on any error) nothing.

    Args:
        store: the destination.
        sources: the files to read.
        progress: optional progress receiver.

    Returns:
        Counts of new, updated, unchanged and repeated rows per kind.

    Raises:
        InputError: on the first bad row, conflicting repeat or dangling reference;
            nothing is written.
    """
    files = [(kind, path) for kind in FILE_KINDS for path in getattr(sources, kind.source)]
    summary = ImportSummary(files=[str(p) for _k, p in files])
    if not files:
        raise InputError("(import)", 0, None, "no FastChat files found to import")
    with store.import_session() as session:
        run = _Run(session, summary, progress, [p for _k, p in files])
        for index, (kind, path) in enumerate(files):
            run.stage_file(index, kind, path)
        run.check(has_questions=bool(sources.questions))
        run.count()
        run.step("merging")
        session.merge(summary.files, summary.to_dict())
        summary.lock_seconds = session.lock_seconds
        session.analyze()
    return summary


@dataclass
class _Run:
    """One import's state: the session, its files, counts and progress."""

    session: ImportSession
    summary: ImportSummary
    progress: ImportProgress | None
    paths: list[Path]
    no_verdict: int = 0
    read: dict[str, int] = field(default_factory=dict)
    """Rows read per staged table."""
    readers: dict[str, Reader] = field(default_factory=dict)

    def step(self, description: str) -> None:
        """Report a step without a byte count."""
        if self.progress is not None and hasattr(self.progress, "step"):
            self.progress.step(description)

    def stage_file(self, index: int, kind: FileKind, path: Path) -> None:
        """Decode one file block by block and stage its rows."""
        size = regular_size(path)
        if self.progress:
            self.progress.start_file(path, size)
        rows = 0
        for decoded in self._decoded(index, kind, path):
            self.no_verdict += decoded.no_verdict
            if decoded.reviewers:
                self.session.stage_reviewers(decoded.reviewers)
            for table, staged in decoded.rows.items():
                rows += len(staged)
                self._stage(TABLES[table], staged, decoded.history.get(table, []))
        if self.progress:
            self.progress.end_file()
        if rows == 0:
            if kind.required:
                raise InputError(
                    path, 1, None, f"file is empty: a {kind.name} file needs at least one row"
                )
            self.summary.notes.append(f"{path}: empty, nothing imported")

    def _decoded(self, index: int, kind: FileKind, path: Path) -> Iterator[Decoded]:
        """A file's staged rows, a block at a time."""
        advance = self.progress.advance if self.progress else None
        if kind.reader is not None:
            reader = self.readers.setdefault(kind.name, kind.reader())
            yield from reader.read(path, index, advance)
            return
        assert kind.decode is not None
        for first, lines in iter_lines(path, advance):
            yield kind.decode(path, index, first, lines)

    def _stage(self, kind: StagedKind, rows: list[tuple[Any, ...]], events: list[Any]) -> None:
        """Stage rows of one table, then stop at the first conflicting repeat of a key."""
        if not rows:
            return
        name = kind.spec.staged_name
        table = self.session.table(kind.spec, kind.reviewed)
        self.read[name] = self.read.get(name, 0) + len(rows)
        if not kind.new_only:
            self.summary.kind(kind.summary)
        self.session.stage(kind.spec, rows)
        if events:
            self.session.stage_history(kind.spec, events)
        conflict = table.first_conflict()
        if conflict is not None:
            raise self._conflict_error(kind, conflict)

    def _conflict_error(self, kind: StagedKind, conflict: Conflict) -> InputError:
        """The error for a key read twice with different content."""
        file, line = conflict.second
        first = f"{self.paths[conflict.first[0]]}:{conflict.first[1]}"
        shown = ", ".join(f"{c}={v!r}" for c, v in zip(kind.spec.key, conflict.key))
        return InputError(
            self.paths[file],
            line,
            kind.conflict_field,
            f"same {kind.item} ({shown}) as {first} but different content",
        )

    def check(self, has_questions: bool) -> None:
        """Every staged row's references must resolve, in the staging file or the database."""
        self.step("checking references")
        if not has_questions and self.session.count_of("questions") == 0:
            raise InputError(
                "(import)", 0, None, "no question.jsonl given and the database has no questions"
            )
        for kind in self._staged_kinds():
            table = self.session.tables[kind.spec.staged_name]
            for parent in kind.parents:
                staged = staged_sources(self.session, parent.table.name)
                orphan = table.first_orphan(parent.table, parent.columns, staged)
                if orphan is not None:
                    raise orphan_error(self.session, self.paths[orphan.file], orphan, parent)
        check_conversations(self.session, self.paths)
        fill_study_prompts(self.session)

    def count(self) -> None:
        """Classify staged rows against stored ones and fill in the summary."""
        self.step("comparing with the database")
        self.session.prepare()
        for kind in self._staged_kinds():
            name = kind.spec.staged_name
            counts = self.session.tables[name].counts(self.session.histories.get(name))
            if kind.new_only:
                added = self.session.additions(kind.spec)
                if added:
                    k = self.summary.kind(kind.summary)
                    k.read, k.new = k.read + added, k.new + added
                continue
            k = self.summary.kind(kind.summary)
            k.read += self.read[name]
            k.new, k.updated = k.new + counts.new, k.updated + counts.changed
            k.unchanged += counts.same
            k.repeated += self.read[name] - counts.staged
        if self.no_verdict:
            self.summary.kind("judgments").no_verdict = self.no_verdict

    def _staged_kinds(self) -> Iterator[StagedKind]:
        """The staged tables, in dependency order."""
        return (k for n, k in TABLES.items() if n in self.session.tables)
