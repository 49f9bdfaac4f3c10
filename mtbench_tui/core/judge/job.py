"""Plan and run a judge job: the one entry point the CLI's `judge` and the app's re-judge share."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from mtbench_tui.core.judge import batch as batch_mode
from mtbench_tui.core.judge.job_types import JobSummary, JudgeJob
from mtbench_tui.core.judge.locked import LockedWriter, OnLock
from mtbench_tui.core.judge.owner import owner_alive, owner_token
from mtbench_tui.core.judge.pair_plan import make_pair_plan, resolve_pairs
from mtbench_tui.core.judge.pair_prompts import (
    PairPromptSet,
    builtin_pair_prompts,
    load_pair_prompt_file,
    pair_judge_label,
)
from mtbench_tui.core.judge.plan import make_plan
from mtbench_tui.core.judge.processes import REQUESTS_PER_PROCESS, JudgeRun, warm_up
from mtbench_tui.core.judge.prompts import PromptSet, builtin_prompts, load_prompt_file
from mtbench_tui.core.judge.runtypes import Event, api_key
from mtbench_tui.core.models import judge_label
from mtbench_tui.core.store import Store

OnPlan = Callable[[JobSummary], bool]
"""Shown the plan before anything is sent or recorded; False declines the run."""
OnEvent = Callable[[Event], None]
"""Told of each item's outcome and each retry as they happen."""


def plan_job(store: Store, job: JudgeJob) -> JobSummary:
    """What a job would send, skip and cost, without sending or recording anything.

    Args:
        store: the store.
        job: the job.

    Returns:
        A summary in status ``planned``.

    Raises:
        InputError: a bad prompts file.
        ValueError: a pair selection names a model without answers.
    """
    prompts = load_prompts(job)
    options = job.plan_options()
    if isinstance(prompts, PairPromptSet):
        pairs = resolve_pairs(store, job.pairs, list(job.models) if job.models else None)
        plan = make_pair_plan(store, prompts, options, pairs)
        judge = pair_judge_label(job.judge_model, prompts.family)
    else:
        plan = make_plan(store, prompts, options)
        judge = judge_label(job.judge_model, prompts.family)
    return JobSummary(
        status="planned",
        plan=plan,
        estimate=plan.estimate(job.prices, job.judge_model, batch=job.batch),
        judge=judge,
        family=prompts.family,
        endpoint=job.endpoint,
        mode=job.mode,
    )


def load_prompts(job: JudgeJob) -> PromptSet | PairPromptSet:
    """The job's prompt set: from its prompts file, or the built-in set of its mode.

    Args:
        job: the job.

    Returns:
        A single-answer or pairwise prompt set.
    """
    if job.mode == "pair":
        if job.prompts_file:
            return load_pair_prompt_file(job.prompts_file, job.prompt_family)
        return builtin_pair_prompts()
    if job.prompts_file:
        return load_prompt_file(job.prompts_file, job.prompt_family)
    return builtin_prompts()


async def run_judge_job(
    store: Store,
    job: JudgeJob,
    *,
    on_plan: OnPlan | None = None,
    on_event: OnEvent | None = None,
) -> JobSummary:
    """Plan a judge job and run it: online (in this process or in worker processes) or as a batch.

    Nothing is recorded before the plan is approved and the key is found. Earlier runs
    whose process died are closed as aborted first. Every reply is stored as it arrives.

    Args:
        store: the store; workers open their own connections to its file.
        job: what to judge, and how.
        on_plan: sees the plan first; returning False declines the run.
        on_event: sees every outcome and retry.

    Returns:
        The summary of this run (its failures only).

    Raises:
        ValueError: no API key, an in-memory store, or a bad pair selection.
        InputError: a bad prompts file.
    """
    if job.concurrency > REQUESTS_PER_PROCESS and not (job.dry_run or job.batch):
        warm_up()
    planned = plan_job(store, job)
    if job.dry_run:
        return planned
    plan = planned.plan
    if not plan.items and not plan.cached:
        return replace(planned, status="nothing-to-do")
    api_key(job.run_config())  # a missing key must not leave a run record behind
    db_path = _db_file(store)
    if on_plan is not None and not on_plan(planned):
        return replace(planned, status="declined")
    records = LockedWriter(lambda: Store.open(db_path), _lock_reporter(on_event), "judge-runs")
    try:
        return await _run_recorded(records, store, job, planned, on_event)
    finally:
        await records.close()


async def _run_recorded(
    records: LockedWriter,
    store: Store,
    job: JudgeJob,
    planned: JobSummary,
    on_event: OnEvent | None,
) -> JobSummary:
    """Open the run record, run the job, and close the record (as interrupted if it stopped).

    Run records are written through ``records``, on a connection and thread of their own,
    so the caller's event loop never waits for another program's lock.
    """
    aborted = await records.call(close_abandoned_runs)
    mode = "batch" if job.batch else job.purpose
    params, owner = job.params(), owner_token()
    run_id = await records.call(
        lambda s: s.judging.runs.start(
            job.judge_model, planned.family, planned.endpoint, params, mode, owner
        )
    )
    started = replace(planned, run_id=run_id, aborted_runs=aborted)
    try:
        if job.batch:
            return await _submit_batch(store, records, job, started)
        return await _run_online(store, records, job, started, on_event)
    except BaseException:
        records.stop()  # stopping: one attempt at the record, never a wait for a lock
        with contextlib.suppress(sqlite3.Error):
            await records.call(_close_interrupted, run_id)
        raise


async def _run_online(
    store: Store,
    records: LockedWriter,
    job: JudgeJob,
    started: JobSummary,
    on_event: OnEvent | None,
) -> JobSummary:
    """Request every item, recording each reply as it lands; then close the run."""
    run_id = started.run_id
    assert run_id is not None
    plan = started.plan
    clock = time.perf_counter()
    run = JudgeRun(
        _db_file(store),
        job.run_config(),
        run_id,
        job.prices,
        list(plan.items),
        list(plan.cached),
        job.processes,
    )
    result = await run.run(on_event or _ignore)
    summary = replace(
        started,
        status="finished",
        totals=result.totals,
        errors=result.errors,
        seconds=time.perf_counter() - clock,
        usage=await records.call(lambda s: s.judging.runs.usage(run_id)),
        failures=tuple(await records.call(lambda s: s.judging.failures(run_id=run_id))),
    )
    closing = summary.to_json(failures_limit=0)
    await records.call(lambda s: s.judging.runs.finish(run_id, closing))
    return summary


async def _submit_batch(
    store: Store, records: LockedWriter, job: JudgeJob, started: JobSummary
) -> JobSummary:
    """Record cached replies at once, and hand the rest to the Batch API."""
    run_id = started.run_id
    assert run_id is not None
    db_path = _db_file(store)
    plan = started.plan
    totals = started.totals
    if plan.cached:
        run = JudgeRun(db_path, job.run_config(), run_id, job.prices, [], list(plan.cached), 1)
        totals = (await run.run(_ignore)).totals
    info = None
    if plan.items:
        folder = db_path.parent / "batches"
        info = await batch_mode.submit(store, list(plan.items), job.run_config(), run_id, folder)
    summary = replace(
        started,
        status="submitted" if info else "finished",
        totals=totals,
        batch=info,
        usage=await records.call(lambda s: s.judging.runs.usage(run_id)),
    )
    closing, status = summary.to_json(failures_limit=0), summary.status
    await records.call(lambda s: s.judging.runs.finish(run_id, closing, status))
    return summary


def close_abandoned_runs(store: Store) -> tuple[int, ...]:
    """Close, as aborted, runs still marked running whose process is gone (kill -9, power cut).

    Args:
        store: the store.

    Returns:
        The ids of the runs closed.
    """
    closed = []
    for run in store.judging.runs.running():
        if not owner_alive(run.owner):
            store.judging.runs.abort(run.id)
            closed.append(run.id)
    return tuple(closed)


def _close_interrupted(store: Store, run_id: int) -> None:
    """Close a run that stopped early (Ctrl+C, or the app closed) with what it did."""
    store.judging.runs.finish(run_id, store.judging.runs.usage(run_id)._asdict(), "interrupted")


def _lock_reporter(on_event: OnEvent | None) -> OnLock:
    """Turns the run record's waits for a lock into events."""

    def report(waiting: bool, why: str) -> None:
        if on_event is not None:
            on_event(Event("locked" if waiting else "unlocked", "run record", why))

    return report


def _db_file(store: Store) -> Path:
    """The store's file, which worker connections open."""
    if store.path is None:
        raise ValueError("judging needs a database file, not an in-memory database")
    return store.path


def _ignore(_event: Event) -> None:
    """The default event handler."""
