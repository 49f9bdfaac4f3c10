"""Is this file an mtbench-review database, and of which schema? Answered by reading only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from mtbench_tui.core.store.database import DatabaseRefused
from mtbench_tui.core.store.migrations import MIGRATIONS


@dataclass(frozen=True)
class SchemaState:
    """What a database holds: nothing yet, or our migrations (applied, pending, unknown)."""

    fresh: bool
    applied: tuple[str, ...]
    pending: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def version(self) -> str:
        """The schema's name: its last applied migration."""
        return self.applied[-1] if self.applied else "(none)"


def known_version() -> str:
    """The newest schema this mtbench-review knows."""
    return MIGRATIONS._migrations[-1].name


def inspect(db: sqlite_utils.Database, path: Path | str) -> SchemaState:
    """Read the schema state without writing anything.

    Raises:
        DatabaseRefused: the file is damaged, or is a SQLite database of something else.
    """
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied: list[str] = []
        if "_sqlite_migrations" in tables:
            applied = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                    [MIGRATIONS.name],
                )
            ]
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefused(path, f"damaged or not a database ({exc})") from None
    # sqlite-utils keeps the registered migrations private; their names are the schema.
    known = [m.name for m in MIGRATIONS._migrations]
    if not tables:
        return SchemaState(True, (), tuple(known), ())
    if not applied:
        raise DatabaseRefused(path, "not an mtbench-review database (it holds other tables)")
    return SchemaState(
        fresh=False,
        applied=tuple(applied),
        pending=tuple(n for n in known if n not in applied),
        unknown=tuple(n for n in applied if n not in known),
    )


def require_usable(state: SchemaState, path: Path | str, *, for_writing: bool) -> None:
    """Refuse a newer schema always, and for reading, a schema that still needs migrating.

    Raises:
        DatabaseRefused: with both versions named.
    """
    if state.unknown:
        raise DatabaseRefused(
            path,
            f"written by a newer mtbench-review (schema {state.version}; this version knows "
            f"up to {known_version()}): upgrade mtbench-review to use it",
        )
    if for_writing:
        return
    if state.fresh:
        raise DatabaseRefused(path, "not an mtbench-review database (it is empty)")
    if state.pending:
        raise DatabaseRefused(
            path,
            f"schema {state.version} is older than this mtbench-review's {known_version()}; "
            f"reading commands never change a database: run `mtbench-review upgrade --db {path}`",
        )
