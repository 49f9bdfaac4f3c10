"""`mtbench-review stats`: agreement tables, the bias audit, and CI gates."""

from __future__ import annotations

from pathlib import Path

import click

from mtbench_tui.cli.common import (
    EXIT_GATE_FAILED,
    db_option,
    fail,
    handle_errors,
    open_existing,
    skip_teardown,
    stdout,
)
from mtbench_tui.cli.report_options import check_humans, check_judge
from mtbench_tui.core.analysis.agreement import BREAKDOWNS, Settings
from mtbench_tui.core.analysis.findings import GateSpec
from mtbench_tui.core.analysis.gates import GateError, parse_gate
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.serialize import dumps


def _parse_gates(values: tuple[str, ...], op: str) -> list[GateSpec]:
    """METRIC=VALUE options as gates; a bad one ends the command with a one-line error."""
    specs = []
    for value in values:
        try:
            specs.append(parse_gate(value, op))
        except GateError as exc:
            fail(str(exc))
    return specs


@click.command("stats")
@db_option
@click.option(
    "--reviewer", help="Also report this reviewer alone (the pooled 'all' row is always there)."
)
@click.option("--judge", help="Only this judge (default: every judge).")
@click.option(
    "--humans",
    metavar="GROUP",
    help="Pairwise votes: the reviewer group forming the human pool (the paper's: expert). "
    "Default: every reviewer.",
)
@click.option(
    "--by",
    "by",
    default=",".join(BREAKDOWNS),
    show_default=True,
    help="Breakdowns, comma-separated: turn, category, model (empty for none).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the full report as JSON (schema in the README)."
)
@click.option(
    "--fail-under",
    "fail_under",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Exit 1 when METRIC (all humans vs the judge) is below VALUE. Repeatable.",
)
@click.option(
    "--fail-over",
    "fail_over",
    multiple=True,
    metavar="METRIC=VALUE",
    help="Exit 1 when METRIC is above VALUE (for mae, or |mean_diff|). Repeatable.",
)
@click.option(
    "--bootstrap",
    "n_resamples",
    default=1000,
    show_default=True,
    help="Bootstrap resamples (0: none).",
)
@click.option("--seed", default=0, show_default=True, help="Bootstrap seed.")
@handle_errors
def stats_cmd(
    db_path: Path | None,
    reviewer: str | None,
    judge: str | None,
    humans: str | None,
    by: str,
    as_json: bool,
    fail_under: tuple[str, ...],
    fail_over: tuple[str, ...],
    n_resamples: int,
    seed: int,
) -> None:
    """Human-judge and human-human agreement with 95% cluster-bootstrap CIs, and the bias audit.

    \b
    Examples:
      mtbench-review stats
      mtbench-review stats --by category --judge gpt-4
      mtbench-review stats --json > stats.json
      mtbench-review stats --humans expert        # MT-Bench's Table 5 on the expert votes
      mtbench-review stats --fail-under kappa_quadratic=0.6 --fail-over mae=1.5   # a CI gate
    """
    groups = tuple(g.strip() for g in by.split(",") if g.strip())
    unknown = set(groups) - set(BREAKDOWNS)
    if unknown:
        fail(f"--by accepts {', '.join(BREAKDOWNS)}; got {', '.join(sorted(unknown))}")
    gates = _parse_gates(fail_under, "under") + _parse_gates(fail_over, "over")
    store = open_existing(db_path)
    skip_teardown()  # only reads: nothing is left to close or write when the output is out
    check_judge(store, judge)
    check_humans(store, humans)
    report = build_report(
        store,
        judge=judge,
        reviewer=reviewer,
        by=groups,
        settings=Settings(n_resamples=n_resamples, seed=seed),
        gate_specs=gates,
        humans=humans,
    )
    if as_json:
        click.echo(dumps(report))
    else:
        from mtbench_tui.core.report.rich_view import full_view  # Rich only for tables

        console = stdout()
        console.print(full_view(report, width=console.width))
    if any(not g.passed for g in report.gates or ()):
        raise SystemExit(EXIT_GATE_FAILED)
