"""The review screen: a conversation beside the judge's verdict, rated from the keyboard."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from mtbench_tui.core.judge.job_types import JobSummary
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.review import ItemView, ReviewSession
from mtbench_tui.core.store import QueueFilter
from mtbench_tui.ui.screens.dialogs import CommentDialog, FlagsDialog, GotoDialog
from mtbench_tui.ui.screens.filter import FilterDialog
from mtbench_tui.ui.screens.help import HelpScreen
from mtbench_tui.ui.widgets.conversation import ConversationView, TurnBlock
from mtbench_tui.ui.widgets.item_header import ItemHeader
from mtbench_tui.ui.widgets.judge_panel import JudgePanel
from mtbench_tui.ui.widgets.key_bar import KeyBar
from mtbench_tui.ui.widgets.rating_panel import RatingPanel, ScoreBar, TurnRating


def _score_bindings() -> list[Binding]:
    """1-9 score 1-9 and 0 scores 10; only one entry shows in the footer."""
    return [
        Binding(
            str(d), f"score({d or 10})", "score", show=d == 1, key_display="1-0" if d == 1 else None
        )
        for d in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)
    ]


class ReviewScreen(Screen[None]):
    """Owns the review keys; calls the core session and renders what it returns."""

    BINDINGS = [
        *_score_bindings(),
        Binding("tab", "switch_turn", "turn", priority=True),
        Binding("shift+tab", "switch_turn", "turn", show=False, priority=True),
        Binding("enter", "next_unrated", "next unrated", priority=True, key_display="⏎"),
        Binding("right", "next", "next", priority=True, key_display="→"),
        Binding("left", "previous", "prev", priority=True, key_display="←"),
        Binding("u", "undo", "undo"),
        Binding("c", "comment", "comment"),
        Binding("f", "flags", "flags"),
        Binding("g", "goto", "go to"),
        Binding("slash", "filter", "filter", key_display="/"),
        Binding("d", "gap_order", "by gap"),
        Binding("b", "toggle_blind", "blind"),
        Binding("r", "toggle_reference", "reference"),
        Binding("j", "rejudge", "re-judge"),
        Binding("s", "stats", "stats"),
        Binding("e", "export", "export"),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(
        self, session: ReviewSession, blind: bool, judge_settings: JudgeSettings | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.blind = blind
        self.judge_settings = judge_settings
        self.view: ItemView | None = None
        self.turn = 1
        self.show_reference = False
        self.status: dict[int, str] = {}
        self.rated: int | None = None
        """Items this reviewer has fully scored in the queue; recounted only after a write or a new filter."""

    def compose(self) -> ComposeResult:
        yield ItemHeader(id="item-header")
        with Horizontal(id="main"):
            yield ConversationView(id="conversation")
            with Vertical(id="side"):
                yield RatingPanel(id="rating-panel")
                yield JudgePanel(id="judge-panel")
        yield KeyBar(id="key-bar")

    async def on_mount(self) -> None:
        """Open at the reviewer's first unrated item."""
        await self._open(self.session.start())
        self.query_one(ConversationView).focus()

    def help_rows(self) -> list[tuple[str, str]]:
        """The rows of the ? help screen."""
        rows = [
            ("1-9, 0", "score the focused turn 1-9; 0 scores 10"),
            ("Tab", "switch between turn 1 and turn 2"),
        ]
        for b in self.BINDINGS:
            if b.action.startswith("score") or b.key in ("tab", "shift+tab"):
                continue
            rows.append((b.key_display or b.key, b.description))
        return rows

    # -- rendering -------------------------------------------------------------

    async def _open(self, view: ItemView | None) -> None:
        """Show a new item, focused on turn 1."""
        self.view = view
        self.turn = 1
        self.status = {}
        conversation = self.query_one(ConversationView)
        conversation.display = view is not None
        if view is not None:
            await conversation.show(view, self.show_reference)
        self._render_panels()

    def _render_panels(self) -> None:
        """Refresh everything except the conversation text."""
        view = self.view
        session = self.session
        if self.rated is None:
            self.rated = session.rated_count()
        self.query_one(ItemHeader).show(
            view,
            session.total,
            self.rated,
            session.reviewer,
            session.judge,
            self.blind,
            session.filter,
        )
        if view is None:
            return
        self.query_one(ConversationView).focus_turn(self.turn)
        self.query_one(RatingPanel).show(view.ratings, self.turn, self.status)
        self.query_one(JudgePanel).show(
            self.turn, view.verdicts.get(self.turn), session.judge, self._judge_hidden(self.turn)
        )

    def _judge_hidden(self, turn: int) -> bool:
        """In blind mode, a turn's verdict stays hidden until the reviewer has scored it."""
        if not self.blind or self.view is None:
            return False
        rating = self.view.ratings.get(turn)
        return rating is None or rating.score is None

    def _reload(self) -> None:
        """Re-read the current item after a write, and redraw the panels."""
        self.view = self.session.view()
        self.rated = None
        self._render_panels()

    # -- rating ------------------------------------------------------------------

    def action_score(self, score: int) -> None:
        """Score the focused turn; it shows as saved only after the commit returns."""
        self._save_score(self.turn, score)

    def _save_score(self, turn: int, score: int) -> None:
        """Commit a score, then show it."""
        if self.view is None:
            return
        try:
            self.session.rate(turn, score, blind=self._judge_hidden(turn))
        except sqlite3.OperationalError as exc:
            self.status[turn] = "NOT SAVED"
            self.notify(f"Not saved: {exc}. Try again.", severity="error", timeout=8)
            self._render_panels()
            return
        self.status[turn] = "saved ✓"
        self._reload()

    @on(ScoreBar.Chosen)
    def _score_clicked(self, event: ScoreBar.Chosen) -> None:
        self.turn = event.turn
        self._save_score(event.turn, event.score)

    @on(TurnBlock.Selected)
    @on(TurnRating.Selected)
    def _turn_clicked(self, event: TurnBlock.Selected | TurnRating.Selected) -> None:
        self.turn = event.turn
        self._render_panels()

    def action_switch_turn(self) -> None:
        """Focus the other turn."""
        self.turn = 2 if self.turn == 1 else 1
        self._render_panels()

    async def action_undo(self) -> None:
        """Undo this session's last rating change (score, comment or flags)."""
        current = self.view.key if self.view else None
        change = self.session.undo()
        if change is None:
            self.notify("Nothing to undo")
            return
        before = change.before.score if change.before else None
        what = (
            f"turn {change.key.turn} back to {before}"
            if before
            else f"turn {change.key.turn} cleared"
        )
        if change.key.item != current:
            await self._open(self.session.view())
        self.turn = change.key.turn
        self.status[change.key.turn] = "undone ✓"
        self._reload()
        self.notify(f"Undone: Q{change.key.question_id} {what}")

    def action_comment(self) -> None:
        """Edit the comment on the focused turn."""
        if self.view is None:
            return
        rating = self.view.ratings.get(self.turn)
        turn = self.turn

        def save(note: str | None) -> None:
            if note is not None:
                self.session.note(turn, note)
                self.status[turn] = "comment saved ✓"
                self._reload()

        self.app.push_screen(CommentDialog(turn, rating.note if rating else ""), save)

    def action_flags(self) -> None:
        """Toggle flags on the focused turn."""
        if self.view is None:
            return
        rating = self.view.ratings.get(self.turn)
        turn = self.turn

        def save(flags: tuple[str, ...] | None) -> None:
            if flags is not None:
                self.session.flag(turn, flags)
                self.status[turn] = "flags saved ✓"
                self._reload()

        self.app.push_screen(FlagsDialog(turn, rating.flags if rating else ()), save)

    # -- navigation ----------------------------------------------------------------

    async def _go(self, view: ItemView | None, when_none: str) -> None:
        """Open ``view``, or say why there is nowhere to go."""
        if view is None:
            self.notify(when_none)
            return
        await self._open(view)

    async def action_next(self) -> None:
        """The next item."""
        await self._go(self.session.next(), "End of the queue")

    async def action_previous(self) -> None:
        """The previous item."""
        await self._go(self.session.previous(), "Start of the queue")

    async def action_next_unrated(self) -> None:
        """The next item that still needs this reviewer's score."""
        await self._go(self.session.next_unrated(), "Every item in this queue is scored")

    def action_goto(self) -> None:
        """Jump to a question id."""

        async def jump(question_id: int | None) -> None:
            if question_id is not None:
                await self._go(
                    self.session.goto(question_id), f"No question {question_id} in this queue"
                )

        self.app.push_screen(GotoDialog(), jump)

    def action_filter(self) -> None:
        """Edit the queue filter."""
        content = self.session.store.content
        judges = [j for j, _n in content.judges()]

        async def apply(new_filter: QueueFilter | None) -> None:
            if new_filter is not None:
                await self._refilter(new_filter)

        dialog = FilterDialog(self.session.filter, content.categories(), content.models(), judges)
        self.app.push_screen(dialog, apply)

    async def _refilter(self, new_filter: QueueFilter) -> None:
        """Apply a filter, staying on the current item when it still matches."""
        current = self.view.key if self.view else None
        view = self.session.refilter(new_filter)
        self.rated = None
        if view is not None and current == view.key:
            self.view = view
            self._render_panels()
        else:
            await self._open(view)

    async def action_gap_order(self) -> None:
        """Toggle the disagreement queue: your rated items by |you - judge|, largest first."""
        by_gap = not self.session.filter.by_gap
        await self._refilter(replace(self.session.filter, by_gap=by_gap))
        if by_gap:
            self.notify(f"Disagreement queue: {self.session.total} rated items, largest gap first")
        else:
            self.notify("Back to question order")

    def action_toggle_blind(self) -> None:
        """Hide or show the judge's verdict on unscored turns."""
        self.blind = not self.blind
        self.notify(
            "Blind mode on: verdicts appear after you score" if self.blind else "Blind mode off"
        )
        self._render_panels()

    async def action_toggle_reference(self) -> None:
        """Show or hide the reference answer under each turn."""
        self.show_reference = not self.show_reference
        await self.query_one(ConversationView).set_reference_visible(self.show_reference)
        if self.show_reference and self.view is not None and self.view.reference_turns() is None:
            self.notify("This question has no reference answer")

    def action_rejudge(self) -> None:
        """Ask the configured judge again about this conversation, in a worker."""
        if self.view is None:
            return
        if self.judge_settings is None:
            self.notify(
                "No judge configured: start with --judge-model NAME (and --base-url for a local server); "
                "the key comes from $OPENAI_API_KEY.",
                severity="error",
                timeout=10,
            )
            return
        item = self.view.key
        self.notify(
            f"Re-judging Q{item.question_id} {item.model} with {self.judge_settings.judge_model}…"
        )
        self._rejudge(item, self.judge_settings)

    @work(exclusive=True, group="rejudge")
    async def _rejudge(self, item: ItemKey, settings: JudgeSettings) -> None:
        """Run the core judge job on the app's loop; each turn is reported as it lands."""
        try:
            result = await rejudge(self.session.store, item, settings, self._rejudge_event)
        except Exception as exc:  # noqa: BLE001 - shown to the reviewer; nothing is stored
            self.notify(f"Re-judge failed: {exc}", severity="error", timeout=10)
            return
        self._rejudged(item, result)

    def _rejudge_event(self, event: Event) -> None:
        """Show progress and errors from the re-judge."""
        if event.kind == "failed":
            self.notify(f"{event.label}: {event.detail}", severity="error", timeout=10)
        elif event.kind == "retry":
            self.notify(f"{event.label}: retrying ({event.detail})", severity="warning")
        else:
            self.notify(
                f"{event.label}: new verdict" + (f" ({event.detail})" if event.detail else "")
            )

    def _rejudged(self, item: ItemKey, result: JobSummary) -> None:
        """Show the new verdicts (switching to their judge when it isn't the one on screen)."""
        for error in result.errors:
            self.notify(f"Re-judge error: {error}", severity="error", timeout=10)
        if result.judge and result.judge != self.session.judge:
            self.session.judge = result.judge
            self.notify(f"Showing judge {result.judge}, whose verdicts were just stored")
        if self.view is not None and self.view.key == item:
            self._reload()

    def action_stats(self) -> None:
        """Open the statistics screen (it recomputes as ratings arrive)."""
        from mtbench_tui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.session.store))

    def action_export(self) -> None:
        """Open the export dialog."""
        from mtbench_tui.ui.screens.export import ExportDialog

        self.app.push_screen(ExportDialog(self.session.store))

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        """Quit; every rating is already committed."""
        self.app.exit()
