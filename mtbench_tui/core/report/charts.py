"""Charts for the HTML report: matplotlib as inline SVG (no scripts, no fonts, no network)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mtbench_tui.core.analysis.metrics import Metric, metric
from mtbench_tui.core.analysis.model import Group
from mtbench_tui.core.models import SCORES
from mtbench_tui.core.textsafe import visible_controls

KAPPA = metric("kappa_quadratic")
Floats = npt.NDArray[np.float64]

_PALETTE = {
    "human": "#3b6ea5",
    "judge": "#d9822b",
    "grid": "#d0d4da",
    "text": "#24292f",
    "accent": "#8250df",
}


def _pyplot() -> Any:
    """matplotlib.pyplot on the headless Agg backend, configured for reproducible SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "mtbench-review",  # stable element ids across runs
            "svg.fonttype": "path",  # glyphs as paths: no font lookups in the browser
            "font.size": 9,
            "axes.edgecolor": _PALETTE["grid"],
            "axes.labelcolor": _PALETTE["text"],
            "xtick.color": _PALETTE["text"],
            "ytick.color": _PALETTE["text"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.unicode_minus": False,  # one minus sign in every report: ASCII
        }
    )
    return plt


def _svg(fig: Any, title: str) -> str:
    """The figure as an inline <svg> element with an accessible title."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    fig.clf()
    _pyplot().close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # The RDF metadata block only names namespaces; dropping it keeps the page free of URLs.
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<svg ", '<svg role="img" class="chart" ', svg, count=1)
    return svg.replace(">", f"><title>{_escape(title)}</title>", 1)


def _escape(text: str) -> str:
    """Escape for XML text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _data_label(text: str) -> str:
    """A name from data as chart text: controls visible, and '$' escaped so it is never mathtext."""
    return visible_controls(text).replace("$", r"\$")


def _floats(values: Sequence[float | None]) -> Floats:
    """Values as a float array, None as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _labels(scores: np.ndarray) -> np.ndarray:
    """Scores on the 1-10 labels (fractional scores round half up)."""
    return np.clip(np.floor(scores + 0.5), 1, 10).astype(int)


def confusion_heatmap(human: np.ndarray, judge: np.ndarray) -> str:
    """Counts of each (human, judge) score pair on a 10 x 10 grid."""
    plt = _pyplot()
    grid = np.zeros((10, 10), dtype=int)
    np.add.at(grid, (_labels(human) - 1, _labels(judge) - 1), 1)
    fig, ax = plt.subplots(figsize=(4.6, 4.0))
    image = ax.imshow(grid, origin="lower", cmap="Blues", extent=(0.5, 10.5, 0.5, 10.5))
    for (i, j), count in np.ndenumerate(grid):
        if count:
            ax.text(
                j + 1,
                i + 1,
                str(count),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if count > grid.max() / 2 else _PALETTE["text"],
            )
    ax.plot([0.5, 10.5], [0.5, 10.5], color=_PALETTE["accent"], lw=0.8, ls="--")
    ax.set(xlabel="judge score", ylabel="human score", xticks=SCORES, yticks=SCORES)
    fig.colorbar(image, ax=ax, shrink=0.8, label="ratings")
    return _svg(fig, "Confusion heatmap: human score against judge score")


def scatter(human: np.ndarray, judge: np.ndarray, seed: int = 0) -> str:
    """Human against judge scores, jittered so identical pairs stay visible."""
    plt = _pyplot()
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=(4.6, 4.0))
    ax.scatter(
        judge + rng.uniform(-0.25, 0.25, judge.size),
        human + rng.uniform(-0.25, 0.25, human.size),
        s=10,
        alpha=0.45,
        color=_PALETTE["human"],
        edgecolors="none",
    )
    ax.plot([1, 10], [1, 10], color=_PALETTE["accent"], lw=0.8, ls="--", label="agreement")
    ax.set(
        xlabel="judge score (jittered)",
        ylabel="human score (jittered)",
        xlim=(0.4, 10.6),
        ylim=(0.4, 10.6),
        xticks=SCORES,
        yticks=SCORES,
    )
    ax.legend(frameon=False, loc="upper left")
    return _svg(fig, "Scatter of human against judge scores, with jitter")


def bland_altman_plot(human: np.ndarray, judge: np.ndarray, seed: int = 0) -> str:
    """Difference (judge - human) against the mean of the two, with the mean and 95% limits."""
    plt = _pyplot()
    rng = np.random.default_rng(seed)
    mean, diff = (human + judge) / 2, judge - human
    centre = float(diff.mean()) if diff.size else 0.0
    sd = float(diff.std(ddof=1)) if diff.size > 1 else 0.0
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    ax.scatter(
        mean + rng.uniform(-0.15, 0.15, mean.size),
        diff + rng.uniform(-0.15, 0.15, diff.size),
        s=10,
        alpha=0.45,
        color=_PALETTE["judge"],
        edgecolors="none",
    )
    for y, style, label in (
        (centre, "-", f"mean {centre:+.2f}"),
        (centre - 1.96 * sd, "--", f"-1.96 SD {centre - 1.96 * sd:+.2f}"),
        (centre + 1.96 * sd, "--", f"+1.96 SD {centre + 1.96 * sd:+.2f}"),
    ):
        ax.axhline(y, color=_PALETTE["accent"], lw=0.9, ls=style)
        ax.annotate(label, (10.4, y), fontsize=7, ha="right", va="bottom", color=_PALETTE["accent"])
    ax.axhline(0, color=_PALETTE["grid"], lw=0.8)
    ax.set(xlabel="mean of human and judge score", ylabel="judge - human", xlim=(0.5, 10.5))
    return _svg(fig, "Bland-Altman plot: judge minus human against their mean")


def agreement_by_category(groups: Sequence[Group], metric: Metric = KAPPA) -> str:
    """One bar per category with its 95% interval.

    Args:
        groups: the category breakdown of the pooled row.
        metric: the metric to draw.

    Returns:
        An inline SVG element.
    """
    plt = _pyplot()
    label = metric.label
    names = [_data_label(g.name) for g in groups]
    estimates = [g.metrics[metric] for g in groups]
    values = _floats([e.value for e in estimates])
    lows = _floats([e.ci.low for e in estimates])
    highs = _floats([e.ci.high for e in estimates])
    fig, ax = plt.subplots(figsize=(5.6, 3.2))
    x = np.arange(len(names))
    errors = np.vstack([np.nan_to_num(values - lows), np.nan_to_num(highs - values)])
    ax.bar(
        x,
        np.nan_to_num(values),
        color=_PALETTE["human"],
        alpha=0.85,
        yerr=errors,
        capsize=3,
        error_kw={"ecolor": _PALETTE["text"], "lw": 0.8},
    )
    ax.set_xticks(x, names, rotation=30, ha="right")
    ax.set(
        ylabel=label, ylim=(min(0, float(np.nanmin(lows)) if np.isfinite(lows).any() else 0), 1.05)
    )
    ax.axhline(0, color=_PALETTE["grid"], lw=0.8)
    return _svg(fig, f"{label} by category, with 95% intervals")


def score_distributions(human: np.ndarray, judge: np.ndarray) -> str:
    """Side-by-side histograms of human and judge scores on 1-10."""
    plt = _pyplot()
    h = np.bincount(_labels(human) - 1, minlength=10) if human.size else np.zeros(10)
    j = np.bincount(_labels(judge) - 1, minlength=10) if judge.size else np.zeros(10)
    fig, ax = plt.subplots(figsize=(5.6, 3.0))
    x = np.array(SCORES)
    ax.bar(x - 0.2, h, width=0.4, color=_PALETTE["human"], label="human")
    ax.bar(x + 0.2, j, width=0.4, color=_PALETTE["judge"], label="judge")
    ax.set(xlabel="score", ylabel="ratings", xticks=x)
    ax.legend(frameon=False)
    return _svg(fig, "Distribution of human and judge scores")
