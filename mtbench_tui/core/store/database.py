"""Open a SQLite database the way every part of mtbench-review needs it: WAL, busy timeout, explicit transactions."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's write to finish before giving up."""

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""


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
    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


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
    conn.execute("PRAGMA query_only = ON")
    return sqlite_utils.Database(conn)


def inspect_file(path: Path) -> bool:
    """Check a database path before SQLite opens it.

    Returns:
        True when the file exists (and looks like a SQLite database or is empty),
        False when nothing is there yet.

    Raises:
        DatabaseRefused: a directory, FIFO or device; a file that is not SQLite; a
            database file shorter than its own header says.
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
    if info.st_size == 0:
        return True
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseRefused(path, f"cannot read: {exc.strerror or exc}") from None
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise DatabaseRefused(path, "not an mtbench-review database (not a SQLite file)")
    _check_length(path, header, info.st_size)
    return True


def _check_length(path: Path, header: bytes, size: int) -> None:
    """Refuse a file cut short: its header records how many pages it has."""
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    # The page count is trustworthy only when written by the same change as the counter,
    # and the file may be shorter than it while a -wal holds the newest pages.
    if counter != valid_for or Path(f"{path}-wal").exists():
        return
    if size < page_size * pages:
        raise DatabaseRefused(
            path, f"database file is truncated ({size:,} of {page_size * pages:,} bytes)"
        )
