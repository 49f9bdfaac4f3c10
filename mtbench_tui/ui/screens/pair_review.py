"""The pair review screen: a question's two turns with answers A and B, the judge's pair verdict,
and the reviewer's A / B / tie votes from the keyboard."""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from mtbench_tui.core.models import PairKey
from mtbench_tui.core.pair_review import PairSession, PairSettings
from mtbench_tui.core.pair_view import PairView
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import PairFilter, PairProgress
from mtbench_tui.core.textsafe import visible_controls
from mtbench_tui.ui.screens.dialogs import GotoDialog
from mtbench_tui.ui.screens.help import HelpScreen
from mtbench_tui.ui.screens.pair_bindings import HELP_ROWS, PAIR_BINDINGS
from mtbench_tui.ui.screens.pair_edits import PairEditsMixin
from mtbench_tui.ui.screens.pair_filter import PairFilterDialog
from mtbench_tui.ui.widgets.key_bar import KeyBar
from mtbench_tui.ui.widgets.pair_answers import PairConversation, PairTurnBlock
from mtbench_tui.ui.widgets.pair_header import PairHeader
from mtbench_tui.ui.widgets.pair_judge import PairJudgePanel
from mtbench_tui.ui.widgets.pair_votes import PairVotePanel, TurnVote

NARROW = 120
"""Below this many columns, answers A and B are stacked instead of side by side."""


class PairReviewScreen(PairEditsMixin, Screen[None]):
    """Owns the pair review keys; calls the core session and renders what it returns."""

    BINDINGS = PAIR_BINDINGS

    def __init__(self, session: PairSession, blind: bool, hide_models: bool = False) -> None:
        super().__init__()
        self.session = session
        self.blind = blind
        self.hide_models = hide_models
        self.view: PairView | None = None
        self.turn = 1
        self.show_reference = False
        self.status: dict[PairKey, str] = {}
        self.progress: PairProgress | None = None
        """The reviewer's progress in the queue; recounted only after a write or a new filter."""
        self._quit_asked = False

    def compose(self) -> ComposeResult:
        yield PairHeader(id="pair-header")
        with Horizontal(id="pair-main"):
            yield PairConversation(id="pair-conversation")
            with Vertical(id="pair-side"):
                yield PairVotePanel(id="pair-vote-panel")
                yield PairJudgePanel(id="pair-judge-panel")
        yield KeyBar(id="key-bar")

    async def on_mount(self) -> None:
        """Open at the reviewer's first comparison with a turn left to vote on."""
        self._fit(self.app.size.width)
        view = self.session.start()
        turn = view.first_unvoted(self.session.filter.turns) if view else None
        await self._open(view, turn or self.session.filter.turns[0])

    def on_resize(self, event: events.Resize) -> None:
        """Stack the answers on a narrow terminal."""
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def on_unmount(self) -> None:
        """Close the session (its writer connection and queue)."""
        self.session.close()

    def help_rows(self) -> list[tuple[str, str]]:
        """The rows of the ? help screen (the palette has each key's full sentence)."""
        return list(HELP_ROWS)

    # -- rendering -------------------------------------------------------------

    async def _open(self, view: PairView | None, turn: int | None = None) -> None:
        """Show a comparison, focused on ``turn`` (default: the filter's first turn)."""
        self.view = view
        self.turn = turn or self.session.filter.turns[0]
        conversation = self.query_one(PairConversation)
        conversation.display = view is not None
        if view is not None:
            await conversation.show(view, self.show_reference, self.hide_models)
        self._render_panels()

    def _render_panels(self) -> None:
        """Refresh everything except the answers' text."""
        view, session = self.view, self.session
        if self.progress is None:
            self.progress = session.progress()
        modes = (self.blind, self.hide_models)
        self.query_one(PairHeader).show(
            view,
            session.total,
            self.progress,
            session.reviewer,
            session.judge,
            modes,
            session.filter,
        )
        self.query_one(PairVotePanel).display = view is not None
        self.query_one(PairJudgePanel).display = view is not None
        if view is None:
            return
        self.query_one(PairConversation).focus_turn(self.turn)
        status = {t: self.status.get(view.key(t), "") for t in (1, 2)}
        self.query_one(PairVotePanel).show(view.votes, self.turn, status)
        self.query_one(PairJudgePanel).show(
            self.turn,
            view.verdicts.get(self.turn),
            session.judge,
            self._judge_hidden(self.turn),
            view.choice(self.turn),
        )

    def _judge_hidden(self, turn: int) -> bool:
        """In blind mode, a turn's verdict stays hidden until the reviewer has voted on it."""
        return self.blind and self.view is not None and self.view.choice(turn) is None

    def _reload(self) -> None:
        """Re-read the current comparison after a write, and redraw the panels."""
        self.view = self.session.view()
        self.progress = None
        self._render_panels()

    def say(self, message: str, *, severity: str = "information", timeout: float = 5) -> None:
        """A notification that may quote data: never markup, controls made visible."""
        self.notify(
            visible_controls(message),
            severity=severity,  # type: ignore[arg-type]
            timeout=timeout,
            markup=False,
        )

    # -- navigation ----------------------------------------------------------------

    def action_switch_turn(self) -> None:
        """Focus the other turn (only the filtered turn when the filter names one)."""
        turns = self.session.filter.turns
        self.turn = (
            turns[(turns.index(self.turn) + 1) % len(turns)] if self.turn in turns else turns[0]
        )
        self._render_panels()

    def on_pair_turn_block_selected(self, event: PairTurnBlock.Selected) -> None:
        """A click on a turn's text focuses it."""
        self.turn = event.turn
        self._render_panels()

    def on_turn_vote_selected(self, event: TurnVote.Selected) -> None:
        """A click on a turn's vote row focuses it."""
        self.turn = event.turn
        self._render_panels()

    async def _go(self, view: PairView | None, when_none: str, turn: int | None = None) -> None:
        """Open ``view``, or say why there is nowhere to go."""
        if view is None:
            self.say(when_none)
            return
        await self._open(view, turn)

    async def action_next(self) -> None:
        """The next comparison."""
        await self._go(self.session.next(), "End of the queue")

    async def action_previous(self) -> None:
        """The previous comparison."""
        await self._go(self.session.previous(), "Start of the queue")

    async def action_next_unvoted(self) -> None:
        """The next turn without this reviewer's vote."""
        current = self.view.item if self.view else None
        found = self.session.next_unvoted(self.view, self.turn)
        if found is None:
            self.say("Every turn in this queue has your vote")
            return
        view, turn = found
        if view.item == current:
            self.turn = turn
            self._render_panels()
        else:
            await self._open(view, turn)

    def action_goto(self) -> None:
        """Jump to a question id."""

        async def jump(question_id: int | None) -> None:
            if question_id is not None:
                message = f"No question {question_id} in this queue"
                await self._go(self.session.goto(question_id), message)

        self.app.push_screen(GotoDialog(), jump)

    def action_filter(self) -> None:
        """Edit the queue filter."""
        content = self.session.store.content
        models = None if self.hide_models else content.models()

        async def apply(new_filter: PairFilter | None) -> None:
            if new_filter is not None:
                await self._refilter(new_filter)

        dialog = PairFilterDialog(self.session.filter, content.categories(), models)
        self.app.push_screen(dialog, apply)

    async def _refilter(self, new_filter: PairFilter) -> None:
        """Apply a filter, staying on the current comparison when it still matches."""
        current = self.view.item if self.view else None
        view = self.session.refilter(new_filter)
        self.progress = None
        if view is not None and current == view.item:
            self.view = view
            if self.turn not in new_filter.turns:
                self.turn = new_filter.turns[0]
            self._render_panels()
        else:
            await self._open(view)

    async def action_disagreement_order(self) -> None:
        """Toggle the disagreement queue: voted comparisons, most opposed to the judge first."""
        on_now = not self.session.filter.by_disagreement
        await self._refilter(replace(self.session.filter, by_disagreement=on_now))
        if on_now:
            total = self.session.total
            self.say(f"Disagreement queue: {total} voted comparisons, most opposed first")
        else:
            self.say("Back to question order")

    def action_toggle_blind(self) -> None:
        """Hide or show the judge's verdict on turns without a vote."""
        self.blind = not self.blind
        self.say(
            "Blind mode on: verdicts appear after you vote" if self.blind else "Blind mode off"
        )
        self._render_panels()

    async def action_toggle_reference(self) -> None:
        """Show or hide the reference answer under each turn."""
        self.show_reference = not self.show_reference
        if self.view is not None:
            conversation = self.query_one(PairConversation)
            await conversation.show(self.view, self.show_reference, self.hide_models)
            if self.show_reference and self.view.reference_turns() is None:
                self.say("This question has no reference answer")

    def action_scroll(self, how: str) -> None:
        """Scroll the answers (they never take the focus)."""
        c = self.query_one(PairConversation)
        moves = {
            "up": c.scroll_up,
            "down": c.scroll_down,
            "page_up": c.scroll_page_up,
            "page_down": c.scroll_page_down,
            "home": c.scroll_home,
            "end": c.scroll_end,
        }
        moves[how](animate=False)

    def action_stats(self) -> None:
        """Open the statistics screen."""
        from mtbench_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session.store))

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self))

    def pending_edits(self) -> int:
        """Edits not yet committed (the database was locked)."""
        return len(self.session.saves.pending())

    def action_quit(self) -> None:
        """Quit; asks again while edits still wait for a locked database."""
        waiting = self.pending_edits()
        if waiting and not self._quit_asked:
            self._quit_asked = True
            self.say(
                f"{waiting} change(s) not saved yet (database locked). Press q again to quit "
                "and lose them.",
                severity="warning",
                timeout=10,
            )
            return
        self.session.saves.give_up()
        self.app.exit()


def open_pair_screen(
    store: Store, reviewer: str, blind: bool, settings: PairSettings
) -> PairReviewScreen:
    """A pair review screen on a new session.

    Args:
        store: the open database.
        reviewer: whose votes are read and written.
        blind: hide the judge's verdict on a turn until the reviewer has voted on it.
        settings: filter, judge, group and whether model names are hidden.

    Returns:
        The screen, ready to push.
    """
    session = PairSession.open(
        store, reviewer, settings.pair_filter, judge=settings.judge, group=settings.group
    )
    return PairReviewScreen(session, blind, settings.hide_models)
