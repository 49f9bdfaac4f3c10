"""One batch of the grouped engine: its observations, then every metric of its groups.

``grouped`` plans the batches and shares them out on the threads; what each batch computes
is here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtbench_tui.core.stats._arrays import unique_inverse
from mtbench_tui.core.stats.grouped_metrics import (
    Arrays,
    intervals,
    moment_metrics,
    rank_metrics,
)
from mtbench_tui.core.stats.grouped_tables import Observations, moment_sums, tables
from mtbench_tui.core.stats.paired import Estimate

TABLE_ELEMENTS = 1_000_000
"""Most table cells (x resamples) built at once per thread: a few MB, which stay in cache
while the rank formulas go over them."""


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


def evaluate(
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
