"""Terminal charts drawn with Rich text: score histograms and a human-against-judge heatmap."""

from __future__ import annotations

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mtbench_tui.core.models import SCORES

_BLOCKS = " ▏▎▍▌▋▊▉█"


def _labels(scores: np.ndarray) -> np.ndarray:
    """Scores on 1-10 (fractional scores round half up)."""
    return np.clip(np.floor(scores + 0.5), 1, 10).astype(int)


def _bar(value: float, scale: float, width: int) -> str:
    """A horizontal bar with eighth-block precision."""
    eighths = int(round(value / scale * width * 8)) if scale else 0
    return "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")


def histograms(human: np.ndarray, judge: np.ndarray, width: int = 24) -> Table:
    """Human and judge score counts side by side, one row per score."""
    h = np.bincount(_labels(human) - 1, minlength=10) if human.size else np.zeros(10, int)
    j = np.bincount(_labels(judge) - 1, minlength=10) if judge.size else np.zeros(10, int)
    scale = max(int(h.max(initial=0)), int(j.max(initial=0)), 1)
    table = Table(
        title="Score distributions",
        title_justify="left",
        title_style="bold",
        box=None,
        padding=(0, 1),
    )
    table.add_column("score", justify="right")
    table.add_column("human", no_wrap=True)
    table.add_column("judge", no_wrap=True)
    for score in range(10, 0, -1):
        table.add_row(
            str(score),
            Text(f"{_bar(h[score - 1], scale, width)} {h[score - 1]}", style="blue"),
            Text(f"{_bar(j[score - 1], scale, width)} {j[score - 1]}", style="dark_orange"),
        )
    return table


def heatmap(human: np.ndarray, judge: np.ndarray) -> RenderableType:
    """A 10 x 10 grid of (human, judge) counts; shading shows density, the diagonal is agreement."""
    grid = np.zeros((10, 10), dtype=int)
    if human.size:
        np.add.at(grid, (_labels(human) - 1, _labels(judge) - 1), 1)
    top = max(int(grid.max()), 1)
    lines = [Text("Human (rows) against judge (columns)", style="bold")]
    header = Text("       ")
    for col in SCORES:
        header.append(f"{col:>4}")
    lines.append(header)
    for row in reversed(SCORES):
        line = Text(f"  {row:>3}  ")
        for col in SCORES:
            count = grid[row - 1, col - 1]
            shade = int(40 + 215 * count / top) if count else 0
            style = (
                f"on rgb({255 - shade // 2},{255 - shade // 3},255)"
                if count
                else ("dim" if row != col else "")
            )
            cell = f"{count:>3} " if count else (" ·  " if row == col else "    ")
            line.append(
                cell,
                style=style
                + (" bold" if row == col and count else "")
                + (" black" if count else ""),
            )
        lines.append(line)
    lines.append(
        Text(
            "  the diagonal (·) is exact agreement; cells above it: human higher than judge",
            style="dim",
        )
    )
    return Group(*lines)
