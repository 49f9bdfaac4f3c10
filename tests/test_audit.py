"""Each bias check on constructed data with a known right answer, no rows and all errors too."""

from __future__ import annotations

import numpy as np
import pytest

from mtbench_tui.core.analysis import audit, bias, gaps
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.significance import MIN_QUESTIONS, Call, call
from mtbench_tui.core.stats import grouped, paired
from mtbench_tui.core.store.analysis_rows import BlindRevision, NoVerdictCount

S = Settings(n_resamples=400, seed=1)


def make_pairs(
    human: list[float],
    judge: list[float],
    questions: list[int],
    *,
    models: list[str] | None = None,
    categories: list[str] | None = None,
    turns: list[int] | None = None,
    lengths: list[float] | None = None,
    judge_model: str | None = "gpt-4",
) -> RatingPairs:
    """Paired ratings built directly, one reviewer."""
    n = len(human)
    return RatingPairs(
        question_id=np.asarray(questions, dtype=int),
        model=np.asarray(models or ["m"] * n, dtype=object),
        turn=np.asarray(turns or [1] * n, dtype=int),
        reviewer=np.asarray(["r"] * n, dtype=object),
        human=np.asarray(human, dtype=float),
        judge=np.asarray(judge, dtype=float),
        category=np.asarray(categories or ["writing"] * n, dtype=object),
        length=np.asarray(lengths or [100] * n, dtype=float),
        judge_model=judge_model,
    )


def overall(pairs: RatingPairs) -> dict[str, paired.Estimate]:
    """Every metric, as audit() computes it."""
    return grouped.agreement(pairs.paired(), S.n_resamples, S.confidence, S.seed)


def lenient(n_questions: int, per_question: int = 4) -> RatingPairs:
    """The judge scores 1 or 2 points above the human, varying by question: mean gap 1.5."""
    human, judge, qs = [], [], []
    for q in range(n_questions):
        for k in range(per_question):
            h = 2 + (q + k) % 6
            human.append(h)
            judge.append(h + 1 + q % 2)
            qs.append(q)
    return make_pairs(human, judge, qs)


EMPTY = make_pairs([], [], [])


def test_the_flag_rule() -> None:
    assert call(0.1, 0.5, 0, MIN_QUESTIONS) is Call.FLAGGED
    assert call(-0.5, -0.1, 0, MIN_QUESTIONS) is Call.FLAGGED
    assert call(-0.1, 0.5, 0, MIN_QUESTIONS) is Call.CLEAR
    assert call(0.1, 0.5, 0, MIN_QUESTIONS - 1) is Call.TOO_FEW
    assert call(-0.167, -0.167, 0, 50) is Call.TOO_FEW  # a single point says nothing
    assert call(None, None, 0, 50) is Call.TOO_FEW


def test_leniency_found_with_enough_questions() -> None:
    pairs = lenient(12)
    found = bias.leniency(pairs, overall(pairs))
    assert found.effect == pytest.approx(1.5)
    assert found.flag and found.status is Call.FLAGGED and found.n_questions == 12
    assert found.ci.low > 0 and "1.50 points higher" in found.message


def test_leniency_with_two_questions_is_too_few_to_tell() -> None:
    pairs = lenient(2)
    found = bias.leniency(pairs, overall(pairs))
    assert found.effect == pytest.approx(1.5)
    assert not found.flag and found.status is Call.TOO_FEW
    assert "too few questions to tell (2 questions; 10 needed)" in found.message


def test_a_constant_gap_gives_a_point_interval_and_no_flag() -> None:
    qs = list(range(12))
    pairs = make_pairs([5.0] * 12, [6.0] * 12, qs)
    found = bias.leniency(pairs, overall(pairs))
    assert found.ci.low == found.ci.high == 1.0
    assert found.status is Call.TOO_FEW and "single point" in found.message


def test_p_value_and_interval_disagreeing_is_explained() -> None:
    # Per question: one rating 2-2.5 points above the human, two 1 point below. The mean gap
    # is positive on every question (interval above 0); the signed-rank test is not significant.
    human, judge, qs = [], [], []
    for q in range(30):
        for k in range(3):
            human.append(5.0)
            judge.append(5.0 + (2 + (q % 2) * 0.5 if k == 0 else -1.0))
            qs.append(q)
    pairs = make_pairs(human, judge, qs)
    found = bias.leniency(pairs, overall(pairs))
    assert found.ci.low > 0 and found.p_value > 0.05
    assert found.flag, "the interval governs"
    assert "The Wilcoxon test (p = 0.363) disagrees" in found.message
    assert "the interval, which resamples whole questions, decides" in found.message


def test_every_pair_check_handles_no_rows() -> None:
    empty = overall(EMPTY)
    for found in (
        bias.leniency(EMPTY, empty),
        bias.compression(EMPTY, empty),
        bias.verbosity(EMPTY, S),
        bias.self_preference(EMPTY, S),
        gaps.gaps_by(EMPTY, "category", S),
        gaps.gaps_by(EMPTY, "turn", S),
    ):
        assert found.status is Call.NOT_APPLICABLE and not found.flag, found.check
        assert found.message


def test_compression_found() -> None:
    human, judge, qs = [], [], []
    for q in range(15):
        for h in (1, 3, 5, 7, 9, 10):
            human.append(h)
            judge.append(round(5.5 + (h - 5.5) * 0.4 + ((q + h) % 3 - 1) * 0.5))
            qs.append(q)
    pairs = make_pairs(human, judge, qs)
    found = bias.compression(pairs, overall(pairs))
    assert found.effect < 0.6 and found.ci.high < 1
    assert found.flag and "compresses" in found.message


def test_verbosity_found() -> None:
    human, judge, qs, lengths = [], [], [], []
    for q in range(12):
        for k, length in enumerate((50, 100, 200, 400, 800)):
            human.append(5)
            judge.append(3 + k + (q % 2) * 0.5)  # one more point per doubling
            qs.append(q)
            lengths.append(length)
    pairs = make_pairs(human, judge, qs, lengths=lengths)
    found = bias.verbosity(pairs, S)
    assert found.effect == pytest.approx(1.0) and found.flag
    assert "rewards length" in found.message


def test_self_preference_found_and_its_opposite_is_not() -> None:
    human, judge, qs, models = [], [], [], []
    for q in range(12):
        for model, gap in (("gpt-3.5-turbo", 2), ("claude-v1", 0), ("llama-13b", 0)):
            h = 3 + q % 5
            human.append(h)
            judge.append(h + gap + (q % 2) * 0.5)
            qs.append(q)
            models.append(model)
    favours = bias.self_preference(make_pairs(human, judge, qs, models=models), S)
    assert favours.flag and favours.effect == pytest.approx(2.0)
    harsh = [h - (j - h) for h, j in zip(human, judge)]
    stricter = bias.self_preference(make_pairs(human, harsh, qs, models=models), S)
    assert not stricter.flag and "stricter" in stricter.message
    unknown = bias.self_preference(make_pairs(human, judge, qs, judge_model="mystery"), S)
    assert unknown.status is Call.NOT_APPLICABLE


def test_gaps_flag_only_groups_with_enough_questions() -> None:
    human, judge, qs, cats = [], [], [], []
    for q in range(14):  # writing: 12 questions with a real gap; math: 2 questions
        category = "math" if q >= 12 else "writing"
        for k in range(3):
            human.append(5)
            judge.append(5 + 1 + (q + k) % 2)
            qs.append(q)
            cats.append(category)
    found = gaps.gaps_by(make_pairs(human, judge, qs, categories=cats), "category", S)
    by_name = {g.group: g for g in found.groups}
    assert by_name["writing"].flag and by_name["writing"].n_questions == 12
    assert not by_name["math"].flag and by_name["math"].status is Call.TOO_FEW
    assert by_name["math"].n_questions == 2
    assert found.flag and "writing (+1.50, 12 questions)" in found.message
    assert "Too few questions to tell for math (2 questions; 10 needed)" in found.message


def test_gaps_from_two_questions_are_never_flagged() -> None:
    pairs = make_pairs([5, 6, 5, 6], [4, 6, 5, 5], [1, 1, 2, 2], categories=["writing"] * 4)
    found = gaps.gaps_by(pairs, "category", S)
    assert not found.flag and found.status is Call.TOO_FEW
    assert found.message == "Too few questions per category to tell (2 questions; 10 needed)."


def revisions(n_questions: int, move: float) -> list[BlindRevision]:
    """Blind scores 3 below the judge; final scores ``move`` closer, varying by question."""
    return [
        BlindRevision(q, "m", 1, "r", 4.0, 4.0 + move * (q % 2 + 0.5), 7.0)
        for q in range(n_questions)
    ]


def test_anchoring() -> None:
    none = audit.anchoring([], S)
    assert (
        none.status is Call.NOT_APPLICABLE and "no scores were given in blind mode" in none.message
    )
    moved = audit.anchoring(revisions(12, 2.0), S)
    assert moved.flag and moved.effect == pytest.approx(2.0) and moved.n_questions == 12
    few = audit.anchoring(revisions(3, 2.0), S)
    assert not few.flag and few.status is Call.TOO_FEW
    still = audit.anchoring(revisions(12, 0.0), S)
    assert not still.flag and still.effect == 0


def test_no_verdict_rates() -> None:
    rows = [
        NoVerdictCount("j", "gpt-4", "single-v1", 0, 0),
        NoVerdictCount("j", "gpt-4", "single-v1-multi-turn", 40, 40),
        NoVerdictCount("j", "gpt-4", "single-math-v1", 200, 0),
    ]
    empty, all_missing, none_missing = audit.no_verdicts(rows)
    assert empty.rate is None and empty.ci is None and not empty.flag
    assert all_missing.rate == 1.0 and all_missing.flag and "100.0%" in all_missing.message
    assert none_missing.rate == 0.0 and not none_missing.flag
