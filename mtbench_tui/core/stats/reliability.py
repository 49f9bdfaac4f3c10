"""Reliability across raters: Krippendorff's alpha (from coincidences), Shrout-Fleiss ICCs."""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.stats._arrays import ArrayLike

LEVELS = ("nominal", "ordinal", "interval", "ratio")
ICC_FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


def krippendorff_alpha(data: ArrayLike, level: str = "interval") -> float:
    """Krippendorff's alpha for any number of raters, with missing values.

    Computed from the coincidences of values within each item, never from a table over all
    items, so memory grows with the number of ratings (100k pairs: a few MB). The
    ``krippendorff`` package gives the same values (checked in tests).

    Args:
        data: raters x items; NaN where a rater did not rate an item.
        level: "nominal", "ordinal" (Krippendorff's own rank-based metric), "interval" or "ratio".

    Returns:
        Alpha; NaN when there is too little data (fewer than two pairable values, or no variation).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    matrix = np.asarray(data, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("data must be raters x items")
    rated = ~np.isnan(matrix)
    pairable = rated.sum(0) >= 2
    item = np.nonzero(rated & pairable[None, :])[1]
    values = matrix[rated & pairable[None, :]]
    if values.size < 2 or np.unique(values).size < 2:
        return float("nan")
    domain, code = np.unique(values, return_inverse=True)
    totals = np.bincount(code, minlength=domain.size).astype(float)
    position = _positions(domain, totals, level)
    observed = _observed(item, code, position, domain, level)
    expected = _expected(totals, position, domain, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(1 - (totals.sum() - 1) * observed / expected)


def _positions(domain: np.ndarray, totals: np.ndarray, level: str) -> np.ndarray:
    """Each value's coordinate, for the metrics that are squared differences of coordinates.

    Ordinal: Krippendorff's distance between values c <= k, (sum of n_g for c <= g <= k,
    minus half of n_c and n_k) squared, is the squared difference of the mid-points
    (count below) + n / 2.
    """
    if level == "ordinal":
        return np.cumsum(totals) - totals / 2
    return domain


def _unit_counts(item: np.ndarray, code: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """Per (item, value): the item, the value and how many raters gave it; and m per item."""
    keys, counts = np.unique(item.astype(np.int64) * size + code, return_counts=True)
    unit, value = keys // size, keys % size
    raters = np.bincount(item)
    return unit, value, counts.astype(float), raters[unit].astype(float)


def _observed(
    item: np.ndarray, code: np.ndarray, position: np.ndarray, domain: np.ndarray, level: str
) -> float:
    """Sum of coincidences times the distance: every pair of values within an item, each
    weighed 1 / (m - 1) for an item rated m times."""
    unit, value, count, m = _unit_counts(item, code, domain.size)
    if level == "nominal":
        # Pairs of different values: m^2 - sum of count^2, per item.
        squares = np.bincount(unit, weights=count**2)
        raters = np.bincount(unit, weights=count)
        has = raters > 0
        return float(((raters[has] ** 2 - squares[has]) / (raters[has] - 1)).sum())
    if level == "ratio":
        return _observed_ratio(unit, value, count, m, domain)
    # Squared differences: sum_ij (x_i - x_j)^2 = 2 m sum x^2 - 2 (sum x)^2, per item.
    x = position[value]
    s1 = np.bincount(unit, weights=count * x)
    s2 = np.bincount(unit, weights=count * x**2)
    raters = np.bincount(unit, weights=count)
    has = raters > 0
    return float(((2 * raters[has] * s2[has] - 2 * s1[has] ** 2) / (raters[has] - 1)).sum())


def _observed_ratio(
    unit: np.ndarray, value: np.ndarray, count: np.ndarray, m: np.ndarray, domain: np.ndarray
) -> float:
    """The ratio metric's coincidences: every pair of distinct values within an item."""
    starts = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]])
    sizes = np.diff(np.r_[starts, unit.size])
    total = 0.0
    for width in np.unique(sizes[sizes > 1]):
        first = starts[sizes == width]
        block = first[:, None] + np.arange(width)[None, :]  # entries of items with this width
        v, c = domain[value[block]], count[block]
        diff = (v[:, :, None] - v[:, None, :]) / (v[:, :, None] + v[:, None, :])
        pair = c[:, :, None] * c[:, None, :] * np.nan_to_num(diff) ** 2
        total += float((pair.sum((1, 2)) / (m[first] - 1)).sum())
    return total


def _expected(totals: np.ndarray, position: np.ndarray, domain: np.ndarray, level: str) -> float:
    """Sum over every pair of values n_c n_k times their distance."""
    n = totals.sum()
    if level == "nominal":
        return float(n**2 - (totals**2).sum())
    if level == "ratio":
        out = 0.0
        for start in range(0, domain.size, 1024):  # bounded memory for many distinct values
            v = domain[start : start + 1024, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                d = np.nan_to_num(((v - domain[None, :]) / (v + domain[None, :])) ** 2)
            out += float(totals[start : start + 1024] @ d @ totals)
        return out
    s1, s2 = totals @ position, totals @ position**2
    return float(2 * n * s2 - 2 * s1**2)


def icc_components(ratings: ArrayLike) -> dict[str, float]:
    """Two-way ANOVA mean squares for items x raters (rows with a missing value are dropped)."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2:
        raise ValueError("ratings must be items x raters")
    x = x[~np.isnan(x).any(1)]
    n, k = x.shape
    grand = x.mean()
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((x.mean(1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(0) - grand) ** 2).sum()
    ss_error = ss_total - ss_rows - ss_cols
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "n": n,
            "k": k,
            "msr": ss_rows / (n - 1),
            "msc": ss_cols / (k - 1),
            "mse": ss_error / ((n - 1) * (k - 1)),
            "msw": (ss_total - ss_rows) / (n * (k - 1)),
        }


def icc(ratings: ArrayLike, form: str = "ICC2") -> float:
    """An intraclass correlation in Shrout & Fleiss (1979) form.

    Args:
        ratings: items x raters (every rater rates every item; incomplete rows are dropped).
        form: ICC1 (one-way random), ICC2 (two-way random, absolute agreement), ICC3
            (two-way mixed, consistency), or their k-rater averages ICC1k, ICC2k, ICC3k.

    Returns:
        The ICC; NaN when undefined.
    """
    if form not in ICC_FORMS:
        raise ValueError(f"form must be one of {ICC_FORMS}, got {form!r}")
    c = icc_components(ratings)
    n, k, msr, msc, mse, msw = c["n"], c["k"], c["msr"], c["msc"], c["mse"], c["msw"]
    if n < 2 or k < 2:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = {
            "ICC1": (msr - msw) / (msr + (k - 1) * msw),
            "ICC2": (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n),
            "ICC3": (msr - mse) / (msr + (k - 1) * mse),
            "ICC1k": (msr - msw) / msr,
            "ICC2k": (msr - mse) / (msr + (msc - mse) / n),
            "ICC3k": (msr - mse) / msr,
        }[form]
    return float(value)


def icc_interval(
    ratings: ArrayLike, form: str = "ICC2", confidence: float = 0.95
) -> tuple[float, float]:
    """The F-distribution confidence interval of an ICC (Shrout & Fleiss 1979; McGraw & Wong 1996).

    ICC2's interval uses Satterthwaite's approximate degrees of freedom; the k-rater forms
    follow from their single-rater bounds.

    Args:
        ratings: items x raters.
        form: one of ICC_FORMS.
        confidence: interval coverage.

    Returns:
        (lower, upper).
    """
    from scipy.stats import f as f_dist

    if form not in ICC_FORMS:
        raise ValueError(f"form must be one of {ICC_FORMS}, got {form!r}")
    c = icc_components(ratings)
    n, k, msr, msc, mse, msw = c["n"], c["k"], c["msr"], c["msc"], c["mse"], c["msw"]
    q = 1 - (1 - confidence) / 2
    base = form.rstrip("k")
    if base == "ICC2":
        lo, hi = _icc2_interval(n, k, msr, msc, mse, icc(ratings, "ICC2"), q)
        if form == "ICC2k":
            return lo * k / (1 + lo * (k - 1)), hi * k / (1 + hi * (k - 1))
        return lo, hi
    within, df2 = (msw, n * (k - 1)) if base == "ICC1" else (mse, (n - 1) * (k - 1))
    f_obs = msr / within
    f_low = f_obs / f_dist.ppf(q, n - 1, df2)
    f_high = f_obs * f_dist.ppf(q, df2, n - 1)
    if form.endswith("k"):
        return float(1 - 1 / f_low), float(1 - 1 / f_high)
    return float((f_low - 1) / (f_low + k - 1)), float((f_high - 1) / (f_high + k - 1))


def _icc2_interval(
    n: float, k: float, msr: float, msc: float, mse: float, rho: float, q: float
) -> tuple[float, float]:
    """ICC(2,1) interval with Satterthwaite's degrees of freedom."""
    from scipy.stats import f as f_dist

    a = k * rho / (n * (1 - rho))
    b = 1 + k * rho * (n - 1) / (n * (1 - rho))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
    f_low, f_high = f_dist.ppf(q, n - 1, v), f_dist.ppf(q, v, n - 1)
    spread = k * msc + (k * n - k - n) * mse
    lower = n * (msr - f_low * mse) / (f_low * spread + n * msr)
    upper = n * (f_high * msr - mse) / (spread + n * f_high * msr)
    return float(lower), float(upper)
