"""Stream JSON Lines files row by row, with errors that name the file, line and field."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class InputError(Exception):
    """Bad input: carries the file, line and field so the user can fix it."""

    def __init__(self, path: Path | str, line: int, field: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
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


def iter_rows(path: Path, progress: ProgressCallback | None = None) -> Iterator[Row]:
    """Yield each non-blank line of a JSONL file as a Row, without reading the whole file.

    Args:
        path: the file to read.
        progress: optional callback given the bytes consumed by each line.

    Yields:
        Rows whose data is a JSON object.

    Raises:
        InputError: for a line that is not UTF-8, not JSON, or not a JSON object.
    """
    with open(path, "rb") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if progress is not None:
                progress(len(raw))
            text = _decode(path, line_no, raw)
            if not text.strip():
                continue
            yield Row(path, line_no, _parse_object(path, line_no, text))


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
    if not isinstance(data, dict):
        raise InputError(path, line_no, None, f"expected a JSON object, got {type(data).__name__}")
    return data
