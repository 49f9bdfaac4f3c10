"""The ? help screen: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static


def describe_key(binding: Binding) -> str:
    """A readable key name."""
    names = {
        "question_mark": "?",
        "slash": "/",
        "enter": "Enter",
        "tab": "Tab",
        "right": "→",
        "left": "←",
        "escape": "Esc",
        "shift+tab": "Shift+Tab",
    }
    return ", ".join(names.get(k.strip(), k.strip()) for k in binding.key.split(","))


_KEY_NAMES = {
    "tab": "Tab",
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "question_mark": "?",
    "slash": "/",
    "enter": "⏎",
}


def key_names(
    ids: Sequence[str],
    bindings: Sequence[Binding],
    keymap: Mapping[str, str],
    sep: str = " / ",
) -> str:
    """The keys of some bindings as the reviewer types them, remapped ones (``--keys``) included.

    Args:
        ids: binding ids, in the order to show them.
        bindings: where to find them.
        keymap: binding id to key, from ``--keys``.
        sep: between two keys.

    Returns:
        For example ``a / b / t``, or ``z / b / t`` when ``a`` was remapped to ``z``.
    """
    by_id = {b.id: b for b in bindings if b.id}
    shown = []
    for binding_id in ids:
        binding = by_id[binding_id]
        if binding_id in keymap:
            key = keymap[binding_id]
            shown.append(_KEY_NAMES.get(key, key))
        else:
            shown.append(binding.key_display or _KEY_NAMES.get(binding.key, binding.key))
    return sep.join(shown)


@runtime_checkable
class HasHelpMouse(Protocol):
    """A screen that says what the mouse does on it."""

    def help_mouse(self) -> str:
        """One line about the mouse."""
        ...


@runtime_checkable
class HasHelpRows(Protocol):
    """A screen with its own curated (key, description) rows for the help."""

    def help_rows(self) -> list[tuple[str, str]]:
        """The rows, in the order shown."""
        ...


def help_mouse(screen: Screen[Any]) -> str:
    """What the mouse does on a screen, from its ``help_mouse`` (nothing when it has none)."""
    return screen.help_mouse() if isinstance(screen, HasHelpMouse) else ""


def help_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """The (key, description) rows for a screen: its own curated list, else its bindings."""
    if isinstance(screen, HasHelpRows):
        return screen.help_rows()
    return [
        (b.key_display or describe_key(b), b.tooltip or b.description)
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.description
    ]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "close")]

    def __init__(self, source: Screen[Any]) -> None:
        super().__init__(classes="dialog-screen")
        self.source = source

    def compose(self) -> ComposeResult:
        rows = [*help_rows(self.source), ("Ctrl+P", "Command palette: every key by name.")]
        table = Table(show_header=False, box=None, padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key_name, text in rows:
            table.add_row(key_name, text)
        with VerticalScroll(classes="dialog help-dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(table)
            mouse = help_mouse(self.source)
            yield Label(f"{mouse} Esc closes." if mouse else "Esc closes.", classes="dialog-help")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
