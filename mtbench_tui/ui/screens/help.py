"""The ? help screen: every key of the screen it was opened from, with what it does."""

from __future__ import annotations

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


def help_rows(screen: Screen) -> list[tuple[str, str]]:
    """The (key, description) rows for a screen: its own curated list, else its bindings."""
    rows = getattr(screen, "help_rows", None)
    if callable(rows):
        return rows()
    return [
        (b.key_display or describe_key(b), b.tooltip or b.description)
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.description
    ]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen underneath."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "close")]

    def __init__(self, source: Screen) -> None:
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
            yield Label(
                "Mouse: click a turn to focus it, click a score to set it. Esc closes.",
                classes="dialog-help",
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
