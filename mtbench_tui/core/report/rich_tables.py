"""Generic agreement tables (rows of comparisons, columns of settings) as Rich tables."""

from __future__ import annotations

from rich.table import Table

from mtbench_tui.core.analysis.model import AgreementTable
from mtbench_tui.core.report.fmt import DASH, rate
from mtbench_tui.core.report.rich_layout import two_lines
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
