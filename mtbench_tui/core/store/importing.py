"""The write side of an import: stage all in a disposable file, then merge in one short transaction.

Reading, validating and checking every row happen while the main database is only read, so
reviewers keep writing during a long import; the merge is a handful of set-based statements
that either all commit or none do.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.pair_models import DEFAULT_GROUP
from mtbench_tui.core.store.database import BUSY_TIMEOUT_MS
from mtbench_tui.core.store.merging import (
    empty_table_stats,
    key_match,
    merge_content,
    merge_reviewed,
)
from mtbench_tui.core.store.staging import StagedHistory, StagedTable
from mtbench_tui.core.store.tables import ReviewedSpec, TableSpec

STAGING_CACHE_KIB = 65536
"""Page cache for the staging file (64 MiB): its UNIQUE indexes are probed for every row."""

MERGE_CACHE_KIB = 131072
"""Page cache while merging (128 MiB): the main indexes being extended stay in memory."""

ANALYSIS_LIMIT = 2000
"""Rows ANALYZE samples per index after an import: enough for the planner, and quick."""

ANALYZE_WAIT_MS = 200
"""How long ANALYZE waits for the write lock before leaving the statistics for next time."""

CHECKPOINT_ROWS = 10_000
"""An import that wrote at least this many rows checkpoints the WAL itself, right away."""


class ImportSession:
    """One import: a staging file attached as ``stg``, and the merge that ends it."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn: sqlite3.Connection = db.conn
        self.tables: dict[str, StagedTable] = {}
        self.histories: dict[str, StagedHistory] = {}
        self.lock_seconds = 0.0
        """How long the merge held the main database's write lock."""
        self.now = now_iso()
        self._dir: str | None = None
        self._reviewers = False

    def __enter__(self) -> ImportSession:
        # No checkpoint inside an import's commits: a small import that commits right after
        # a large one would otherwise copy the large one's pages (see ``merge``).
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        self._dir = tempfile.mkdtemp(prefix="mtbench-import-")
        # Disposable: no journal and no fsync; a crash just leaves a file to delete.
        self.conn.execute("ATTACH DATABASE ? AS stg", [str(Path(self._dir) / "staging.db")])
        self.conn.execute("PRAGMA stg.journal_mode = OFF")
        self.conn.execute("PRAGMA stg.synchronous = OFF")
        self.conn.execute(f"PRAGMA stg.cache_size = -{STAGING_CACHE_KIB}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.execute("PRAGMA wal_autocheckpoint = 1000")
        self.conn.execute("DETACH DATABASE stg")
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def table(self, spec: TableSpec, reviewed: ReviewedSpec | None = None) -> StagedTable:
        """The staged table for ``spec``, created on first use."""
        staged = self.tables.get(spec.staged_name)
        if staged is None:
            staged = self.tables[spec.staged_name] = StagedTable(self.conn, spec, reviewed)
            staged.create()
            if reviewed is not None and reviewed.history is not None:
                history = StagedHistory(self.conn, reviewed.history)
                self.histories[spec.staged_name] = history
                history.create()
        return staged

    def stage(self, spec: TableSpec, rows: Sequence[Sequence[Any]]) -> None:
        """Stage rows of (file index, line, data columns...) in one staging transaction."""
        with self._staging_transaction():
            self.tables[spec.staged_name].add(rows)

    def stage_history(self, spec: TableSpec, events: Sequence[Sequence[Any]]) -> None:
        """Stage history events of (seq, history columns...)."""
        with self._staging_transaction():
            self.histories[spec.staged_name].add(events)

    def stage_reviewers(self, reviewers: dict[str, str | None]) -> None:
        """Stage reviewer names with their group (None: the default group)."""
        with self._staging_transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS stg.s_reviewers"
                " (name TEXT PRIMARY KEY, reviewer_group TEXT)"
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO stg.s_reviewers VALUES (?, ?)", list(reviewers.items())
            )
            self._reviewers = True

    def _staging_transaction(self) -> _Transaction:
        """A transaction that writes only the staging file."""
        return _Transaction(self.conn, "BEGIN")

    def prepare(self) -> None:
        """Decide, for every staged row, what the merge will do (reads the main database)."""
        with self._staging_transaction():
            for staged in self.tables.values():
                staged.classify(self.now)
            for history in self.histories.values():
                history.classify()

    def _primary(self, spec: TableSpec) -> str | None:
        """For a source that only adds rows, the staged table of the main source it yields to."""
        if spec.adds_only and spec.name in self.tables:
            return self.tables[spec.name].name
        return None

    def additions(self, spec: TableSpec) -> int:
        """How many rows an adds-only source will add (classified rows only)."""
        where = "main_id IS NULL"
        primary = self._primary(spec)
        if primary is not None:
            where += (
                f" AND NOT EXISTS (SELECT 1 FROM {primary} a WHERE {key_match(spec, 'a', 's')})"
            )
        staged = self.tables[spec.staged_name].name
        return int(
            self.conn.execute(f"SELECT COUNT(*) FROM {staged} AS s WHERE {where}").fetchone()[0]
        )

    def count_of(self, table: str) -> int:
        """Rows in a main-database table."""
        return int(self.conn.execute(f"SELECT COUNT(*) FROM main.{table}").fetchone()[0])

    def merge(self, sources: list[str], summary: dict[str, Any]) -> None:
        """Write every staged row into the main database in one transaction, and log the import.

        Args:
            sources: the files read, for the ``imports`` table.
            summary: the counts, for the ``imports`` table.
        """
        self.conn.execute("PRAGMA foreign_keys = OFF")  # every reference was checked when staged
        self.conn.execute(f"PRAGMA main.cache_size = -{MERGE_CACHE_KIB}")
        changes = self.conn.total_changes
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            start = time.perf_counter()
            with _Transaction(self.conn, None):
                self._merge_all(sources, summary)
            self.lock_seconds = time.perf_counter() - start
        finally:
            self.conn.execute("PRAGMA main.cache_size = -2000")
            self.conn.execute("PRAGMA foreign_keys = ON")
        if self.conn.total_changes - changes >= CHECKPOINT_ROWS:
            # A large import copies its own pages into the database file now, after the
            # lock is released, so that the next small writer doesn't have to.
            self.conn.execute("PRAGMA main.wal_checkpoint(PASSIVE)")

    def _merge_all(self, sources: list[str], summary: dict[str, Any]) -> None:
        """The statements of the merge transaction."""
        if self._reviewers:
            # A reviewer already known keeps the group they have.
            self.conn.execute(
                "INSERT OR IGNORE INTO main.reviewers (name, created, reviewer_group)"
                " SELECT name, ?, coalesce(reviewer_group, ?) FROM stg.s_reviewers",
                [self.now, DEFAULT_GROUP],
            )
        for staged in self.tables.values():
            if staged.reviewed is None:
                merge_content(self.conn, staged, self._primary(staged.spec))
            else:
                merge_reviewed(self.conn, staged, staged.reviewed, self.now)
        self.conn.execute(
            "INSERT INTO main.imports (at, sources, summary) VALUES (?, ?, ?)",
            [self.now, json.dumps(sources), json.dumps(summary)],
        )

    def analyze(self) -> None:
        """Refresh the planner's statistics, so query plans don't depend on luck.

        Sampled (``analysis_limit``), so it takes milliseconds even on millions of rows.
        ANALYZE records nothing for an empty table, and SQLite then guesses a million
        rows: an empty ``ratings`` would make a join start from every judgment. Empty
        tables are recorded as holding one row instead. Best effort: the import has
        committed; a busy database only delays better plans.
        """
        # Waiting behind another import's merge would only delay this one's end.
        self.conn.execute(f"PRAGMA busy_timeout = {ANALYZE_WAIT_MS}")
        try:
            self.conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            self.conn.execute("BEGIN IMMEDIATE")
            start = time.perf_counter()
            with _Transaction(self.conn, None):
                self.conn.execute("ANALYZE main")
                self.conn.executemany(
                    "INSERT INTO main.sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                    empty_table_stats(self.conn),
                )
            self.lock_seconds = max(self.lock_seconds, time.perf_counter() - start)
            self.conn.execute("ANALYZE main.sqlite_schema")  # reload them on this connection
        except sqlite3.OperationalError:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


class _Transaction:
    """BEGIN (unless already begun) ... COMMIT, or ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection, begin: str | None) -> None:
        self.conn = conn
        self.begin = begin

    def __enter__(self) -> None:
        if self.begin:
            self.conn.execute(self.begin)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
