"""The audit's significance tests, computed by scipy.stats (imported with this module)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import stats as sps


def binomial_p(k: int, n: int) -> float:
    """Two-sided exact binomial test of k in n against one half."""
    return float(sps.binomtest(k, n).pvalue)


def wilson_interval(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval of the share k / n (95%)."""
    ci = sps.binomtest(k, n).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def wilcoxon_p(x: np.ndarray) -> float:
    """Wilcoxon's signed-rank test of the differences x against zero."""
    return float(sps.wilcoxon(x).pvalue)


def pearson_p(x: np.ndarray, y: np.ndarray) -> float:
    """The p-value of Pearson's r between x and y."""
    return float(sps.pearsonr(x, y).pvalue)


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho between x and y, and its p-value."""
    rho, p = sps.spearmanr(x, y)
    return float(rho), float(p)


def mann_whitney_p(x: np.ndarray, y: np.ndarray) -> float:
    """The Mann-Whitney U test of x against y (two-sided)."""
    return float(sps.mannwhitneyu(x, y).pvalue)


def fisher_p(table: Sequence[Sequence[int]]) -> float:
    """Fisher's exact test of a 2 x 2 table (two-sided)."""
    return float(sps.fisher_exact(table).pvalue)


TESTS: dict[str, Callable[..., Any]] = {
    f.__name__: f
    for f in (
        binomial_p,
        wilson_interval,
        wilcoxon_p,
        pearson_p,
        spearman,
        mann_whitney_p,
        fisher_p,
    )
}
"""Every test by name: what a helper process may be asked to run."""
