"""The bootstrap on cases whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from mtbench_tui import stats
from mtbench_tui.core.stats import grouped
from mtbench_tui.core.stats import paired as engine


def test_mean_of_normal_sample_matches_theory() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(10, 2, 2000)
    result = stats.bootstrap_ci(np.mean, x, n_resamples=2000, seed=1)
    half = 1.96 * x.std(ddof=1) / np.sqrt(x.size)
    assert result.estimate == pytest.approx(x.mean())
    assert result.low == pytest.approx(x.mean() - half, abs=0.15 * half)
    assert result.high == pytest.approx(x.mean() + half, abs=0.15 * half)


def test_matches_scipy_percentile_bootstrap() -> None:
    rng = np.random.default_rng(4)
    x = rng.exponential(1.0, 400)
    ours = stats.bootstrap_ci(np.median, x, n_resamples=4000, seed=2)
    theirs = sps.bootstrap((x,), np.median, n_resamples=4000, method="percentile", random_state=2)
    width = theirs.confidence_interval.high - theirs.confidence_interval.low
    assert ours.low == pytest.approx(theirs.confidence_interval.low, abs=0.1 * width)
    assert ours.high == pytest.approx(theirs.confidence_interval.high, abs=0.1 * width)


def test_constant_data_has_a_degenerate_interval() -> None:
    result = stats.bootstrap_ci(np.mean, np.full(50, 7.0), n_resamples=200)
    assert (result.estimate, result.low, result.high) == (7.0, 7.0, 7.0)


def test_clusters_are_resampled_whole() -> None:
    """The cluster bootstrap resamples whole clusters.

    With identical values inside each cluster, it equals the bootstrap of the cluster means.
    """
    rng = np.random.default_rng(5)
    means = rng.normal(0, 1, 30)
    sizes = np.full(30, 8)
    x = np.repeat(means, sizes)
    clusters = np.repeat(np.arange(30), sizes)
    clustered = stats.bootstrap_ci(np.mean, x, clusters=clusters, n_resamples=3000, seed=9)
    of_means = stats.bootstrap_ci(np.mean, means, n_resamples=3000, seed=9)
    naive = stats.bootstrap_ci(np.mean, x, n_resamples=3000, seed=9)
    assert clustered.n_clusters == 30
    assert clustered.high - clustered.low == pytest.approx(of_means.high - of_means.low, rel=0.15)
    # Ignoring the clusters would claim far more certainty than the data holds.
    assert naive.high - naive.low < 0.6 * (clustered.high - clustered.low)


def test_paired_samples_stay_paired() -> None:
    a = np.arange(100, dtype=float)
    result = stats.bootstrap_ci(lambda x, y: float(np.mean(x - y)), a, a + 3, n_resamples=300)
    assert (result.low, result.high) == (-3.0, -3.0)


def test_seed_makes_intervals_reproducible() -> None:
    x = np.random.default_rng(0).normal(size=100)
    assert stats.bootstrap_ci(np.mean, x, seed=11) == stats.bootstrap_ci(np.mean, x, seed=11)
    assert stats.bootstrap_ci(np.mean, x, seed=11) != stats.bootstrap_ci(np.mean, x, seed=12)


def test_undefined_resamples_are_counted() -> None:
    x = np.array([1.0, 1.0, 1.0, 2.0])
    result = stats.bootstrap_ci(
        lambda v: np.nan if np.all(v == v[0]) else float(np.std(v)), x, n_resamples=500
    )
    assert 0 < result.n_degenerate < 500


def test_engine_cluster_bootstrap_covers_the_truth() -> None:
    """The cluster bootstrap's interval has its nominal coverage.

    Across simulated studies, the 95% interval for Pearson's r contains the true r about 95% of
    the time.
    """
    rng = np.random.default_rng(12)
    hits = 0
    trials = 60
    for t in range(trials):
        effect = rng.normal(0, 1, 40)  # question effect shared by both raters
        q = np.repeat(np.arange(40), 10)
        a = effect[q] + rng.normal(0, 1, q.size)
        b = effect[q] + rng.normal(0, 1, q.size)
        data = engine.PairedData.of(np.round(a * 2) / 2, np.round(b * 2) / 2, q)
        est = grouped.agreement(data, n_resamples=400, seed=t)["pearson"]
        hits += est.low <= 0.5 <= est.high  # true r = var(effect) / (var(effect) + 1) = 0.5
    assert 0.85 * trials <= hits <= trials
