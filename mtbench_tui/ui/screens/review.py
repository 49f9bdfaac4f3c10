"""The review screen: a conversation beside the judge's verdict, rated from the keyboard."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical

from mtbench_tui.core.review import ItemView
from mtbench_tui.core.store import QueueFilter
from mtbench_tui.ui.bindings import APP_BINDINGS, REVIEW_BINDINGS
from mtbench_tui.ui.screens.dialogs import GotoDialog
from mtbench_tui.ui.screens.filter import FilterDialog
from mtbench_tui.ui.screens.review_edits import EditingMixin
from mtbench_tui.ui.screens.review_rejudge import RejudgeMixin
from mtbench_tui.ui.text import say
from mtbench_tui.ui.widgets.conversation import ConversationView, TurnBlock
from mtbench_tui.ui.widgets.item_header import ItemHeader
from mtbench_tui.ui.widgets.judge_panel import JudgePanel
from mtbench_tui.ui.widgets.key_bar import KeyBar
from mtbench_tui.ui.widgets.rating_panel import RatingPanel, TurnRating


class ReviewScreen(EditingMixin, RejudgeMixin):
    """Owns the review keys; calls the core session and renders its state in one pass."""

    BINDINGS: ClassVar[list[BindingType]] = [*REVIEW_BINDINGS]

    def compose(self) -> ComposeResult:
        yield ItemHeader(id="item-header")
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            with Vertical(id="side"):
                yield RatingPanel(id="rating-panel")
                yield JudgePanel(id="judge-panel")
        yield KeyBar(id="key-bar")

    def on_mount(self) -> None:
        """Open at the reviewer's first unrated item, on its first unscored turn."""
        self.progress = self.session.progress()
        self._open(self.session.start(), first_unscored=True)

    def help_rows(self) -> list[tuple[str, str]]:
        """The rows of the ? help screen: every key, as remapped by ``--keys``."""
        keymap = getattr(self.app, "keymap", {})
        rows = [("1-9, 0", "Score the focused turn 1-9; 0 scores 10.")]
        seen = set()
        for b in [*REVIEW_BINDINGS, *APP_BINDINGS]:
            if not b.show or b.action.startswith("score(") or b.action in seen:
                continue
            if b.action == "give_up" and not self.unsaved:
                continue
            seen.add(b.action)
            shown = keymap.get(b.id) if b.id in keymap else None
            rows.append((shown or b.key_display or self.app.get_key_display(b), b.tooltip))
        rows.append(
            ("PgUp PgDn", "Scroll the conversation a page; Home and End: to its top and end.")
        )
        return rows

    def help_mouse(self) -> str:
        """What the mouse does here, for the ? help."""
        return "Mouse: click a turn to focus it, click a score to set it."

    # -- focus -----------------------------------------------------------------------

    def on_turn_block_selected(self, event: TurnBlock.Selected) -> None:
        self.turn = event.turn

    def on_turn_rating_selected(self, event: TurnRating.Selected) -> None:
        self.turn = event.turn

    def action_switch_turn(self) -> None:
        """Focus the other turn."""
        self.turn = 2 if self.turn == 1 else 1

    def action_scroll(self, where: str) -> None:
        """Scroll the conversation, wherever the keyboard focus is."""
        conversation = self.query_one(ConversationView)
        {
            "up": conversation.scroll_up,
            "down": conversation.scroll_down,
            "pageup": conversation.scroll_page_up,
            "pagedown": conversation.scroll_page_down,
            "home": conversation.scroll_home,
            "end": conversation.scroll_end,
        }[where](animate=False)

    # -- navigation ----------------------------------------------------------------

    def _go(self, view: ItemView | None, when_none: str, *, first_unscored: bool = False) -> None:
        """Open ``view``, or say why there is nowhere to go."""
        if view is None:
            say(self, when_none)
            return
        self._open(view, first_unscored=first_unscored)

    def action_next(self) -> None:
        """The next item."""
        self._go(self.session.next(), "End of the queue")

    def action_previous(self) -> None:
        """The previous item."""
        self._go(self.session.previous(), "Start of the queue")

    def action_next_unrated(self) -> None:
        """The next item that still needs a score, at its first unscored turn."""
        self._go(
            self.session.next_unrated(), "Every item in this queue is scored", first_unscored=True
        )

    def action_goto(self) -> None:
        """Jump to a question id."""
        example = self.view.question.question_id if self.view else None
        self.app.push_screen(GotoDialog(example), self._jump)

    def _jump(self, question_id: int | None) -> None:
        """Open a question, or say why not."""
        if question_id is None:
            return
        view = self.session.goto(question_id)
        if view is not None:
            self._open(view)
        elif self.session.store.content.question(question_id) is None:
            say(self, f"There is no question {question_id}", severity="warning")
        else:
            shown = self.session.filter.describe()
            say(self, f"Question {question_id} is not in this queue (filter: {shown})")

    def action_filter(self) -> None:
        """Edit the queue filter."""
        content = self.session.store.content
        dialog = FilterDialog(self.session.filter, content.categories(), content.models())
        self.app.push_screen(dialog, self._refilter)

    def _refilter(self, new_filter: QueueFilter | None, *, keep_place: bool = True) -> None:
        """Apply a filter, staying on the current item when it still matches."""
        if new_filter is None:
            return
        current = self.view.key if self.view else None
        view = self.session.refilter(new_filter, keep_place=keep_place)
        self.progress = self.session.progress()
        if view is not None and view.key == current:
            self.view = view
        else:
            self._open(view)

    def action_gap_order(self) -> None:
        """Toggle the disagreement queue: your rated items by |you - judge|, largest first."""
        by_gap = not self.session.filter.by_gap
        self._refilter(replace(self.session.filter, by_gap=by_gap), keep_place=not by_gap)
        if by_gap:
            say(self, f"Disagreement queue: {self.session.total} rated items, largest gap first")
        else:
            say(self, "Back to question order")

    def compare_with(self, judge: str) -> None:
        """Compare against another judge (the command palette's choice)."""
        self.view = self.session.compare_with(judge)
        self.progress = self.session.progress()
        say(self, f"Comparing against judge {judge}")

    def action_toggle_blind(self) -> None:
        """Hide or show the judge's verdict on unscored turns."""
        self.blind = not self.blind
        say(
            self,
            "Blind mode on: verdicts appear after you score" if self.blind else "Blind mode off",
        )

    def action_toggle_reference(self) -> None:
        """Show or hide the reference answer under each turn."""
        self.show_reference = not self.show_reference
        if self.show_reference and self.view is not None and self.view.reference_turns() is None:
            say(self, "This question has no reference answer")

    def action_stats(self) -> None:
        """Open the statistics screen (it recomputes as ratings arrive)."""
        from mtbench_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session.store))
