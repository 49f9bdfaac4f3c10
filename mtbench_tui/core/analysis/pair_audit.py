"""The bias audit on pairwise verdicts: answer order, length and self-preference.

Each check follows the report's flag rule (``significance``): the question-clustered
interval decides, and only with enough questions behind it.
"""

from __future__ import annotations

from mtbench_tui.core.analysis.bias import fmt_ci, item
from mtbench_tui.core.analysis.findings import AuditFinding, Detail
from mtbench_tui.core.analysis.numbers import clean
from mtbench_tui.core.analysis.significance import (
    MIN_QUESTIONS,
    Call,
    call,
    disagreement,
    p_is,
    questions,
    too_few,
)
from mtbench_tui.core.pairwise.results import Gap, PairBias, Share
from mtbench_tui.core.stats import hypothesis

POSITION = "Position bias (share of order-dependent verdicts won by the first answer)"
ORDER = "Order inconsistency (share of verdicts whose two answer orders disagree)"
VERBOSITY = "Verbosity on pairs (judge - human share of wins for the longer answer)"
SELF = "Self-preference on pairs (judge - human share of wins for its own family)"


def pair_findings(bias: PairBias, pool: str) -> tuple[AuditFinding, ...]:
    """Every pairwise check of one judge.

    Args:
        bias: the judge's pairwise bias measurements.
        pool: the name of the human pool (``expert``, or ``human`` for everyone).

    Returns:
        Position, order inconsistency, verbosity and self-preference findings.
    """
    return (
        position(bias),
        order_inconsistency(bias.inconsistent),
        verbosity(bias, pool),
        self_preference(bias, pool),
    )


def no_usable_verdicts(n_verdicts: int) -> AuditFinding:
    """The position finding of a judge whose every pairwise verdict is an error.

    Args:
        n_verdicts: how many verdicts the judge has.

    Returns:
        A 'not measured' finding.
    """
    message = (
        f"Not measured: none of {n_verdicts} pairwise verdicts has a usable verdict in both "
        "answer orders (every one has an error)."
    )
    return item("position", POSITION, Call.NOT_APPLICABLE, 0, message, details=_flips(0, 0, 0))


def _flips(n: int, first: int, second: int, consistency: float | None = None) -> tuple[Detail, ...]:
    """The position check's details."""
    return (
        Detail("n", n),
        Detail("consistency", clean(consistency)),
        Detail("first_wins", first),
        Detail("second_wins", second),
    )


def position(bias: PairBias) -> AuditFinding:
    """Of the verdicts that flip with the answer order, the share won by the first answer."""
    orders = bias.order_inconsistency
    if orders is None:
        message = (
            f"Not measured: both answer orders are needed, and only the combined verdict is "
            f"known for the {bias.inconsistent.total} comparisons (see order inconsistency)."
        )
        return item("position", POSITION, Call.NOT_APPLICABLE, 0, message, details=_flips(0, 0, 0))
    consistency = 1 - (orders.value or 0)
    survive = f"{consistency:.0%} of {orders.total} pairwise verdicts survive swapping the answers"
    flips = bias.flips_won_by_first
    if flips is None:
        nq = orders.n_questions
        status = Call.CLEAR if nq >= MIN_QUESTIONS else Call.TOO_FEW
        message = (
            f"{survive}; no verdict flips between the two answers, so no position preference shows."
        )
        details = _flips(orders.total, 0, 0, consistency)
        return item("position", POSITION, status, nq, message, details=details)
    first, n, nq = flips.count, flips.total, flips.n_questions
    details = _flips(orders.total, first, n - first, consistency)
    p = hypothesis.binomial_p(first, n)
    low, high = flips.ci or (None, None)
    status = call(low, high, 0.5, nq)
    share = flips.value or 0
    if status is Call.TOO_FEW:
        message = (
            f"{survive}; the first answer wins {share:.0%} of flips: {too_few(nq, low, high)}."
        )
        return item("position", POSITION, status, nq, message, share, flips.ci, p, details)
    assert low is not None and high is not None  # call() found a real interval
    evidence = f"{n} flips, {fmt_ci(low, high, nq)}; binomial {p_is(p)}"
    if status is Call.FLAGGED:
        where = "first" if share > 0.5 else "second"
        message = (
            f"Position bias: when the verdict flips with the order, the {where} answer wins "
            f"{max(share, 1 - share):.0%} of the time ({evidence})."
        )
    else:
        message = (
            f"{survive}; no clear position preference"
            f" (first answer wins {share:.0%} of {evidence})."
        )
    message += disagreement(p, status is Call.FLAGGED, "binomial")
    return item("position", POSITION, status, nq, message, share, (low, high), p, details)


def order_inconsistency(share: Share) -> AuditFinding:
    """The share of verdicts whose two answer orders named opposite winners."""
    check, nq = "order_inconsistency", share.n_questions
    details = (Detail("n", share.total), Detail("inconsistent", share.count))
    if share.total == 0:
        message = "Not measured: the judge has no pairwise verdicts."
        return item(check, ORDER, Call.NOT_APPLICABLE, 0, message, details=details)
    value = share.value or 0
    counts = f"{share.count} of {share.total} verdicts"
    if share.count == 0:
        status = Call.CLEAR if nq >= MIN_QUESTIONS else Call.TOO_FEW
        message = f"No verdict changes with the answer order ({counts}, {questions(nq)})."
        if status is Call.TOO_FEW:
            message = f"No verdict changes with the answer order ({counts}): {too_few(nq)}."
        return item(check, ORDER, status, nq, message, 0.0, share.ci, None, details)
    low, high = share.ci or (None, None)
    status = call(low, high, 0, nq)
    what = f"the two answer orders named opposite winners in {value:.0%} ({counts})"
    if status is Call.TOO_FEW:
        message = f"Verdicts depend on the order: {what}; {too_few(nq, low, high)}."
    else:
        assert low is not None and high is not None
        message = (
            f"The judge's verdict depends on the answer order: {what}, {fmt_ci(low, high, nq)}. "
            "Such verdicts count as ties."
        )
    return item(check, ORDER, status, nq, message, value, share.ci, None, details)


def verbosity(bias: PairBias, pool: str) -> AuditFinding:
    """Does the judge pick the longer answer more often than the humans do?"""
    judge = bias.longer_wins_judge
    details = _share_details(judge, bias.longer_wins_humans)
    if bias.longer_wins_gap is None or judge is None:
        shown = f" It picks the longer answer in {_share(judge)}." if judge else ""
        message = f"Not measured: no {pool} votes on comparisons it decided.{shown}"
        return item("pair_verbosity", VERBOSITY, Call.NOT_APPLICABLE, 0, message, details=details)
    return _gap_finding(
        "pair_verbosity",
        VERBOSITY,
        bias.longer_wins_gap,
        judge,
        bias.longer_wins_humans,
        "the longer answer",
        pool,
        details,
        either_way=True,
    )


def self_preference(bias: PairBias, pool: str) -> AuditFinding:
    """Does the judge pick its own family's answer more often than the humans do?"""
    judge, family = bias.own_model_wins_judge, bias.judge_family
    details = (Detail("judge_family", family), *_share_details(judge, bias.own_model_wins_humans))
    check = "pair_self_preference"
    if family is None or judge is None or bias.own_model_wins_gap is None:
        why = (
            "the judge's family is unknown"
            if family is None
            else f"no {pool} votes on comparisons between a {family}-family model"
            " and another family"
        )
        return item(check, SELF, Call.NOT_APPLICABLE, 0, f"Not applicable: {why}.", details=details)
    return _gap_finding(
        check,
        SELF,
        bias.own_model_wins_gap,
        judge,
        bias.own_model_wins_humans,
        f"the {family} answer",
        pool,
        details,
        either_way=False,
    )


def _gap_finding(
    check: str,
    title: str,
    gap: Gap,
    judge: Share,
    humans: Share | None,
    target: str,
    pool: str,
    details: tuple[Detail, ...],
    either_way: bool,
) -> AuditFinding:
    """A judge-minus-humans share difference, flagged by its interval."""
    low, high = gap.ci or (None, None)
    nq, value = gap.n_questions, gap.value or 0
    p = _fisher(judge, humans)
    status = call(low, high, 0, nq)
    harsher = not either_way and status is Call.FLAGGED and value < 0
    if harsher:
        status = Call.CLEAR  # a judge harder on its own family shows no self-preference
    shares = f"it picks {target} in {_share(judge)}, the {pool} votes in {_share(humans)}"
    if status is Call.TOO_FEW:
        message = f"Difference {value:+.2f} ({shares}): {too_few(nq, low, high)}."
        return item(check, title, status, nq, message, value, gap.ci, p, details)
    assert low is not None and high is not None
    test = f"; Fisher {p_is(p)}" if p is not None else ""
    evidence = f"difference {value:+.2f}, {fmt_ci(low, high, nq)}{test}"
    if status is Call.FLAGGED:
        more = "more" if value > 0 else "less"
        message = f"The judge favours {target} {more} than the {pool} votes: {shares} ({evidence})."
    else:
        message = f"No clear difference from the {pool} votes: {shares} ({evidence})."
    if not harsher:
        message += disagreement(p, status is Call.FLAGGED, "Fisher")
    return item(check, title, status, nq, message, value, (low, high), p, details)


def _share(share: Share | None) -> str:
    """'62% of 410 decisive verdicts'."""
    if share is None or not share.total:
        return "none of 0 decisive verdicts"
    return f"{share.value or 0:.0%} of {share.total} decisive verdicts"


def _share_details(judge: Share | None, humans: Share | None) -> tuple[Detail, ...]:
    """Both shares and their sizes, for JSON."""
    return (
        Detail("judge_share", clean(judge.value) if judge else None),
        Detail("judge_n", judge.total if judge else 0),
        Detail("human_share", clean(humans.value) if humans else None),
        Detail("human_n", humans.total if humans else 0),
    )


def _fisher(judge: Share, humans: Share | None) -> float | None:
    """Fisher's exact test of the two shares as if independent (for reference only)."""
    if humans is None or not humans.total or not judge.total:
        return None
    table = [
        [judge.count, judge.total - judge.count],
        [humans.count, humans.total - humans.count],
    ]
    return hypothesis.fisher_p(table)
