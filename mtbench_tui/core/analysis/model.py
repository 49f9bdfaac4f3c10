"""The statistics report as frozen dataclasses: what every renderer and ``to_json`` read.

Numbers are already rounded (``numbers.clean``) and missing values are None, so every
view shows the same digits as the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from mtbench_tui.core.analysis.findings import Gate, JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.metrics import Metric
from mtbench_tui.core.analysis.numbers import Estimate

if TYPE_CHECKING:
    from mtbench_tui.core.stats import paired


@dataclass(frozen=True)
class MetricValues:
    """Every score metric of one comparison; ``n`` is the number of paired ratings."""

    n: int
    estimates: Mapping[str, Estimate]

    @classmethod
    def of(cls, raw: Mapping[str, paired.Estimate]) -> MetricValues:
        """From ``core.stats.grouped.agreement``'s output."""
        values = {name: Estimate.of(e) for name, e in raw.items() if name != "n"}
        return cls(int(raw["n"].value), MappingProxyType(values))

    def __getitem__(self, metric: Metric) -> Estimate:
        """The estimate of a (non-count) metric."""
        return self.estimates[metric.name]

    def value(self, metric: Metric) -> float | int | None:
        """The point value of any metric, ``n`` included."""
        return self.n if metric.name == "n" else self[metric].value


@dataclass(frozen=True)
class Group:
    """One group of a breakdown (a turn, a category or a model)."""

    name: str
    n: int
    n_questions: int
    metrics: MetricValues


@dataclass(frozen=True)
class Breakdown:
    """A comparison split by one field."""

    field: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class AgreementRow:
    """One judge against one reviewer (or all reviewers pooled)."""

    reviewer: str
    """A reviewer's name, or ``all``."""
    n: int
    n_questions: int
    metrics: MetricValues
    breakdowns: tuple[Breakdown, ...] = ()


@dataclass(frozen=True)
class JudgeBlock:
    """One judge against the humans: the pooled row first, then each reviewer."""

    judge: str
    judge_model: str | None
    rows: tuple[AgreementRow, ...]

    @property
    def pooled(self) -> AgreementRow:
        """The row of all reviewers pooled."""
        return self.rows[0]


@dataclass(frozen=True)
class SameItems:
    """A judge's agreement with humans on the turns two or more reviewers rated."""

    judge: str
    n: int
    n_questions: int
    metrics: MetricValues


@dataclass(frozen=True)
class HumanHuman:
    """Human-human agreement beside judge-human on the same turns (the paper's comparison)."""

    reviewers: tuple[str, ...]
    n: int
    n_turns: int
    n_questions: int
    metrics: MetricValues
    same_items: tuple[SameItems, ...]


@dataclass(frozen=True)
class Summary:
    """The report's opening verdict for one judge, in plain language.

    Does the judge agree with humans about as well as humans agree with each other?
    Both are measured on the same turns (those two or more reviewers rated), and their
    difference gets a paired cluster-bootstrap interval.
    """

    judge: str
    verdict: str
    """``as_well``, ``less``, ``more``, ``too_few``, ``no_human_pairs`` or ``no_ratings``."""
    metric: str
    judge_human: Estimate | None
    human_human: Estimate | None
    difference: Estimate | None
    """judge-human minus human-human."""
    n_questions: int
    message: str


@dataclass(frozen=True)
class AgreementCell:
    """Agreement of two raters' verdicts: how many trials agreed out of how many.

    Used for pairwise agreement derived from scores today, and the extension point for
    pairwise verdict tables (judge-human and human-human, per turn, with and without ties).
    """

    agree: int
    total: int
    rate: Estimate
    n_questions: int | None = None
    """Distinct questions the trials come from (the bootstrap's clusters), if known."""
    baseline: float | None = None
    """The agreement two random raters would reach (None: not computed)."""
    kappa: Estimate | None = None
    """Cohen's κ over the verdict classes (None: not computed)."""


@dataclass(frozen=True)
class TiesPair:
    """The same agreement with ties as a class and with tie trials dropped."""

    with_ties: AgreementCell
    without_ties: AgreementCell


@dataclass(frozen=True)
class PairwiseBlock:
    """MT-Bench pairwise agreement derived from one judge's scores and the humans' scores."""

    judge: str
    n_comparisons: int
    judge_human: TiesPair
    human_human: TiesPair


@dataclass(frozen=True)
class TableRow:
    """One row of an AgreementTable: a comparison (and scope) with a cell per column.

    ``first``, ``kind``, ``second`` and ``scope`` name the row for machines (None in
    tables that don't need them); ``label`` is what people read.
    """

    label: str
    cells: tuple[AgreementCell | None, ...]
    first: str | None = None
    """A judge, or the human pool."""
    kind: str | None = None
    """``pair`` or ``single`` for a judge (single: winners derived from grades), ``human``."""
    second: str | None = None
    """What ``first`` is compared with: the pool's votes, its majority, another judge."""
    scope: str | None = None
    """``turn 1``, ``turn 2``, ``all`` or ``category NAME``."""


@dataclass(frozen=True)
class AgreementTable:
    """A labelled grid of agreement cells: rows are comparisons, columns are settings.

    The generic form every renderer can draw; the pairwise verdict sections are tables
    of this type (``core.analysis.pair_tables``).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    note: str = ""
    column_keys: tuple[str, ...] = ()
    """Machine names of the columns (e.g. ``with_ties``), if any."""


@dataclass(frozen=True)
class ReportSettings:
    """How the report was computed."""

    bootstrap_resamples: int
    confidence: float
    seed: int
    by: tuple[str, ...]
    judge: str | None
    reviewer: str | None
    cluster: str = "question_id"
    humans: str | None = None
    """The reviewer group whose pairwise votes form the human pool (None: everyone)."""


@dataclass(frozen=True)
class Counts:
    """What the database holds."""

    questions: int
    reference_answers: int
    answers: int
    judgments: int
    no_verdict: int
    ratings: int
    ratings_by_reviewer: tuple[tuple[str, int], ...]
    pair_votes: int = 0
    """Human pairwise votes with a winner (all groups)."""
    pair_verdicts: int = 0
    """Judges' pairwise verdicts (errors included)."""


@dataclass(frozen=True)
class ImportedFiles:
    """One import: when, and which files (names only)."""

    at: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """The dataset the numbers describe (in exported reports)."""

    imports: tuple[ImportedFiles, ...]
    models: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Annotation:
    """A reviewer's comment or flags on a turn, beside the judge's score."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    category: str
    score: float | None
    judge_score: float | None
    flags: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Annotations:
    """Every comment and flagged turn (in exported reports), against one judge's scores."""

    judge: str | None
    items: tuple[Annotation, ...]


@dataclass(frozen=True)
class Report:
    """The whole statistics report: what ``stats``, the exports and the app show."""

    schema: str
    tool_version: str
    generated: str
    database: str | None
    settings: ReportSettings
    counts: Counts
    judges: tuple[str, ...]
    reviewers: tuple[str, ...]
    summary: tuple[Summary, ...]
    judge_human: tuple[JudgeBlock, ...]
    human_human: HumanHuman | None
    pairwise: tuple[PairwiseBlock, ...]
    bias: tuple[JudgeAudit, ...]
    no_verdict: tuple[NoVerdict, ...]
    gates: tuple[Gate, ...] | None = None
    """None when no gates were asked for and the caller wants no ``gates`` section."""
    dataset: Dataset | None = None
    annotations: Annotations | None = None
    """Reviewers' comments and flagged turns (exported reports only)."""
    agreement_tables: tuple[AgreementTable, ...] = field(default=())
    """Pairwise verdict agreement (judges and humans on A/B/tie votes), when there are any."""

    def block(self, judge: str) -> JudgeBlock | None:
        """The judge-human block of one judge."""
        return next((b for b in self.judge_human if b.judge == judge), None)
