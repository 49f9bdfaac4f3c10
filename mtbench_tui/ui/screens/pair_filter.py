"""The pair filter dialog: category, model, turn, progress, judge verdict, inconsistent, differs."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from mtbench_tui.core.store.pair_filter import (
    PROGRESS_CHOICES,
    VERDICT_CHOICES,
    PairFilter,
    VoteProgress,
)
from mtbench_tui.ui.text import literal

_VERDICT_LABELS = {
    "decisive": "one answer wins",
    "tie": "tie",
    "error": "no verdict (an order failed)",
    "judged": "any verdict",
    "unjudged": "not judged",
}
_PROGRESS_LABELS = {"unvoted": "turns left to vote on", "voted": "fully voted"}


class PairFilterDialog(ModalScreen[PairFilter | None]):
    """Edit the pair queue's filter. Ctrl+S or Apply applies, Escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="pair-filter.cancel"),
        Binding("ctrl+s", "apply", "apply", id="pair-filter.apply"),
    ]

    def __init__(
        self, current: PairFilter, categories: list[str], models: list[str] | None
    ) -> None:
        """``models`` None leaves the model filter out (model names are hidden)."""
        super().__init__(classes="dialog-screen")
        self.current = current
        self.categories = categories
        self.models = models

    def compose(self) -> ComposeResult:
        c = self.current
        with VerticalScroll(classes="dialog filter-dialog"):
            yield Label("Filter the comparisons", classes="dialog-title")
            with Grid(classes="filter-grid"):
                yield Label("Category")
                yield self._select("category", self.categories, c.category, "any category")
                if self.models is not None:
                    yield Label("Model")
                    yield self._select("model", self.models, c.model, "any model (either side)")
                yield Label("Turn")
                yield Select(
                    [("turn 1", 1), ("turn 2", 2)],
                    value=c.turn or Select.NULL,
                    id="turn",
                    prompt="both turns",
                    compact=True,
                )
                yield Label("Progress")
                yield Select(
                    [(label, value) for value, label in _PROGRESS_LABELS.items()],
                    value=Select.NULL if c.progress == "all" else c.progress,
                    id="progress",
                    prompt="all comparisons",
                    compact=True,
                )
                yield Label("Judge")
                yield Select(
                    [(_VERDICT_LABELS[v], v) for v in VERDICT_CHOICES],
                    value=c.verdict or Select.NULL,
                    id="verdict",
                    prompt="any verdict or none",
                    compact=True,
                )
            yield Checkbox(
                "only inconsistent verdicts (orders disagree)", c.inconsistent, id="inconsistent"
            )
            yield Checkbox("only where my vote differs from the judge", c.differs, id="differs")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Label("Tab moves · Ctrl+S applies · Esc cancels", classes="dialog-help")

    def _select(
        self, widget_id: str, names: list[str], value: str | None, prompt: str
    ) -> Select[str]:
        """A Select over names from the data: each option is shown literally."""
        return Select(
            [(literal(name), name) for name in names],
            value=value or Select.NULL,
            id=widget_id,
            prompt=prompt,
            compact=True,
        )

    def _value(self, widget_id: str) -> str | None:
        """A text Select's value, or None when unset or absent."""
        found = self.query(f"#{widget_id}")
        if not found:
            return None
        value = found.only_one(Select).value
        return value if isinstance(value, str) else None

    def _turn(self) -> int | None:
        """The chosen turn, or None for both."""
        value = self.query_one("#turn", Select).value
        return value if isinstance(value, int) else None

    def _progress(self) -> VoteProgress:
        """The chosen progress condition."""
        value = self._value("progress")
        return next((p for p in PROGRESS_CHOICES if p == value), "all")

    def action_apply(self) -> None:
        """Return the filter as edited (the order by disagreement is kept)."""
        self.dismiss(
            replace(
                self.current,
                category=self._value("category"),
                model=self._value("model"),
                turn=self._turn(),
                progress=self._progress(),
                verdict=self._value("verdict"),
                inconsistent=self.query_one("#inconsistent", Checkbox).value,
                differs=self.query_one("#differs", Checkbox).value,
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
        self.dismiss(PairFilter())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
