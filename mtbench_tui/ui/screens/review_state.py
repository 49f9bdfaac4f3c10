"""The review screen's state: reactive fields, drawn together in one batch whenever any changes."""

from __future__ import annotations

import asyncio

from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.review import ItemView, ReviewSession
from mtbench_tui.core.store.queue import QueueProgress
from mtbench_tui.ui.widgets.conversation import ConversationView
from mtbench_tui.ui.widgets.item_header import HeaderInfo, ItemHeader
from mtbench_tui.ui.widgets.judge_panel import JudgePanel
from mtbench_tui.ui.widgets.rating_panel import RatingPanel


class ReviewState(Screen[None]):
    """What the review screen shows, as reactive fields; the keys live in its subclasses."""

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
    rejudging: var[str] = var("", init=False)
    """The status line of a re-judge in progress ("" when none runs)."""

    def __init__(
        self, session: ReviewSession, blind: bool, judge_settings: JudgeSettings | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.judge_settings = judge_settings
        self.set_reactive(ReviewState.blind, blind)
        self._draw_scheduled = False
        self._draw_lock = asyncio.Lock()

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

    def watch_rejudging(self) -> None:
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
            self.turn,
            view.verdicts.get(self.turn),
            session.judge,
            self._judge_hidden(self.turn),
            self.rejudging,
        )

    def _judge_hidden(self, turn: int) -> bool:
        """In blind mode, a turn's verdict stays hidden until the reviewer has scored it."""
        return self.blind and self.view is not None and self.view.score(turn) is None
