"""The pair review screen's edits: votes, comments, flags and undo, each shown as saved only
once committed.

A locked database never freezes the screen: the edit waits in the session's save queue, a
worker retries it, and the turn says "not saved — retrying" until it lands (or the reviewer
quits and gives it up). A comment that never lands stays a draft the dialog offers again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from mtbench_tui.core.models import PairKey
from mtbench_tui.core.pair_saving import Submitted, VoteSaveEvent
from mtbench_tui.core.pair_view import describe_undo
from mtbench_tui.core.store.pair_filter import Comparison
from mtbench_tui.ui.screens.dialogs import CommentDialog, FlagsDialog
from mtbench_tui.ui.widgets.pair_votes import ChoiceBar

if TYPE_CHECKING:
    from mtbench_tui.ui.screens.pair_review import PairReviewScreen

RETRYING = "not saved — retrying"

_SAVED = {"vote": "saved ✓", "note": "comment saved ✓", "flags": "flags saved ✓"}


class PairEditsMixin:
    """Actions that change votes; mixed into PairReviewScreen."""

    def action_vote(self: PairReviewScreen, choice: str) -> None:
        """Vote on the focused turn; it shows as saved only once committed."""
        self._cast(self.turn, choice)

    def _cast(self: PairReviewScreen, turn: int, choice: str) -> None:
        """Submit a vote on a turn of the comparison on screen."""
        if self.view is None:
            return
        hidden = self._judge_hidden(turn)
        self._submitted(self.session.vote(self.view, turn, choice, blind=hidden))

    def _submitted(self: PairReviewScreen, submitted: Submitted) -> None:
        """Show what happened to an edit, and start retrying when the database was busy."""
        self._saved(submitted.event)
        if submitted.start_drain:
            self._drain()

    @work(thread=True, group="pair-saves", exit_on_error=False)
    def _drain(self: PairReviewScreen) -> None:
        """Retry the queued edits in order on the session's writer connection."""
        self.session.saves.drain(lambda e: self.app.call_from_thread(self._saved, e))

    def _saved(self: PairReviewScreen, event: VoteSaveEvent) -> None:
        """Update the screen for one save event (called on the event loop)."""
        self.session.settle(event)
        edit = event.edit
        if edit.kind == "undo":
            self.run_worker(self._undone(event), group="pair-undo")
            return
        if edit.key is None:
            return
        if event.kind == "saved":
            self.status[edit.key] = _SAVED[edit.kind]
            self._reload()
            return
        if event.kind in ("queued", "retrying"):
            self.status[edit.key] = RETRYING
        else:
            self.status[edit.key] = "NOT SAVED"
            detail = f": {event.detail}" if event.detail else ""
            self.say(f"Not saved ({edit.describe()}){detail}", severity="error", timeout=10)
        self._render_panels()

    def on_choice_bar_chosen(self: PairReviewScreen, event: ChoiceBar.Chosen) -> None:
        """A click on A, B or tie."""
        self.turn = event.turn
        self._cast(event.turn, event.choice)

    def action_give_up(self: PairReviewScreen) -> None:
        """Stop retrying the changes that wait for a locked database (they come back dropped)."""
        if self.session.saves.pending():
            self.session.saves.give_up()

    def action_undo(self: PairReviewScreen) -> None:
        """Undo this session's last change (vote, comment or flags)."""
        submitted = self.session.undo()
        if submitted is None:
            self.say("Nothing to undo")
            return
        self._submitted(submitted)

    async def _undone(self: PairReviewScreen, event: VoteSaveEvent) -> None:
        """Return to the comparison an undo changed and say what it put back."""
        change = event.change
        if event.kind in ("queued", "retrying"):
            self.say("Undo waits for the database (locked by another program)…")
            return
        if event.kind != "saved":
            self.say(f"Undo not saved: {event.detail}", severity="error", timeout=10)
            return
        if change is None:
            self.say("Nothing to undo")
            return
        key = change.key
        if self.view is None or self.view.key(key.turn) != key:
            view = self.session.go_to_item(_comparison(key))
            if view is not None:
                await self._open(view, key.turn)
        self.turn = key.turn
        self.status[key] = "undone ✓"
        self._reload()
        self.say(f"Undone: Q{key.question_id} turn {key.turn}: {describe_undo(change)}")

    def action_comment(self: PairReviewScreen) -> None:
        """Edit the comment on the focused turn."""
        view, turn = self.view, self.turn
        if view is None:
            return
        vote = view.votes.get(turn)
        draft = self.session.note_draft(view, turn)
        note = draft if draft is not None else (vote.note if vote else "")

        def save(text: str | None) -> None:
            if text is not None:
                self._submitted(self.session.note(view, turn, text))

        self.app.push_screen(CommentDialog(turn, note), save)

    def action_flags(self: PairReviewScreen) -> None:
        """Toggle flags on the focused turn."""
        view, turn = self.view, self.turn
        if view is None:
            return
        vote = view.votes.get(turn)

        def save(flags: tuple[str, ...] | None) -> None:
            if flags is not None:
                self._submitted(self.session.flag(view, turn, flags))

        self.app.push_screen(FlagsDialog(turn, vote.flags if vote else ()), save)


def _comparison(key: PairKey) -> Comparison:
    """The comparison a vote key belongs to."""
    return Comparison(key.question_id, key.model_1, key.model_2)
