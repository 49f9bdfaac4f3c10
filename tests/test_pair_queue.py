"""The pair queue against a brute-force reference: every filter, order, count and position."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import (
    PROGRESS_CHOICES,
    VERDICT_CHOICES,
    Comparison,
    PairFilter,
)
from mtbench_tui.core.store.pair_queue import PairQueue, open_pair_queue
from tests.pair_helpers import LYNX, ORION, PICO, VERDICTS, ZETA, ZETA_QUESTIONS, add_pair_data

ME, OTHER = "kim", "lee"

MY_VOTES = [
    # question, shown A, shown B, turn, choice
    (901, LYNX, ORION, 1, "B"),  # orion: agrees with the judge
    (901, LYNX, ORION, 2, "A"),  # lynx against an inconsistent (tie): 1
    (901, PICO, LYNX, 1, "A"),  # pico against lynx... judge tie: 1
    (902, ORION, LYNX, 1, "B"),  # lynx against orion: 2
    (902, LYNX, PICO, 2, "tie"),  # judge error: not comparable
    (904, PICO, ORION, 1, "tie"),  # agrees (tie)
    (909, ORION, PICO, 1, "A"),  # orion: agrees
    (909, ORION, PICO, 2, "A"),  # orion against pico: 2
    (913, LYNX, PICO, 1, "A"),  # not judged
]


@pytest.fixture
def pair_store(demo_store: Store, tmp_path: Path) -> Store:
    """The demo data, a fourth model on some questions, pair verdicts and two reviewers' votes."""
    add_pair_data(demo_store, tmp_path / "pairs")
    votes = demo_store.votes
    for q, a, b, turn, choice in MY_VOTES:
        votes.set_vote(PairKey.of(q, a, b, turn), ME, choice, shown_a=a)
    votes.set_vote(PairKey.of(905, LYNX, PICO, 1), OTHER, "A", shown_a=LYNX)
    votes.set_vote(PairKey.of(905, LYNX, PICO, 2), OTHER, "A", shown_a=LYNX)
    # A comment without a vote is not a vote.
    votes.set_note(PairKey.of(906, LYNX, PICO, 1), ME, "unsure", shown_a=PICO)
    return demo_store


class Reference:
    """The queue's rules restated in plain Python over the stored rows."""

    def __init__(self, store: Store) -> None:
        db = store.db
        self.category = dict(db.execute("SELECT question_id, category FROM questions").fetchall())
        models: dict[int, list[str]] = {}
        for q, m in db.execute("SELECT question_id, model FROM answers"):
            models.setdefault(q, []).append(m)
        self.pairs = sorted(
            Comparison(q, a, b)
            for q, ms in models.items()
            for a, b in itertools.combinations(sorted(ms), 2)
        )
        self.verdicts = {}
        for q, m1, m2, turn, winner, g1, g2 in db.execute(
            "SELECT question_id, model_1, model_2, turn, winner, g1_winner, g2_winner"
            " FROM pair_judgments WHERE judge = 'gpt-4'"
        ):
            flip = {"model_1": "model_2", "model_2": "model_1"}
            if m1 > m2:
                m1, m2, winner = m2, m1, flip.get(winner, winner)
            disagree = winner == "inconsistent" or (g1 != g2 and "error" not in (g1, g2))
            self.verdicts[(q, m1, m2, turn)] = (winner, disagree)
        self.votes = {
            (q, m1, m2, t): w
            for q, m1, m2, t, w in db.execute(
                "SELECT question_id, model_1, model_2, turn, winner FROM pair_votes"
                " WHERE reviewer = ? AND winner IS NOT NULL",
                [ME],
            )
        }

    def disagreement(self, c: Comparison, turns: tuple[int, ...]) -> int | None:
        """Largest vote-verdict distance over voted, validly judged turns (None: none)."""
        found = []
        for t in turns:
            vote, verdict = self.votes.get((*_key(c), t)), self.verdicts.get((*_key(c), t))
            if vote is None or verdict is None or verdict[0] == "error":
                continue
            judge = "tie" if verdict[0] in ("tie", "inconsistent") else verdict[0]
            found.append(0 if judge == vote else 1 if "tie" in (judge, vote) else 2)
        return max(found) if found else None

    def matches(self, f: PairFilter, c: Comparison) -> bool:
        """Whether a comparison passes a filter."""
        turns = f.turns
        verdicts = [self.verdicts[k] for t in turns if (k := (*_key(c), t)) in self.verdicts]
        voted = sum((*_key(c), t) in self.votes for t in turns)
        wanted = {
            None: True,
            "decisive": any(w in ("model_1", "model_2") for w, _ in verdicts),
            "tie": any(w == "tie" for w, _ in verdicts),
            "error": any(w == "error" for w, _ in verdicts),
            "judged": bool(verdicts),
            "unjudged": not verdicts,
        }
        return (
            (f.category is None or self.category[c.question_id] == f.category)
            and (f.model is None or f.model in (c.model_1, c.model_2))
            and wanted[f.verdict]
            and (not f.inconsistent or any(d for _, d in verdicts))
            and {"all": True, "voted": voted == len(turns), "unvoted": voted < len(turns)}[
                f.progress
            ]
        )

    def queue(self, f: PairFilter) -> list[Comparison]:
        """The comparisons a filter selects, in queue order."""
        chosen = [c for c in self.pairs if self.matches(f, c)]
        if not f.vote_driven:
            return chosen
        scored = [(c, self.disagreement(c, f.turns)) for c in chosen]
        scored = [(c, d) for c, d in scored if d is not None and (d > 0 or not f.differs)]
        if f.by_disagreement:
            scored.sort(key=lambda cd: -cd[1])  # stable: key order within a level
        return [c for c, _ in scored]

    def needs_vote(self, f: PairFilter, c: Comparison) -> bool:
        """Whether the reviewer has a turn left to vote on."""
        return any((*_key(c), t) not in self.votes for t in f.turns)


def _key(c: Comparison) -> tuple[int, str, str]:
    return (c.question_id, c.model_1, c.model_2)


def walk(queue: PairQueue) -> list[Comparison]:
    """Every comparison, by stepping with ``after`` from the first."""
    out, entry = [], queue.first()
    while entry is not None:
        assert entry.position == len(out) + 1
        out.append(entry.item)
        entry = queue.after(entry)
    return out


FILTERS = [
    # category, model, turn, progress, verdict, inconsistent, differs, by disagreement
    PairFilter(*choices)
    for choices in itertools.product(
        (None, "writing"),
        (None, ZETA),
        (None, 1, 2),
        PROGRESS_CHOICES,
        (None, *VERDICT_CHOICES),
        (False, True),
        (False, True),
        (False, True),
    )
]


def test_reference_sees_the_data_it_should(pair_store: Store) -> None:
    ref = Reference(pair_store)
    assert len(ref.pairs) == 16 * 3 + len(ZETA_QUESTIONS) * 3
    assert len(ref.verdicts) == len(VERDICTS)
    assert len(ref.votes) == len(MY_VOTES)


def test_every_filter_walks_counts_and_locates_like_the_reference(pair_store: Store) -> None:
    ref = Reference(pair_store)
    nonempty = 0
    for f in FILTERS:
        queue = open_pair_queue(pair_store.db, f, ME, "gpt-4")
        expected = ref.queue(f)
        assert walk(queue) == expected, f
        assert queue.count() == len(expected), f
        for position, item in enumerate(expected, 1):
            entry = queue.locate(item)
            assert entry is not None and entry.position == position, (f, item)
        nonempty += bool(expected)
        queue.close()
    assert nonempty > len(FILTERS) // 5  # the filters are not vacuous


@pytest.mark.parametrize(
    "f",
    [
        PairFilter(),
        PairFilter(turn=2),
        PairFilter(model=ZETA, progress="unvoted"),
        PairFilter(by_disagreement=True),
    ],
    ids=str,
)
def test_before_walks_back_and_next_needing_vote_wraps(pair_store: Store, f: PairFilter) -> None:
    ref = Reference(pair_store)
    queue = open_pair_queue(pair_store.db, f, ME, "gpt-4")
    expected = ref.queue(f)
    entry = queue.locate(expected[-1])
    back = []
    while entry is not None:
        back.append(entry.item)
        entry = queue.before(entry)
    assert back == expected[::-1]
    needing = [c for c in expected if ref.needs_vote(f, c)]
    entry = queue.next_needing_vote(None)
    assert entry is not None and entry.item == needing[0]
    seen = []
    for _ in range(len(needing)):
        seen.append(entry.item)
        assert entry.position == expected.index(entry.item) + 1
        entry = queue.next_needing_vote(entry)
    assert seen == needing and entry is not None and entry.item == needing[0]  # wrapped


@pytest.mark.parametrize(
    "f", [PairFilter(progress="unvoted"), PairFilter(verdict="judged")], ids=str
)
def test_next_needing_vote_counts_right_after_the_current_comparison_is_voted(
    pair_store: Store, f: PairFilter
) -> None:
    queue = open_pair_queue(pair_store.db, f, ME, "gpt-4")
    entry = queue.locate(Comparison(902, LYNX, PICO))
    assert entry is not None
    for turn in (1, 2):  # the reviewer finishes this comparison: it leaves the unvoted queue
        pair_store.votes.set_vote(PairKey(902, LYNX, PICO, turn), ME, "A", shown_a=LYNX)
    found = queue.next_needing_vote(entry)
    expected = Reference(pair_store).queue(f)
    assert found is not None and found.position == expected.index(found.item) + 1


def test_progress_counts_fully_and_partly_voted(pair_store: Store) -> None:
    queue = open_pair_queue(pair_store.db, PairFilter(), ME, "gpt-4")
    progress = queue.progress()
    # Fully: 901 lynx/orion and 909 orion/pico; partly: the other voted comparisons.
    assert (progress.voted, progress.partial) == (2, 5)
    turn_one = open_pair_queue(pair_store.db, PairFilter(turn=1), ME, "gpt-4").progress()
    assert (turn_one.voted, turn_one.partial) == (6, 0)


def test_disagreement_order_puts_opposite_votes_first(pair_store: Store) -> None:
    queue = open_pair_queue(pair_store.db, PairFilter(by_disagreement=True), ME, "gpt-4")
    entries = []
    entry = queue.first()
    while entry is not None:
        entries.append((entry.item.question_id, entry.disagreement))
        entry = queue.after(entry)
    assert entries == [(902, 2), (909, 2), (901, 1), (901, 1), (904, 0)]


def test_find_and_a_missing_comparison(pair_store: Store) -> None:
    queue = open_pair_queue(pair_store.db, PairFilter(category="math"), ME, "gpt-4")
    found = queue.find(909)
    assert found is not None and found.item.question_id == 909 and found.position == 1
    assert queue.find(901) is None
    assert queue.locate(Comparison(901, LYNX, ORION)) is None


def test_bad_filter_values_are_refused() -> None:
    with pytest.raises(ValueError):
        PairFilter(progress="rated")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PairFilter(verdict="model_1")
