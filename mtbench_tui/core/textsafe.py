"""Text from data is inert: control, bidi and invisible characters made visible, markup escaped.

One helper for every surface: the terminal, the app, Markdown, HTML, CSV and JSON.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, LRM/RLM, embeddings and overrides, isolates: they reorder text."""
_INVISIBLE = "\u00ad\u200b\u2028\u2029\u2060-\u2064\ufeff\ufff9-\ufffb"
"""Soft hyphen, zero-width space, line/paragraph separators, word joiners, BOM, annotations."""
_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f"
"""C0 controls except tab and newline, DEL, and C1 controls (0x9b is a one-byte CSI)."""

_CONTROL = re.compile(f"[{_C0_C1}{_BIDI}{_INVISIBLE}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}{_INVISIBLE}]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(char: str) -> str:
    r"""A visible escape: ``\x1b`` for C0/C1 controls, ``\u202e`` above."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    r"""Replace control, bidi and invisible characters with visible escapes, keeping \n and \t.

    An ANSI sequence in a model's answer then shows as the characters ``\x1b[31m``
    instead of recolouring the terminal, and ``m\u202eevil`` shows as written instead
    of reversed.

    Args:
        text: untrusted text.

    Returns:
        The text with every such character spelled out.
    """
    return _CONTROL.sub(lambda m: _escape(m.group()), text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """Untrusted text for a single-line cell: controls visible, whitespace runs as one space.

    Args:
        text: untrusted text.

    Returns:
        One line of inert text.
    """
    return " ".join(visible_controls(text).split())


def inert(text: str) -> str:
    """Text safe to pass to Rich as markup: controls made visible, square brackets escaped.

    Args:
        text: untrusted text.

    Returns:
        Markup that shows the text literally.
    """
    from rich.markup import escape

    return escape(visible_controls(text))


def rich_text(text: str, style: str = "") -> Text:
    """A Rich Text shown exactly as written: never parsed as markup, controls made visible.

    Args:
        text: untrusted text.
        style: a style for the whole text.

    Returns:
        The Text.
    """
    from rich.text import Text

    return Text(visible_controls(text), style=style)


def json_safe(encoded: str) -> str:
    r"""JSON text with C1, bidi and invisible characters written as ``\uXXXX`` escapes.

    ``json.dumps(..., ensure_ascii=False)`` already escapes C0 controls; this keeps the
    rest out of the file too, so ``cat report.json`` can't drive a terminal. The data
    is unchanged: a JSON reader decodes the escapes back.

    Args:
        encoded: JSON text.

    Returns:
        The same JSON document.
    """
    if encoded.isascii():  # nothing to escape: skip the scan of a report's megabytes
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet won't run: formulas neutralised, controls made visible.

    A text cell whose first non-blank character is = + - @ (or that starts with a tab or
    CR) gets a leading quote, so ``' =1+2'`` and ``'\\n=1+1'`` stay text too.

    Args:
        value: the cell's value; only strings are changed.

    Returns:
        The value to write.
    """
    if not isinstance(value, str):
        return value
    text = visible_controls(value)
    if text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text
