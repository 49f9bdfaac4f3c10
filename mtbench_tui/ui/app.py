"""The Textual app. It is handed its store and settings; the CLI and the tests build it the same way."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.review import ReviewSession
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.ui.commands import ScreenKeysProvider
from mtbench_tui.ui.screens.review import ReviewScreen


class ReviewApp(App[None]):
    """mtbench-review: rate MT-Bench answers beside the judge's verdicts."""

    CSS_PATH = "app.tcss"
    TITLE = "mtbench-review"
    COMMANDS = App.COMMANDS | {ScreenKeysProvider}

    def __init__(
        self,
        store: Store,
        reviewer: str,
        queue_filter: QueueFilter,
        blind: bool = False,
        judge: str | None = None,
        judge_settings: JudgeSettings | None = None,
        mode: str = "single",
        pair: PairSettings | None = None,
    ) -> None:
        super().__init__()
        self.review_mode = mode
        self.pair = pair or PairSettings()
        self.store = store
        self.reviewer = reviewer
        self.queue_filter = queue_filter
        self.blind = blind
        self.judge = judge
        self.judge_settings = judge_settings

    def on_mount(self) -> None:
        """Open the review screen of the chosen mode."""
        self.push_screen(self.review_screen(self.review_mode))

    def review_screen(self, mode: str) -> Screen[None]:
        """A fresh review screen: single ratings, or pairwise votes (``mode="pair"``)."""
        if mode == "pair":
            from mtbench_tui.ui.screens.pair_review import open_pair_screen

            return open_pair_screen(self.store, self.reviewer, self.blind, self.pair)
        session = ReviewSession(self.store, self.reviewer, self.queue_filter, judge=self.judge)
        return ReviewScreen(session, self.blind, self.judge_settings)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands, plus switching between single and pairwise review."""
        yield from super().get_system_commands(screen)
        other = "single" if self.review_mode == "pair" else "pair"
        title = "Pairwise review (A / B / tie)" if other == "pair" else "Single review (1-10)"
        yield SystemCommand(
            f"Switch to {title}", f"Review in {other} mode", self.action_switch_review_mode
        )

    def action_switch_review_mode(self) -> None:
        """Swap the review screen for the other mode's (refused while edits wait to be saved)."""
        waiting = getattr(self.screen, "pending_edits", lambda: 0)()
        if waiting:
            self.notify("Changes still wait for a locked database; try again when saved.")
            return
        self.review_mode = "single" if self.review_mode == "pair" else "pair"
        self.switch_screen(self.review_screen(self.review_mode))


def make_app(
    store: Store,
    reviewer: str,
    queue_filter: QueueFilter | None = None,
    blind: bool = False,
    judge: str | None = None,
    judge_settings: JudgeSettings | None = None,
    mode: str = "single",
    pair: PairSettings | None = None,
) -> ReviewApp:
    """Build the app from its dependencies; used by the CLI and by tests alike.

    Args:
        store: the open database.
        reviewer: whose ratings are read and written.
        queue_filter: which items to review.
        blind: hide verdicts until the reviewer has scored each turn.
        judge: the judge to show (default: the one with the most verdicts).
        judge_settings: the judge the 'j' key calls to re-judge an item (None: not configured).
        mode: ``single`` (rate 1-10) or ``pair`` (vote A / B / tie).
        pair: how pair review opens (filter, judge, group, hidden model names).

    Returns:
        The app, ready to run.
    """
    return ReviewApp(
        store,
        reviewer,
        queue_filter or QueueFilter(),
        blind=blind,
        judge=judge,
        judge_settings=judge_settings,
        mode=mode,
        pair=pair,
    )
