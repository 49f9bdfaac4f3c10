"""The real `mtbench-review` command in a pseudo-terminal: keys in, SIGKILL, and what survives."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from mtbench_tui.core.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class Terminal:
    """A child process on a pty of a given size, with a reader that drains its output."""

    def __init__(
        self, args: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)
    ) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execvpe(args[0], args, env)
        cols, rows = size
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = b""

    def drain(self, seconds: float) -> None:
        """Read whatever the app draws for a while."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def send(self, keys: str) -> None:
        """Type keys."""
        os.write(self.fd, keys.encode())

    def kill(self) -> None:
        """SIGKILL: no cleanup, no exit handlers."""
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def wait_for(predicate, terminal: Terminal, timeout: float = 20.0) -> None:
    """Keep draining the terminal until ``predicate()`` holds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        terminal.drain(0.1)
    raise AssertionError("condition not met in time")


def rating_count(db: Path) -> int:
    """Ratings visible to a fresh connection."""
    if not db.exists():
        return 0
    store = Store.open(db)
    try:
        return store.db.execute("SELECT COUNT(*) FROM ratings WHERE score IS NOT NULL").fetchone()[
            0
        ]
    finally:
        store.close()


def app_env(tmp_path: Path) -> dict[str, str]:
    """Environment for the child: a real terminal type, the test's HOME."""
    env = dict(
        os.environ, TERM="xterm-256color", HOME=str(tmp_path / "home"), MTBENCH_REVIEWER="kim"
    )
    env.pop("TEXTUAL", None)
    return env


def exe() -> str:
    """The installed console script."""
    return str(Path(sys.executable).parent / "mtbench-review")


@pytest.mark.slow
def test_sigkill_loses_nothing_shown_as_saved(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    term = Terminal([exe(), "--db", str(db)], app_env(tmp_path))
    try:
        wait_for(lambda: b"Item 1 of 48" in term.output, term)
        for keys, expected in (("7", 1), ("\t8", 2), ("\r", 2), ("3", 3)):
            term.send(keys)
            wait_for(lambda n=expected: rating_count(db) == n, term)
        wait_for(lambda: term.output.count("saved ✓".encode()) >= 3, term)
    finally:
        term.kill()
    ratings = subprocess.run(
        [exe(), "ratings", "--db", str(db), "--json"], capture_output=True, text=True, check=True
    )
    rows = json.loads(ratings.stdout)
    assert [(r["turn"], r["score"], r["reviewer"]) for r in rows] == [
        (1, 7, "kim"),
        (2, 8, "kim"),
        (1, 3, "kim"),
    ]


@pytest.mark.slow
def test_first_launch_imports_demo_and_quit_key_exits(tmp_path: Path) -> None:
    db = tmp_path / "first.db"
    term = Terminal([exe(), "--db", str(db)], app_env(tmp_path))
    try:
        wait_for(lambda: b"Item 1 of 48" in term.output, term)
        term.send("5q")
        _, status = os.waitpid(term.pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        try:
            os.close(term.fd)
        except OSError:
            pass
    assert rating_count(db) == 1
