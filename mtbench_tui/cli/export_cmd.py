"""`mtbench-review export`: the report (md/html/json); ratings or votes (csv or FastChat JSONL)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mtbench_tui.cli.common import db_option, fail, handle_errors, open_existing, stderr
from mtbench_tui.cli.report_options import check_humans, check_judge
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.report.export import FORMATS, ExportOptions, export_report, render
from mtbench_tui.core.store import Store
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
    "--reviewer", help="Report this reviewer separately too (csv, fastchat: only their rows)."
)
@click.option(
    "--humans",
    metavar="GROUP",
    help="Pairwise votes: the reviewer group forming the human pool (default: every reviewer).",
)
@click.option(
    "--votes",
    is_flag=True,
    help="csv, fastchat: the human pairwise votes instead of the 1-10 ratings "
    "(automatic for a fastchat file named *_pair.jsonl).",
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
    humans: str | None,
    votes: bool,
    n_resamples: int,
    seed: int,
) -> None:
    """Export the agreement report, or the ratings and votes themselves.

    \b
    md, html   the full report (html is one offline file with inline charts)
    json       the same numbers as `stats --json`, plus dataset metadata
    csv        every rating with the judge's score, category and texts
               (--votes: every pairwise vote with the judge's verdict)
    fastchat   human ratings as model_judgment JSONL, or pairwise votes as
               FastChat pair rows with --votes or a *_pair.jsonl name
               (`import` reads both back)

    \b
    Examples:
      mtbench-review export --format html -o report.html
      mtbench-review export --format md --humans expert -o table5.md
      mtbench-review export --format fastchat -o alice.jsonl --reviewer alice
      mtbench-review export --format fastchat -o alice_pair.jsonl --reviewer alice
      mtbench-review import alice.jsonl --db merged.db
      mtbench-review import alice_pair.jsonl --db merged.db
    """
    store = open_existing(db_path)
    check_judge(store, judge)
    check_humans(store, humans)
    votes = votes or (fmt == "fastchat" and output.stem.endswith("_pair"))
    options = ExportOptions(
        judge, reviewer, Settings(n_resamples=n_resamples, seed=seed), humans, votes
    )
    if str(output) == "-":
        text, _rows = render(store, fmt, options)
        sys.stdout.write(text)
        return
    shown = visible_controls(str(output))
    try:
        result = export_report(store, fmt, output, options)
    except OSError as exc:
        fail(f"cannot write {shown}: {exc.strerror or exc}")
    rows = f", {result.rows} rows" if result.rows is not None else ""
    stderr().print(f"Wrote {shown} ({result.bytes:,} bytes{rows}).", soft_wrap=True, markup=False)
    _hint(store, fmt, output, votes, result.rows)


def _hint(store: Store, fmt: str, output: Path, votes: bool, rows: int | None) -> None:
    """Say how to get at pairwise votes, and how import will read a votes file back."""
    if fmt not in ("csv", "fastchat"):
        return
    note = ""
    if not votes and rows == 0 and store.analysis.pair_activity().votes:
        note = "note: no ratings to export; this database has pairwise votes: add --votes"
    elif fmt == "fastchat" and votes and not output.stem.endswith("_pair"):
        note = (
            "note: import reads a lone file as pairwise rows when its name ends in "
            "_pair.jsonl; otherwise use import --pairs FILE"
        )
    if note:
        stderr().print(note, soft_wrap=True, markup=False)
