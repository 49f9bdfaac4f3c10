"""Number formatting shared by every human-readable report, so all show the same digits."""

from __future__ import annotations

from typing import Any

METRIC_LABELS: dict[str, str] = {
    "n": "n",
    "exact": "Exact agreement",
    "within_1": "Within ±1",
    "mae": "Mean absolute error",
    "mean_diff": "Mean difference (judge − human)",
    "sd_diff": "SD of differences",
    "ba_lower": "Bland–Altman lower limit",
    "ba_upper": "Bland–Altman upper limit",
    "mean_a": "Mean human score",
    "mean_b": "Mean judge score",
    "sd_a": "SD human",
    "sd_b": "SD judge",
    "sd_ratio": "SD ratio (judge / human)",
    "pearson": "Pearson r",
    "spearman": "Spearman ρ",
    "kendall_tau_b": "Kendall τ-b",
    "kappa_quadratic": "Cohen's κ (quadratic, 1–10)",
    "alpha_interval": "Krippendorff's α (interval)",
    "alpha_ordinal": "Krippendorff's α (ordinal)",
    "icc_2_1": "ICC(2,1)",
}
"""Display names of the metrics in reports."""

REPORT_METRICS = (
    "n",
    "exact",
    "within_1",
    "mae",
    "mean_diff",
    "ba_lower",
    "ba_upper",
    "pearson",
    "spearman",
    "kendall_tau_b",
    "kappa_quadratic",
    "alpha_interval",
    "alpha_ordinal",
    "icc_2_1",
    "sd_ratio",
)
"""The metrics a report's main table shows, in order."""

BRIEF_METRICS = ("n", "exact", "within_1", "mae", "mean_diff", "spearman", "kappa_quadratic")
"""The metrics shown per breakdown group."""


def number(value: float | None, digits: int = 3) -> str:
    """A number to fixed digits, or an en dash."""
    return "–" if value is None else f"{value:.{digits}f}"


def estimate(metric: str, value: Any) -> str:
    """'0.812 [0.770, 0.851]', or an integer for n."""
    if metric == "n" or isinstance(value, int):
        return str(value)
    if not value or value.get("value") is None:
        return "–"
    low, high = value["ci"]
    text = number(value["value"])
    return text if low is None else f"{text} [{number(low)}, {number(high)}]"


def rate(r: dict[str, Any]) -> str:
    """'0.962 [0.939, 0.984] (181/188)'."""
    if r["rate"] is None:
        return "–"
    ci = "" if r["ci"][0] is None else f" [{number(r['ci'][0])}, {number(r['ci'][1])}]"
    return f"{number(r['rate'])}{ci} ({r['agree']}/{r['total']})"


def effect(item: dict[str, Any]) -> str:
    """An audit finding's effect with its interval."""
    if item["effect"] is None:
        return "–"
    text = number(item["effect"])
    if item["ci"] and item["ci"][0] is not None:
        text += f" [{number(item['ci'][0])}, {number(item['ci'][1])}]"
    return text


def p_value(p: float | None) -> str:
    """A p-value to 3 significant figures."""
    return "–" if p is None else f"{p:.3g}"
