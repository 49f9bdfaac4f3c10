"""`scores --mode pair` equals FastChat show_result.py's pairwise formula, restated here."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from tests.helpers import read_jsonl


def fastchat_pairwise(
    rows: list[dict[str, Any]], baseline: str | None
) -> dict[str, dict[str, float]]:
    """show_result.py's pairwise table, from rows with model_1, model_2, g1_winner, g2_winner."""
    rows = [r for r in rows if r["g1_winner"] != "error" and r["g2_winner"] != "error"]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        if baseline is not None and baseline not in (r["model_1"], r["model_2"]):
            continue
        if r["g1_winner"] == "tie" or r["g1_winner"] != r["g2_winner"]:
            counts[r["model_1"]][2] += 1
            counts[r["model_2"]][2] += 1
        else:
            won = r["model_1"] if r["g1_winner"] == "model_1" else r["model_2"]
            lost = r["model_2"] if won == r["model_1"] else r["model_1"]
            counts[won][0] += 1
            counts[lost][1] += 1
    counts.pop(baseline or "", None)
    table = {}
    for model, (win, loss, tie) in counts.items():
        total = win + loss + tie
        table[model] = {
            "win": win,
            "loss": loss,
            "tie": tie,
            "win_rate": win / total,
            "loss_rate": loss / total,
            "win_rate_adjusted": (win + 0.5 * tie) / total,
        }
    return table


def as_fastchat(study_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Published one-verdict rows in FastChat's two-order layout (both orders the same)."""
    labels = {"model_a": "model_1", "model_b": "model_2"}
    out = []
    for r in study_rows:
        w = labels.get(r["winner"], "tie")
        out.append(
            {"model_1": r["model_a"], "model_2": r["model_b"], "g1_winner": w, "g2_winner": w}
        )
    return out


def scores(db: Path, *args: str) -> dict[tuple[str, str], dict[str, Any]]:
    """`scores --mode pair --json`, keyed by (judge, model)."""
    result = CliRunner().invoke(
        main, ["scores", "--db", str(db), "--mode", "pair", "--json", *args]
    )
    assert result.exit_code == 0, result.output
    return {(r["judge"], r["model"]): r for r in json.loads(result.output)}


def assert_equal(
    ours: dict[tuple[str, str], dict[str, Any]], judge: str, expected: dict[str, dict[str, float]]
) -> None:
    """Every model's counts equal, every rate within 1e-6."""
    mine = {m: r for (j, m), r in ours.items() if j == judge}
    assert set(mine) == set(expected)
    for model, want in expected.items():
        for key, value in want.items():
            assert mine[model][key] == pytest.approx(value, abs=1e-6), (model, key)


@pytest.mark.parametrize("baseline", [None, "phi-3", "phi-3-dpo"])
def test_phi3_pair_run_equals_show_result(
    runs: list[Path], tmp_path: Path, baseline: str | None
) -> None:
    phi3 = next(r for r in runs if r.name == "phi-3")
    db = tmp_path / "phi.db"
    assert CliRunner().invoke(main, ["import", str(phi3), "--db", str(db)]).exit_code == 0
    rows = read_jsonl(phi3 / "model_judgment" / "gpt-4_pair.jsonl")
    args = ["--baseline", baseline] if baseline else []
    expected = fastchat_pairwise(rows, baseline)
    assert expected  # the run has decisive, tied and inconsistent verdicts to score
    assert_equal(scores(db, *args), "gpt-4", expected)


@pytest.mark.parametrize("baseline", [None, "gpt-3.5-turbo", "llama-13b"])
def test_gpt4_study_verdicts_and_human_groups(
    shared: Path, tmp_path: Path, baseline: str | None
) -> None:
    study = shared / "mtbench" / "human_judgments"
    db = tmp_path / "study.db"
    result = CliRunner().invoke(
        main,
        [
            "import",
            "--db",
            str(db),
            "--questions",
            str(shared / "mtbench" / "official" / "question.jsonl"),
            "--votes",
            str(study / "human.jsonl"),
            "--votes",
            str(study / "gpt4_pair.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    args = ["--baseline", baseline] if baseline else []
    ours = scores(db, *args)
    assert_equal(
        ours,
        "gpt-4",
        fastchat_pairwise(as_fastchat(read_jsonl(study / "gpt4_pair.jsonl")), baseline),
    )
    humans = read_jsonl(study / "human.jsonl")
    for group in ("expert", "author"):
        mine = [r for r in humans if r["judge"].startswith(group + "_")]
        assert_equal(ours, f"human:{group}", fastchat_pairwise(as_fastchat(mine), baseline))
    only = scores(db, "--judge", "human:author", *args)
    assert {j for j, _m in only} == {"human:author"}
