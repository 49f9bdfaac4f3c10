"""The stats screen: agreement, breakdowns, charts and the bias audit, recomputed in a worker as ratings arrive."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.model import Report
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.report import rich_charts
from mtbench_tui.core.report.rich_view import agreement_view, bias_view, breakdown_view
from mtbench_tui.core.store import Store
from mtbench_tui.ui.text import literal
from mtbench_tui.ui.widgets.key_bar import KeyBar

REFRESH_SECONDS = 3.0
"""How often the screen checks whether anyone's ratings changed."""


class StatsScreen(Screen[None]):
    """Shows the statistics report; heavy work runs in a thread with its own database connection."""

    BINDINGS = [
        Binding("escape", "back", "back to review"),
        Binding("s", "back", "review", show=False),
        Binding("r", "recompute", "recompute"),
        Binding("e", "export", "export"),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.signature: tuple[int, int] | None = None
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Static("Computing statistics…", id="stats-status")
        with TabbedContent(id="stats-tabs"):
            for pane_id, title in (
                ("agreement", "Agreement"),
                ("breakdowns", "Breakdowns"),
                ("charts", "Charts"),
                ("bias", "Bias audit"),
            ):
                with TabPane(title, id=f"tab-{pane_id}"):
                    with VerticalScroll():
                        yield Static(id=f"stats-{pane_id}")
        yield KeyBar(id="key-bar")

    def on_mount(self) -> None:
        """Compute now, then watch for new ratings."""
        self.set_interval(REFRESH_SECONDS, self._check_for_changes)
        self.action_recompute()

    def on_screen_resume(self) -> None:
        """Coming back from the review screen: recompute if ratings changed meanwhile."""
        self._check_for_changes()

    def _check_for_changes(self) -> None:
        """Recompute when any rating changed since the last computation."""
        if self.store.ratings.signature() != self.signature:
            self.action_recompute()

    def action_recompute(self) -> None:
        """Start a fresh computation in a worker."""
        self.signature = self.store.ratings.signature()
        self.query_one("#stats-status", Static).update(
            Text(
                f"Computing… ({self.settings.n_resamples} cluster-bootstrap resamples)",
                style="italic",
            )
        )
        self._compute()

    @work(thread=True, exclusive=True, group="stats")
    def _compute(self) -> None:
        """Build the report on a second connection, off the UI thread."""
        store = self.store.reopen()
        try:
            report = build_report(store, settings=self.settings)
            pairs = {judge: RatingPairs.load(store, judge) for judge in report.judges}
        finally:
            store.close()
        self.app.call_from_thread(self._show, report, pairs)

    def _show(self, report: Report, pairs: dict[str, RatingPairs]) -> None:
        """Render a finished report."""
        self.report = report
        counts = report.counts
        self.query_one("#stats-status", Static).update(
            Text(
                f"{counts.ratings} human ratings by {len(report.reviewers)} reviewer(s) · "
                f"{counts.judgments} verdicts · 95% CIs from "
                f"{report.settings.bootstrap_resamples} resamples clustered by question · "
                "refreshes as ratings arrive",
                style="italic",
            )
        )
        self.query_one("#stats-agreement", Static).update(Group(*agreement_view(report)))
        self.query_one("#stats-breakdowns", Static).update(Group(*breakdown_view(report)))
        self.query_one("#stats-bias", Static).update(Group(*bias_view(report)))
        charts = []
        for judge, p in pairs.items():
            charts += [
                Text.assemble(
                    "Judge ", literal(judge), f" vs all humans (n={p.n})", style="bold underline"
                ),
                rich_charts.histograms(p.human, p.judge),
                rich_charts.heatmap(p.human, p.judge),
                Text(""),
            ]
        self.query_one("#stats-charts", Static).update(
            Group(*charts) if charts else Text("No judges yet.")
        )

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
