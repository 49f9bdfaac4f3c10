"""The stats screen: agreement, breakdowns, charts and the bias audit, recomputed as ratings arrive.

It opens at once: point estimates appear first (no bootstrap, no scipy), then a worker
refines every interval and runs the audit. Heavy modules load in that worker, never on
the UI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import Worker, get_current_worker

from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.report.rich_view import agreement_view, bias_view, breakdown_view
from mtbench_tui.core.store import Store
from mtbench_tui.ui.text import literal
from mtbench_tui.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from mtbench_tui.core.analysis.frames import RatingPairs
    from mtbench_tui.core.analysis.model import Report

REFRESH_SECONDS = 3.0
"""How often the screen checks whether anyone's ratings changed."""

PANES = (
    ("agreement", "Agreement"),
    ("breakdowns", "Breakdowns"),
    ("charts", "Charts"),
    ("bias", "Bias audit"),
)


@dataclass(frozen=True)
class Computed:
    """A report and the paired scores its charts draw, as one worker stage produced them."""

    report: Report
    pairs: dict[str, RatingPairs] | None
    """None in the first stage (nothing read row by row yet)."""
    final: bool
    """False for the quick stages: point estimates only, no audit."""
    stage: str = "final"
    """``first`` (pooled numbers counted in SQL), ``estimates`` (every point estimate) or
    ``final`` (intervals and the audit)."""


class StatsScreen(Screen[None]):
    """Shows the statistics report; heavy work runs in a thread with its own database connection."""

    BINDINGS = [
        Binding("escape", "back", "back to review"),
        Binding("s", "back", "review", show=False),
        Binding("r", "recompute", "recompute"),
        Binding("e", "export", "export"),
        Binding("pageup", "scroll('page_up')", "page up", show=False),
        Binding("pagedown", "scroll('page_down')", "page down", show=False),
        Binding("home", "scroll('home')", "top", show=False),
        Binding("end", "scroll('end')", "bottom", show=False),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.signature: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.computed: Computed | None = None
        self.shown: list[tuple[str, float]] = []
        """Each stage drawn and when (monotonic seconds): for tests and benchmarks."""

    @property
    def report(self) -> Report | None:
        """The report on screen, if any."""
        return self.computed.report if self.computed else None

    def compose(self) -> ComposeResult:
        yield Static(Text("Computing statistics…", style="italic"), id="stats-status")
        with TabbedContent(id="stats-tabs"):
            for pane_id, title in PANES:
                with TabPane(title, id=f"tab-{pane_id}"):
                    with VerticalScroll(id=f"scroll-{pane_id}"):
                        yield Static(id=f"stats-{pane_id}")
        yield KeyBar(id="key-bar")

    def help_rows(self) -> list[tuple[str, str]]:
        """The keys for the ? screen, scrolling keys included."""
        return [
            ("Esc, s", "back to review"),
            ("r", "recompute now"),
            ("e", "export the report"),
            ("PgUp / PgDn", "scroll a page"),
            ("Home / End", "top / bottom of the tab"),
            ("←/→ on the tabs", "switch tab (or click it)"),
            ("?", "this help"),
            ("q", "quit"),
        ]

    def on_mount(self) -> None:
        """Compute now, then watch for new ratings."""
        self.set_interval(REFRESH_SECONDS, self.check_for_changes)
        self.action_recompute()

    def on_screen_resume(self) -> None:
        """Coming back from the review screen: recompute if ratings changed meanwhile."""
        self.check_for_changes()

    def on_resize(self, _event: events.Resize) -> None:
        """Refit the tables to the new width."""
        if self.computed is not None:
            self._paint_report(self.computed)

    def _activity(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """A cheap fingerprint of every rating and pairwise vote, by anyone."""
        return self.store.ratings.signature(), self.store.votes.signature()

    def check_for_changes(self) -> None:
        """Recompute when any rating or vote changed since the last computation."""
        if self._activity() != self.signature:
            self.action_recompute()

    def action_recompute(self) -> None:
        """Start a fresh computation in a worker."""
        self.signature = self._activity()
        n = self.settings.n_resamples
        self._set_status(f"Computing… ({n} cluster-bootstrap resamples)")
        self._compute(quick_first=self.computed is None)

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self, quick_first: bool) -> None:
        """Build the report on a second connection, off the UI thread: estimates, then intervals."""
        from mtbench_tui.core.analysis.first import first_numbers
        from mtbench_tui.core.analysis.frames import load_frames
        from mtbench_tui.core.analysis.report import build_report
        from mtbench_tui.core.stats import memory

        memory.return_large_arrays()  # the app stays under its memory budget while this runs
        worker = get_current_worker()
        store = self.store.reopen()
        try:
            if quick_first:
                first = first_numbers(store, self.settings)
                self._stage(worker, Computed(first, None, final=False, stage="first"))
            pairs = load_frames(store)  # read once: both stages and the charts use them
            if quick_first:
                quick = replace(self.settings, n_resamples=0)
                report = build_report(store, settings=quick, with_audit=False, frames=pairs)
                self._stage(worker, Computed(report, pairs, final=False, stage="estimates"))
            report = build_report(store, settings=self.settings, frames=pairs)
        finally:
            store.close()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, Computed(report, pairs, final=True))

    def _stage(self, worker: Worker[None], computed: Computed) -> None:
        """Show a quick stage from the worker, unless the computation was cancelled."""
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, computed)

    def _show(self, computed: Computed) -> None:
        """Render a finished stage."""
        self.computed = computed
        self._paint_report(computed)
        self.shown.append((computed.stage, time.monotonic()))

    def _paint_report(self, computed: Computed) -> None:
        """Draw every tab for the current width."""
        report, width = computed.report, max(self.size.width - 4, 40)
        self._set_status(_status_line(computed))
        self._fill_pane("agreement", agreement_view(report, width))
        if computed.stage == "first":
            waiting = Text("Computing every breakdown…", style="italic")
            self._fill_pane("breakdowns", [waiting])
        else:
            self._fill_pane("breakdowns", breakdown_view(report, width))
        if computed.final:
            self._fill_pane("bias", bias_view(report))
        else:
            self._fill_pane("bias", [Text("Running the bias audit…", style="italic")])
        if computed.pairs is None:
            self._fill_pane("charts", [Text("Reading the ratings…", style="italic")])
        else:
            self._fill_pane("charts", _charts(computed.pairs))

    def _fill_pane(self, pane: str, parts: list[RenderableType]) -> None:
        """Replace a tab's content."""
        self.query_one(f"#stats-{pane}", Static).update(Group(*parts))

    def _set_status(self, text: str) -> None:
        """The one-line status: never wraps, cut with … when the window is narrow."""
        line = Text(text, style="italic", no_wrap=True, overflow="ellipsis")
        self.query_one("#stats-status", Static).update(line)

    def action_scroll(self, where: str) -> None:
        """Scroll the visible tab: page_up, page_down, home or end."""
        active = self.query_one("#stats-tabs", TabbedContent).active.removeprefix("tab-")
        scroll = self.query_one(f"#scroll-{active}", VerticalScroll)
        {
            "page_up": scroll.scroll_page_up,
            "page_down": scroll.scroll_page_down,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }[where](animate=False)

    def action_back(self) -> None:
        """Return to reviewing."""
        self.app.pop_screen()

    def action_export(self) -> None:
        """Open the export dialog."""
        from mtbench_tui.ui.screens.export import ExportDialog

        self.app.push_screen(ExportDialog(self.store))

    def action_help(self) -> None:
        """Show the keys."""
        from mtbench_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        """Quit the app."""
        self.app.exit()


def _status_line(computed: Computed) -> str:
    """What the numbers rest on, and whether the intervals are still coming."""
    report = computed.report
    counts, people = report.counts, len(report.reviewers)
    head = (
        f"{counts.ratings} ratings · {people} reviewer{'' if people == 1 else 's'} · "
        f"{counts.judgments} verdicts · "
    )
    if counts.pair_votes or counts.pair_verdicts:
        head += f"{counts.pair_votes} pair votes · {counts.pair_verdicts} pair verdicts · "
    if computed.stage == "first":
        return head + "first numbers, all reviewers pooled; computing breakdowns and 95% CIs…"
    if not computed.final:
        return head + "estimates; computing 95% CIs…"
    return head + f"95% CI: {report.settings.bootstrap_resamples} question resamples"


def _charts(pairs: dict[str, RatingPairs]) -> list[RenderableType]:
    """Score histograms and the heatmap, per judge."""
    from mtbench_tui.core.report import rich_charts

    out: list[RenderableType] = []
    for judge, p in pairs.items():
        heading = Text.assemble("Judge ", literal(judge), f" vs all humans (n={p.n})")
        heading.stylize("bold underline")
        out += [
            heading,
            rich_charts.histograms(p.human, p.judge),
            rich_charts.heatmap(p.human, p.judge),
        ]
        out.append(Text(""))
    return out or [Text("No judges yet.")]
