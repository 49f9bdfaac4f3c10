"""The opening verdict: does the judge agree with humans as well as humans agree with each other?"""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.analysis.agreement import Settings, same_turns
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.metrics import metric
from mtbench_tui.core.analysis.model import Summary
from mtbench_tui.core.analysis.numbers import Estimate
from mtbench_tui.core.analysis.reviewer_pairs import HumanPairs
from mtbench_tui.core.analysis.significance import MIN_QUESTIONS, Call, call, questions
from mtbench_tui.core.stats import grouped, paired
from mtbench_tui.core.stats.compare import difference

METRIC = metric("kappa_quadratic")
"""The agreement measure the verdict compares (on the full 1-10 scale)."""

_VERDICTS = {
    "as_well": "agrees with humans about as well as humans agree with each other",
    "less": "agrees with humans less than humans agree with each other",
    "more": "agrees with humans more closely than humans agree with each other",
}


def summarise(judge: str, pairs: RatingPairs, humans: HumanPairs, s: Settings) -> Summary:
    """The plain-language verdict for one judge.

    Args:
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        humans: every pair of reviewers' scores on a shared turn.
        s: bootstrap settings.

    Returns:
        The summary.
    """
    if pairs.n == 0:
        message = f"No human has scored a turn that {judge} judged yet."
        return Summary(judge, "no_ratings", METRIC.name, None, None, None, 0, message)
    if humans.n == 0:
        return _no_human_pairs(judge, pairs, s)
    mine = _on_shared_turns(pairs, humans)
    jh = _kappa(mine, s)
    hh = _kappa(humans.paired(), s)
    diff = Estimate.of(
        difference(mine, humans.paired(), METRIC.name, s.n_resamples, s.confidence, s.seed)
    )
    nq = int(np.union1d(mine.clusters, humans.question_id).size)
    status = call(diff.ci.low, diff.ci.high, 0, nq)
    if nq >= MIN_QUESTIONS and diff.ci.low == diff.ci.high == 0:
        status = Call.CLEAR  # no resample tells them apart: they agree exactly as well
    if status is Call.TOO_FEW:
        verdict = "too_few"
    elif status is Call.CLEAR:
        verdict = "as_well"
    else:
        verdict = "more" if (diff.value or 0) > 0 else "less"
    message = _message(judge, verdict, jh, hh, diff, nq, len(humans.turn_keys()))
    return Summary(judge, verdict, METRIC.name, jh, hh, diff, nq, message)


def bootstrapped(pairs: RatingPairs, humans: HumanPairs) -> tuple[paired.PairedData, ...]:
    """The samples whose metrics ``summarise`` takes from the engine (to compute them early).

    Args:
        pairs: the judge's pairs with all reviewers.
        humans: every pair of reviewers' scores on a shared turn.

    Returns:
        The judge-human pairs on shared turns and the human-human pairs, or nothing.
    """
    if pairs.n == 0 or humans.n == 0:
        return ()
    return (_on_shared_turns(pairs, humans), humans.paired())


def _on_shared_turns(pairs: RatingPairs, humans: HumanPairs) -> paired.PairedData:
    """The judge's pairs on turns that two or more reviewers rated."""
    return pairs.paired(same_turns(pairs, humans.turn_keys()))


def _kappa(data: paired.PairedData, s: Settings) -> Estimate:
    """Quadratic κ with its interval."""
    raw = grouped.agreement(data, s.n_resamples, s.confidence, s.seed)[METRIC.name]
    return Estimate.of(raw)


def _no_human_pairs(judge: str, pairs: RatingPairs, s: Settings) -> Summary:
    """Only judge-human agreement is known."""
    jh = _kappa(pairs.paired(), s)
    nq = int(len(set(pairs.question_id.tolist())))
    message = (
        f"No turn has two reviewers yet, so {judge} can't be compared with human-human "
        f"agreement. Its {METRIC.short} with humans is {_value(jh)} over {questions(nq)}."
    )
    return Summary(judge, "no_human_pairs", METRIC.name, jh, None, None, nq, message)


def _value(e: Estimate) -> str:
    """'0.947 (95% CI 0.931 to 0.963)'."""
    if e.value is None:
        return "undefined"
    ci = _ci(e)
    return f"{e.value:.3f} ({ci[2:]})" if ci else f"{e.value:.3f}"


def _ci(e: Estimate) -> str:
    """', 95% CI 0.931 to 0.963', or '' without an interval."""
    if e.ci.low is None or e.ci.high is None:
        return ""
    return f", 95% CI {e.ci.low:.3f} to {e.ci.high:.3f}"


def _message(
    judge: str, verdict: str, jh: Estimate, hh: Estimate, diff: Estimate, nq: int, turns: int
) -> str:
    """The sentence for a compared judge."""
    numbers = (
        f"{METRIC.short} {jh.value or 0:.3f} judge-human vs {hh.value or 0:.3f} human-human "
        f"on the same {turns} turns"
    )
    if verdict == "too_few":
        return (
            f"Too few questions to tell whether {judge} agrees with humans as well as humans "
            f"agree with each other ({numbers}; {questions(nq)}, {MIN_QUESTIONS} needed)."
        )
    gap = f"difference {diff.value or 0:+.3f}{_ci(diff)}, {questions(nq)}"
    return f"{judge} {_VERDICTS[verdict]}: {numbers} ({gap})."
