"""The Store: the one object that owns the SQLite database; migrations run when it is built."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from mtbench_tui.core.store import schema
from mtbench_tui.core.store.analysis import AnalysisRepo
from mtbench_tui.core.store.content import ContentRepo
from mtbench_tui.core.store.database import connect, connect_readonly, enable_wal
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.store.judging import JudgeRepo
from mtbench_tui.core.store.migrations import MIGRATIONS
from mtbench_tui.core.store.queue import QueueFilter, ReviewQueue, open_queue
from mtbench_tui.core.store.ratings import RatingRepo
from mtbench_tui.core.store.votes import VoteRepo


class Store:
    """Wraps an injected sqlite_utils Database; every read and write of the project uses it."""

    def __init__(self, db: sqlite_utils.Database, *, read_only: bool = False) -> None:
        """Check the database is ours and of a schema we know; migrate it unless read-only.

        Raises:
            DatabaseRefused: another application's database, a newer schema, or (read-only)
                a schema that would need migrating.
        """
        self.db = db
        self.read_only = read_only
        where = self._file_name()
        state = schema.inspect(db, where)
        schema.require_usable(state, where, for_writing=not read_only)
        if not read_only:
            enable_wal(db)
            if state.pending:
                MIGRATIONS.apply(db)
        self.content = ContentRepo(db)
        self.ratings = RatingRepo(db)
        self.analysis = AnalysisRepo(db)
        self.judging = JudgeRepo(db)
        self.votes = VoteRepo(db)

    @classmethod
    def open(cls, path: Path | str, *, durable: bool = True) -> Store:
        """Open (creating if needed) the database at ``path``."""
        db = connect(path, durable=durable)
        try:
            return cls(db)
        except BaseException:
            db.close()
            raise

    @classmethod
    def open_readonly(cls, path: Path | str) -> Store:
        """Open an existing database for reading: no migration, no WAL switch, no files left."""
        db = connect_readonly(path)
        try:
            return cls(db, read_only=True)
        except BaseException:
            db.close()
            raise

    def _file_name(self) -> str:
        """The file, for messages."""
        return str(self.path or ":memory:")

    @property
    def path(self) -> Path | None:
        """The database file, or None for an in-memory database."""
        for _seq, name, file in self.db.execute("PRAGMA database_list"):
            if name == "main":
                return Path(file) if file else None
        return None

    def reopen(self) -> Store:
        """A second connection to the same file, for a worker thread."""
        if self.path is None:
            raise ValueError("an in-memory store cannot be reopened")
        return Store.open_readonly(self.path) if self.read_only else Store.open(self.path)

    def import_session(self) -> ImportSession:
        """Begin an all-or-nothing import."""
        return ImportSession(self.db)

    def queue(self, f: QueueFilter, reviewer: str, judge: str | None) -> ReviewQueue:
        """A paged review queue for a reviewer."""
        return open_queue(self.db, f, reviewer, judge)

    def default_judge(self) -> str | None:
        """The judge compared against unless one is chosen: see ``ContentRepo.reference_judge``."""
        return self.content.reference_judge()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()
