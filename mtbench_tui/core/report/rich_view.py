"""The statistics report as Rich renderables, shared by `stats` in the terminal and the app's stats screen."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.report.fmt import BRIEF_METRICS, effect, estimate, p_value, rate
from mtbench_tui.core.textsafe import inert, visible_controls

SHORT_LABELS = {
    "n": "n",
    "exact": "exact",
    "within_1": "±1",
    "mae": "MAE",
    "mean_diff": "Δ mean",
    "pearson": "Pearson",
    "spearman": "Spearman",
    "kendall_tau_b": "Kendall τb",
    "kappa_quadratic": "κ quad",
    "alpha_interval": "α interval",
    "alpha_ordinal": "α ordinal",
    "icc_2_1": "ICC(2,1)",
    "sd_ratio": "SD ratio",
    "ba_lower": "BA lower",
    "ba_upper": "BA upper",
}
MAIN_METRICS = (
    "n",
    "exact",
    "within_1",
    "mae",
    "mean_diff",
    "pearson",
    "spearman",
    "kendall_tau_b",
    "kappa_quadratic",
    "alpha_interval",
    "alpha_ordinal",
    "icc_2_1",
)


def metric_table(title: str, columns: list[tuple[str, dict[str, Any]]]) -> Table:
    """Metrics down the side, one column per reviewer or comparison (Δ mean: judge − human, or later − earlier reviewer)."""
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column("metric")
    for label, _metrics in columns:
        table.add_column(visible_controls(label), justify="right")
    for metric in MAIN_METRICS:
        table.add_row(SHORT_LABELS[metric], *(estimate(metric, m.get(metric)) for _l, m in columns))
    return table


def group_table(title: str, groups: list[dict[str, Any]]) -> Table:
    """A breakdown: one row per group, the key metrics as columns."""
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column("group")
    for metric in BRIEF_METRICS:
        table.add_column(SHORT_LABELS[metric], justify="right")
    for g in groups:
        table.add_row(
            visible_controls(g["group"]), *(estimate(m, g["metrics"].get(m)) for m in BRIEF_METRICS)
        )
    return table


def agreement_view(report: dict[str, Any]) -> list[RenderableType]:
    """Judge-human tables per judge, and the human-human comparison."""
    out: list[RenderableType] = []
    for block in report["judge_human"]:
        columns = [
            (f"{r['reviewer']} (n={r['n']}, {r['n_questions']} q)", r["metrics"])
            for r in block["rows"]
        ]
        out.append(
            metric_table(
                f"Judge {visible_controls(block['judge'])} vs humans (95% cluster-bootstrap CI)",
                columns,
            )
        )
    hh = report["human_human"]
    if hh:
        columns = [(f"human-human (n={hh['n']})", hh["metrics"])]
        columns += [
            (f"{s['judge']}-human (n={s['n']})", s["metrics"]) for s in hh["judge_human_same_items"]
        ]
        out.append(
            metric_table(
                f"The paper's comparison: {hh['n_turns']} turns rated by 2+ reviewers", columns
            )
        )
    else:
        out.append(
            Text(
                "Human-human agreement appears once two reviewers rate the same turns.",
                style="italic",
            )
        )
    for block in report["pairwise"]:
        out.append(pairwise_table(block))
    return out


def breakdown_view(report: dict[str, Any]) -> list[RenderableType]:
    """Every breakdown table of every judge (all humans pooled)."""
    out: list[RenderableType] = []
    for block in report["judge_human"]:
        for field, groups in block["rows"][0]["breakdowns"].items():
            out.append(
                group_table(f"{visible_controls(block['judge'])} vs all humans, by {field}", groups)
            )
    return out


def pairwise_table(block: dict[str, Any]) -> Table:
    """MT-Bench pairwise agreement derived from scores."""
    table = Table(
        title=f"Pairwise agreement from scores ({visible_controls(block['judge'])}, "
        f"{block['n_comparisons']} comparisons)",
        title_justify="left",
        title_style="bold",
    )
    for column in ("", "with ties", "without ties"):
        table.add_column(column)
    for who in ("judge_human", "human_human"):
        table.add_row(
            who.replace("_", "-"), *(rate(block[who][k]) for k in ("with_ties", "without_ties"))
        )
    return table


def bias_view(report: dict[str, Any]) -> list[RenderableType]:
    """The audit findings per judge, flagged ones marked; then no-verdict rates."""
    out: list[RenderableType] = []
    for block in report["bias"]:
        table = Table(
            title=f"Bias audit: {visible_controls(block['judge'])}",
            title_justify="left",
            title_style="bold",
            show_lines=True,
        )
        table.add_column("check")
        table.add_column("effect [95% CI]", justify="right")
        table.add_column("p", justify="right")
        table.add_column("finding", ratio=1)
        for it in block["items"]:
            finding = Text.assemble(
                ("⚑ ", "bold yellow") if it["flag"] else "", visible_controls(it["message"])
            )
            table.add_row(it["title"], effect(it), p_value(it["p_value"]), finding)
        out.append(table)
    table = Table(
        title="Verdicts without a parseable rating", title_justify="left", title_style="bold"
    )
    for column in ("judge", "prompt", "verdicts", "no rating", "rate [95% CI]"):
        table.add_column(column, justify="left" if column in ("judge", "prompt") else "right")
    for r in report["no_verdict"]:
        table.add_row(
            visible_controls(r["judge"]),
            visible_controls(r["prompt"]),
            str(r["n"]),
            str(r["no_verdict"]),
            estimate("rate", {"value": r["rate"], "ci": r["ci"] or [None, None]}),
        )
    out.append(table)
    return out


def gates_view(report: dict[str, Any]) -> list[RenderableType]:
    """One line per CI gate."""
    out: list[RenderableType] = []
    for gate in report.get("gates", []):
        status = "[green]pass[/]" if gate["passed"] else "[bold red]FAIL[/]"
        out.append(
            Text.from_markup(
                f"gate {gate['op']} {gate['metric']}={gate['threshold']} for "
                f"{inert(gate['judge'])}: {gate['value']} {status}"
            )
        )
    return out


def full_view(report: dict[str, Any]) -> Group:
    """Everything, in reading order."""
    return Group(
        *agreement_view(report), *breakdown_view(report), *bias_view(report), *gates_view(report)
    )
