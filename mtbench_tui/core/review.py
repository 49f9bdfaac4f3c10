"""A reviewer's session: where they are in the queue, what they see, and their edits. No UI here."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtbench_tui.core.models import (
    Answer,
    ItemKey,
    Judgment,
    Question,
    Rating,
    ReferenceAnswer,
    TurnKey,
)
from mtbench_tui.core.saving import Edit, SaveEvent, SaveQueue, Submitted, own_connection
from mtbench_tui.core.store import QueueEntry, QueueFilter, RatingChange, Store
from mtbench_tui.core.store.queue import QueueProgress, ReviewQueue
from mtbench_tui.core.store.ratings import RatingRepo


@dataclass(frozen=True)
class ItemView:
    """Everything the review screen shows for one conversation."""

    entry: QueueEntry
    question: Question
    answer: Answer
    verdicts: dict[int, Judgment]
    ratings: dict[int, Rating]
    references: list[ReferenceAnswer]

    @property
    def key(self) -> ItemKey:
        """The conversation shown."""
        return self.entry.item

    def reference_turns(self) -> tuple[str, str] | None:
        """The reference answer: a reference-answer file's, else the question's ``reference``."""
        if self.references:
            return self.references[0].turns
        ref = self.question.reference
        if ref:
            return (ref[0], ref[1] if len(ref) > 1 else "")
        return None

    def score(self, turn: int) -> int | None:
        """The reviewer's score of a turn, or None."""
        rating = self.ratings.get(turn)
        return rating.score if rating else None

    def first_unscored(self, turns: tuple[int, ...]) -> int:
        """The first of ``turns`` the reviewer hasn't scored (the first turn when all are)."""
        return next((t for t in turns if self.score(t) is None), turns[0])


def describe_undo(change: RatingChange) -> str:
    """What undoing ``change`` put back, e.g. ``score back to 3`` or ``comment removed``.

    Args:
        change: the change that was undone.

    Returns:
        A short phrase naming the part of the rating the undo affected.
    """
    before, after = change.before, change.after
    if before is None:
        return "rating removed"
    if after is not None and before.note != after.note:
        return "comment restored" if before.note else "comment removed"
    if after is not None and before.flags != after.flags:
        return "flags restored" if before.flags else "flags removed"
    return f"score back to {before.score}" if before.score else "score cleared"


@dataclass
class ReviewSession:
    """Navigation and rating for one reviewer, against one judge; built by ``open``."""

    store: Store
    reviewer: str
    judge: str | None
    filter: QueueFilter
    queue: ReviewQueue
    total: int
    saves: SaveQueue
    entry: QueueEntry | None = None
    drafts: dict[TurnKey, str] = field(default_factory=dict)
    """Comments that could not be saved, kept so the comment dialog can offer them again."""

    @classmethod
    def open(
        cls,
        store: Store,
        reviewer: str,
        queue_filter: QueueFilter | None = None,
        judge: str | None = None,
    ) -> ReviewSession:
        """Start a session; it only reads until the reviewer makes an edit.

        Args:
            store: the open database.
            reviewer: whose ratings are read and written.
            queue_filter: which items, in which order.
            judge: the judge to compare against (default: ``store.default_judge()``).

        Returns:
            The session, before any item is opened (call ``start``).
        """
        f = queue_filter or QueueFilter()
        judge = judge or store.default_judge()
        queue = store.queue(f, reviewer, judge)
        saves = SaveQueue(own_connection(store, RatingRepo))
        return cls(store, reviewer, judge, f, queue, queue.count(), saves)

    # -- reading -------------------------------------------------------------------

    def start(self) -> ItemView | None:
        """Open at this reviewer's first item still needing a score (else the first item)."""
        self.entry = self.queue.next_needing_rating(None) or self.queue.first()
        return self.view()

    def view(self) -> ItemView | None:
        """The current item, freshly read."""
        if self.entry is None:
            return None
        item = self.entry.item
        content = self.store.content
        question, answer = content.question(item.question_id), content.answer(item)
        if question is None or answer is None:
            return None
        verdicts = {j.turn: j for j in content.judgments(item, self.judge)} if self.judge else {}
        return ItemView(
            entry=self.entry,
            question=question,
            answer=answer,
            verdicts=verdicts,
            ratings=self.store.ratings.for_item(item, self.reviewer),
            references=content.references(item.question_id),
        )

    def progress(self) -> QueueProgress:
        """Items in this queue the reviewer has fully and partly scored."""
        return self.queue.progress()

    # -- moving --------------------------------------------------------------------

    def _move(self, entry: QueueEntry | None) -> ItemView | None:
        """Go to ``entry`` if there is one; stay put otherwise."""
        if entry is None:
            return None
        self.entry = entry
        return self.view()

    def next(self) -> ItemView | None:
        """The next item, or None at the end."""
        return self._move(self.queue.after(self.entry) if self.entry else self.queue.first())

    def previous(self) -> ItemView | None:
        """The previous item, or None at the start."""
        return self._move(self.queue.before(self.entry) if self.entry else None)

    def next_unrated(self) -> ItemView | None:
        """The next item this reviewer hasn't fully scored, or None when all are."""
        return self._move(self.queue.next_needing_rating(self.entry))

    def goto(self, question_id: int) -> ItemView | None:
        """The first item of a question, or None when it isn't in this queue."""
        return self._move(self.queue.find(question_id))

    def go_to_item(self, item: ItemKey) -> ItemView | None:
        """Open a given item when it is in the queue (undo returns to the item it changed)."""
        return self._move(self.queue.locate(item))

    def refilter(self, new_filter: QueueFilter, *, keep_place: bool = True) -> ItemView | None:
        """Apply a new filter or order.

        Args:
            new_filter: the filter.
            keep_place: stay on the current item when it still matches (else open item 1).

        Returns:
            The item now shown, or None when the queue is empty.
        """
        current = self.entry.item if self.entry else None
        self._rebuild(new_filter, self.judge)
        entry = self.queue.locate(current) if keep_place and current else None
        self.entry = entry or self.queue.first()
        return self.view()

    def compare_with(self, judge: str) -> ItemView | None:
        """Compare against another judge from now on, staying on the current item."""
        current = self.entry.item if self.entry else None
        self._rebuild(self.filter, judge)
        self.entry = (self.queue.locate(current) if current else None) or self.queue.first()
        return self.view()

    def _rebuild(self, new_filter: QueueFilter, judge: str | None) -> None:
        """Replace the queue."""
        self.queue.close()
        self.filter, self.judge = new_filter, judge
        self.queue = self.store.queue(new_filter, self.reviewer, judge)
        self.total = self.queue.count()

    # -- editing -------------------------------------------------------------------

    def rate(self, turn: int, score: int, *, blind: bool) -> Submitted:
        """Score a turn of the current item (committed at once unless the database is locked)."""
        edit = Edit("score", self.reviewer, self._turn(turn), score=score, blind=blind)
        return self.saves.submit(edit)

    def note(self, turn: int, text: str) -> Submitted:
        """Set the comment on a turn; the text stays a draft until it lands."""
        key = self._turn(turn)
        self.drafts[key] = text
        submitted = self.saves.submit(Edit("note", self.reviewer, key, note=text))
        self.settle(submitted.event)
        return submitted

    def flag(self, turn: int, flags: tuple[str, ...]) -> Submitted:
        """Set the flags on a turn."""
        return self.saves.submit(Edit("flags", self.reviewer, self._turn(turn), flags=flags))

    def undo(self) -> Submitted | None:
        """Undo this session's last change (once earlier edits have landed).

        Returns:
            What was submitted, or None when there is nothing to undo.
        """
        if not self.saves.can_undo():
            return None
        return self.saves.submit(Edit("undo", self.reviewer))

    def settle(self, event: SaveEvent) -> None:
        """Forget a comment's draft once it has landed (a failed or dropped one stays a draft)."""
        edit = event.edit
        if event.kind == "saved" and edit.kind == "note" and edit.key is not None:
            if self.drafts.get(edit.key) == edit.note:
                del self.drafts[edit.key]

    def note_draft(self, turn: int) -> str | None:
        """An unsaved comment on a turn of the current item, if any."""
        return self.drafts.get(self._turn(turn)) if self.entry else None

    def close(self) -> tuple[Edit, ...]:
        """End the session; returns the edits that never reached the database."""
        self.queue.close()
        return self.saves.close()

    def _turn(self, turn: int) -> TurnKey:
        """The current item's turn."""
        if self.entry is None:
            raise RuntimeError("no item to rate")
        return TurnKey(self.entry.item.question_id, self.entry.item.model, turn)
