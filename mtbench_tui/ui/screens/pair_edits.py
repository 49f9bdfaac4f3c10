"""The pair review screen's edits: votes, comments, flags and undo, each shown as saved only
once committed.

A locked database never freezes the screen: the edit waits in the session's save queue, a
worker retries it, and the turn says "not saved — retrying" until it lands or the reviewer
gives up (Esc). A comment that never lands stays a draft the comment dialog offers again.
"""

from __future__ import annotations

from textual import work

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.pair_saving import Submitted, VoteEdit, VoteSaveEvent
from mtbench_tui.core.pair_view import describe_undo
from mtbench_tui.core.store.pair_filter import Comparison
from mtbench_tui.ui.screens.dialogs import CommentDialog, FlagsDialog
from mtbench_tui.ui.screens.pair_state import PairState
from mtbench_tui.ui.text import say
from mtbench_tui.ui.widgets.pair_votes import ChoiceBar

RETRYING = "not saved — retrying"

_SAVED = {"vote": "saved ✓", "note": "comment saved ✓", "flags": "flags saved ✓"}


class PairEditsMixin(PairState):
    """Actions that change votes; PairReviewScreen adds the keys that move and filter."""

    def action_vote(self, choice: str) -> None:
        """Vote on the focused turn; it shows as saved only once committed."""
        self._cast(self.turn, choice)

    def _cast(self, turn: int, choice: str) -> None:
        """Submit a vote on a turn of the comparison on screen."""
        if self.view is not None:
            hidden = self._judge_hidden(turn)
            self._submit(self.session.vote(self.view, turn, choice, blind=hidden))

    def on_choice_bar_chosen(self, event: ChoiceBar.Chosen) -> None:
        """A click on A, B or tie."""
        self.turn = event.turn
        self._cast(event.turn, event.choice)

    def action_comment(self) -> None:
        """Edit the comment on the focused turn (an unsaved draft comes back first)."""
        view, turn = self.view, self.turn
        if view is None:
            return
        vote = view.votes.get(turn)
        draft = self.session.note_draft(view, turn)
        note = draft if draft is not None else (vote.note if vote else "")

        def save(text: str | None) -> None:
            if text is not None:
                self._submit(self.session.note(view, turn, text))

        self.app.push_screen(CommentDialog(turn, note, draft=draft is not None), save)

    def action_flags(self) -> None:
        """Toggle flags on the focused turn."""
        view, turn = self.view, self.turn
        if view is None:
            return
        vote = view.votes.get(turn)

        def save(flags: tuple[str, ...] | None) -> None:
            if flags is not None:
                self._submit(self.session.flag(view, turn, flags))

        self.app.push_screen(FlagsDialog(turn, vote.flags if vote else ()), save)

    def action_undo(self) -> None:
        """Undo this session's last change (vote, comment or flags)."""
        submitted = self.session.undo()
        if submitted is None:
            say(self, "Nothing to undo")
            return
        self._submit(submitted)

    def action_give_up(self) -> None:
        """Stop retrying the changes that wait for a locked database (they come back dropped)."""
        self.session.saves.give_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer the give-up key only while changes wait for the database."""
        if action == "give_up":
            return self.unsaved > 0
        return True

    # -- saving -------------------------------------------------------------------

    def _submit(self, submitted: Submitted) -> None:
        """Show the outcome of an edit; start retrying in a worker when the database was busy."""
        self._on_save_event(submitted.event)
        if submitted.start_drain:
            say(
                self,
                "The database is locked by another program. Your vote is kept and retried;"
                " Esc gives up.",
                severity="warning",
                timeout=6,
            )
            self._drain()

    @work(thread=True, group="pair-save", exit_on_error=False)
    def _drain(self) -> None:
        """Retry the waiting edits in order, off the event loop."""
        self.session.saves.drain(self._from_worker)

    def _from_worker(self, event: VoteSaveEvent) -> None:
        """Hand a save event from the worker thread to the event loop."""
        try:
            self.app.call_from_thread(self._on_save_event, event)
        except RuntimeError:
            pass  # the app has closed; the CLI prints what never landed

    def _on_save_event(self, event: VoteSaveEvent) -> None:
        """Update the turn's status, the comparison and the counts for one save event."""
        self.unsaved = len(self.session.saves.pending())
        self.session.settle(event)
        edit = event.edit
        if event.kind == "saved":
            self._saved(edit, event)
        elif event.kind in ("queued", "retrying"):
            # Queued means the database refused it once: it is not saved, and will be retried.
            self._set_status(edit.key, RETRYING)
        else:
            self._lost(edit, event)

    def _saved(self, edit: VoteEdit, event: VoteSaveEvent) -> None:
        """An edit landed: show it; for an undo, say what it undid and go to its comparison."""
        if edit.kind != "undo":
            self._set_status(edit.key, _SAVED[edit.kind])
            self._after_write(edit.key)
            return
        change = event.change
        if change is None:
            say(self, "Nothing to undo")
            return
        key = change.key
        if self.view is None or self.view.key(key.turn) != key:
            self._open(self.session.go_to_item(_comparison(key)) or self.view, turn=key.turn)
        else:
            self.turn = key.turn
        self._set_status(key, "undone ✓")
        self._after_write(key)
        say(self, f"Undone: Q{key.question_id} turn {key.turn}: {describe_undo(change)}")

    def _lost(self, edit: VoteEdit, event: VoteSaveEvent) -> None:
        """An edit failed or the reviewer gave up on it; comments stay as drafts."""
        self._set_status(edit.key, "NOT SAVED")
        where = f"Q{edit.key.question_id} turn {edit.key.turn} " if edit.key else ""
        why = f": {event.detail}" if event.detail else ""
        kept = " Your comment is kept: press c on that turn." if edit.kind == "note" else ""
        say(self, f"Not saved: {where}{edit.describe()}{why}.{kept}", severity="error", timeout=10)

    def _set_status(self, key: PairKey | None, text: str) -> None:
        """Set one turn's save status."""
        if key is not None:
            self.status = {**self.status, key: text}

    def _after_write(self, key: PairKey | None) -> None:
        """Re-read the comparison if it is on screen, and recount progress."""
        if key is not None and self.view is not None and self.view.key(key.turn) == key:
            self._reload()
        self.progress = self.session.progress()


def _comparison(key: PairKey) -> Comparison:
    """The comparison a vote key belongs to."""
    return Comparison(key.question_id, key.model_1, key.model_2)
