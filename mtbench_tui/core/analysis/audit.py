"""The judge-bias audit: every check for one judge, plus no-verdict rates, anchoring, position."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats as sps

from mtbench_tui.core.analysis import bias, gaps
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.bias import fmt_ci, item
from mtbench_tui.core.analysis.findings import AuditFinding, Detail, JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean
from mtbench_tui.core.analysis.significance import (
    MIN_QUESTIONS,
    Call,
    call,
    disagreement,
    p_is,
    too_few,
)
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
    check = "anchoring"
    if not revisions:
        message = "Not measured: no scores were given in blind mode."
        title = "Anchoring after the reveal"
        return item(check, title, Call.NOT_APPLICABLE, 0, message, details=(Detail("n", 0),))
    blind = np.array([r.blind for r in revisions], dtype=float)
    final = np.array([r.final for r in revisions], dtype=float)
    judged = np.array([r.judge for r in revisions], dtype=float)
    ids = np.array([r.question_id for r in revisions])
    toward = np.abs(blind - judged) - np.abs(final - judged)
    columns = {"one": np.ones(toward.size), "toward": toward}
    ci = bootstrap_sums(columns, ids, mean_of("toward"), s.n_resamples, s.confidence, s.seed)
    p = float(sps.wilcoxon(toward).pvalue) if np.any(toward != 0) and toward.size > 1 else 1.0
    revised = float(np.mean(final != blind))
    nq = int(np.unique(ids).size)
    status = call(ci.low, ci.high, 0, nq)
    if status is Call.FLAGGED and ci.estimate < 0:
        status = Call.CLEAR  # moving away from the judge is not anchoring on it
    share = f"{revised:.0%} of {len(revisions)} blind scores revised"
    if status is Call.TOO_FEW:
        unclear = too_few(nq, ci.low, ci.high)
        message = f"Mean move toward the judge {ci.estimate:+.2f} ({share}): {unclear}."
    elif status is Call.FLAGGED:
        message = (
            f"Reviewers moved {ci.estimate:.2f} points toward the judge after seeing its verdict "
            f"({fmt_ci(ci.low, ci.high, nq)}; {share}; Wilcoxon {p_is(p)})."
        )
    else:
        message = (
            f"No clear anchoring: mean move toward the judge {ci.estimate:+.2f} "
            f"({fmt_ci(ci.low, ci.high, nq)}; {share}; Wilcoxon {p_is(p)})."
        )
    if status is not Call.TOO_FEW and ci.estimate >= 0:
        message += disagreement(p, status is Call.FLAGGED, "Wilcoxon")
    details = (Detail("n", len(revisions)), Detail("revised_share", clean(revised)))
    title = "Anchoring (move toward the judge after the reveal)"
    interval = (ci.low, ci.high)
    return item(check, title, status, nq, message, ci.estimate, interval, p, details)


def position(verdicts: Sequence[PairVerdict]) -> AuditFinding | None:
    """From pairwise verdicts judged in both orders: consistency, and which position wins a flip.

    Verdicts with an error in either order, and verdicts whose two orders are unknown
    (only the combined verdict was published), are left out.

    Args:
        verdicts: one judge's pairwise verdicts.

    Returns:
        The finding, or None when the judge has no pairwise verdicts.
    """
    if not verdicts:
        return None
    check = "position"
    title = "Position bias (share of order-dependent verdicts won by the first answer)"
    valid = [v for v in verdicts if _both_orders(v)]
    if not valid:
        message = (
            f"Not measured: none of {len(verdicts)} pairwise verdicts has a usable verdict in "
            "both answer orders (errors, or only the combined verdict is known)."
        )
        details = (
            Detail("n", 0),
            Detail("consistency", None),
            Detail("first_wins", 0),
            Detail("second_wins", 0),
        )
        return item(check, title, Call.NOT_APPLICABLE, 0, message, details=details)
    consistent = sum(v.g1_winner == v.g2_winner for v in valid)
    # Position A won both times: model_1 first, then model_2 when the answers were swapped.
    first = sum(v.g1_winner == "model_1" and v.g2_winner == "model_2" for v in valid)
    second = sum(v.g1_winner == "model_2" and v.g2_winner == "model_1" for v in valid)
    decided = first + second
    nq = len({v.question_id for v in valid})
    details = (
        Detail("n", len(valid)),
        Detail("consistency", clean(consistent / len(valid))),
        Detail("first_wins", first),
        Detail("second_wins", second),
    )
    survive = (
        f"{consistent / len(valid):.0%} of {len(valid)} pairwise verdicts survive swapping "
        "the answers"
    )
    if not decided:
        status = Call.CLEAR if nq >= MIN_QUESTIONS else Call.TOO_FEW
        message = (
            f"{survive}; no verdict flips between the two answers, so no position preference shows."
        )
        return item(check, title, status, nq, message, details=details)
    test = sps.binomtest(first, decided)
    p, ci = float(test.pvalue), test.proportion_ci(method="wilson")
    share = first / decided
    status = call(ci.low, ci.high, 0.5, nq)
    where = "first" if share > 0.5 else "second"
    flips = f"{decided} flips, {fmt_ci(ci.low, ci.high, nq)}; binomial {p_is(p)}"
    if status is Call.TOO_FEW:
        unclear = too_few(nq, ci.low, ci.high)
        message = f"{survive}; the first answer wins {share:.0%} of flips: {unclear}."
    elif status is Call.FLAGGED:
        message = (
            f"Position bias: when the verdict flips with the order, the {where} answer wins "
            f"{max(share, 1 - share):.0%} of the time ({flips})."
        )
    else:
        message = (
            f"{survive}; no clear position preference (first answer wins {share:.0%} of {flips})."
        )
    if status is not Call.TOO_FEW:
        message += disagreement(p, status is Call.FLAGGED, "binomial")
    return item(check, title, status, nq, message, share, (ci.low, ci.high), p, details)


def _both_orders(v: PairVerdict) -> bool:
    """True when the verdict is known, without error, in both answer orders."""
    known = v.g1_winner is not None and v.g2_winner is not None
    return known and "error" not in (v.g1_winner, v.g2_winner)


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
    if pairs.n:
        overall = paired.agreement(pairs.paired(), s.n_resamples, s.confidence, s.seed)
        found += [
            bias.leniency(pairs, overall),
            bias.compression(pairs, overall),
            bias.verbosity(pairs, s),
            bias.self_preference(pairs, s),
            gaps.gaps_by(pairs, "category", s),
            gaps.gaps_by(pairs, "turn", s),
        ]
    found.append(anchoring(list(store.analysis.blind_revisions(judge)), s))
    pos = position(store.analysis.pair_verdicts(judge))
    if pos is not None:
        found.append(pos)
    return JudgeAudit(judge, tuple(found))
