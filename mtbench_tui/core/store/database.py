"""Open a SQLite database the way every part of mtbench-review needs it: WAL, busy timeout, explicit transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's write to finish before giving up."""


def connect(path: Path | str, *, durable: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) a database file for concurrent use.

    Args:
        path: the database file.
        durable: fsync every commit (``synchronous=FULL``). The judge runner passes False:
            in WAL mode a commit still survives a killed process, only not a power cut.

    Returns:
        A sqlite_utils Database in autocommit mode; writes go through ``db.atomic()``.
    """
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit BEGIN, so a read never holds a lock
    # and every write is in an explicit, short transaction.
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)
