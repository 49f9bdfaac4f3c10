"""The cluster-bootstrap draws: how often each of k clusters is drawn, per resample, cached.

Every bootstrap in the report starts a fresh generator from the same seed, so two samples
with the same number of clusters draw the same weights. Drawing them is the costly part of
a resample (a multinomial per resample), so they are drawn once per (k, resamples, seed)
and kept compactly; the products with them are the same as drawing afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from threading import Lock

import numpy as np

BATCH = 250
"""Resamples drawn per multinomial call (what ``bootstrap.resampled_sums`` always did)."""

CACHE_BYTES = 48 * 1024 * 1024
"""Most bytes of cached draws kept (as uint8/uint16 counts)."""

_cache: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()
_drawing: dict[tuple[int, int, int], Lock] = {}
_size = 0
_lock = Lock()


def draw(clusters: int, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Draw resample weights from ``rng`` exactly as the bootstrap always has.

    Args:
        clusters: how many clusters (k).
        n_resamples: how many resamples.
        rng: the generator (advanced by the draws).

    Returns:
        resamples x k integer counts.
    """
    pvals = np.full(clusters, 1 / clusters)
    parts = [np.empty((0, clusters), dtype=np.int64)]
    for start in range(0, n_resamples, BATCH):
        size = min(BATCH, n_resamples - start)
        parts.append(rng.multinomial(clusters, pvals, size=size))
    return np.concatenate(parts)


def weights(clusters: int, n_resamples: int, seed: int | None) -> np.ndarray:
    """The weights a fresh ``default_rng(seed)`` draws for k clusters, as float64.

    Args:
        clusters: how many clusters (k).
        n_resamples: how many resamples.
        seed: the generator's seed (None: fresh entropy, never cached).

    Returns:
        resamples x k float counts (a new array the caller may keep).
    """
    if seed is None:
        return draw(clusters, n_resamples, np.random.default_rng()).astype(float)
    return _counts(clusters, n_resamples, seed).astype(float)


def counts(clusters: int, n_resamples: int, seed: int) -> np.ndarray:
    """The cached draws for k clusters, as small unsigned integers (shared: do not modify).

    Args:
        clusters: how many clusters (k).
        n_resamples: how many resamples.
        seed: the generator's seed.

    Returns:
        resamples x k counts.
    """
    return _counts(clusters, n_resamples, seed)


def prefetch(sizes: Iterable[int], n_resamples: int, seed: int) -> list[Future[np.ndarray]]:
    """Queue the draws of several cluster counts on the threads, before the work that needs them.

    Args:
        sizes: cluster counts (k) that will be bootstrapped.
        n_resamples: how many resamples.
        seed: the generator's seed.

    Returns:
        The draws' futures (wait on them to see their errors).
    """
    from mtbench_tui.core.stats import parallel

    wanted = sorted({int(k) for k in sizes if k > 1}, reverse=True)
    return [parallel.submit(_draw, (k, n_resamples, seed)) for k in wanted]


def _draw(key: tuple[int, int, int]) -> np.ndarray:
    """``_counts`` of one (k, resamples, seed), as the pool calls it."""
    return _counts(*key)


def _counts(clusters: int, n_resamples: int, seed: int) -> np.ndarray:
    """The cached counts for k clusters; drawn once even when two threads ask at once."""
    key = (clusters, n_resamples, seed)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
        busy = _drawing.get(key)
        if busy is None:
            busy = _drawing[key] = Lock()
    with busy:  # a second thread waits here for the first one's draw
        with _lock:
            found = _cache.get(key)
        if found is None:
            found = _store(key, draw(clusters, n_resamples, np.random.default_rng(seed)))
    with _lock:
        _drawing.pop(key, None)
    return found


def _store(key: tuple[int, int, int], counts: np.ndarray) -> np.ndarray:
    """Keep counts in the smallest unsigned type that holds them, evicting the oldest."""
    global _size
    small = counts.astype(np.uint8 if counts.max(initial=0) < 256 else np.uint16)
    with _lock:
        if key not in _cache:
            _cache[key] = small
            _size += small.nbytes
        while _size > CACHE_BYTES and len(_cache) > 1:
            _key, old = _cache.popitem(last=False)
            _size -= old.nbytes
    return small


def clear() -> None:
    """Forget every cached draw (tests and benchmarks)."""
    global _size
    with _lock:
        _cache.clear()
        _size = 0
