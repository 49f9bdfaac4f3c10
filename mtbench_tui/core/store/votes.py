"""Human pair votes: every write commits at once and leaves a trace in pair_vote_history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.models import FLAGS
from mtbench_tui.core.pair_choices import choice_winner, derived_group, vote_key
from mtbench_tui.core.pair_models import (
    DEFAULT_GROUP,
    HumanPairVote,
    PairKey,
    PairVote,
    PairVoteEvent,
)
from mtbench_tui.core.store.vote_reads import VoteReads
from mtbench_tui.core.store.vote_rows import (
    EVENT_COLUMNS,
    KEY_WHERE,
    VOTE_COLUMNS,
    event_params,
    key_params,
    vote_params,
)


@dataclass(frozen=True)
class VoteChange:
    """What one write did: the vote before (None if there was none) and after."""

    key: PairKey
    reviewer: str
    before: PairVote | None
    after: PairVote | None


class VoteRepo(VoteReads):
    """Reads and writes pair votes; the only place pair votes and their history are written."""

    # --- reviewers -------------------------------------------------------------------------

    def ensure_reviewer(self, name: str, group: str | None = None) -> None:
        """Register a reviewer if new; a given group is set even on an existing reviewer.

        Args:
            name: the reviewer.
            group: their group; None keeps an existing reviewer's group (new ones get
                ``default``).
        """
        with self.db.atomic():
            self._ensure_reviewer(name, group)

    def _ensure_reviewer(self, name: str, group: str | None) -> None:
        """ensure_reviewer inside the caller's transaction."""
        self.db.execute(
            "INSERT OR IGNORE INTO reviewers (name, created, reviewer_group) VALUES (?, ?, ?)",
            [name, now_iso(), group or DEFAULT_GROUP],
        )
        if group is not None:
            self.db.execute(
                "UPDATE reviewers SET reviewer_group = ? WHERE name = ? AND reviewer_group <> ?",
                [group, name, group],
            )

    # --- writes -----------------------------------------------------------------------------

    def set_vote(
        self, key: PairKey, reviewer: str, choice: str, *, shown_a: str, blind: bool = False
    ) -> VoteChange:
        """Record a vote as the reviewer cast it and commit.

        Args:
            key: the comparison turn.
            reviewer: who votes.
            choice: ``A``, ``B`` or ``tie``, relative to what the reviewer saw.
            shown_a: the model shown as answer A.
            blind: True when the judge's verdict was hidden as the vote was cast.

        Returns:
            The change, which ``restore`` can undo.
        """
        winner = choice_winner(key, shown_a, choice)
        return self._edit(
            key,
            reviewer,
            "vote",
            shown_a,
            lambda v: replace(v, winner=winner, shown_a=shown_a, blind=blind),
        )

    def set_note(
        self, key: PairKey, reviewer: str, note: str, *, shown_a: str | None = None
    ) -> VoteChange:
        """Set the reviewer's comment on a comparison turn and commit.

        ``shown_a`` is needed only when the reviewer has no vote there yet.
        """
        return self._edit(key, reviewer, "note", shown_a, lambda v: replace(v, note=note))

    def set_flags(
        self,
        key: PairKey,
        reviewer: str,
        flags: tuple[str, ...],
        *,
        shown_a: str | None = None,
    ) -> VoteChange:
        """Set the flags on a comparison turn and commit (``shown_a`` as for ``set_note``)."""
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"unknown flags: {sorted(unknown)}")
        chosen = tuple(sorted(set(flags)))
        return self._edit(key, reviewer, "flags", shown_a, lambda v: replace(v, flags=chosen))

    def restore(self, change: VoteChange) -> VoteChange:
        """Undo a change: put back the vote as it was before (removing it if there was none)."""
        before = change.before
        return self._write(change.key, change.reviewer, "undo", lambda _v: before)

    def _edit(
        self,
        key: PairKey,
        reviewer: str,
        event: str,
        shown_a: str | None,
        change: Callable[[PairVote], PairVote],
    ) -> VoteChange:
        """Change the current vote, starting from an empty one when there is none."""

        def compute(before: PairVote | None) -> PairVote:
            return change(before or _blank(key, reviewer, shown_a))

        return self._write(key, reviewer, event, compute)

    def _write(
        self,
        key: PairKey,
        reviewer: str,
        event: str,
        compute: Callable[[PairVote | None], PairVote | None],
    ) -> VoteChange:
        """Replace the current vote by ``compute(current)`` in one committed transaction."""
        with self.db.atomic():
            self._ensure_reviewer(reviewer, None)
            before = self.get(key, reviewer)
            now = now_iso()
            after = compute(before)
            if after is None:
                self._delete(key, reviewer)
            else:
                after = replace(after, created=after.created or now, updated=now)
                self._upsert(after)
            self._record(key, reviewer, event, after, now)
        return VoteChange(key, reviewer, before, after)

    def _upsert(self, vote: PairVote) -> None:
        """Write a vote row."""
        self.db.execute(
            f"INSERT OR REPLACE INTO pair_votes ({VOTE_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            vote_params(vote),
        )

    def _delete(self, key: PairKey, reviewer: str) -> None:
        """Remove a vote row (only undo does this, and history keeps the trace)."""
        self.db.execute(
            f"DELETE FROM pair_votes WHERE {KEY_WHERE} AND reviewer = ?",
            [*key_params(key), reviewer],
        )

    def _record(
        self, key: PairKey, reviewer: str, event: str, state: PairVote | None, at: str
    ) -> None:
        """Append to pair_vote_history the state a write left behind."""
        self._insert_event(
            PairVoteEvent(
                key,
                reviewer,
                event,
                state.shown_a if state else None,
                state.winner if state else None,
                state.note if state else "",
                state.flags if state else (),
                state.blind if state else False,
                at,
            )
        )

    def _insert_event(self, e: PairVoteEvent) -> None:
        """Write one history row."""
        self.db.execute(
            f"INSERT INTO pair_vote_history ({EVENT_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_params(e),
        )

    # --- merge from an export ---------------------------------------------------------------

    def merge(self, incoming: HumanPairVote) -> str:
        """Merge a vote read from a file, inside the caller's transaction.

        The later ``updated`` wins; history is united; the reviewer is created with the
        vote's group (or the group the name implies).

        Returns:
            ``"new"``, ``"updated"`` or ``"unchanged"``.
        """
        now = now_iso()
        vote = incoming.vote
        vote = replace(vote, created=vote.created or now, updated=vote.updated or now)
        self.db.execute(
            "INSERT OR IGNORE INTO reviewers (name, created, reviewer_group) VALUES (?, ?, ?)",
            [vote.reviewer, now, incoming.group or derived_group(vote.reviewer)],
        )
        current = self.get(vote_key(vote), vote.reviewer)
        added = self._merge_history(incoming.history)
        if current is None:
            self._upsert(vote)
            return "new"
        if _same(current, vote) or (current.updated or "") > (vote.updated or ""):
            return "updated" if added else "unchanged"
        self._upsert(vote)
        return "updated"

    def _merge_history(self, events: tuple[PairVoteEvent, ...]) -> int:
        """Add the history events not already present; return how many were added."""
        added = 0
        for e in events:
            params = event_params(e)
            exists = self.db.execute(
                "SELECT 1 FROM pair_vote_history WHERE question_id = ? AND model_1 = ?"
                " AND model_2 = ? AND turn = ? AND reviewer = ? AND event = ? AND shown_a IS ?"
                " AND winner IS ? AND note = ? AND flags = ? AND blind = ? AND at = ?",
                params,
            ).fetchone()
            if not exists:
                self._insert_event(e)
                added += 1
        return added


def _blank(key: PairKey, reviewer: str, shown_a: str | None) -> PairVote:
    """An empty vote to build the first write on."""
    if shown_a is None:
        raise ValueError("a first write on a comparison must say which model was shown as A")
    key.side(shown_a)
    q, m1, m2, turn = key.question_id, key.model_1, key.model_2, key.turn
    return PairVote(q, m1, m2, turn, reviewer, shown_a, None)


def _same(a: PairVote, b: PairVote) -> bool:
    """True when two votes hold the same content."""
    return (a.shown_a, a.winner, a.note, a.flags, a.blind) == (
        b.shown_a,
        b.winner,
        b.note,
        b.flags,
        b.blind,
    )
