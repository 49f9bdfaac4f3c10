"""Stream JSON Lines files row by row, with errors that name the file, line and field."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

READ_BLOCK = 1 << 22
"""Bytes read from a file at a time (4 MiB): big enough to amortise Python's per-read cost."""


class InputError(Exception):
    """Bad input: carries the file, line and field so the user can fix it."""

    def __init__(self, path: Path | str, line: int, field: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        # Line 0 means the problem is the file itself, not one of its lines.
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


@dataclass(frozen=True)
class Row:
    """One parsed line: the decoded object and where it came from."""

    path: Path
    line: int
    data: dict[str, Any]

    def error(self, field: str | None, message: str) -> InputError:
        """An InputError pointing at this row."""
        return InputError(self.path, self.line, field, message)


ProgressCallback = Callable[[int], None]
"""Called with the number of bytes consumed since the last call."""


def open_regular(path: Path) -> BinaryIO:
    """Open a file for binary reading, refusing anything that is not a regular file.

    The type is checked before opening (a FIFO would block ``open`` forever, ``/dev/zero``
    would never end) and again on the open descriptor, in case the path changed between.

    Args:
        path: the file to open; symlinks are followed.

    Returns:
        The open file.

    Raises:
        InputError: naming the file, for a missing file, a dangling symlink, a symlink loop,
            a directory, a device, FIFO or socket, or a file that cannot be read.
    """
    regular_size(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(path, 0, None, f"cannot open: {exc.strerror or exc}") from None
    try:
        _require_regular(path, os.fstat(fd).st_mode)
    except InputError:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def regular_size(path: Path) -> int:
    """The size of a regular file, checked without opening it.

    Raises:
        InputError: for anything ``open_regular`` would refuse before opening.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, 0, None, _stat_problem(path, exc)) from None
    _require_regular(path, info.st_mode)
    return info.st_size


def _stat_problem(path: Path, exc: OSError) -> str:
    """Say what is wrong with a path that cannot be looked at."""
    if exc.errno == errno.ELOOP:
        return "symlink loop: the link never reaches a file"
    if exc.errno == errno.ENOENT:
        return (
            "dangling symlink: its target does not exist" if path.is_symlink() else "no such file"
        )
    return f"cannot read: {exc.strerror or exc}"


def _require_regular(path: Path, mode: int) -> None:
    """Refuse directories, devices, FIFOs and sockets."""
    if stat.S_ISREG(mode):
        return
    kind = (
        "a directory"
        if stat.S_ISDIR(mode)
        else "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise InputError(path, 0, None, f"is {kind}, not a JSONL file")


def iter_lines(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[int, list[bytes]]]:
    """Yield the lines of a file in blocks, as (number of the first line, raw lines).

    Lines are split on ``\\n`` only, as the line numbers of a text editor count them.
    Progress is reported once per block, not once per line.

    Args:
        path: the file to read (refused unless it is a regular file).
        progress: optional callback given the bytes consumed by each block.

    Yields:
        The 1-based number of the block's first line and the block's lines, without ``\\n``.

    Raises:
        InputError: when the file cannot be opened or read.
    """
    line_no = 1
    with open_regular(path) as handle:
        tail = b""
        while True:
            try:
                block = handle.read(READ_BLOCK)
            except OSError as exc:
                raise InputError(path, line_no, None, f"read failed: {exc.strerror}") from None
            if not block:
                break
            lines = (tail + block).split(b"\n")
            tail = lines.pop()
            if progress is not None:
                progress(len(block))
            if lines:
                yield line_no, lines
                line_no += len(lines)
        if tail:
            yield line_no, [tail]


def iter_rows(path: Path, progress: ProgressCallback | None = None) -> Iterator[Row]:
    """Yield each non-blank line of a JSONL file as a Row, without reading the whole file.

    Args:
        path: the file to read.
        progress: optional callback given the bytes consumed.

    Yields:
        Rows whose data is a JSON object.

    Raises:
        InputError: for a file that can't be read, or a line that is not UTF-8, not JSON,
            or not a JSON object.
    """
    for first, lines in iter_lines(path, progress):
        for offset, raw in enumerate(lines):
            row = parse_line(path, first + offset, raw)
            if row is not None:
                yield row


def parse_line(path: Path, line_no: int, raw: bytes) -> Row | None:
    """Decode one line as a JSON object; None for a blank line.

    Args:
        path: the file, for error messages.
        line_no: the 1-based line number.
        raw: the line's bytes, without its newline.

    Returns:
        The Row, or None when the line holds only whitespace.

    Raises:
        InputError: for invalid UTF-8, broken or too deeply nested JSON, or a non-object.
    """
    text = _decode(path, line_no, raw)
    if not text.strip():
        return None
    return Row(path, line_no, _parse_object(path, line_no, text))


def _decode(path: Path, line_no: int, raw: bytes) -> str:
    """Decode one line as UTF-8, tolerating a byte-order mark on the first line."""
    if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            line_no,
            None,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
        ) from None


def _parse_object(path: Path, line_no: int, text: str) -> dict[str, Any]:
    """Parse a line as a JSON object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, line_no, None, f"broken JSON: {exc.msg} at column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError(path, line_no, None, "JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(path, line_no, None, f"expected a JSON object, got {type(data).__name__}")
    return data
