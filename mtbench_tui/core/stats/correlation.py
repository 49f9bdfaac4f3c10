"""Correlations (via scipy) and Bland-Altman limits of agreement."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats as sps

from mtbench_tui.core.stats._arrays import ArrayLike, paired


class Correlation(NamedTuple):
    """A correlation coefficient with its two-sided p-value."""

    coefficient: float
    pvalue: float


class BlandAltman(NamedTuple):
    """Mean difference (a - b) with 95% limits of agreement (mean +/- 1.96 SD)."""

    mean_diff: float
    sd_diff: float
    lower: float
    upper: float
    n: int


def _correlate(a: ArrayLike, b: ArrayLike, fn: object) -> Correlation:
    """Run a scipy correlation on the complete pairs; NaN when undefined."""
    x, y = paired(a, b)
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(float("nan"), float("nan"))
    result = fn(x, y)  # type: ignore[operator]
    return Correlation(float(result.statistic), float(result.pvalue))


def pearson(a: ArrayLike, b: ArrayLike) -> Correlation:
    """Pearson's r and its p-value (scipy.stats.pearsonr)."""
    return _correlate(a, b, sps.pearsonr)


def spearman(a: ArrayLike, b: ArrayLike) -> Correlation:
    """Spearman's rho with ties given mid-ranks, and its p-value (scipy.stats.spearmanr)."""
    return _correlate(a, b, sps.spearmanr)


def kendall(a: ArrayLike, b: ArrayLike, variant: str = "b") -> Correlation:
    """Kendall's tau and its p-value (scipy.stats.kendalltau).

    Args:
        a: first ranking (NaN = missing).
        b: second ranking.
        variant: "b" (default; corrects for ties) or "c" (Stuart's tau-c, for non-square tables).
    """
    return _correlate(a, b, lambda x, y: sps.kendalltau(x, y, variant=variant))


def bland_altman(a: ArrayLike, b: ArrayLike, z: float = 1.96) -> BlandAltman:
    """Bland-Altman agreement: the mean of a - b and the limits mean +/- z SD (SD with n-1).

    Args:
        a: first method's measurements (NaN = missing).
        b: second method's measurements.
        z: the multiplier for the limits (1.96 for 95%; the 1986 paper rounded to 2).

    Returns:
        Mean difference, SD of the differences, lower and upper limits, and n.
    """
    x, y = paired(a, b)
    if x.size < 2:
        return BlandAltman(float("nan"), float("nan"), float("nan"), float("nan"), int(x.size))
    d = x - y
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    return BlandAltman(mean, sd, mean - z * sd, mean + z * sd, int(d.size))
