"""Statistics against independent libraries on random data; properties every metric must have."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from mtbench_tui import stats
from mtbench_tui.core.stats import grouped
from mtbench_tui.core.stats import paired as engine

sklearn_metrics = pytest.importorskip("sklearn.metrics")
krippendorff = pytest.importorskip("krippendorff")


def random_scores(
    seed: int, n: int = 300, fractional: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Correlated 1-10 scores, the second sometimes with half points."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 11, n).astype(float)
    b = np.clip(a + rng.integers(-3, 4, n), 1, 10).astype(float)
    if fractional:
        b = np.where(rng.random(n) < 0.15, np.clip(b - 0.5, 1, 10), b)
    return a, b


@pytest.mark.parametrize("seed", range(5))
def test_against_sklearn_and_scipy(seed: int) -> None:
    a, b = random_scores(seed)
    labels = list(range(1, 11))
    for weights in (None, "linear", "quadratic"):
        ours = stats.cohen_kappa(a, b, weights, labels)
        theirs = sklearn_metrics.cohen_kappa_score(a, b, weights=weights, labels=labels)
        assert ours == pytest.approx(theirs, abs=1e-12)
    assert stats.spearman(a, b) == pytest.approx(tuple(sps.spearmanr(a, b)), abs=1e-12)
    assert stats.pearson(a, b) == pytest.approx(tuple(sps.pearsonr(a, b)), abs=1e-12)
    tau = sps.kendalltau(a, b)
    assert stats.kendall(a, b) == pytest.approx((tau.statistic, tau.pvalue), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_against_krippendorff_with_missing(seed: int, level: str) -> None:
    rng = np.random.default_rng(seed)
    data = rng.integers(1, 6, (4, 40)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert stats.krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("fractional", [False, True])
def test_bootstrap_engine_equals_the_public_functions(seed: int, fractional: bool) -> None:
    """The vectorised table formulas give the same numbers as the one-sample functions."""
    a, b = random_scores(seed, fractional=fractional)
    data = engine.PairedData.of(a, b, np.arange(a.size) % 17)
    result = grouped.agreement(data, n_resamples=0)
    rounded = np.clip(np.floor(b + 0.5), 1, 10)
    expected = {
        "n": a.size,
        "exact": stats.percent_agreement(a, b),
        "within_1": stats.percent_agreement(a, b, tolerance=1),
        "mae": np.mean(np.abs(a - b)),
        "mean_diff": stats.bland_altman(b, a).mean_diff,
        "sd_diff": stats.bland_altman(b, a).sd_diff,
        "ba_lower": stats.bland_altman(b, a).lower,
        "ba_upper": stats.bland_altman(b, a).upper,
        "pearson": stats.pearson(a, b).coefficient,
        "spearman": stats.spearman(a, b).coefficient,
        "kendall_tau_b": stats.kendall(a, b).coefficient,
        "kappa_quadratic": stats.cohen_kappa(a, rounded, "quadratic", labels=range(1, 11)),
        "alpha_interval": stats.krippendorff_alpha([a, b], "interval"),
        "alpha_ordinal": stats.krippendorff_alpha([a, b], "ordinal"),
        "icc_2_1": stats.icc(np.column_stack([a, b]), "ICC2"),
        "sd_ratio": np.std(b, ddof=1) / np.std(a, ddof=1),
    }
    for name, value in expected.items():
        assert result[name].value == pytest.approx(value, abs=1e-10), name


scores = st.lists(st.integers(1, 10), min_size=3, max_size=60)


@settings(max_examples=60, deadline=None)
@given(scores)
def test_perfect_agreement_gives_one(xs: list[int]) -> None:
    if len(set(xs)) < 2:
        return
    labels = range(1, 11)
    assert stats.percent_agreement(xs, xs) == 1
    for weights in (None, "linear", "quadratic"):
        assert stats.cohen_kappa(xs, xs, weights, labels) == pytest.approx(1)
    assert stats.scotts_pi(xs, xs) == pytest.approx(1)
    assert stats.gwet_ac1(xs, xs) == pytest.approx(1)
    assert stats.gwet_ac2(xs, xs, "quadratic", labels) == pytest.approx(1)
    assert stats.krippendorff_alpha([xs, xs], "interval") == pytest.approx(1)
    assert stats.icc(np.column_stack([xs, xs]), "ICC2") == pytest.approx(1)
    assert stats.spearman(xs, xs).coefficient == pytest.approx(1)
    assert stats.kendall(xs, xs).coefficient == pytest.approx(1)
    result = grouped.agreement(engine.PairedData.of(xs, xs), n_resamples=0)
    for name in (
        "exact",
        "within_1",
        "pearson",
        "spearman",
        "kendall_tau_b",
        "kappa_quadratic",
        "alpha_interval",
        "alpha_ordinal",
        "icc_2_1",
    ):
        assert result[name].value == pytest.approx(1), name
    assert result["mae"].value == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10)), min_size=4, max_size=60),
    st.randoms(),
)
def test_symmetry_and_permutation_invariance(pairs: list[tuple[int, int]], rnd) -> None:
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    pa, pb = [a[i] for i in order], [b[i] for i in order]
    labels = range(1, 11)
    symmetric = [
        lambda x, y: stats.cohen_kappa(x, y, "quadratic", labels),
        lambda x, y: stats.cohen_kappa(x, y, None, labels),
        lambda x, y: stats.scotts_pi(x, y),
        lambda x, y: stats.gwet_ac1(x, y),
        lambda x, y: stats.percent_agreement(x, y, 1),
        lambda x, y: stats.krippendorff_alpha([x, y], "ordinal"),
        lambda x, y: stats.icc(np.column_stack([x, y]), "ICC2"),
        lambda x, y: stats.spearman(x, y).coefficient,
        lambda x, y: stats.kendall(x, y).coefficient,
    ]
    for fn in symmetric:
        value = fn(a, b)
        assert fn(b, a) == pytest.approx(value, nan_ok=True)
        assert fn(pa, pb) == pytest.approx(value, nan_ok=True)


def test_missing_values_are_dropped_pairwise() -> None:
    a = [1, 2, np.nan, 4, 5, None]
    b = [1, 3, 3, np.nan, 5, 2]
    assert stats.percent_agreement(a, b) == pytest.approx(2 / 3)
    assert stats.cohen_kappa(a, b) == pytest.approx(stats.cohen_kappa([1, 2, 5], [1, 3, 5]))
    assert stats.bland_altman(a, b).n == 3
    assert np.isnan(stats.percent_agreement([np.nan], [1]))
    assert np.isnan(stats.spearman([1, 1, 1], [1, 2, 3]).coefficient)


def test_labels_are_enforced() -> None:
    with pytest.raises(ValueError, match="not among the labels"):
        stats.cohen_kappa([1, 2, 11], [1, 2, 3], labels=range(1, 11))
    with pytest.raises(ValueError):
        stats.cohen_kappa([1, 2], [1, 2, 3])


def test_declared_labels_change_weighted_kappa() -> None:
    """Declared labels matter to weighted kappa.

    With gaps in the observed scores, weighted kappa over 1-10 differs from kappa over the
    observed values.
    """
    a, b = [1, 5, 10, 10, 5], [1, 10, 5, 10, 5]
    assert stats.cohen_kappa(a, b, "quadratic") != pytest.approx(
        stats.cohen_kappa(a, b, "quadratic", range(1, 11))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-3, 12).map(float),
            st.integers(0, 20).map(lambda x: x / 2),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, -0.0, 1e-300, 2.0**60, 2.0**60 + 256]),
        ),
        max_size=40,
    ),
    st.sampled_from(["float64", "int64", "int32", "uint8"]),
)
def test_unique_inverse_is_np_unique(values: list[float], dtype: str) -> None:
    from mtbench_tui.core.stats._arrays import unique_inverse

    array = np.asarray(values, dtype=float)
    if dtype != "float64":
        array = np.nan_to_num(array, posinf=0, neginf=0)
        array = np.clip(np.trunc(array), 0 if dtype == "uint8" else -(2**31), 255).astype(dtype)
    found, inverse = unique_inverse(array)
    expected, expected_inverse = np.unique(array, return_inverse=True)
    assert found.dtype == expected.dtype
    assert np.array_equal(found, expected, equal_nan=True)
    assert np.array_equal(inverse, expected_inverse.reshape(-1))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(80, 95)), min_size=0, max_size=60),
    st.integers(7, 9),
    st.booleans(),
)
def test_questions_per_group_counts_distinct_questions(
    rows: list[tuple[int, int]], n_groups: int, grid: bool
) -> None:
    from mtbench_tui.core.analysis import agreement

    codes = np.asarray([g for g, _q in rows], dtype=np.int64)
    question = np.asarray([q for _g, q in rows], dtype=np.int64)
    limit = agreement.SEEN_CELLS
    try:
        agreement.SEEN_CELLS = limit if grid else 0  # the grid of flags, or the sorted keys
        found = agreement._questions_per_group(question, codes, n_groups)
    finally:
        agreement.SEEN_CELLS = limit
    expected = [len({q for g, q in rows if g == group}) for group in range(n_groups)]
    assert found.tolist() == expected
