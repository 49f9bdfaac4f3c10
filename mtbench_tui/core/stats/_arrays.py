"""Input shared by the metrics: sequences or arrays in, paired floats out, NaN = missing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ArrayLike = Sequence[float] | np.ndarray


def as_float(values: ArrayLike) -> np.ndarray:
    """A 1-D float array; None becomes NaN."""
    arr = np.asarray(
        [np.nan if v is None else v for v in values]
        if isinstance(values, (list, tuple))
        else values,
        dtype=float,
    )
    if arr.ndim != 1:
        raise ValueError(f"expected a 1-D sequence, got shape {arr.shape}")
    return arr


def paired(a: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Two equal-length arrays with every pair that has a missing side removed."""
    x, y = as_float(a), as_float(b)
    if x.shape != y.shape:
        raise ValueError(f"a and b differ in length: {x.size} vs {y.size}")
    keep = ~(np.isnan(x) | np.isnan(y))
    return x[keep], y[keep]


def label_index(values: np.ndarray, labels: Sequence[float]) -> np.ndarray:
    """Each value's position in ``labels``.

    Raises:
        ValueError: a value is not one of the labels.
    """
    lookup = {float(label): i for i, label in enumerate(labels)}
    try:
        return np.fromiter((lookup[float(v)] for v in values), dtype=int, count=values.size)
    except KeyError as exc:
        raise ValueError(f"value {exc.args[0]} is not among the labels {list(labels)}") from None


def confusion(a: np.ndarray, b: np.ndarray, labels: Sequence[float]) -> np.ndarray:
    """The k x k table of counts: rows are a's label, columns b's."""
    k = len(labels)
    ia, ib = label_index(a, labels), label_index(b, labels)
    return np.bincount(ia * k + ib, minlength=k * k).reshape(k, k).astype(float)


def default_labels(a: np.ndarray, b: np.ndarray, labels: Sequence[float] | None) -> list[float]:
    """The declared labels, else every value observed in either rater, sorted."""
    if labels is not None:
        return [float(x) for x in labels]
    return sorted(set(a.tolist()) | set(b.tolist()))
