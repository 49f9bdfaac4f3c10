"""Typed results of the pairwise agreement analysis, each with one ``to_json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA = "mtbench-review/pairwise/1"
"""The ``schema`` value of ``PairwiseAgreement.to_json()``."""

RANDOM_WITH_TIES = 1 / 3
RANDOM_WITHOUT_TIES = 1 / 2


def _ci(ci: tuple[float, float] | None) -> list[float] | None:
    """An interval as a JSON list."""
    return None if ci is None else [ci[0], ci[1]]


@dataclass(frozen=True)
class Cell:
    """One cell of the paper's Table 5: how many pairs agree out of how many."""

    agree: int
    total: int
    random: float
    """The agreement two random voters would reach: 1/3 with ties, 1/2 without."""
    ci: tuple[float, float] | None = None
    n_questions: int = 0
    """Distinct questions the pairs come from (the bootstrap's clusters)."""

    @property
    def rate(self) -> float | None:
        """agree / total, or None when there is nothing to compare."""
        return self.agree / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        """The cell as JSON."""
        return {
            "agree": self.agree,
            "total": self.total,
            "rate": self.rate,
            "random": self.random,
            "ci": _ci(self.ci),
            "n_questions": self.n_questions,
        }


@dataclass(frozen=True)
class Cells:
    """Agreement with and without ties on one slice (a turn, all turns, a category)."""

    scope: str
    with_ties: Cell
    without_ties: Cell

    def to_json(self) -> dict[str, Any]:
        """The slice as JSON."""
        return {
            "scope": self.scope,
            "with_ties": self.with_ties.to_json(),
            "without_ties": self.without_ties.to_json(),
        }


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa over {model_1, model_2, tie}, with its interval."""

    value: float | None
    ci: tuple[float, float] | None
    n: int
    n_questions: int = 0

    def to_json(self) -> dict[str, Any]:
        """The estimate as JSON."""
        return {
            "value": self.value,
            "ci": _ci(self.ci),
            "n": self.n,
            "n_questions": self.n_questions,
        }


@dataclass(frozen=True)
class AgreementRow:
    """One row of Table 5: ``first`` (a judge, or humans) against ``second``."""

    first: str
    kind: str
    """``pair`` or ``single`` (winners derived from grades) for a judge; ``human`` for humans."""
    second: str
    turns: tuple[Cells, ...]
    overall: Cells
    kappa: Kappa
    categories: tuple[Cells, ...]

    def turn(self, number: int) -> Cells:
        """The cells of turn 1 or 2."""
        return next(c for c in self.turns if c.scope == f"turn {number}")

    def to_json(self) -> dict[str, Any]:
        """The row as JSON."""
        return {
            "first": self.first,
            "kind": self.kind,
            "second": self.second,
            "turns": [c.to_json() for c in self.turns],
            "overall": self.overall.to_json(),
            "kappa": self.kappa.to_json(),
            "categories": [c.to_json() for c in self.categories],
        }


@dataclass(frozen=True)
class Share:
    """A proportion with its question-clustered interval."""

    count: int
    total: int
    ci: tuple[float, float] | None
    n_questions: int = 0
    """Distinct questions behind the share (the bootstrap's clusters)."""

    @property
    def value(self) -> float | None:
        """count / total, or None when empty."""
        return self.count / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        """The share as JSON."""
        return {
            "count": self.count,
            "total": self.total,
            "value": self.value,
            "ci": _ci(self.ci),
            "n_questions": self.n_questions,
        }


@dataclass(frozen=True)
class Gap:
    """The judge's share minus the humans' share on the same comparisons.

    One bootstrap draws the same questions for both shares, so the interval is of the
    difference itself.
    """

    value: float | None
    ci: tuple[float, float] | None
    n_questions: int

    def to_json(self) -> dict[str, Any]:
        """The difference as JSON."""
        return {"value": self.value, "ci": _ci(self.ci), "n_questions": self.n_questions}


@dataclass(frozen=True)
class PairBias:
    """Pairwise bias checks for one judge. A check is None where its data is missing."""

    judge: str
    inconsistent: Share
    """Share of the judge's verdicts whose two answer orders named different winners."""
    order_inconsistency: Share | None
    """Share of comparisons whose g1 and g2 verdicts differ at all (needs both orders)."""
    first_position_wins: Share | None
    """Of decisive order-verdicts, the share won by the answer shown first (0.5 = no bias)."""
    longer_wins_judge: Share | None
    """Of the judge's decisive verdicts on comparisons humans voted on, the share for the
    longer answer."""
    longer_wins_humans: Share | None
    """The same share for the humans' decisive votes on those comparisons."""
    own_model_wins_judge: Share | None
    """Where one model shares the judge's family: the share of decisive verdicts it wins."""
    own_model_wins_humans: Share | None
    """The same share among human votes on those comparisons."""
    flips_won_by_first: Share | None = None
    """Of the comparisons whose two orders named opposite winners (with both orders known),
    the share where the answer shown first won both times (0.5 = no position preference)."""
    longer_wins_gap: Gap | None = None
    """longer_wins_judge - longer_wins_humans, with a joint interval."""
    own_model_wins_gap: Gap | None = None
    """own_model_wins_judge - own_model_wins_humans, with a joint interval."""
    judge_family: str | None = None
    """The judge's model family (None when unknown), for self-preference."""

    def to_json(self) -> dict[str, Any]:
        """The checks as JSON."""
        names = (
            "inconsistent",
            "order_inconsistency",
            "first_position_wins",
            "flips_won_by_first",
            "longer_wins_judge",
            "longer_wins_humans",
            "longer_wins_gap",
            "own_model_wins_judge",
            "own_model_wins_humans",
            "own_model_wins_gap",
        )
        out: dict[str, Any] = {"judge": self.judge}
        for name in names:
            share = getattr(self, name)
            out[name] = None if share is None else share.to_json()
        out["judge_family"] = self.judge_family
        return out


@dataclass(frozen=True)
class Settings:
    """How the intervals were computed."""

    n_resamples: int
    confidence: float
    seed: int
    humans: str | None
    """The reviewer group forming the human pool; None pools every reviewer."""

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON."""
        return {
            "bootstrap_resamples": self.n_resamples,
            "confidence": self.confidence,
            "seed": self.seed,
            "cluster": "question_id",
            "humans": self.humans,
        }


@dataclass(frozen=True)
class PairwiseAgreement:
    """Everything the pairwise analysis found, laid out like the paper's Table 5."""

    settings: Settings
    n_votes: int
    n_reviewers: int
    n_comparisons: int
    judge_human: tuple[AgreementRow, ...]
    human_human: AgreementRow | None
    judge_majority: tuple[AgreementRow, ...]
    judge_judge: tuple[AgreementRow, ...]
    bias: tuple[PairBias, ...]

    def row(self, first: str, kind: str = "pair") -> AgreementRow:
        """The judge-vs-humans row of one judge."""
        return next(r for r in self.judge_human if r.first == first and r.kind == kind)

    def to_json(self) -> dict[str, Any]:
        """The whole result as JSON (schema ``mtbench-review/pairwise/1``)."""
        return {
            "schema": SCHEMA,
            "settings": self.settings.to_json(),
            "counts": {
                "votes": self.n_votes,
                "reviewers": self.n_reviewers,
                "comparisons": self.n_comparisons,
            },
            "judge_human": [r.to_json() for r in self.judge_human],
            "human_human": None if self.human_human is None else self.human_human.to_json(),
            "judge_majority": [r.to_json() for r in self.judge_majority],
            "judge_judge": [r.to_json() for r in self.judge_judge],
            "bias": [b.to_json() for b in self.bias],
        }
