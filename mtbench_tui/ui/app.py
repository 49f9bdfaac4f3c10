"""The Textual app. It is handed its store and settings; the CLI and tests build it the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.pair_review import PairSession, PairSettings
from mtbench_tui.core.pair_saving import unsaved_lines
from mtbench_tui.core.review import ReviewSession
from mtbench_tui.core.saving import Edit
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.ui.bindings import APP_BINDINGS
from mtbench_tui.ui.commands import JudgeProvider, ScreenKeysProvider
from mtbench_tui.ui.screens.help import HelpScreen
from mtbench_tui.ui.screens.pair_commands import PairJudgeProvider
from mtbench_tui.ui.screens.review import ReviewScreen
from mtbench_tui.ui.text import say


class ReviewApp(App[None]):
    """mtbench-review: rate MT-Bench answers beside the judge's verdicts."""

    CSS_PATH = "app.tcss"
    TITLE = "mtbench-review"
    BINDINGS: ClassVar[list[BindingType]] = [*APP_BINDINGS]
    COMMANDS = App.COMMANDS | {ScreenKeysProvider, JudgeProvider, PairJudgeProvider}

    def __init__(
        self,
        store: Store,
        reviewer: str,
        queue_filter: QueueFilter,
        blind: bool = False,
        judge: str | None = None,
        judge_settings: JudgeSettings | None = None,
        keymap: dict[str, str] | None = None,
        mode: str = "single",
        pair: PairSettings | None = None,
    ) -> None:
        super().__init__()
        self.review_mode = mode
        """``single`` (scores 1-10) or ``pair`` (votes A / B / tie); the palette switches."""
        self.pair = pair or PairSettings()
        self.pair_session: PairSession | None = None
        self.store = store
        self.reviewer = reviewer
        self.queue_filter = queue_filter
        self.blind = blind
        self.judge = judge
        self.judge_settings = judge_settings
        self.session: ReviewSession | None = None
        self.unsaved: list[str] = []
        """Lines naming the changes that never reached the database, known once the app closed."""
        self._quit_armed = False
        self.keymap = keymap or {}
        """Binding id to key, as given by ``--keys``."""
        if keymap:
            self.set_keymap(keymap)

    def on_mount(self) -> None:
        """Open the review screen of the chosen mode (its session only reads until an edit)."""
        self.push_screen(self._mode_screen(self.review_mode))

    def _mode_screen(self, mode: str) -> str:
        """The name of a mode's review screen, opening its session and screen the first time.

        Both screens stay installed, so switching modes keeps each one's place and its
        waiting edits.
        """
        name = f"review-{mode}"
        if not self.is_screen_installed(name):
            self.install_screen(self._open_mode(mode), name)
        return name

    def _open_mode(self, mode: str) -> Screen[None]:
        """Open a mode's session and build its screen."""
        if mode == "pair":
            from mtbench_tui.ui.screens.pair_review import PairReviewScreen

            p = self.pair
            self.pair_session = PairSession.open(
                self.store, self.reviewer, p.pair_filter, judge=p.judge, group=p.group
            )
            return PairReviewScreen(
                self.pair_session, self.blind, p.hide_models, self.judge_settings
            )
        self.session = ReviewSession.open(
            self.store, self.reviewer, self.queue_filter, judge=self.judge
        )
        return ReviewScreen(self.session, self.blind, self.judge_settings)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands, plus switching between single and pairwise review."""
        yield from super().get_system_commands(screen)
        other = "single" if self.review_mode == "pair" else "pair"
        title = "pairwise review (A / B / tie)" if other == "pair" else "single review (1-10)"
        yield SystemCommand(
            f"Switch to {title}", f"Review in {other} mode", self.action_switch_review_mode
        )

    def action_switch_review_mode(self) -> None:
        """Show the other mode's review screen (each keeps its place)."""
        self.review_mode = "single" if self.review_mode == "pair" else "pair"
        self.switch_screen(self._mode_screen(self.review_mode))

    def on_unmount(self) -> None:
        """Keep what never landed, so the CLI can print it."""
        if self.session is not None:
            self.unsaved = unsaved_report(self.session.close(), self.session.drafts)
        if self.pair_session is not None:
            left = self.pair_session.close()
            self.unsaved += unsaved_lines(left, self.pair_session.drafts)

    async def action_quit(self) -> None:
        """Quit; asks again first while edits still wait for a locked database."""
        pending = [
            *(self.session.saves.pending() if self.session else ()),
            *(self.pair_session.saves.pending() if self.pair_session else ()),
        ]
        if pending and not self._quit_armed:
            self._quit_armed = True
            say(
                self,
                f"{len(pending)} change(s) still wait for the locked database. Press q again to"
                " quit anyway: they will be printed when the app closes.",
                severity="warning",
                timeout=10,
            )
            return
        self.exit()

    def action_help(self) -> None:
        """Show every key of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_export(self) -> None:
        """Open the export dialog."""
        from mtbench_tui.ui.screens.export import ExportDialog

        self.push_screen(ExportDialog(self.store))

    def compare_with(self, judge: str) -> None:
        """Compare against another judge from now on (the command palette's choice)."""
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen):
                screen.compare_with(judge)


def unsaved_report(edits: tuple[Edit, ...], drafts: dict[TurnKey, str]) -> list[str]:
    """Plain lines naming the edits and comments that never reached the database.

    Args:
        edits: edits still queued when the app closed.
        drafts: comments not yet saved, by turn.

    Returns:
        One line per lost change; comments are quoted in full.
    """
    lines = [
        f"not saved: {_where(edit.key)}{edit.describe()}" for edit in edits if edit.kind != "note"
    ]
    lines.extend(f"not saved: {_where(key)}comment {text!r}" for key, text in drafts.items())
    return lines


def _where(key: TurnKey | None) -> str:
    """``Q901 lynx-13b-chat turn 1 `` or nothing."""
    return f"Q{key.question_id} {key.model} turn {key.turn} " if key else ""


def make_app(
    store: Store,
    reviewer: str,
    queue_filter: QueueFilter | None = None,
    blind: bool = False,
    judge: str | None = None,
    judge_settings: JudgeSettings | None = None,
    keymap: dict[str, str] | None = None,
    mode: str = "single",
    pair: PairSettings | None = None,
) -> ReviewApp:
    """Build the app from its dependencies; used by the CLI and by tests alike.

    Args:
        store: the open database.
        reviewer: whose ratings are read and written.
        queue_filter: which items to review.
        blind: hide verdicts until the reviewer has scored each turn.
        judge: the judge to compare against (default: ``store.default_judge()``).
        judge_settings: the judge the 'j' key calls to re-judge an item (None: not configured).
        keymap: binding id to key, overriding the default keys (see ``ui.bindings``).
        mode: ``single`` (rate 1-10) or ``pair`` (vote A / B / tie).
        pair: how pair review opens (filter, judge, group, hidden model names).

    Returns:
        The app, ready to run.
    """
    return ReviewApp(
        store,
        reviewer,
        queue_filter or QueueFilter(),
        blind=blind,
        judge=judge,
        judge_settings=judge_settings,
        keymap=keymap,
        mode=mode,
        pair=pair,
    )
