"""The reviewer's own scores for both turns: clickable 1-10 bars, save status, note and flags."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from mtbench_tui.core.models import FLAG_LABELS, SCORES, Rating
from mtbench_tui.ui.text import literal


class ScoreCell(Static):
    """One clickable score in a ScoreBar."""

    def __init__(self, turn: int, score: int) -> None:
        super().__init__(str(score), classes="score-cell")
        self.turn = turn
        self.score = score

    def on_click(self, event: events.Click) -> None:
        """Clicking a score rates the turn."""
        event.stop()
        self.post_message(ScoreBar.Chosen(self.turn, self.score))


class ScoreBar(Horizontal):
    """Scores 1-10 for one turn; the chosen one is highlighted."""

    class Chosen(Message):
        """The reviewer clicked a score."""

        def __init__(self, turn: int, score: int) -> None:
            self.turn = turn
            self.score = score
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"score-bar-{turn}", classes="score-bar")
        self.turn = turn

    def compose(self) -> ComposeResult:
        for score in SCORES:
            yield ScoreCell(self.turn, score)

    def mark(self, score: int | None) -> None:
        """Highlight the chosen score."""
        for cell in self.query(ScoreCell):
            cell.set_class(cell.score == score, "-chosen")


class TurnRating(Vertical):
    """One turn's rating row: label, score bar and status."""

    class Selected(Message):
        """The reviewer clicked this row's label."""

        def __init__(self, turn: int) -> None:
            self.turn = turn
            super().__init__()

    def __init__(self, turn: int) -> None:
        super().__init__(id=f"turn-rating-{turn}", classes="turn-rating")
        self.turn = turn

    def compose(self) -> ComposeResult:
        yield Static(id=f"turn-rating-label-{self.turn}", classes="turn-rating-label")
        yield ScoreBar(self.turn)
        yield Static(id=f"turn-rating-extra-{self.turn}", classes="turn-rating-extra")

    def show(self, rating: Rating | None, status: str, waiting: tuple[str, ...] = ()) -> None:
        """Display this turn's rating, its save status, and the edits still waiting to be saved."""
        score = rating.score if rating else None
        shown = f"score {score}" if score else "not scored"
        label = Text.assemble((f"Turn {self.turn}", "bold"), "  ")
        if waiting:
            # While the database is locked the stored score is stale: say so instead.
            label.append(status or "not saved", "bold reverse")
        else:
            label.append(shown)
            label.append(f"  {status}" if status else "", "italic")
        self.query_one(f"#turn-rating-label-{self.turn}", Static).update(label)
        self.query_one(ScoreBar).mark(score)
        extra = []
        if waiting:
            extra.append("waiting: " + ", ".join(waiting))
        if rating and rating.flags:
            extra.append("⚑ " + ", ".join(FLAG_LABELS.get(f, f) for f in rating.flags))
        if rating and rating.note:
            extra.append("✎ " + rating.note)
        self.query_one(f"#turn-rating-extra-{self.turn}", Static).update(literal("\n".join(extra)))

    def on_click(self, event: events.Click) -> None:
        """Clicking the row focuses the turn."""
        self.post_message(self.Selected(self.turn))


class RatingPanel(Vertical):
    """Both turns' ratings."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Your rating", style="bold"), id="rating-title")
        yield TurnRating(1)
        yield TurnRating(2)

    def show(
        self,
        ratings: dict[int, Rating],
        focused: int,
        status: dict[int, str],
        waiting: dict[int, tuple[str, ...]],
    ) -> None:
        """Display the reviewer's ratings; the focused turn's row is highlighted."""
        for turn in (1, 2):
            row = self.query_one(f"#turn-rating-{turn}", TurnRating)
            row.show(ratings.get(turn), status.get(turn, ""), waiting.get(turn, ()))
            row.set_class(turn == focused, "-focused")
