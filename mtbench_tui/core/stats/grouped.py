"""Every paired agreement metric for many groups at once, each with its cluster bootstrap.

The numbers are those of ``paired.agreement`` run on each group alone: the same draws
(a fresh generator from the same seed, over the group's own questions), the same
formulas. What changes is the arithmetic's shape, so that 500 groups cost about what a
few cost before:

* moment metrics (means, SDs, MAE, Pearson, ICC, quadratic kappa, interval alpha) come
  from per-question sums times the resample weights, one matrix product per group;
* the rank metrics (Spearman, Kendall, ordinal alpha) need each resample's joint table of
  human x judge values; those tables are built for a chunk of groups at once by one sparse
  product, and every formula then runs on the whole chunk;
* Kendall's concordant-minus-discordant pairs is one matrix product and a running sum,
  Spearman's and the ordinal alpha's cross terms one contraction each (ordinal alpha is
  interval alpha on mid-ranks, Krippendorff's own metric).

Counts are exact in floating point, so tables and sums are the same whichever way they are
added up; the formulas match ``paired.metrics`` up to the last bit of a float, far below
the report's six decimals (tests compare both).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from threading import Lock

import numpy as np

from mtbench_tui.core.stats import parallel, weights
from mtbench_tui.core.stats.grouped_metrics import Chunk, chunk_metrics, intervals
from mtbench_tui.core.stats.paired import METRICS, Estimate

CHUNK_ELEMENTS = 1_000_000 // parallel.WORKERS
"""Most table cells (x resamples) evaluated at once, per thread: a few MB per array."""


@dataclass(frozen=True)
class Observations:
    """Paired scores sorted by group, then question, with everything the engine derives once."""

    a_values: np.ndarray
    b_values: np.ndarray
    cell: np.ndarray
    """Each pair's joint-table cell: a-index x len(b_values) + b-index."""
    run_group: np.ndarray
    """Per (group, question) run: its group."""
    run_start: np.ndarray
    run_local: np.ndarray
    """Per pair: its run's position among its group's runs (the question's index in the group)."""
    run_of: np.ndarray
    """Per pair: its run."""
    run_sums: np.ndarray
    """Per run: the moment sums (FEATURES columns)."""
    group_runs: np.ndarray
    """Per group: its first run and (next entry) the end."""
    group_pairs: np.ndarray


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
        Per group, what ``paired.agreement`` returns for that group's pairs alone.
    """
    key = _digest(a, b, clusters, groups, (n_groups, n_resamples, confidence, seed))
    with _lock:
        found = _memo.get(key)
    if found is not None:
        return list(found)
    out: list[dict[str, Estimate]] = [_empty() for _ in range(n_groups)]
    if a.size:
        obs = observe(a, b, clusters, groups, n_groups)
        plans = list(_plan(obs, n_resamples))
        work = partial(_evaluate, obs, n_resamples=n_resamples, confidence=confidence, seed=seed)
        with parallel.one_blas_thread():
            if n_resamples:
                weights.prefetch(np.diff(obs.group_runs), n_resamples, seed)
            for members, results in zip(plans, parallel.map_ordered(work, plans)):
                for position, estimates in enumerate(results):
                    out[int(members[position])] = estimates
    with _lock:
        _memo[key] = tuple(out)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return out


MEMO_SIZE = 16
"""Results kept: the report asks for some samples twice (the summary, the audit)."""

_memo: OrderedDict[bytes, tuple[dict[str, Estimate], ...]] = OrderedDict()
_lock = Lock()


def _digest(*parts: object) -> bytes:
    """A key for the inputs' content."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str((part.dtype.str, part.shape)).encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(repr(part).encode())
    return h.digest()


def _empty() -> dict[str, Estimate]:
    """What ``paired.agreement`` returns for no pairs."""
    nan = float("nan")
    return {m: Estimate(0.0 if m == "n" else nan, nan, nan) for m in METRICS}


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
    a_values, ia = np.unique(a, return_inverse=True)
    b_values, ib = np.unique(b, return_inverse=True)
    _ids, ic = np.unique(clusters, return_inverse=True)
    order = np.lexsort((ic, groups))
    g, c = groups[order], ic[order]
    new_run = np.ones(g.size, bool)
    new_run[1:] = (g[1:] != g[:-1]) | (c[1:] != c[:-1])
    run_start = np.flatnonzero(new_run)
    run_of = np.cumsum(new_run) - 1
    run_group = g[run_start]
    group_runs = np.searchsorted(run_group, np.arange(n_groups + 1))
    run_local = run_of - group_runs[g]
    return Observations(
        a_values=a_values,
        b_values=b_values,
        cell=(ia * b_values.size + ib)[order],
        run_group=run_group,
        run_start=run_start,
        run_local=run_local,
        run_of=run_of,
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


def _plan(obs: Observations, n_resamples: int) -> Iterator[np.ndarray]:
    """Groups in chunks that fit in memory, those with the same number of questions together."""
    k = np.diff(obs.group_runs)
    present = np.flatnonzero(np.diff(obs.group_pairs) > 0)
    order = present[np.argsort(k[present], kind="stable")]
    rows = 1 + n_resamples
    cells = obs.a_values.size * obs.b_values.size
    size = max(1, CHUNK_ELEMENTS // (cells * rows))
    for start in range(0, order.size, size):
        yield order[start : start + size]


def _evaluate(
    obs: Observations, members: np.ndarray, n_resamples: int, confidence: float, seed: int
) -> list[dict[str, Estimate]]:
    """Every metric of a chunk of groups, with intervals (runs on a worker thread)."""
    chunk = _chunk(obs, members, n_resamples, seed)
    return intervals(chunk_metrics(chunk), chunk, confidence)


def _chunk(obs: Observations, members: np.ndarray, n_resamples: int, seed: int) -> Chunk:
    """The resampled sums and joint tables of some groups (the last row: the whole sample)."""
    ks = _ks(obs, members)
    draws = {int(k): _weights(int(k), n_resamples, seed) for k in np.unique(ks)}
    moments = np.empty((len(FEATURES), members.size, n_resamples + 1))
    for k, drawn in draws.items():
        mine = np.flatnonzero(ks == k)
        sums = np.hstack(
            [obs.run_sums[obs.group_runs[g] : obs.group_runs[g + 1]] for g in members[mine]]
        )
        product = (drawn.T @ sums).reshape(n_resamples + 1, mine.size, len(FEATURES))
        moments[:, mine, :] = product.transpose(2, 1, 0)
    spans = [np.arange(obs.group_pairs[g], obs.group_pairs[g + 1]) for g in members]
    pairs = np.concatenate(spans)
    n_b = obs.b_values.size
    # Only the values these groups use: smaller tables, the same sums.
    a_used, ia = np.unique(obs.cell[pairs] // n_b, return_inverse=True)
    b_used, ib = np.unique(obs.cell[pairs] % n_b, return_inverse=True)
    # Small groups' counts (and their products) stay below 2**24: exact in float32, and
    # half the memory traffic for the table formulas.
    small = max(s.size for s in spans) <= SMALL_GROUP
    return Chunk(
        groups=members,
        moments=moments,
        tables=_tables(obs, members, spans, (ia, ib, a_used.size, b_used.size), draws, small),
        a_values=obs.a_values[a_used],
        b_values=obs.b_values[b_used],
        bootstrapped=(ks > 1) & (n_resamples > 0),
    )


def _ks(obs: Observations, members: np.ndarray) -> np.ndarray:
    """Each member group's number of questions."""
    return np.asarray(obs.group_runs[members + 1] - obs.group_runs[members], dtype=np.int64)


def _k(obs: Observations, group: int | np.integer) -> int:
    """One group's number of questions."""
    return int(obs.group_runs[group + 1] - obs.group_runs[group])


def _weights(k: int, n_resamples: int, seed: int) -> np.ndarray:
    """k x (resamples + 1): the bootstrap's weights per question, then all ones (the sample).

    Kept for the chunks that follow (groups are sorted by k). With one question there is
    nothing to resample (``paired.agreement`` gives no interval), so its columns are
    placeholders.
    """
    key = (k, n_resamples, seed)
    with _lock:
        found = _columns.get(key)
        if found is not None:
            _columns.move_to_end(key)
            return found
    drawn = weights.weights(k, n_resamples, seed) if n_resamples and k > 1 else None
    if drawn is None:
        drawn = np.ones((n_resamples, k))
    found = np.ascontiguousarray(np.vstack([drawn, np.ones((1, k))]).T)
    with _lock:
        _columns[key] = found
        while len(_columns) > 1 and sum(c.nbytes for c in _columns.values()) > COLUMNS_BYTES:
            _columns.popitem(last=False)
    return found


COLUMNS_BYTES = 12 * 1024 * 1024
"""Transposed weight matrices kept between chunks (groups come sorted by k)."""

SMALL_GROUP = 2048
"""Groups with at most this many pairs get float32 tables (their sums stay exact)."""

_columns: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()


def _tables(
    obs: Observations,
    members: np.ndarray,
    spans: list[np.ndarray],
    codes: tuple[np.ndarray, np.ndarray, int, int],
    draws: dict[int, np.ndarray],
    small: bool,
) -> np.ndarray:
    """Joint tables of each member, each resample: a x members x b x (resamples + 1).

    One sparse product: each pair adds its question's weight column to its cell's row.
    """
    ia, ib, n_a, n_b = codes
    position = np.repeat(np.arange(members.size), [s.size for s in spans])
    rows = (ia * members.size + position) * n_b + ib
    n_rows = n_a * members.size * n_b
    dtype = np.float32 if small else np.float64
    columns = next(iter(draws.values())).shape[1]
    if columns == 1:  # point estimates only: each question counts once
        counts = np.bincount(rows, minlength=n_rows).astype(dtype)
        return counts.reshape(n_a, members.size, n_b, 1)
    from scipy import sparse

    stacked, offsets = _stack_columns(draws, members, obs, dtype)
    cols = obs.run_local[np.concatenate(spans)] + offsets[position]
    ones = np.ones(rows.size, dtype=dtype)
    matrix = sparse.csr_matrix((ones, (rows, cols)), shape=(n_rows, stacked.shape[0]))
    product = np.asarray(matrix @ stacked)
    return product.reshape(n_a, members.size, n_b, columns)


def _stack_columns(
    draws: dict[int, np.ndarray], members: np.ndarray, obs: Observations, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    """The weights of each distinct k (questions x columns), stacked; each member's first row."""
    order = sorted(draws)
    start, first = 0, {}
    for k in order:
        first[k] = start
        start += k
    parts: list[np.ndarray] = [draws[k].astype(dtype, copy=False) for k in order]
    stacked = parts[0] if len(parts) == 1 else np.vstack(parts)
    return stacked, np.array([first[_k(obs, g)] for g in members])
