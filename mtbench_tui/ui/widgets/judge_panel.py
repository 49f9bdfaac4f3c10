"""The judge's verdict on the focused turn: score (or 'no verdict'), judge, prompt, explanation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mtbench_tui.core.models import Judgment
from mtbench_tui.ui.text import literal


class JudgePanel(VerticalScroll, can_focus=False):
    """Shows one verdict, or a placeholder while blind mode hides it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[object, ...] | None = None
        """The arguments of the last ``show``, so a redraw with the same verdict does nothing."""

    def compose(self) -> ComposeResult:
        yield Static(id="judge-title")
        yield Static(id="judge-status")
        yield Static(id="judge-score")
        yield Static(id="judge-meta")
        yield Static(id="judge-explanation")

    def show(
        self,
        turn: int,
        verdict: Judgment | None,
        judge: str | None,
        hidden: bool,
        status: str = "",
    ) -> None:
        """Display the verdict for a turn.

        Args:
            turn: the focused turn.
            verdict: the judge's verdict, or None when this judge has none for the turn.
            judge: the judge label the app is showing.
            hidden: True in blind mode until the reviewer has scored this turn.
            status: a re-judge in progress ("" when none).
        """
        note = self.query_one("#judge-status", Static)
        note.update(literal(status))
        note.display = bool(status)
        shown = (turn, verdict, judge, hidden)
        if self._shown == shown:
            return  # redrawn for another reason (a save): keep the reader's scroll position
        self._shown = shown
        self.query_one("#judge-title", Static).update(Text(f"Judge · turn {turn}", style="bold"))
        score = self.query_one("#judge-score", Static)
        meta = self.query_one("#judge-meta", Static)
        explanation = self.query_one("#judge-explanation", Static)
        self.set_class(hidden, "-hidden")
        if hidden:
            score.update(Text("hidden", style="italic"))
            meta.update(
                Text("Blind mode: the verdict appears once you score this turn.", style="italic")
            )
            explanation.update("")
        elif verdict is None:
            score.update(Text("no judgment", style="italic"))
            meta.update(literal(f"{judge or 'no judge'} has not judged this turn."))
            explanation.update("")
        else:
            value = "no verdict" if verdict.score is None else f"{verdict.score:g} / 10"
            score.update(Text(value, style="bold"))
            meta.update(literal(f"{verdict.judge_model} · prompt {verdict.prompt}"))
            explanation.update(literal(verdict.judgment or "(empty explanation)"))
        self.set_class(verdict is not None and verdict.score is None and not hidden, "-no-verdict")
        self.scroll_home(animate=False)
