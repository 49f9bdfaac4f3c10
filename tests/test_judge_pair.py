"""Pairwise judging against FastChat's real phi-3 pair run: prompts, replayed verdicts, scores."""

from __future__ import annotations

import collections
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.judge.job import plan_job
from mtbench_tui.core.judge.job_types import JudgeJob
from mtbench_tui.core.judge.pair_plan import PairSelection
from mtbench_tui.core.judge.parsing import pair_winner, parse_pair_letter
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from tests.helpers import read_jsonl
from tests.judge_helpers import import_without_verdicts

PAIR = ("phi-3", "phi-3-dpo")
FAULTS = ["429", "500", "disconnect", "malformed", "empty", "429", "500", "timeout"]


@pytest.fixture
def phi3(shared: Path) -> Path:
    """The real FastChat run with GPT-4's pairwise verdicts (turn 1)."""
    return shared / "mtbench" / "runs" / "phi-3"


@pytest.fixture
def recorded(phi3: Path) -> list[dict]:
    """GPT-4's 75 recorded comparisons of phi-3 and phi-3-dpo."""
    return read_jsonl(phi3 / "model_judgment" / "gpt-4_pair.jsonl")


@pytest.fixture
def judge_prompts(shared: Path) -> Path:
    """FastChat's official judge_prompts.jsonl."""
    return shared / "mtbench" / "official" / "judge_prompts.jsonl"


def pair_job(prompts: Path, **changes: object) -> JudgeJob:
    """judge --mode pair --pair phi-3,phi-3-dpo --turns 1 --prompts judge_prompts.jsonl."""
    job = JudgeJob(
        judge_model="gpt-4",
        base_url="http://127.0.0.1:9/v1",
        mode="pair",
        pairs=PairSelection(pairs=(PAIR,)),
        turns=(1,),
        prompts_file=prompts,
    )
    return replace(job, **changes)  # type: ignore[arg-type]


def fastchat_show_result(rows: list[dict]) -> dict[str, tuple[int, int, int]]:
    """FastChat show_result.py's pairwise table, restated: model -> (win, loss, tie).

    Rows with an error in either order are dropped; a tie in g1, or orders that disagree,
    is a tie for both models; otherwise g1's winner wins.
    """
    table: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for r in rows:
        if "error" in (r["g1_winner"], r["g2_winner"]):
            continue
        if r["g1_winner"] == "tie" or r["g1_winner"] != r["g2_winner"]:
            table[r["model_1"]][2] += 1
            table[r["model_2"]][2] += 1
        else:
            winner = r[r["g1_winner"]]
            loser = r["model_2"] if winner == r["model_1"] else r["model_1"]
            table[winner][0] += 1
            table[loser][1] += 1
    return {m: (w, lo, t) for m, (w, lo, t) in table.items()}


@pytest.mark.shared
def test_every_g1_and_g2_prompt_of_the_real_run_is_rebuilt_byte_for_byte(
    store: Store, phi3: Path, recorded: list[dict], judge_prompts: Path
) -> None:
    import_without_verdicts(store, phi3)
    planned = plan_job(store, pair_job(judge_prompts))
    assert planned.judge == "gpt-4" and planned.family == "pair-v2"
    built = {(i.question_id, i.order): i for i in planned.plan.items}
    system = {
        json.loads(line)["name"]: json.loads(line)["system_prompt"]
        for line in judge_prompts.read_text().splitlines()
    }
    for row in recorded:
        for order in ("g1", "g2"):
            item = built[(row["question_id"], order)]
            assert item.user_prompt == row[f"{order}_user_prompt"]
            assert item.prompt == row["judge"][1] and item.model == "phi-3"
            assert item.request["messages"][0] == {"role": "system", "content": system[item.prompt]}
            assert item.request["temperature"] == 0 and item.request["max_tokens"] == 2048
    # The five coding questions the recorded run never reached are planned too.
    assert planned.plan.comparisons == 80 and len(planned.plan.items) == 160


@pytest.mark.shared
def test_replaying_gpt4s_pair_verdicts_sends_each_prompt_once_and_matches_show_result(
    store: Store,
    phi3: Path,
    recorded: list[dict],
    judge_prompts: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_without_verdicts(store, phi3)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-pair-0000")
    with LoopbackOpenAI() as server:
        server.state.replay = {
            row[f"{g}_user_prompt"]: row[f"{g}_judgment"] for row in recorded for g in ("g1", "g2")
        }
        # The questions the recorded run never reached get a reply without a verdict.
        server.state.default_reply = lambda messages: "No verdict in this reply."
        server.state.faults.extend(FAULTS)
        server.state.timeout_sleep = 1.5
        result = CliRunner().invoke(
            main,
            ["judge", "--db", str(store.path), "--mode", "pair", "--pair", "phi-3,phi-3-dpo"]
            + ["--turns", "1", "--prompts", str(judge_prompts), "--base-url", server.base_url]
            + ["--yes", "--concurrency", "16", "--timeout", "1.0", "--json"],
            catch_exceptions=False,
        )
        sent = [r["messages"][-1]["content"] for r in server.state.requests]
    summary = json.loads(result.output[result.output.index("{") :])
    assert result.exit_code == 0 and summary["comparisons"] == 80
    assert summary["retries"] == len(FAULTS)
    # Every recorded prompt arrived byte for byte; after the injected faults, exactly once each.
    answered = collections.Counter(sent[len(FAULTS) :])
    assert set(server.state.replay) <= set(answered)
    assert all(n == 1 for n in answered.values()) and len(answered) == 160
    assert len(sent) == 160 + len(FAULTS)
    for row in recorded:
        stored = store.judging.pairs.get(row["question_id"], *PAIR, 1, "gpt-4")
        assert stored is not None and stored.model_1 == "phi-3"
        assert (stored.g1_winner, stored.g2_winner) == (row["g1_winner"], row["g2_winner"])
        assert (stored.g1_judgment, stored.g2_judgment) == (row["g1_judgment"], row["g2_judgment"])
        assert stored.g1_user_prompt == row["g1_user_prompt"]
        assert stored.g2_user_prompt == row["g2_user_prompt"]
    ours = [
        dict(zip(("model_1", "model_2", "g1_winner", "g2_winner"), r))
        for r in store.db.execute(
            "SELECT model_1, model_2, g1_winner, g2_winner FROM pair_judgments WHERE judge = "
            "'gpt-4'"
        )
    ]
    assert fastchat_show_result(ours) == fastchat_show_result(recorded)
    # `scores --mode pair` on what this run stored equals show_result on GPT-4's recorded file.
    result = CliRunner().invoke(
        main, ["scores", "--db", str(store.path), "--mode", "pair", "--judge", "gpt-4", "--json"]
    )
    table = {r["model"]: (r["win"], r["loss"], r["tie"]) for r in json.loads(result.output)}
    assert result.exit_code == 0 and table == fastchat_show_result(recorded)


@pytest.mark.shared
def test_pair_verdicts_parse_as_fastchat_recorded_them(recorded: list[dict]) -> None:
    for row in recorded:
        assert pair_winner(row["g1_judgment"], "g1") == row["g1_winner"]
        assert pair_winner(row["g2_judgment"], "g2") == row["g2_winner"]


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("A is better. [[A]]", "A"),
        ("[[B]] at first, but on reflection [[A]]", "A"),  # FastChat checks [[A]] first
        ("Final verdict: [[B]]", "B"),
        ("[[C]]", "tie"),
        ("[A] is better", "error"),
        ("$ERROR$", "error"),
        ("", "error"),
    ],
)
def test_fastchat_letter_semantics(text: str, letter: str) -> None:
    assert parse_pair_letter(text) == letter


def test_the_second_order_names_winners_by_model() -> None:
    assert pair_winner("[[A]]", "g1") == "model_1" and pair_winner("[[A]]", "g2") == "model_2"
    assert pair_winner("[[B]]", "g2") == "model_1" and pair_winner("[[C]]", "g2") == "tie"


@pytest.mark.shared
def test_turn_2_fills_fastchats_multi_turn_templates(
    store: Store, phi3: Path, judge_prompts: Path
) -> None:
    import_without_verdicts(store, phi3)
    planned = plan_job(store, pair_job(judge_prompts, turns=(2,), questions=(81, 111)))
    items = {(i.question_id, i.order): i for i in planned.plan.items}
    a = store.content.answer(_key(81, "phi-3"))
    b = store.content.answer(_key(81, "phi-3-dpo"))
    g1, g2 = items[(81, "g1")].user_prompt, items[(81, "g2")].user_prompt
    assert items[(81, "g1")].prompt == "pair-v2-multi-turn"
    assert g1.index(a.turns[1]) < g1.index(b.turns[1])  # model_1's answers are A's in g1
    assert g2.index(b.turns[1]) < g2.index(a.turns[1])  # and B's in g2
    math = items[(111, "g1")]
    reference = store.content.references(111)[0]
    assert math.prompt == "pair-math-v1-multi-turn" and reference.turns[1] in math.user_prompt


def _key(question_id: int, model: str):
    """An ItemKey."""
    from mtbench_tui.core.models import ItemKey

    return ItemKey(question_id, model)
