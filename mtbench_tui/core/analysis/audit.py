"""The judge-bias audit: every check for one judge, plus no-verdict rates, anchoring and position."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats as sps

from mtbench_tui.core.analysis import bias
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.bias import ALPHA, excludes, fmt_ci, item
from mtbench_tui.core.analysis.findings import AuditFinding, Detail, JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean
from mtbench_tui.core.stats import paired
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis import BlindRevision, NoVerdictCount, PairVerdict


def no_verdicts(rates: Sequence[NoVerdictCount]) -> tuple[NoVerdict, ...]:
    """Share of verdicts with no parseable rating, per judge and prompt, with Wilson intervals.

    Args:
        rates: verdict counts per judge and prompt (``AnalysisRepo.no_verdict_rates``).

    Returns:
        One finding per judge and prompt.
    """
    return tuple(_no_verdict(r) for r in rates)


def _no_verdict(r: NoVerdictCount) -> NoVerdict:
    """The no-verdict finding of one judge and prompt."""
    n, missing = int(r.n), int(r.missing)
    ci = sps.binomtest(missing, n).proportion_ci(method="wilson") if n else None
    rate = missing / n if n else float("nan")
    message = (
        f"{rate:.1%} of {r.judge_model} verdicts under '{r.prompt}' ({missing} of {n}) "
        "have no parseable rating."
        if missing
        else f"Every '{r.prompt}' verdict has a rating."
    )
    return NoVerdict(
        judge=r.judge,
        judge_model=r.judge_model,
        prompt=r.prompt,
        n=n,
        no_verdict=missing,
        rate=clean(rate),
        ci=Interval(clean(ci.low), clean(ci.high)) if ci else None,
        flag=bool(ci and ci.low > 0.01),
        message=message,
    )


def anchoring(revisions: Sequence[BlindRevision], s: Settings) -> AuditFinding:
    """Do reviewers move toward the judge after a blind score is revealed?

    Args:
        revisions: first blind score, final score and judge score of each rating begun blind.
        s: bootstrap settings.

    Returns:
        The finding; "not measured" when nothing was scored blind.
    """
    if not revisions:
        message = "Not measured: no scores were given in blind mode."
        title = "Anchoring after the reveal"
        return item("anchoring", title, None, None, None, False, message, (Detail("n", 0),))
    blind = np.array([r.blind for r in revisions], dtype=float)
    final = np.array([r.final for r in revisions], dtype=float)
    judged = np.array([r.judge for r in revisions], dtype=float)
    questions = np.array([r.question_id for r in revisions])
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
    flag = p < ALPHA and excludes((ci.low, ci.high), 0) and ci.estimate > 0
    message = (
        f"Reviewers moved {ci.estimate:.2f} points toward the judge after seeing its verdict "
        f"({fmt_ci((ci.low, ci.high))}; {revised:.0%} of blind scores revised)."
        if flag
        else f"No clear anchoring: {revised:.0%} of {len(revisions)} blind scores were revised "
        f"after the reveal (mean move toward the judge {ci.estimate:+.2f})."
    )
    details = (Detail("n", len(revisions)), Detail("revised_share", clean(revised)))
    title = "Anchoring (move toward the judge after the reveal)"
    return item("anchoring", title, ci.estimate, (ci.low, ci.high), p, flag, message, details)


def position(verdicts: Sequence[PairVerdict]) -> AuditFinding | None:
    """From pairwise verdicts judged in both orders: consistency, and which position wins a flip.

    Args:
        verdicts: one judge's pairwise verdicts.

    Returns:
        The finding, or None when the judge has no pairwise verdicts.
    """
    if not verdicts:
        return None
    pairs = [(v.g1_winner, v.g2_winner) for v in verdicts]
    valid = [(g1, g2) for g1, g2 in pairs if "error" not in (g1, g2)]
    consistent = sum(g1 == g2 for g1, g2 in valid)
    # Position A won both times: model_1 first, then model_2 when the answers were swapped.
    first = sum(g1 == "model_1" and g2 == "model_2" for g1, g2 in valid)
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
        else f"{consistent / len(valid):.0%} of {len(valid)} pairwise verdicts survive "
        "swapping the answers; no clear position preference."
    )
    details = (
        Detail("n", len(valid)),
        Detail("consistency", clean(consistent / len(valid) if valid else float("nan"))),
        Detail("first_wins", first),
        Detail("second_wins", second),
    )
    title = "Position bias (share of order-dependent verdicts won by the first answer)"
    interval = (ci.low, ci.high) if ci else None
    return item("position", title, share, interval, p, flag, message, details)


def audit(store: Store, judge: str, pairs: RatingPairs, s: Settings) -> JudgeAudit:
    """Every check for one judge against all human ratings.

    Args:
        store: the database (for blind revisions and pairwise verdicts).
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        s: bootstrap settings.

    Returns:
        The judge's findings, in a fixed order.
    """
    found: list[AuditFinding] = []
    if pairs.n >= 2:
        overall = paired.agreement(pairs.paired(), s.n_resamples, s.confidence, s.seed)
        found += [
            bias.leniency(pairs, overall),
            bias.compression(pairs, overall),
            bias.verbosity(pairs, s),
            bias.self_preference(pairs, s),
            bias.gaps_by(pairs, "category", s),
            bias.gaps_by(pairs, "turn", s),
        ]
    found.append(anchoring(list(store.analysis.blind_revisions(judge)), s))
    pos = position(store.analysis.pair_verdicts(judge))
    if pos is not None:
        found.append(pos)
    return JudgeAudit(judge, tuple(found))
