"""Every paired agreement metric from joint-value tables: the reference formulas.

Scores take few distinct values (1-10, sometimes 8.5), so the table of how often each
(a, b) value pair occurs holds all the information in the sample. ``metrics`` evaluates
every formula on a stack of such tables; ``grouped.agreement`` gives each metric with its
cluster-bootstrap interval, computing the same numbers for many groups at once. The
formulas are checked against the public one-sample functions in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mtbench_tui.core.scale import SCORES
from mtbench_tui.core.stats.agreement import disagreement_weights
from mtbench_tui.core.stats.bootstrap import seeded_sums

SCORE_LABELS = tuple(float(x) for x in SCORES)
"""The rating scale, declared in full so weighted kappa never depends on which scores occurred."""

METRICS = (
    "n",
    "exact",
    "within_1",
    "mae",
    "mean_diff",
    "sd_diff",
    "ba_lower",
    "ba_upper",
    "mean_a",
    "mean_b",
    "sd_a",
    "sd_b",
    "sd_ratio",
    "pearson",
    "spearman",
    "kendall_tau_b",
    "kappa_quadratic",
    "alpha_interval",
    "alpha_ordinal",
    "icc_2_1",
)
"""Metric names, in display order. ``mean_diff`` is b - a (judge minus human)."""

_EPS = 1e-9


@dataclass(frozen=True)
class PairedData:
    """Paired scores a (e.g. human) and b (e.g. judge), with the cluster (question) of each pair."""

    a: np.ndarray
    b: np.ndarray
    clusters: np.ndarray

    @classmethod
    def of(
        cls, a: Sequence[float], b: Sequence[float], clusters: Sequence[object] | None = None
    ) -> PairedData:
        """Build from sequences; pairs with a missing side are dropped."""
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        c = np.asarray(clusters if clusters is not None else np.arange(x.size))
        keep = ~(np.isnan(x) | np.isnan(y))
        return cls(x[keep], y[keep], c[keep])

    def subset(self, mask: np.ndarray) -> PairedData:
        """The pairs selected by a boolean mask."""
        return PairedData(self.a[mask], self.b[mask], self.clusters[mask])

    @property
    def n(self) -> int:
        """Number of pairs."""
        return int(self.a.size)


@dataclass(frozen=True)
class Tables:
    """Per-cluster joint tables over the distinct values of a and of b."""

    a_values: np.ndarray
    b_values: np.ndarray
    per_cluster: np.ndarray  # clusters x A x B

    @classmethod
    def of(cls, data: PairedData, cluster_ids: np.ndarray | None = None) -> Tables:
        """Tabulate the pairs cluster by cluster.

        Args:
            data: the pairs.
            cluster_ids: every cluster to tabulate, sorted (default: those in ``data``); a
                cluster without pairs gets an empty table, so two samples can share resamples.

        Returns:
            The tables.
        """
        a_values, ia = np.unique(data.a, return_inverse=True)
        b_values, ib = np.unique(data.b, return_inverse=True)
        if cluster_ids is None:
            cluster_ids, ic = np.unique(data.clusters, return_inverse=True)
        else:
            ic = np.searchsorted(cluster_ids, data.clusters)
        shape = (cluster_ids.size, a_values.size, b_values.size)
        flat = np.bincount((ic * shape[1] + ia) * shape[2] + ib, minlength=int(np.prod(shape)))
        return cls(a_values, b_values, flat.reshape(shape).astype(float))

    def total(self) -> np.ndarray:
        """The table of the whole sample."""
        return np.asarray(self.per_cluster.sum(0), dtype=np.float64)

    def resampled(self, n_resamples: int, seed: int) -> np.ndarray:
        """Cluster-bootstrap resampled tables (fresh generator from ``seed``): resamples x A x B."""
        flat = self.per_cluster.reshape(self.per_cluster.shape[0], -1)
        return seeded_sums(flat, n_resamples, seed).reshape(
            n_resamples, *self.per_cluster.shape[1:]
        )


def metric(tables: np.ndarray, a_values: np.ndarray, b_values: np.ndarray, name: str) -> np.ndarray:
    """One metric for a stack of tables (only kappa is computed alone; the rest via ``metrics``).

    Args:
        tables: ... x A x B joint tables.
        a_values: the values of the A axis.
        b_values: the values of the B axis.
        name: a name from METRICS.

    Returns:
        The metric per table.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "kappa_quadratic":
            return _kappa_on_scale(np.asarray(tables, dtype=float), a_values, b_values)
    return np.asarray(metrics(tables, a_values, b_values)[name], dtype=np.float64)


def metrics(
    tables: np.ndarray, a_values: np.ndarray, b_values: np.ndarray
) -> dict[str, np.ndarray]:
    """Every metric in METRICS for a stack of tables (... x A x B): the reference formulas."""
    t = np.asarray(tables, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = _moment_metrics(t, a_values, b_values)
        out["spearman"] = _rank_correlation(t)
        out["kendall_tau_b"] = _kendall_tau_b(t)
        out["kappa_quadratic"] = _kappa_on_scale(t, a_values, b_values)
        out["alpha_interval"], out["alpha_ordinal"] = _alphas(t, a_values, b_values)
    return out


def _moment_metrics(t: np.ndarray, av: np.ndarray, bv: np.ndarray) -> dict[str, np.ndarray]:
    """Metrics that need only sums of values, squares and differences."""
    n = t.sum((-2, -1))
    pa, pb = t.sum(-1), t.sum(-2)
    diff = bv[None, :] - av[:, None]
    sa, sb = pa @ av, pb @ bv
    saa, sbb = pa @ av**2, pb @ bv**2
    sab = (t @ bv) @ av
    mean_a, mean_b = sa / n, sb / n
    var_a, var_b = saa / n - mean_a**2, sbb / n - mean_b**2
    cov = sab / n - mean_a * mean_b
    mean_diff = (t * diff).sum((-2, -1)) / n
    sd_diff = np.sqrt(np.maximum((t * diff**2).sum((-2, -1)) - n * mean_diff**2, 0) / (n - 1))
    sd_a, sd_b = (
        np.sqrt(np.maximum(var_a, 0) * n / (n - 1)),
        np.sqrt(np.maximum(var_b, 0) * n / (n - 1)),
    )
    return {
        "n": n,
        "exact": (t * (np.abs(diff) < _EPS)).sum((-2, -1)) / n,
        "within_1": (t * (np.abs(diff) <= 1 + _EPS)).sum((-2, -1)) / n,
        "mae": (t * np.abs(diff)).sum((-2, -1)) / n,
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
        "icc_2_1": _icc_2_1(n, sa, sb, saa, sbb, sab),
    }


def _icc_2_1(
    n: np.ndarray, sa: np.ndarray, sb: np.ndarray, saa: np.ndarray, sbb: np.ndarray, sab: np.ndarray
) -> np.ndarray:
    """Shrout-Fleiss ICC(2,1) for two raters from sums (two-way random, absolute agreement)."""
    grand = (sa + sb) / (2 * n)
    ss_total = saa + sbb - 2 * n * grand**2
    ss_rows = (saa + sbb + 2 * sab) / 2 - 2 * n * grand**2
    ss_cols = n * ((sa / n - grand) ** 2 + (sb / n - grand) ** 2)
    ms_rows = ss_rows / (n - 1)
    ms_error = (ss_total - ss_rows - ss_cols) / (n - 1)
    icc = (ms_rows - ms_error) / (ms_rows + ms_error + 2 * (ss_cols - ms_error) / n)
    return np.asarray(icc, dtype=np.float64)


def _midranks(counts: np.ndarray) -> np.ndarray:
    """Mid-rank of each value given its count (ties share the average rank)."""
    before = np.cumsum(counts, -1) - counts
    return np.asarray(before + (counts + 1) / 2, dtype=np.float64)


def _rank_correlation(t: np.ndarray) -> np.ndarray:
    """Spearman's rho: Pearson's r on mid-ranks, with the table as weights."""
    pa, pb = t.sum(-1), t.sum(-2)
    ra, rb = _midranks(pa), _midranks(pb)
    n = t.sum((-2, -1))
    ma, mb = (pa * ra).sum(-1) / n, (pb * rb).sum(-1) / n
    cov = ((t @ rb[..., :, None])[..., 0] * ra).sum(-1) / n - ma * mb
    va, vb = (pa * ra**2).sum(-1) / n - ma**2, (pb * rb**2).sum(-1) / n - mb**2
    return np.asarray(cov / np.sqrt(va * vb), dtype=np.float64)


def _kendall_tau_b(t: np.ndarray) -> np.ndarray:
    """Kendall's tau-b from concordant and discordant pairs of cells."""
    # after[i, j] = pairs strictly below-right of (i, j); before_right[i, j] = strictly below-left.
    below = np.flip(np.cumsum(np.flip(t, -2), -2), -2)
    below = np.concatenate([below[..., 1:, :], np.zeros_like(below[..., :1, :])], -2)
    right = np.flip(np.cumsum(np.flip(below, -1), -1), -1)
    right = np.concatenate([right[..., :, 1:], np.zeros_like(right[..., :, :1])], -1)
    left = np.cumsum(below, -1)
    left = np.concatenate([np.zeros_like(left[..., :, :1]), left[..., :, :-1]], -1)
    concordant = (t * right).sum((-2, -1))
    discordant = (t * left).sum((-2, -1))
    n = t.sum((-2, -1))
    pairs = n * (n - 1) / 2
    ties_a = (t.sum(-1) * (t.sum(-1) - 1) / 2).sum(-1)
    ties_b = (t.sum(-2) * (t.sum(-2) - 1) / 2).sum(-1)
    tau = (concordant - discordant) / np.sqrt((pairs - ties_a) * (pairs - ties_b))
    return np.asarray(tau, dtype=np.float64)


def to_scale(values: np.ndarray, labels: Sequence[float] = SCORE_LABELS) -> np.ndarray:
    """One-hot map of values onto the 1-10 labels: fractional scores round half up (8.5 -> 9)."""
    idx = np.clip(np.floor(values + 0.5), labels[0], labels[-1]) - labels[0]
    out = np.zeros((values.size, len(labels)))
    out[np.arange(values.size), idx.astype(int)] = 1
    return out


def _kappa_on_scale(t: np.ndarray, av: np.ndarray, bv: np.ndarray) -> np.ndarray:
    """Quadratic-weighted Cohen's kappa over the full 1-10 scale."""
    table = to_scale(av).T @ t @ to_scale(bv)
    w = disagreement_weights(len(SCORE_LABELS), "quadratic")
    n = table.sum((-2, -1))
    expected = table.sum(-1)[..., :, None] * table.sum(-2)[..., None, :] / n[..., None, None]
    kappa = 1 - (w * table).sum((-2, -1)) / (w * expected).sum((-2, -1))
    return np.asarray(kappa, dtype=np.float64)


def _alphas(t: np.ndarray, av: np.ndarray, bv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Krippendorff's interval and ordinal alpha for two raters with no missing pairs."""
    values = np.union1d(av, bv)
    ma = (av[:, None] == values[None, :]).astype(float)
    mb = (bv[:, None] == values[None, :]).astype(float)
    joint = ma.T @ t @ mb
    coincidence = joint + np.swapaxes(joint, -1, -2)
    totals = coincidence.sum(-1)
    n_all = totals.sum(-1)
    interval = (values[:, None] - values[None, :]) ** 2
    cum = np.cumsum(totals, -1)
    lo = np.minimum.outer(np.arange(values.size), np.arange(values.size))
    hi = np.maximum.outer(np.arange(values.size), np.arange(values.size))
    between = np.take(cum, hi, -1) - np.take(cum, lo, -1) + np.take(totals, lo, -1)
    ordinal = (between - (totals[..., :, None] + totals[..., None, :]) / 2) ** 2
    out = []
    for delta in (np.broadcast_to(interval, ordinal.shape), ordinal):
        observed = (coincidence * delta).sum((-2, -1))
        expected = (totals[..., None, :] @ delta @ totals[..., :, None])[..., 0, 0]
        out.append(1 - (n_all - 1) * observed / expected)
    return out[0], out[1]


@dataclass(frozen=True)
class Estimate:
    """A metric's value with its bootstrap interval."""

    value: float
    low: float
    high: float
