"""`mtbench-review export`: the report as md/html/json, ratings as csv or FastChat JSONL."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mtbench_tui.cli.common import db_option, fail, handle_errors, open_existing, stderr
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.report.export import FORMATS, export_report, render
from mtbench_tui.core.textsafe import visible_controls


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write ('-' for standard output).",
)
@click.option(
    "--judge", help="Only this judge (csv: whose score to join; default: the main judge)."
)
@click.option(
    "--reviewer", help="Report this reviewer separately too (fastchat: only their ratings)."
)
@click.option(
    "--bootstrap", "n_resamples", default=1000, show_default=True, help="Bootstrap resamples."
)
@click.option("--seed", default=0, show_default=True, help="Bootstrap seed.")
@handle_errors
def export_cmd(
    db_path: Path | None,
    fmt: str,
    output: Path,
    judge: str | None,
    reviewer: str | None,
    n_resamples: int,
    seed: int,
) -> None:
    """Export the agreement report, or the ratings themselves.

    \b
    md, html   the full report (html is one offline file with inline charts)
    json       the same numbers as `stats --json`, plus dataset metadata
    csv        every rating with the judge's score, category and texts
    fastchat   human ratings as model_judgment JSONL (`import` reads it back)

    \b
    Examples:
      mtbench-review export --format html -o report.html
      mtbench-review export --format fastchat -o alice.jsonl --reviewer alice
      mtbench-review import alice.jsonl --db merged.db
    """
    store = open_existing(db_path)
    if judge and judge not in [j.judge for j in store.content.judges()]:
        fail(f"no verdicts from judge {judge!r}")
    settings = Settings(n_resamples=n_resamples, seed=seed)
    if str(output) == "-":
        text, _rows = render(store, fmt, judge, reviewer, settings)
        sys.stdout.write(text)
        return
    shown = visible_controls(str(output))
    try:
        result = export_report(store, fmt, output, judge, reviewer, settings)
    except OSError as exc:
        fail(f"cannot write {shown}: {exc.strerror or exc}")
    rows = f", {result.rows} rows" if result.rows is not None else ""
    stderr().print(f"Wrote {shown} ({result.bytes:,} bytes{rows}).", soft_wrap=True, markup=False)
