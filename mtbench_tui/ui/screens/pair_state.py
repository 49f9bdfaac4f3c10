"""The pair review screen's state: reactive fields, drawn together in one batch whenever any
changes."""

from __future__ import annotations

import asyncio

from textual import events
from textual.css.query import NoMatches
from textual.reactive import var
from textual.screen import Screen

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.pair_review import PairSession
from mtbench_tui.core.pair_view import PairView
from mtbench_tui.core.store.pair_filter import PairProgress
from mtbench_tui.ui.widgets.pair_answers import PairConversation
from mtbench_tui.ui.widgets.pair_header import PairHeader
from mtbench_tui.ui.widgets.pair_judge import PairJudgePanel
from mtbench_tui.ui.widgets.pair_votes import PairVotePanel

NARROW = 120
"""Below this many columns, answers A and B are stacked instead of side by side."""


class PairState(Screen[None]):
    """What the pair review screen shows, as reactive fields; the keys live in its subclasses."""

    view: var[PairView | None] = var(None, init=False)
    """The comparison on screen, as last read from the database."""
    turn: var[int] = var(1, init=False)
    """The focused turn: the one a / b / t, comments and flags apply to."""
    blind: var[bool] = var(False, init=False)
    show_reference: var[bool] = var(False, init=False)
    status: var[dict[PairKey, str]] = var(dict, init=False)
    """Save status per turn ("saved ✓", "not saved — retrying"...), replaced, never mutated."""
    progress: var[PairProgress] = var(PairProgress(0, 0), init=False)
    unsaved: var[int] = var(0, init=False, bindings=True)
    """Edits waiting for a locked database; the give-up key shows only while there are some."""
    rejudging: var[str] = var("", init=False)
    """The status line of a re-judge in progress ("" when none runs)."""

    def __init__(
        self,
        session: PairSession,
        blind: bool,
        hide_models: bool = False,
        judge_settings: JudgeSettings | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.hide_models = hide_models
        self.judge_settings = judge_settings
        """The judge the j key calls (None: not configured)."""
        self.set_reactive(PairState.blind, blind)
        self._draw_scheduled = False
        self._draw_lock = asyncio.Lock()

    def _open(self, view: PairView | None, *, turn: int | None = None) -> None:
        """Show a comparison, focused on ``turn`` (default: the filter's first turn)."""
        self.turn = turn or self.session.filter.turns[0]
        self.view = view

    def _reload(self) -> None:
        """Re-read the current comparison after a write."""
        self.view = self.session.view()

    def on_resize(self, event: events.Resize) -> None:
        """Stack the answers on a narrow terminal."""
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

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
        """Draw the whole state in one batch: no frame shows half a comparison."""
        self._draw_scheduled = False
        async with self._draw_lock:
            with self.app.batch_update():
                try:
                    await self._draw_state()
                except NoMatches:
                    pass  # the app is closing and the widgets are already gone

    async def _draw_state(self) -> None:
        """Header, answers, vote and judge panels, from the current state."""
        view, session = self.view, self.session
        self.query_one(PairHeader).show(
            view,
            session.total,
            self.progress,
            session.reviewer,
            session.judge,
            (self.blind, self.hide_models),
            session.filter,
        )
        for panel in (PairConversation, PairVotePanel, PairJudgePanel):
            self.query_one(panel).display = view is not None
        if view is None:
            return
        conversation = self.query_one(PairConversation)
        await conversation.show(view, self.show_reference, self.hide_models)
        conversation.focus_turn(self.turn)
        status = {t: self.status.get(view.key(t), "") for t in (1, 2)}
        self.query_one(PairVotePanel).show(view.votes, self.turn, status)
        self.query_one(PairJudgePanel).show(
            self.turn,
            view.verdicts.get(self.turn),
            session.judge,
            self._judge_hidden(self.turn),
            view.choice(self.turn),
            self.rejudging,
        )

    def _judge_hidden(self, turn: int) -> bool:
        """In blind mode, a turn's verdict stays hidden until the reviewer has voted on it."""
        return self.blind and self.view is not None and self.view.choice(turn) is None
