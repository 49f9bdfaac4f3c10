"""The write side of an import: one transaction, bulk writes, and detection of conflicting duplicate keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.store.tables import TableSpec

IMPORT_CACHE_KIB = -131072
"""Page cache during an import: 128 MiB (a negative cache_size is KiB)."""


@dataclass(frozen=True)
class Claim:
    """A row offered to the import: its key, content hash and where it was read."""

    key: tuple[Any, ...]
    content_hash: str
    where: tuple[str, int]


class DuplicateKeyError(Exception):
    """The same key was read twice with different content."""

    def __init__(
        self, key: tuple[Any, ...], first: tuple[str, int], second: tuple[str, int]
    ) -> None:
        self.key = key
        self.first = first
        self.second = second
        super().__init__(
            f"key {key} at {second[0]}:{second[1]} conflicts with {first[0]}:{first[1]}"
        )


class ImportSession:
    """An all-or-nothing import: everything inside the ``with`` block commits together or not at all."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._probes: set[str] = set()

    def __enter__(self) -> ImportSession:
        # The importer checks every reference itself, with errors that name the line;
        # SQLite's own foreign-key probes would repeat that work row by row.
        self.db.execute("PRAGMA foreign_keys = OFF")
        # A larger page cache keeps the index B-trees of a big import in memory.
        self._cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        # IMMEDIATE takes the write lock up front, so the import can't fail half-way
        # because another writer committed between its reads and its writes.
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_seen ("
            " tbl TEXT, key TEXT, hash TEXT, file TEXT, line INTEGER, PRIMARY KEY (tbl, key))"
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.conn.rollback()
        for table in ("temp.import_seen", *self._probes):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.execute(f"PRAGMA cache_size = {self._cache}")
        self.db.execute("PRAGMA foreign_keys = ON")

    def claim(self, spec: TableSpec, claims: Sequence[Claim]) -> list[int]:
        """Record keys read in this import; return the indexes of first occurrences.

        Raises:
            DuplicateKeyError: a key already read in this import with different content.
        """
        firsts: list[int] = []
        local: dict[str, tuple[str, tuple[str, int]]] = {}
        texts = [repr(c.key) for c in claims]
        earlier = self._seen(spec.name, texts)
        for index, (claim, text) in enumerate(zip(claims, texts)):
            previous = earlier.get(text) or local.get(text)
            if previous is None:
                local[text] = (claim.content_hash, claim.where)
                firsts.append(index)
            elif previous[0] != claim.content_hash:
                raise DuplicateKeyError(claim.key, previous[1], claim.where)
        self.db.conn.executemany(
            "INSERT INTO temp.import_seen VALUES (?, ?, ?, ?, ?)",
            [(spec.name, text, h, where[0], where[1]) for text, (h, where) in local.items()],
        )
        return firsts

    def _seen(self, table: str, texts: list[str]) -> dict[str, tuple[str, tuple[str, int]]]:
        """Keys from earlier chunks of this import, with their hash and location."""
        found = {}
        for part in _chunks(texts, 500):
            marks = ",".join("?" * len(part))
            for key, h, file, line in self.db.execute(
                f"SELECT key, hash, file, line FROM temp.import_seen WHERE tbl = ? AND key IN ({marks})",
                [table, *part],
            ):
                found[key] = (h, (file, line))
        return found

    def existing(
        self, spec: TableSpec, keys: Sequence[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], str]:
        """Content hashes of the rows already stored under these keys."""
        return {k[:-1]: k[-1] for k in self._lookup(spec.name, spec.key, keys, "content_hash")}

    def present(
        self, table: str, columns: tuple[str, ...], keys: Sequence[tuple[Any, ...]]
    ) -> set[tuple[Any, ...]]:
        """Which of these keys exist in a table (used to check that parents exist)."""
        return {tuple(k) for k in self._lookup(table, columns, keys, None)}

    def _lookup(
        self,
        table: str,
        columns: tuple[str, ...],
        keys: Sequence[tuple[Any, ...]],
        extra: str | None,
    ) -> list[tuple[Any, ...]]:
        """Rows of ``table`` whose ``columns`` match any of ``keys``.

        The keys go into a temporary table joined on the target's index: SQLite scans the
        whole table for a row-value ``IN (VALUES ...)``, but seeks the index for a join.
        """
        probe = f"temp.import_probe_{len(columns)}"
        names = [f"k{i}" for i in range(len(columns))]
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {probe} ({', '.join(names)})")
        self._probes.add(probe)
        self.db.execute(f"DELETE FROM {probe}")
        self.db.conn.executemany(
            f"INSERT INTO {probe} VALUES ({', '.join('?' * len(columns))})",
            list(dict.fromkeys(keys)),
        )
        select = ", ".join([*(f"t.{c}" for c in columns), *([f"t.{extra}"] if extra else [])])
        on = " AND ".join(f"t.{c} = p.{n}" for c, n in zip(columns, names))
        return [
            tuple(r)
            for r in self.db.execute(
                f"SELECT DISTINCT {select} FROM {probe} p JOIN {table} t ON {on}"
            )
        ]

    def insert(self, spec: TableSpec, rows: Sequence[dict[str, Any]]) -> None:
        """Insert new rows."""
        if not rows:
            return
        cols = spec.all_columns
        sql = f"INSERT INTO {spec.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        self.db.conn.executemany(sql, [[r[c] for c in cols] for r in rows])

    def update(self, spec: TableSpec, rows: Sequence[dict[str, Any]]) -> None:
        """Overwrite the content of rows whose key exists."""
        if not rows:
            return
        sets = ", ".join(f"{c} = ?" for c in (*spec.columns, "content_hash"))
        where = " AND ".join(f"{c} = ?" for c in spec.key)
        sql = f"UPDATE {spec.name} SET {sets} WHERE {where}"
        self.db.conn.executemany(
            sql,
            [
                [r[c] for c in (*spec.columns, "content_hash")] + [r[c] for c in spec.key]
                for r in rows
            ],
        )

    def log(self, sources: list[str], summary: dict[str, Any]) -> None:
        """Record the import in the ``imports`` table."""
        self.db.execute(
            "INSERT INTO imports (at, sources, summary) VALUES (?, ?, ?)",
            [now_iso(), json.dumps(sources), json.dumps(summary)],
        )


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Split a sequence into slices of at most ``size``."""
    return [items[i : i + size] for i in range(0, len(items), size)]
