"""The review screen's 'j' key: ask the configured judge again about the item on screen, in a worker."""

from __future__ import annotations

from textual import work

from mtbench_tui.core.judge.job_types import JobSummary
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.models import ItemKey
from mtbench_tui.ui.screens.review_state import ReviewState
from mtbench_tui.ui.text import say


class RejudgeMixin(ReviewState):
    """Re-judging, mixed into ReviewScreen. It never changes the judge the screen compares against."""

    def action_rejudge(self) -> None:
        """Ask the configured judge again about this conversation."""
        if self.view is None:
            return
        if self.judge_settings is None:
            say(
                self,
                "No judge configured: start with --judge-model NAME (and --base-url for a local"
                " server); the key comes from $OPENAI_API_KEY.",
                severity="error",
                timeout=10,
            )
            return
        item = self.view.key
        model = self.judge_settings.judge_model
        say(self, f"Re-judging Q{item.question_id} {item.model} with {model}…")
        self._rejudge(item, self.judge_settings)

    @work(exclusive=True, group="rejudge")
    async def _rejudge(self, item: ItemKey, settings: JudgeSettings) -> None:
        """Run the core judge job on the app's loop; each turn is reported as it lands."""
        try:
            result = await rejudge(self.session.store, item, settings, self._rejudge_event)
        except Exception as exc:  # noqa: BLE001 - shown to the reviewer; nothing is stored
            say(self, f"Re-judge failed: {exc}", severity="error", timeout=10)
            return
        self._rejudged(item, result)

    def _rejudge_event(self, event: Event) -> None:
        """Show progress and errors from the re-judge."""
        if event.kind == "failed":
            say(self, f"{event.label}: {event.detail}", severity="error", timeout=10)
        elif event.kind == "retry":
            say(self, f"{event.label}: retrying ({event.detail})", severity="warning")
        else:
            detail = f" ({event.detail})" if event.detail else ""
            say(self, f"{event.label}: new verdict{detail}")

    def _rejudged(self, item: ItemKey, result: JobSummary) -> None:
        """Show the new verdicts when they are the compared judge's; otherwise say where they went."""
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
