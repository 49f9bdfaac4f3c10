"""One metric compared between two samples, by a cluster bootstrap that resamples both together."""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.stats.bootstrap import percentile_interval
from mtbench_tui.core.stats.paired import Estimate, PairedData, Tables
from mtbench_tui.core.stats.paired import metric as metric_of


def difference(
    first: PairedData,
    second: PairedData,
    metric: str,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """``metric(first) - metric(second)`` with a paired cluster-bootstrap interval.

    Each resample draws the same clusters (questions) for both samples, so the interval
    reflects that both were measured on the same questions: e.g. judge-human against
    human-human agreement on the turns two reviewers rated.

    Args:
        first: one sample of paired scores.
        second: the other sample.
        metric: a name from ``paired.METRICS``.
        n_resamples: bootstrap resamples; 0 for the point difference only.
        confidence: interval coverage.
        seed: random seed.

    Returns:
        The difference and its interval (NaN where undefined).
    """
    nan = float("nan")
    if first.n == 0 or second.n == 0:
        return Estimate(nan, nan, nan)
    ids = np.union1d(first.clusters, second.clusters)
    one, two = Tables.of(first, ids), Tables.of(second, ids)
    with np.errstate(divide="ignore", invalid="ignore"):
        point = float(_metric(one, one.total(), metric) - _metric(two, two.total(), metric))
    if not n_resamples or ids.size < 2:
        return Estimate(point, nan, nan)
    # The same seed and the same number of clusters give both samples the same draws.
    with np.errstate(divide="ignore", invalid="ignore"):
        boot_one = _metric(one, one.resampled(n_resamples, seed), metric)
        boot_two = _metric(two, two.resampled(n_resamples, seed), metric)
    low, high, _bad = percentile_interval(boot_one - boot_two, confidence)
    return Estimate(point, low, high)


def _metric(tables: Tables, stack: np.ndarray, name: str) -> np.ndarray:
    """One metric of a table or a stack of tables."""
    return metric_of(stack, tables.a_values, tables.b_values, name)
