"""Pairwise runs on the demo data: selection, resume, failures, force, batch, re-judge."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge_pair
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI

LYNX, ORION, PICO = "lynx-13b-chat", "orion-70b-chat", "pico-1b-chat"


@pytest.fixture
def server():
    """A loopback OpenAI-compatible server for one test."""
    with LoopbackOpenAI() as s:
        yield s


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key the judge reads from the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-pairs-0000")


def judge(store: Store, server: LoopbackOpenAI, *args: str) -> tuple[int, dict]:
    """`judge --mode pair ... --json`; returns the exit code and the printed JSON."""
    result = CliRunner().invoke(
        main,
        ["judge", "--db", str(store.path), "--mode", "pair", "--base-url", server.base_url]
        + ["--judge-model", "pj", "--yes", "--json", "--max-retries", "0", *args],
        catch_exceptions=False,
    )
    out = result.output
    if "{" not in out:
        return result.exit_code, {"text": out}
    return result.exit_code, json.JSONDecoder().raw_decode(out[out.index("{") :])[0]


def rows(store: Store) -> list[tuple]:
    """(question_id, model_1, model_2, turn, winner, origin) of every stored comparison."""
    return store.db.execute(
        "SELECT question_id, model_1, model_2, turn, winner, origin FROM pair_judgments"
        " ORDER BY question_id, turn, model_1"
    ).fetchall()


def test_which_comparisons(demo_store: Store, server: LoopbackOpenAI) -> None:
    code, plan = judge(demo_store, server, "--pairs", "all", "--dry-run")
    assert code == 0 and plan["comparisons"] == 3 * 16 * 2 and plan["requests"] == 192
    assert plan["judge"] == "pj/mtr-pair-v1"
    code, plan = judge(demo_store, server, "--baseline", PICO, "--turns", "1", "--dry-run")
    assert code == 0 and plan["comparisons"] == 2 * 16
    code, plan = judge(demo_store, server, "--pair", f"{ORION},{LYNX}", "--dry-run")
    assert code == 0 and plan["comparisons"] == 32
    code, out = judge(demo_store, server, "--dry-run")  # FastChat's default baseline
    assert code == 2 and "'gpt-3.5-turbo' has no answers" in out["text"]
    code, out = judge(demo_store, server, "--pairs", "all", "--pair", f"{ORION},{LYNX}")
    assert code == 2 and "choose one of" in out["text"]
    result = CliRunner().invoke(main, ["judge", "--db", str(demo_store.path), "--pairs", "all"])
    assert result.exit_code == 2 and "--pairs needs --mode pair" in result.output


def test_a_comparison_is_stored_once_both_orders_replied(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    """Resume: an order answered by an earlier run is reused, only the other one is sent."""
    args = ("--pair", f"{LYNX},{ORION}", "--questions", "901", "--turns", "1")
    code, summary = judge(demo_store, server, *args, "--max-requests", "1")
    assert code == 0 and summary["sent"] == 1 and summary["comparisons"] == 0
    assert rows(demo_store) == []
    code, summary = judge(demo_store, server, *args)
    assert code == 0 and summary["sent"] == 1 and summary["reused_from_cache"] == 1
    assert summary["comparisons"] == 1 and len(server.state.requests) == 2
    (row,) = rows(demo_store)
    assert row[:4] == (901, LYNX, ORION, 1) and row[5] == "judge-run"
    stored = demo_store.judging.pairs.get(901, LYNX, ORION, 1, "pj/mtr-pair-v1")
    prompts = {r["messages"][-1]["content"] for r in server.state.requests}
    assert {stored.g1_user_prompt, stored.g2_user_prompt} == prompts
    assert stored.g1_user_prompt.index("<answer_a>") < stored.g1_user_prompt.index("<answer_b>")


def test_a_failed_order_is_recorded_and_retried_alone(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    # The g2 order shows ORION's answer first; both orders are in flight at once, so the
    # fault is chosen by what the request holds, not by when it arrives.
    orion = demo_store.content.answer(ItemKey(901, ORION)).turns[0]
    lynx = demo_store.content.answer(ItemKey(901, LYNX)).turns[0]

    def g2_fails(request: dict, number: int) -> str | None:
        prompt = request["messages"][-1]["content"]
        g2 = prompt.index(orion) < prompt.index(lynx)
        return "500" if g2 and number <= 2 else None  # only in the first run

    server.state.fault_for = g2_fails
    args = ("--pair", f"{LYNX},{ORION}", "--questions", "901", "--turns", "1")
    code, summary = judge(demo_store, server, *args)
    assert code == 1 and summary["comparisons"] == 0
    (failure,) = summary["failures"]
    assert (failure["model"], failure["model_2"], failure["order"]) == (LYNX, ORION, "g2")
    code, summary = judge(demo_store, server, *args)
    assert code == 0 and summary["sent"] == 1 and summary["comparisons"] == 1
    assert demo_store.judging.failures() == [] and len(rows(demo_store)) == 1


def test_force_replaces_a_verdict_stored_in_the_other_model_order(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    one = ("--questions", "901", "--turns", "1")
    judge(demo_store, server, "--pair", f"{LYNX},{ORION}", *one)
    code, summary = judge(demo_store, server, "--pair", f"{ORION},{LYNX}", *one)
    assert code == 0 and summary["status"] == "nothing-to-do"
    code, summary = judge(demo_store, server, "--pair", f"{ORION},{LYNX}", *one, "--force")
    assert code == 0 and summary["comparisons"] == 1
    assert [r[:3] for r in rows(demo_store)] == [(901, ORION, LYNX)]


def test_all_pairs_across_worker_processes(demo_store: Store, server: LoopbackOpenAI) -> None:
    code, summary = judge(demo_store, server, "--pairs", "all", "--concurrency", "64")
    assert code == 0 and summary["sent"] == 192 and summary["comparisons"] == 96
    stored = rows(demo_store)
    assert len(stored) == 96 and {r[4] for r in stored} <= {
        "model_1",
        "model_2",
        "tie",
        "inconsistent",
    }
    assert len(server.state.requests) == 192


def test_batch_mode_for_pairs(demo_store: Store, server: LoopbackOpenAI) -> None:
    args = ("--pair", f"{LYNX},{PICO}", "--turns", "2")
    code, info = judge(demo_store, server, *args, "--batch")
    assert code == 0 and info["requests"] == 32
    result = CliRunner().invoke(
        main,
        ["judge", "--db", str(demo_store.path), "--base-url", server.base_url]
        + ["--judge-model", "pj", "--collect"],
    )
    assert result.exit_code == 0 and "32 verdicts" in result.output
    stored = rows(demo_store)
    assert len(stored) == 16 and {r[5] for r in stored} == {"batch"}


def test_rejudge_a_focused_comparison(demo_store: Store, server: LoopbackOpenAI) -> None:
    settings = JudgeSettings(judge_model="pj", base_url=server.base_url)
    first = asyncio.run(rejudge_pair(demo_store, 902, ORION, PICO, settings))
    assert first.totals.sent == 4 and first.totals.comparisons == 2
    server.state.default_reply = lambda messages: "A is clearly better. [[A]]"
    again = asyncio.run(rejudge_pair(demo_store, 902, ORION, PICO, settings))
    assert again.totals.sent == 4 and again.totals.cached == 0
    assert [r[3:5] for r in rows(demo_store)] == [(1, "inconsistent"), (2, "inconsistent")]
    stored = demo_store.judging.pairs.get(902, PICO, ORION, 2, "pj/mtr-pair-v1")
    assert (stored.g1_winner, stored.g2_winner) == ("model_1", "model_2")


def test_the_key_never_reaches_the_database_or_output_in_pair_mode(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    """Even when the server echoes the key back in an error."""
    server.state.fault_for = lambda request, number: "echo-auth" if number % 2 else None
    code, summary = judge(demo_store, server, "--pair", f"{LYNX},{PICO}", "--turns", "1")
    key = "sk-test-pairs-0000"
    assert code == 1 and summary["failed"] == 16
    assert key not in json.dumps(summary)
    assert all("[redacted]" in f.reason for f in demo_store.judging.failures())
    demo_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in demo_store.path.parent.iterdir():
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
