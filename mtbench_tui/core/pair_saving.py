"""Pair-vote writes that survive a locked database: ``saving.WriteQueue`` with vote edits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.saving import BUSY_MS, RETRY_SECONDS, Accepted, WriteEvent, WriteQueue
from mtbench_tui.core.store.votes import VoteChange, VoteRepo

EditKind = Literal["vote", "note", "flags", "undo"]


@dataclass(frozen=True)
class VoteEdit:
    """One change the reviewer asked for; ``key`` is None for an undo."""

    kind: EditKind
    reviewer: str
    key: PairKey | None = None
    shown_a: str | None = None
    choice: str = ""
    blind: bool = False
    note: str = ""
    flags: tuple[str, ...] = ()

    def describe(self) -> str:
        """What the edit does, for messages: ``vote A``, ``comment``, ``flags``, ``undo``."""
        if self.kind == "vote":
            return f"vote {self.choice}"
        return "comment" if self.kind == "note" else self.kind


VoteSaveEvent = WriteEvent[VoteEdit, VoteChange]
Submitted = Accepted[VoteEdit, VoteChange]


class VoteSaveQueue(WriteQueue[VoteEdit, VoteChange, VoteRepo]):
    """The pair-vote edits of one review session; the reviewer is registered on first write."""

    def __init__(
        self,
        open_repo: Callable[[], VoteRepo],
        group: str | None = None,
        *,
        retry_seconds: float = RETRY_SECONDS,
        busy_ms: int = BUSY_MS,
    ) -> None:
        super().__init__(open_repo, retry_seconds=retry_seconds, busy_ms=busy_ms)
        self._group = group
        self._registered = False

    def _write(self, repo: VoteRepo, edit: VoteEdit) -> VoteChange:
        """Set a vote, a comment or flags (registering the reviewer and group first)."""
        if not self._registered:
            repo.ensure_reviewer(edit.reviewer, self._group)
            self._registered = True
        key = edit.key
        if key is None:
            raise ValueError(f"a {edit.kind} edit needs a comparison turn")
        if edit.kind == "vote":
            return repo.set_vote(
                key, edit.reviewer, edit.choice, shown_a=edit.shown_a or "", blind=edit.blind
            )
        if edit.kind == "note":
            return repo.set_note(key, edit.reviewer, edit.note, shown_a=edit.shown_a)
        return repo.set_flags(key, edit.reviewer, edit.flags, shown_a=edit.shown_a)

    def _restore(self, repo: VoteRepo, change: VoteChange) -> None:
        """Put the comparison turn's vote back as it was."""
        repo.restore(change)


def unsaved_lines(edits: tuple[VoteEdit, ...], drafts: dict[PairKey, str]) -> list[str]:
    """Plain lines naming the pair edits and comments that never reached the database.

    Args:
        edits: edits still queued when the session closed.
        drafts: comments not yet saved, by comparison turn.

    Returns:
        One line per lost change; comments are quoted in full.
    """
    lines = [f"not saved: {_where(e.key)}{e.describe()}" for e in edits if e.kind != "note"]
    lines.extend(f"not saved: {_where(key)}comment {text!r}" for key, text in drafts.items())
    return lines


def _where(key: PairKey | None) -> str:
    """``Q81 phi-3 vs phi-3-dpo turn 1 `` or nothing."""
    return f"Q{key.question_id} {key.model_1} vs {key.model_2} turn {key.turn} " if key else ""
