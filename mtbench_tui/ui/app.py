"""The Textual app. It is handed its store and settings; the CLI and the tests build it the same way."""

from __future__ import annotations

from textual.app import App

from mtbench_tui.core.judge.rejudge import JudgeSettings
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
    ) -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.queue_filter = queue_filter
        self.blind = blind
        self.judge = judge
        self.judge_settings = judge_settings

    def on_mount(self) -> None:
        """Open the review screen."""
        session = ReviewSession(self.store, self.reviewer, self.queue_filter, judge=self.judge)
        self.push_screen(ReviewScreen(session, self.blind, self.judge_settings))


def make_app(
    store: Store,
    reviewer: str,
    queue_filter: QueueFilter | None = None,
    blind: bool = False,
    judge: str | None = None,
    judge_settings: JudgeSettings | None = None,
) -> ReviewApp:
    """Build the app from its dependencies; used by the CLI and by tests alike.

    Args:
        store: the open database.
        reviewer: whose ratings are read and written.
        queue_filter: which items to review.
        blind: hide verdicts until the reviewer has scored each turn.
        judge: the judge to show (default: the one with the most verdicts).
        judge_settings: the judge the 'j' key calls to re-judge an item (None: not configured).

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
    )
