"""Text from models is data: make it inert for terminals, Rich markup, and spreadsheets."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, which include CSI 0x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible_controls(text: str) -> str:
    r"""Replace control characters with a visible escape (ESC -> ``\x1b``), keeping newlines and tabs.

    An ANSI sequence in a model's answer then shows as the characters ``\x1b[31m``
    instead of recolouring the terminal.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\r\n", "\n"))


def inert(text: str) -> str:
    """Text safe to pass to Rich as markup: controls made visible, square brackets escaped."""
    from rich.markup import escape

    return escape(visible_controls(text))


def csv_cell(value: object) -> object:
    """Neutralise a spreadsheet formula: a text cell starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
