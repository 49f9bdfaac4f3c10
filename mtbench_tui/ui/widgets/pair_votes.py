"""The reviewer's own votes on both turns: clickable A / B / tie, save status, note and flags."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from mtbench_tui.core.models import FLAG_LABELS
from mtbench_tui.core.pair_choices import CHOICES, vote_choice
from mtbench_tui.core.pair_models import PairVote
from mtbench_tui.ui.text import literal


class ChoiceCell(Static):
    """One clickable choice (A, B or tie) in a ChoiceBar."""

    def __init__(self, turn: int, choice: str) -> None:
        super().__init__(choice, classes=f"choice-cell choice-{choice.lower()}")
        self.turn = turn
        self.choice = choice

    def on_click(self, event: events.Click) -> None:
        """Clicking a choice votes it."""
        event.stop()
        self.post_message(ChoiceBar.Chosen(self.turn, self.choice))


class ChoiceBar(Horizontal):
    """A, B and tie for one turn; the chosen one is highlighted."""

    class Chosen(Message):
        """The reviewer clicked a choice."""

        def __init__(self, turn: int, choice: str) -> None:
            self.turn = turn
            self.choice = choice
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"choice-bar-{turn}", classes="choice-bar")
        self.turn = turn

    def compose(self) -> ComposeResult:
        for choice in CHOICES:
            yield ChoiceCell(self.turn, choice)

    def mark(self, choice: str | None) -> None:
        """Highlight the chosen cell."""
        for cell in self.query(ChoiceCell):
            cell.set_class(cell.choice == choice, "-chosen")


_SAID = {"A": "A is better", "B": "B is better", "tie": "tie"}


class TurnVote(Vertical):
    """One turn's vote row: label with status, choice bar, note and flags."""

    class Selected(Message):
        """The reviewer clicked this row."""

        def __init__(self, turn: int) -> None:
            self.turn = turn
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"turn-vote-{turn}", classes="turn-rating turn-vote")
        self.turn = turn

    def compose(self) -> ComposeResult:
        yield Static(id=f"turn-vote-label-{self.turn}", classes="turn-rating-label")
        yield ChoiceBar(self.turn)
        yield Static(id=f"turn-vote-extra-{self.turn}", classes="turn-rating-extra")

    def show(self, vote: PairVote | None, status: str) -> None:
        """Display this turn's vote and save status."""
        choice = vote_choice(vote) if vote else None
        label = Text.assemble(
            (f"Turn {self.turn}", "bold"), "  ", _SAID.get(choice or "", "not voted")
        )
        self.query_one(f"#turn-vote-label-{self.turn}", Static).update(label)
        self.query_one(ChoiceBar).mark(choice)
        extra = [status] if status else []
        if vote and vote.flags:
            extra.append("⚑ " + ", ".join(FLAG_LABELS.get(f, f) for f in vote.flags))
        if vote and vote.note:
            extra.append("✎ " + vote.note)
        self.query_one(f"#turn-vote-extra-{self.turn}", Static).update(literal("\n".join(extra)))

    def on_click(self, event: events.Click) -> None:
        """Clicking the row focuses the turn."""
        self.post_message(self.Selected(self.turn))


class PairVotePanel(Vertical):
    """Both turns' votes."""

    def __init__(self, keys: str = "a / b / t", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = keys
        """The voting keys as the reviewer types them (``--keys`` may remap them)."""

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Your vote  ({self.keys})", style="bold"), id="vote-title")
        yield TurnVote(1)
        yield TurnVote(2)

    def show(self, votes: dict[int, PairVote], focused: int, status: dict[int, str]) -> None:
        """Display the reviewer's votes; the focused turn's row is highlighted."""
        for row in self.query(TurnVote):
            row.show(votes.get(row.turn), status.get(row.turn, ""))
            row.set_class(row.turn == focused, "-focused")
