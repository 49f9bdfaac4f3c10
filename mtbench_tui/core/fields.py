"""Typed field access on JSONL rows: every failure names the field."""

from __future__ import annotations

from typing import Any

from mtbench_tui.core.jsonl import Row

_MISSING = object()


def get_int(row: Row, name: str) -> int:
    """A required integer field (booleans are rejected)."""
    value = _get(row, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise row.error(name, f"expected an integer, got {_describe(value)}")
    return value


def get_str(row: Row, name: str, *, optional: bool = False, non_empty: bool = False) -> str | None:
    """A string field; optional fields may be absent or null."""
    value = row.data.get(name, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    value = _get(row, name)
    if not isinstance(value, str):
        raise row.error(name, f"expected a string, got {_describe(value)}")
    if non_empty and not value.strip():
        raise row.error(name, "must not be empty")
    return value


def get_number(row: Row, name: str, *, optional: bool = False) -> float | int | None:
    """A numeric field, kept as given (int or float)."""
    value = row.data.get(name, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    value = _get(row, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise row.error(name, f"expected a number, got {_describe(value)}")
    if value != value:  # NaN never equals itself
        raise row.error(name, "expected a number, got NaN")
    return value


def get_two_turns(row: Row, value: Any, name: str) -> tuple[str, str]:
    """A list of exactly two strings: the two turns of an MT-Bench conversation."""
    if not isinstance(value, list):
        raise row.error(name, f"expected a list of 2 strings, got {_describe(value)}")
    if len(value) != 2:
        raise row.error(name, f"expected 2 turns, got {len(value)}")
    for index, turn in enumerate(value):
        if not isinstance(turn, str):
            raise row.error(f"{name}[{index}]", f"expected a string, got {_describe(turn)}")
    return value[0], value[1]


def get_str_list(row: Row, name: str) -> tuple[str, ...] | None:
    """An optional list of strings."""
    value = row.data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise row.error(name, f"expected a list of strings, got {_describe(value)}")
    return tuple(value)


def get_choice_turns(row: Row) -> tuple[str, str]:
    """The two turns of ``choices[0]`` in a FastChat answer row."""
    choices = _get(row, "choices")
    if not isinstance(choices, list) or not choices:
        raise row.error("choices", f"expected a non-empty list, got {_describe(choices)}")
    first = choices[0]
    if not isinstance(first, dict):
        raise row.error("choices[0]", f"expected an object, got {_describe(first)}")
    if "turns" not in first:
        raise row.error("choices[0].turns", "missing")
    return get_two_turns(row, first["turns"], "choices[0].turns")


def _get(row: Row, name: str) -> Any:
    """A required field's raw value."""
    if name not in row.data:
        raise row.error(name, "missing")
    return row.data[name]


def _describe(value: Any) -> str:
    """A short description of a JSON value for error messages."""
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
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind.get(type(value), type(value).__name__)} {shown}"
