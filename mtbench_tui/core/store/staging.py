"""Staged tables: validated rows wait in a disposable SQLite file until one short merge.

Every statement here runs on the store's connection with the staging file attached as
``stg``. Nothing here writes the main database; the merge (``importing``) does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtbench_tui.core.store.tables import HistorySpec, ReviewedSpec, TableSpec, oriented

BOOKKEEPING = ("file", "line", "dup_file", "dup_line", "main_id", "state")
"""Columns a staged row carries besides its data: where it was read, the first conflicting
repeat of its key, the id of the stored row with the same key, and what the merge will do."""

SAME, CHANGED = 1, 2
"""``state``: the stored row stays (same content, or newer), or the merge rewrites it.
NULL: there is no stored row, the merge inserts one."""


@dataclass(frozen=True)
class Conflict:
    """Two rows of this import with the same key and different content."""

    first: tuple[int, int]
    second: tuple[int, int]
    key: tuple[Any, ...]


@dataclass(frozen=True)
class Orphan:
    """The first staged row whose parent is neither staged nor stored."""

    file: int
    line: int
    values: tuple[Any, ...]
    flipped: bool = False
    """The row was staged with its two models swapped (so its model_1 is the file's model_2)."""


@dataclass(frozen=True)
class StagedCounts:
    """What the merge will do with a staged table's rows."""

    staged: int
    new: int
    changed: int
    same: int


def cols(names: Sequence[str], alias: str = "") -> str:
    """A column list, optionally qualified."""
    return ", ".join(f"{alias}.{n}" if alias else n for n in names)


def _qualify(expr: str, alias: str) -> str:
    """Qualify the column names in an identity expression such as ``min(model_1, model_2)``."""
    if "(" not in expr:
        return f"{alias}.{expr}"
    name, args = expr.split("(", 1)
    inner = ", ".join(f"{alias}.{a.strip()}" for a in args.rstrip(")").split(","))
    return f"{name}({inner})"


def same_identity(spec: TableSpec, left: str, right: str) -> str:
    """SQL: ``left`` and ``right`` rows are the same row of ``spec``."""
    return " AND ".join(f"{_qualify(e, left)} = {_qualify(e, right)}" for e in spec.identity)


class StagedTable:
    """One source's staged rows, with repeated keys caught by SQLite's own UNIQUE index."""

    def __init__(
        self, conn: sqlite3.Connection, spec: TableSpec, reviewed: ReviewedSpec | None
    ) -> None:
        self.conn = conn
        self.spec = spec
        self.reviewed = reviewed
        self.short = f"s_{spec.staged_name}"
        self.name = f"stg.{self.short}"
        self.replaces: int | None = None
        """Stored rows the merge will rewrite, once ``counts`` has run (None: unknown)."""

    def create(self) -> None:
        """Create the staged table with the main table's column types, and its UNIQUE index."""
        data = cols(self.spec.data_columns)
        self.conn.execute(
            f"CREATE TABLE {self.name} AS SELECT {data} FROM main.{self.spec.name} WHERE 0"
        )
        for column in (*self.spec.extra, *BOOKKEEPING):
            self.conn.execute(f"ALTER TABLE {self.name} ADD COLUMN {column} INTEGER")
        # Oriented rows are staged with model_1 < model_2, so the plain key identifies them.
        identity = self.spec.key if self.spec.oriented else self.spec.identity
        self.conn.execute(
            f"CREATE UNIQUE INDEX stg.{self.short}_key ON {self.short}({cols(identity)})"
        )
        # Only rows with a conflicting repeat are in this index: finding one is instant.
        self.conn.execute(
            f"CREATE INDEX stg.{self.short}_dup ON {self.short}(dup_file, dup_line)"
            " WHERE dup_line IS NOT NULL"
        )

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Stage rows given as (file index, line, data columns..., extra columns...).

        The first row of a key is kept; the first later row whose ``repeat_columns``
        differ is recorded as its conflict.
        """
        data = (*self.spec.data_columns, *self.spec.extra)
        marks = ", ".join("?" * (len(data) + 2))
        same = self.spec.repeat_columns
        identity = self.spec.key if self.spec.oriented else self.spec.identity
        self.conn.executemany(
            f"INSERT INTO {self.name} (file, line, {cols(data)}) VALUES ({marks})"
            f" ON CONFLICT ({cols(identity)}) DO UPDATE SET"
            " dup_file = excluded.file, dup_line = excluded.line"
            f" WHERE dup_line IS NULL AND ({cols(same)}) IS NOT ({cols(same, 'excluded')})",
            rows,
        )

    def first_conflict(self) -> Conflict | None:
        """The earliest repeat of a key with different content, if any."""
        row = self.conn.execute(
            f"SELECT file, line, dup_file, dup_line, {cols(self.spec.key)} FROM {self.name}"
            " WHERE dup_line IS NOT NULL ORDER BY dup_file, dup_line LIMIT 1"
        ).fetchone()
        return None if row is None else Conflict((row[0], row[1]), (row[2], row[3]), row[4:])

    def first_orphan(
        self, parent: TableSpec, columns: Sequence[str], staged_parents: Sequence[str]
    ) -> Orphan | None:
        """The first row (in reading order) whose ``columns`` match no parent key.

        Args:
            parent: the parent table; its key columns are compared with ``columns``.
            columns: this table's columns that refer to the parent.
            staged_parents: staged tables (``stg.s_...``) that hold parent rows too.
        """
        on = " AND ".join(f"p.{k} = s.{c}" for k, c in zip(parent.key, columns))
        tables = [*staged_parents, f"main.{parent.name}"]
        missing = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {t} p WHERE {on})" for t in tables)
        flipped = "s.flipped" if self.spec.oriented else "0"
        row = self.conn.execute(
            f"SELECT s.file, s.line, {flipped}, {cols(columns, 's')} FROM {self.name} s"
            f" WHERE {missing} ORDER BY s.file, s.line LIMIT 1"
        ).fetchone()
        return None if row is None else Orphan(row[0], row[1], tuple(row[3:]), bool(row[2]))

    def classify(self, now: str) -> None:
        """Find the stored row for each staged one, and whether the merge changes it."""
        empty = f"SELECT NOT EXISTS (SELECT 1 FROM main.{self.spec.name})"
        if self.conn.execute(empty).fetchone()[0]:
            return  # a first import: every row is new, and there is nothing to look up
        match = same_identity(self.spec, "m", "s")
        self.conn.execute(
            f"UPDATE {self.name} AS s SET main_id = m.rowid, state = {self._state_sql(now)}"
            f" FROM main.{self.spec.name} AS m WHERE {match}"
        )

    def _state_sql(self, now: str) -> str:
        """SQL for the merge's decision on a staged row ``s`` that matches stored row ``m``."""
        if self.reviewed is None:
            # A stored pair verdict is compared in the staged (model_1 < model_2) orientation.
            stored = oriented(self.spec, "m", "m.model_1 > m.model_2")
            return (
                f"CASE WHEN ({', '.join(stored)}) IS ({cols(self.spec.data_columns, 's')})"
                f" THEN {SAME} ELSE {CHANGED} END"
            )
        content = self.reviewed.compare
        later = f"m.updated > coalesce(s.updated, '{now}')"
        return (
            f"CASE WHEN ({cols(content, 'm')}) IS ({cols(content, 's')}) OR {later}"
            f" THEN {SAME} ELSE {CHANGED} END"
        )

    def counts(self, history: StagedHistory | None = None) -> StagedCounts:
        """How many staged rows are new, change a stored row, or leave it as it is.

        Args:
            history: for a reviewed table, its staged log: a kept row whose history
                gains events counts as changed.
        """
        gained = "0"
        if history is not None:
            on = " AND ".join(f"h.{c} = s.{c}" for c in self.spec.key)
            gained = f"state = 1 AND EXISTS (SELECT 1 FROM {history.name} h WHERE h.novel AND {on})"
        staged, new, replaces, changed = self.conn.execute(
            f"SELECT COUNT(*), SUM(main_id IS NULL), SUM(state = 2), SUM(state = 2 OR ({gained}))"
            f" FROM {self.name} AS s"
        ).fetchone()
        new, changed, self.replaces = int(new or 0), int(changed or 0), int(replaces or 0)
        return StagedCounts(staged, new, changed, staged - new - changed)


class StagedHistory:
    """Staged history events of a reviewed table: repeats collapse, stored events are skipped."""

    def __init__(self, conn: sqlite3.Connection, spec: HistorySpec) -> None:
        self.conn = conn
        self.spec = spec
        self.name = f"stg.h_{spec.name}"

    def create(self) -> None:
        """Create the staged log, unique over every column so that repeats collapse."""
        columns = cols(self.spec.columns)
        self.conn.execute(
            f"CREATE TABLE {self.name} AS SELECT {columns} FROM main.{self.spec.name} WHERE 0"
        )
        self.conn.execute(f"ALTER TABLE {self.name} ADD COLUMN seq INTEGER")
        self.conn.execute(f"ALTER TABLE {self.name} ADD COLUMN novel INTEGER NOT NULL DEFAULT 1")
        # NULLs are distinct in a UNIQUE index; ifnull makes two events with no score equal.
        unique = ", ".join(f"ifnull({c}, '')" for c in self.spec.columns)
        self.conn.execute(
            f"CREATE UNIQUE INDEX stg.h_{self.spec.name}_all ON h_{self.spec.name}({unique})"
        )

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Stage events given as (seq, history columns...)."""
        marks = ", ".join("?" * (len(self.spec.columns) + 1))
        self.conn.executemany(
            f"INSERT OR IGNORE INTO {self.name} (seq, {cols(self.spec.columns)}) VALUES ({marks})",
            rows,
        )

    def classify(self) -> None:
        """Mark the events already stored, which the merge must not add again."""
        same = " AND ".join(f"r.{c} IS h.{c}" for c in self.spec.columns)
        self.conn.execute(
            f"UPDATE {self.name} AS h SET novel = 0"
            f" WHERE EXISTS (SELECT 1 FROM main.{self.spec.name} r WHERE {same})"
        )
