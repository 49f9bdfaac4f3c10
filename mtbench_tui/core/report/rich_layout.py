"""Fit tables of intervals into a terminal: stack a value over its interval, drop or split columns.

A cell such as ``0.458 [0.365, 0.542]`` must never be cut or wrapped mid-interval.
When the table is too wide, each cell is first stacked (value above interval); if it
is still too wide, the least important columns are dropped (breakdowns) or the
columns are split over several tables (comparisons).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

_EDGE = 3
"""Characters a column adds around its content: one space each side and one border."""


@dataclass(frozen=True)
class Column:
    """A column of value cells: a heading and one text per row, e.g. '0.458 [0.365, 0.542]'."""

    heading: Text
    cells: tuple[str, ...]
    priority: int = 0
    """Lower is more important; dropped last."""


def stacked(cell: str) -> str:
    """'0.458 [0.365, 0.542]' as two lines, value over interval; other cells unchanged."""
    value, sep, rest = cell.partition(" [")
    return f"{value}\n[{rest}" if sep else cell


def two_lines(cell: str) -> str:
    """'0.963 [0.936, 0.984] (181/188, 16 q)' with the counts on a second line."""
    value, sep, counts = cell.partition(" (")
    return f"{value}\n({counts}" if sep else cell


def _width(column: Column, stack: bool) -> int:
    """The characters a column needs."""
    cells = [stacked(c) if stack else c for c in column.cells]
    lines = [line for c in cells for line in c.split("\n")]
    heading = max((len(h) for h in column.heading.plain.split("\n")), default=0)
    return max([heading, *(len(line) for line in lines)]) + _EDGE


def table_width(label: int, columns: Sequence[Column], stack: bool) -> int:
    """Total characters of a table with a label column of ``label`` characters.

    Args:
        label: the widest text of the first (label) column.
        columns: the value columns.
        stack: whether value cells are stacked.

    Returns:
        The width, borders included.
    """
    return 1 + label + _EDGE + sum(_width(c, stack) for c in columns)


@dataclass(frozen=True)
class Layout:
    """How to draw a table: which columns, in how many tables, stacked or not."""

    groups: tuple[tuple[Column, ...], ...]
    stack: bool
    dropped: tuple[Column, ...] = ()


def fit_or_drop(width: int | None, label: int, columns: Sequence[Column]) -> Layout:
    """Keep every column if possible, stacked if needed; else drop the least important.

    Args:
        width: the space available (None: no limit).
        label: the widest text of the label column.
        columns: the value columns, in display order.

    Returns:
        The layout (one table).
    """
    cols = tuple(columns)
    if width is None or table_width(label, cols, False) <= width:
        return Layout((cols,), False)
    if table_width(label, cols, True) <= width:
        return Layout((cols,), True)
    keep = list(cols)
    for victim in sorted(cols, key=lambda c: -c.priority):
        if len(keep) == 1 or table_width(label, keep, True) <= width:
            break
        keep.remove(victim)
    dropped = tuple(c for c in cols if c not in keep)
    return Layout((tuple(keep),), True, dropped)


def fit_or_split(width: int | None, label: int, columns: Sequence[Column]) -> Layout:
    """Keep every column, stacked if needed, split over several tables if still too wide.

    Args:
        width: the space available (None: no limit).
        label: the widest text of the label column.
        columns: the value columns, in display order.

    Returns:
        The layout (one or more tables).
    """
    cols = tuple(columns)
    if width is None or table_width(label, cols, False) <= width:
        return Layout((cols,), False)
    groups: list[list[Column]] = [[]]
    for column in cols:
        if groups[-1] and table_width(label, [*groups[-1], column], True) > width:
            groups.append([])
        groups[-1].append(column)
    return Layout(tuple(tuple(g) for g in groups), True)
