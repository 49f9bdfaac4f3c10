"""`mtbench-review votes`: each vote in the order its reviewer saw it, beside the judge."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.vote_listing import list_votes
from tests.pair_helpers import (
    HOSTILE_A,
    HOSTILE_B,
    LYNX,
    ORION,
    PICO,
    add_hostile_pair,
    add_pair_data,
)


def votes_json(db: Path, *args: str) -> list[dict[str, object]]:
    """Run ``votes --json`` and parse it."""
    result = CliRunner().invoke(main, ["votes", "--db", str(db), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_votes_are_listed_as_shown_with_the_judges_verdict(
    demo_store: Store, db_path: Path, tmp_path: Path
) -> None:
    add_pair_data(demo_store, tmp_path / "pairs")
    votes = demo_store.votes
    votes.ensure_reviewer("kim", "expert")
    # Q901 turn 1: the judge says orion (its model_1) won both orders. Kim saw orion as B.
    votes.set_vote(PairKey.of(901, LYNX, ORION, 1), "kim", "B", shown_a=LYNX)
    votes.set_flags(PairKey.of(901, LYNX, ORION, 1), "kim", ("judge-wrong",))
    # Q909 turn 2: the judge (pico as its model_1) says pico. Lee saw orion as A, voted tie.
    votes.set_vote(PairKey.of(909, ORION, PICO, 2), "lee", "tie", shown_a=ORION)
    votes.set_note(PairKey.of(909, ORION, PICO, 2), "lee", "both fine")
    # A comment alone, on a turn the judge never saw.
    votes.set_note(PairKey.of(913, LYNX, PICO, 1), "kim", "unsure", shown_a=PICO)
    rows = votes_json(db_path)
    assert [(r["question_id"], r["turn"], r["reviewer"]) for r in rows] == [
        (901, 1, "kim"),
        (909, 2, "lee"),
        (913, 1, "kim"),
    ]
    kim, lee, note_only = rows
    assert (kim["model_a"], kim["model_b"], kim["winner"]) == (LYNX, ORION, "model_b")
    assert (kim["judge"], kim["judge_winner"], kim["group"]) == ("gpt-4", "model_b", "expert")
    assert kim["flags"] == ["judge-wrong"] and kim["note"] == ""
    assert (lee["model_a"], lee["model_b"], lee["winner"]) == (ORION, PICO, "tie")
    assert (lee["judge_winner"], lee["group"], lee["note"]) == ("model_b", "default", "both fine")
    assert note_only["winner"] is None and note_only["judge_winner"] is None
    assert note_only["model_a"] == PICO
    for row in rows:
        assert set(row) >= {"question_id", "turn", "model_a", "model_b", "winner", "reviewer"}
        assert set(row) >= {"group", "updated", "note", "flags", "judge", "judge_winner"}
    assert [r["reviewer"] for r in votes_json(db_path, "--reviewer", "lee")] == ["lee"]


def test_paging_returns_every_vote_once(demo_store: Store) -> None:
    for q in range(901, 917):
        for turn in (1, 2):
            demo_store.votes.set_vote(PairKey.of(q, LYNX, PICO, turn), "kim", "A", shown_a=PICO)
    one_page = list(list_votes(demo_store.db, page_size=1000))
    assert len(one_page) == 32
    assert list(list_votes(demo_store.db, page_size=3)) == one_page


def test_hostile_names_and_notes_are_inert_in_table_and_json(
    demo_store: Store, db_path: Path, tmp_path: Path
) -> None:
    add_hostile_pair(demo_store, tmp_path)
    demo_store.votes.set_note(PairKey.of(901, HOSTILE_A, HOSTILE_B, 1), "mallory_1", "[blink]n")
    result = CliRunner().invoke(main, ["votes", "--db", str(db_path)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "[reverse]evil\\x1b[31m-7b" in result.output
    assert "[@click=app.quit]bidi" in result.output and "[blink]n" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "bidi\\u202ename" in result.output
    rows = votes_json(db_path)
    assert rows[0]["model_a"] == HOSTILE_A and rows[0]["winner"] == "model_a"
    assert rows[0]["judge_winner"] == "model_b"
    raw = CliRunner().invoke(main, ["votes", "--db", str(db_path), "--json"]).output
    assert "\x1b" not in raw


def test_a_missing_database_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["votes", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.output
    assert not (tmp_path / "none.db").exists()


def test_study_votes_carry_gpt4s_verdict_in_the_voters_order(shared: Path, tmp_path: Path) -> None:
    """Against the published files read directly: GPT-4's verdict on each expert_0 vote,
    flipped into the vote's own model_a / model_b order."""
    folder = shared / "mtbench" / "human_judgments"
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
            str(folder / "human.jsonl"),
            "--votes",
            str(folder / "gpt4_pair.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    gpt4 = {}
    for line in (folder / "gpt4_pair.jsonl").read_text().splitlines():
        r = json.loads(line)
        winner = {"tie (inconsistent)": "inconsistent"}.get(r["winner"], r["winner"])
        gpt4[(r["question_id"], r["turn"], r["model_a"], r["model_b"])] = winner
        flipped = {"model_a": "model_b", "model_b": "model_a"}.get(winner, winner)
        gpt4[(r["question_id"], r["turn"], r["model_b"], r["model_a"])] = flipped
    expected = []
    for line in (folder / "human.jsonl").read_text().splitlines():
        r = json.loads(line)
        if r["judge"] == "expert_0":
            key = (r["question_id"], r["turn"], r["model_a"], r["model_b"])
            expected.append((*key, r["winner"], gpt4.get(key)))
    rows = votes_json(db, "--reviewer", "expert_0")
    got = [
        (r["question_id"], r["turn"], r["model_a"], r["model_b"], r["winner"], r["judge_winner"])
        for r in rows
    ]
    assert sorted(got) == sorted(expected) and len(got) > 20


def test_votes_table_at_80_columns_keeps_headers_and_names_whole(
    demo_store: Store, db_path: Path, tmp_path: Path
) -> None:
    add_pair_data(demo_store, tmp_path / "pairs")
    demo_store.votes.set_vote(PairKey.of(901, LYNX, ORION, 1), "kim", "B", shown_a=LYNX)
    result = CliRunner().invoke(main, ["votes", "--db", str(db_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in result.output
    header = next(line for line in lines if line.split()[:2] == ["Q", "turn"])
    assert header.split() == [
        "Q",
        "turn",
        "A",
        "B",
        "vote",
        "judge",
        "reviewer",
        "flags",
        "note",
        "updated",
    ]
    start = {m.group(): m.start() for m in re.finditer(r"\S+", header)}
    row = next(i for i, line in enumerate(lines) if line.split()[:2] == ["901", "1"])
    block = lines[row : row + 3]  # the row and the lines its folded names continue on
    shown_a = "".join(line[start["A"] : start["B"]].strip() for line in block)
    shown_b = "".join(line[start["B"] : start["vote"]].strip() for line in block)
    assert (shown_a, shown_b) == (LYNX, ORION)
