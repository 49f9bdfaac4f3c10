"""A judge job on a locked database: a real second connection holds BEGIN IMMEDIATE on the same
file. The job's writes wait on their own thread (the caller's loop stays free), it reports the
wait, and nothing is lost; cancelling a waiting job returns at once."""

from __future__ import annotations

import asyncio

import pytest

from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge
from mtbench_tui.core.judge.runtypes import Event
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from tests.test_saving import locked

ITEM = ItemKey(901, "lynx-13b-chat")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """A loopback server answering every request with a 3."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-job-locks-0000")
    with LoopbackOpenAI() as s:
        s.state.default_reply = lambda messages: "Checked under a lock.\n\nRating: [[3]]"
        yield s


class Recorder:
    """Keeps every event and lets a test wait for one kind, yielding to the loop meanwhile."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.changed = asyncio.Event()

    def __call__(self, event: Event) -> None:
        self.events.append(event)
        self.changed.set()

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    async def wait_for(self, kind: str) -> None:
        while kind not in self.kinds():
            self.changed.clear()
            await self.changed.wait()


def verdicts(store: Store) -> list[tuple[int, float]]:
    return store.db.execute(
        "SELECT turn, score FROM judgments WHERE question_id = 901 AND model = ?"
        " AND judge = 'gpt-4/mtr-v1' ORDER BY turn",
        [ITEM.model],
    ).fetchall()


async def test_a_job_waits_for_the_lock_and_then_lands_everything(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
    seen = Recorder()
    with locked(demo_store.path) as blocker:
        job = asyncio.create_task(rejudge(demo_store, ITEM, settings, seen))
        await seen.wait_for("locked")  # this loop kept running: the wait is on another thread
        assert not job.done()
        assert demo_store.db.execute("SELECT COUNT(*) FROM judge_runs").fetchone() == (0,)
        blocker.execute("ROLLBACK")
        summary = await job
    assert seen.kinds().index("locked") < seen.kinds().index("unlocked")
    assert summary.status == "finished" and summary.totals.ok == 2
    assert verdicts(demo_store) == [(1, 3), (2, 3)]
    status = demo_store.db.execute("SELECT status FROM judge_runs").fetchall()
    assert status == [("finished",)]


async def test_cancelling_a_job_that_waits_for_the_lock_returns_without_sending(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    """The app quitting while a re-judge waits: nothing hangs, nothing was paid for."""
    settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
    seen = Recorder()
    before = verdicts(demo_store)
    with locked(demo_store.path):
        job = asyncio.create_task(rejudge(demo_store, ITEM, settings, seen))
        await seen.wait_for("locked")
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job
    assert server.state.requests == []
    assert demo_store.db.execute("SELECT COUNT(*) FROM judge_runs").fetchone() == (0,)
    assert verdicts(demo_store) == before  # the demo's verdicts, untouched
