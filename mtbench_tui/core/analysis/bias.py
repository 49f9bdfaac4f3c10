"""Bias checks on paired human and judge scores: leniency, compression, verbosity, self-preference, gaps."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.findings import AuditFinding, Detail, GroupGap
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean, significant
from mtbench_tui.core.families import model_family
from mtbench_tui.core.stats import paired
from mtbench_tui.core.stats.bootstrap import bootstrap_sums

ALPHA = 0.05
"""Significance level for flags."""

Floats = npt.NDArray[np.float64]
Overall = Mapping[str, paired.Estimate]
"""Every metric of the judge against all humans (``core.stats.paired.agreement``)."""


def item(
    check: str,
    title: str,
    effect: float | None,
    ci: tuple[float, float] | None,
    p: float | None,
    flag: bool,
    message: str,
    details: tuple[Detail, ...] = (),
    groups: tuple[GroupGap, ...] = (),
) -> AuditFinding:
    """One audit finding, its numbers rounded for the report.

    Args:
        check: the check's key.
        title: its display title.
        effect: the effect size.
        ci: the effect's interval, if it has one.
        p: the test's p-value, if there is a test.
        flag: whether the finding is flagged.
        message: the plain-language finding.
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
        flag=bool(flag),
        message=message,
        details=details,
        groups=groups,
    )


def excludes(ci: tuple[float, float], value: float) -> bool:
    """True when an interval lies entirely on one side of ``value``."""
    return bool(np.isfinite(ci[0]) and np.isfinite(ci[1]) and (ci[0] > value or ci[1] < value))


def fmt_ci(ci: tuple[float, float]) -> str:
    """'95% CI 0.12 to 0.40'."""
    return f"95% CI {ci[0]:.2f} to {ci[1]:.2f}"


def leniency(pairs: RatingPairs, overall: Overall) -> AuditFinding:
    """Paired mean difference judge - human, with a Wilcoxon signed-rank test."""
    est = overall["mean_diff"]
    diff = pairs.judge - pairs.human
    p = float(sps.wilcoxon(diff).pvalue) if np.any(diff != 0) and diff.size > 1 else 1.0
    ci = (est.low, est.high)
    flag = p < ALPHA and excludes(ci, 0)
    direction = "higher" if est.value > 0 else "lower"
    message = (
        f"The judge scores {abs(est.value):.2f} points {direction} than humans on average "
        f"({fmt_ci(ci)}; Wilcoxon p = {p:.3g})."
        if flag
        else f"No clear leniency: mean judge - human difference {est.value:+.2f} "
        f"({fmt_ci(ci)}; p = {p:.3g})."
    )
    return item("leniency", "Leniency (judge - human)", est.value, ci, p, flag, message)


def compression(pairs: RatingPairs, overall: Overall) -> AuditFinding:
    """Judge SD against human SD, with the Pitman-Morgan test for paired variances."""
    ratio = overall["sd_ratio"]
    total, diff = pairs.judge + pairs.human, pairs.judge - pairs.human
    varied = pairs.n > 2 and np.ptp(total) and np.ptp(diff)
    p = float(sps.pearsonr(total, diff).pvalue) if varied else 1.0
    ci = (ratio.low, ratio.high)
    flag = p < ALPHA and excludes(ci, 1)
    sd_j, sd_h = overall["sd_b"].value, overall["sd_a"].value
    if flag and ratio.value < 1:
        message = (
            f"The judge compresses scores: its SD is {ratio.value:.2f}x the humans' "
            f"({sd_j:.2f} vs {sd_h:.2f})."
        )
    elif flag:
        message = f"The judge spreads scores more than humans: SD {sd_j:.2f} vs {sd_h:.2f}."
    else:
        message = (
            f"Judge and human score spreads are similar (SD {sd_j:.2f} vs {sd_h:.2f}; p = {p:.3g})."
        )
    details = (
        Detail("sd_judge", clean(sd_j)),
        Detail("sd_human", clean(sd_h)),
        Detail("histogram_judge", histogram(pairs.judge)),
        Detail("histogram_human", histogram(pairs.human)),
    )
    title = "Score compression (judge SD / human SD)"
    return item("compression", title, ratio.value, ci, p, flag, message, details)


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
    """Does the judge-human gap grow with answer length? The judge's length slope vs the humans'."""
    loglen = np.log2(np.maximum(pairs.length, 1))
    gap = pairs.judge - pairs.human
    if pairs.n < 3 or np.ptp(loglen) == 0:
        message = "Not enough variation in answer length to test."
        title = "Verbosity (gap vs answer length)"
        return item("verbosity", title, None, None, None, False, message)
    rho, p = sps.spearmanr(gap, loglen) if np.ptp(gap) else (0.0, 1.0)
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
    flag = p < ALPHA and excludes((ci.low, ci.high), 0)
    if flag:
        lean = "rewards" if ci.estimate > 0 else "penalises"
        message = (
            f"The judge {lean} length more than humans: each doubling of answer length moves "
            f"its score {ci.estimate:+.2f} points relative to humans "
            f"({fmt_ci((ci.low, ci.high))})."
        )
    else:
        message = f"No clear length bias (gap-length Spearman rho {rho:+.2f}, p = {p:.3g})."
    return item(
        "verbosity",
        "Verbosity (judge - human slope per doubling of length)",
        ci.estimate,
        (ci.low, ci.high),
        float(p),
        flag,
        message,
        (Detail("gap_length_spearman", clean(float(rho))),),
    )


def self_preference(pairs: RatingPairs, s: Settings) -> AuditFinding:
    """The judge-human gap on answers from the judge's own family against all other answers."""
    family = model_family(pairs.judge_model or "")
    own = np.array([model_family(m) == family for m in pairs.model.tolist()], dtype=bool)
    if family is None or not own.any() or own.all():
        why = (
            "the judge's family is unknown"
            if family is None
            else f"no rated answers both from and outside '{family}'"
        )
        message = f"Not applicable: {why}."
        only = (Detail("judge_family", family),)
        return item("self_preference", "Self-preference", None, None, None, False, message, only)
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
    p = float(sps.mannwhitneyu(gap[own], gap[~own]).pvalue)
    flag = p < ALPHA and excludes((ci.low, ci.high), 0) and ci.estimate > 0
    message = (
        f"The judge favours its own family ({family}): its gap to humans is "
        f"{ci.estimate:+.2f} points larger on {family} answers "
        f"({fmt_ci((ci.low, ci.high))}; p = {p:.3g})."
        if flag
        else f"No clear self-preference for {family} answers "
        f"(difference {ci.estimate:+.2f}; p = {p:.3g})."
    )
    details = (
        Detail("judge_family", family),
        Detail("n_own", int(own.sum())),
        Detail("n_other", int((~own).sum())),
    )
    title = "Self-preference (gap on own family - gap on others)"
    return item("self_preference", title, ci.estimate, (ci.low, ci.high), p, flag, message, details)


def gaps_by(pairs: RatingPairs, field: str, s: Settings) -> AuditFinding:
    """Mean judge - human gap per group (category or turn), each with an interval."""
    column = getattr(pairs, field)
    groups, flagged = [], []
    for value in sorted(set(column.tolist()), key=str):
        mask = column == value
        est = paired.agreement(pairs.paired(mask), s.n_resamples, s.confidence, s.seed)
        gap = est["mean_diff"]
        flag = excludes((gap.low, gap.high), 0)
        ci = Interval(clean(gap.low), clean(gap.high))
        groups.append(GroupGap(str(value), int(mask.sum()), clean(gap.value), ci, flag))
        if flag:
            flagged.append(f"{'turn ' if field == 'turn' else ''}{value} ({gap.value:+.2f})")
    message = (
        "The judge departs from humans on " + ", ".join(flagged) + "."
        if flagged
        else f"No {field} stands out: every interval of the gap includes 0."
    )
    return item(
        f"gap_by_{field}",
        f"Gap by {field}",
        None,
        None,
        None,
        bool(flagged),
        message,
        groups=tuple(groups),
    )
