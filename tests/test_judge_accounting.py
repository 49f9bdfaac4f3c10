"""What `judge` reports: exit status, this run's failures only, truthful reasons, run records."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.judge.owner import owner_alive, owner_token
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI

KEY = "sk-test-accounting-0000"


@pytest.fixture
def server():
    """A loopback OpenAI-compatible server for one test."""
    with LoopbackOpenAI() as s:
        yield s


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The key the judge reads from the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def judge(db: Path, base_url: str, *args: str) -> tuple[int, str]:
    """Run `mtbench-review judge` in-process with quick retries."""
    result = CliRunner().invoke(
        main,
        ["judge", "--db", str(db), "--base-url", base_url, "--yes", "--max-retries", "0", *args],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_exit_status_is_non_zero_when_any_item_failed(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    server.state.fault_for = lambda request, number: "500" if number == 3 else None
    code, out = judge(demo_store.path, server.base_url, "--judge-model", "j1", "--questions", "901")
    assert code == 1 and "1 failed" in out
    code, out = judge(demo_store.path, server.base_url, "--judge-model", "j1", "--questions", "901")
    assert code == 0 and "sent 1 request to the judge: 1 with a verdict" in out


def test_every_failure_is_an_exit_1_not_a_success(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    server.state.fault_for = lambda request, number: "500"
    code, out = judge(demo_store.path, server.base_url, "--judge-model", "j1", "--json")
    summary = json.loads(out[out.index("{") :])
    assert code == 1 and summary["failed"] == 96 and summary["ok"] == 0


def test_summary_lists_this_runs_failures_only(demo_store: Store, server: LoopbackOpenAI) -> None:
    server.state.fault_for = lambda request, number: "500"
    judge(demo_store.path, server.base_url, "--judge-model", "other-judge", "--questions", "902")
    assert len(demo_store.judging.failures("other-judge/mtr-v1")) == 6
    first = len(server.state.requests) + 1
    server.state.fault_for = lambda request, number: "400" if number == first else None
    code, out = judge(
        demo_store.path, server.base_url, "--judge-model", "mine", "--questions", "901", "--json"
    )
    summary = json.loads(out[out.index("{") :])
    assert code == 1
    assert [f["judge"] for f in summary["failures"]] == ["mine/mtr-v1"]
    assert {f["run_id"] for f in summary["failures"]} == {summary["run_id"]}


def test_connection_refused_is_named_as_such(demo_store: Store) -> None:
    port = closed_port()
    code, out = judge(
        demo_store.path,
        f"http://127.0.0.1:{port}/v1",
        "--judge-model",
        "j1",
        "--questions",
        "901",
        "--turns",
        "1",
    )
    assert code == 1
    reasons = {f.reason for f in demo_store.judging.failures()}
    assert reasons == {f"connection refused by 127.0.0.1:{port}"}
    assert "timed out" not in out


def test_timeouts_are_named_as_timeouts(demo_store: Store, server: LoopbackOpenAI) -> None:
    server.state.fault_for = lambda request, number: "timeout"
    server.state.timeout_sleep = 1.0
    code, _ = judge(
        demo_store.path,
        server.base_url,
        *("--judge-model", "j1", "--questions", "901", "--turns", "1", "--timeout", "0.3"),
    )
    assert code == 1
    assert {f.reason for f in demo_store.judging.failures()} == {"request timed out"}


def test_a_declined_or_keyless_run_leaves_no_run_record(
    demo_store: Store, server: LoopbackOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    result = CliRunner().invoke(
        main, ["judge", "--db", str(demo_store.path), "--judge-model", "gpt-4o", "--yes"]
    )
    assert result.exit_code == 2 and "set $OPENAI_API_KEY" in result.output
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    result = CliRunner().invoke(
        main,
        ["judge", "--db", str(demo_store.path), "--judge-model", "gpt-4-0613"]
        + ["--base-url", server.base_url, "--confirm-above", "0.001"],
        input="n\n",
    )
    assert result.exit_code == 1 and server.state.requests == []
    assert demo_store.db.execute("SELECT COUNT(*) FROM judge_runs").fetchone()[0] == 0
    code, out = judge(demo_store.path, server.base_url, "--judge-model", "j1", "--questions", "901")
    assert code == 0 and "Run 1 (j1/mtr-v1)" in out


def test_a_run_left_running_by_a_dead_process_is_closed_as_aborted(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    runs = demo_store.judging.runs
    dead = runs.start("j1", "mtr-v1", "x", {}, "online", owner="elsewhere:1:1")
    mine = runs.start("j1", "mtr-v1", "x", {}, "online", owner=owner_token())
    gone = runs.start("j1", "mtr-v1", "x", {}, "online", owner=owner_token(2**22 + 7))
    code, out = judge(demo_store.path, server.base_url, "--judge-model", "j1", "--questions", "901")
    assert code == 0 and f"Closed run {gone} as aborted" in out
    status = dict(demo_store.db.execute("SELECT id, status FROM judge_runs").fetchall())
    # Another host's run can't be checked from here, and this process is alive: both stay.
    assert status[dead] == "running" and status[mine] == "running" and status[gone] == "aborted"
    assert owner_alive(owner_token()) and not owner_alive(owner_token(2**22 + 7))
