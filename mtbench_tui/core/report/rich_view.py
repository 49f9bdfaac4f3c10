"""The statistics report as Rich renderables, for `stats` in the terminal and the app.

Every piece of text from data goes in as a ``Text`` (never markup), with control and bidi
characters made visible. Given a width, tables fit it without cutting an interval or a name.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.analysis.findings import JudgeAudit
from mtbench_tui.core.analysis.metrics import BRIEF_PRIORITY, BRIEF_VIEW, TERMINAL_VIEW
from mtbench_tui.core.analysis.model import (
    Breakdown,
    JudgeBlock,
    MetricValues,
    PairwiseBlock,
    Report,
)
from mtbench_tui.core.report.fmt import (
    AUDIT_KEY,
    effect,
    flag,
    metric_value,
    p_value,
    rate,
)
from mtbench_tui.core.report.rich_layout import (
    Column,
    Layout,
    fit_or_drop,
    fit_or_split,
    stacked,
    two_lines,
)
from mtbench_tui.core.report.rich_tables import agreement_table, gates_view, no_verdict_table
from mtbench_tui.core.textsafe import rich_text


def new_table(title: str | Text, show_lines: bool = False) -> Table:
    """A table with a bold left-aligned title (a Text, so data in it is never markup).

    Args:
        title: the title; a str is fixed text, never data.
        show_lines: rules between rows.

    Returns:
        The empty table.
    """
    heading = title if isinstance(title, Text) else Text(title)
    return Table(title=heading, title_justify="left", title_style="bold", show_lines=show_lines)


def title(*parts: str | tuple[str]) -> Text:
    """A title from fixed text and data; data parts are given as 1-tuples.

    Args:
        *parts: fixed strings, and 1-tuples of untrusted strings.

    Returns:
        The Text.
    """
    out = Text()
    for part in parts:
        out.append_text(rich_text(part[0]) if isinstance(part, tuple) else Text(part))
    return out


def _draw(heading: Text, label: str, labels: Sequence[Text], layout: Layout) -> list[Table]:
    """Tables for a layout: the label column, then each kept column."""
    tables = []
    for i, group in enumerate(layout.groups):
        table = new_table(heading if i == 0 else Text.assemble(heading, " (continued)"))
        table.add_column(label, overflow="fold")
        for column in group:
            table.add_column(column.heading, justify="right", no_wrap=True)
        for r, row_label in enumerate(labels):
            cells = [stacked(c.cells[r]) if layout.stack else c.cells[r] for c in group]
            table.add_row(row_label, *cells)
        tables.append(table)
    return tables


def comparison_tables(
    heading: Text, columns: Sequence[Column], width: int | None
) -> list[RenderableType]:
    """Metrics down the side, one column per reviewer or comparison, fitted to ``width``.

    Args:
        heading: the table's title.
        columns: one Column per comparison, cells in TERMINAL_VIEW order.
        width: the space available.

    Returns:
        One table, or several when the columns don't fit side by side.
    """
    labels = [Text(m.short) for m in TERMINAL_VIEW]
    label = max(len(m.short) for m in TERMINAL_VIEW)
    return list(_draw(heading, "metric", labels, fit_or_split(width, label, columns)))


def _metric_column(heading: Text, metrics: MetricValues) -> Column:
    """A comparison's column."""
    return Column(heading, tuple(metric_value(m, metrics) for m in TERMINAL_VIEW))


def group_tables(heading: Text, breakdown: Breakdown, width: int | None) -> list[RenderableType]:
    """A breakdown, one row per group; columns the least needed are dropped to fit ``width``.

    Args:
        heading: the table's title.
        breakdown: the groups.
        width: the space available.

    Returns:
        The table, and a note naming any dropped columns.
    """
    groups = breakdown.groups
    columns = [Column(Text("q"), tuple(str(g.n_questions) for g in groups), priority=0)]
    for m in BRIEF_VIEW:
        cells = tuple(metric_value(m, g.metrics) for g in groups)
        columns.append(Column(Text(m.short), cells, BRIEF_PRIORITY.index(m) + 1))
    labels = [rich_text(g.name) for g in groups]
    label = max((len(t.plain) for t in labels), default=5)
    layout = fit_or_drop(width, max(label, 5), columns)
    out: list[RenderableType] = list(_draw(heading, "group", labels, layout))
    if layout.dropped:
        names = ", ".join(c.heading.plain for c in layout.dropped)
        out.append(Text(f"  not shown at this width: {names}", style="dim"))
    return out


def summary_view(report: Report) -> list[RenderableType]:
    """The opening verdict, one line per judge.

    Args:
        report: the report.

    Returns:
        Renderables.
    """
    return [rich_text(s.message, style="bold") for s in report.summary]


def agreement_view(report: Report, width: int | None = None) -> list[RenderableType]:
    """The summary, judge-human tables per judge, the human-human comparison, pairwise agreement.

    Args:
        report: the report.
        width: the space available (None: no limit).

    Returns:
        Renderables in reading order.
    """
    out: list[RenderableType] = summary_view(report)
    for block in report.judge_human:
        out += _judge_tables(block, width)
    hh = report.human_human
    if hh:
        columns = [_metric_column(Text(f"human-human\n(n={hh.n}, {hh.n_questions} q)"), hh.metrics)]
        columns += [
            _metric_column(title((s.judge,), f"-human\n(n={s.n}, {s.n_questions} q)"), s.metrics)
            for s in hh.same_items
        ]
        heading = Text(f"The paper's comparison: {hh.n_turns} turns rated by 2+ reviewers")
        out += comparison_tables(heading, columns, width)
    else:
        message = "Human-human agreement appears once two reviewers rate the same turns."
        out.append(Text(message, style="italic"))
    out += [pairwise_table(b) for b in report.pairwise]
    out += [agreement_table(t) for t in report.agreement_tables]
    return out


def _judge_tables(block: JudgeBlock, width: int | None) -> list[RenderableType]:
    """One judge against each reviewer and all pooled."""
    columns = [
        _metric_column(title((r.reviewer,), f"\n(n={r.n}, {r.n_questions} q)"), r.metrics)
        for r in block.rows
    ]
    heading = title("Judge ", (block.judge,), " vs humans (95% cluster-bootstrap CI)")
    return comparison_tables(heading, columns, width)


def breakdown_view(report: Report, width: int | None = None) -> list[RenderableType]:
    """Every breakdown table of every judge (all humans pooled).

    Args:
        report: the report.
        width: the space available (None: no limit).

    Returns:
        Tables per judge and breakdown.
    """
    out: list[RenderableType] = []
    for block in report.judge_human:
        for b in block.pooled.breakdowns:
            heading = title((block.judge,), f" vs all humans, by {b.field}")
            out += group_tables(heading, b, width)
    return out


def pairwise_table(block: PairwiseBlock) -> Table:
    """MT-Bench pairwise agreement derived from scores.

    Args:
        block: one judge's pairwise agreement.

    Returns:
        The table.
    """
    heading = title(
        "Pairwise agreement from scores (", (block.judge,), f", {block.n_comparisons} comparisons)"
    )
    table = new_table(heading)
    for column in ("", "with ties", "without ties"):
        table.add_column(column, no_wrap=True)
    for who, pair in (("judge-human", block.judge_human), ("human-human", block.human_human)):
        table.add_row(
            who, two_lines(rate(pair.with_ties, True)), two_lines(rate(pair.without_ties, True))
        )
    return table


def bias_view(report: Report) -> list[RenderableType]:
    """The audit findings per judge, flagged ones marked; then no-verdict rates.

    Args:
        report: the report.

    Returns:
        One table per judge, then the no-verdict table.
    """
    out: list[RenderableType] = [_audit_table(a) for a in report.bias]
    if report.bias:
        out.append(Text(AUDIT_KEY, style="dim"))
    out.append(no_verdict_table(report.no_verdict))
    return out


def _audit_table(audit: JudgeAudit) -> Table:
    """One judge's findings: ⚑ flagged, ? too few questions to tell."""
    table = new_table(title("Bias audit: ", (audit.judge,)), show_lines=True)
    table.add_column("check", max_width=18, overflow="fold")
    table.add_column("effect [95% CI]", justify="right", no_wrap=True)
    table.add_column("p", justify="right", no_wrap=True)
    table.add_column("finding", ratio=1)
    for f in audit.findings:
        marker = flag(f.status)
        finding = Text.assemble(
            (f"{marker} ", "bold yellow") if marker else "", rich_text(f.message)
        )
        table.add_row(rich_text(f.title), stacked(effect(f)), p_value(f.p_value), finding)
    return table


def full_view(report: Report, width: int | None = None) -> Group:
    """Everything, in reading order.

    Args:
        report: the report.
        width: the space available (None: no limit).

    Returns:
        One renderable.
    """
    return Group(
        *agreement_view(report, width),
        *breakdown_view(report, width),
        *bias_view(report),
        *gates_view(report),
    )
