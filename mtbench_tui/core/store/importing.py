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


@dataclass(frozen=True)
class Claim:
    """A row offered to the import: its key, content hash and where it was read."""

    key: tuple[Any, ...]
    content_hash: str
    where: tuple[str, int]


class DuplicateKeyError(Exception):
    """The same key was read twice with different content."""

    def __init__(self, key: tuple[Any, ...], first: tuple[str, int], second: tuple[str, int]) -> None:
        self.key = key
        self.first = first
        self.second = second
        super().__init__(f"key {key} at {second[0]}:{second[1]} conflicts with {first[0]}:{first[1]}")


class ImportSession:
    """An all-or-nothing import: everything inside the ``with`` block commits together or not at all."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def __enter__(self) -> ImportSession:
        # IMMEDIATE takes the write lock up front, so the import can't fail half-way
        # because another writer committed between its reads and its writes.
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_seen ("
            " tbl TEXT, key TEXT, hash TEXT, file TEXT, line INTEGER, PRIMARY KEY (tbl, key))"
        )
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.conn.rollback()
        self.db.execute("DROP TABLE IF EXISTS temp.import_seen")

    def claim(self, spec: TableSpec, claims: Sequence[Claim]) -> list[int]:
        """Record keys read in this import; return the indexes of first occurrences.

        Raises:
            DuplicateKeyError: a key already read in this import with different content.
        """
        firsts: list[int] = []
        local: dict[str, tuple[str, tuple[str, int]]] = {}
        texts = [json.dumps(c.key) for c in claims]
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

    def existing(self, spec: TableSpec, keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], str]:
        """Content hashes of the rows already stored under these keys."""
        return {k[:-1]: k[-1] for k in self._lookup(spec.name, spec.key, keys, "content_hash")}

    def present(self, table: str, columns: tuple[str, ...], keys: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """Which of these keys exist in a table (used to check that parents exist)."""
        return {tuple(k) for k in self._lookup(table, columns, keys, None)}

    def _lookup(
        self, table: str, columns: tuple[str, ...], keys: Sequence[tuple[Any, ...]], extra: str | None
    ) -> list[tuple[Any, ...]]:
        """Rows of ``table`` whose ``columns`` match any of ``keys``."""
        out: list[tuple[Any, ...]] = []
        select = ", ".join([*columns, *([extra] if extra else [])])
        width = len(columns)
        unique = list(dict.fromkeys(keys))
        for part in _chunks(unique, max(1, 900 // width)):
            if width == 1:
                where = f"{columns[0]} IN ({','.join('?' * len(part))})"
            else:
                row = "(" + ",".join("?" * width) + ")"
                where = f"({', '.join(columns)}) IN (VALUES {','.join([row] * len(part))})"
            params = [v for key in part for v in key]
            out.extend(tuple(r) for r in self.db.execute(f"SELECT {select} FROM {table} WHERE {where}", params))
        return out

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
            sql, [[r[c] for c in (*spec.columns, "content_hash")] + [r[c] for c in spec.key] for r in rows]
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
