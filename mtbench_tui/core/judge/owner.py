"""Which process owns a judge run, and whether it is still alive (so a killed run can be closed)."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def owner_token(pid: int | None = None) -> str:
    """``host:pid:start`` for a process; start tells a reused pid from the original one.

    Args:
        pid: the process (default: this one).

    Returns:
        The token stored with a run.
    """
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or ''}"


def owner_alive(token: str | None) -> bool:
    """Whether the process that wrote ``token`` may still be running.

    A run owned by another host can't be checked from here, so it counts as alive.

    Args:
        token: a value of ``owner_token``, or None for a run without one.

    Returns:
        False only when the owner is known to be gone.
    """
    parts = (token or "").split(":")
    if len(parts) < 3 or not parts[-2].isdigit():
        return False
    host, pid, start = ":".join(parts[:-2]), int(parts[-2]), parts[-1]
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's live process
    fields = _stat_fields(pid)
    if fields is None:
        return True
    # A zombie has stopped for good; a different start time means the pid was reused.
    return fields[0] != "Z" and not (start and fields[19] != start)


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), else None."""
    fields = _stat_fields(pid)
    return fields[19] if fields else None


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat from the state field on (Linux), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses; fields after the last ')' are fixed.
    fields = stat.rpartition(")")[2].split()
    return fields if len(fields) > 19 else None
