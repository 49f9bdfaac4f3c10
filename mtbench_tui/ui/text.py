"""Untrusted text as Textual renderables that can't restyle the app or reach the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text
from textual.content import Content

from mtbench_tui.core.textsafe import visible_controls

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from textual.app import App
    from textual.widget import Widget


def literal(text: str, style: str = "") -> Text:
    """Text shown exactly as written: no markup parsing, control characters made visible."""
    return Text(visible_controls(text), style=style)


def literal_content(text: str, style: str = "") -> Content:
    """``literal`` as Textual Content, for places that take Content or parse a str as markup."""
    return (
        Content.styled(visible_controls(text), style) if style else Content(visible_controls(text))
    )


def palette_help(text: str) -> str:
    """Help text for a command-palette hit, inert: the palette parses a str as markup.

    Args:
        text: The help sentence, which may name a judge or model from the data.

    Returns:
        The text as Content, typed as str for ``Hit``/``DiscoveryHit``.
    """
    # Textual types Hit.help as str, but the palette renders a Content as given (no markup).
    return literal_content(text)  # type: ignore[return-value]


def say(
    node: Widget | App[Any],
    message: str,
    *,
    severity: Literal["information", "warning", "error"] = "information",
    timeout: float | None = None,
) -> None:
    """A notification that may quote data (names, comments): never markup, controls made visible."""
    node.notify(visible_controls(message), severity=severity, timeout=timeout, markup=False)


def markdown_source(text: str) -> str:
    """Markdown source safe for the Markdown widget: control characters made visible."""
    return visible_controls(text)


def answer_parser() -> MarkdownIt:
    """A Markdown parser that keeps single line breaks, as chat answers (poems, lists) expect."""
    from markdown_it import MarkdownIt

    # html off: tags in a model's answer are shown as text, not dropped or interpreted.
    parser = MarkdownIt("gfm-like", {"html": False})

    def keep_line_breaks(state: StateCore) -> None:
        for token in state.tokens:
            for child in token.children or ():
                if child.type == "softbreak":
                    child.type = "hardbreak"

    parser.core.ruler.push("keep_line_breaks", keep_line_breaks)
    return parser
