"""Run independent numpy work on two threads (numpy and BLAS release the GIL while they work).

BLAS itself is kept to one thread meanwhile: its own threads, spinning on a busy machine,
made small matrix products up to 30 times slower than one thread.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from threading import Lock, Thread
from typing import Any, TypeVar

from mtbench_tui.core.stats import memory

T = TypeVar("T")
R = TypeVar("R")


def _workers() -> int:
    """``MTBENCH_REVIEW_THREADS`` if set (1 runs everything in the caller), else up to 2."""
    try:
        return max(1, int(os.environ.get("MTBENCH_REVIEW_THREADS", "")))
    except ValueError:
        return min(2, os.cpu_count() or 1)


WORKERS = _workers()
"""Threads for chunks of work (the report's bootstrap)."""

_pool: ThreadPoolExecutor | None = None
_lock = Lock()


def _executor() -> ThreadPoolExecutor:
    """The shared pool, started on first use."""
    global _pool
    with _lock:
        if _pool is None:
            memory.one_arena()  # before the threads exist: they would each get an arena
            _pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="mtbench-stats")
        return _pool


def map_all(work: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``list(map(work, items))``, every item queued on the pool at once.

    The threads take items as they finish others, so items of unequal size even out;
    the caller waits for all of them.

    Args:
        work: a function of one item (thread-safe).
        items: the items.

    Returns:
        Each item's result, in the items' order.
    """
    items = list(items)
    if WORKERS < 2 or len(items) < 2:
        return [work(i) for i in items]
    pool = _executor()
    futures = [pool.submit(work, i) for i in items]
    return [f.result() for f in futures]


def submit(work: Callable[[T], R], item: T) -> Future[R]:
    """Run ``work(item)`` on the pool (at once in the caller with one worker).

    Args:
        work: a function of one item (thread-safe).
        item: its argument.

    Returns:
        The future of its result.
    """
    if WORKERS < 2:
        done: Future[R] = Future()
        try:
            done.set_result(work(item))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits, as a pool would
            done.set_exception(exc)
        return done
    return _executor().submit(work, item)


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS uses one thread (no-op without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return nullcontext()
    limits: AbstractContextManager[Any] = threadpool_limits(limits=1, user_api="blas")
    return limits


def preload(module: str) -> None:
    """Start importing a slow module on a background thread (the caller imports it later).

    Args:
        module: the module's name.
    """
    memory.one_arena()
    Thread(target=_quiet_import, args=(module,), daemon=True, name=f"preload-{module}").start()


def _quiet_import(module: str) -> None:
    """Import a module; a failure is left for the real import to report."""
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 - the caller's own import raises it properly
        pass
