"""Pair votes on real SQLite files: canonical order, shown order, history, undo, groups, merge."""

from __future__ import annotations

import sqlite3

import pytest

from mtbench_tui.core.pair_choices import (
    choice_winner,
    derived_group,
    vote_choice,
    winner_model,
)
from mtbench_tui.core.pair_models import HumanPairVote, PairKey, PairVote, PairVoteEvent
from mtbench_tui.core.store import Store
from tests.pair_helpers import count_voted, reviewer_group

LYNX, ORION, PICO = "lynx-13b-chat", "orion-70b-chat", "pico-1b-chat"
KEY = PairKey.of(901, ORION, LYNX, 1)


def test_key_is_canonical_whichever_model_comes_first() -> None:
    assert PairKey.of(901, ORION, LYNX, 2) == PairKey.of(901, LYNX, ORION, 2)
    assert (KEY.model_1, KEY.model_2) == (LYNX, ORION)
    assert KEY.side(ORION) == "model_2" and KEY.other(ORION) == LYNX
    with pytest.raises(ValueError):
        PairKey.of(901, LYNX, LYNX, 1)


def test_choice_maps_through_the_shown_order() -> None:
    # The reviewer saw orion as A: "A" means orion wins, which is model_2 canonically.
    assert choice_winner(KEY, ORION, "A") == "model_2"
    assert choice_winner(KEY, ORION, "B") == "model_1"
    assert choice_winner(KEY, LYNX, "A") == "model_1"
    assert choice_winner(KEY, LYNX, "tie") == "tie"
    with pytest.raises(ValueError):
        choice_winner(KEY, LYNX, "C")
    with pytest.raises(ValueError):
        choice_winner(KEY, PICO, "A")


def test_derived_group() -> None:
    assert derived_group("expert_12") == "expert"
    assert derived_group("author_0") == "author"
    assert derived_group("team_red_3") == "team_red"
    assert derived_group("alice") == "default"
    assert derived_group("_4") == "default"


def test_vote_round_trip_records_shown_order(demo_store: Store) -> None:
    change = demo_store.votes.set_vote(KEY, "alice", "A", shown_a=ORION, blind=True)
    assert change.before is None
    vote = demo_store.votes.get(KEY, "alice")
    assert vote is not None
    assert (vote.model_1, vote.model_2, vote.shown_a, vote.winner) == (
        LYNX,
        ORION,
        ORION,
        "model_2",
    )
    assert vote.blind and vote.created and vote.updated
    assert vote_choice(vote) == "A" and winner_model(vote) == ORION
    # A second connection (as another process would) sees the committed vote.
    other = Store.open(demo_store.path)
    assert other.votes.get(KEY, "alice") == vote
    other.close()
    assert reviewer_group(demo_store, "alice") == "default"
    assert count_voted(demo_store, "alice") == 1


def test_note_and_flags_need_the_shown_model_only_on_a_first_write(demo_store: Store) -> None:
    votes = demo_store.votes
    with pytest.raises(ValueError, match="shown as A"):
        votes.set_note(KEY, "bob", "hm")
    votes.set_note(KEY, "bob", "both fine", shown_a=LYNX)
    votes.set_flags(KEY, "bob", ("judge-wrong", "judge-wrong"))
    vote = votes.get(KEY, "bob")
    assert vote is not None
    assert (vote.winner, vote.note, vote.flags, vote.shown_a) == (
        None,
        "both fine",
        ("judge-wrong",),
        LYNX,
    )
    assert count_voted(demo_store, "bob") == 0
    with pytest.raises(ValueError, match="unknown flags"):
        votes.set_flags(KEY, "bob", ("nope",))


def test_undo_restores_previous_state_and_history_keeps_everything(demo_store: Store) -> None:
    votes = demo_store.votes
    first = votes.set_vote(KEY, "alice", "B", shown_a=ORION)
    second = votes.set_vote(KEY, "alice", "tie", shown_a=ORION)
    votes.restore(second)
    vote = votes.get(KEY, "alice")
    assert vote is not None and vote.winner == "model_1"
    votes.restore(first)
    assert votes.get(KEY, "alice") is None
    events = votes.history(KEY, "alice")
    assert [(e.event, e.winner) for e in events] == [
        ("vote", "model_1"),
        ("vote", "tie"),
        ("undo", "model_1"),
        ("undo", None),
    ]
    assert votes.signature() == (4, votes.signature()[1])
    assert list(votes.all_history("alice")) == events


def test_for_comparison_and_iter_all_pages(demo_store: Store) -> None:
    votes = demo_store.votes
    votes.set_vote(KEY, "alice", "A", shown_a=LYNX)
    votes.set_vote(PairKey.of(901, LYNX, ORION, 2), "alice", "tie", shown_a=ORION)
    votes.set_vote(PairKey.of(902, PICO, LYNX, 1), "bob", "B", shown_a=PICO)
    votes.ensure_reviewer("bob", "expert")
    assert set(votes.for_comparison(901, ORION, LYNX, "alice")) == {1, 2}
    everything = list(votes.iter_all(page_size=1))
    assert [(v.question_id, v.turn, v.reviewer) for v in everything] == [
        (901, 1, "alice"),
        (901, 2, "alice"),
        (902, 1, "bob"),
    ]
    assert [v.reviewer for v in votes.iter_all(group="expert")] == ["bob"]
    assert [v.turn for v in votes.iter_all(reviewer="alice", page_size=1)] == [1, 2]
    assert [(r.name, r.group) for r in votes.reviewers()] == [
        ("alice", "default"),
        ("bob", "expert"),
    ]
    assert votes.groups() == ["default", "expert"]


def test_ensure_reviewer_keeps_group_unless_told(demo_store: Store) -> None:
    votes = demo_store.votes
    votes.ensure_reviewer("carol", "author")
    votes.ensure_reviewer("carol")
    assert reviewer_group(demo_store, "carol") == "author"
    votes.ensure_reviewer("carol", "expert")
    assert reviewer_group(demo_store, "carol") == "expert"
    assert reviewer_group(demo_store, "nobody") is None


def test_schema_rejects_non_canonical_rows(demo_store: Store) -> None:
    demo_store.votes.ensure_reviewer("x")
    with pytest.raises(sqlite3.IntegrityError):
        demo_store.db.execute(
            "INSERT INTO pair_votes (question_id, model_1, model_2, turn, reviewer, shown_a,"
            " created, updated) VALUES (901, ?, ?, 1, 'x', ?, 'a', 'a')",
            [ORION, LYNX, ORION],
        )


def _incoming(updated: str, winner: str, history: tuple[PairVoteEvent, ...] = ()) -> HumanPairVote:
    vote = PairVote(901, LYNX, ORION, 1, "expert_3", LYNX, winner, created="t0", updated=updated)
    return HumanPairVote(vote, None, history)


def test_merge_later_update_wins_and_history_is_united(demo_store: Store) -> None:
    votes = demo_store.votes
    event = PairVoteEvent(KEY, "expert_3", "vote", LYNX, "model_1", "", (), False, "t1")
    with demo_store.db.atomic():
        assert votes.merge(_incoming("t1", "model_1", (event,))) == "new"
    assert reviewer_group(demo_store, "expert_3") == "expert"
    with demo_store.db.atomic():
        assert votes.merge(_incoming("t1", "model_1", (event,))) == "unchanged"
        assert votes.merge(_incoming("t0", "tie")) == "unchanged"
        assert votes.merge(_incoming("t2", "tie")) == "updated"
    vote = votes.get(KEY, "expert_3")
    assert vote is not None and vote.winner == "tie"
    assert votes.history(KEY, "expert_3") == [event]


def test_verdict_reads_find_either_model_order(demo_store: Store) -> None:
    db = demo_store.db
    db.execute(
        "INSERT INTO pair_judgments (question_id, model_1, model_2, turn, judge, judge_model,"
        " prompt, winner, g1_winner, g2_winner, content_hash)"
        " VALUES (901, ?, ?, 1, 'gpt-4', 'gpt-4', 'pair-v2', 'inconsistent', 'model_1',"
        " 'model_2', 'h')",
        [ORION, LYNX],
    )
    db.execute(
        "INSERT INTO pair_judgments (question_id, model_1, model_2, turn, judge, judge_model,"
        " prompt, winner, content_hash)"
        " VALUES (901, ?, ?, 2, 'gpt4_pair', 'gpt-4', 'pair', 'model_2', 'h')",
        [LYNX, ORION],
    )
    found = demo_store.votes.verdicts(901, LYNX, ORION)
    assert [(v.judge, v.turn, v.winner) for v in found] == [
        ("gpt-4", 1, "inconsistent"),
        ("gpt4_pair", 2, "model_2"),
    ]
    assert found[0].key == KEY and found[0].winner_model is None
    assert found[1].winner_model == ORION and found[1].g1_winner is None
    assert demo_store.votes.verdicts(901, ORION, LYNX, judge="gpt4_pair") == [found[1]]
    assert demo_store.votes.pair_judges() == [("gpt-4", 1), ("gpt4_pair", 1)]
    with pytest.raises(sqlite3.IntegrityError):
        # One verdict per judge and comparison, whichever model the judge called model_1.
        db.execute(
            "INSERT INTO pair_judgments (question_id, model_1, model_2, turn, judge, judge_model,"
            " prompt, winner, content_hash)"
            " VALUES (901, ?, ?, 1, 'gpt-4', 'gpt-4', 'p', 'tie', 'h')",
            [LYNX, ORION],
        )
