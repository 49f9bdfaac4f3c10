"""The statistics report as Rich renderables, for `stats` in the terminal and the app's stats screen.

Every piece of text from data goes in as a ``Text`` (never markup), with control and bidi
characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.analysis.findings import JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.metrics import BRIEF_VIEW, TERMINAL_VIEW
from mtbench_tui.core.analysis.model import (
    Breakdown,
    JudgeBlock,
    MetricValues,
    PairwiseBlock,
    Report,
)
from mtbench_tui.core.report.fmt import effect, metric_value, no_verdict_rate, p_value, rate
from mtbench_tui.core.textsafe import rich_text


def _table(title: str | Text, show_lines: bool = False) -> Table:
    """A table with a bold left-aligned title (a Text, so data in it is never markup)."""
    heading = title if isinstance(title, Text) else Text(title)
    return Table(title=heading, title_justify="left", title_style="bold", show_lines=show_lines)


def _title(*parts: str | tuple[str]) -> Text:
    """A title from fixed text and data: data parts are given as 1-tuples."""
    out = Text()
    for part in parts:
        out.append_text(rich_text(part[0]) if isinstance(part, tuple) else Text(part))
    return out


def metric_table(title: Text, columns: Sequence[tuple[Text, MetricValues]]) -> Table:
    """Metrics down the side, one column per reviewer or comparison.

    Args:
        title: the table's title.
        columns: (heading, metrics) per column.

    Returns:
        The table.
    """
    table = _table(title)
    table.add_column("metric")
    for label, _metrics in columns:
        table.add_column(label, justify="right")
    for metric in TERMINAL_VIEW:
        table.add_row(metric.short, *(metric_value(metric, m) for _l, m in columns))
    return table


def group_table(title: Text, breakdown: Breakdown) -> Table:
    """A breakdown: one row per group, the key metrics as columns.

    Args:
        title: the table's title.
        breakdown: the groups.

    Returns:
        The table.
    """
    table = _table(title)
    table.add_column("group")
    for metric in BRIEF_VIEW:
        table.add_column(metric.short, justify="right")
    for g in breakdown.groups:
        table.add_row(rich_text(g.name), *(metric_value(m, g.metrics) for m in BRIEF_VIEW))
    return table


def agreement_view(report: Report) -> list[RenderableType]:
    """Judge-human tables per judge, the human-human comparison, and pairwise agreement.

    Args:
        report: the report.

    Returns:
        Renderables in reading order.
    """
    out: list[RenderableType] = [_judge_table(b) for b in report.judge_human]
    hh = report.human_human
    if hh:
        columns = [(Text(f"human-human (n={hh.n})"), hh.metrics)]
        columns += [(_title((s.judge,), f"-human (n={s.n})"), s.metrics) for s in hh.same_items]
        title = Text(f"The paper's comparison: {hh.n_turns} turns rated by 2+ reviewers")
        out.append(metric_table(title, columns))
    else:
        message = "Human-human agreement appears once two reviewers rate the same turns."
        out.append(Text(message, style="italic"))
    out += [pairwise_table(b) for b in report.pairwise]
    return out


def _judge_table(block: JudgeBlock) -> Table:
    """One judge against each reviewer and all pooled."""
    columns = [
        (_title((r.reviewer,), f" (n={r.n}, {r.n_questions} q)"), r.metrics) for r in block.rows
    ]
    title = _title("Judge ", (block.judge,), " vs humans (95% cluster-bootstrap CI)")
    return metric_table(title, columns)


def breakdown_view(report: Report) -> list[RenderableType]:
    """Every breakdown table of every judge (all humans pooled).

    Args:
        report: the report.

    Returns:
        One table per judge and breakdown.
    """
    return [
        group_table(_title((block.judge,), f" vs all humans, by {b.field}"), b)
        for block in report.judge_human
        for b in block.pooled.breakdowns
    ]


def pairwise_table(block: PairwiseBlock) -> Table:
    """MT-Bench pairwise agreement derived from scores.

    Args:
        block: one judge's pairwise agreement.

    Returns:
        The table.
    """
    title = _title(
        "Pairwise agreement from scores (",
        (block.judge,),
        f", {block.n_comparisons} comparisons)",
    )
    table = _table(title)
    for column in ("", "with ties", "without ties"):
        table.add_column(column)
    for who, pair in (("judge-human", block.judge_human), ("human-human", block.human_human)):
        table.add_row(who, rate(pair.with_ties), rate(pair.without_ties))
    return table


def bias_view(report: Report) -> list[RenderableType]:
    """The audit findings per judge, flagged ones marked; then no-verdict rates.

    Args:
        report: the report.

    Returns:
        One table per judge, then the no-verdict table.
    """
    out: list[RenderableType] = [_audit_table(a) for a in report.bias]
    out.append(_no_verdict_table(report.no_verdict))
    return out


def _audit_table(audit: JudgeAudit) -> Table:
    """One judge's findings."""
    table = _table(_title("Bias audit: ", (audit.judge,)), show_lines=True)
    table.add_column("check")
    table.add_column("effect [95% CI]", justify="right")
    table.add_column("p", justify="right")
    table.add_column("finding", ratio=1)
    for f in audit.findings:
        finding = Text.assemble(("⚑ ", "bold yellow") if f.flag else "", rich_text(f.message))
        table.add_row(rich_text(f.title), effect(f), p_value(f.p_value), finding)
    return table


def _no_verdict_table(rows: Sequence[NoVerdict]) -> Table:
    """Verdicts without a parseable rating."""
    table = _table("Verdicts without a parseable rating")
    for column in ("judge", "prompt", "verdicts", "no rating", "rate [95% CI]"):
        table.add_column(column, justify="left" if column in ("judge", "prompt") else "right")
    for r in rows:
        table.add_row(
            rich_text(r.judge),
            rich_text(r.prompt),
            str(r.n),
            str(r.no_verdict),
            no_verdict_rate(r),
        )
    return table


def gates_view(report: Report) -> list[RenderableType]:
    """One line per CI gate.

    Args:
        report: the report.

    Returns:
        One Text per gate.
    """
    out: list[RenderableType] = []
    for gate in report.gates or ():
        line = Text(f"gate {gate.op} {gate.metric}={gate.threshold} for ")
        line.append_text(rich_text(gate.judge))
        line.append(f": {gate.value} ")
        line.append("pass" if gate.passed else "FAIL", "green" if gate.passed else "bold red")
        out.append(line)
    return out


def full_view(report: Report) -> Group:
    """Everything, in reading order.

    Args:
        report: the report.

    Returns:
        One renderable.
    """
    return Group(
        *agreement_view(report), *breakdown_view(report), *bias_view(report), *gates_view(report)
    )
