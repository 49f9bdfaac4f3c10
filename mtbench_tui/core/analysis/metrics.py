"""The metric registry: every metric named once, with its label, direction and format.

Every view (terminal, app, Markdown, HTML, charts, gates, the README's schema) reads
metrics from here; a metric added to the registry appears everywhere it is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Direction(str, Enum):
    """Which way a metric is better, for gates and for reading a table."""

    HIGHER = "higher"
    LOWER = "lower"
    ZERO = "zero"
    """Closer to 0 is better (a signed difference)."""
    ONE = "one"
    """Closer to 1 is better (a ratio)."""
    NONE = "none"
    """Descriptive: no better or worse."""


class Format(str, Enum):
    """How a metric's value is written."""

    COUNT = "count"
    """A whole number without an interval."""
    DECIMAL = "decimal"
    """Three decimals with the interval."""
    RATE = "rate"
    """A proportion with its interval and the counts it rests on."""


class Family(str, Enum):
    """What a metric compares."""

    SCORES = "scores"
    """Two raters' 1-10 scores on the same turns."""
    VERDICTS = "verdicts"
    """Two raters' pairwise verdicts (A, B or tie) on the same comparisons."""


@dataclass(frozen=True)
class Metric:
    """One metric of the report."""

    name: str
    """Key in JSON and in gates."""
    label: str
    """Full name, for Markdown and HTML."""
    short: str
    """Column or row name in the terminal."""
    direction: Direction
    fmt: Format = Format.DECIMAL
    family: Family = Family.SCORES


HI, LO, ZERO, ONE, NA = (
    Direction.HIGHER,
    Direction.LOWER,
    Direction.ZERO,
    Direction.ONE,
    Direction.NONE,
)

METRICS: tuple[Metric, ...] = (
    Metric("n", "n", "n", NA, fmt=Format.COUNT),
    Metric("exact", "Exact agreement", "exact", HI),
    Metric("within_1", "Within ±1", "±1", HI),
    Metric("mae", "Mean absolute error", "MAE", LO),
    Metric("mean_diff", "Mean difference (judge - human)", "Δ mean", ZERO),
    Metric("sd_diff", "SD of differences", "SD Δ", LO),
    Metric("ba_lower", "Bland–Altman lower limit", "BA lower", ZERO),
    Metric("ba_upper", "Bland–Altman upper limit", "BA upper", ZERO),
    Metric("mean_a", "Mean human score", "mean human", NA),
    Metric("mean_b", "Mean judge score", "mean judge", NA),
    Metric("sd_a", "SD human", "SD human", NA),
    Metric("sd_b", "SD judge", "SD judge", NA),
    Metric("sd_ratio", "SD ratio (judge / human)", "SD ratio", ONE),
    Metric("pearson", "Pearson r", "Pearson", HI),
    Metric("spearman", "Spearman ρ", "Spearman", HI),
    Metric("kendall_tau_b", "Kendall τ-b", "Kendall τb", HI),
    Metric("kappa_quadratic", "Cohen's κ (quadratic, 1–10)", "κ quad", HI),
    Metric("alpha_interval", "Krippendorff's α (interval)", "α interval", HI),
    Metric("alpha_ordinal", "Krippendorff's α (ordinal)", "α ordinal", HI),
    Metric("icc_2_1", "ICC(2,1)", "ICC(2,1)", HI),
)
"""Score metrics in JSON order (the order ``core.stats.paired.METRICS`` computes them)."""

VERDICT_METRICS: tuple[Metric, ...] = (
    Metric("agreement", "Agreement", "agree", HI, fmt=Format.RATE, family=Family.VERDICTS),
    Metric("kappa", "Cohen's κ (A / B / tie)", "κ", HI, family=Family.VERDICTS),
)
"""Metrics of pairwise verdicts (an AgreementCell's rate, and κ over A/B/tie)."""

_BY_NAME = {m.name: m for m in (*METRICS, *VERDICT_METRICS)}


def metric(name: str) -> Metric:
    """The registry entry called ``name``.

    Args:
        name: a metric name such as ``kappa_quadratic``.

    Returns:
        The Metric.

    Raises:
        KeyError: for an unknown name.
    """
    return _BY_NAME[name]


def _view(*names: str) -> tuple[Metric, ...]:
    """An ordered selection of registry entries."""
    return tuple(metric(n) for n in names)


REPORT_VIEW = _view(
    "n",
    "exact",
    "within_1",
    "mae",
    "mean_diff",
    "ba_lower",
    "ba_upper",
    "pearson",
    "spearman",
    "kendall_tau_b",
    "kappa_quadratic",
    "alpha_interval",
    "alpha_ordinal",
    "icc_2_1",
    "sd_ratio",
)
"""The main table of the Markdown and HTML reports."""

TERMINAL_VIEW = tuple(m for m in REPORT_VIEW if m.name not in ("ba_lower", "ba_upper", "sd_ratio"))
"""The main table in the terminal and the app (narrower)."""

BRIEF_VIEW = _view("n", "exact", "within_1", "mae", "mean_diff", "spearman", "kappa_quadratic")
"""The columns of a breakdown table (one row per group)."""

BRIEF_PRIORITY = _view("n", "kappa_quadratic", "mean_diff", "mae", "exact", "spearman", "within_1")
"""BRIEF_VIEW from most to least important: a narrow table drops from the end."""

GATE_METRICS = tuple(m.name for m in METRICS)
"""Metrics a ``--fail-under`` / ``--fail-over`` gate may name."""
