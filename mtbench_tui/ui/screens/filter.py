"""The filter dialog: category, model, turn, progress (all, rated, unrated) and a minimum gap.

Category and model names come from data, so every option is a ``Text`` built from the string:
markup in a name shows literally and control characters are made visible.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import Number
from textual.widgets import Button, Input, Label, Select

from mtbench_tui.core.store import QueueFilter
from mtbench_tui.core.store.queue import PROGRESS_CHOICES, Progress
from mtbench_tui.ui.text import literal


class FilterDialog(ModalScreen[QueueFilter | None]):
    """Edit the queue filter. Ctrl+S or Apply applies, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        Binding("ctrl+s", "apply", "apply", priority=True),
    ]

    def __init__(self, current: QueueFilter, categories: list[str], models: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.current = current
        self.categories = categories
        self.models = models

    def compose(self) -> ComposeResult:
        c = self.current
        with VerticalScroll(classes="dialog filter-dialog"):
            yield Label("Filter the review queue", classes="dialog-title")
            with Grid(classes="filter-grid"):
                yield Label("Category")
                yield Select(
                    [(literal(x), x) for x in self.categories],
                    value=c.category or Select.NULL,
                    id="category",
                    prompt="any category",
                    compact=True,
                )
                yield Label("Model")
                yield Select(
                    [(literal(x), x) for x in self.models],
                    value=c.model or Select.NULL,
                    id="model",
                    prompt="any model",
                    compact=True,
                )
                yield Label("Turn")
                yield Select(
                    [("turn 1", 1), ("turn 2", 2)],
                    value=c.turn or Select.NULL,
                    id="turn",
                    prompt="both turns",
                    compact=True,
                )
                yield Label("Min gap")
                yield Input(
                    "" if c.min_gap is None else f"{c.min_gap:g}",
                    id="min-gap",
                    compact=True,
                    validators=[Number(minimum=0, maximum=9)],
                    placeholder="|you - judge| at least…",
                )
                yield Label("Progress")
                yield Select(
                    [
                        ("all items", "all"),
                        ("only items I haven't fully scored", "unrated"),
                        ("only items I have scored", "rated"),
                    ],
                    value=c.progress,
                    id="progress",
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label("Tab moves · Ctrl+S applies · Esc cancels", classes="dialog-help")

    def _value(self, widget_id: str) -> str | None:
        """A text Select's value, or None when unset."""
        value = self.query_one(f"#{widget_id}", Select).value
        return value if isinstance(value, str) else None

    def _turn(self) -> int | None:
        """The chosen turn, or None for both."""
        value = self.query_one("#turn", Select).value
        return value if isinstance(value, int) else None

    def _progress(self) -> Progress:
        """The progress choice (the Select has no blank)."""
        value = self._value("progress")
        return next((p for p in PROGRESS_CHOICES if p == value), "all")

    def action_apply(self) -> None:
        """Return the filter as edited."""
        gap_text = self.query_one("#min-gap", Input).value.strip()
        try:
            min_gap = float(gap_text) if gap_text else None
        except ValueError:
            self.notify("The minimum gap must be a number", severity="error")
            return
        self.dismiss(
            QueueFilter(
                category=self._value("category"),
                model=self._value("model"),
                turn=self._turn(),
                progress=self._progress(),
                min_gap=min_gap,
                by_gap=self.current.by_gap,
            )
        )

    def action_cancel(self) -> None:
        """Close without changing the filter."""
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#clear")
    def _clear_pressed(self) -> None:
        self.dismiss(QueueFilter())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
