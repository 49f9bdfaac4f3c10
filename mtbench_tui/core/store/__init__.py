"""Storage: the only code that touches SQLite."""

from mtbench_tui.core.store.queue import QueueEntry, QueueFilter
from mtbench_tui.core.store.ratings import RatingChange
from mtbench_tui.core.store.store import Store

__all__ = ["QueueEntry", "QueueFilter", "RatingChange", "Store"]
