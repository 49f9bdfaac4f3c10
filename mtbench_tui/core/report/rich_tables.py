"""Smaller Rich pieces of the report: generic agreement tables, no-verdict rates, CI gates."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.analysis.findings import NoVerdict
from mtbench_tui.core.analysis.model import AgreementCell, AgreementTable, Report
from mtbench_tui.core.report.fmt import DASH, estimate, no_verdict_rate, number, questions
from mtbench_tui.core.report.rich_layout import stacked
from mtbench_tui.core.textsafe import rich_text


def agreement_table(table: AgreementTable) -> Table:
    """One AgreementTable: a row per comparison, a column per setting.

    A column's random baseline, when every cell shares it, goes in its heading; each cell
    stacks the rate and interval, the counts, and κ where there is one.

    Args:
        table: the table (titles and labels may come from data).

    Returns:
        The Rich table.
    """
    out = Table(title=rich_text(table.title), title_justify="left", title_style="bold")
    out.add_column("", overflow="fold")
    shared = []
    for i, column in enumerate(table.columns):
        baselines = {c.baseline for r in table.rows if (c := r.cells[i]) is not None}
        baseline = baselines.pop() if len(baselines) == 1 else None
        shared.append(baseline is not None)
        heading = rich_text(column)
        if baseline is not None:
            heading.append(f"\n(random {number(baseline)})")
        out.add_column(heading, no_wrap=True)
    for row in table.rows:
        out.add_row(
            rich_text(row.label),
            *(_cell(c, not shared[i]) for i, c in enumerate(row.cells)),
        )
    if table.note:
        out.caption = rich_text(table.note)
        out.caption_justify = "left"
    return out


def _cell(cell: AgreementCell | None, with_baseline: bool) -> str:
    """Rate and interval, then counts, then κ, one per line."""
    if cell is None or cell.rate.value is None:
        return DASH
    counts = f"{cell.agree}/{cell.total}"
    if cell.n_questions is not None:
        counts += f", {questions(cell.n_questions, short=True)}"
    if with_baseline and cell.baseline is not None:
        counts += f", random {number(cell.baseline)}"
    lines = [estimate(cell.rate), counts]
    if cell.kappa is not None:
        lines.append(f"κ {estimate(cell.kappa)}")
    return "\n".join(lines)


def no_verdict_table(rows: Sequence[NoVerdict]) -> Table:
    """Verdicts without a parseable rating.

    Args:
        rows: per judge and prompt.

    Returns:
        The table.
    """
    table = Table(
        title=Text("Verdicts without a parseable rating"), title_justify="left", title_style="bold"
    )
    for column in ("judge", "prompt", "n", "no rating", "rate [95% CI]"):
        text = column in ("judge", "prompt")
        table.add_column(column, justify="left" if text else "right", overflow="fold")
    if not rows:
        table.add_row(Text("no single-grade verdicts", style="italic"), "", "", "", "")
    for r in rows:
        rate_text = stacked(no_verdict_rate(r))
        table.add_row(
            rich_text(r.judge), rich_text(r.prompt), str(r.n), str(r.no_verdict), rate_text
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
