"""The core entry point of judging: one function plans and runs a job, returns a typed summary."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mtbench_tui.core.judge.client import Backoff
from mtbench_tui.core.judge.job import run_judge_job
from mtbench_tui.core.judge.job_types import JobSummary, JudgeJob
from mtbench_tui.core.judge.plan import PlanOptions
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge
from mtbench_tui.core.judge.runtypes import Event, RunConfig
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI


@pytest.fixture
def server():
    """A loopback OpenAI-compatible server for one test."""
    with LoopbackOpenAI() as s:
        yield s


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key the judge reads from the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-job-0000")


def job(server: LoopbackOpenAI, **changes: object) -> JudgeJob:
    """A quick job against the loopback server."""
    return JudgeJob(
        judge_model="job-judge",
        base_url=server.base_url,
        backoff=Backoff(base=0.01, cap=0.05),
        **changes,  # type: ignore[arg-type]
    )


def runs(store: Store) -> list[tuple[int, str]]:
    """(id, status) of every run record."""
    return store.db.execute("SELECT id, status FROM judge_runs ORDER BY id").fetchall()


def test_a_dry_run_plans_without_sending_or_recording(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    summary = asyncio.run(run_judge_job(demo_store, job(server, dry_run=True)))
    assert isinstance(summary, JobSummary) and summary.status == "planned"
    assert summary.estimate.requests == 96 and summary.judge == "job-judge/mtr-v1"
    assert server.state.requests == [] and runs(demo_store) == []


def test_a_run_returns_its_counts_usage_and_record(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    events: list[Event] = []
    summary = asyncio.run(run_judge_job(demo_store, job(server), on_event=events.append))
    assert summary.status == "finished" and summary.complete
    assert summary.totals.sent == 96 and summary.totals.ok + summary.totals.no_verdict == 96
    assert summary.usage is not None and summary.usage.requests == 96
    assert len([e for e in events if e.kind in ("ok", "no_verdict")]) == 96
    assert runs(demo_store) == [(summary.run_id, "finished")]
    record = demo_store.judging.runs.get(summary.run_id or 0)
    assert record is not None and record.summary and record.summary["sent"] == 96


def test_on_plan_sees_the_plan_and_can_decline(demo_store: Store, server: LoopbackOpenAI) -> None:
    seen: list[JobSummary] = []

    def decline(planned: JobSummary) -> bool:
        seen.append(planned)
        return False

    summary = asyncio.run(run_judge_job(demo_store, job(server), on_plan=decline))
    assert summary.status == "declined" and seen[0].estimate.requests == 96
    assert server.state.requests == [] and runs(demo_store) == []


def test_a_cancelled_run_is_closed_as_interrupted(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    server.state.latency = 0.2

    async def cancel_after_first_verdict() -> None:
        first = asyncio.Event()
        task = asyncio.create_task(
            run_judge_job(demo_store, job(server, concurrency=2), on_event=lambda e: first.set())
        )
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_after_first_verdict())
    ((run_id, status),) = runs(demo_store)
    assert status == "interrupted"
    judged = demo_store.db.execute("SELECT COUNT(*) FROM judgments WHERE origin = 'judge-run'")
    assert 0 < judged.fetchone()[0] < 96


def test_rejudge_runs_on_the_callers_loop(demo_store: Store, server: LoopbackOpenAI) -> None:
    """The app awaits the re-judge in an async worker: no thread runs an event loop of its own."""
    loops: set[int] = set()

    def on_event(event: Event) -> None:
        loops.add(id(asyncio.get_running_loop()))
        assert threading.current_thread() is threading.main_thread()

    async def main() -> JobSummary:
        loops.add(id(asyncio.get_running_loop()))
        settings = JudgeSettings(judge_model="app-judge", base_url=server.base_url)
        return await rejudge(demo_store, ItemKey(901, "pico-1b-chat"), settings, on_event)

    summary = asyncio.run(main())
    assert summary.totals.sent == 2 and len(loops) == 1
    assert demo_store.judging.runs.get(summary.run_id or 0).mode == "rejudge"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "config", [JudgeJob, RunConfig, PlanOptions, JudgeSettings], ids=lambda c: c.__name__
)
def test_config_objects_take_keyword_arguments_only(config: type) -> None:
    with pytest.raises(TypeError):
        config("gpt-4")


def test_the_store_does_not_import_the_judge() -> None:
    """The shared value types live in core/workitems.py, so store -> judge has no import cycle."""
    import subprocess
    import sys

    code = (
        "import sys, mtbench_tui.core.store, mtbench_tui.core.workitems\n"
        "print(sorted(m for m in sys.modules if m.startswith('mtbench_tui.core.judge')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
