"""Verdict parsing: FastChat's semantics on real GPT-4 judgments, and the strict mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtbench_tui.core.judge.parsing import parse_verdict
from tests.helpers import read_jsonl


@pytest.mark.shared
def test_parsed_scores_equal_the_stored_ones(runs: list[Path]) -> None:
    checked = 0
    for run in runs:
        for row in read_jsonl(run / "model_judgment" / "gpt-4_single.jsonl"):
            verdict = parse_verdict(row["judgment"])
            assert (-1 if verdict.score is None else verdict.score) == row["score"], (
                run.name,
                row["question_id"],
            )
            assert type(verdict.score) is type(row["score"]) or verdict.score is None
            checked += 1
    assert checked == 1920


@pytest.mark.parametrize(
    "text, score",
    [
        ("Good.\n\nRating: [[8]]", 8),
        ("Rating: [[8.5]]", 8.5),
        ("First [[3]] then [[9]]", 3),  # first match wins
        ("No double brackets, Rating: [7]", 7),  # FastChat's fallback
        ("[[7]] beats [2]", 7),  # the double-bracket pattern is tried first
        ("I would give it a seven.", None),
        ("", None),
        ("Rating: [[10]]", 10),
        ("Rating: [[0]]", 0),  # kept as given by default, like FastChat
    ],
)
def test_fastchat_semantics(text: str, score: float | None) -> None:
    assert parse_verdict(text).score == score


def test_strict_rejects_out_of_range() -> None:
    assert parse_verdict("Rating: [[11]]", strict=True).score is None
    assert "outside 1-10" in (parse_verdict("Rating: [[0]]", strict=True).reason or "")
    assert parse_verdict("Rating: [[10]]", strict=True).score == 10
    assert parse_verdict("nothing", strict=True).reason == "no rating found"
