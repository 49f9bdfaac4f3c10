"""Every paired agreement metric for many groups at once, each with its cluster bootstrap.

The numbers are those of ``agreement`` run on each group alone: the same draws
(a fresh generator from the same seed, over the group's own questions), the same
formulas. What changes is the arithmetic's shape, so that 500 groups cost about what a
few cost before:

* moment metrics (means, SDs, MAE, Pearson, ICC, quadratic kappa, interval alpha) come
  from per-question sums times the resample weights, one matrix product per number of
  questions in a batch of groups;
* the rank metrics (Spearman, Kendall, ordinal alpha) need each resample's joint table of
  human x judge values; those tables are built for a few groups at once by one sparse
  product (one dense product for large groups), and every formula then runs on all of them;
* Kendall's concordant-minus-discordant pairs is one matrix product and a running sum,
  Spearman's and the ordinal alpha's cross terms one contraction each (ordinal alpha is
  interval alpha on mid-ranks, Krippendorff's own metric);
* the percentile intervals of a whole batch are taken at once;
* several requests (a report's breakdowns) share one run: their batches go to the threads
  together, largest first (``agreements``).

Counts are exact in floating point, so tables and sums are the same whichever way they are
added up; the formulas match ``paired.metrics`` up to the last bit of a float, far below
the report's six decimals (tests compare both).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from threading import Lock

import numpy as np

from mtbench_tui.core.stats import parallel, weights
from mtbench_tui.core.stats._arrays import unique_inverse
from mtbench_tui.core.stats.grouped_metrics import (
    Arrays,
    intervals,
    moment_metrics,
    rank_metrics,
)
from mtbench_tui.core.stats.grouped_tables import Observations, moment_sums, tables
from mtbench_tui.core.stats.paired import METRICS, Estimate, PairedData

TABLE_ELEMENTS = 1_000_000
"""Most table cells (x resamples) built at once per thread: a few MB, which stay in cache
while the rank formulas go over them."""

BATCH_ELEMENTS = 64 * 1024
"""Groups x resamples per batch (a thread's unit of work): its sums and metric values
take some 20 MB."""


def agreement(
    data: PairedData, n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> dict[str, Estimate]:
    """Every metric with a cluster-bootstrap interval (clusters = ``data.clusters``).

    ``metrics`` on the sample's joint table gives the point values; the bootstrap resamples
    whole clusters (``group_agreement`` computes both, for one group or many).

    Args:
        data: the paired scores.
        n_resamples: bootstrap resamples; 0 for point estimates only.
        confidence: interval coverage.
        seed: random seed.

    Returns:
        Metric name -> Estimate. ``n`` has no interval.
    """
    return agreements([Request.whole(data)], n_resamples, confidence, seed)[0][0]


@dataclass(frozen=True)
class Request:
    """Paired scores split into groups: one call's worth of ``group_agreement``."""

    a: np.ndarray
    b: np.ndarray
    clusters: np.ndarray
    groups: np.ndarray
    n_groups: int

    @classmethod
    def whole(cls, data: PairedData) -> Request:
        """All of a sample as one group, as ``agreement`` asks for it (and finds it kept)."""
        return cls(data.a, data.b, data.clusters, np.zeros(data.n, dtype=np.int64), 1)


def group_agreement(
    a: np.ndarray,
    b: np.ndarray,
    clusters: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[dict[str, Estimate]]:
    """Every metric of every group, with its cluster-bootstrap interval.

    Args:
        a: scores of rater a (e.g. the human), no NaN.
        b: scores of rater b (e.g. the judge), aligned with ``a``.
        clusters: the cluster (question id) of each pair.
        groups: each pair's group, 0 .. n_groups - 1.
        n_groups: how many groups.
        n_resamples: bootstrap resamples; 0 for point estimates only.
        confidence: interval coverage.
        seed: random seed (each group starts a fresh generator from it).

    Returns:
        Per group, what ``agreement`` returns for that group's pairs alone.
    """
    request = Request(a, b, clusters, groups, n_groups)
    return agreements([request], n_resamples, confidence, seed)[0]


def agreements(
    requests: Sequence[Request], n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> list[list[dict[str, Estimate]]]:
    """``group_agreement`` of several requests, their groups shared out on the threads together.

    One call for a report's many breakdowns keeps both threads busy to the end: called one
    by one, each small breakdown ended with a thread waiting for the other, and a single
    large group ran alone.

    Args:
        requests: the samples and their groups.
        n_resamples: bootstrap resamples; 0 for point estimates only.
        confidence: interval coverage.
        seed: random seed (each group starts a fresh generator from it).

    Returns:
        Per request, per group, what ``agreement`` returns for that group's pairs alone.
    """
    settings = (n_resamples, confidence, seed)
    keys = [_digest(r.a, r.b, r.clusters, r.groups, (r.n_groups, *settings)) for r in requests]
    with _lock:
        found = {key: _memo[key] for key in keys if key in _memo}
    todo = {key: r for key, r in zip(keys, requests) if key not in found}
    if todo:
        computed = _compute(list(todo.values()), n_resamples, confidence, seed)
        found.update(zip(todo, computed))
        with _lock:
            for key in todo:
                _memo[key] = found[key]
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
    return [list(found[key]) for key in keys]


MEMO_SIZE = 64
"""Results kept: the report asks for some samples again (the summary, the audit), after
computing four per reviewer."""

_memo: OrderedDict[bytes, tuple[dict[str, Estimate], ...]] = OrderedDict()
_lock = Lock()


def _compute(
    requests: list[Request], n_resamples: int, confidence: float, seed: int
) -> list[tuple[dict[str, Estimate], ...]]:
    """Every group of every request, in batches shared out on the threads."""
    out: list[list[dict[str, Estimate] | None]] = [[None] * r.n_groups for r in requests]
    live = [i for i, r in enumerate(requests) if r.a.size]
    with parallel.one_blas_thread():
        parts = parallel.map_all(_observe_request, [requests[i] for i in live])
        plans = _plan(parts, n_resamples)
        ks = [np.diff(o.group_runs) for o in parts]
        drawing = (
            weights.prefetch(np.concatenate(ks), n_resamples, seed) if n_resamples and ks else []
        )
        work = partial(_evaluate, parts, n_resamples=n_resamples, confidence=confidence, seed=seed)
        results = parallel.map_all(work, plans)
        for future in drawing:
            future.result()
    for (part, members), estimates in zip(plans, results):
        groups = out[live[part]]
        for group, value in zip(members.tolist(), estimates):
            groups[group] = value
    return [tuple(e if e is not None else _empty() for e in groups) for groups in out]


def _digest(*parts: object) -> bytes:
    """A key for the inputs' content."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str((part.dtype.str, part.shape)).encode())
            h.update(np.ascontiguousarray(part).data)
        else:
            h.update(repr(part).encode())
    return h.digest()


def _empty() -> dict[str, Estimate]:
    """What ``agreement`` returns for no pairs."""
    nan = float("nan")
    return {m: Estimate(0.0 if m == "n" else nan, nan, nan) for m in METRICS}


def _observe_request(r: Request) -> Observations:
    """``observe`` of one request (runs on a worker thread)."""
    return observe(r.a, r.b, r.clusters, r.groups, r.n_groups)


def observe(
    a: np.ndarray, b: np.ndarray, clusters: np.ndarray, groups: np.ndarray, n_groups: int
) -> Observations:
    """Sort the pairs by group and question and add up each question's moment sums.

    Args:
        a: rater a's scores.
        b: rater b's scores.
        clusters: each pair's question.
        groups: each pair's group.
        n_groups: how many groups.

    Returns:
        The derived arrays.
    """
    a_values, ia = unique_inverse(a)
    b_values, ib = unique_inverse(b)
    _ids, ic = np.unique(clusters, return_inverse=True)
    order = np.lexsort((ic, groups))
    g, c = groups[order], ic[order]
    new_run = np.ones(g.size, bool)
    new_run[1:] = (g[1:] != g[:-1]) | (c[1:] != c[:-1])
    run_start = np.flatnonzero(new_run)
    run_of = np.cumsum(new_run) - 1
    group_runs = np.searchsorted(g[run_start], np.arange(n_groups + 1))
    return Observations(
        a_values=a_values,
        b_values=b_values,
        # 32-bit: held for every request of a report at once (a cell and a question index)
        cell=(ia * b_values.size + ib)[order].astype(np.int32),
        run_local=(run_of - group_runs[g]).astype(np.int32),
        run_sums=np.add.reduceat(features(a[order], b[order]), run_start, axis=0),
        group_runs=group_runs,
        group_pairs=np.searchsorted(g, np.arange(n_groups + 1)),
    )


FEATURES = (
    "n",
    "sa",
    "sb",
    "saa",
    "sbb",
    "sab",
    "abs",
    "exact",
    "within",
    "d",
    "dd",
    "ka",
    "kb",
    "kaa",
    "kbb",
    "kdd",
)
"""Per-pair quantities whose sums give the moment metrics (k*: scores on the 1-10 labels)."""


def features(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each pair's FEATURES, as the table formulas weigh them.

    Args:
        a: rater a's scores.
        b: rater b's scores.

    Returns:
        pairs x len(FEATURES).
    """
    d = b - a
    ka, kb = _label(a), _label(b)
    columns = (
        np.ones(a.size),
        a,
        b,
        a**2,
        b**2,
        a * b,
        np.abs(d),
        np.abs(d) < 1e-9,
        np.abs(d) <= 1 + 1e-9,
        d,
        d**2,
        ka,
        kb,
        ka**2,
        kb**2,
        (ka - kb) ** 2,
    )
    return np.column_stack([np.asarray(x, dtype=float) for x in columns])


def _label(values: np.ndarray) -> np.ndarray:
    """Position on the 1-10 scale (0-9): fractional scores round half up, as for kappa."""
    return np.clip(np.floor(values + 0.5), 1, 10) - 1


def _plan(parts: Sequence[Observations], n_resamples: int) -> list[tuple[int, np.ndarray]]:
    """Each request's groups in batches (part, groups), largest batches first.

    Within a request, groups with the same number of questions go together. A batch holds a
    bounded number of groups and of pairs, so no batch is much larger than the rest; handing
    out the largest first leaves the small ones to even out the threads' ends
    (longest-processing-time-first scheduling).
    """
    batches: list[tuple[int, np.ndarray]] = []
    cost: list[int] = []
    for part, obs in enumerate(parts):
        k = np.diff(obs.group_runs)
        pairs = np.diff(obs.group_pairs)
        present = np.flatnonzero(pairs > 0)
        order = present[np.argsort(k[present], kind="stable")]
        # As many batches as threads at least, so that a few large groups are shared out too.
        most = max(1, min(BATCH_ELEMENTS // (n_resamples + 1), -(-order.size // parallel.WORKERS)))
        bounds, held = [0], 0
        for i, size in enumerate(pairs[order].tolist()):
            if i > bounds[-1] and (i - bounds[-1] == most or held + size > BATCH_PAIRS):
                bounds.append(i)
                held = 0
            held += size
        for low, high in zip(bounds, [*bounds[1:], order.size]):
            if high > low:
                members = order[low:high]
                batches.append((part, members))
                cost.append(int(pairs[members].sum()) + GROUP_COST * members.size)
    return [batches[i] for i in sorted(range(len(batches)), key=lambda i: -cost[i])]


BATCH_PAIRS = 16_384
"""Most pairs per batch (unless one group has more): a batch's sparse product is about
pairs x resamples."""

GROUP_COST = 1000
"""A group's fixed work (its tables and intervals) in pairs' worth, for ordering batches."""


def _evaluate(
    parts: Sequence[Observations],
    batch: tuple[int, np.ndarray],
    n_resamples: int,
    confidence: float,
    seed: int,
) -> list[dict[str, Estimate]]:
    """Every metric of a batch of groups, with intervals (runs on a worker thread)."""
    part, members = batch
    obs = parts[part]
    sums = moment_sums(obs, members, n_resamples, seed)
    m = dict(zip(FEATURES, sums))
    m["n"] = n = sums[0].copy()  # not a view: the sums are freed before the tables are built
    with np.errstate(divide="ignore", invalid="ignore"):
        values = moment_metrics(m)
        del m, sums
        values.update(_rank_values(obs, members, n, n_resamples, seed))
    bootstrapped = (obs.questions(members) > 1) & (n_resamples > 0)
    return intervals(values, bootstrapped, confidence)


def _rank_values(
    obs: Observations, members: np.ndarray, n: np.ndarray, n_resamples: int, seed: int
) -> Arrays:
    """Spearman, Kendall and ordinal alpha of a batch, from tables built a few groups at a time."""
    out = {name: np.empty(n.shape) for name in ("spearman", "kendall_tau_b", "alpha_ordinal")}
    cells = obs.a_values.size * obs.b_values.size
    size = max(1, TABLE_ELEMENTS // (cells * (n_resamples + 1)))
    for start in range(0, members.size, size):
        part = slice(start, start + size)
        found = rank_metrics(tables(obs, members[part], n_resamples, seed), n[part])
        for name, value in found.items():
            out[name][part] = value
    return out
