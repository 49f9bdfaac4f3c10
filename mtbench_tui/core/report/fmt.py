"""Number formatting shared by every human-readable report, so all show the same digits."""

from __future__ import annotations

from mtbench_tui.core.analysis.findings import AuditFinding, NoVerdict
from mtbench_tui.core.analysis.metrics import Format, Metric
from mtbench_tui.core.analysis.model import AgreementCell, MetricValues
from mtbench_tui.core.analysis.numbers import NO_INTERVAL, Estimate, Interval
from mtbench_tui.core.analysis.significance import MIN_QUESTIONS, Call, p_text

DASH = "–"
"""Shown where there is no value."""

AUDIT_KEY = (
    "⚑ flagged: the 95% interval excludes 'no effect' and rests on at least "
    f"{MIN_QUESTIONS} questions. ? too few questions to tell. The interval decides; "
    "p-values are from each check's classical test."
)
"""What the audit's markers mean, under every audit table of a report."""


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


def rate(cell: AgreementCell, short: bool = False) -> str:
    """'0.962 [0.939, 0.984] (181/188, 16 questions)', with κ and the random baseline if known.

    Args:
        cell: an agreement cell.
        short: write 'q' for questions (terminal tables).

    Returns:
        The text, or a dash when there were no trials.
    """
    if cell.rate.value is None:
        return DASH
    counts = f"{cell.agree}/{cell.total}"
    if cell.n_questions is not None:
        counts += f", {questions(cell.n_questions, short)}"
    text = f"{estimate(cell.rate)} ({counts})"
    if cell.baseline is not None:
        text += f", random {number(cell.baseline)}"
    if cell.kappa is not None:
        text += f", κ {estimate(cell.kappa)}"
    return text


def questions(n: int, short: bool = False) -> str:
    """'16 questions' ('16 q' when short).

    Args:
        n: how many questions.
        short: the terminal's short form.

    Returns:
        The text.
    """
    if short:
        return f"{n} q"
    return f"{n} question" if n == 1 else f"{n} questions"


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
    """A p-value to 3 significant figures, '< 0.001' below that (as in every message).

    Args:
        p: the p-value.

    Returns:
        The text, or a dash.
    """
    return DASH if p is None else p_text(p)


def flag(status: Call) -> str:
    """The audit's marker: ⚑ flagged, '?' too few questions to tell, else nothing.

    Args:
        status: the finding's status.

    Returns:
        The marker.
    """
    return {Call.FLAGGED: "⚑", Call.TOO_FEW: "?"}.get(status, "")


def score_text(score: float | None) -> str:
    """A 1-10 score: '7', '8.5', or a dash.

    Args:
        score: the score.

    Returns:
        The text.
    """
    if score is None:
        return DASH
    return str(int(score)) if float(score).is_integer() else f"{score:g}"
