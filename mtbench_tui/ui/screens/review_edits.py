"""The review screen's edits: scores, comments, flags and undo, shown as saved only once committed.

A locked database never freezes the screen: the edit waits in the session's save queue, a
worker retries it, and the turn says "not saved — retrying" until it lands or the reviewer
gives up (Esc). A comment that never lands stays a draft that the comment dialog offers again.
"""

from __future__ import annotations

from textual import work

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.review import describe_undo
from mtbench_tui.core.saving import Edit, SaveEvent, Submitted
from mtbench_tui.ui.screens.dialogs import CommentDialog, FlagsDialog
from mtbench_tui.ui.screens.review_state import ReviewState
from mtbench_tui.ui.text import say
from mtbench_tui.ui.widgets.rating_panel import ScoreBar

RETRYING = "not saved — retrying"

_SAVED = {"score": "saved ✓", "note": "comment saved ✓", "flags": "flags saved ✓"}


class EditingMixin(ReviewState):
    """Actions that change ratings; mixed into ReviewScreen."""

    def action_score(self, score: int) -> None:
        """Score the focused turn; it shows as saved only after the commit."""
        self._score(self.turn, score)

    def _score(self, turn: int, score: int) -> None:
        """Submit a score for a turn of the current item."""
        if self.view is not None:
            self._submit(self.session.rate(turn, score, blind=self._judge_hidden(turn)))

    def on_score_bar_chosen(self, event: ScoreBar.Chosen) -> None:
        """A click on a score cell."""
        self.turn = event.turn
        self._score(event.turn, event.score)

    def action_comment(self) -> None:
        """Edit the comment on the focused turn (an unsaved draft comes back first)."""
        if self.view is None:
            return
        turn = self.turn
        rating = self.view.ratings.get(turn)
        draft = self.session.note_draft(turn)
        text = draft if draft is not None else (rating.note if rating else "")

        def save(note: str | None) -> None:
            if note is not None:
                self._submit(self.session.note(turn, note))

        self.app.push_screen(CommentDialog(turn, text, draft=draft is not None), save)

    def action_flags(self) -> None:
        """Toggle flags on the focused turn."""
        if self.view is None:
            return
        turn = self.turn
        rating = self.view.ratings.get(turn)

        def save(flags: tuple[str, ...] | None) -> None:
            if flags is not None:
                self._submit(self.session.flag(turn, flags))

        self.app.push_screen(FlagsDialog(turn, rating.flags if rating else ()), save)

    def action_undo(self) -> None:
        """Undo this session's last change (score, comment or flags)."""
        submitted = self.session.undo()
        if submitted is None:
            say(self, "Nothing to undo")
            return
        self._submit(submitted)

    def action_give_up(self) -> None:
        """Stop retrying edits the database hasn't taken."""
        self.session.saves.give_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The give-up key exists only while edits wait for the database (False hides it)."""
        if action == "give_up":
            return self.unsaved > 0
        return True

    # -- save events ---------------------------------------------------------------

    def _submit(self, submitted: Submitted) -> None:
        """Show the outcome of an edit; start retrying in a worker when the database was busy."""
        self._on_save_event(submitted.event)
        if submitted.start_drain:
            say(
                self,
                "The database is locked by another program. Your change is kept and retried;"
                " Esc gives up.",
                severity="warning",
                timeout=6,
            )
            self._drain()

    @work(thread=True, group="save", exit_on_error=False)
    def _drain(self) -> None:
        """Retry the waiting edits in order, off the event loop."""
        self.session.saves.drain(self._from_worker)

    def _from_worker(self, event: SaveEvent) -> None:
        """Hand a save event from the worker thread to the event loop."""
        try:
            self.app.call_from_thread(self._on_save_event, event)
        except RuntimeError:
            pass  # the app has closed; the edit is reported by the CLI on exit

    def _on_save_event(self, event: SaveEvent) -> None:
        """Update the turn's status, the item and the counts for one save event."""
        self.unsaved = len(self.session.saves.pending())
        self.session.settle(event)
        edit = event.edit
        if event.kind == "saved":
            self._saved(edit, event)
        elif event.kind == "queued":
            # Queued means the database refused it once: it is not saved, and will be retried.
            self._set_status(edit.key, RETRYING)
        elif event.kind == "retrying":
            self._set_status(edit.key, RETRYING)
        else:
            self._lost(edit, event)

    def _saved(self, edit: Edit, event: SaveEvent) -> None:
        """An edit landed: show it, and for an undo say what it undid and go to its item."""
        if edit.kind != "undo":
            self._set_status(edit.key, _SAVED[edit.kind])
            self._after_write(edit.key)
            return
        change = event.change
        if change is None:
            say(self, "Nothing to undo")
            return
        key = change.key
        if self.view is None or self.view.key != key.item:
            self._open(self.session.go_to_item(key.item) or self.view, turn=key.turn)
        else:
            self.turn = key.turn
        self._set_status(key, "undone ✓")
        self._after_write(key)
        say(
            self, f"Undone: Q{key.question_id} {key.model} turn {key.turn}: {describe_undo(change)}"
        )

    def _lost(self, edit: Edit, event: SaveEvent) -> None:
        """An edit failed or the reviewer gave up on it; comments stay as drafts."""
        self._set_status(edit.key, "NOT SAVED")
        where = f"Q{edit.key.question_id} turn {edit.key.turn} " if edit.key else ""
        why = f": {event.detail}" if event.detail else ""
        kept = " Your comment is kept: press c on that turn." if edit.kind == "note" else ""
        say(self, f"Not saved: {where}{edit.describe()}{why}.{kept}", severity="error", timeout=10)

    def _set_status(self, key: TurnKey | None, text: str) -> None:
        """Set one turn's save status."""
        if key is not None:
            self.status = {**self.status, key: text}

    def _after_write(self, key: TurnKey | None) -> None:
        """Re-read the item if it is on screen, and recount progress."""
        if key is not None and self.view is not None and self.view.key == key.item:
            self._reload()
        self.progress = self.session.progress()
