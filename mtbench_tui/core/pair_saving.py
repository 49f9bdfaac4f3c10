"""Pair-vote writes that survive a locked database: tried at once, else retried in order in the
background, each committed before it is reported saved."""

from __future__ import annotations

import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.store.votes import VoteChange, VoteRepo

EditKind = Literal["vote", "note", "flags", "undo"]
EventKind = Literal["saved", "queued", "retrying", "failed", "dropped"]

RETRY_SECONDS = 0.25
"""Pause between attempts while the database stays locked."""

BUSY_MS = 250
"""How long one background attempt waits for the lock (the first attempt never waits)."""


@dataclass(frozen=True)
class VoteEdit:
    """One change the reviewer asked for; ``key`` is None for an undo."""

    kind: EditKind
    reviewer: str
    key: PairKey | None = None
    shown_a: str | None = None
    choice: str = ""
    blind: bool = False
    note: str = ""
    flags: tuple[str, ...] = ()

    def describe(self) -> str:
        """What the edit does, for messages: ``vote A``, ``comment``, ``flags``, ``undo``."""
        if self.kind == "vote":
            return f"vote {self.choice}"
        return "comment" if self.kind == "note" else self.kind


@dataclass(frozen=True)
class VoteSaveEvent:
    """What happened to an edit.

    ``saved``: committed (``change`` is the write; for an undo, the change it undid, or None
    when there was nothing to undo). ``queued``: the database was busy, so it waits its turn.
    ``retrying``: still locked after a wait. ``failed``: an error other than a lock; the edit
    is dropped. ``dropped``: the reviewer gave up waiting.
    """

    kind: EventKind
    edit: VoteEdit
    change: VoteChange | None = None
    detail: str = ""


class Submitted(NamedTuple):
    """The outcome of ``VoteSaveQueue.submit``."""

    event: VoteSaveEvent
    start_drain: bool
    """True when the caller must run ``drain`` (in a thread) to retry the queued edit."""


def is_lock_error(exc: sqlite3.OperationalError) -> bool:
    """True for 'database is locked' / 'database is busy': worth retrying."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class VoteSaveQueue:
    """Edits in the order the reviewer made them, committed on a connection of their own.

    ``submit`` commits at once when nothing is waiting and the database is free, without
    waiting for a lock. Otherwise the edit joins the queue, and ``drain`` (run in a worker
    thread) retries the queue in order until every edit lands or the reviewer gives up.
    Landed changes form the history that undo walks back.
    """

    def __init__(
        self,
        open_repo: Callable[[], VoteRepo],
        group: str | None = None,
        *,
        retry_seconds: float = RETRY_SECONDS,
        busy_ms: int = BUSY_MS,
    ) -> None:
        self._open_repo = open_repo
        self._group = group
        self._repo: VoteRepo | None = None
        self._registered = False
        self._retry_seconds = retry_seconds
        self._busy_ms = busy_ms
        self._lock = threading.Lock()
        """Guards the queue and the drain state."""
        self._pending: deque[VoteEdit] = deque()
        self._history: list[VoteChange] = []
        self._draining = False
        self._give_up = False
        self._closed = False
        self._wake = threading.Event()

    def submit(self, edit: VoteEdit) -> Submitted:
        """Commit an edit now if the database is free, else queue it.

        Args:
            edit: the change to make.

        Returns:
            The event (``saved``, ``failed`` or ``queued``) and whether a drain must start.
        """
        with self._lock:
            if self._pending or self._draining:
                self._pending.append(edit)
                return Submitted(VoteSaveEvent("queued", edit), False)
            # busy_ms=0: the first attempt never waits for another writer's lock.
            event = self._attempt(edit, busy_ms=0)
            if event.kind != "retrying":
                return Submitted(event, False)
            self._pending.append(edit)
            self._draining = True
            return Submitted(VoteSaveEvent("queued", edit, detail=event.detail), True)

    def drain(self, on_event: Callable[[VoteSaveEvent], None]) -> None:
        """Retry the queued edits in order until all land, the reviewer gives up, or it closes.

        Args:
            on_event: called (in this thread) with each edit's ``retrying`` (once per edit),
                ``saved``, ``failed`` or ``dropped`` event.
        """
        told: VoteEdit | None = None
        while (edit := self._next_to_drain(on_event)) is not None:
            # Not under the lock: submit() must never wait while the database does.
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

    def _next_to_drain(self, on_event: Callable[[VoteSaveEvent], None]) -> VoteEdit | None:
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
            on_event(VoteSaveEvent("dropped", edit))
        return None

    def give_up(self) -> None:
        """Stop retrying: the waiting edits come back as ``dropped`` events from ``drain``."""
        with self._lock:
            if self._draining:
                self._give_up = True
        self._wake.set()

    def pending(self) -> tuple[VoteEdit, ...]:
        """The edits not yet committed, oldest first."""
        with self._lock:
            return tuple(self._pending)

    def can_undo(self) -> bool:
        """True when an undo would find a change to undo once the queue has landed."""
        with self._lock:
            waiting = sum(1 if e.kind != "undo" else -1 for e in self._pending)
            return len(self._history) + waiting > 0

    def close(self) -> tuple[VoteEdit, ...]:
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

    def _attempt(self, edit: VoteEdit, busy_ms: int) -> VoteSaveEvent:
        """Try to commit one edit (submit and drain never run this at the same time)."""
        try:
            repo = self._writer()
            repo.db.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            if not self._registered:
                repo.ensure_reviewer(edit.reviewer, self._group)
                self._registered = True
            change = self._apply(repo, edit)
        except sqlite3.OperationalError as exc:
            kind: EventKind = "retrying" if is_lock_error(exc) else "failed"
            return VoteSaveEvent(kind, edit, detail=str(exc))
        except (sqlite3.DatabaseError, ValueError) as exc:
            return VoteSaveEvent("failed", edit, detail=str(exc))
        return VoteSaveEvent("saved", edit, change)

    def _writer(self) -> VoteRepo:
        """The writing connection, opened on first use."""
        if self._repo is None:
            self._repo = self._open_repo()
        return self._repo

    def _apply(self, repo: VoteRepo, edit: VoteEdit) -> VoteChange | None:
        """Commit one edit; record it for undo, or walk the undo history back one step."""
        if edit.kind == "undo":
            if not self._history:
                return None
            target = self._history[-1]
            repo.restore(target)
            self._history.pop()
            return target
        key = edit.key
        if key is None:
            raise ValueError(f"a {edit.kind} edit needs a comparison turn")
        if edit.kind == "vote":
            change = repo.set_vote(
                key, edit.reviewer, edit.choice, shown_a=edit.shown_a or "", blind=edit.blind
            )
        elif edit.kind == "note":
            change = repo.set_note(key, edit.reviewer, edit.note, shown_a=edit.shown_a)
        else:
            change = repo.set_flags(key, edit.reviewer, edit.flags, shown_a=edit.shown_a)
        self._history.append(change)
        return change


def unsaved_lines(edits: tuple[VoteEdit, ...], drafts: dict[PairKey, str]) -> list[str]:
    """Plain lines naming the pair edits and comments that never reached the database.

    Args:
        edits: edits still queued when the session closed.
        drafts: comments not yet saved, by comparison turn.

    Returns:
        One line per lost change; comments are quoted in full.
    """
    lines = [f"not saved: {_where(e.key)}{e.describe()}" for e in edits if e.kind != "note"]
    lines.extend(f"not saved: {_where(key)}comment {text!r}" for key, text in drafts.items())
    return lines


def _where(key: PairKey | None) -> str:
    """``Q81 phi-3 vs phi-3-dpo turn 1 `` or nothing."""
    return f"Q{key.question_id} {key.model_1} vs {key.model_2} turn {key.turn} " if key else ""
