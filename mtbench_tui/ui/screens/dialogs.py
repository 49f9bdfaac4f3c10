"""Small modal dialogs: comment, flags, jump to question."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Input, Label, SelectionList
from textual.widgets.selection_list import Selection

from mtbench_tui.core.models import FLAG_LABELS, FLAGS
from mtbench_tui.ui.text import literal


class CommentDialog(ModalScreen[str | None]):
    """Edit the comment on a turn. Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, turn: int, note: str, *, draft: bool = False) -> None:
        super().__init__(classes="dialog-screen")
        self.turn = turn
        self.note = note
        self.draft = draft
        """True when ``note`` is an earlier comment the database never took."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = f"Comment on turn {self.turn}"
            yield Label(title + (" (unsaved draft)" if self.draft else ""), classes="dialog-title")
            yield Input(
                value=self.note,
                placeholder="What should others know about this answer?",
                id="comment",
            )
            yield Label(
                literal("Enter saves · Esc cancels · an empty comment clears it"),
                classes="dialog-help",
            )

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        """Return the comment."""
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class FlagsDialog(ModalScreen[tuple[str, ...] | None]):
    """Toggle the flags on a turn with 1-3 or Space; Enter saves, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("enter", "save", "save", priority=True),
        Binding("1", "toggle_flag(0)", "judge wrong", show=False),
        Binding("2", "toggle_flag(1)", "answer unreadable", show=False),
        Binding("3", "toggle_flag(2)", "question ambiguous", show=False),
    ]

    def __init__(self, turn: int, flags: tuple[str, ...]) -> None:
        super().__init__(classes="dialog-screen")
        self.turn = turn
        self.flags = flags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Flags on turn {self.turn}", classes="dialog-title")
            yield SelectionList[str](
                *[
                    Selection(f"{i + 1}  {FLAG_LABELS[f]}", f, f in self.flags)
                    for i, f in enumerate(FLAGS)
                ],
                id="flags",
            )
            yield Label("1-3 or Space toggles · Enter saves · Esc cancels", classes="dialog-help")

    def action_toggle_flag(self, index: int) -> None:
        """Toggle one flag."""
        self.query_one(SelectionList).toggle(FLAGS[index])

    def action_save(self) -> None:
        """Return the chosen flags."""
        self.dismiss(tuple(sorted(self.query_one(SelectionList).selected)))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class GotoDialog(ModalScreen[int | None]):
    """Jump to a question id."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, example: int | None) -> None:
        super().__init__(classes="dialog-screen")
        self.example = example
        """A question id that exists, for the placeholder."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Go to question id", classes="dialog-title")
            yield Input(
                placeholder=f"e.g. {self.example}" if self.example is not None else "question id",
                validators=[Integer(minimum=0)],
                id="goto",
                type="integer",
            )
            yield Label("Enter jumps · Esc cancels", classes="dialog-help")

    @on(Input.Submitted)
    def jump(self, event: Input.Submitted) -> None:
        """Return the question id when it is a number."""
        if event.value and (event.validation_result is None or event.validation_result.is_valid):
            self.dismiss(int(event.value))

    def action_cancel(self) -> None:
        """Close without jumping."""
        self.dismiss(None)
