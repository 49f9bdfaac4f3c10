"""The review queue: filters, paging, positions, the gap order, at small scale on real SQLite."""

from __future__ import annotations

import pytest

from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.core.store.queue import GapQueue, KeysetQueue, QueueProgress, ReviewQueue

JUDGE = "gpt-4/mtr-v1"


def walk(queue) -> list[ItemKey]:
    """Every item by repeated next()."""
    out, entry = [], queue.first()
    while entry is not None:
        out.append(entry.item)
        assert entry.position == len(out)
        entry = queue.after(entry)
    return out


def test_default_queue_is_every_answer_in_id_order(demo_store: Store) -> None:
    queue = demo_store.queue(QueueFilter(), "alice", JUDGE)
    items = walk(queue)
    assert len(items) == queue.count() == 48
    assert items == sorted(items)


def test_previous_walks_back(demo_store: Store) -> None:
    queue = demo_store.queue(QueueFilter(category="math"), "alice", JUDGE)
    entry = queue.first()
    entry = queue.after(queue.after(entry))
    back = queue.before(entry)
    assert back.position == 2 and back.item == walk(queue)[1]
    assert queue.before(queue.first()) is None


def test_filters(demo_store: Store) -> None:
    assert {
        i.question_id for i in walk(demo_store.queue(QueueFilter(category="coding"), "a", JUDGE))
    } == {911, 912}
    assert {
        i.model for i in walk(demo_store.queue(QueueFilter(model="pico-1b-chat"), "a", JUDGE))
    } == {"pico-1b-chat"}
    both = demo_store.queue(QueueFilter(category="math", model="lynx-13b-chat"), "a", JUDGE)
    assert walk(both) == [ItemKey(909, "lynx-13b-chat"), ItemKey(910, "lynx-13b-chat")]


def test_unrated_filter_counts_turns(demo_store: Store) -> None:
    ratings = demo_store.ratings
    ratings.set_score(TurnKey(901, "lynx-13b-chat", 1), "alice", 5)
    ratings.set_score(TurnKey(901, "lynx-13b-chat", 2), "alice", 5)
    ratings.set_score(TurnKey(901, "orion-70b-chat", 1), "alice", 9)
    unrated = demo_store.queue(QueueFilter(progress="unrated"), "alice", JUDGE)
    assert unrated.count() == 47  # half-rated items still need rating
    turn1 = demo_store.queue(QueueFilter(progress="unrated", turn=1), "alice", JUDGE)
    assert turn1.count() == 46
    # Another reviewer's queue is unaffected.
    assert demo_store.queue(QueueFilter(progress="unrated"), "bob", JUDGE).count() == 48
    assert demo_store.queue(QueueFilter(), "alice", JUDGE).progress() == QueueProgress(1, 1)
    rated = demo_store.queue(QueueFilter(progress="rated"), "alice", JUDGE)
    assert walk(rated) == [ItemKey(901, "lynx-13b-chat")]
    assert demo_store.queue(QueueFilter(progress="rated", turn=1), "alice", JUDGE).count() == 2
    # Progress ignores the queue's own rated/unrated condition, and follows its turn.
    assert unrated.progress() == QueueProgress(1, 1)
    assert turn1.progress() == QueueProgress(2, 0)


def test_progress_is_one_field_that_cannot_contradict_itself() -> None:
    assert QueueFilter(progress="rated").describe() == "rated"
    with pytest.raises(ValueError, match="progress"):
        QueueFilter(progress="both")  # type: ignore[arg-type]


def test_next_needing_rating_skips_rated_and_wraps(demo_store: Store) -> None:
    queue = demo_store.queue(QueueFilter(), "alice", JUDGE)
    items = walk(queue)
    for item in items[:5]:
        for turn in (1, 2):
            demo_store.ratings.set_score(TurnKey(item.question_id, item.model, turn), "alice", 5)
    start = queue.next_needing_rating(None)
    assert start.item == items[5] and start.position == 6
    last = queue.locate(items[-1])
    assert last.position == 48
    wrapped = queue.next_needing_rating(last)
    assert wrapped.item == items[5] and wrapped.position == 6


def test_find_by_question_id(demo_store: Store) -> None:
    queue = demo_store.queue(QueueFilter(), "alice", JUDGE)
    found = queue.find(910)
    assert found.item.question_id == 910 and found.position == 28
    assert queue.find(99999) is None
    assert queue.find(5) is None  # an id below the first is not found, not "the next one"
    math = demo_store.queue(QueueFilter(category="math"), "alice", JUDGE)
    assert math.find(901) is None and math.find(909).position == 1


def test_gap_order_and_min_gap(demo_store: Store) -> None:
    # judge: orion 901 t1=9, lynx 901 t2=3, pico 901 t1=2
    demo_store.ratings.set_score(TurnKey(901, "orion-70b-chat", 1), "alice", 9)  # gap 0
    demo_store.ratings.set_score(TurnKey(901, "lynx-13b-chat", 2), "alice", 9)  # gap 6
    demo_store.ratings.set_score(TurnKey(901, "pico-1b-chat", 1), "alice", 5)  # gap 3
    demo_store.ratings.set_score(TurnKey(902, "pico-1b-chat", 1), "bob", 10)  # someone else's
    queue = demo_store.queue(QueueFilter(by_gap=True), "alice", JUDGE)
    assert walk(queue) == [
        ItemKey(901, "lynx-13b-chat"),
        ItemKey(901, "pico-1b-chat"),
        ItemKey(901, "orion-70b-chat"),
    ]
    assert demo_store.queue(QueueFilter(min_gap=3), "alice", JUDGE).count() == 2
    # The snapshot holds its order while the reviewer revises a score.
    demo_store.ratings.set_score(TurnKey(901, "orion-70b-chat", 1), "alice", 1)
    assert walk(queue)[0] == ItemKey(901, "lynx-13b-chat")


def test_gap_queue_shows_gaps_and_finds_half_rated_items(demo_store: Store) -> None:
    rate = demo_store.ratings.set_score
    rate(TurnKey(901, "lynx-13b-chat", 1), "alice", 6)  # judge 6: gap 0
    rate(TurnKey(901, "lynx-13b-chat", 2), "alice", 9)  # judge 3: gap 6, fully rated
    rate(TurnKey(901, "pico-1b-chat", 1), "alice", 5)  # judge 2: gap 3, half-rated
    queue = demo_store.queue(QueueFilter(by_gap=True), "alice", JUDGE)
    first = queue.first()
    assert (first.item, first.position, first.gap) == (ItemKey(901, "lynx-13b-chat"), 1, 6)
    assert queue.after(first).gap == 3
    # Enter in the gap queue goes to the half-rated item, and says "none" once all are scored.
    assert queue.next_needing_rating(first).item == ItemKey(901, "pico-1b-chat")
    rate(TurnKey(901, "pico-1b-chat", 2), "alice", 5)
    assert queue.next_needing_rating(first) is None
    assert queue.progress() == QueueProgress(2, 0)


def test_both_queues_implement_one_protocol(demo_store: Store) -> None:
    """The session only sees ReviewQueue: both orders answer every question it asks."""
    demo_store.ratings.set_score(TurnKey(902, "orion-70b-chat", 1), "alice", 1)
    keyset = demo_store.queue(QueueFilter(), "alice", JUDGE)
    gap = demo_store.queue(QueueFilter(by_gap=True), "alice", JUDGE)
    assert isinstance(keyset, KeysetQueue) and isinstance(gap, GapQueue)
    for queue in (keyset, gap):
        typed: ReviewQueue = queue
        item = ItemKey(902, "orion-70b-chat")
        entry = typed.locate(item)
        assert entry is not None and entry.item == item
        assert typed.find(902).item.question_id == 902
        assert typed.locate(ItemKey(902, "no-such-model")) is None
        assert typed.progress() == QueueProgress(0, 1)
        typed.close()
