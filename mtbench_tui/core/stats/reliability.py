"""Reliability across raters: Krippendorff's alpha (krippendorff package), Shrout-Fleiss ICCs."""

from __future__ import annotations

from typing import Literal, cast

import numpy as np

from mtbench_tui.core.stats._arrays import ArrayLike

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS = ("nominal", "ordinal", "interval", "ratio")
ICC_FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")


def krippendorff_alpha(data: ArrayLike, level: str = "interval") -> float:
    """Krippendorff's alpha for any number of raters, with missing values.

    Args:
        data: raters x items; NaN where a rater did not rate an item.
        level: "nominal", "ordinal" (Krippendorff's own rank-based metric), "interval" or "ratio".

    Returns:
        Alpha; NaN when there is too little data (fewer than two pairable values, or no variation).
    """
    import krippendorff

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    matrix = np.asarray(data, dtype=float)
    if matrix.ndim != 2:
        raise ValueError("data must be raters x items")
    pairable = (~np.isnan(matrix)).sum(0) >= 2
    matrix = matrix[:, pairable]
    values = matrix[~np.isnan(matrix)]
    if values.size < 2 or np.unique(values).size < 2:
        return float("nan")
    # level was checked against LEVELS above: one of the literals krippendorff accepts.
    checked = cast(Level, level)
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=checked))


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
