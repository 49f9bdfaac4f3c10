"""Typed field access on JSONL rows: every failure names the field."""

from __future__ import annotations

import math
import re
import reprlib
from datetime import datetime, timezone
from typing import Any

from mtbench_tui.core.jsonl import Row

_MISSING = object()

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
"""SQLite stores integers in 64 bits; a larger one cannot be kept, so it is refused as input."""

_REPR = reprlib.Repr()
_REPR.maxstring = 40
_REPR.maxother = 40
_REPR.maxlist = 4
_REPR.maxdict = 4
_REPR.maxlevel = 2


def get_int(row: Row, name: str) -> int:
    """A required integer field that fits in 64 bits (booleans are rejected)."""
    return check_int(row, name, _get(row, name))


def check_int(row: Row, name: str, value: Any) -> int:
    """Validate a value as a 64-bit integer (booleans are rejected)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise row.error(name, f"expected an integer, got {describe(value)}")
    if not INT64_MIN <= value <= INT64_MAX:
        raise row.error(name, f"integer {value} is out of range (at most 64 bits)")
    return value


def get_turn(row: Row) -> int:
    """The turn of a two-turn conversation, 1 or 2."""
    turn = get_int(row, "turn")
    if turn not in (1, 2):
        raise row.error("turn", f"expected 1 or 2, got {turn}")
    return turn


def get_str(row: Row, name: str, *, optional: bool = False, non_empty: bool = False) -> str | None:
    """A string field; optional fields may be absent or null."""
    value = row.data.get(name, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    return check_str(row, name, _get(row, name), non_empty=non_empty)


def check_str(row: Row, name: str, value: Any, *, non_empty: bool = False) -> str:
    """Validate a value as a string of valid Unicode (no lone surrogates)."""
    if not isinstance(value, str):
        raise row.error(name, f"expected a string, got {describe(value)}")
    if non_empty and not value.strip():
        raise row.error(name, "must not be empty")
    if not value.isascii():
        _check_unicode(row, name, value)
    return value


def _check_unicode(row: Row, name: str, value: str) -> None:
    """Refuse lone UTF-16 surrogates (``\\ud800``): JSON allows them, UTF-8 and SQLite don't."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        raise row.error(
            name, f"contains a lone surrogate \\u{code:04x} at character {exc.start + 1}"
        ) from None


def get_number(row: Row, name: str, *, optional: bool = False) -> float | int | None:
    """A finite numeric field, kept as given (int or float)."""
    value = row.data.get(name, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    return check_number(row, name, _get(row, name))


def check_number(row: Row, name: str, value: Any) -> float | int:
    """Validate a value as a finite number that SQLite can store."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise row.error(name, f"expected a number, got {describe(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise row.error(name, f"expected a finite number, got {value}")
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise row.error(name, f"number {value} is out of range (at most 64 bits)")
    return value


def get_bool(row: Row, name: str, default: bool = False) -> bool:
    """An optional boolean field (absent or null gives the default)."""
    value = row.data.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise row.error(name, f"expected true or false, got {describe(value)}")
    return value


def get_two_turns(row: Row, value: Any, name: str) -> tuple[str, str]:
    """A list of exactly two strings: the two turns of an MT-Bench conversation."""
    if not isinstance(value, list):
        raise row.error(name, f"expected a list of 2 strings, got {describe(value)}")
    if len(value) != 2:
        raise row.error(name, f"expected 2 turns, got {len(value)}")
    first = check_str(row, f"{name}[0]", value[0])
    return first, check_str(row, f"{name}[1]", value[1])


def get_str_list(row: Row, name: str) -> tuple[str, ...] | None:
    """An optional list of strings."""
    value = row.data.get(name)
    if value is None:
        return None
    return check_str_list(row, name, value)


def check_str_list(row: Row, name: str, value: Any) -> tuple[str, ...]:
    """Validate a value as a list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise row.error(name, f"expected a list of strings, got {describe(value)}")
    return tuple(check_str(row, f"{name}[{i}]", v) for i, v in enumerate(value))


def get_choice_turns(row: Row) -> tuple[str, str]:
    """The two turns of ``choices[0]`` in a FastChat answer row."""
    choices = _get(row, "choices")
    if not isinstance(choices, list) or not choices:
        raise row.error("choices", f"expected a non-empty list, got {describe(choices)}")
    first = choices[0]
    if not isinstance(first, dict):
        raise row.error("choices[0]", f"expected an object, got {describe(first)}")
    if "turns" not in first:
        raise row.error("choices[0].turns", "missing")
    return get_two_turns(row, first["turns"], "choices[0].turns")


def _get(row: Row, name: str) -> Any:
    """A required field's raw value."""
    if name not in row.data:
        raise row.error(name, "missing")
    return row.data[name]


def describe(value: Any) -> str:
    """A short description of a JSON value for error messages (never more than ~40 characters)."""
    if value is None:
        return "null"
    kind = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "list",
        dict: "object",
    }
    return f"{kind.get(type(value), type(value).__name__)} {_REPR.repr(value)}"


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")


def check_timestamp(row: Row, name: str, value: Any) -> str:
    """Validate an ISO 8601 time with a zone; return it as the app writes it (UTC, ms, ``Z``).

    One format matters because ratings are merged by comparing ``updated`` as text.
    """
    text = check_str(row, name, value)
    if _ISO.fullmatch(text):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            utc = moment.astimezone(timezone.utc)
            return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    raise row.error(
        name, f"expected an ISO 8601 time like 2026-02-11T10:10:00.000Z, got {describe(value)}"
    )
