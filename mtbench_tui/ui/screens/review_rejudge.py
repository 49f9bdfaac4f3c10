"""The review screen's 'j' key: ask the configured judge again about the item on screen, in a
worker.

The job runs on the app's loop, but every database write goes through its own thread and
connection, so a locked database never freezes the screen: the judge panel says the
re-judge waits, and the verdicts land when the lock goes. Re-judging never changes the
judge the screen compares against.
"""

from __future__ import annotations

from textual import work

from mtbench_tui.core.judge.job_types import JobSummary
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.models import ItemKey
from mtbench_tui.ui.screens.rejudge_common import NO_JUDGE, Rejudging, show_event
from mtbench_tui.ui.screens.review_state import ReviewState
from mtbench_tui.ui.text import say


class RejudgeMixin(ReviewState):
    """Re-judging, mixed into ReviewScreen; one re-judge at a time."""

    _job: Rejudging | None = None

    def action_rejudge(self) -> None:
        """Ask the configured judge again about this conversation."""
        if self.view is None:
            return
        if self.judge_settings is None:
            say(self, NO_JUDGE, severity="error", timeout=10)
            return
        if self._job is not None:
            say(self, f"Still {self._job.running()} Wait for it to finish.", severity="warning")
            return
        item = self.view.key
        model = self.judge_settings.judge_model
        self._job = Rejudging(f"Q{item.question_id} {item.model}", model)
        self.rejudging = self._job.running()
        say(self, f"Re-judging Q{item.question_id} {item.model} with {model}…")
        self._rejudge(item, self.judge_settings)

    @work(group="rejudge", exit_on_error=False)
    async def _rejudge(self, item: ItemKey, settings: JudgeSettings) -> None:
        """Run the core judge job; each turn is reported as it lands."""
        try:
            result = await rejudge(self.session.store, item, settings, self._rejudge_event)
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
        self.rejudging = show_event(self, job, self.rejudging, event)

    def _rejudged(self, item: ItemKey, result: JobSummary) -> None:
        """Show the new verdicts if they are the compared judge's; otherwise say where they went."""
        for error in result.errors:
            say(self, f"Re-judge error: {error}", severity="error", timeout=10)
        if result.judge and result.judge != self.session.judge:
            say(
                self,
                f"The new verdicts are stored under judge {result.judge}; this screen still"
                f" compares against {self.session.judge or 'no judge'}"
                " (Ctrl+P → compare against… to switch).",
                timeout=10,
            )
            return
        if self.view is not None and self.view.key == item:
            self._reload()
