"""The pair review screen's j key: ask the configured judge again about the comparison on
screen, in both answer orders and both turns, in a worker.

The job runs on the app's loop, but every database write goes through its own thread and
connection, so a locked database never freezes the screen: the judge panel says the
re-judge waits, and the verdicts land when the lock goes. Re-judging never changes the
judge the screen compares votes with.
"""

from __future__ import annotations

from textual import work

from mtbench_tui.core.judge.job_types import JobSummary
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge_order, rejudge_pair
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.store.pair_filter import Comparison
from mtbench_tui.ui.screens.pair_state import PairState
from mtbench_tui.ui.screens.rejudge_common import NO_JUDGE, Rejudging, show_event
from mtbench_tui.ui.text import say


class PairRejudgeMixin(PairState):
    """Re-judging, mixed into PairReviewScreen; one re-judge at a time."""

    _job: Rejudging | None = None

    def action_rejudge(self) -> None:
        """Ask the configured judge again about this comparison (both orders, both turns)."""
        view, settings = self.view, self.judge_settings
        if view is None:
            return
        if settings is None:
            say(self, NO_JUDGE, severity="error", timeout=10)
            return
        if self._job is not None:
            say(self, f"Still {self._job.running()} Wait for it to finish.", severity="warning")
            return
        item = view.item
        try:
            models = (item.model_1, item.model_2)
            order = rejudge_order(
                self.session.store, item.question_id, models, settings, self.session.judge
            )
        except Exception as exc:  # noqa: BLE001 - a bad prompts file: shown, nothing sent
            say(self, f"Re-judge failed: {exc}", severity="error", timeout=10)
            return
        self._job = Rejudging(f"Q{item.question_id}", settings.judge_model)
        self.rejudging = self._job.running()
        say(self, f"Re-judging Q{item.question_id} with {settings.judge_model}: both orders…")
        self._rejudge_pair(item, order, settings)

    @work(group="rejudge", exit_on_error=False)
    async def _rejudge_pair(
        self, item: Comparison, order: tuple[str, str], settings: JudgeSettings
    ) -> None:
        """Run the core job; each order of each turn is reported as it lands."""
        store = self.session.store
        try:
            result = await rejudge_pair(
                store, item.question_id, *order, settings, self._rejudge_event
            )
        except Exception as exc:  # noqa: BLE001 - shown to the reviewer; nothing is stored
            say(self, f"Re-judge failed: {exc}", severity="error", timeout=10)
            return
        finally:
            self._job = None
            self.rejudging = ""
        self._rejudged(item, result)

    def _rejudge_event(self, event: Event) -> None:
        """Show progress, errors and waits for a locked database."""
        job = self._job
        if job is None:
            return
        # The event's label names both models, which --hide-models keeps hidden.
        at = event.label.rfind(" turn ")
        hidden = job.what + (event.label[at:] if at >= 0 else "")
        label = hidden if self.hide_models else None
        # Four replies (two orders of two turns) arrive at once: only problems get a notice
        # each, and one line sums up at the end.
        self.rejudging = show_event(self, job, self.rejudging, event, label, each_reply=False)

    def _rejudged(self, item: Comparison, result: JobSummary) -> None:
        """Show the new verdicts when they are the compared judge's; else say where they went."""
        for error in result.errors:
            say(self, f"Re-judge error: {error}", severity="error", timeout=10)
        turns = result.totals.comparisons
        done = f"Re-judged Q{item.question_id}: {turns} turn{'' if turns == 1 else 's'} judged"
        done += " in both orders"
        if result.judge and result.judge != self.session.judge:
            say(
                self,
                f"{done}, stored under judge {result.judge}; this screen still compares votes"
                f" with {self.session.judge or 'no judge'} (Ctrl+P → compare votes with… to"
                " switch).",
                timeout=10,
            )
            return
        say(self, f"{done}; the new verdict is shown.")
        if self.view is not None and self.view.item == item:
            self._reload()
        self.progress = self.session.progress()
