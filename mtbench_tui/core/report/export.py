"""Write a report in any format to a file, atomically, reporting progress as it goes."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from mtbench_tui.core.analysis.agreement import BREAKDOWNS, Settings
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.model import Report
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.serialize import dumps
from mtbench_tui.core.report import charts
from mtbench_tui.core.report.html import Chart, render_html
from mtbench_tui.core.report.markdown import render_markdown
from mtbench_tui.core.report.tabular import write_csv, write_fastchat
from mtbench_tui.core.store import Store

FORMATS = ("md", "html", "json", "csv", "fastchat")
EXTENSIONS = {"md": ".md", "html": ".html", "json": ".json", "csv": ".csv", "fastchat": ".jsonl"}

Progress = Callable[[str, float], None]
"""Called with a step description and the fraction done (0-1)."""


class Rendered(NamedTuple):
    """A rendered report: its text, and the number of rows for row formats."""

    text: str
    rows: int | None


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path | None
    format: str
    rows: int | None
    bytes: int


def render(
    store: Store,
    fmt: str,
    judge: str | None = None,
    reviewer: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Produce a report in ``fmt`` as text.

    Args:
        store: the database.
        fmt: one of FORMATS.
        judge: only this judge (csv: whose score to join).
        reviewer: report this reviewer separately too (fastchat: only their ratings).
        settings: bootstrap settings.
        progress: called with each step.

    Returns:
        The text, and the row count for row formats.
    """
    step = progress or (lambda _what, _done: None)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt in ("csv", "fastchat"):
        step("writing rows", 0.1)
        buf = io.StringIO(newline="")
        rows = (
            write_csv(store, buf, judge or store.default_judge())
            if fmt == "csv"
            else write_fastchat(store, buf, reviewer)
        )
        step("done", 1.0)
        return Rendered(buf.getvalue(), rows)
    step("computing statistics (bootstrap)", 0.1)
    report = build_report(
        store,
        judge=judge,
        reviewer=reviewer,
        by=BREAKDOWNS,
        settings=settings,
        with_dataset=fmt == "json",
        with_annotations=True,
    )
    if fmt == "json":
        step("done", 1.0)
        return Rendered(dumps(report) + "\n", None)
    if fmt == "md":
        step("done", 1.0)
        return Rendered(render_markdown(report), None)
    step("drawing charts", 0.5)
    drawn = {j: judge_charts(store, j, report) for j in report.judges}
    step("done", 1.0)
    return Rendered(render_html(report, drawn), None)


def judge_charts(store: Store, judge: str, report: Report) -> list[Chart]:
    """The five charts for one judge against all human ratings (none when nothing is rated).

    Args:
        store: the database.
        judge: the judge.
        report: the report (for the category breakdown).

    Returns:
        (caption, inline svg) per chart.
    """
    pairs = RatingPairs.load(store, judge)
    block = report.block(judge)
    if pairs.n == 0 or block is None:
        return []
    out = [
        ("Human against judge score: counts", charts.confusion_heatmap(pairs.human, pairs.judge)),
        ("Human against judge score, jittered", charts.scatter(pairs.human, pairs.judge)),
        (
            "Bland–Altman: judge - human against their mean",
            charts.bland_altman_plot(pairs.human, pairs.judge),
        ),
        ("Score distributions", charts.score_distributions(pairs.human, pairs.judge)),
    ]
    categories = next((b for b in block.pooled.breakdowns if b.field == "category"), None)
    if categories and categories.groups:
        out.insert(
            3,
            (
                "Agreement by category (κ quadratic, 95% CI)",
                charts.agreement_by_category(categories.groups),
            ),
        )
    return out


def export_report(
    store: Store,
    fmt: str,
    path: Path,
    judge: str | None = None,
    reviewer: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Render and write atomically: a crash never leaves a half-written report at ``path``."""
    text, rows = render(store, fmt, judge, reviewer, settings, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ExportResult(path, fmt, rows, len(text.encode("utf-8")))
