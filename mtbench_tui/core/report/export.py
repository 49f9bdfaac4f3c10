"""Write a report in any format to a file, atomically, reporting progress as it goes."""

from __future__ import annotations

import errno
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
from mtbench_tui.core.pairwise.export import write_fastchat_pairs
from mtbench_tui.core.report import charts
from mtbench_tui.core.report.html import Chart, render_html
from mtbench_tui.core.report.markdown import render_markdown
from mtbench_tui.core.report.tabular import write_csv, write_fastchat
from mtbench_tui.core.report.vote_csv import default_pair_judge, write_votes_csv
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


@dataclass(frozen=True)
class ExportOptions:
    """What to export besides the format."""

    judge: str | None = None
    """Only this judge (csv: whose verdict to join; default: the main judge)."""
    reviewer: str | None = None
    """Report this reviewer separately too (row formats: only their rows)."""
    settings: Settings | None = None
    """Bootstrap settings."""
    humans: str | None = None
    """The reviewer group whose pairwise votes form the human pool (None: everyone)."""
    votes: bool = False
    """Row formats: the human pairwise votes instead of the 1-10 ratings."""


def render(
    store: Store, fmt: str, options: ExportOptions | None = None, progress: Progress | None = None
) -> Rendered:
    """Produce a report in ``fmt`` as text.

    Args:
        store: the database.
        fmt: one of FORMATS.
        options: judge, reviewer, bootstrap settings, human pool, votes or ratings.
        progress: called with each step.

    Returns:
        The text, and the row count for row formats.
    """
    o = options or ExportOptions()
    step = progress or (lambda _what, _done: None)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt in ("csv", "fastchat"):
        step("writing rows", 0.1)
        buf = io.StringIO(newline="")
        rows = _write_rows(store, fmt, o, buf)
        step("done", 1.0)
        return Rendered(buf.getvalue(), rows)
    step("computing statistics (bootstrap)", 0.1)
    report = build_report(
        store,
        judge=o.judge,
        reviewer=o.reviewer,
        by=BREAKDOWNS,
        settings=o.settings,
        with_dataset=fmt == "json",
        with_annotations=True,
        humans=o.humans,
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


def _write_rows(store: Store, fmt: str, o: ExportOptions, out: io.StringIO) -> int:
    """The row formats: ratings or votes, as CSV or FastChat JSONL."""
    if fmt == "csv" and o.votes:
        return write_votes_csv(store, out, o.judge or default_pair_judge(store), o.reviewer)
    if fmt == "csv":
        return write_csv(store, out, o.judge or store.default_judge())
    if o.votes:
        return write_fastchat_pairs(store, out, o.reviewer)
    return write_fastchat(store, out, o.reviewer)


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
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Render a report and write it to ``path`` (see ``write_bytes``).

    Args:
        store: the database.
        fmt: one of FORMATS.
        path: where to write.
        options: judge, reviewer, bootstrap settings, human pool, votes or ratings.
        progress: called with each step.

    Returns:
        What was written.

    Raises:
        OSError: when the file can't be written (a full disk, a directory, no permission).
    """
    text, rows = render(store, fmt, options, progress)
    data = text.encode("utf-8")
    write_bytes(path, data)
    return ExportResult(path, fmt, rows, len(data))


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file so that a crash never leaves half a report, and a device is never replaced.

    A new path or a regular file (also behind a symlink, which stays a symlink) is written
    to a temporary file beside it and renamed over it. Anything else that exists, such as
    ``/dev/null``, a FIFO or a terminal, is written in place and never replaced.

    Args:
        path: the target.
        data: the bytes.

    Raises:
        OSError: when writing fails; no temporary file is left behind.
    """
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        with open(target, "wb") as handle:  # a device or FIFO: write through, never rename
            handle.write(data)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
