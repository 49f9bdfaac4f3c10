"""`mtbench-review stats`: agreement tables, the bias audit, and CI gates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from mtbench_tui.cli.common import EXIT_GATE_FAILED, db_option, fail, handle_errors, open_existing, stdout
from mtbench_tui.core.analysis.agreement import BREAKDOWNS, Settings
from mtbench_tui.core.analysis.report import build_report, headline
from mtbench_tui.core.stats.paired import METRICS
from mtbench_tui.core.textsafe import inert

SHOWN = ("n", "exact", "within_1", "mae", "mean_diff", "pearson", "spearman", "kendall_tau_b", "kappa_quadratic",
         "alpha_interval", "alpha_ordinal", "icc_2_1")
LABELS = {"n": "n", "exact": "exact", "within_1": "±1", "mae": "MAE", "mean_diff": "Δ mean",
          "pearson": "Pearson", "spearman": "Spearman", "kendall_tau_b": "Kendall τb", "kappa_quadratic": "κ quad",
          "alpha_interval": "α interval", "alpha_ordinal": "α ordinal", "icc_2_1": "ICC(2,1)"}


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
@click.option("--reviewer", help="Also report this reviewer alone (the pooled 'all' row is always there).")
@click.option("--judge", help="Only this judge (default: every judge).")
@click.option("--by", "by", default=",".join(BREAKDOWNS), show_default=True,
              help="Breakdowns, comma-separated: turn, category, model (empty for none).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON (schema in the README).")
@click.option("--fail-under", "fail_under", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC (all humans vs the judge) is below VALUE. Repeatable.")
@click.option("--fail-over", "fail_over", multiple=True, metavar="METRIC=VALUE",
              help="Exit 1 when METRIC is above VALUE (for mae, or |mean_diff|). Repeatable.")
@click.option("--bootstrap", "n_resamples", default=1000, show_default=True, help="Bootstrap resamples (0: none).")
@click.option("--seed", default=0, show_default=True, help="Bootstrap seed.")
@handle_errors
def stats_cmd(db_path: Path | None, reviewer: str | None, judge: str | None, by: str, as_json: bool,
              fail_under: tuple[str, ...], fail_over: tuple[str, ...], n_resamples: int, seed: int) -> None:
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
    report = build_report(store, judge=judge, reviewer=reviewer, by=groups,
                          settings=Settings(n_resamples=n_resamples, seed=seed))
    report["gates"] = _check_gates(report, gates)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_report(report, stdout())
    if any(not g["passed"] for g in report["gates"]):
        raise SystemExit(EXIT_GATE_FAILED)


def _check_gates(report: dict[str, Any], gates: list[tuple[str, str, float]]) -> list[dict[str, Any]]:
    """Evaluate each gate against every judge's pooled row."""
    results = []
    for metric, op, threshold in gates:
        for judge in report["judges"]:
            value = headline(report, judge, metric)
            if value is None:
                passed = False
            else:
                passed = value >= threshold if op == "under" else value <= threshold
            results.append({"metric": metric, "op": f"fail-{op}", "threshold": threshold, "judge": judge,
                            "value": value, "passed": passed})
    return results


def _cell(metric: str, value: Any) -> str:
    """A metric as 'v [lo, hi]'."""
    if metric == "n":
        return str(value)
    if value is None or value.get("value") is None:
        return "–"
    low, high = value["ci"]
    text = f"{value['value']:.2f}"
    return text if low is None else f"{text} [{low:.2f}, {high:.2f}]"


def _metric_table(title: str, columns: list[tuple[str, dict[str, Any]]]) -> Table:
    """Metrics down the side, one column per reviewer or comparison (Δ mean: judge − human, or second − first reviewer)."""
    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    for label, _metrics in columns:
        table.add_column(inert(label), justify="right")
    for metric in SHOWN:
        table.add_row(LABELS[metric], *(_cell(metric, m.get(metric)) for _l, m in columns))
    return table


BRIEF = ("n", "exact", "within_1", "mae", "mean_diff", "spearman", "kappa_quadratic")


def _group_table(title: str, groups: list[dict[str, Any]]) -> Table:
    """A breakdown: one row per group, the key metrics as columns."""
    table = Table(title=title, title_justify="left")
    table.add_column("group")
    for metric in BRIEF:
        table.add_column(LABELS[metric], justify="right")
    for g in groups:
        table.add_row(inert(g["group"]), *(_cell(m, g["metrics"].get(m)) for m in BRIEF))
    return table


def print_report(report: dict[str, Any], console: Console) -> None:
    """The report as Rich tables."""
    for block in report["judge_human"]:
        columns = [(f"{r['reviewer']} (n={r['n']}, {r['n_questions']} q)", r["metrics"]) for r in block["rows"]]
        console.print(_metric_table(f"Judge {inert(block['judge'])} vs humans (95% cluster-bootstrap CI)", columns))
        for field, groups in block["rows"][0]["breakdowns"].items():
            console.print(_group_table(f"Judge {inert(block['judge'])} vs all humans, by {field}", groups))
    hh = report["human_human"]
    if hh:
        columns = [(f"human-human (n={hh['n']})", hh["metrics"])]
        columns += [(f"{s['judge']}-human (n={s['n']})", s["metrics"]) for s in hh["judge_human_same_items"]]
        console.print(_metric_table(f"The paper's comparison, on the {hh['n_turns']} turns rated by 2+ reviewers "
                                    f"({', '.join(hh['reviewers'])})", columns))
    for block in report["pairwise"]:
        table = Table(title=f"Pairwise agreement derived from scores ({inert(block['judge'])}, "
                            f"{block['n_comparisons']} comparisons)", title_justify="left")
        for column in ("", "with ties", "without ties"):
            table.add_column(column)
        for who in ("judge_human", "human_human"):
            table.add_row(who.replace("_", "-"), *(_rate(block[who][k]) for k in ("with_ties", "without_ties")))
        console.print(table)
    for block in report["bias"]:
        console.print(_bias_table(block))
    flagged = [n for n in report["no_verdict"] if n["no_verdict"]]
    if flagged:
        console.print("No-verdict rates: " + "; ".join(inert(n["message"]) for n in flagged))
    for gate in report.get("gates", []):
        status = "[green]pass[/]" if gate["passed"] else "[bold red]FAIL[/]"
        console.print(f"gate {gate['op']} {gate['metric']}={gate['threshold']} for {inert(gate['judge'])}: "
                      f"{gate['value']} {status}")


def _bias_table(block: dict[str, Any]) -> Table:
    """The audit findings for one judge; flagged ones are marked."""
    table = Table(title=f"Bias audit: {inert(block['judge'])}", title_justify="left", show_lines=True)
    table.add_column("check")
    table.add_column("effect [95% CI]", justify="right")
    table.add_column("p", justify="right")
    table.add_column("finding", ratio=1)
    for it in block["items"]:
        effect = "–" if it["effect"] is None else f"{it['effect']:.2f}"
        if it["effect"] is not None and it["ci"] and it["ci"][0] is not None:
            effect += f" [{it['ci'][0]:.2f}, {it['ci'][1]:.2f}]"
        p = "–" if it["p_value"] is None else f"{it['p_value']:.3g}"
        mark = "[bold yellow]⚑[/] " if it["flag"] else ""
        table.add_row(it["title"], effect, p, mark + inert(it["message"]))
    return table


def _rate(r: dict[str, Any]) -> str:
    """'0.66 [0.60, 0.71]  (120/182)'."""
    if r["rate"] is None:
        return "–"
    ci = "" if r["ci"][0] is None else f" [{r['ci'][0]:.2f}, {r['ci'][1]:.2f}]"
    return f"{r['rate']:.2f}{ci}  ({r['agree']}/{r['total']})"
