"""The review queue: a filter, the interface both orders share, and the factory that picks one."""

from __future__ import annotations

import sqlite_utils

from mtbench_tui.core.store.queue.base import (
    PROGRESS_CHOICES,
    Progress,
    QueueEntry,
    QueueFilter,
    QueueProgress,
    ReviewQueue,
)
from mtbench_tui.core.store.queue.gap import GapQueue
from mtbench_tui.core.store.queue.keyset import KeysetQueue

__all__ = [
    "PROGRESS_CHOICES",
    "GapQueue",
    "KeysetQueue",
    "Progress",
    "QueueEntry",
    "QueueFilter",
    "QueueProgress",
    "ReviewQueue",
    "open_queue",
]


def open_queue(
    db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
) -> ReviewQueue:
    """The right queue for a filter: a gap snapshot to order or filter by gap, else keyset paging.

    Args:
        db: the database.
        f: the filter.
        reviewer: whose ratings the queue follows.
        judge: the judge the gaps are measured against.

    Returns:
        The queue.
    """
    if f.gap_driven:
        return GapQueue(db, f, reviewer, judge)
    return KeysetQueue(db, f, reviewer, judge)
