"""A worker process's lifeline: it ends as soon as its starter ends, kill -9 included."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from multiprocessing.connection import wait

PR_SET_PDEATHSIG = 1
"""prctl option: the signal the kernel sends this process when its parent thread exits."""


def die_with_parent() -> None:
    """Make this worker process end as soon as the process that started it ends.

    The kernel's parent-death signal covers Linux; the watchdog covers everything else
    and the moment before the signal was armed.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    if not parent.is_alive():
        os._exit(1)
    sentinel = parent.sentinel
    threading.Thread(target=_watch, args=(sentinel,), name="parent-watchdog", daemon=True).start()


def _watch(sentinel: int) -> None:
    """Exit at once when the parent's sentinel closes: nothing is left to report to."""
    wait([sentinel])
    os._exit(1)
