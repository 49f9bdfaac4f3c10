"""The two-turn conversation: each user turn and the model's answer, rendered as Markdown."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Markdown

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

    def compose(self) -> ComposeResult:
        yield Label(f"Turn {self.turn} · User", classes="role user-role")
        yield Markdown(
            id=f"question-{self.turn}",
            classes="question",
            open_links=False,
            parser_factory=answer_parser,
        )
        yield Label("", id=f"assistant-label-{self.turn}", classes="role assistant-role")
        yield Markdown(
            id=f"answer-{self.turn}",
            classes="answer",
            open_links=False,
            parser_factory=answer_parser,
        )
        yield Label(f"Reference answer · turn {self.turn}", classes="role reference-role reference")
        yield Markdown(
            id=f"reference-{self.turn}",
            classes="reference",
            open_links=False,
            parser_factory=answer_parser,
        )

    async def show(self, question: str, model: str, answer: str) -> None:
        """Display one turn's user message and answer."""
        self.query_one(f"#assistant-label-{self.turn}", Label).update(
            literal(f"Assistant · {model}")
        )
        await self._set(f"#question-{self.turn}", markdown_source(question))
        await self._set(f"#answer-{self.turn}", markdown_source(answer or "(empty answer)"))

    async def _set(self, selector: str, source: str) -> None:
        """Update a Markdown widget, skipping the re-render when its text is unchanged.

        The queue runs question by question, so the next item usually repeats the user's
        message; rebuilding a Markdown widget is the costliest part of moving on.
        """
        widget = self.query_one(selector, Markdown)
        if getattr(widget, "_shown_source", None) != source:
            await widget.update(source)
            widget._shown_source = source  # type: ignore[attr-defined]

    async def show_reference(self, reference: str | None) -> None:
        """Display this turn's reference answer."""
        text = reference if reference is not None else "(no reference answer for this question)"
        await self._set(f"#reference-{self.turn}", markdown_source(text))

    def on_click(self, event: events.Click) -> None:
        """Clicking a turn focuses it."""
        self.post_message(self.Selected(self.turn))


class ConversationView(VerticalScroll):
    """Both turns, scrollable; the focused turn is highlighted."""

    def compose(self) -> ComposeResult:
        yield TurnBlock(1)
        yield TurnBlock(2)

    async def show(self, view: ItemView, show_reference: bool) -> None:
        """Display a conversation; reference answers are rendered only while shown."""
        self._view = view
        for turn in (1, 2):
            block = self.query_one(f"#turn-{turn}", TurnBlock)
            await block.show(
                view.question.turns[turn - 1], view.answer.model, view.answer.turns[turn - 1]
            )
        await self.set_reference_visible(show_reference)
        self.scroll_home(animate=False)

    async def set_reference_visible(self, visible: bool) -> None:
        """Show or hide the reference answers, rendering them when they appear."""
        self.set_class(visible, "-show-reference")
        view = getattr(self, "_view", None)
        if visible and view is not None:
            reference = view.reference_turns()
            for turn in (1, 2):
                await self.query_one(f"#turn-{turn}", TurnBlock).show_reference(
                    reference[turn - 1] if reference else None
                )

    def focus_turn(self, turn: int) -> None:
        """Highlight a turn and bring it into view."""
        for block in self.query(TurnBlock):
            block.set_class(block.turn == turn, "-focused")
        block = self.query_one(f"#turn-{turn}", TurnBlock)
        self.call_after_refresh(self.scroll_to_widget, block, animate=False, top=True)
