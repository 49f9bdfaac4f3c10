"""The pair review session without the UI: shown order, relative verdicts, votes, undo, locks."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.pair_review import PairSession
from mtbench_tui.core.pair_saving import VoteSaveEvent
from mtbench_tui.core.pair_view import describe_undo, seeded_shown_a
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import Comparison, PairFilter
from tests.pair_helpers import LYNX, ORION, PICO, add_pair_data, reviewer_group


@pytest.fixture
def pair_store(demo_store: Store, tmp_path: Path) -> Store:
    """The demo data with pair verdicts."""
    return add_pair_data(demo_store, tmp_path / "pairs")


def comparisons(store: Store) -> list[Comparison]:
    """Every stored answer pair."""
    rows = store.db.execute(
        "SELECT a1.question_id, a1.model, a2.model FROM answers a1 JOIN answers a2"
        " ON a2.question_id = a1.question_id AND a2.model > a1.model"
    )
    return [Comparison(*r) for r in rows]


def test_shown_order_is_fixed_per_reviewer_and_not_the_judges(pair_store: Store) -> None:
    items = comparisons(pair_store)
    kim = [seeded_shown_a("kim", c) for c in items]
    assert kim == [seeded_shown_a("kim", c) for c in items]  # the same every time
    firsts = sum(a == c.model_1 for a, c in zip(kim, items))
    assert 0.3 < firsts / len(items) < 0.7  # both orders, about half each
    lee = [seeded_shown_a("lee", c) for c in items]
    assert kim != lee  # another reviewer gets another order
    judge_order = {
        (q, min(m1, m2), max(m1, m2)): m1
        for q, m1, m2 in pair_store.db.execute(
            "SELECT DISTINCT question_id, model_1, model_2 FROM pair_judgments"
        )
    }
    shown = {(c.question_id, c.model_1, c.model_2): a for c, a in zip(items, kim)}
    assert any(shown[k] != first for k, first in judge_order.items())


def session_at(store: Store, item: Comparison, reviewer: str = "kim") -> PairSession:
    """A session opened on one comparison."""
    session = PairSession.open(store, reviewer)
    session.start()
    assert session.go_to_item(item) is not None
    return session


def test_view_shows_answers_and_verdict_in_the_reviewers_order(pair_store: Store) -> None:
    item = Comparison(901, LYNX, ORION)
    for reviewer in ("kim", "lee", "max", "ann"):
        session = session_at(pair_store, item, reviewer)
        view = session.view()
        assert view is not None
        shown_a = seeded_shown_a(reviewer, item)
        assert (view.answer_a.model, view.answer_b.model) == (
            shown_a,
            LYNX if shown_a == ORION else ORION,
        )
        orion = "A" if shown_a == ORION else "B"
        lynx = "B" if orion == "A" else "A"
        one, two = view.verdicts[1], view.verdicts[2]
        # Turn 1: orion (the judge's model_1) won both orders.
        assert one.choice == orion and not one.orders_disagree
        assert [o.first for o in one.orders] == [orion, lynx]
        assert [o.choice for o in one.orders] == [orion, orion]
        assert one.orders[0].judgment.startswith("Order one on Q901 turn 1")
        # Turn 2: the orders disagree.
        assert two.choice == "inconsistent" and two.orders_disagree
        assert [o.choice for o in two.orders] == [orion, lynx]


def test_tie_in_one_order_is_flagged_as_order_dependent(pair_store: Store) -> None:
    view = session_at(pair_store, Comparison(901, LYNX, PICO)).view()
    assert view is not None
    assert view.verdicts[1].choice == "tie" and view.verdicts[1].orders_disagree
    error = session_at(pair_store, Comparison(902, LYNX, PICO)).view()
    assert error is not None
    assert error.verdicts[2].choice == "error" and not error.verdicts[2].orders_disagree


def test_votes_store_winner_and_shown_order_then_undo(pair_store: Store) -> None:
    item = Comparison(901, LYNX, ORION)
    session = session_at(pair_store, item)
    view = session.view()
    assert view is not None
    assert session.vote(view, 1, "A", blind=True).event.kind == "saved"
    assert session.vote(view, 2, "tie", blind=False).event.kind == "saved"
    stored = pair_store.votes.for_comparison(901, LYNX, ORION, "kim")
    assert stored[1].shown_a == view.shown_a and stored[1].blind
    assert stored[1].winner == ("model_1" if view.shown_a == LYNX else "model_2")
    assert stored[2].winner == "tie" and not stored[2].blind
    undone = session.undo()
    assert undone is not None and undone.event.change is not None
    assert describe_undo(undone.event.change) == "vote tie removed"
    assert set(pair_store.votes.for_comparison(901, LYNX, ORION, "kim")) == {1}
    session.vote(view, 1, "B", blind=False)
    undone = session.undo()
    assert undone is not None and undone.event.change is not None
    assert describe_undo(undone.event.change) == "vote back to A"
    session.close()


def test_an_existing_vote_keeps_its_shown_order(pair_store: Store) -> None:
    item = Comparison(902, LYNX, ORION)
    other = ORION if seeded_shown_a("kim", item) == LYNX else LYNX
    pair_store.votes.set_vote(PairKey(902, LYNX, ORION, 1), "kim", "A", shown_a=other)
    view = session_at(pair_store, item).view()
    assert view is not None and view.shown_a == other and view.choice(1) == "A"


def test_enter_logic_visits_unvoted_turns_then_moves_on(pair_store: Store) -> None:
    session = PairSession.open(pair_store, "kim")
    view = session.start()
    assert view is not None and view.item == Comparison(901, LYNX, ORION)
    session.vote(view, 1, "A", blind=False)
    view = session.view()
    assert view is not None
    assert session.next_unvoted(view, 1) == (view, 2)
    session.vote(view, 2, "B", blind=False)
    view = session.view()
    moved = session.next_unvoted(view, 2)
    assert moved is not None and moved[0].item == Comparison(901, LYNX, PICO) and moved[1] == 1
    assert moved[0].entry.position == 2


def test_first_edit_registers_the_reviewer_in_the_group(pair_store: Store) -> None:
    session = PairSession.open(pair_store, "nia", group="expert")
    assert reviewer_group(pair_store, "nia") is None  # opening only reads
    view = session.start()
    assert view is not None
    session.vote(view, 1, "tie", blind=False)
    assert reviewer_group(pair_store, "nia") == "expert"


def test_a_locked_database_queues_votes_and_loses_none(pair_store: Store, db_path: Path) -> None:
    session = PairSession.open(pair_store, "kim")
    view = session.start()
    assert view is not None
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    first = session.vote(view, 1, "A", blind=False)
    second = session.vote(view, 2, "B", blind=False)
    assert first.event.kind == "queued" and first.start_drain
    assert second.event.kind == "queued" and not second.start_drain
    events: list[VoteSaveEvent] = []
    retrying = threading.Event()

    def record(event: VoteSaveEvent) -> None:
        events.append(event)
        if event.kind == "retrying":
            retrying.set()

    drain = threading.Thread(target=session.saves.drain, args=(record,))
    drain.start()
    assert retrying.wait(30)
    assert pair_store.votes.for_comparison(901, LYNX, ORION, "kim") == {}
    blocker.execute("COMMIT")
    drain.join(30)
    assert [e.kind for e in events] == ["retrying", "saved", "saved"]
    stored = pair_store.votes.for_comparison(901, LYNX, ORION, "kim")
    assert {t: v.winner is not None for t, v in stored.items()} == {1: True, 2: True}
    assert session.saves.pending() == ()
    session.close()


def test_filtered_session_counts_only_matching_comparisons(pair_store: Store) -> None:
    session = PairSession.open(pair_store, "kim", PairFilter(inconsistent=True))
    assert session.total == 3  # 901 lynx/orion turn 2, 901 lynx/pico turn 1, 903 pico/zeta
    view = session.start()
    assert view is not None and view.item == Comparison(901, LYNX, ORION)


def test_two_sessions_on_one_database_both_save(pair_store: Store, db_path: Path) -> None:
    other_store = Store.open(db_path)  # a second program on the same file
    try:
        kim = PairSession.open(pair_store, "kim")
        lee = PairSession.open(other_store, "lee")
        kim_view, lee_view = kim.start(), lee.start()
        assert kim_view is not None and lee_view is not None
        for turn in (1, 2):
            assert kim.vote(kim_view, turn, "A", blind=False).event.kind == "saved"
            assert lee.vote(lee_view, turn, "tie", blind=False).event.kind == "saved"
        kim.close()
        lee.close()
    finally:
        other_store.close()
    assert len(list(pair_store.votes.iter_all("kim"))) == 2
    assert [v.winner for v in pair_store.votes.iter_all("lee")] == ["tie", "tie"]
