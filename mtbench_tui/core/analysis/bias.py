"""Bias checks on paired human and judge scores: leniency, compression, verbosity, self-preference.

Each check returns an AuditFinding; ``significance`` decides when one is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.findings import AuditFinding, Detail, GroupGap
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean, significant
from mtbench_tui.core.analysis.significance import (
    Call,
    call,
    disagreement,
    p_is,
    questions,
    too_few,
)
from mtbench_tui.core.families import model_family
from mtbench_tui.core.stats import hypothesis, paired
from mtbench_tui.core.stats.bootstrap import bootstrap_sums

Floats = npt.NDArray[np.float64]
Overall = Mapping[str, paired.Estimate]
"""Every metric of the judge against all humans (``core.stats.grouped.agreement``)."""

NO_PAIRS = "Not measured: no turn has both a human and a judge score."


def item(
    check: str,
    title: str,
    status: Call,
    n_questions: int,
    message: str,
    effect: float | None = None,
    ci: tuple[float, float] | None = None,
    p: float | None = None,
    details: tuple[Detail, ...] = (),
    groups: tuple[GroupGap, ...] = (),
) -> AuditFinding:
    """One audit finding, its numbers rounded for the report.

    Args:
        check: the check's key.
        title: its display title.
        status: what the interval says (``significance.call``).
        n_questions: distinct questions behind the interval.
        message: the plain-language finding.
        effect: the effect size.
        ci: the effect's interval, if it has one.
        p: the test's p-value, if there is a test.
        details: extra named numbers.
        groups: per-group gaps (gap checks only).

    Returns:
        The finding.
    """
    return AuditFinding(
        check=check,
        title=title,
        effect=clean(effect),
        ci=Interval(clean(ci[0]), clean(ci[1])) if ci else None,
        p_value=significant(p),
        status=status,
        n_questions=n_questions,
        message=message,
        details=details,
        groups=groups,
    )


def fmt_ci(low: float, high: float, n_questions: int) -> str:
    """'95% CI 0.12 to 0.40, 16 questions'."""
    return f"95% CI {low:.2f} to {high:.2f}, {questions(n_questions)}"


def n_questions(pairs: RatingPairs) -> int:
    """Distinct questions among the pairs."""
    return int(np.unique(pairs.question_id).size)


def leniency(pairs: RatingPairs, overall: Overall) -> AuditFinding:
    """Mean judge - human difference with its interval, and a Wilcoxon signed-rank test."""
    check, title, nq = "leniency", "Leniency (judge - human)", n_questions(pairs)
    if pairs.n == 0:
        return item(check, title, Call.NOT_APPLICABLE, 0, NO_PAIRS)
    est = overall["mean_diff"]
    diff = pairs.judge - pairs.human
    p = hypothesis.wilcoxon_p(diff) if np.any(diff != 0) and diff.size > 1 else 1.0
    status = call(est.low, est.high, 0, nq)
    if status is Call.TOO_FEW:
        message = (
            f"Mean judge - human difference {est.value:+.2f}: {too_few(nq, est.low, est.high)}."
        )
    elif status is Call.FLAGGED:
        direction = "higher" if est.value > 0 else "lower"
        message = (
            f"The judge scores {abs(est.value):.2f} points {direction} than humans on average "
            f"({fmt_ci(est.low, est.high, nq)}; Wilcoxon {p_is(p)})."
        )
    else:
        message = (
            f"No clear leniency: mean judge - human difference {est.value:+.2f} "
            f"({fmt_ci(est.low, est.high, nq)}; Wilcoxon {p_is(p)})."
        )
    message += (
        disagreement(p, status is Call.FLAGGED, "Wilcoxon") if status is not Call.TOO_FEW else ""
    )
    return item(check, title, status, nq, message, est.value, (est.low, est.high), p)


def compression(pairs: RatingPairs, overall: Overall) -> AuditFinding:
    """Judge SD against human SD with its interval, and the Pitman-Morgan test, with histograms."""
    check, title, nq = "compression", "Score compression (judge SD / human SD)", n_questions(pairs)
    if pairs.n == 0:
        return item(check, title, Call.NOT_APPLICABLE, 0, NO_PAIRS)
    ratio = overall["sd_ratio"]
    total, diff = pairs.judge + pairs.human, pairs.judge - pairs.human
    varied = pairs.n > 2 and np.ptp(total) and np.ptp(diff)
    p = hypothesis.pearson_p(total, diff) if varied else 1.0
    sd_j, sd_h = overall["sd_b"].value, overall["sd_a"].value
    status = call(ratio.low, ratio.high, 1, nq)
    spreads = f"SD {sd_j:.2f} vs {sd_h:.2f}"
    evidence = f"({spreads}; {fmt_ci(ratio.low, ratio.high, nq)}; Pitman-Morgan {p_is(p)})"
    if status is Call.TOO_FEW:
        message = (
            f"Judge and human score spreads ({spreads}): {too_few(nq, ratio.low, ratio.high)}."
        )
    elif status is Call.FLAGGED and ratio.value < 1:
        message = (
            f"The judge compresses scores: its SD is {ratio.value:.2f}x the humans' {evidence}."
        )
    elif status is Call.FLAGGED:
        message = (
            f"The judge spreads scores more than humans: its SD is {ratio.value:.2f}x theirs "
            f"{evidence}."
        )
    else:
        message = f"Judge and human score spreads are similar: ratio {ratio.value:.2f} {evidence}."
    if status is not Call.TOO_FEW:
        message += disagreement(p, status is Call.FLAGGED, "Pitman-Morgan")
    details = (
        Detail("sd_judge", clean(sd_j)),
        Detail("sd_human", clean(sd_h)),
        Detail("histogram_judge", histogram(pairs.judge)),
        Detail("histogram_human", histogram(pairs.human)),
    )
    ci = (ratio.low, ratio.high)
    return item(check, title, status, nq, message, ratio.value, ci, p, details)


def histogram(scores: Floats) -> tuple[int, ...]:
    """Counts of scores 1..10 (fractional scores round half up)."""
    idx = np.clip(np.floor(scores + 0.5), 1, 10).astype(int) - 1
    return tuple(int(c) for c in np.bincount(idx, minlength=10))


def _slope_gap(c: Mapping[str, Floats]) -> Floats:
    """Judge minus human least-squares slope of score on log length, from column sums."""
    sxx = c["xx"] - c["x"] ** 2 / c["one"]
    judge = c["xj"] - c["x"] * c["j"] / c["one"]
    human = c["xh"] - c["x"] * c["h"] / c["one"]
    return (judge - human) / sxx


def verbosity(pairs: RatingPairs, s: Settings) -> AuditFinding:
    """Does the judge reward length more than humans? Its score-length slope against theirs."""
    loglen = np.log2(np.maximum(pairs.length, 1))
    gap = pairs.judge - pairs.human
    nq = n_questions(pairs)
    if pairs.n < 3 or np.ptp(loglen) == 0:
        message = "Not enough variation in answer length to test."
        title = "Verbosity (gap vs answer length)"
        return item("verbosity", title, Call.NOT_APPLICABLE, nq, message)
    rho, p = hypothesis.spearman(gap, loglen) if np.ptp(gap) else (0.0, 1.0)
    columns = {
        "one": np.ones(pairs.n),
        "x": loglen,
        "xx": loglen**2,
        "j": pairs.judge,
        "h": pairs.human,
        "xj": loglen * pairs.judge,
        "xh": loglen * pairs.human,
    }
    ci = bootstrap_sums(columns, pairs.question_id, _slope_gap, s.n_resamples, s.confidence, s.seed)
    status = call(ci.low, ci.high, 0, nq)
    if status is Call.TOO_FEW:
        message = f"Length slope difference {ci.estimate:+.2f}: {too_few(nq, ci.low, ci.high)}."
    elif status is Call.FLAGGED:
        lean = "rewards" if ci.estimate > 0 else "penalises"
        message = (
            f"The judge {lean} length more than humans: each doubling of answer length moves "
            f"its score {ci.estimate:+.2f} points relative to humans "
            f"({fmt_ci(ci.low, ci.high, nq)})."
        )
    else:
        message = (
            f"No clear length bias: slope difference {ci.estimate:+.2f} per doubling "
            f"({fmt_ci(ci.low, ci.high, nq)}; gap-length Spearman rho {rho:+.2f}, "
            f"{p_is(float(p))})."
        )
    if status is not Call.TOO_FEW:
        message += disagreement(float(p), status is Call.FLAGGED, "Spearman")
    title = "Verbosity (judge - human slope per doubling of length)"
    details = (Detail("gap_length_spearman", clean(float(rho))),)
    return item(
        "verbosity", title, status, nq, message, ci.estimate, (ci.low, ci.high), float(p), details
    )


def self_preference(pairs: RatingPairs, s: Settings) -> AuditFinding:
    """The judge-human gap on answers from the judge's own family against all other answers."""
    family = model_family(pairs.judge_model or "")
    coded = pairs.coded("model")
    mine = np.array([model_family(str(m)) == family for m in coded.values], dtype=bool)
    own = mine[coded.codes] if mine.size else np.zeros(pairs.n, dtype=bool)
    nq = n_questions(pairs)
    if family is None or not own.any() or own.all():
        why = (
            "the judge's family is unknown"
            if family is None
            else f"no rated answers both from and outside '{family}'"
        )
        only = (Detail("judge_family", family),)
        message = f"Not applicable: {why}."
        return item(
            "self_preference", "Self-preference", Call.NOT_APPLICABLE, nq, message, details=only
        )
    gap = pairs.judge - pairs.human
    mine = own.astype(float)
    columns = {"own": mine, "other": 1 - mine, "g_own": gap * mine, "g_other": gap * (1 - mine)}
    ci = bootstrap_sums(
        columns,
        pairs.question_id,
        lambda c: c["g_own"] / c["own"] - c["g_other"] / c["other"],
        s.n_resamples,
        s.confidence,
        s.seed,
    )
    p = hypothesis.mann_whitney_p(gap[own], gap[~own])
    status = call(ci.low, ci.high, 0, nq)
    harsher = status is Call.FLAGGED and ci.estimate < 0
    if harsher:
        status = Call.CLEAR  # a judge stricter on its own family shows no self-preference
    if status is Call.TOO_FEW:
        message = f"Own-family gap difference {ci.estimate:+.2f}: {too_few(nq, ci.low, ci.high)}."
    elif harsher:
        message = (
            f"No self-preference: the judge is stricter on {family} answers than humans are, "
            f"relative to the rest ({ci.estimate:+.2f}, {fmt_ci(ci.low, ci.high, nq)})."
        )
    elif status is Call.FLAGGED:
        message = (
            f"The judge favours its own family ({family}): its gap to humans is "
            f"{ci.estimate:+.2f} points larger on {family} answers "
            f"({fmt_ci(ci.low, ci.high, nq)}; Mann-Whitney {p_is(p)})."
        )
    else:
        message = (
            f"No clear self-preference for {family} answers (difference {ci.estimate:+.2f}, "
            f"{fmt_ci(ci.low, ci.high, nq)}; Mann-Whitney {p_is(p)})."
        )
    if status is not Call.TOO_FEW and not harsher:
        message += disagreement(p, status is Call.FLAGGED, "Mann-Whitney")
    details = (
        Detail("judge_family", family),
        Detail("n_own", int(own.sum())),
        Detail("n_other", int((~own).sum())),
    )
    title = "Self-preference (gap on own family - gap on others)"
    return item(
        "self_preference", title, status, nq, message, ci.estimate, (ci.low, ci.high), p, details
    )
