"""The line above the conversation: position in the queue, progress, and what is being reviewed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from mtbench_tui.core.review import ItemView
from mtbench_tui.core.store import QueueFilter
from mtbench_tui.core.store.queue import QueueProgress
from mtbench_tui.ui.text import literal


@dataclass(frozen=True)
class HeaderInfo:
    """What the header shows besides the item itself."""

    total: int
    progress: QueueProgress
    reviewer: str
    judge: str | None
    blind: bool
    queue_filter: QueueFilter


class ItemHeader(Static):
    """Item k of N, progress, category, model, question id, gap, judge, mode and filter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text: Text | None = None

    def show(self, view: ItemView | None, info: HeaderInfo) -> None:
        """Display the header for the current item (or an empty queue)."""
        text = Text(no_wrap=False, overflow="fold")
        if view is None:
            text.append("No items match this filter", style="bold")
        else:
            text.append(f"Item {view.entry.position} of {info.total}", style="bold")
            text.append(f" · {_progress(info.progress)} by ")
            text.append_text(literal(info.reviewer))
            text.append(" · ")
            text.append_text(literal(view.question.category, style="bold"))
            text.append(" · ")
            text.append_text(literal(view.answer.model))
            text.append(f" · Q{view.question.question_id}")
            if view.entry.gap is not None:
                text.append(f" · gap {view.entry.gap:g}", style="bold")
        text.append(" · judge ")
        text.append_text(literal(info.judge or "none"))
        if info.blind:
            text.append(" · BLIND", style="bold reverse")
        if info.queue_filter != QueueFilter():
            text.append(" · filter: ", style="italic")
            text.append_text(literal(_filter(info.queue_filter, view is not None), style="italic"))
        if text != self._text:
            self._text = text
            self.update(text)


def _filter(f: QueueFilter, item_shown: bool) -> str:
    """The filter, short: the item's category and model are on the line already, so only named."""
    if not item_shown:
        return f.describe()
    named = [name for name, value in (("category", f.category), ("model", f.model)) if value]
    rest = QueueFilter(turn=f.turn, progress=f.progress, min_gap=f.min_gap, by_gap=f.by_gap)
    parts = [*named, rest.describe()] if rest != QueueFilter() else named
    return " · ".join(parts)


def _progress(progress: QueueProgress) -> str:
    """``12 rated`` or ``12 rated, 3 half-rated``."""
    if progress.partial:
        return f"{progress.rated} rated, {progress.partial} half-rated"
    return f"{progress.rated} rated"
