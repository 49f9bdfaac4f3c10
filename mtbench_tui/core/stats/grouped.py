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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from threading import Lock

import numpy as np

from mtbench_tui.core.stats import parallel, weights
from mtbench_tui.core.stats.grouped_batches import evaluate, observe
from mtbench_tui.core.stats.grouped_tables import Observations
from mtbench_tui.core.stats.paired import METRICS, Estimate, PairedData

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
    lookup = _Lookup.of(requests, n_resamples, confidence, seed)
    if not lookup.todo:
        return lookup.results(None)
    with parallel.one_blas_thread():  # only around work: entering it costs 1-2 ms
        return lookup.results(_start(list(lookup.todo.values()), n_resamples, confidence, seed))


def start_agreements(
    requests: Sequence[Request], n_resamples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> Callable[[], list[list[dict[str, Estimate]]]]:
    """Begin ``agreements`` (same arguments): queue the work, return a function that waits.

    The caller can work on something else meanwhile (the report counts pairwise agreement),
    keeping BLAS to one thread (``parallel.one_blas_thread``) until it has the results.

    Returns:
        A function giving what ``agreements`` gives.
    """
    lookup = _Lookup.of(requests, n_resamples, confidence, seed)
    todo = list(lookup.todo.values())
    return partial(lookup.results, _start(todo, n_resamples, confidence, seed) if todo else None)


Results = list[tuple[dict[str, Estimate], ...]]


@dataclass
class _Lookup:
    """Requests looked up in the memo: what was found, and what is left to compute."""

    keys: list[bytes]
    found: dict[bytes, tuple[dict[str, Estimate], ...]]
    todo: dict[bytes, Request]

    @classmethod
    def of(
        cls, requests: Sequence[Request], n_resamples: int, confidence: float, seed: int
    ) -> _Lookup:
        """Look the requests up (a key per request's content and settings)."""
        settings = (n_resamples, confidence, seed)
        seen: dict[int, bytes] = {}  # the requests keep their arrays alive meanwhile
        keys = [_key(r, settings, seen) for r in requests]
        with _lock:
            found = {key: _memo[key] for key in keys if key in _memo}
        return cls(keys, found, {key: r for key, r in zip(keys, requests) if key not in found})

    def results(self, computing: Callable[[], Results] | None) -> list[list[dict[str, Estimate]]]:
        """Every request's results, waiting for (and keeping) those being computed."""
        if computing is not None and not all(key in self.found for key in self.todo):
            self.found.update(zip(self.todo, computing()))
            with _lock:
                for key in self.todo:
                    _memo[key] = self.found[key]
                while len(_memo) > MEMO_SIZE:
                    _memo.popitem(last=False)
        return [list(self.found[key]) for key in self.keys]


MEMO_SIZE = 64
"""Results kept: the report asks for some samples again (the summary, the audit), after
computing four per reviewer."""

_memo: OrderedDict[bytes, tuple[dict[str, Estimate], ...]] = OrderedDict()
_lock = Lock()


def _start(
    requests: list[Request], n_resamples: int, confidence: float, seed: int
) -> Callable[[], Results]:
    """Observe every request, then queue their batches; the function returned collects them."""
    live = [i for i, r in enumerate(requests) if r.a.size]
    parts = parallel.map_all(_observe_request, [requests[i] for i in live])
    plans = _plan(parts, n_resamples)
    ks = [np.diff(o.group_runs) for o in parts]
    drawing = weights.prefetch(np.concatenate(ks), n_resamples, seed) if n_resamples and ks else []
    work = partial(evaluate, parts, n_resamples=n_resamples, confidence=confidence, seed=seed)
    batches = [parallel.submit(work, plan) for plan in plans]

    def collect() -> Results:
        out: list[list[dict[str, Estimate] | None]] = [[None] * r.n_groups for r in requests]
        for (part, members), batch in zip(plans, batches):
            groups = out[live[part]]
            for group, value in zip(members.tolist(), batch.result()):
                groups[group] = value
        for future in drawing:
            future.result()
        return [tuple(e if e is not None else _empty() for e in groups) for groups in out]

    return collect


def _key(request: Request, settings: tuple[object, ...], seen: dict[int, bytes]) -> bytes:
    """A key for a request's content and settings.

    ``seen``: the digests of arrays already hashed in this lookup, by identity. A report's
    requests share their score and question columns (four breakdowns of one sample), so
    each is hashed once: 21 lookups hashed 53 ms of columns, now about a third of that.
    """
    h = hashlib.sha256()  # hardware-assisted here: twice blake2b's speed
    for part in (request.a, request.b, request.clusters, request.groups):
        found = seen.get(id(part))
        if found is None:
            found = seen[id(part)] = _array_digest(part)
        h.update(found)
    h.update(repr((request.n_groups, *settings)).encode())
    return h.digest()


def _array_digest(values: np.ndarray) -> bytes:
    """A digest of an array's type, shape and content."""
    h = hashlib.sha256(str((values.dtype.str, values.shape)).encode())
    h.update(np.ascontiguousarray(values).data)
    return h.digest()


def _empty() -> dict[str, Estimate]:
    """What ``agreement`` returns for no pairs."""
    nan = float("nan")
    return {m: Estimate(0.0 if m == "n" else nan, nan, nan) for m in METRICS}


def _observe_request(r: Request) -> Observations:
    """``observe`` of one request (runs on a worker thread)."""
    return observe(r.a, r.b, r.clusters, r.groups, r.n_groups)


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
