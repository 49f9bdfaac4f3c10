"""A reviewer's session: where they are in the queue, what they see, and what they can undo. No UI here."""

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
from mtbench_tui.core.store import QueueEntry, QueueFilter, RatingChange, Store


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
        """The reference answer to show: a reference-answer file's, else the question's own ``reference``."""
        if self.references:
            return self.references[0].turns
        ref = self.question.reference
        if ref:
            return (ref[0], ref[1] if len(ref) > 1 else "")
        return None


@dataclass
class ReviewSession:
    """Navigation and rating for one reviewer; every rating write is committed before it returns."""

    store: Store
    reviewer: str
    filter: QueueFilter = field(default_factory=QueueFilter)
    judge: str | None = None
    entry: QueueEntry | None = None
    undo_stack: list[RatingChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.store.ratings.ensure_reviewer(self.reviewer)
        self.judge = self.filter.judge or self.judge or self.store.default_judge()
        self.queue = self.store.queue(self.filter, self.reviewer, self.judge)
        self.total = self.queue.count()

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
        verdicts = {j.turn: j for j in content.judgments(item, self.judge)} if self.judge else {}
        return ItemView(
            entry=self.entry,
            question=content.question(item.question_id),
            answer=content.answer(item),
            verdicts=verdicts,
            ratings=self.store.ratings.for_item(item, self.reviewer),
            references=content.references(item.question_id),
        )

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
        """The first item for a question id (or the next id after it)."""
        return self._move(self.queue.find(question_id))

    def rate(self, turn: int, score: int, *, blind: bool) -> RatingChange:
        """Score a turn of the current item; committed when this returns."""
        change = self.store.ratings.set_score(self._turn(turn), self.reviewer, score, blind=blind)
        self.undo_stack.append(change)
        return change

    def note(self, turn: int, text: str) -> RatingChange:
        """Set the comment on a turn."""
        change = self.store.ratings.set_note(self._turn(turn), self.reviewer, text)
        self.undo_stack.append(change)
        return change

    def flag(self, turn: int, flags: tuple[str, ...]) -> RatingChange:
        """Set the flags on a turn."""
        change = self.store.ratings.set_flags(self._turn(turn), self.reviewer, flags)
        self.undo_stack.append(change)
        return change

    def undo(self) -> RatingChange | None:
        """Undo the last change of this session, moving to its item; None when nothing is left to undo."""
        if not self.undo_stack:
            return None
        change = self.undo_stack.pop()
        self.store.ratings.restore(change)
        if self.entry is None or self.entry.item != change.key.item:
            if self.queue.contains(change.key.item):
                self.entry = self.queue.locate(change.key.item)
        return change

    def refilter(self, new_filter: QueueFilter) -> ItemView | None:
        """Apply a new filter or order; stays on the current item when it still matches."""
        current = self.entry.item if self.entry else None
        close = getattr(self.queue, "close", None)
        if close:
            close()
        self.filter = new_filter
        self.judge = new_filter.judge or self.judge
        self.queue = self.store.queue(new_filter, self.reviewer, self.judge)
        self.total = self.queue.count()
        if current is not None and self.queue.contains(current):
            self.entry = self.queue.locate(current)
            return self.view()
        self.entry = self.queue.first()
        return self.view()

    def rated_count(self) -> int:
        """Items in this queue the reviewer has fully scored."""
        return self.queue.rated_count()

    def _turn(self, turn: int) -> TurnKey:
        """The current item's turn."""
        if self.entry is None:
            raise RuntimeError("no item to rate")
        return TurnKey(self.entry.item.question_id, self.entry.item.model, turn)
