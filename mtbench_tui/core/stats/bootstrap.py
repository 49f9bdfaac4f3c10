"""Bootstrap confidence intervals, resampling whole clusters (e.g. question ids) when given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from mtbench_tui.core.stats import weights

DEFAULT_RESAMPLES = 2000


class BootstrapResult(NamedTuple):
    """A point estimate with a percentile bootstrap interval."""

    estimate: float
    low: float
    high: float
    confidence: float
    n_resamples: int
    n_clusters: int
    n_degenerate: int
    """Resamples where the statistic was undefined (NaN); they are left out of the interval."""


def cluster_draws(
    clusters: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> tuple[np.ndarray, list[np.ndarray]]:
    """For each resample, how many times each cluster is drawn (a multinomial over clusters).

    Returns:
        (resamples x clusters counts, member indexes of each cluster)
    """
    ids, inverse = np.unique(clusters, return_inverse=True)
    members = [np.flatnonzero(inverse == i) for i in range(ids.size)]
    counts = rng.multinomial(ids.size, np.full(ids.size, 1 / ids.size), size=n_resamples)
    return counts, members


def resampled_sums(
    per_cluster: np.ndarray, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Cluster-bootstrap totals: each resample draws clusters with replacement and adds their rows.

    Args:
        per_cluster: clusters x m, each cluster's sums.
        n_resamples: how many resamples.
        rng: the random generator.

    Returns:
        resamples x m totals.
    """
    drawn = weights.draw(per_cluster.shape[0], n_resamples, rng).astype(float)
    return _products(drawn, per_cluster)


def _products(drawn: np.ndarray, per_cluster: np.ndarray) -> np.ndarray:
    """Weights times cluster sums, a batch of resamples per matrix product (bounds memory)."""
    parts = [np.empty((0, per_cluster.shape[1]))]
    for start in range(0, drawn.shape[0], weights.BATCH):
        parts.append(drawn[start : start + weights.BATCH] @ per_cluster)
    return np.concatenate(parts)


def seeded_sums(per_cluster: np.ndarray, n_resamples: int, seed: int | None) -> np.ndarray:
    """``resampled_sums`` with a fresh ``default_rng(seed)``, its draws cached across calls.

    The products are taken in the same batches as ``resampled_sums``, so the totals are the
    same to the last bit.

    Args:
        per_cluster: clusters x m, each cluster's sums.
        n_resamples: how many resamples.
        seed: the generator's seed.

    Returns:
        resamples x m totals.
    """
    clusters = per_cluster.shape[0]
    if clusters == 0 or seed is None:
        return resampled_sums(per_cluster, n_resamples, np.random.default_rng(seed))
    return _products(weights.weights(clusters, n_resamples, seed), per_cluster)


def percentile_interval(values: np.ndarray, confidence: float) -> tuple[float, float, int]:
    """The central ``confidence`` interval of finite values, and how many were NaN."""
    finite = values[np.isfinite(values)]
    bad = int(values.size - finite.size)
    if finite.size == 0:
        return float("nan"), float("nan"), bad
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high), bad


def row_intervals(values: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """``percentile_interval`` of every row of a rows x resamples array, at once.

    Rows without a NaN or infinity are partitioned together and interpolated exactly as
    ``np.percentile`` does (its "linear" method); the others go through
    ``percentile_interval`` one by one.

    Args:
        values: rows x resamples.
        confidence: interval coverage.

    Returns:
        (low, high), one per row; NaN where no resample is finite.
    """
    rows, n = values.shape
    low, high = np.full(rows, np.nan), np.full(rows, np.nan)
    if n == 0:
        return low, high
    finite = np.isfinite(values).all(axis=1)
    tail = (1 - confidence) / 2 * 100
    if finite.any():
        plan = [_linear_plan(n, q / 100) for q in (tail, 100 - tail)]
        kth = sorted({i for below, above, _gamma in plan for i in (below, above)})
        ordered = np.partition(values[finite], kth, axis=1)
        low[finite], high[finite] = (
            _lerp(ordered[:, below], ordered[:, above], gamma) for below, above, gamma in plan
        )
    for row in np.flatnonzero(~finite):
        low[row], high[row], _bad = percentile_interval(values[row], confidence)
    return low, high


def _linear_plan(n: int, quantile: float) -> tuple[int, int, float]:
    """The neighbours and weight ``np.percentile``'s linear method uses for one quantile."""
    virtual = (n - 1) * quantile
    below = float(np.floor(virtual))
    gamma = virtual - below
    if virtual >= n - 1:
        return n - 1, n - 1, gamma
    if virtual < 0:
        return 0, 0, gamma
    return int(below), int(below) + 1, gamma


def _lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Linear interpolation written as numpy's percentile writes it (from b when t >= 0.5)."""
    diff = b - a
    return np.asarray(b - diff * (1 - t) if t >= 0.5 else a + diff * t, dtype=np.float64)


def bootstrap_ci(
    statistic: Callable[..., float],
    *samples: Sequence[float] | np.ndarray,
    clusters: Sequence[object] | np.ndarray | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> BootstrapResult:
    """Percentile bootstrap interval for ``statistic(*samples)``.

    The samples are paired: one index draws the same position from each. With
    ``clusters`` (e.g. the question id of every rating), whole clusters are drawn
    with replacement, so ratings that share a question stay together and the
    interval reflects that they are not independent.

    Args:
        statistic: called with resampled arrays, one per sample, in order.
        *samples: equal-length sequences.
        clusters: optional cluster label of each position.
        n_resamples: number of bootstrap resamples.
        confidence: interval coverage, e.g. 0.95.
        seed: random seed, for reproducible intervals.

    Returns:
        The estimate on the full data, the interval, and bookkeeping.
    """
    arrays = [np.asarray(s) for s in samples]
    if not arrays:
        raise ValueError("give at least one sample")
    size = arrays[0].shape[0]
    if any(a.shape[0] != size for a in arrays):
        raise ValueError("samples must have equal length")
    rng = np.random.default_rng(seed)
    estimate = float(statistic(*arrays))
    values = np.empty(n_resamples)
    if clusters is None:
        for r in range(n_resamples):
            draw = rng.integers(0, size, size)
            values[r] = statistic(*(a[draw] for a in arrays))
        n_clusters = size
    else:
        labels = np.asarray(clusters)
        if labels.shape[0] != size:
            raise ValueError("clusters must have one label per observation")
        counts, members = cluster_draws(labels, n_resamples, rng)
        for r in range(n_resamples):
            index = np.concatenate([np.repeat(m, c) for m, c in zip(members, counts[r]) if c])
            values[r] = statistic(*(a[index] for a in arrays))
        n_clusters = len(members)
    low, high, bad = percentile_interval(values, confidence)
    return BootstrapResult(estimate, low, high, confidence, n_resamples, n_clusters, bad)


def bootstrap_sums(
    columns: dict[str, np.ndarray],
    clusters: Sequence[object] | np.ndarray,
    statistic: Callable[[dict[str, np.ndarray]], np.ndarray | float],
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> BootstrapResult:
    """A cluster bootstrap for statistics of column sums: vectorised, no loop per resample.

    Means, differences of group means and least-squares slopes are all functions of
    sums. Each cluster's sums are added up with multinomial weights, so 1,000 resamples
    cost one matrix product.

    Args:
        columns: name -> per-observation values (include a column of ones for counts).
        clusters: the cluster of each observation.
        statistic: maps summed columns (arrays over resamples, or scalars) to the statistic.
        n_resamples: bootstrap resamples.
        confidence: interval coverage.
        seed: random seed.

    Returns:
        The estimate and percentile interval.
    """
    names = list(columns)
    ids, inverse = np.unique(np.asarray(clusters), return_inverse=True)
    sums = np.stack(
        [
            np.bincount(inverse, weights=np.asarray(columns[k], dtype=float), minlength=ids.size)
            for k in names
        ],
        1,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = float(statistic(dict(zip(names, sums.sum(0)))))
        summed = seeded_sums(sums, n_resamples, seed)
        values = np.atleast_1d(
            np.asarray(statistic({k: summed[:, i] for i, k in enumerate(names)}), dtype=float)
        )
    low, high, bad = percentile_interval(values, confidence)
    return BootstrapResult(estimate, low, high, confidence, n_resamples, int(ids.size), bad)


def mean_of(column: str, count: str = "one") -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    """Statistic for bootstrap_sums: the mean of a column."""
    return lambda s: s[column] / s[count]
