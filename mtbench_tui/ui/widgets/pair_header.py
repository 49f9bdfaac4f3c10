"""The line above a comparison: position, progress, what is compared, judge, mode and filter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mtbench_tui.core.pair_view import PairView
from mtbench_tui.core.store.pair_filter import PairFilter, PairProgress
from mtbench_tui.core.textsafe import visible_controls


class PairHeader(Static):
    """Comparison k of N, voted count, category, question, models A and B, judge, blind, filter."""

    def show(
        self,
        view: PairView | None,
        total: int,
        progress: PairProgress,
        reviewer: str,
        judge: str | None,
        modes: tuple[bool, bool],
        pair_filter: PairFilter,
    ) -> None:
        """Display the header for the current comparison (or an empty queue).

        Args:
            view: the comparison shown, or None.
            total: comparisons in the queue.
            progress: how many the reviewer has voted on.
            reviewer: who reviews.
            judge: the pair judge compared against.
            modes: (blind, hide_models).
            pair_filter: the queue's filter.
        """
        blind, hide_models = modes
        text = Text(no_wrap=False, overflow="fold")
        if view is None:
            text.append("No comparisons match this filter", style="bold")
        else:
            text.append(f"Comparison {view.entry.position} of {total}", style="bold")
            text.append(f" · {progress.voted} voted by {visible_controls(reviewer)}")
            text.append(f" · {visible_controls(view.question.category)}", style="bold")
            text.append(f" · Q{view.question.question_id}")
            if hide_models:
                text.append(" · models hidden")
            else:
                text.append(" · A ").append(visible_controls(view.answer_a.model), style="bold")
                text.append(" vs B ").append(visible_controls(view.answer_b.model), style="bold")
            if view.entry.disagreement is not None:
                text.append(f" · disagreement {view.entry.disagreement}")
        text.append(f" · judge {visible_controls(judge or 'none')}")
        if blind:
            text.append(" · BLIND", style="bold reverse")
        if pair_filter != PairFilter():
            text.append(f" · filter: {visible_controls(pair_filter.describe())}", style="italic")
        self.update(text)
