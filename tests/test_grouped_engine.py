"""The batched statistics engine gives the numbers of the one-group-at-a-time algorithm.

The reference here is the algorithm the report used before: one joint table per group,
``paired.metrics`` on each resample's table, weights drawn by a fresh generator per group,
``np.percentile`` per metric. The engine must agree to the last printed digit.
"""

from __future__ import annotations

import math
import tracemalloc
from collections import defaultdict
from itertools import combinations

import numpy as np
import pytest

from mtbench_tui import stats
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.score_pairs import pairwise_block
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats import bootstrap, grouped, grouped_batches, paired, weights
from mtbench_tui.core.stats.grouped import agreement, group_agreement

krippendorff = pytest.importorskip("krippendorff")


def reference(data: paired.PairedData, n_resamples: int, seed: int) -> dict[str, paired.Estimate]:
    """The old per-group algorithm: tables, metrics per resample, np.percentile per metric."""
    nan = float("nan")
    if data.n == 0:
        return {m: paired.Estimate(0.0 if m == "n" else nan, nan, nan) for m in paired.METRICS}
    tables = paired.Tables.of(data)
    point = paired.metrics(tables.total(), tables.a_values, tables.b_values)
    k = tables.per_cluster.shape[0]
    boot = {m: np.full(1, nan) for m in paired.METRICS}
    if n_resamples and k > 1:
        flat = tables.per_cluster.reshape(k, -1)
        drawn = bootstrap.resampled_sums(flat, n_resamples, np.random.default_rng(seed))
        stack = drawn.reshape(n_resamples, *tables.per_cluster.shape[1:])
        boot = paired.metrics(stack, tables.a_values, tables.b_values)
    out = {}
    for name in paired.METRICS:
        low, high = (nan, nan)
        if name != "n":
            low, high, _bad = bootstrap.percentile_interval(boot[name], 0.95)
        out[name] = paired.Estimate(float(point[name]), low, high)
    return out


def scores(kind: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Human and judge scores: integers, halves, or arbitrary decimals."""
    a = rng.integers(1, 11, n).astype(float)
    if kind == "int":
        b = np.clip(a + rng.integers(-3, 4, n), 1, 10).astype(float)
    elif kind == "half":
        b = np.clip(a + rng.integers(-6, 7, n) / 2, 1, 10)
    else:
        b = np.round(np.clip(a + rng.normal(0, 1.5, n), 1, 10), 2)
    return a, b


def same(x: float, y: float) -> bool:
    """Equal to the report's six decimals (NaN equals NaN), and within 1e-12 relatively."""
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return round(x, 6) == round(y, 6) and abs(x - y) <= 1e-12 * max(1.0, abs(x))


def assert_each_group_is_the_reference(
    data: paired.PairedData, group: np.ndarray, n_groups: int, n_resamples: int, seed: int
) -> None:
    """The engine's estimates of every group equal the one-group algorithm's."""
    a, b, question = data.a, data.b, data.clusters
    found = group_agreement(a, b, question, group, n_groups, n_resamples, 0.95, seed)
    for g in range(n_groups):
        mine = group == g
        want = reference(paired.PairedData(a[mine], b[mine], question[mine]), n_resamples, seed)
        for name in paired.METRICS:
            got = found[g][name]
            for x, y in ((want[name].value, got.value), (want[name].low, got.low)):
                assert same(x, y), (g, name, x, y)
            assert same(want[name].high, got.high), (g, name)


@pytest.mark.parametrize("kind", ["int", "half", "decimal"])
def test_every_group_equals_the_one_group_algorithm(kind: str) -> None:
    rng = np.random.default_rng({"int": 1, "half": 2, "decimal": 3}[kind])
    a, b = scores(kind, 2500, rng)
    question = rng.integers(0, 120, a.size)
    group = rng.integers(0, 6, a.size)
    group[:4] = 6
    question[group == 6] = 5  # a group on one question: no interval
    # group 7 is empty
    assert_each_group_is_the_reference(paired.PairedData(a, b, question), group, 8, 300, 4)


@pytest.mark.parametrize("kind", ["int", "decimal"])
def test_large_groups_on_few_questions_equal_the_one_group_algorithm(kind: str) -> None:
    # Many pairs per question: these tables come from one dense product, not a sparse one.
    rng = np.random.default_rng(21)
    a, b = scores(kind, 2400, rng)
    question = rng.integers(0, 20, a.size)
    group = rng.integers(0, 2, a.size)
    assert_each_group_is_the_reference(paired.PairedData(a, b, question), group, 2, 200, 8)


def test_requests_computed_together_equal_each_alone() -> None:
    rng = np.random.default_rng(11)
    a, b = scores("decimal", 3000, rng)
    question = rng.integers(0, 200, a.size)
    model = rng.integers(0, 40, a.size)
    reviewer = rng.integers(0, 2, a.size)
    mine = reviewer == 1
    requests = [
        grouped.Request(a, b, question, np.zeros(a.size, dtype=np.int64), 1),
        grouped.Request(a, b, question, model, 41),  # model 40 has no pairs
        grouped.Request(a[mine], b[mine], question[mine], model[mine], 40),
        grouped.Request(a[:0], b[:0], question[:0], model[:0], 3),  # no pairs at all
    ]
    together = grouped.agreements(requests, 200, 0.9, 3)
    grouped._memo.clear()  # each alone computes afresh
    for request, found in zip(requests, together):
        alone = group_agreement(
            request.a, request.b, request.clusters, request.groups, request.n_groups, 200, 0.9, 3
        )
        assert len(found) == len(alone) == request.n_groups
        assert_identical(found, alone)


def assert_identical(
    found: list[dict[str, paired.Estimate]], want: list[dict[str, paired.Estimate]]
) -> None:
    """Every group's every estimate equal to the last bit (NaN equal to NaN)."""
    assert len(found) == len(want)
    for got, expected in zip(found, want):
        for name in paired.METRICS:
            assert np.array_equal(
                [got[name].value, got[name].low, got[name].high],
                [expected[name].value, expected[name].low, expected[name].high],
                equal_nan=True,
            ), name


def test_started_requests_give_what_agreements_gives_while_the_caller_works() -> None:
    rng = np.random.default_rng(21)
    a, b = scores("half", 6_000, rng)
    question = rng.integers(0, 120, a.size)
    model = rng.integers(0, 30, a.size)
    requests = [
        grouped.Request(a, b, question, np.zeros(a.size, dtype=np.int64), 1),
        grouped.Request(a, b, question, model, 31),  # model 30 has no pairs
        grouped.Request(a[:0], b[:0], question[:0], model[:0], 2),
    ]
    grouped._memo.clear()
    waiting = grouped.start_agreements(requests, 300, 0.9, 4)
    # the caller's own numpy work meanwhile (the report counts pairwise agreement here)
    assert np.all(np.diff(np.sort(rng.random(300_000))) >= 0)
    started = waiting()
    assert waiting() == started  # asked again: the same results, nothing recomputed
    grouped._memo.clear()
    together = grouped.agreements(requests, 300, 0.9, 4)
    assert len(started) == len(together) == 3
    for found, want in zip(started, together):
        assert_identical(found, want)
    assert started[1][30]["n"].value == 0 and math.isnan(started[1][30]["kappa_quadratic"].value)


def test_a_started_request_already_computed_comes_from_the_memo() -> None:
    rng = np.random.default_rng(22)
    a, b = scores("int", 800, rng)
    question = rng.integers(0, 40, a.size)
    request = grouped.Request.whole(paired.PairedData(a, b, question))
    grouped._memo.clear()
    first = grouped.agreements([request], 200, 0.95, 1)
    assert len(grouped._memo) == 1
    again = grouped.start_agreements([request], 200, 0.95, 1)()
    assert again == first and len(grouped._memo) == 1
    copied = grouped.Request(a.copy(), b.copy(), question.copy(), request.groups.copy(), 1)
    assert grouped.agreements([copied], 200, 0.95, 1) == first  # same content: same key
    assert len(grouped._memo) == 1
    as_ints = grouped.Request(a.astype(np.int64), b, question, request.groups, 1)
    other_seed = grouped.agreements([as_ints, request], 200, 0.95, 2)
    assert len(grouped._memo) == 3  # another type of column, another seed: computed anew
    assert other_seed[1] != first


def test_batches_cover_every_group_once_largest_first() -> None:
    rng = np.random.default_rng(12)
    a, b = scores("int", 60_000, rng)
    question = rng.integers(0, 900, a.size)
    model = rng.integers(0, 300, a.size)
    parts = [
        grouped_batches.observe(a, b, question, np.zeros(a.size, dtype=np.int64), 1),
        grouped_batches.observe(a, b, question, model, 302),
    ]
    plans = grouped._plan(parts, 1000)
    for part, obs in enumerate(parts):
        pairs = np.diff(obs.group_pairs)
        members = np.concatenate([m for p, m in plans if p == part])
        assert sorted(members.tolist()) == np.flatnonzero(pairs > 0).tolist()
    sizes = [int(np.diff(parts[p].group_pairs)[m].sum()) for p, m in plans]
    assert [(p, m.tolist()) for p, m in plans if p == 0] == [(0, [0])]  # alone: too large
    assert all(s <= grouped.BATCH_PAIRS or m.size == 1 for s, (_p, m) in zip(sizes, plans))
    costs = [s + grouped.GROUP_COST * m.size for s, (_p, m) in zip(sizes, plans)]
    assert costs == sorted(costs, reverse=True)


def test_point_estimates_only() -> None:
    rng = np.random.default_rng(5)
    a, b = scores("half", 800, rng)
    question = rng.integers(0, 40, a.size)
    found = agreement(paired.PairedData(a, b, question), n_resamples=0)
    want = reference(paired.PairedData(a, b, question), 0, 0)
    for name in paired.METRICS:
        assert same(want[name].value, found[name].value)
        assert math.isnan(found[name].low) and math.isnan(found[name].high)


def test_cached_draws_are_the_fresh_draws() -> None:
    weights.clear()
    per_cluster = np.random.default_rng(0).random((37, 5))
    fresh = bootstrap.resampled_sums(per_cluster, 700, np.random.default_rng(9))
    for _ in range(2):  # drawn, then from the cache
        assert np.array_equal(bootstrap.seeded_sums(per_cluster, 700, 9), fresh)
    assert np.array_equal(weights.weights(37, 700, 9), weights.weights(37, 700, 9))


def test_row_intervals_equal_numpy_percentile() -> None:
    rng = np.random.default_rng(2)
    for n in (1, 2, 3, 999, 1000):
        values = rng.normal(size=(60, n))
        values[:20] = np.round(values[:20], 1)  # ties
        values[3, 0] = np.nan
        values[4, -1] = np.inf
        for confidence in (0.95, 0.9, 0.5):
            low, high = bootstrap.row_intervals(values, confidence)
            for row in range(60):
                want = bootstrap.percentile_interval(values[row], confidence)[:2]
                assert np.array_equal([low[row], high[row]], want, equal_nan=True)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_from_coincidences_equals_the_package(seed: int, level: str) -> None:
    rng = np.random.default_rng(seed)
    raters, items = 2 + seed, 300
    data = (
        (rng.integers(1, 21, (raters, items)) / 2)
        if seed % 2
        else rng.normal(6, 2, (raters, items)).round(2)
    )
    data[rng.random(data.shape) < 0.3] = np.nan
    data = np.abs(data) + 0.5
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert stats.krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-12)


def test_alpha_on_100k_pairs_stays_small() -> None:
    rng = np.random.default_rng(0)
    a = rng.integers(1, 11, 100_000).astype(float)
    b = np.clip(a + rng.integers(-2, 3, a.size), 1, 10)
    tracemalloc.start()
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert -1 <= stats.krippendorff_alpha([a, b], level) <= 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40 * 1024 * 1024  # the package needed ~950 MB here


def old_pairwise(
    pairs: RatingPairs,
) -> tuple[int, list[tuple[int, bool, bool]], list[tuple[int, bool, bool]]]:
    """The previous implementation's trials, one tuple each: (question, agree, tie)."""
    human: dict[tuple[int, int, str], dict[str, float]] = defaultdict(dict)
    judge: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for q, m, t, r, h, j in zip(
        pairs.question_id.tolist(),
        pairs.model.tolist(),
        pairs.turn.tolist(),
        pairs.reviewer.tolist(),
        pairs.human.tolist(),
        pairs.judge.tolist(),
    ):
        human[(q, t, r)][m] = h
        judge[(q, t)][m] = j
    votes: dict[tuple[int, int, str, str], list[float]] = defaultdict(list)
    for (q, t, _r), by_model in human.items():
        for m1, m2 in combinations(sorted(by_model), 2):
            votes[(q, t, m1, m2)].append(np.sign(by_model[m1] - by_model[m2]))
    jh, hh = [], []
    for (q, t, m1, m2), vs in votes.items():
        verdict = np.sign(judge[(q, t)][m1] - judge[(q, t)][m2])
        jh += [(q, v == verdict, v == 0 or verdict == 0) for v in vs]
        hh += [(q, x == y, x == 0 or y == 0) for x, y in combinations(vs, 2)]
    return len(votes), jh, hh


@pytest.mark.parametrize("block_rows", [20_000, 7])
def test_pairwise_from_scores_counts_like_the_tuple_version(
    block_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtbench_tui.core.analysis import score_pairs

    monkeypatch.setattr(score_pairs, "BLOCK_ROWS", block_rows)  # whole questions at a time
    rng = np.random.default_rng(3)
    rows = []
    verdict = {  # the judge scores each answer once, whoever else rated it
        (q, m, t): float(rng.integers(1, 6)) for q in range(30) for m in "12345" for t in (1, 2)
    }
    for q in range(30):
        for t in (1, 2):
            for r in ("ann", "bo", "cy"):
                for m in rng.choice(
                    ["m1", "m2", "m3", "m4", "m5"], rng.integers(0, 5), replace=False
                ):
                    score = float(rng.integers(1, 6))
                    rows.append((q, str(m), t, r, score, verdict[(q, str(m)[-1], t)]))
    q, m, t, r, h, j = zip(*rows)
    pairs = RatingPairs(
        np.array(q),
        np.array(m, dtype=object),
        np.array(t),
        np.array(r, dtype=object),
        np.array(h),
        np.array(j),
        np.array(["c"] * len(q), dtype=object),
        np.ones(len(q)),
        "gpt-4",
    )
    block = pairwise_block("gpt-4", pairs, Settings(n_resamples=0))
    n, jh, hh = old_pairwise(pairs)
    assert block.n_comparisons == n
    for cells, trials in ((block.judge_human, jh), (block.human_human, hh)):
        assert (cells.with_ties.agree, cells.with_ties.total) == (
            sum(a for _q, a, _t in trials),
            len(trials),
        )
        decisive = [a for _q, a, tie in trials if not tie]
        assert (cells.without_ties.agree, cells.without_ties.total) == (
            sum(decisive),
            len(decisive),
        )
        assert cells.with_ties.n_questions == len({q for q, _a, _t in trials})
