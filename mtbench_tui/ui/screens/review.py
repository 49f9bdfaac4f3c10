"""The review screen: a conversation beside the judge's verdict, rated from the keyboard."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.review import ItemView, ReviewSession
from mtbench_tui.core.store import QueueFilter
from mtbench_tui.core.store.queue import QueueProgress
from mtbench_tui.ui.bindings import APP_BINDINGS, REVIEW_BINDINGS
from mtbench_tui.ui.screens.dialogs import GotoDialog
from mtbench_tui.ui.screens.filter import FilterDialog
from mtbench_tui.ui.screens.review_edits import EditingMixin
from mtbench_tui.ui.screens.review_rejudge import RejudgeMixin
from mtbench_tui.ui.text import say
from mtbench_tui.ui.widgets.conversation import ConversationView, TurnBlock
from mtbench_tui.ui.widgets.item_header import HeaderInfo, ItemHeader
from mtbench_tui.ui.widgets.judge_panel import JudgePanel
from mtbench_tui.ui.widgets.key_bar import KeyBar
from mtbench_tui.ui.widgets.rating_panel import RatingPanel, TurnRating


class ReviewScreen(EditingMixin, RejudgeMixin, Screen[None]):
    """Owns the review keys; calls the core session and renders its state in one pass."""

    BINDINGS = REVIEW_BINDINGS

    view: var[ItemView | None] = var(None, init=False)
    """The item on screen, as last read from the database."""
    turn: var[int] = var(1, init=False)
    """The focused turn: the one score keys, comments and flags apply to."""
    blind: var[bool] = var(False, init=False)
    show_reference: var[bool] = var(False, init=False)
    status: var[dict[TurnKey, str]] = var(dict, init=False)
    """Save status per turn ("saved ✓", "not saved — retrying"...), replaced, never mutated."""
    progress: var[QueueProgress] = var(QueueProgress(0, 0), init=False)
    unsaved: var[int] = var(0, init=False, bindings=True)
    """Edits waiting for a locked database; the give-up key shows only while there are some."""

    def __init__(
        self, session: ReviewSession, blind: bool, judge_settings: JudgeSettings | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.judge_settings = judge_settings
        self.set_reactive(ReviewScreen.blind, blind)
        self._draw_scheduled = False
        self._draw_lock = asyncio.Lock()

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

    # -- state and rendering --------------------------------------------------------

    def _open(
        self, view: ItemView | None, *, turn: int | None = None, first_unscored: bool = False
    ) -> None:
        """Show an item: on ``turn``, else its first unscored turn, else the filter's first turn."""
        turns = self.session.filter.turns
        if turn is None:
            turn = view.first_unscored(turns) if view and first_unscored else turns[0]
        self.turn = turn
        self.view = view

    def _reload(self) -> None:
        """Re-read the current item after a write."""
        self.view = self.session.view()

    def watch_view(self) -> None:
        self._schedule_draw()

    def watch_turn(self) -> None:
        self._schedule_draw()

    def watch_blind(self) -> None:
        self._schedule_draw()

    def watch_show_reference(self) -> None:
        self._schedule_draw()

    def watch_status(self) -> None:
        self._schedule_draw()

    def watch_progress(self) -> None:
        self._schedule_draw()

    def watch_unsaved(self) -> None:
        self._schedule_draw()

    def _schedule_draw(self) -> None:
        """Render once after the current event, however many state fields it changed."""
        if not self._draw_scheduled:
            self._draw_scheduled = True
            self.call_next(self._draw)

    async def _draw(self) -> None:
        """Draw the whole state in one batch: no frame shows half an item."""
        self._draw_scheduled = False
        async with self._draw_lock:
            with self.app.batch_update():
                try:
                    await self._draw_state()
                except NoMatches:
                    pass  # the app is closing and the widgets are already gone

    async def _draw_state(self) -> None:
        """Header, conversation, rating and judge panels, from the current state."""
        view, session = self.view, self.session
        info = HeaderInfo(
            session.total,
            self.progress,
            session.reviewer,
            session.judge,
            self.blind,
            session.filter,
        )
        self.query_one(ItemHeader).show(view, info)
        conversation = self.query_one(ConversationView)
        conversation.display = view is not None
        if view is None:
            return
        await conversation.show(view, self.show_reference)
        conversation.focus_turn(self.turn)
        status = {k.turn: v for k, v in self.status.items() if k.item == view.key}
        waiting: dict[int, tuple[str, ...]] = {}
        for edit in self.session.saves.pending():
            if edit.key is not None and edit.key.item == view.key:
                waiting[edit.key.turn] = (*waiting.get(edit.key.turn, ()), edit.describe())
        self.query_one(RatingPanel).show(view.ratings, self.turn, status, waiting)
        self.query_one(JudgePanel).show(
            self.turn, view.verdicts.get(self.turn), session.judge, self._judge_hidden(self.turn)
        )

    def _judge_hidden(self, turn: int) -> bool:
        """In blind mode, a turn's verdict stays hidden until the reviewer has scored it."""
        return self.blind and self.view is not None and self.view.score(turn) is None

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
