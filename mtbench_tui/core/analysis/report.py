"""Build the statistics report: what ``stats``, the exports and the app all show."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from pathlib import Path

from mtbench_tui import __version__
from mtbench_tui.core.analysis import gates
from mtbench_tui.core.analysis.agreement import (
    BREAKDOWNS,
    Settings,
    human_human_block,
    pairwise_block,
    start_judge_human_rows,
)
from mtbench_tui.core.analysis.findings import GateSpec, JudgeAudit, NoVerdict
from mtbench_tui.core.analysis.frames import RatingPairs
from mtbench_tui.core.analysis.model import (
    Annotation,
    Annotations,
    Counts,
    Dataset,
    ImportedFiles,
    JudgeBlock,
    Report,
    ReportSettings,
)
from mtbench_tui.core.analysis.pair_tables import pool_name, verdict_tables
from mtbench_tui.core.analysis.side_reads import start_frames, start_side_reads
from mtbench_tui.core.analysis.summary import bootstrapped, summarise
from mtbench_tui.core.clock import report_time
from mtbench_tui.core.pairwise.results import PairwiseAgreement
from mtbench_tui.core.stats import hypothesis, memory
from mtbench_tui.core.stats.paired import PairedData
from mtbench_tui.core.stats.parallel import one_blas_thread
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import NoVerdictCount

SCHEMA = "mtbench-review/stats/2"


def build_report(
    store: Store,
    judge: str | None = None,
    reviewer: str | None = None,
    by: tuple[str, ...] = BREAKDOWNS,
    settings: Settings | None = None,
    gate_specs: Sequence[GateSpec] | None = None,
    with_dataset: bool = False,
    with_annotations: bool = False,
    with_audit: bool = True,
    humans: str | None = None,
    frames: Mapping[str, RatingPairs] | None = None,
) -> Report:
    """Compute every section of the statistics report.

    Args:
        store: the database.
        judge: only this judge (default: every judge with verdicts).
        reviewer: also report this reviewer on their own (the pooled "all" row is always there).
        by: breakdowns to compute, any of turn, category, model.
        settings: bootstrap settings.
        gate_specs: CI gates to evaluate (None: the report has no gates section).
        with_dataset: include what was imported (for exported reports).
        with_annotations: include reviewers' comments and flagged turns (for exported reports).
        with_audit: run the bias audit, its scipy tests in a helper process (False: a quicker
            report without bias and no-verdict sections, and no helper).
        humans: the reviewer group whose pairwise votes form the human pool (the paper's:
            ``expert``); None pools every reviewer.
        frames: the judges' paired ratings already read (``load_frames``), to read them once.

    Returns:
        The typed report (``to_json`` gives schema ``mtbench-review/stats/2``).
    """
    # The audit's tests need scipy.stats, whose import holds the GIL for 0.6 s and stalled
    # the bootstrap's threads wherever it ran; a helper process imports it meanwhile.
    helper = hypothesis.elsewhere() if with_audit else nullcontext()
    with one_blas_thread(), memory.paused_gc(), helper:
        report = _build(
            store,
            judge,
            reviewer,
            by,
            settings or Settings(),
            gate_specs,
            with_dataset,
            with_annotations,
            with_audit,
            humans,
            frames,
        )
    memory.trim()  # the app keeps running: give the bootstrap's freed memory back
    return report


def _build(
    store: Store,
    judge: str | None,
    reviewer: str | None,
    by: tuple[str, ...],
    s: Settings,
    gate_specs: Sequence[GateSpec] | None,
    with_dataset: bool,
    with_annotations: bool,
    with_audit: bool,
    humans: str | None,
    frames: Mapping[str, RatingPairs] | None,
) -> Report:
    """``build_report``'s work."""
    side = start_side_reads(store)
    reading = start_frames(store, judge) if frames is None else lambda: dict(frames)
    pairs_by_judge = reading()
    judges = list(pairs_by_judge)
    ratings = side.ratings()
    reviewers, rated_twice = ratings.counts, ratings.rated_twice
    jobs: list[Callable[[], JudgeBlock]] = []
    for j, p in pairs_by_judge.items():
        if jobs:
            jobs[-1]()  # one judge's bootstrap in memory at a time, as before
        jobs.append(
            _start_judge_block(j, p, reviewer, list(reviewers), s, by, bootstrapped(p, rated_twice))
        )
    # While the threads bootstrap the last judge, this thread does what needs none of it.
    # The summary, human-human and the audit ask the engine for samples of that bootstrap,
    # so they come after it.
    pairwise = tuple(pairwise_block(j, p, s) for j, p in pairs_by_judge.items())
    reads = side()
    activity = reads.activity
    verdicts = _pair_agreement(store, humans, s) if any(activity) else None
    blocks = tuple(job() for job in jobs)
    return Report(
        schema=SCHEMA,
        tool_version=__version__,
        generated=report_time(),
        database=Path(str(store.path)).name if store.path else None,
        settings=ReportSettings(
            s.n_resamples, s.confidence, s.seed, by, judge, reviewer, humans=humans
        ),
        counts=Counts(
            *reads.counts,
            ratings=sum(reviewers.values()),
            ratings_by_reviewer=tuple(reviewers.items()),
            pair_votes=activity.votes,
            pair_verdicts=activity.verdicts,
        ),
        judges=tuple(judges),
        reviewers=tuple(reviewers),
        summary=tuple(summarise(j, p, rated_twice, s) for j, p in pairs_by_judge.items()),
        judge_human=blocks,
        human_human=human_human_block(rated_twice, pairs_by_judge, s),
        pairwise=pairwise,
        bias=_audits(store, pairs_by_judge, s, verdicts, judge) if with_audit else (),
        no_verdict=_no_verdicts(reads.no_verdict_rates) if with_audit else (),
        gates=None if gate_specs is None else gates.evaluate(gate_specs, blocks),
        dataset=dataset(store) if with_dataset else None,
        annotations=load_annotations(store, judges[0] if judges else None)
        if with_annotations
        else None,
        agreement_tables=verdict_tables(verdicts, judge) if verdicts else (),
    )


def _pair_agreement(store: Store, humans: str | None, s: Settings) -> PairwiseAgreement:
    """Pairwise verdict agreement with the report's bootstrap settings."""
    from mtbench_tui.core.pairwise.agreement import pairwise_agreement

    return pairwise_agreement(
        store, humans, n_resamples=s.n_resamples, confidence=s.confidence, seed=s.seed
    )


def _audits(
    store: Store,
    pairs: dict[str, RatingPairs],
    s: Settings,
    verdicts: PairwiseAgreement | None,
    judge: str | None,
) -> tuple[JudgeAudit, ...]:
    """The bias audit of every judge: checks on scores, then on pairwise verdicts.

    Their scipy tests run in the report's helper process (``core.stats.hypothesis``).
    """
    from mtbench_tui.core.analysis.audit import audit
    from mtbench_tui.core.analysis.pair_audit import no_usable_verdicts, pair_findings

    found = {j: list(audit(store, j, p, s).findings) for j, p in pairs.items()}
    if verdicts is not None:
        pool = pool_name(verdicts.settings.humans)
        measured = {b.judge: b for b in verdicts.bias}
        for name, n in store.analysis.pair_judge_counts():
            if judge is None or name == judge:
                bias = measured.get(name)
                extra = pair_findings(bias, pool) if bias else (no_usable_verdicts(n),)
                found.setdefault(name, []).extend(extra)
    return tuple(JudgeAudit(j, tuple(f)) for j, f in found.items())


def _no_verdicts(rates: Sequence[NoVerdictCount]) -> tuple[NoVerdict, ...]:
    """Verdicts without a rating, per judge and prompt, with Wilson intervals."""
    from mtbench_tui.core.analysis.audit import no_verdicts

    return no_verdicts(rates)


def _start_judge_block(
    judge: str,
    pairs: RatingPairs,
    reviewer: str | None,
    reviewers: list[str],
    s: Settings,
    by: tuple[str, ...],
    also: Sequence[PairedData],
) -> Callable[[], JudgeBlock]:
    """Begin the block: all reviewers pooled, then the asked-for reviewer (or each of several).

    ``also``: samples the summary will ask for, bootstrapped with the rows. The function
    returned waits for the bootstrap and gives the block.
    """
    rows = [("all", pairs)]
    coded = pairs.coded("reviewer")
    for name in [reviewer] if reviewer else (reviewers if len(reviewers) > 1 else []):
        mine = coded.codes == coded.values.index(name) if name in coded.values else coded.codes < 0
        rows.append((name, pairs.select(mine)))
    waiting = start_judge_human_rows(rows, s, by, also)
    return lambda: JudgeBlock(judge, pairs.judge_model, waiting())


def dataset(store: Store) -> Dataset:
    """What was imported, when: the dataset the numbers describe.

    Args:
        store: the database.

    Returns:
        Imports (file names only), models and categories.
    """
    return Dataset(
        imports=tuple(ImportedFiles(i.at, i.files) for i in store.content.imports()),
        models=tuple(store.content.models()),
        categories=tuple(store.content.categories()),
    )


def load_annotations(store: Store, judge: str | None) -> Annotations:
    """Every comment and flagged turn, beside one judge's score.

    Args:
        store: the database.
        judge: whose score to show beside each rating (the report's first judge).

    Returns:
        The annotations.
    """
    items = tuple(
        Annotation(
            question_id=r.question_id,
            model=r.model,
            turn=r.turn,
            reviewer=r.reviewer,
            category=r.category,
            score=r.score,
            judge_score=r.judge_score,
            flags=tuple(json.loads(r.flags)),
            note=r.note,
        )
        for r in store.analysis.annotations(judge)
    )
    return Annotations(judge, items)
