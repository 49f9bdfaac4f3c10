"""A reviewer's pairwise session: where they are among the comparisons, what they see, and their
votes. No UI here."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.pair_saving import Submitted, VoteEdit, VoteSaveEvent, VoteSaveQueue
from mtbench_tui.core.pair_view import PairView, relative_verdict, seeded_shown_a
from mtbench_tui.core.saving import own_connection
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import Comparison, PairEntry, PairFilter, PairProgress
from mtbench_tui.core.store.pair_queue import PairQueue, open_pair_queue
from mtbench_tui.core.store.votes import VoteRepo


@dataclass(frozen=True)
class PairSettings:
    """How the app opens pair review: which comparisons, whose group, what is hidden."""

    pair_filter: PairFilter = field(default_factory=PairFilter)
    judge: str | None = None
    """The pair judge to compare against (None: the one with the most verdicts)."""
    group: str | None = None
    """The reviewer's group, set with their first vote (None: keep it, else ``default``)."""
    hide_models: bool = False
    """Hide model names, as in MT-Bench's human study."""


def default_pair_judge(store: Store) -> str | None:
    """The pairwise judge with the most verdicts, or None when there is none."""
    judges = store.votes.pair_judges()
    return judges[0][0] if judges else None


@dataclass
class PairSession:
    """Navigation and voting for one reviewer against one pair judge; built by ``open``."""

    store: Store
    reviewer: str
    judge: str | None
    filter: PairFilter
    queue: PairQueue
    total: int
    saves: VoteSaveQueue
    entry: PairEntry | None = None
    drafts: dict[PairKey, str] = field(default_factory=dict)
    """Comments that could not be saved, kept so the comment dialog can offer them again."""

    @classmethod
    def open(
        cls,
        store: Store,
        reviewer: str,
        pair_filter: PairFilter | None = None,
        judge: str | None = None,
        group: str | None = None,
    ) -> PairSession:
        """Start a session; it only reads until the reviewer makes an edit.

        Args:
            store: the open database.
            reviewer: whose votes are read and written.
            pair_filter: which comparisons, in which order.
            judge: the pair judge to compare against (default: the one with most verdicts).
            group: the reviewer's group, set with their first edit (None keeps an existing
                reviewer's group; a new reviewer gets ``default``).

        Returns:
            The session, before any comparison is opened (call ``start``).
        """
        f = pair_filter or PairFilter()
        judge = judge or default_pair_judge(store)
        queue = open_pair_queue(store.db, f, reviewer, judge)
        saves = VoteSaveQueue(own_connection(store, VoteRepo), group)
        return cls(store, reviewer, judge, f, queue, queue.count(), saves)

    # -- reading -------------------------------------------------------------------

    def start(self) -> PairView | None:
        """Open at this reviewer's first comparison with a turn left to vote on (else the first)."""
        self.entry = self.queue.next_needing_vote(None) or self.queue.first()
        return self.view()

    def view(self) -> PairView | None:
        """The current comparison, freshly read, in this reviewer's order."""
        if self.entry is None:
            return None
        item = self.entry.item
        content, votes = self.store.content, self.store.votes
        question = content.question(item.question_id)
        first = content.answer(ItemKey(item.question_id, item.model_1))
        second = content.answer(ItemKey(item.question_id, item.model_2))
        if question is None or first is None or second is None:
            return None
        mine = votes.for_comparison(item.question_id, item.model_1, item.model_2, self.reviewer)
        shown_a = next((v.shown_a for v in mine.values()), seeded_shown_a(self.reviewer, item))
        a, b = (first, second) if shown_a == item.model_1 else (second, first)
        verdicts = (
            votes.verdicts(item.question_id, item.model_1, item.model_2, self.judge)
            if self.judge
            else []
        )
        return PairView(
            entry=self.entry,
            question=question,
            answer_a=a,
            answer_b=b,
            verdicts={v.turn: relative_verdict(v, shown_a) for v in verdicts},
            votes=mine,
            references=content.references(item.question_id),
        )

    def progress(self) -> PairProgress:
        """Comparisons in this queue the reviewer has fully and partly voted on."""
        return self.queue.progress()

    # -- moving --------------------------------------------------------------------

    def _move(self, entry: PairEntry | None) -> PairView | None:
        """Go to ``entry`` if there is one; stay put otherwise."""
        if entry is None:
            return None
        self.entry = entry
        return self.view()

    def next(self) -> PairView | None:
        """The next comparison, or None at the end."""
        return self._move(self.queue.after(self.entry) if self.entry else self.queue.first())

    def previous(self) -> PairView | None:
        """The previous comparison, or None at the start."""
        return self._move(self.queue.before(self.entry) if self.entry else None)

    def next_unvoted(self, view: PairView | None, turn: int) -> tuple[PairView, int] | None:
        """The next turn without a vote: later in this comparison, else in the next comparison
        that has one (wrapping round), else earlier in this one.

        Args:
            view: the comparison on screen (None when there is none).
            turn: the focused turn.

        Returns:
            The comparison to show and the turn to focus, or None when every turn is voted.
        """
        turns = self.filter.turns
        if view is not None:
            later = view.first_unvoted(tuple(t for t in turns if t > turn))
            if later is not None:
                return view, later
        moved = self._move(self.queue.next_needing_vote(self.entry))
        if moved is not None:
            return moved, moved.first_unvoted(turns) or turns[0]
        if view is not None:
            earlier = view.first_unvoted(turns)
            if earlier is not None:
                return view, earlier
        return None

    def goto(self, question_id: int) -> PairView | None:
        """The first comparison of a question, or None when it isn't in this queue."""
        return self._move(self.queue.find(question_id))

    def go_to_item(self, item: Comparison) -> PairView | None:
        """Open a given comparison when it is in the queue (undo returns to what it changed)."""
        return self._move(self.queue.locate(item))

    def refilter(self, new_filter: PairFilter, *, keep_place: bool = True) -> PairView | None:
        """Apply a new filter or order.

        Args:
            new_filter: the filter.
            keep_place: stay on the current comparison when it still matches (else the first).

        Returns:
            The comparison now shown, or None when the queue is empty.
        """
        current = self.entry.item if self.entry else None
        self._rebuild(new_filter, self.judge)
        entry = self.queue.locate(current) if keep_place and current else None
        self.entry = entry or self.queue.first()
        return self.view()

    def compare_with(self, judge: str) -> PairView | None:
        """Compare against another pair judge from now on, staying on the current comparison."""
        current = self.entry.item if self.entry else None
        self._rebuild(self.filter, judge)
        self.entry = (self.queue.locate(current) if current else None) or self.queue.first()
        return self.view()

    def _rebuild(self, new_filter: PairFilter, judge: str | None) -> None:
        """Replace the queue."""
        self.queue.close()
        self.filter, self.judge = new_filter, judge
        self.queue = open_pair_queue(self.store.db, new_filter, self.reviewer, judge)
        self.total = self.queue.count()

    # -- editing -------------------------------------------------------------------

    def vote(self, view: PairView, turn: int, choice: str, *, blind: bool) -> Submitted:
        """Vote ``A``, ``B`` or ``tie`` on a turn as shown (committed at once unless locked)."""
        edit = VoteEdit(
            "vote", self.reviewer, view.key(turn), view.shown_a, choice=choice, blind=blind
        )
        return self.saves.submit(edit)

    def note(self, view: PairView, turn: int, text: str) -> Submitted:
        """Set the comment on a turn; the text stays a draft until it lands."""
        key = view.key(turn)
        self.drafts[key] = text
        submitted = self.saves.submit(VoteEdit("note", self.reviewer, key, view.shown_a, note=text))
        self.settle(submitted.event)
        return submitted

    def flag(self, view: PairView, turn: int, flags: tuple[str, ...]) -> Submitted:
        """Set the flags on a turn."""
        edit = VoteEdit("flags", self.reviewer, view.key(turn), view.shown_a, flags=flags)
        return self.saves.submit(edit)

    def undo(self) -> Submitted | None:
        """Undo the session's last change (once earlier edits landed); None: nothing to undo."""
        if not self.saves.can_undo():
            return None
        return self.saves.submit(VoteEdit("undo", self.reviewer))

    def settle(self, event: VoteSaveEvent) -> None:
        """Forget a comment's draft once it has landed (a failed or dropped one stays a draft)."""
        edit = event.edit
        if event.kind == "saved" and edit.kind == "note" and edit.key is not None:
            if self.drafts.get(edit.key) == edit.note:
                del self.drafts[edit.key]

    def note_draft(self, view: PairView, turn: int) -> str | None:
        """An unsaved comment on a turn of a comparison, if any."""
        return self.drafts.get(view.key(turn))

    def close(self) -> tuple[VoteEdit, ...]:
        """End the session; returns the edits that never reached the database."""
        self.queue.close()
        return self.saves.close()
