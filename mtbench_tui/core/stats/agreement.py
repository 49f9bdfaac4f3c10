"""Chance-corrected agreement between two raters, and Fleiss' kappa for many."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np

from mtbench_tui.core.stats._arrays import ArrayLike, confusion, default_labels, paired


def percent_agreement(a: ArrayLike, b: ArrayLike, tolerance: float = 0) -> float:
    """Share of paired ratings that differ by at most ``tolerance`` (0 = exact agreement).

    Args:
        a: one rater's scores (NaN = missing).
        b: the other rater's scores, aligned with ``a``.
        tolerance: the largest difference still counted as agreement.

    Returns:
        A proportion in [0, 1]; NaN when no pair is complete.
    """
    x, y = paired(a, b)
    if x.size == 0:
        return float("nan")
    return float(np.mean(np.abs(x - y) <= tolerance + 1e-9))


def disagreement_weights(k: int, weights: str | None) -> np.ndarray:
    """Cohen's disagreement weights on label positions: 0/1, |i-j| or (i-j)^2."""
    i, j = np.indices((k, k))
    if weights is None:
        return np.asarray(i != j, dtype=np.float64)
    if weights == "linear":
        return np.asarray(np.abs(i - j), dtype=np.float64)
    if weights == "quadratic":
        return np.asarray((i - j) ** 2, dtype=np.float64)
    raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")


def kappa_from_table(table: np.ndarray, weights: str | None = None) -> float:
    """Cohen's (weighted) kappa from a square contingency table."""
    table = np.asarray(table, dtype=float)
    n = table.sum()
    if n == 0:
        return float("nan")
    w = disagreement_weights(table.shape[0], weights)
    expected = np.outer(table.sum(1), table.sum(0)) / n
    denominator = (w * expected).sum()
    if denominator == 0:
        return float("nan")
    return float(1 - (w * table).sum() / denominator)


def cohen_kappa(
    a: ArrayLike, b: ArrayLike, weights: str | None = None, labels: Sequence[float] | None = None
) -> float:
    """Cohen's kappa, unweighted or with linear / quadratic weights.

    Args:
        a: one rater's labels (NaN = missing).
        b: the other rater's labels.
        weights: None, "linear" or "quadratic".
        labels: the declared categories in order. Weighted kappa depends on them: for
            1-10 scores pass ``range(1, 11)``, not just the values that happen to occur.

    Returns:
        Kappa; NaN when undefined (no pairs, or no expected disagreement).
    """
    x, y = paired(a, b)
    return kappa_from_table(confusion(x, y, default_labels(x, y, labels)), weights)


def _pooled_shares(table: np.ndarray) -> np.ndarray:
    """Each category's share of all 2n ratings (both raters pooled)."""
    n = table.sum()
    return np.asarray((table.sum(0) + table.sum(1)) / (2 * n), dtype=np.float64)


def scotts_pi(
    a: ArrayLike, b: ArrayLike, labels: Sequence[float] | None = None, weights: str | None = None
) -> float:
    """Scott's pi: chance agreement from the raters' pooled category shares.

    Args:
        a: one rater's labels (NaN = missing).
        b: the other rater's labels.
        labels: the categories in order (default: those observed).
        weights: None, or "linear" / "quadratic" for partial credit on an ordered scale.

    Returns:
        Pi; NaN when undefined.
    """
    x, y = paired(a, b)
    table = confusion(x, y, default_labels(x, y, labels))
    n = table.sum()
    if n == 0:
        return float("nan")
    w = agreement_weights(table.shape[0], weights)
    shares = _pooled_shares(table)
    p_o = float((w * table).sum() / n)
    p_e = float(shares @ w @ shares)
    return (p_o - p_e) / (1 - p_e) if p_e < 1 else float("nan")


def brennan_prediger(a: ArrayLike, b: ArrayLike, labels: Sequence[float] | None = None) -> float:
    """Brennan and Prediger's coefficient: chance agreement taken as 1/q for q categories.

    Args:
        a: one rater's labels (NaN = missing).
        b: the other rater's labels.
        labels: the categories (default: those observed).

    Returns:
        The coefficient; NaN when undefined.
    """
    x, y = paired(a, b)
    table = confusion(x, y, default_labels(x, y, labels))
    n, q = table.sum(), table.shape[0]
    if n == 0 or q < 2:
        return float("nan")
    return float((np.trace(table) / n - 1 / q) / (1 - 1 / q))


def gwet_ac1(a: ArrayLike, b: ArrayLike, labels: Sequence[float] | None = None) -> float:
    """Gwet's AC1, which stays stable when one category dominates (unlike kappa).

    Args:
        a: one rater's labels (NaN = missing).
        b: the other rater's labels.
        labels: the categories; AC1 depends on how many there are (default: those observed).

    Returns:
        AC1; NaN when undefined.
    """
    return gwet_ac2(a, b, weights=None, labels=labels)


def agreement_weights(k: int, weights: str | None) -> np.ndarray:
    """Gwet's agreement weights on label positions: identity, linear or quadratic."""
    if k == 1:
        return np.ones((1, 1))
    i, j = np.indices((k, k))
    if weights is None:
        return np.asarray(i == j, dtype=np.float64)
    if weights == "linear":
        return np.asarray(1 - np.abs(i - j) / (k - 1), dtype=np.float64)
    if weights == "quadratic":
        return np.asarray(1 - ((i - j) / (k - 1)) ** 2, dtype=np.float64)
    raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")


def gwet_ac2(
    a: ArrayLike,
    b: ArrayLike,
    weights: str | None = "linear",
    labels: Sequence[float] | None = None,
) -> float:
    """Gwet's AC2: AC1 with partial credit for near misses on an ordered scale.

    Args:
        a: one rater's labels (NaN = missing).
        b: the other rater's labels.
        weights: "linear" or "quadratic" (None gives AC1).
        labels: the categories in order (default: those observed).

    Returns:
        AC2; NaN when undefined.
    """
    x, y = paired(a, b)
    table = confusion(x, y, default_labels(x, y, labels))
    n, k = table.sum(), table.shape[0]
    if n == 0 or k < 2:
        return float("nan")
    w = agreement_weights(k, weights)
    p_a = float((w * table).sum() / n)
    shares = _pooled_shares(table)
    p_e = float(w.sum() / (k * (k - 1)) * (shares * (1 - shares)).sum())
    return (p_a - p_e) / (1 - p_e) if p_e < 1 else float("nan")


def fleiss_components(counts: ArrayLike) -> dict[str, object]:
    """Fleiss' ingredients: per-item agreement P_i, category shares p_j, their means and kappa.

    Args:
        counts: items x categories; cell = how many raters put the item in the category.
            Items may have different numbers of raters (items with fewer than 2 are skipped).

    Returns:
        ``P_i``, ``p_j``, ``P_bar``, ``P_e_bar`` and ``kappa``.
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2:
        raise ValueError("counts must be a 2-D items x categories table")
    raters = table.sum(1)
    table, raters = table[raters >= 2], raters[raters >= 2]
    if table.size == 0:
        nan = float("nan")
        return {"P_i": [], "p_j": [], "P_bar": nan, "P_e_bar": nan, "kappa": nan}
    per_item = ((table**2).sum(1) - raters) / (raters * (raters - 1))
    shares = table.sum(0) / raters.sum()
    p_bar, p_e = float(per_item.mean()), float((shares**2).sum())
    kappa = (p_bar - p_e) / (1 - p_e) if p_e < 1 else float("nan")
    return {
        "P_i": per_item.tolist(),
        "p_j": shares.tolist(),
        "P_bar": p_bar,
        "P_e_bar": p_e,
        "kappa": kappa,
    }


def fleiss_kappa(counts: ArrayLike) -> float:
    """Fleiss' kappa for many raters.

    Args:
        counts: items x categories; cell = how many raters put the item in the category.
            Items may have different numbers of raters (each needs at least 2).

    Returns:
        Kappa; NaN when undefined.
    """
    return float(cast(float, fleiss_components(counts)["kappa"]))
