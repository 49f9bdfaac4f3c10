"""The judge runner over real HTTP: a loopback OpenAI-compatible server, the real openai client."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.judge.client import Backoff
from mtbench_tui.core.judge.job import run_judge_job
from mtbench_tui.core.judge.job_types import JobSummary, JudgeJob
from mtbench_tui.core.judge.plan import PlanOptions, make_plan
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.processes import JudgeRun
from mtbench_tui.core.judge.prompts import builtin_prompts, load_prompt_file
from mtbench_tui.core.judge.runtypes import Event, RunConfig
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from tests.helpers import read_jsonl
from tests.judge_helpers import import_without_verdicts, replay_table

KEY = "sk-test-loopback-0123456789abcdef"  # made up for the loopback server; never a real secret
FAST = Backoff(base=0.01, cap=0.05)
"""Short backoff for tests."""


@pytest.fixture
def server():
    """A loopback OpenAI-compatible server for one test."""
    with LoopbackOpenAI() as s:
        yield s


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The key the judge reads from the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def run_judge(*args: str) -> tuple[int, str]:
    """Invoke `mtbench-review judge` in-process."""
    result = CliRunner().invoke(main, ["judge", *args], catch_exceptions=False)
    return result.exit_code, result.output


def judge_all(
    store: Store,
    server: LoopbackOpenAI,
    prompts_file: Path | None = None,
    concurrency: int = 8,
    judge_model: str = "loop-judge",
    **job_options: object,
) -> tuple[JobSummary, list[Event]]:
    """Plan and run a job through the core entry point; returns its summary and every event."""
    job = JudgeJob(
        judge_model=judge_model,
        base_url=server.base_url,
        prompts_file=prompts_file,
        concurrency=concurrency,
        timeout=2.0,
        backoff=FAST,
        seed=1,
        **job_options,  # type: ignore[arg-type]
    )
    events: list[Event] = []
    summary = asyncio.run(run_judge_job(store, job, on_event=events.append))
    return summary, events


@pytest.mark.shared
@pytest.mark.parametrize("run_name", ["gemma", "mistral-dolphin"])
def test_replaying_real_gpt4_judgments(
    run_name: str,
    runs: list[Path],
    shared: Path,
    store: Store,
    server: LoopbackOpenAI,
    api_key: str,
) -> None:
    """Prompts must equal FastChat's byte for byte, and parsed scores must equal the stored ones."""
    run_dir = next(r for r in runs if r.name == run_name)
    import_without_verdicts(store, run_dir)
    server.state.replay = replay_table(run_dir)
    prompts = load_prompt_file(shared / "mtbench" / "official" / "judge_prompts.jsonl")
    prompts_file = shared / "mtbench" / "official" / "judge_prompts.jsonl"
    finished, _events = judge_all(store, server, prompts_file, concurrency=16, judge_model="gpt-4")
    expected = read_jsonl(run_dir / "model_judgment" / "gpt-4_single.jsonl")
    # FastChat stored API failures as an empty judgment with score -1; replayed, they are
    # empty replies, which we retry and then record as failures, never as a score.
    empty = [row for row in expected if not row["judgment"].strip()]
    expected = [row for row in expected if row["judgment"].strip()]
    assert finished.totals.failed == len(empty) and finished.errors == ()
    assert {(f.question_id, f.model, f.turn) for f in store.judging.failures()} == {
        (r["question_id"], r["model"], r["turn"]) for r in empty
    }
    received = {r["messages"][-1]["content"] for r in server.state.requests}
    assert received == {row["user_prompt"] for row in [*expected, *empty]}
    system = {p.name: p.system_prompt for p in prompts.by_kind.values()}
    for request in server.state.requests:
        assert request["messages"][0] == {
            "role": "system",
            "content": request["messages"][0]["content"],
        }
        assert request["messages"][0]["content"] in system.values()
        assert request["temperature"] == 0 and request["model"] == "gpt-4"
    # Two models can give the very same answer, so one prompt may have several recorded verdicts;
    # the replay serves one of them, and both items then hold it.
    by_prompt: dict[str, set[tuple[str, float]]] = {}
    for row in expected:
        by_prompt.setdefault(row["user_prompt"], set()).add((row["judgment"], row["score"]))
    for row in expected:
        stored = store.db.execute(
            "SELECT score, judgment, prompt FROM judgments"
            " WHERE question_id = ? AND model = ? AND turn = ?",
            [row["question_id"], row["model"], row["turn"]],
        ).fetchone()
        assert (stored[1], -1 if stored[0] is None else stored[0]) in by_prompt[row["user_prompt"]]
        assert stored[2] == row["judge"][1]
    assert store.db.execute("SELECT COUNT(*) FROM judgments").fetchone()[0] == len(expected)


def test_faults_are_retried_until_judged(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    server.state.faults.extend(["429", "500", "timeout", "malformed", "empty", "disconnect", "429"])
    server.state.retry_after = 0.2
    server.state.timeout_sleep = 3.0
    finished, events = judge_all(demo_store, server, concurrency=4, models=("pico-1b-chat",))
    assert finished.totals.failed == 0
    assert finished.totals.retries == 7
    assert finished.totals.ok + finished.totals.no_verdict == 32
    assert (
        demo_store.db.execute(
            "SELECT COUNT(*) FROM judgments WHERE judge = 'loop-judge/mtr-v1' AND origin = "
            "'judge-run'"
        ).fetchone()[0]
        == 32
    )
    reasons = {e.detail for e in events if e.kind == "retry"}
    assert {
        "HTTP 429: Rate limit reached",
        "HTTP 500: The server had an error",
        "request timed out",
        "the server closed the connection without a reply",
        "malformed response (not valid JSON for a chat completion)",
        "empty response content",
    } <= reasons


def test_retry_after_is_honoured(demo_store: Store, server: LoopbackOpenAI, api_key: str) -> None:
    arrivals: list[float] = []
    server.state.fault_for = lambda request, number: (
        arrivals.append(time.monotonic()),
        "429" if number == 1 else None,
    )[1]
    server.state.retry_after = 0.6
    judge_all(
        demo_store, server, concurrency=1, models=("pico-1b-chat",), questions=(901,), turns=(1,)
    )
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] >= 0.6


def test_persistent_failure_is_recorded_never_scored(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    server.state.fault_for = lambda request, number: "500"
    finished, _ = judge_all(
        demo_store, server, concurrency=4, models=("lynx-13b-chat",), questions=(901, 902)
    )
    assert finished.totals.failed == 4 and finished.totals.ok == 0
    assert (
        demo_store.db.execute(
            "SELECT COUNT(*) FROM judgments WHERE judge_model = 'loop-judge' AND origin = "
            "'judge-run'"
        ).fetchone()[0]
        == 0
    )
    failures = demo_store.judging.failures("loop-judge/mtr-v1")
    assert len(failures) == 4 and all(
        "HTTP 500" in f.reason and "after 7 attempts" in f.reason for f in failures
    )
    # A later run that succeeds clears the failures.
    server.state.fault_for = None
    judge_all(demo_store, server, concurrency=4, models=("lynx-13b-chat",), questions=(901, 902))
    assert demo_store.judging.failures("loop-judge/mtr-v1") == []


def test_client_errors_fail_at_once(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    server.state.fault_for = lambda request, number: "400"
    finished, _ = judge_all(
        demo_store, server, models=("orion-70b-chat",), questions=(901,), turns=(1,)
    )
    assert finished.totals.failed == 1 and finished.totals.retries == 0
    assert len(server.state.requests) == 1


def test_concurrency_limit_seen_by_the_server(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    server.state.latency = 0.05
    judge_all(demo_store, server, concurrency=5)
    assert server.state.max_in_flight == 5
    assert len(server.state.requests) == 96


def test_multi_process_run_respects_concurrency(
    tmp_path: Path, server: LoopbackOpenAI, api_key: str
) -> None:
    """Past 32 requests in flight the run shards across processes; the limit still holds."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synthetic import write_dataset

    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import import_sources

    write_dataset(tmp_path / "data", questions=200, models=1)
    store = Store.open(tmp_path / "many.db")
    import_without_verdicts(store, tmp_path / "data")
    server.state.latency = 0.03
    plan = make_plan(
        store, builtin_prompts(), PlanOptions(judge_model="gpt-4", endpoint=server.base_url)
    )
    config = RunConfig(judge_model="gpt-4", base_url=server.base_url, concurrency=40)
    run = JudgeRun(store.path, config, None, PriceTable(), list(plan.items), [])
    assert run.processes == 2
    result = asyncio.run(run.run(lambda event: None))
    assert result.totals.ok == 400 and result.errors == ()
    assert 20 < server.state.max_in_flight <= 40
    count = store.db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT question_id || model || turn) FROM judgments"
    ).fetchone()
    assert count == (400, 400)
    assert len(server.state.requests) == 400
    _ = loading, import_sources


def test_cache_makes_a_repeat_free(demo_store: Store, server: LoopbackOpenAI, api_key: str) -> None:
    db = str(demo_store.path)
    base = ("--db", db, "--judge-model", "gpt-4-0613", "--base-url", server.base_url, "--yes")
    code, out = run_judge(*base)
    assert code == 0 and len(server.state.requests) == 96
    assert "Run 1 (gpt-4-0613/mtr-v1)" in out and "sent 96 requests" in out
    code, out = run_judge(*base, "--force")
    assert code == 0 and len(server.state.requests) == 96
    # --force says what it reused and that nothing was sent, rather than "0 verdicts".
    assert "Run 2 " in out and "sent 0 requests" in out
    assert "Reused 96 cached replies" in out and "add --refresh-cache" in out
    code, out = run_judge(*base, "--force", "--refresh-cache", "--questions", "901")
    assert code == 0 and len(server.state.requests) == 96 + 6
    assert "sent 6 requests" in out and "Reused" not in out
    code, out = run_judge(*base)
    assert "Nothing to judge" in out


def test_dry_run_sends_nothing_and_estimates_cost(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "gpt-4o",
        "--base-url",
        server.base_url,
        "--dry-run",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and server.state.requests == []
    assert data["requests"] == 96 and data["cost_usd"] > 0 and data["prompt_family"] == "mtr-v1"
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "local-llama",
        "--base-url",
        server.base_url,
        "--dry-run",
        "--price",
        "local-llama=0,0",
        "--json",
    )
    assert json.loads(out)["cost_usd"] == 0


def test_expensive_runs_ask_first(demo_store: Store, server: LoopbackOpenAI, api_key: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "judge",
            "--db",
            str(demo_store.path),
            "--judge-model",
            "gpt-4-0613",
            "--base-url",
            server.base_url,
            "--confirm-above",
            "0.001",
        ],
        input="n\n",
    )
    assert result.exit_code == 1 and "Continue?" in result.output and server.state.requests == []


def test_max_requests_limits_a_run(demo_store: Store, server: LoopbackOpenAI, api_key: str) -> None:
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "gpt-4-0613",
        "--base-url",
        server.base_url,
        "--yes",
        "--max-requests",
        "10",
    )
    assert code == 0 and len(server.state.requests) == 10
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "gpt-4-0613",
        "--base-url",
        server.base_url,
        "--yes",
        "--questions",
        "901-903",
        "--turns",
        "2",
        "--json",
    )
    summary = json.loads(out[out.index("{") :])
    # The first 10 items were Q901 (3 models x 2 turns) and Q902 (2 models x 2 turns):
    # 5 of these 9 are done.
    assert summary["ok"] + summary["no_verdict"] == 4


def test_usage_and_cost_are_recorded(
    demo_store: Store, server: LoopbackOpenAI, api_key: str
) -> None:
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "gpt-4-0613",
        "--base-url",
        server.base_url,
        "--yes",
        "--price",
        "gpt-4-0613=10,20",
        "--json",
    )
    summary = json.loads(out[out.index("{") :])
    rows = demo_store.db.execute(
        "SELECT prompt_tokens, completion_tokens, cost_usd FROM judge_requests"
    ).fetchall()
    assert len(rows) == 96 and all(p > 0 and c > 0 for p, c, _ in rows)
    expected = sum((p * 10 + c * 20) / 1e6 for p, c, _ in rows)
    assert summary["cost_usd"] == pytest.approx(expected)
    assert sum(r[2] for r in rows) == pytest.approx(expected)


def test_api_key_never_stored_or_printed(
    demo_store: Store, server: LoopbackOpenAI, api_key: str, tmp_path: Path
) -> None:
    """Even when the server echoes the key back in an error, it reaches no database or output."""

    def echo_key(request: dict, number: int) -> str | None:
        return "echo-auth" if number % 3 == 0 else None

    server.state.fault_for = echo_key
    code, out = run_judge(
        "--db",
        str(demo_store.path),
        "--judge-model",
        "gpt-4-0613",
        "--base-url",
        server.base_url,
        "--yes",
        "--max-retries",
        "0",
    )
    assert KEY not in out
    assert any(
        {k.lower(): v for k, v in h.items()}.get("authorization") == f"Bearer {KEY}"
        for h in server.state.headers
    )
    demo_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in demo_store.path.parent.iterdir():
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    failures = demo_store.judging.failures()
    assert failures and all("[redacted]" in f.reason for f in failures)


def test_missing_key_is_a_clear_error(demo_store: Store) -> None:
    code, out = run_judge("--db", str(demo_store.path), "--judge-model", "gpt-4-0613", "--yes")
    assert code == 2 and "set $OPENAI_API_KEY" in out


def test_batch_mode(demo_store: Store, server: LoopbackOpenAI, api_key: str) -> None:
    db = str(demo_store.path)
    code, out = run_judge(
        "--db",
        db,
        "--judge-model",
        "gpt-4-0613",
        "--base-url",
        server.base_url,
        "--batch",
        "--yes",
        "--json",
    )
    info = json.loads(out[out.index("{") :])
    assert code == 0 and info["requests"] == 96 and info["batch_id"].startswith("batch_")
    uploaded = server.state.files[info["input_file_id"]].decode().splitlines()
    assert len(uploaded) == 96
    line = json.loads(uploaded[0])
    assert (
        line["method"] == "POST"
        and line["url"] == "/v1/chat/completions"
        and line["body"]["model"] == "gpt-4-0613"
    )
    code, out = run_judge(
        "--db", db, "--judge-model", "gpt-4-0613", "--base-url", server.base_url, "--collect"
    )
    assert code == 0 and "96 verdicts" in out
    assert (
        demo_store.db.execute("SELECT COUNT(*) FROM judgments WHERE origin = 'batch'").fetchone()[0]
        == 96
    )
    cost = demo_store.db.execute("SELECT SUM(cost_usd) FROM judge_requests").fetchone()[0]
    assert cost > 0
    code, out = run_judge(
        "--db", db, "--judge-model", "gpt-4-0613", "--base-url", server.base_url, "--collect"
    )
    assert "No submitted batches are waiting" in out


@pytest.mark.slow
def test_resume_after_kill(demo_store: Store, tmp_path: Path) -> None:
    """SIGKILL a running judge; the rerun judges only what is left and duplicates nothing."""
    with LoopbackOpenAI(latency=0.15) as server:
        db = str(demo_store.path)
        demo_store.close()
        env = dict(os.environ, OPENAI_API_KEY=KEY)
        exe = str(Path(sys.executable).parent / "mtbench-review")
        args = [
            exe,
            "judge",
            "--db",
            db,
            "--judge-model",
            "gpt-4-0613",
            "--base-url",
            server.base_url,
            "--yes",
            "--concurrency",
            "4",
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        store = Store.open(db)
        deadline = time.monotonic() + 30
        while (
            store.db.execute(
                "SELECT COUNT(*) FROM judgments WHERE origin = 'judge-run'"
            ).fetchone()[0]
            < 20
        ):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = store.db.execute(
            "SELECT COUNT(*) FROM judgments WHERE origin = 'judge-run'"
        ).fetchone()[0]
        before = len(server.state.requests)
        assert 20 <= done < 96
        finished = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        assert finished.returncode == 0, finished.stderr
        total = store.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT question_id || '|' || model || '|' || turn)"
            " FROM judgments WHERE origin = 'judge-run'"
        ).fetchone()
        assert total == (96, 96)
        # Only what the killed run had not finished was asked again (at most the 4 in flight).
        assert len(server.state.requests) - before <= 96 - done + 4
        assert len(server.state.requests) <= 96 + 4
