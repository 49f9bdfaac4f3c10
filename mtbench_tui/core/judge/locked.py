"""Database calls of a judge run, on a thread and a connection of their own, that wait out
another program's write lock instead of failing.

The caller's event loop (the app's, when re-judging) never waits on SQLite: every call runs
on the writer thread. A write refused because another program holds the lock is retried
until it lands, so a paid reply is never dropped for a lock; the caller is told once per
call that it waits, and again when it lands. ``stop`` ends the waiting (the app is closing).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from mtbench_tui.core.saving import is_lock_error
from mtbench_tui.core.store import Store

T = TypeVar("T")

ATTEMPT_MS = 250
"""How long one attempt waits for the lock inside SQLite before the caller is told it waits."""
PAUSE_SECONDS = 0.25
"""Pause between attempts while the lock is held."""

OnLock = Callable[[bool, str], None]
"""Told on the caller's loop: (True, why) when a call starts waiting, (False, '') when it lands."""


class LockedWriter:
    """Runs ``fn(store, *args)`` calls in order on one thread, on a store it opens there."""

    def __init__(self, open_store: Callable[[], Store], on_lock: OnLock, name: str) -> None:
        self._open_store = open_store
        self._on_lock = on_lock
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=name)
        self._store: Store | None = None
        self._stopped = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(store, *args)`` on the writer thread, retrying while the database is locked.

        Args:
            fn: a function of the writer's store and ``args``.
            *args: its other arguments.

        Returns:
            What ``fn`` returned.

        Raises:
            sqlite3.OperationalError: still locked after ``stop``, or another database error.
        """
        self._loop = asyncio.get_running_loop()
        return await self._loop.run_in_executor(self._thread, self._retrying, fn, args)

    def stop(self) -> None:
        """Stop waiting for locks: a call still waiting fails after its current attempt."""
        self._stopped.set()

    async def close(self) -> None:
        """Close the connection on its thread and let the thread go (waiting ends first)."""
        self.stop()
        if self._store is not None:
            store, self._store = self._store, None
            await asyncio.get_running_loop().run_in_executor(self._thread, store.close)
        self._thread.shutdown(wait=False)

    def _retrying(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        """Call ``fn`` until no lock stands in its way (on the writer thread)."""
        waited = False
        while True:
            try:
                result = fn(self._connection(), *args)
            except sqlite3.OperationalError as exc:
                if not is_lock_error(exc) or self._stopped.is_set():
                    raise
                if not waited:
                    waited = True
                    self._tell(True, str(exc))
                self._stopped.wait(PAUSE_SECONDS)
                continue
            if waited:
                self._tell(False, "")
            return result

    def _connection(self) -> Store:
        """The writer's store, opened on first use with a short wait per attempt."""
        if self._store is None:
            self._store = self._open_store()
            self._store.db.execute(f"PRAGMA busy_timeout = {ATTEMPT_MS}")
        return self._store

    def _tell(self, waiting: bool, why: str) -> None:
        """Report waiting or landing on the caller's loop (ignored once that loop has closed)."""
        if self._loop is None:
            return
        try:
            self._loop.call_soon_threadsafe(self._on_lock, waiting, why)
        except RuntimeError:
            pass  # the caller's loop is gone (the app closed): nobody is left to tell
