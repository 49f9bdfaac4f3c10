"""The metric formulas of ``paired.metrics``, on resampled sums and tables of many groups.

Arrays here are laid out ``groups x (resamples + 1)``; the last column is the whole
sample (the point estimate). Tables are ``a-values x groups x b-values x columns``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mtbench_tui.core.stats.bootstrap import row_intervals
from mtbench_tui.core.stats.paired import METRICS, Estimate

if TYPE_CHECKING:
    from mtbench_tui.core.stats.grouped_tables import Tables

Arrays = dict[str, np.ndarray]


def rank_metrics(tables: Tables, n: np.ndarray) -> Arrays:
    """Spearman's rho, Kendall's tau-b and ordinal alpha of every group and column.

    Args:
        tables: the joint tables of some groups.
        n: their numbers of pairs, groups x columns.

    Returns:
        Metric name -> groups x columns.
    """
    t = tables.counts
    pa = t.sum(axis=2).astype(np.float64)
    pb = t.sum(axis=0).astype(np.float64)
    return {
        "spearman": _spearman(t, pa, pb, n),
        "kendall_tau_b": _kendall(t, pa, pb, n),
        "alpha_ordinal": _ordinal_alpha(t, pa, pb, n, tables),
    }


def moment_metrics(m: Arrays) -> Arrays:
    """The metrics that need only sums (``paired._moment_metrics``, kappa and interval alpha).

    Args:
        m: summed FEATURES.

    Returns:
        Metric name -> values.
    """
    n = m["n"]
    mean_a, mean_b = m["sa"] / n, m["sb"] / n
    var_a, var_b = m["saa"] / n - mean_a**2, m["sbb"] / n - mean_b**2
    cov = m["sab"] / n - mean_a * mean_b
    mean_diff = m["d"] / n
    sd_diff = np.sqrt(np.maximum(m["dd"] - n * mean_diff**2, 0) / (n - 1))
    sd_a = np.sqrt(np.maximum(var_a, 0) * n / (n - 1))
    sd_b = np.sqrt(np.maximum(var_b, 0) * n / (n - 1))
    return {
        "n": n,
        "exact": m["exact"] / n,
        "within_1": m["within"] / n,
        "mae": m["abs"] / n,
        "mean_diff": mean_diff,
        "sd_diff": sd_diff,
        "ba_lower": mean_diff - 1.96 * sd_diff,
        "ba_upper": mean_diff + 1.96 * sd_diff,
        "mean_a": mean_a,
        "mean_b": mean_b,
        "sd_a": sd_a,
        "sd_b": sd_b,
        "sd_ratio": sd_b / sd_a,
        "pearson": cov / np.sqrt(var_a * var_b),
        "icc_2_1": icc_2_1(n, m["sa"], m["sb"], m["saa"], m["sbb"], m["sab"]),
        "kappa_quadratic": quadratic_kappa(m),
        "alpha_interval": interval_alpha(m),
    }


def icc_2_1(
    n: np.ndarray, sa: np.ndarray, sb: np.ndarray, saa: np.ndarray, sbb: np.ndarray, sab: np.ndarray
) -> np.ndarray:
    """Shrout-Fleiss ICC(2,1) for two raters from sums (two-way random, absolute agreement).

    Returns:
        The ICC.
    """
    grand = (sa + sb) / (2 * n)
    ss_total = saa + sbb - 2 * n * grand**2
    ss_rows = (saa + sbb + 2 * sab) / 2 - 2 * n * grand**2
    ss_cols = n * ((sa / n - grand) ** 2 + (sb / n - grand) ** 2)
    ms_rows = ss_rows / (n - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / (n - 1)
    icc = (ms_rows - ms_error) / (ms_rows + ms_error + 2 * (ss_cols - ms_error) / n)
    return np.asarray(icc, dtype=np.float64)


def quadratic_kappa(m: Arrays) -> np.ndarray:
    """Quadratic-weighted kappa on the 1-10 labels: observed over chance squared distance.

    Chance is sum_ij (i - j)^2 p_i q_j / n, which expands into the labels' sums.

    Returns:
        The kappa.
    """
    n = m["n"]
    expected = (n * m["kaa"] + n * m["kbb"] - 2 * m["ka"] * m["kb"]) / n
    return np.asarray(1 - m["kdd"] / expected, dtype=np.float64)


def interval_alpha(m: Arrays) -> np.ndarray:
    """Krippendorff's interval alpha for two raters from sums.

    Observed: the coincidences' squared distances, 2 sum (b - a)^2; expected: every pair of
    the 2n values, 2N sum v^2 - 2 (sum v)^2.

    Returns:
        The alpha.
    """
    n_all = 2 * m["n"]
    observed = 2 * m["dd"]
    expected = 2 * n_all * (m["saa"] + m["sbb"]) - 2 * (m["sa"] + m["sb"]) ** 2
    return np.asarray(1 - (n_all - 1) * observed / expected, dtype=np.float64)


def _before(counts: np.ndarray, axis: int) -> np.ndarray:
    """How many fall below each value: exclusive running sums along a short ``axis``.

    A loop of whole-slice additions: ``np.cumsum`` along a non-last axis runs element by
    element, some 30 times slower here. The counts are whole numbers, so the sums are exact.
    """
    out = np.empty_like(counts)
    done, src = np.moveaxis(out, axis, 0), np.moveaxis(counts, axis, 0)
    done[0] = 0
    for i in range(1, src.shape[0]):
        np.add(done[i - 1], src[i - 1], out=done[i])
    return out


def _midranks(counts: np.ndarray, axis: int) -> np.ndarray:
    """Mid-rank of each value given its count along ``axis`` (ties share the average rank)."""
    return np.asarray(_before(counts, axis) + (counts + 1) / 2, dtype=np.float64)


def _cross(t: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """sum_ij t_ij x_i y_j per group and column (x: a x g x c, y: g x b x c).

    The inner sum runs in the tables' type (float32 for small groups, where it is exact).
    """
    along_b = np.einsum("agbc,gbc->agc", t, y.astype(t.dtype)).astype(np.float64)
    return np.asarray((along_b * x).sum(0), dtype=np.float64)


def _spearman(t: np.ndarray, pa: np.ndarray, pb: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pearson's r on mid-ranks, with the table as weights (``paired._rank_correlation``)."""
    ra, rb = _midranks(pa, 0), _midranks(pb, 1)
    ma, mb = (pa * ra).sum(0) / n, (pb * rb).sum(1) / n
    cov = _cross(t, ra, rb) / n - ma * mb
    va, vb = (pa * ra**2).sum(0) / n - ma**2, (pb * rb**2).sum(1) / n - mb**2
    return np.asarray(cov / np.sqrt(va * vb), dtype=np.float64)


def _kendall(t: np.ndarray, pa: np.ndarray, pb: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Kendall's tau-b: concordant minus discordant pairs over the tie-corrected pair counts.

    For each cell, the pairs below it (a larger) count +1 to its right and -1 to its left:
    sign(j' - j) summed by one product over b, then a running sum over a.
    """
    n_b = t.shape[2]
    sign = np.sign(np.subtract.outer(np.arange(n_b), np.arange(n_b))).astype(t.dtype)
    signed = np.matmul(sign.T, t)  # signed[a, g, j, c] = sum_j' t[a, g, j', c] sign(j' - j)
    below = np.empty_like(signed)
    below[-1] = 0
    for a in range(t.shape[0] - 2, -1, -1):
        np.add(below[a + 1], signed[a + 1], out=below[a])
    difference = np.einsum("agbc,agbc->gc", t, below).astype(np.float64)
    pairs = n * (n - 1) / 2
    ties_a = (pa * (pa - 1) / 2).sum(0)
    ties_b = (pb * (pb - 1) / 2).sum(1)
    return np.asarray(difference / np.sqrt((pairs - ties_a) * (pairs - ties_b)), dtype=np.float64)


def _ordinal_alpha(
    t: np.ndarray, pa: np.ndarray, pb: np.ndarray, n: np.ndarray, tables: Tables
) -> np.ndarray:
    """Krippendorff's ordinal alpha: interval alpha on the pooled values' mid-ranks.

    Krippendorff's ordinal distance between values u <= v is (sum of n_g for u <= g <= v,
    minus half of n_u and n_v) squared, which is the squared difference of
    m_u = (count below u) + n_u / 2.
    """
    values = np.union1d(tables.a_values, tables.b_values)
    ua = np.searchsorted(values, tables.a_values)
    ub = np.searchsorted(values, tables.b_values)
    totals = np.zeros((values.size, *pa.shape[1:]))
    totals[ua] += pa
    totals[ub] += np.moveaxis(pb, 1, 0)
    mid = _before(totals, 0) + totals / 2
    ma, mb = mid[ua], np.moveaxis(mid[ub], 0, 1)
    observed = 2 * ((pa * ma**2).sum(0) + (pb * mb**2).sum(1) - 2 * _cross(t, ma, mb))
    n_all = 2 * n
    expected = 2 * n_all * (totals * mid**2).sum(0) - 2 * (totals * mid).sum(0) ** 2
    return np.asarray(1 - (n_all - 1) * observed / expected, dtype=np.float64)


def intervals(
    values: Arrays, bootstrapped: np.ndarray, confidence: float
) -> list[dict[str, Estimate]]:
    """Each group's estimates: the whole-sample value and the bootstrap's percentile interval.

    Args:
        values: metric name -> groups x (resamples + 1).
        bootstrapped: per group, whether it has an interval.
        confidence: interval coverage.

    Returns:
        Per group, metric name -> Estimate.
    """
    names = [m for m in METRICS if m != "n"]
    groups = bootstrapped.size
    low = np.full((len(names), groups), np.nan)
    high = np.full((len(names), groups), np.nan)
    if values["n"].shape[1] > 1 and bootstrapped.any():
        for i, name in enumerate(names):
            low[i, bootstrapped], high[i, bootstrapped] = row_intervals(
                values[name][bootstrapped, :-1], confidence
            )
    points = np.stack([values[m][:, -1] for m in METRICS]).tolist()
    lows, highs = low.tolist(), high.tolist()
    nan = float("nan")
    out = []
    for g in range(groups):
        estimates = {"n": Estimate(points[0][g], nan, nan)}
        for i, name in enumerate(names):
            estimates[name] = Estimate(points[i + 1][g], lows[i][g], highs[i][g])
        out.append(estimates)
    return out
