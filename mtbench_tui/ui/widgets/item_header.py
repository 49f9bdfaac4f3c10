"""The line above the conversation: position in the queue, progress, and what is being reviewed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mtbench_tui.core.review import ItemView
from mtbench_tui.core.store import QueueFilter
from mtbench_tui.core.textsafe import visible_controls


class ItemHeader(Static):
    """Item k of N, rated count, category, model, question id, judge, mode and filter."""

    def show(
        self,
        view: ItemView | None,
        total: int,
        rated: int,
        reviewer: str,
        judge: str | None,
        blind: bool,
        queue_filter: QueueFilter,
    ) -> None:
        """Display the header for the current item (or an empty queue)."""
        text = Text(no_wrap=False, overflow="fold")
        if view is None:
            text.append("No items match this filter", style="bold")
        else:
            text.append(f"Item {view.entry.position} of {total}", style="bold")
            text.append(f"  ·  {rated} rated by {visible_controls(reviewer)}")
            text.append(f"  ·  {visible_controls(view.question.category)}", style="bold")
            text.append(f"  ·  {visible_controls(view.answer.model)}")
            text.append(f"  ·  Q{view.question.question_id}")
        text.append(f"  ·  judge {visible_controls(judge or 'none')}")
        if blind:
            text.append("  ·  BLIND", style="bold reverse")
        if queue_filter != QueueFilter():
            text.append(f"  ·  filter: {visible_controls(queue_filter.describe())}", style="italic")
        self.update(text)
