"""The first numbers of the stats screen: each judge against the humans, counted in SQL.

At scale, reading every paired rating into memory takes most of a second. The joint table
of (human score, judge score) counts holds every point estimate, and SQLite counts it
while walking the ratings' index, so these numbers come first; breakdowns and intervals
follow from the full report.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from mtbench_tui import __version__
from mtbench_tui.core.analysis.model import (
    AgreementRow,
    Counts,
    JudgeBlock,
    MetricValues,
    Report,
    ReportSettings,
)
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.clock import report_time
from mtbench_tui.core.stats.paired import METRICS, Estimate, metrics
from mtbench_tui.core.store import Store

SCHEMA = "mtbench-review/stats/2"


def first_numbers(store: Store, settings: Settings | None = None) -> Report:
    """Point estimates of every judge against all reviewers pooled and each reviewer.

    Args:
        store: the database.
        settings: the settings the full report will use (shown, not applied).

    Returns:
        A report with only ``judge_human`` rows (no breakdowns, intervals or audit).
    """
    s = settings or Settings()
    reviewers = store.analysis.rating_counts()
    judges = store.content.judge_labels()
    activity = store.analysis.pair_activity()
    return Report(
        schema=SCHEMA,
        tool_version=__version__,
        generated=report_time(),
        database=Path(str(store.path)).name if store.path else None,
        settings=ReportSettings(s.n_resamples, s.confidence, s.seed, (), None, None),
        counts=Counts(
            *store.content.counts(),
            ratings=sum(reviewers.values()),
            ratings_by_reviewer=tuple(reviewers.items()),
            pair_votes=activity.votes,
            pair_verdicts=activity.verdicts,
        ),
        judges=tuple(judges),
        reviewers=tuple(reviewers),
        summary=(),
        judge_human=tuple(_block(store, j, list(reviewers)) for j in judges),
        human_human=None,
        pairwise=(),
        bias=(),
        no_verdict=(),
    )


def _block(store: Store, judge: str, reviewers: list[str]) -> JudgeBlock:
    """One judge: all reviewers pooled, then each reviewer (when there are several)."""
    counts = store.analysis.joint_counts(judge)
    questions: dict[str, set[int]] = defaultdict(set)
    for question, reviewer in store.analysis.rated_questions(judge):
        questions[reviewer].add(question)
    pooled = set().union(*questions.values()) if questions else set()
    rows = [_row("all", counts, len(pooled))]
    for name in reviewers if len(reviewers) > 1 else []:
        mine = [c for c in counts if c[0] == name]
        rows.append(_row(name, mine, len(questions.get(name, ()))))
    model = store.analysis.judge_model(judge) if counts else None
    return JudgeBlock(judge, model, tuple(rows))


def _row(label: str, counts: list[tuple[str, float, float, int]], n_questions: int) -> AgreementRow:
    """Every metric of one joint table, without intervals."""
    n = sum(c[3] for c in counts)
    if n == 0:
        nan = float("nan")
        empty = {m: Estimate(0.0 if m == "n" else nan, nan, nan) for m in METRICS}
        return AgreementRow(label, 0, 0, MetricValues.of(empty))
    a_values = np.unique([c[1] for c in counts])
    b_values = np.unique([c[2] for c in counts])
    table = np.zeros((a_values.size, b_values.size))
    for _r, h, j, k in counts:
        table[np.searchsorted(a_values, h), np.searchsorted(b_values, j)] += k
    with np.errstate(divide="ignore", invalid="ignore"):
        values = metrics(table, a_values, b_values)
    nan = float("nan")
    raw = {m: Estimate(float(values[m]), nan, nan) for m in METRICS}
    return AgreementRow(label, n, n_questions, MetricValues.of(raw))
