"""The Store: the one object that owns the SQLite database; migrations run when it is built."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from mtbench_tui.core.store.analysis import AnalysisRepo
from mtbench_tui.core.store.content import ContentRepo
from mtbench_tui.core.store.database import connect
from mtbench_tui.core.store.importing import ImportSession
from mtbench_tui.core.store.judging import JudgeRepo
from mtbench_tui.core.store.migrations import MIGRATIONS
from mtbench_tui.core.store.queue import QueueFilter, ReviewQueue, open_queue
from mtbench_tui.core.store.ratings import RatingRepo
from mtbench_tui.core.store.votes import VoteRepo


class Store:
    """Wraps an injected sqlite_utils Database; every read and write of the project goes through it."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        MIGRATIONS.apply(db)
        self.content = ContentRepo(db)
        self.ratings = RatingRepo(db)
        self.analysis = AnalysisRepo(db)
        self.judging = JudgeRepo(db)
        self.votes = VoteRepo(db)

    @classmethod
    def open(cls, path: Path | str, *, durable: bool = True) -> Store:
        """Open (creating if needed) the database at ``path``."""
        return cls(connect(path, durable=durable))

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
        return Store.open(self.path)

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
