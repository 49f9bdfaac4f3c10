"""The statistics' threads allocate from one malloc arena (glibc), so freed memory is shared."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

PROBE = """
import ctypes, sys
import numpy as np
from mtbench_tui.core.stats import parallel
if sys.argv[1] == "pool":
    work = lambda i: float(np.random.default_rng(i).random(50_000).sum())
    parallel.map_all(work, range(8))
else:
    import threading
    threads = [threading.Thread(target=lambda: [bytearray(1000) for _ in range(10_000)])
               for _ in range(2)]
    for t in threads: t.start()
    for t in threads: t.join()
ctypes.CDLL("libc.so.6").malloc_stats()
"""


def arenas(mode: str) -> int:
    """How many malloc arenas a child process used (glibc's malloc_stats on stderr)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        capture_output=True,
        text=True,
        check=True,
        env={"MTBENCH_REVIEW_THREADS": "2", "PATH": ""},
    )
    return sum(line.startswith("Arena ") for line in result.stderr.splitlines())


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's")
def test_pool_threads_share_the_main_arena() -> None:
    assert arenas("plain") > 1  # the probe can tell: plain threads get arenas of their own
    assert arenas("pool") == 1
