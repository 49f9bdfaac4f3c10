"""Reviewer writes that survive a locked database: tried at once, else retried in order off-thread.

``WriteQueue`` is the mechanism, shared by ratings (``SaveQueue``, here) and pair votes
(``pair_saving.VoteSaveQueue``); each says only how one of its edits is written.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

import sqlite_utils

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.database import connect
from mtbench_tui.core.store.ratings import RatingChange, RatingRepo

EditKind = Literal["score", "note", "flags", "undo"]
EventKind = Literal["saved", "queued", "retrying", "failed", "dropped"]

RETRY_SECONDS = 0.25
"""Pause between attempts while the database stays locked."""

BUSY_MS = 250
"""How long one background attempt waits for the lock (the first attempt never waits)."""


class QueuedEdit(Protocol):
    """What the queue needs of an edit: whether it is an undo."""

    @property
    def kind(self) -> str:
        """``undo``, or the kind of write."""
        ...


class Writer(Protocol):
    """What the queue needs of the repository it writes through: its connection."""

    @property
    def db(self) -> sqlite_utils.Database:
        """The writing connection."""
        ...


E = TypeVar("E", bound=QueuedEdit)
C = TypeVar("C")
W = TypeVar("W", bound=Writer)


@dataclass(frozen=True)
class WriteEvent(Generic[E, C]):
    """What happened to an edit.

    ``saved``: committed (``change`` is the write; for an undo, the change it undid, or None
    when there was nothing to undo). ``queued``: the database was busy, so it waits its turn.
    ``retrying``: still locked after a wait. ``failed``: an error other than a lock; the edit
    is dropped. ``dropped``: the reviewer gave up waiting.
    """

    kind: EventKind
    edit: E
    change: C | None = None
    detail: str = ""


@dataclass(frozen=True)
class Accepted(Generic[E, C]):
    """The outcome of ``WriteQueue.submit``."""

    event: WriteEvent[E, C]
    start_drain: bool
    """True when the caller must run ``drain`` (in a thread) to retry the queued edit."""


def own_connection(store: Store, repo: Callable[[sqlite_utils.Database], W]) -> Callable[[], W]:
    """Opens a connection of its own for writes, so a locked database never stalls reads.

    Args:
        store: the session's database (a file: an in-memory one has no second connection).
        repo: the repository class to wrap the connection in.

    Returns:
        The opener ``WriteQueue`` calls on its first write.

    Raises:
        ValueError: the database is in memory.
    """
    path = store.path
    if path is None:
        raise ValueError("reviewing needs a database file, not an in-memory database")
    return lambda: repo(connect(path))


def is_lock_error(exc: sqlite3.OperationalError) -> bool:
    """True for 'database is locked' / 'database is busy': worth retrying."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class WriteQueue(Generic[E, C, W]):
    """Edits in the order the reviewer made them, committed on a connection of their own.

    ``submit`` commits at once when nothing is waiting and the database is free, without
    waiting for a lock. Otherwise the edit joins the queue and ``drain``, run in a worker
    thread, retries the queue in order until every edit lands or the reviewer gives up.
    The history of landed changes is what undo walks back. Subclasses say how one edit is
    written (``_write``) and how a change is undone (``_restore``).
    """

    def __init__(
        self,
        open_repo: Callable[[], W],
        *,
        retry_seconds: float = RETRY_SECONDS,
        busy_ms: int = BUSY_MS,
    ) -> None:
        self._open_repo = open_repo
        self._repo: W | None = None
        self._retry_seconds = retry_seconds
        self._busy_ms = busy_ms
        self._lock = threading.Lock()
        """Guards the queue and the drain state."""
        self._history_lock = threading.Lock()
        """Guards the undo history (submit holds ``_lock`` while it writes, drain does not)."""
        self._pending: deque[E] = deque()
        self._history: list[C] = []
        self._draining = False
        self._give_up = False
        self._closed = False
        self._wake = threading.Event()

    def submit(self, edit: E) -> Accepted[E, C]:
        """Commit an edit now if the database is free, else queue it.

        Args:
            edit: the change to make.

        Returns:
            The event (``saved``, ``failed`` or ``queued``) and whether a drain must start.
        """
        with self._lock:
            if self._pending or self._draining:
                self._pending.append(edit)
                return Accepted(WriteEvent("queued", edit), False)
            # Nothing else writes on this connection now, and busy_ms=0 never waits for a lock.
            event = self._attempt(edit, busy_ms=0)
            if event.kind != "retrying":
                return Accepted(event, False)
            self._pending.append(edit)
            self._draining = True
            return Accepted(WriteEvent("queued", edit, detail=event.detail), True)

    def drain(self, on_event: Callable[[WriteEvent[E, C]], None]) -> None:
        """Retry queued edits in order until all land, the reviewer gives up, or the queue closes.

        Args:
            on_event: called (in this thread) with each edit's ``retrying`` (once per
                edit), ``saved``, ``failed`` or ``dropped`` event.
        """
        told: E | None = None
        while (edit := self._next_to_drain(on_event)) is not None:
            # The lock is not held here: submit() must never wait while the database does.
            event = self._attempt(edit, busy_ms=self._busy_ms)
            if event.kind == "retrying":
                if edit is not told:
                    told = edit
                    on_event(event)
                self._wake.wait(self._retry_seconds)
                self._wake.clear()
                continue
            with self._lock:
                self._pending.popleft()
            on_event(event)

    def _next_to_drain(self, on_event: Callable[[WriteEvent[E, C]], None]) -> E | None:
        """The edit to try next, or None when draining is over (dropped edits are reported)."""
        with self._lock:
            if self._pending and not (self._give_up or self._closed):
                return self._pending[0]
            dropped = list(self._pending) if self._give_up and not self._closed else []
            if dropped:
                self._pending.clear()
            self._give_up = False
            self._draining = False
            closed = self._closed
        if closed:
            self._close_writer()
        for edit in dropped:
            on_event(WriteEvent("dropped", edit))
        return None

    def give_up(self) -> None:
        """Stop retrying: the waiting edits come back as ``dropped`` events from ``drain``."""
        with self._lock:
            if self._draining:
                self._give_up = True
        self._wake.set()

    def pending(self) -> tuple[E, ...]:
        """The edits not yet committed, oldest first."""
        with self._lock:
            return tuple(self._pending)

    def can_undo(self) -> bool:
        """True when an undo would find a change to undo once the queue has landed."""
        with self._lock, self._history_lock:
            waiting = sum(1 if e.kind != "undo" else -1 for e in self._pending)
            return len(self._history) + waiting > 0

    def close(self) -> tuple[E, ...]:
        """Stop for good; returns the edits that never landed. Safe while a drain runs."""
        with self._lock:
            self._closed = True
            left = tuple(self._pending)
            draining = self._draining
        self._wake.set()
        if not draining:
            self._close_writer()
        return left

    def _close_writer(self) -> None:
        """Close the writing connection, if it was opened."""
        if self._repo is not None:
            self._repo.db.close()
            self._repo = None

    def _attempt(self, edit: E, busy_ms: int) -> WriteEvent[E, C]:
        """Try to commit one edit. One thread at a time gets here (submit or drain, never both)."""
        try:
            repo = self._writer()
            repo.db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            change = self._apply(repo, edit)
        except sqlite3.OperationalError as exc:
            kind: EventKind = "retrying" if is_lock_error(exc) else "failed"
            return WriteEvent(kind, edit, detail=str(exc))
        except (sqlite3.DatabaseError, ValueError) as exc:
            return WriteEvent("failed", edit, detail=str(exc))
        return WriteEvent("saved", edit, change)

    def _writer(self) -> W:
        """The writing connection, opened on first use."""
        if self._repo is None:
            self._repo = self._open_repo()
        return self._repo

    def _apply(self, repo: W, edit: E) -> C | None:
        """Commit one edit; record it for undo, or walk the undo history back one step."""
        if edit.kind == "undo":
            target = self._history[-1] if self._history else None
            if target is not None:
                self._restore(repo, target)
                with self._history_lock:
                    self._history.pop()
            return target
        change = self._write(repo, edit)
        with self._history_lock:
            self._history.append(change)
        return change

    def _write(self, repo: W, edit: E) -> C:
        """Commit one edit that is not an undo; returns the change it made."""
        raise NotImplementedError

    def _restore(self, repo: W, change: C) -> None:
        """Put back what a change replaced."""
        raise NotImplementedError


@dataclass(frozen=True)
class Edit:
    """One rating change the reviewer asked for.

    ``key`` is None for an undo: its turn is known only once it lands.
    """

    kind: EditKind
    reviewer: str
    key: TurnKey | None = None
    score: int | None = None
    blind: bool = False
    note: str = ""
    flags: tuple[str, ...] = ()

    def describe(self) -> str:
        """What the edit does, for messages: ``score 7``, ``comment``, ``flags``, ``undo``."""
        return (
            f"score {self.score}" if self.kind == "score" else self.kind.replace("note", "comment")
        )


SaveEvent = WriteEvent[Edit, RatingChange]
Submitted = Accepted[Edit, RatingChange]


class SaveQueue(WriteQueue[Edit, RatingChange, RatingRepo]):
    """The rating edits of one review session."""

    def _write(self, repo: RatingRepo, edit: Edit) -> RatingChange:
        """Set a score, a comment or flags."""
        key = edit.key
        if key is None:
            raise ValueError(f"a {edit.kind} edit needs a turn")
        if edit.kind == "score":
            return repo.set_score(key, edit.reviewer, edit.score or 0, blind=edit.blind)
        if edit.kind == "note":
            return repo.set_note(key, edit.reviewer, edit.note)
        return repo.set_flags(key, edit.reviewer, edit.flags)

    def _restore(self, repo: RatingRepo, change: RatingChange) -> None:
        """Put the turn's rating back as it was."""
        repo.restore(change)
