"""The two-turn conversation: each user turn and the model's answer, rendered as Markdown."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Markdown

from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.review import ItemView
from mtbench_tui.ui.text import answer_parser, literal, markdown_source


class TurnBlock(Vertical):
    """One turn: the user's message, the model's answer, and (when toggled) the reference answer."""

    class Selected(Message):
        """The reviewer clicked this turn."""

        def __init__(self, turn: int) -> None:
            self.turn = turn
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"turn-{turn}", classes="turn-block")
        self.turn = turn
        self._sources: dict[str, str] = {}
        """The Markdown source each widget shows, so unchanged text is not rebuilt."""

    def compose(self) -> ComposeResult:
        yield Label(f"Turn {self.turn} · User", classes="role user-role")
        yield self._markdown("question", "question")
        yield Label("", id=f"assistant-label-{self.turn}", classes="role assistant-role")
        yield self._markdown("answer", "answer")
        yield Label(f"Reference answer · turn {self.turn}", classes="role reference-role reference")
        yield self._markdown("reference", "reference")

    def _markdown(self, name: str, classes: str) -> Markdown:
        """A Markdown widget for untrusted text: links don't open, line breaks are kept."""
        return Markdown(
            id=f"{name}-{self.turn}",
            classes=classes,
            open_links=False,
            parser_factory=answer_parser,
        )

    async def show(self, question: str, model: str | None, answer: str) -> None:
        """Display one turn's user message and answer (``model`` None hides the model's name)."""
        await self._set(f"#question-{self.turn}", markdown_source(question))
        await self._set(f"#answer-{self.turn}", markdown_source(answer or "(empty answer)"))
        # The label changes last, in the same batch as the answer it names.
        label = f"Assistant · {model}" if model is not None else "Assistant"
        if self._sources.get("label") != label:
            self.query_one(f"#assistant-label-{self.turn}", Label).update(literal(label))
            self._sources["label"] = label

    async def _set(self, selector: str, source: str) -> None:
        """Update a Markdown widget, skipping the re-render when its text is unchanged.

        The queue runs question by question, so the next item usually repeats the user's
        message; rebuilding a Markdown widget is the costliest part of moving on.
        """
        if self._sources.get(selector) != source:
            await self.query_one(selector, Markdown).update(source)
            self._sources[selector] = source

    async def show_reference(self, reference: str | None) -> None:
        """Display this turn's reference answer."""
        text = reference if reference is not None else "(no reference answer for this question)"
        await self._set(f"#reference-{self.turn}", markdown_source(text))

    def on_click(self, event: events.Click) -> None:
        """Clicking a turn focuses it."""
        self.post_message(self.Selected(self.turn))


class ConversationView(VerticalScroll, can_focus=False):
    """Both turns, scrollable; the focused turn is highlighted.

    It never takes the keyboard focus, so every key goes straight to the screen in the order
    typed (the screen scrolls it with PageUp/PageDown/Home/End/arrows).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view: ItemView | None = None
        self._shown: tuple[object, ...] | None = None
        """What is on screen (item, texts, reference shown), so redrawing the same item is free."""
        self._focused: tuple[ItemKey, int] | None = None

    def compose(self) -> ComposeResult:
        yield TurnBlock(1)
        yield TurnBlock(2)

    async def show(self, view: ItemView, show_reference: bool) -> None:
        """Display a conversation; reference answers are rendered only while shown."""
        # A score or a comment changes the view but not the conversation: nothing to redo.
        shown = (view.key, view.question.turns, view.answer.turns, show_reference)
        if self._shown == shown:
            return
        new_item = self._view is None or self._view.key != view.key
        self._view = view
        for turn in (1, 2):
            block = self.query_one(f"#turn-{turn}", TurnBlock)
            await block.show(
                view.question.turns[turn - 1], view.answer.model, view.answer.turns[turn - 1]
            )
        await self._show_reference(show_reference)
        self._shown = shown
        if new_item:
            self.scroll_home(animate=False)

    async def _show_reference(self, visible: bool) -> None:
        """Show or hide the reference answers, rendering them when they appear."""
        self.set_class(visible, "-show-reference")
        if visible and self._view is not None:
            reference = self._view.reference_turns()
            for turn in (1, 2):
                await self.query_one(f"#turn-{turn}", TurnBlock).show_reference(
                    reference[turn - 1] if reference else None
                )

    def focus_turn(self, turn: int) -> None:
        """Highlight a turn, and bring it into view when the focus moved."""
        for block in self.query(TurnBlock):
            block.set_class(block.turn == turn, "-focused")
        if self._view is None or self._focused == (self._view.key, turn):
            return
        self._focused = (self._view.key, turn)
        block = self.query_one(f"#turn-{turn}", TurnBlock)
        self.call_after_refresh(self.scroll_to_widget, block, animate=False, top=True)
