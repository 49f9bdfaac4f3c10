"""Smaller Rich pieces of the report: generic agreement tables, no-verdict rates, CI gates."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.analysis.findings import NoVerdict
from mtbench_tui.core.analysis.model import AgreementTable, Report
from mtbench_tui.core.report.fmt import DASH, no_verdict_rate, rate
from mtbench_tui.core.report.rich_layout import stacked, two_lines
from mtbench_tui.core.textsafe import rich_text


def agreement_table(table: AgreementTable) -> Table:
    """One AgreementTable: a row per comparison, a column per setting.

    Args:
        table: the table (titles and labels may come from data).

    Returns:
        The Rich table.
    """
    out = Table(title=rich_text(table.title), title_justify="left", title_style="bold")
    out.add_column("")
    for column in table.columns:
        out.add_column(rich_text(column), no_wrap=True)
    for label, cells in table.rows:
        out.add_row(
            rich_text(label),
            *(DASH if c is None else two_lines(rate(c, short=True)) for c in cells),
        )
    if table.note:
        out.caption = rich_text(table.note)
        out.caption_justify = "left"
    return out


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
