"""`mtbench-review stats`: agreement tables, the bias audit, and CI gates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mtbench_tui.cli.common import (
    EXIT_GATE_FAILED,
    db_option,
    fail,
    handle_errors,
    open_existing,
    stdout,
)
from mtbench_tui.core.analysis.agreement import BREAKDOWNS, Settings
from mtbench_tui.core.analysis.report import build_report, headline
from mtbench_tui.core.report.rich_view import full_view
from mtbench_tui.core.stats.paired import METRICS


def _parse_gates(values: tuple[str, ...], op: str) -> list[tuple[str, str, float]]:
    """METRIC=VALUE options as (metric, op, threshold)."""
    gates = []
    for value in values:
        metric, _, threshold = value.partition("=")
        if metric not in METRICS or not threshold:
            fail(f"bad gate {value!r}: use METRIC=VALUE with METRIC one of {', '.join(METRICS)}")
        try:
            gates.append((metric, op, float(threshold)))
        except ValueError:
            fail(f"bad gate {value!r}: {threshold!r} is not a number")
    return gates


@click.command("stats")
@db_option
@click.option(
    "--reviewer", help="Also report this reviewer alone (the pooled 'all' row is always there)."
)
@click.option("--judge", help="Only this judge (default: every judge).")
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
    by: str,
    as_json: bool,
    fail_under: tuple[str, ...],
    fail_over: tuple[str, ...],
    n_resamples: int,
    seed: int,
) -> None:
    """Human-judge and human-human agreement with 95% cluster-bootstrap CIs, and the judge-bias audit.

    \b
    Examples:
      mtbench-review stats
      mtbench-review stats --by category --judge gpt-4
      mtbench-review stats --json > stats.json
      mtbench-review stats --fail-under kappa_quadratic=0.6 --fail-over mae=1.5   # a CI gate
    """
    groups = tuple(g.strip() for g in by.split(",") if g.strip())
    unknown = set(groups) - set(BREAKDOWNS)
    if unknown:
        fail(f"--by accepts {', '.join(BREAKDOWNS)}; got {', '.join(sorted(unknown))}")
    gates = _parse_gates(fail_under, "under") + _parse_gates(fail_over, "over")
    store = open_existing(db_path)
    if judge and judge not in [j for j, _n in store.content.judges()]:
        fail(f"no verdicts from judge {judge!r}")
    report = build_report(
        store,
        judge=judge,
        reviewer=reviewer,
        by=groups,
        settings=Settings(n_resamples=n_resamples, seed=seed),
    )
    report["gates"] = _check_gates(report, gates)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        stdout().print(full_view(report))
    if any(not g["passed"] for g in report["gates"]):
        raise SystemExit(EXIT_GATE_FAILED)


def _check_gates(
    report: dict[str, Any], gates: list[tuple[str, str, float]]
) -> list[dict[str, Any]]:
    """Evaluate each gate against every judge's pooled row."""
    results = []
    for metric, op, threshold in gates:
        for judge in report["judges"]:
            value = headline(report, judge, metric)
            if value is None:
                passed = False
            else:
                passed = value >= threshold if op == "under" else value <= threshold
            results.append(
                {
                    "metric": metric,
                    "op": f"fail-{op}",
                    "threshold": threshold,
                    "judge": judge,
                    "value": value,
                    "passed": passed,
                }
            )
    return results
