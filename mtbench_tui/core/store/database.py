"""Open SQLite as mtbench-review needs it everywhere: WAL, busy timeout, explicit transactions."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's write to finish before giving up."""


class DatabaseRefused(Exception):
    """A database file that mtbench-review will not open (the message says why)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def connect(path: Path | str, *, durable: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) a database file for concurrent use.

    Nothing is written here: the caller checks that the file is an mtbench-review
    database first, and only then calls ``enable_wal``.

    Args:
        path: the database file.
        durable: fsync every commit (``synchronous=FULL``). The judge runner passes False:
            in WAL mode a commit still survives a killed process, only not a power cut.

    Returns:
        A sqlite_utils Database in autocommit mode; writes go through ``db.atomic()``.

    Raises:
        DatabaseRefused: the path is not a regular file, or not a SQLite file.
    """
    path = Path(path)
    if str(path) != ":memory:":
        inspect_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit BEGIN, so a read never holds a lock
    # and every write is in an explicit, short transaction.
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _checked(conn, path)
    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    conn.execute("PRAGMA foreign_keys = ON")
    return _database(conn)


def enable_wal(db: sqlite_utils.Database) -> None:
    """Switch to WAL, so readers never block the writer (a no-op when already in WAL)."""
    db.execute("PRAGMA journal_mode = WAL")


def connect_readonly(path: Path | str) -> sqlite_utils.Database:
    """Open an existing database for reading only: nothing is written, nothing is left behind.

    A connection that may write is opened when the file is writable, with ``query_only``
    on: it is the one kind that removes SQLite's ``-wal``/``-shm`` files again on close. A
    file we cannot write, with no ``-wal`` beside it, is opened immutable, because a
    read-only connection to a WAL database would leave those files behind for good.

    Args:
        path: the database file, which must exist.

    Returns:
        A sqlite_utils Database that refuses writes.

    Raises:
        DatabaseRefused: the path is missing, not a regular file, or not a SQLite file.
    """
    path = Path(path)
    if not inspect_file(path):
        raise DatabaseRefused(path, "no such database")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if writable:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        wal = Path(f"{path}-wal").exists()
        mode = "mode=ro" if wal else "immutable=1"
        uri = f"file:{quote(str(path.resolve()))}?{mode}"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _checked(conn, path)
    conn.execute("PRAGMA query_only = ON")
    return _database(conn)


def _database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The connection wrapped for sqlite-utils, without its plugins.

    A plugin is any installed package that declares one, and it may hook every connection
    (SQL functions of its own, say); scanning the installed packages for them also cost
    14 ms of each start.
    """
    return sqlite_utils.Database(conn, execute_plugins=False)


def _checked(conn: sqlite3.Connection, path: Path) -> None:
    """``check_header``, closing the connection when the file is refused."""
    try:
        check_header(conn, path)
    except DatabaseRefused:
        conn.close()
        raise


def inspect_file(path: Path) -> bool:
    """Check a database path before SQLite opens it, with ``stat`` only.

    The file itself is never opened here: closing any descriptor of a database file
    releases every POSIX lock this process holds on it, including those of its open
    SQLite connections (SQLite's documentation lists this as a way to corrupt a
    database). SQLite reads the header itself (``check_header``).

    Returns:
        True when the file exists, False when nothing is there yet.

    Raises:
        DatabaseRefused: a dangling symlink, a directory, FIFO or device.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseRefused(path, "dangling symlink: its target does not exist") from None
        return False
    except OSError as exc:
        raise DatabaseRefused(path, f"cannot open: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseRefused(path, "not a regular file, so not an mtbench-review database")
    return True


def check_header(conn: sqlite3.Connection, path: Path | str) -> None:
    """Refuse a file SQLite cannot read as a database, or one cut short, reading only.

    Raises:
        DatabaseRefused: not a SQLite file, damaged, or shorter than its header says.
    """
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseRefused(
                path, "not an mtbench-review database (not a SQLite file)"
            ) from None
        raise DatabaseRefused(path, f"damaged or not a database ({exc})") from None
    name = str(path)
    if name in ("", ":memory:") or Path(f"{name}-wal").exists():
        return  # a -wal may hold the newest pages, so the file may be shorter
    size = os.stat(name).st_size
    if size < page_size * pages:
        raise DatabaseRefused(
            path, f"database file is truncated ({size:,} of {page_size * pages:,} bytes)"
        )


def history_rows(
    db: sqlite_utils.Database, table: str, columns: str, reviewer: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """A history table's rows (optionally one reviewer's), oldest first, streamed.

    Args:
        db: the database.
        table: ``rating_history`` or ``pair_vote_history`` (a name from the code, not data).
        columns: the columns to select.
        reviewer: only this reviewer's events.

    Yields:
        The rows.
    """
    sql = f"SELECT {columns} FROM {table}"
    params: list[Any] = []
    if reviewer is not None:
        sql += " WHERE reviewer = ?"
        params.append(reviewer)
    yield from db.execute(sql + " ORDER BY id", params)
