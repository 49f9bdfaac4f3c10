"""Number formatting shared by every human-readable report, so all show the same digits."""

from __future__ import annotations

from mtbench_tui.core.analysis.findings import AuditFinding, NoVerdict
from mtbench_tui.core.analysis.metrics import Format, Metric
from mtbench_tui.core.analysis.model import AgreementCell, MetricValues
from mtbench_tui.core.analysis.numbers import NO_INTERVAL, Estimate, Interval

DASH = "–"
"""Shown where there is no value."""


def number(value: float | None, digits: int = 3) -> str:
    """A number to fixed digits, or an en dash.

    Args:
        value: the number.
        digits: decimals.

    Returns:
        The text.
    """
    return DASH if value is None else f"{value:.{digits}f}"


def interval(ci: Interval | None) -> str:
    """'[0.770, 0.851]', or '' when there is no interval."""
    if ci is None or ci.low is None:
        return ""
    return f"[{number(ci.low)}, {number(ci.high)}]"


def estimate(e: Estimate | None) -> str:
    """'0.812 [0.770, 0.851]', the value alone without an interval, or a dash.

    Args:
        e: the estimate.

    Returns:
        The text.
    """
    if e is None or e.value is None:
        return DASH
    ci = interval(e.ci)
    return f"{number(e.value)} {ci}" if ci else number(e.value)


def metric_value(metric: Metric, values: MetricValues) -> str:
    """A metric of a comparison as the registry says to write it.

    Args:
        metric: the registry entry.
        values: the comparison's metrics.

    Returns:
        The text.
    """
    if metric.fmt is Format.COUNT:
        return str(values.n)
    return estimate(values[metric])


def rate(cell: AgreementCell) -> str:
    """'0.962 [0.939, 0.984] (181/188)'.

    Args:
        cell: an agreement cell.

    Returns:
        The text, or a dash when there were no trials.
    """
    if cell.rate.value is None:
        return DASH
    return f"{estimate(cell.rate)} ({cell.agree}/{cell.total})"


def effect(finding: AuditFinding) -> str:
    """An audit finding's effect with its interval.

    Args:
        finding: the finding.

    Returns:
        The text.
    """
    return estimate(Estimate(finding.effect, finding.ci or NO_INTERVAL))


def no_verdict_rate(r: NoVerdict) -> str:
    """A no-verdict rate with its Wilson interval.

    Args:
        r: the no-verdict finding.

    Returns:
        The text.
    """
    return estimate(Estimate(r.rate, r.ci or NO_INTERVAL))


def p_value(p: float | None) -> str:
    """A p-value to 3 significant figures.

    Args:
        p: the p-value.

    Returns:
        The text, or a dash.
    """
    return DASH if p is None else f"{p:.3g}"
