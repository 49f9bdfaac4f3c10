"""Human-judge and human-human agreement on stored ratings, with cluster-bootstrap intervals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from mtbench_tui.core.analysis.frames import HumanPairs, RatingPairs
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of
from mtbench_tui.core.stats.paired import Estimate, agreement
from mtbench_tui.core.stats.verdicts import normalise_vote, score_vote

BREAKDOWNS = ("turn", "category", "model")


@dataclass(frozen=True)
class Settings:
    """How intervals are computed."""

    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0


def metrics_json(estimates: dict[str, Estimate]) -> dict[str, Any]:
    """Metric name -> {value, ci}; n as a plain integer."""
    return {name: (int(e.value) if name == "n" else e.as_dict()) for name, e in estimates.items()}


def judge_human_block(
    pairs: RatingPairs, label: str, settings: Settings, by: tuple[str, ...]
) -> dict[str, Any]:
    """Agreement of one reviewer (or all) with one judge, overall and broken down."""
    estimates = agreement(pairs.paired(), settings.n_resamples, settings.confidence, settings.seed)
    block: dict[str, Any] = {
        "reviewer": label,
        "n": pairs.n,
        "n_questions": int(np.unique(pairs.question_id).size),
        "metrics": metrics_json(estimates),
        "breakdowns": {},
    }
    for field in by:
        column = getattr(pairs, field)
        groups = []
        for value in sorted(set(column.tolist()), key=str):
            mask = column == value
            sub = agreement(
                pairs.paired(mask), settings.n_resamples, settings.confidence, settings.seed
            )
            groups.append({"group": str(value), "n": int(mask.sum()), "metrics": metrics_json(sub)})
        block["breakdowns"][field] = groups
    return block


def human_human_block(
    humans: HumanPairs, judge_pairs: dict[str, RatingPairs], settings: Settings
) -> dict[str, Any] | None:
    """Human-human agreement, beside each judge's agreement with humans on the same turns (the paper's comparison)."""
    if humans.n == 0:
        return None
    shared = humans.turn_keys()
    same_items = []
    for judge, pairs in judge_pairs.items():
        keys = list(zip(pairs.question_id.tolist(), pairs.model.tolist(), pairs.turn.tolist()))
        mask = np.fromiter((k in shared for k in keys), dtype=bool, count=len(keys))
        if mask.any():
            est = agreement(
                pairs.paired(mask), settings.n_resamples, settings.confidence, settings.seed
            )
            same_items.append({"judge": judge, "n": int(mask.sum()), "metrics": metrics_json(est)})
    est = agreement(humans.paired(), settings.n_resamples, settings.confidence, settings.seed)
    return {
        "reviewers": list(humans.reviewers),
        "n": humans.n,
        "n_turns": len(shared),
        "metrics": metrics_json(est),
        "judge_human_same_items": same_items,
    }


def pairwise_block(pairs: RatingPairs, settings: Settings) -> dict[str, Any]:
    """MT-Bench's pairwise agreement, derived from scores: who scored which of two answers higher.

    For each question, turn and pair of models, each reviewer who scored both answers casts
    a vote (the higher score wins; equal is a tie), as does the judge. Every (judge vote,
    human vote) is a trial, and so is every pair of human votes on the same key.
    """
    human_scores: dict[tuple[int, int, str], dict[str, float]] = defaultdict(dict)
    judge_scores: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for q, m, t, r, h, j in zip(
        pairs.question_id.tolist(),
        pairs.model.tolist(),
        pairs.turn.tolist(),
        pairs.reviewer.tolist(),
        pairs.human.tolist(),
        pairs.judge.tolist(),
    ):
        human_scores[(q, t, r)][m] = h
        judge_scores[(q, t)][m] = j
    votes: dict[tuple[int, int, str, str], list[str]] = defaultdict(list)
    for (q, t, _r), by_model in human_scores.items():
        for m1, m2 in combinations(sorted(by_model), 2):
            votes[(q, t, m1, m2)].append(score_vote(by_model[m1], by_model[m2]))
    jh: list[tuple[int, bool, bool]] = []
    hh: list[tuple[int, bool, bool]] = []
    for (q, t, m1, m2), human_votes in votes.items():
        judged = judge_scores[(q, t)]
        judge_vote = score_vote(judged[m1], judged[m2])
        jh += [_trial(q, judge_vote, v) for v in human_votes]
        hh += [_trial(q, a, b) for a, b in combinations(human_votes, 2)]
    return {
        "n_comparisons": len(votes),
        "judge_human": _rates(jh, settings),
        "human_human": _rates(hh, settings),
    }


def _trial(question: int, left: str, right: str) -> tuple[int, bool, bool]:
    """(question, agree, involves a tie) for one comparison of two votes."""
    left, right = normalise_vote(left), normalise_vote(right)
    return question, left == right, "tie" in (left, right)


def _rates(trials: list[tuple[int, bool, bool]], settings: Settings) -> dict[str, Any]:
    """Agreement with ties (three classes) and without (tie trials dropped), with clustered CIs."""
    out = {}
    for name, keep_ties in (("with_ties", True), ("without_ties", False)):
        kept = [t for t in trials if keep_ties or not t[2]]
        agree = np.array([t[1] for t in kept], dtype=float)
        if agree.size == 0:
            out[name] = {"agree": 0, "total": 0, "rate": None, "ci": [None, None]}
            continue
        ci = bootstrap_sums(
            {"one": np.ones(agree.size), "agree": agree},
            np.array([t[0] for t in kept]),
            mean_of("agree"),
            settings.n_resamples,
            settings.confidence,
            settings.seed,
        )
        out[name] = {
            "agree": int(agree.sum()),
            "total": int(agree.size),
            "rate": round(float(agree.mean()), 6),
            "ci": [_round(ci.low), _round(ci.high)],
        }
    return out


def _round(x: float) -> float | None:
    """Round for JSON; NaN becomes None."""
    return None if not np.isfinite(x) else round(float(x), 6)
