"""The resampled inputs of the grouped engine: weight columns, moment sums and joint tables.

Every group draws what ``grouped.agreement`` draws for it alone: a fresh generator from the
seed over its own questions (``weights.weights``), question ``l`` of a group being its
``l``-th smallest question id. The products with those weights are laid out
``groups x (resamples + 1)``, the last column being the whole sample (weight one each).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

import numpy as np

from mtbench_tui.core.stats import weights
from mtbench_tui.core.stats._arrays import unique_inverse

SMALL_GROUP = 2048
"""Groups with at most this many pairs get float32 tables: their counts, and the products
the rank formulas take of them, stay below 2**24, where float32 is exact."""

COLUMNS_BYTES = 4 * 1024 * 1024
"""Weight matrices kept between batches. Rebuilding one from the cached draws takes about
a millisecond; keeping 12 MB of them put that much more on the app's peak."""

_columns: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class Observations:
    """Paired scores sorted by group, then question, with everything the engine derives once."""

    a_values: np.ndarray
    b_values: np.ndarray
    cell: np.ndarray
    """Each pair's joint-table cell: a-index x len(b_values) + b-index."""
    run_local: np.ndarray
    """Per pair: its question's position among its group's questions."""
    run_sums: np.ndarray
    """Per (group, question) run: the moment sums (FEATURES columns)."""
    group_runs: np.ndarray
    """Per group: its first run and (next entry) the end."""
    group_pairs: np.ndarray
    """Per group: its first pair and (next entry) the end."""

    def questions(self, members: np.ndarray) -> np.ndarray:
        """Each member group's number of questions (k)."""
        return np.asarray(self.group_runs[members + 1] - self.group_runs[members], np.int64)

    def pairs(self, members: np.ndarray) -> np.ndarray:
        """Each member group's number of pairs."""
        return np.asarray(self.group_pairs[members + 1] - self.group_pairs[members], np.int64)


def columns(k: int, n_resamples: int, seed: int) -> np.ndarray:
    """k x (resamples + 1): the bootstrap's weights per question, then all ones (the sample).

    Kept for the batches that follow. With one question there is nothing to resample
    (``grouped.agreement`` gives no interval), so its columns are placeholders.

    Args:
        k: the group's number of questions.
        n_resamples: bootstrap resamples.
        seed: the generator's seed.

    Returns:
        The weights (shared: do not modify).
    """
    key = (k, n_resamples, seed)
    with _lock:
        found = _columns.get(key)
        if found is not None:
            _columns.move_to_end(key)
            return found
    found = np.ones((k, n_resamples + 1))
    _fill(found, n_resamples, seed)
    with _lock:
        _columns[key] = found
        while len(_columns) > 1 and sum(c.nbytes for c in _columns.values()) > COLUMNS_BYTES:
            _columns.popitem(last=False)
    return found


def moment_sums(obs: Observations, members: np.ndarray, n_resamples: int, seed: int) -> np.ndarray:
    """The resampled FEATURES sums of some groups: FEATURES x groups x (resamples + 1).

    Groups with the same number of questions share one matrix product.

    Args:
        obs: the observations.
        members: the groups.
        n_resamples: bootstrap resamples.
        seed: the seed.

    Returns:
        The sums.
    """
    ks = obs.questions(members)
    n_features = obs.run_sums.shape[1]
    out = np.empty((n_features, members.size, n_resamples + 1))
    for k in np.unique(ks):
        mine = np.flatnonzero(ks == k)
        # k x groups x features, laid out as the groups' run sums side by side
        runs = obs.run_sums[obs.group_runs[members[mine]] + np.arange(k)[:, None]]
        drawn = columns(int(k), n_resamples, seed)
        product = drawn.T @ runs.reshape(int(k), mine.size * n_features)
        out[:, mine, :] = product.reshape(n_resamples + 1, mine.size, n_features).transpose(2, 1, 0)
    return out


@dataclass(frozen=True)
class Tables:
    """Joint tables of some groups, each resample: a-values x groups x b-values x columns."""

    counts: np.ndarray
    a_values: np.ndarray
    b_values: np.ndarray


def tables(obs: Observations, members: np.ndarray, n_resamples: int, seed: int) -> Tables:
    """The joint tables of some groups, over the values they use.

    Each pair adds its question's weight column to its cell's row.

    Args:
        obs: the observations.
        members: the groups.
        n_resamples: bootstrap resamples.
        seed: the seed.

    Returns:
        The tables.
    """
    sizes = obs.pairs(members)
    starts = obs.group_pairs[members]
    pairs = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
    n_b = obs.b_values.size
    cells = obs.cell[pairs]
    a_used, ia = unique_inverse(cells // n_b)
    b_used, ib = unique_inverse(cells % n_b)
    position = np.repeat(np.arange(members.size), sizes)
    rows = (ia * members.size + position) * b_used.size + ib
    shape = (a_used.size, members.size, b_used.size)
    n_rows = int(np.prod(shape))
    dtype = np.float32 if sizes.max() <= SMALL_GROUP else np.float64
    values = (obs.a_values[a_used], obs.b_values[b_used])
    if n_resamples == 0:  # point estimates only: each question counts once
        counts = np.bincount(rows, minlength=n_rows).astype(dtype)
        return Tables(counts.reshape(*shape, 1), *values)
    stacked, first = _stack(obs.questions(members), n_resamples, seed, dtype)
    cols = obs.run_local[pairs] + first[position]
    product = _add_rows(rows, cols, stacked, n_rows)
    return Tables(product.reshape(*shape, n_resamples + 1), *values)


DENSE = 0.05
"""Pairs per (table row, question) cell above which the table is one dense product."""

DENSE_CELLS = 2_000_000
"""Largest dense (table row, question) matrix (16 MB of float64)."""


def _add_rows(rows: np.ndarray, cols: np.ndarray, weights_: np.ndarray, n_rows: int) -> np.ndarray:
    """out[r] = the sum of ``weights_[c]`` over every (r, c) given, an n_rows x columns array.

    Large groups (many pairs per question) fill much of the (row, question) matrix: there
    one dense BLAS product beats the sparse one (4x on 100k pairs). The counts and weights
    are whole numbers, so both give the same table.
    """
    n_cols = weights_.shape[0]
    if rows.size >= DENSE * n_rows * n_cols and n_rows * n_cols <= DENSE_CELLS:
        matrix = np.bincount(rows * n_cols + cols, minlength=n_rows * n_cols)
        return np.asarray(matrix.astype(weights_.dtype).reshape(n_rows, n_cols) @ weights_)
    from scipy import sparse

    ones = np.ones(rows.size, dtype=weights_.dtype)
    matrix = sparse.csr_matrix((ones, (rows, cols)), shape=(n_rows, n_cols))
    return np.asarray(matrix @ weights_)


def _stack(
    ks: np.ndarray, n_resamples: int, seed: int, dtype: type
) -> tuple[np.ndarray, np.ndarray]:
    """The weights of each distinct k stacked (questions x columns); each member's first row.

    Filled from the cached draws in the tables' type, with no float64 copy on the way.
    """
    distinct = np.unique(ks)
    offsets = np.concatenate([[0], np.cumsum(distinct)[:-1]])
    first = offsets[np.searchsorted(distinct, ks)]
    if distinct.size == 1 and dtype is np.float64:
        return columns(int(distinct[0]), n_resamples, seed), first
    stacked: np.ndarray = np.ones((int(distinct.sum()), n_resamples + 1), dtype=dtype)
    for k, at in zip(distinct.tolist(), offsets.tolist()):
        _fill(stacked[at : at + k], n_resamples, seed)
    return stacked, first


def _fill(block: np.ndarray, n_resamples: int, seed: int) -> None:
    """Write a k-question block's draws (k x resamples) before its column of ones.

    With one question there is nothing to resample, so the block keeps its ones.
    """
    k = block.shape[0]
    if n_resamples and k > 1:
        block[:, :-1] = weights.counts(k, n_resamples, seed).T
