"""A helper process that imports scipy.stats and runs the audit's tests for this one.

Importing scipy.stats takes about 0.6 s of CPU, all of it holding the interpreter lock.
A report on 1M judgments bootstraps on two threads that need the lock for every numpy
call, so that import, anywhere in the report, stalled them. In a process of its own it
only takes a share of a core, and the report's process never imports it.

Requests and replies are pickles over the child's stdin and stdout; the child exits when
its stdin closes. Any failure (no process, a crash, an unknown reply) makes the caller
compute in-process instead, with the same scipy code and the same numbers.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from threading import Lock
from typing import IO, Any

_PROTOCOL = 5


def command() -> list[str]:
    """How to start the helper: this interpreter, isolated from the caller's directory.

    ``-I`` keeps the current directory (and PYTHON* variables) off ``sys.path``, so a
    stray ``numpy.py`` where the user stands can't be imported; the package's own root goes
    first, so the child runs the same code as its parent. ``-B``: no bytecode files.
    """
    root = str(Path(__file__).resolve().parents[3])
    code = (
        f"import sys; sys.path.insert(0, {root!r}); "
        "from mtbench_tui.core.stats.scipy_process import serve; serve()"
    )
    return [sys.executable, "-I", "-B", "-c", code]


class ScipyProcess:
    """The parent's handle on one helper process."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._lock = Lock()
        self._broken = False

    @classmethod
    def start(cls, argv: list[str] | None = None) -> ScipyProcess | None:
        """Start a helper (None when no process can be started)."""
        try:
            process = subprocess.Popen(
                argv or command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # never onto the app's terminal
            )
        except (OSError, ValueError, TypeError):  # TypeError: no sys.executable
            return None
        return cls(process)

    def call(self, name: str, args: tuple[Any, ...]) -> tuple[bool, Any]:
        """Run the test ``name`` on ``args`` there: (True, result), or (False, None) on failure."""
        with self._lock:
            if self._broken:
                return False, None
            pipe_in, pipe_out = self._process.stdin, self._process.stdout
            assert pipe_in is not None and pipe_out is not None
            try:
                pickle.dump((name, args), pipe_in, protocol=_PROTOCOL)
                pipe_in.flush()
                reply = pickle.load(pipe_out)
            except Exception:  # a dead pipe, or bytes that unpickle to anything or nothing
                self._broken = True
                return False, None
            if not (isinstance(reply, tuple) and len(reply) == 2 and isinstance(reply[0], bool)):
                self._broken = True
                return False, None
            return reply

    def close(self) -> None:
        """End the helper (at once, even if it is still importing) and reap it."""
        self._process.kill()  # first, unlocked: a call still waiting on it then sees EOF
        with self._lock:
            self._broken = True
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:  # unflushed bytes for a process that is gone
                        pass
            self._process.wait()

    @property
    def pid(self) -> int:
        """The helper's process id."""
        return self._process.pid


def serve(source: IO[bytes] | None = None, sink: IO[bytes] | None = None) -> None:
    """The helper's side: import scipy.stats, then answer requests until stdin closes."""
    if sink is None:
        sink = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)  # whatever else prints goes to stderr, never into the replies
    source = source or sys.stdin.buffer
    if hasattr(os, "nice"):
        # Below the report's own threads: its 0.6 s of imports are needed only when the
        # audit runs, at the end, so they should take what CPU the threads leave idle.
        os.nice(10)
    from mtbench_tui.core.stats.hypothesis_scipy import TESTS

    while True:
        try:
            name, args = pickle.load(source)
        except EOFError:
            break
        try:
            reply: tuple[bool, Any] = (True, TESTS[name](*args))
        except Exception:  # the caller runs the same test itself and sees the real error
            reply = (False, None)
        pickle.dump(reply, sink, protocol=_PROTOCOL)
        sink.flush()
