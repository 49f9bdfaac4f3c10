"""The review queue: filters, paging, positions, the gap order, at small scale on real SQLite."""

from __future__ import annotations

from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.store import QueueFilter, Store

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
    assert demo_store.queue(QueueFilter(judge=JUDGE), "a", JUDGE).count() == 48
    assert demo_store.queue(QueueFilter(judge="someone-else"), "a", JUDGE).count() == 0
    both = demo_store.queue(QueueFilter(category="math", model="lynx-13b-chat"), "a", JUDGE)
    assert walk(both) == [ItemKey(909, "lynx-13b-chat"), ItemKey(910, "lynx-13b-chat")]


def test_unrated_filter_counts_turns(demo_store: Store) -> None:
    ratings = demo_store.ratings
    ratings.set_score(TurnKey(901, "lynx-13b-chat", 1), "alice", 5)
    ratings.set_score(TurnKey(901, "lynx-13b-chat", 2), "alice", 5)
    ratings.set_score(TurnKey(901, "orion-70b-chat", 1), "alice", 9)
    unrated = demo_store.queue(QueueFilter(unrated=True), "alice", JUDGE)
    assert unrated.count() == 47  # half-rated items still need rating
    turn1 = demo_store.queue(QueueFilter(unrated=True, turn=1), "alice", JUDGE)
    assert turn1.count() == 46
    # Another reviewer's queue is unaffected.
    assert demo_store.queue(QueueFilter(unrated=True), "bob", JUDGE).count() == 48
    assert demo_store.queue(QueueFilter(), "alice", JUDGE).rated_count() == 1
    rated = demo_store.queue(QueueFilter(rated=True), "alice", JUDGE)
    assert walk(rated) == [ItemKey(901, "lynx-13b-chat")]
    assert demo_store.queue(QueueFilter(rated=True, turn=1), "alice", JUDGE).count() == 2


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
