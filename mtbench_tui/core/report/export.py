"""Write a report in any format to a file, atomically, reporting progress as it goes."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtbench_tui.core.analysis.agreement import BREAKDOWNS, Settings
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.report import charts
from mtbench_tui.core.report.html import render_html
from mtbench_tui.core.report.markdown import render_markdown
from mtbench_tui.core.report.tabular import write_csv, write_fastchat
from mtbench_tui.core.store import Store

FORMATS = ("md", "html", "json", "csv", "fastchat")
EXTENSIONS = {"md": ".md", "html": ".html", "json": ".json", "csv": ".csv", "fastchat": ".jsonl"}

Progress = Callable[[str, float], None]
"""Called with a step description and the fraction done (0-1)."""


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
) -> tuple[str, int | None]:
    """Produce a report in ``fmt`` as text; returns (text, row count for row formats)."""
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
        return buf.getvalue(), rows
    step("computing statistics (bootstrap)", 0.1)
    report = build_report(store, judge=judge, reviewer=reviewer, by=BREAKDOWNS, settings=settings)
    if fmt == "json":
        report["dataset"] = dataset_metadata(store)
        step("done", 1.0)
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n", None
    if fmt == "md":
        step("done", 1.0)
        return render_markdown(report), None
    step("drawing charts", 0.5)
    drawn = {j: judge_charts(store, j, report) for j in report["judges"]}
    step("done", 1.0)
    return render_html(report, drawn), None


def judge_charts(store: Store, judge: str, report: dict[str, Any]) -> list[tuple[str, str]]:
    """The five charts for one judge against all human ratings (none when nothing is rated)."""
    pairs = RatingPairs.load(store, judge)
    if pairs.n == 0:
        return []
    block = next(b for b in report["judge_human"] if b["judge"] == judge)
    out = [
        ("Human against judge score: counts", charts.confusion_heatmap(pairs.human, pairs.judge)),
        ("Human against judge score, jittered", charts.scatter(pairs.human, pairs.judge)),
        (
            "Bland–Altman: judge − human against their mean",
            charts.bland_altman_plot(pairs.human, pairs.judge),
        ),
        ("Score distributions", charts.score_distributions(pairs.human, pairs.judge)),
    ]
    categories = block["rows"][0]["breakdowns"].get("category")
    if categories:
        out.insert(
            3,
            (
                "Agreement by category (κ quadratic, 95% CI)",
                charts.agreement_by_category(categories),
            ),
        )
    return out


def dataset_metadata(store: Store) -> dict[str, Any]:
    """What was imported, when: the dataset the numbers describe."""
    rows = store.db.execute("SELECT at, sources FROM imports ORDER BY id").fetchall()
    return {
        "imports": [
            {"at": at, "files": [Path(p).name for p in json.loads(sources)]} for at, sources in rows
        ],
        "models": store.content.models(),
        "categories": store.content.categories(),
    }


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
