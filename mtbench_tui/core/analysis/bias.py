"""The judge-bias audit: each check has an effect size, an interval, a test, and a plain-language flag."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats as sps

from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.families import model_family
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of
from mtbench_tui.core.stats.paired import agreement
from mtbench_tui.core.store import Store

ALPHA = 0.05
"""Significance level for flags."""


def item(
    check: str,
    title: str,
    effect: float | None,
    ci: tuple[float, float] | None,
    p: float | None,
    flag: bool,
    message: str,
    **details: Any,
) -> dict[str, Any]:
    """One audit finding, JSON-ready."""
    return {
        "check": check,
        "title": title,
        "effect": _r(effect),
        "ci": [_r(ci[0]), _r(ci[1])] if ci else None,
        "p_value": _sig(p),
        "flag": bool(flag),
        "message": message,
        "details": details,
    }


def _sig(p: float | None) -> float | None:
    """A p-value to 4 significant figures (rounding to decimals would turn 2e-13 into 0)."""
    return None if p is None or not np.isfinite(p) else float(f"{p:.4g}")


def _r(x: float | None) -> float | None:
    """Round for JSON; NaN and None become None."""
    return None if x is None or not np.isfinite(x) else round(float(x), 6)


def _excludes(ci: tuple[float, float], value: float) -> bool:
    """True when an interval lies entirely on one side of ``value``."""
    return bool(np.isfinite(ci[0]) and np.isfinite(ci[1]) and (ci[0] > value or ci[1] < value))


def _fmt_ci(ci: tuple[float, float]) -> str:
    """'95% CI 0.12 to 0.40'."""
    return f"95% CI {ci[0]:.2f} to {ci[1]:.2f}"


def leniency(pairs: RatingPairs, s: Settings) -> dict[str, Any]:
    """Paired mean difference judge - human, with a Wilcoxon signed-rank test."""
    est = agreement(pairs.paired(), s.n_resamples, s.confidence, s.seed)["mean_diff"]
    diff = pairs.judge - pairs.human
    p = float(sps.wilcoxon(diff).pvalue) if np.any(diff != 0) and diff.size > 1 else 1.0
    ci = (est.low, est.high)
    flag = p < ALPHA and _excludes(ci, 0)
    direction = "higher" if est.value > 0 else "lower"
    message = (
        f"The judge scores {abs(est.value):.2f} points {direction} than humans on average "
        f"({_fmt_ci(ci)}; Wilcoxon p = {p:.3g})."
        if flag
        else f"No clear leniency: mean judge - human difference {est.value:+.2f} ({_fmt_ci(ci)}; p = {p:.3g})."
    )
    return item("leniency", "Leniency (judge - human)", est.value, ci, p, flag, message)


def compression(pairs: RatingPairs, s: Settings) -> dict[str, Any]:
    """Judge SD against human SD, with the Pitman-Morgan test for paired variances, and both histograms."""
    est = agreement(pairs.paired(), s.n_resamples, s.confidence, s.seed)
    ratio = est["sd_ratio"]
    total, diff = pairs.judge + pairs.human, pairs.judge - pairs.human
    p = (
        float(sps.pearsonr(total, diff).pvalue)
        if pairs.n > 2 and np.ptp(total) and np.ptp(diff)
        else 1.0
    )
    ci = (ratio.low, ratio.high)
    flag = p < ALPHA and _excludes(ci, 1)
    sd_j, sd_h = est["sd_b"].value, est["sd_a"].value
    if flag and ratio.value < 1:
        message = f"The judge compresses scores: its SD is {ratio.value:.2f}x the humans' ({sd_j:.2f} vs {sd_h:.2f})."
    elif flag:
        message = f"The judge spreads scores more than humans: SD {sd_j:.2f} vs {sd_h:.2f}."
    else:
        message = (
            f"Judge and human score spreads are similar (SD {sd_j:.2f} vs {sd_h:.2f}; p = {p:.3g})."
        )
    return item(
        "compression",
        "Score compression (judge SD / human SD)",
        ratio.value,
        ci,
        p,
        flag,
        message,
        sd_judge=_r(sd_j),
        sd_human=_r(sd_h),
        histogram_judge=_histogram(pairs.judge),
        histogram_human=_histogram(pairs.human),
    )


def _histogram(scores: np.ndarray) -> list[int]:
    """Counts of scores 1..10 (fractional scores round half up)."""
    idx = np.clip(np.floor(scores + 0.5), 1, 10).astype(int) - 1
    return np.bincount(idx, minlength=10).tolist()


def verbosity(pairs: RatingPairs, s: Settings) -> dict[str, Any]:
    """Does the judge-human gap grow with answer length? And the judge's score-length slope vs the humans'."""
    loglen = np.log2(np.maximum(pairs.length, 1))
    gap = pairs.judge - pairs.human
    if pairs.n < 3 or np.ptp(loglen) == 0:
        return item(
            "verbosity",
            "Verbosity (gap vs answer length)",
            None,
            None,
            None,
            False,
            "Not enough variation in answer length to test.",
        )
    rho, p = sps.spearmanr(gap, loglen) if np.ptp(gap) else (0.0, 1.0)

    one = np.ones(pairs.n)
    columns = {
        "one": one,
        "x": loglen,
        "xx": loglen**2,
        "j": pairs.judge,
        "h": pairs.human,
        "xj": loglen * pairs.judge,
        "xh": loglen * pairs.human,
    }

    def slope_gap(c: dict[str, np.ndarray]) -> np.ndarray:
        # Least-squares slopes of judge and human scores on log length, from sums.
        sxx = c["xx"] - c["x"] ** 2 / c["one"]
        return (
            (c["xj"] - c["x"] * c["j"] / c["one"]) - (c["xh"] - c["x"] * c["h"] / c["one"])
        ) / sxx

    ci = bootstrap_sums(columns, pairs.question_id, slope_gap, s.n_resamples, s.confidence, s.seed)
    flag = p < ALPHA and _excludes((ci.low, ci.high), 0)
    if flag:
        lean = "rewards" if ci.estimate > 0 else "penalises"
        message = (
            f"The judge {lean} length more than humans: each doubling of answer length moves its score "
            f"{ci.estimate:+.2f} points relative to humans ({_fmt_ci((ci.low, ci.high))})."
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
        gap_length_spearman=_r(float(rho)),
    )


def self_preference(pairs: RatingPairs, s: Settings) -> dict[str, Any]:
    """The judge-human gap on answers from the judge's own family against all other answers."""
    family = model_family(pairs.judge_model or "")
    own = (
        np.array([model_family(m) == family for m in pairs.model.tolist()], dtype=bool)
        if family
        else None
    )
    if own is None or not own.any() or own.all():
        why = (
            "the judge's family is unknown"
            if family is None
            else f"no rated answers both from and outside '{family}'"
        )
        return item(
            "self_preference",
            "Self-preference",
            None,
            None,
            None,
            False,
            f"Not applicable: {why}.",
            judge_family=family,
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
    p = float(sps.mannwhitneyu(gap[own], gap[~own]).pvalue)
    flag = p < ALPHA and _excludes((ci.low, ci.high), 0) and ci.estimate > 0
    message = (
        f"The judge favours its own family ({family}): its gap to humans is {ci.estimate:+.2f} points larger "
        f"on {family} answers ({_fmt_ci((ci.low, ci.high))}; p = {p:.3g})."
        if flag
        else f"No clear self-preference for {family} answers (difference {ci.estimate:+.2f}; p = {p:.3g})."
    )
    return item(
        "self_preference",
        "Self-preference (gap on own family - gap on others)",
        ci.estimate,
        (ci.low, ci.high),
        p,
        flag,
        message,
        judge_family=family,
        n_own=int(own.sum()),
        n_other=int((~own).sum()),
    )


def gaps_by(pairs: RatingPairs, field: str, s: Settings) -> dict[str, Any]:
    """Mean judge - human gap per group (category or turn), each with an interval."""
    column = getattr(pairs, field)
    groups, flagged = [], []
    for value in sorted(set(column.tolist()), key=str):
        mask = column == value
        est = agreement(pairs.paired(mask), s.n_resamples, s.confidence, s.seed)["mean_diff"]
        significant = _excludes((est.low, est.high), 0)
        groups.append(
            {
                "group": str(value),
                "n": int(mask.sum()),
                "effect": _r(est.value),
                "ci": [_r(est.low), _r(est.high)],
                "flag": significant,
            }
        )
        if significant:
            flagged.append(f"{'turn ' if field == 'turn' else ''}{value} ({est.value:+.2f})")
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
        groups=groups,
    )


def no_verdicts(store: Store) -> list[dict[str, Any]]:
    """Share of verdicts with no parseable rating, per judge and prompt, with Wilson intervals."""
    out = []
    for judge, judge_model, prompt, n, missing in store.analysis.no_verdict_rates():
        ci = sps.binomtest(int(missing), int(n)).proportion_ci(method="wilson") if n else None
        rate = missing / n if n else float("nan")
        flag = bool(ci and ci.low > 0.01)
        out.append(
            {
                "judge": judge,
                "judge_model": judge_model,
                "prompt": prompt,
                "n": int(n),
                "no_verdict": int(missing),
                "rate": _r(rate),
                "ci": [_r(ci.low), _r(ci.high)] if ci else None,
                "flag": flag,
                "message": f"{rate:.1%} of {judge_model} verdicts under '{prompt}' ({missing} of {n}) have no "
                "parseable rating."
                if missing
                else f"Every '{prompt}' verdict has a rating.",
            }
        )
    return out


def anchoring(store: Store, judge: str, s: Settings) -> dict[str, Any]:
    """Do reviewers move toward the judge after a blind score is revealed? First blind score vs final score."""
    rows = list(store.analysis.blind_revisions(judge))
    if not rows:
        return item(
            "anchoring",
            "Anchoring after the reveal",
            None,
            None,
            None,
            False,
            "Not measured: no scores were given in blind mode.",
            n=0,
        )
    blind = np.array([r[4] for r in rows], dtype=float)
    final = np.array([r[5] for r in rows], dtype=float)
    judged = np.array([r[6] for r in rows], dtype=float)
    questions = np.array([r[0] for r in rows])
    toward = np.abs(blind - judged) - np.abs(final - judged)
    ci = bootstrap_sums(
        {"one": np.ones(toward.size), "toward": toward},
        questions,
        mean_of("toward"),
        s.n_resamples,
        s.confidence,
        s.seed,
    )
    p = float(sps.wilcoxon(toward).pvalue) if np.any(toward != 0) and toward.size > 1 else 1.0
    revised = float(np.mean(final != blind))
    flag = p < ALPHA and _excludes((ci.low, ci.high), 0) and ci.estimate > 0
    message = (
        f"Reviewers moved {ci.estimate:.2f} points toward the judge after seeing its verdict "
        f"({_fmt_ci((ci.low, ci.high))}; {revised:.0%} of blind scores revised)."
        if flag
        else f"No clear anchoring: {revised:.0%} of {len(rows)} blind scores were revised after the reveal "
        f"(mean move toward the judge {ci.estimate:+.2f})."
    )
    return item(
        "anchoring",
        "Anchoring (move toward the judge after the reveal)",
        ci.estimate,
        (ci.low, ci.high),
        p,
        flag,
        message,
        n=len(rows),
        revised_share=_r(revised),
    )


def position(store: Store, judge: str) -> dict[str, Any] | None:
    """From pairwise verdicts judged in both orders: consistency, and which position wins when they disagree."""
    rows = [r for r in store.analysis.pair_verdicts() if r[0] == judge]
    if not rows:
        return None
    valid = [(g1, g2) for _j, _q, g1, g2 in rows if "error" not in (g1, g2)]
    consistent = sum(g1 == g2 for g1, g2 in valid)
    first = sum(
        g1 == "model_1" and g2 == "model_2" for g1, g2 in valid
    )  # position A won both times
    second = sum(g1 == "model_2" and g2 == "model_1" for g1, g2 in valid)
    decided = first + second
    p = float(sps.binomtest(first, decided).pvalue) if decided else 1.0
    share = first / decided if decided else float("nan")
    ci = sps.binomtest(first, decided).proportion_ci(method="wilson") if decided else None
    flag = p < ALPHA
    where = "first" if share > 0.5 else "second"
    message = (
        f"Position bias: when the verdict flips with the order, the {where} answer wins "
        f"{max(share, 1 - share):.0%} of the time ({decided} flips; p = {p:.3g})."
        if flag
        else f"{consistent / len(valid):.0%} of {len(valid)} pairwise verdicts survive swapping the answers; "
        "no clear position preference."
    )
    return item(
        "position",
        "Position bias (share of order-dependent verdicts won by the first answer)",
        share,
        (ci.low, ci.high) if ci else None,
        p,
        flag,
        message,
        n=len(valid),
        consistency=_r(consistent / len(valid) if valid else float("nan")),
        first_wins=first,
        second_wins=second,
    )


def audit(store: Store, judge: str, pairs: RatingPairs, s: Settings) -> list[dict[str, Any]]:
    """Every check for one judge against all human ratings."""
    found = []
    if pairs.n >= 2:
        found += [
            leniency(pairs, s),
            compression(pairs, s),
            verbosity(pairs, s),
            self_preference(pairs, s),
            gaps_by(pairs, "category", s),
            gaps_by(pairs, "turn", s),
        ]
    found.append(anchoring(store, judge, s))
    pos = position(store, judge)
    if pos is not None:
        found.append(pos)
    return found
