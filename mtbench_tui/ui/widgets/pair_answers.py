"""Both turns of a comparison: the user's message, then answers A and B side by side (or stacked
on a narrow terminal), and the reference answer when it is toggled on."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Markdown

from mtbench_tui.core.pair_view import PairView
from mtbench_tui.core.store.pair_filter import Comparison
from mtbench_tui.ui.text import answer_parser, literal, markdown_source

SIDES = ("a", "b")


def answer_label(side: str, model: str, hide_models: bool) -> str:
    """The heading over an answer: ``A · model``, or ``Answer A`` when names are hidden."""
    return f"Answer {side.upper()}" if hide_models else f"{side.upper()} · {model}"


class PairTurnBlock(Vertical):
    """One turn: the user's message, answers A and B, and (when toggled) the reference."""

    class Selected(Message):
        """The reviewer clicked this turn."""

        def __init__(self, turn: int) -> None:
            self.turn = turn
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"pair-turn-{turn}", classes="turn-block pair-turn")
        self.turn = turn
        self._sources: dict[str, str] = {}
        """The Markdown source each widget shows, so unchanged text is not rebuilt."""

    def compose(self) -> ComposeResult:
        t = self.turn
        yield Label(f"Turn {t} · User", classes="role user-role")
        yield self._markdown(f"pair-question-{t}", "question")
        with Horizontal(classes="pair-answers"):
            for side in SIDES:
                with Vertical(classes=f"answer-pane answer-{side}"):
                    yield Label("", id=f"answer-label-{side}-{t}", classes=f"role label-{side}")
                    yield self._markdown(f"answer-{side}-{t}", "answer")
        yield Label(f"Reference answer · turn {t}", classes="role reference-role reference")
        yield self._markdown(f"pair-reference-{t}", "reference")

    def _markdown(self, widget_id: str, classes: str) -> Markdown:
        """A Markdown widget for untrusted text: links don't open, line breaks are kept."""
        return Markdown(
            id=widget_id, classes=classes, open_links=False, parser_factory=answer_parser
        )

    async def show(self, view: PairView, hide_models: bool) -> None:
        """Display this turn of a comparison in the reviewer's order."""
        t = self.turn
        await self._set(f"pair-question-{t}", view.question.turns[t - 1])
        for side, answer in zip(SIDES, (view.answer_a, view.answer_b)):
            await self._set(f"answer-{side}-{t}", answer.turns[t - 1] or "(empty answer)")
            label = answer_label(side, answer.model, hide_models)
            self.query_one(f"#answer-label-{side}-{t}", Label).update(literal(label))

    async def show_reference(self, reference: str | None) -> None:
        """Display this turn's reference answer."""
        text = reference if reference is not None else "(no reference answer for this question)"
        await self._set(f"pair-reference-{self.turn}", text)

    async def _set(self, widget_id: str, text: str) -> None:
        """Update a Markdown widget, skipping the re-render when its text is unchanged."""
        source = markdown_source(text)
        if self._sources.get(widget_id) != source:
            await self.query_one(f"#{widget_id}", Markdown).update(source)
            self._sources[widget_id] = source

    def on_click(self, event: events.Click) -> None:
        """Clicking a turn focuses it."""
        self.post_message(self.Selected(self.turn))


class PairConversation(VerticalScroll, can_focus=False):
    """Both turns, scrollable; the focused turn is highlighted.

    It never takes the keyboard focus, so every key reaches the screen in the order typed.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: PairView | None = None
        self._shown: tuple[Comparison, bool, bool] | None = None
        self._focused: tuple[Comparison, int] | None = None

    def compose(self) -> ComposeResult:
        yield PairTurnBlock(1)
        yield PairTurnBlock(2)

    async def show(self, view: PairView, show_reference: bool, hide_models: bool) -> None:
        """Display a comparison; reference answers are rendered only while shown."""
        state = (view.item, show_reference, hide_models)
        if self._shown == state and self._view == view:
            return
        new_item = self._view is None or self._view.item != view.item
        self._view = view
        for block in self.query(PairTurnBlock):
            await block.show(view, hide_models)
        await self._show_reference(show_reference)
        self._shown = state
        if new_item:
            self._focused = None
            self.scroll_home(animate=False)

    async def _show_reference(self, visible: bool) -> None:
        """Show or hide the reference answers, rendering them when they appear."""
        self.set_class(visible, "-show-reference")
        if visible and self._view is not None:
            reference = self._view.reference_turns()
            for block in self.query(PairTurnBlock):
                await block.show_reference(reference[block.turn - 1] if reference else None)

    def focus_turn(self, turn: int) -> None:
        """Highlight a turn, and bring it into view when the focus moved."""
        for block in self.query(PairTurnBlock):
            block.set_class(block.turn == turn, "-focused")
        if self._view is None or self._focused == (self._view.item, turn):
            return
        self._focused = (self._view.item, turn)
        block = self.query_one(f"#pair-turn-{turn}", PairTurnBlock)
        self.call_after_refresh(self.scroll_to_widget, block, animate=False, top=True)
