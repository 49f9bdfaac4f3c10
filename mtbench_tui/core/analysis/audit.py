"""The judge-bias audit on scores: every check for one judge, plus no-verdict rates and anchoring.

The checks on pairwise verdicts (position, order, length, self-preference) are in
``pair_audit``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mtbench_tui.core.analysis import bias, gaps
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.bias import fmt_ci, item
from mtbench_tui.core.analysis.findings import AuditFinding, Detail, JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.numbers import Interval, clean
from mtbench_tui.core.analysis.significance import (
    Call,
    call,
    disagreement,
    p_is,
    too_few,
)
from mtbench_tui.core.stats import grouped, hypothesis
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import BlindRevision, NoVerdictCount


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
    ci = hypothesis.wilson_interval(missing, n) if n else None  # (low, high)
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
        ci=Interval(clean(ci[0]), clean(ci[1])) if ci else None,
        flag=bool(ci and ci[0] > 0.01),
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
    p = hypothesis.wilcoxon_p(toward) if np.any(toward != 0) and toward.size > 1 else 1.0
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


def audit(store: Store, judge: str, pairs: RatingPairs, s: Settings) -> JudgeAudit:
    """Every check for one judge against all human ratings.

    Args:
        store: the database (for blind revisions).
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        s: bootstrap settings.

    Returns:
        The judge's findings, in a fixed order.
    """
    found: list[AuditFinding] = []
    if pairs.n:
        overall = grouped.agreement(pairs.paired(), s.n_resamples, s.confidence, s.seed)
        found += [
            bias.leniency(pairs, overall),
            bias.compression(pairs, overall),
            bias.verbosity(pairs, s),
            bias.self_preference(pairs, s),
            gaps.gaps_by(pairs, "category", s),
            gaps.gaps_by(pairs, "turn", s),
        ]
    found.append(anchoring(list(store.analysis.blind_revisions(judge)), s))
    return JudgeAudit(judge, tuple(found))
