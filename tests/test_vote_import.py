"""MT-Bench's pairwise human study imported: votes, GPT-4's verdicts, answers from conversations."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mtbench_tui.cli import main
from mtbench_tui.core.store import Store
from tests.helpers import read_jsonl, write_jsonl

FLIP = {"model_a": "model_b", "model_b": "model_a"}


def run(*args: str) -> Result:
    """Invoke the CLI in-process."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    """The database file's hash, to prove a failed import wrote nothing."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def study(shared: Path) -> Path:
    """The human_judgments directory."""
    return shared / "mtbench" / "human_judgments"


@pytest.fixture
def questions(shared: Path) -> Path:
    """MT-Bench's question.jsonl."""
    return shared / "mtbench" / "official" / "question.jsonl"


@pytest.fixture
def study_db(tmp_path: Path, study: Path, questions: Path) -> Path:
    """A database holding the questions, the 1,688 human votes and GPT-4's 1,200 verdicts."""
    path = tmp_path / "study.db"
    result = run(
        "import",
        "--db",
        str(path),
        "--questions",
        str(questions),
        "--votes",
        str(study / "human.jsonl"),
        "--votes",
        str(study / "gpt4_pair.jsonl"),
    )
    assert result.exit_code == 0, result.output
    return path


def canonical(row: dict[str, Any]) -> tuple[tuple[Any, ...], str]:
    """A row's comparison key (models sorted) and its winner seen from that order."""
    a, b, winner = row["model_a"], row["model_b"], row["winner"]
    if a > b:
        a, b, winner = b, a, FLIP.get(winner, winner)
    return (row["question_id"], a, b, row["turn"]), winner


def test_study_import_counts_and_canonical_votes(study_db: Path, study: Path) -> None:
    store = Store.open(study_db)
    humans = read_jsonl(study / "human.jsonl")
    expected = {}
    for row in humans:
        key, winner = canonical(row)
        expected[(*key, row["judge"])] = {"model_a": "model_1", "model_b": "model_2"}.get(
            winner, winner
        )
    stored = {
        (v.question_id, v.model_1, v.model_2, v.turn, v.reviewer): v.winner
        for v in store.votes.iter_all()
    }
    assert stored == expected
    shown = {
        (v.question_id, v.turn, v.reviewer, v.shown_a) for v in store.votes.iter_all(page_size=97)
    }
    assert shown == {(r["question_id"], r["turn"], r["judge"], r["model_a"]) for r in humans}
    groups = Counter(v.reviewer.split("_")[0] for v in store.votes.iter_all(group="expert"))
    assert groups == {"expert": sum(1 for r in humans if r["judge"].startswith("expert"))}
    assert {r.group for r in store.votes.reviewers()} == {"expert", "author"}
    # Answers of all six models, vicuna-13b-v1.2 included, came from the conversations.
    models = {m for (m,) in store.db.execute("SELECT DISTINCT model FROM answers")}
    assert "vicuna-13b-v1.2" in models and len(models) == 6
    store.close()


def test_gpt4_pair_verdicts_keep_inconsistent_and_have_no_orders(
    study_db: Path, study: Path
) -> None:
    store = Store.open(study_db)
    rows = read_jsonl(study / "gpt4_pair.jsonl")
    labels = {"model_a": "model_1", "model_b": "model_2", "tie (inconsistent)": "inconsistent"}
    expected = Counter(labels.get(r["winner"], r["winner"]) for r in rows)
    stored = Counter(w for (w,) in store.db.execute("SELECT winner FROM pair_judgments"))
    assert stored == expected and stored["inconsistent"] == 193
    nulls = store.db.execute(
        "SELECT COUNT(*) FROM pair_judgments WHERE g1_winner IS NULL AND g2_winner IS NULL"
        " AND judge = 'gpt-4' AND judge_model = 'gpt-4'"
    ).fetchone()[0]
    assert nulls == len(rows)
    prompts = dict(
        store.db.execute(
            "SELECT q.category || '/' || p.turn, p.prompt FROM pair_judgments p"
            " JOIN questions q USING (question_id) GROUP BY 1"
        ).fetchall()
    )
    assert prompts["writing/1"] == "pair-v2" and prompts["math/2"] == "pair-math-v1-multi-turn"
    store.close()


def test_reimport_is_idempotent(study_db: Path, study: Path, questions: Path) -> None:
    result = run(
        "import",
        "--db",
        str(study_db),
        "--votes",
        str(study / "human.jsonl"),
        "--votes",
        str(study / "gpt4_pair.jsonl"),
        "--json",
    )
    kinds = json.loads(result.output)["kinds"]
    assert kinds["votes"]["unchanged"] == 1688 and kinds["votes"]["new"] == 0
    assert kinds["pair_judgments"]["unchanged"] == 1200
    assert "answers" not in kinds


def test_parquet_json_and_jsonl_read_the_same(tmp_path: Path, study: Path, questions: Path) -> None:
    subset = [r for r in read_jsonl(study / "human.jsonl") if r["question_id"] <= 90]
    write_jsonl(tmp_path / "subset.jsonl", subset)
    (tmp_path / "subset.json").write_text(json.dumps(subset, indent=2), encoding="utf-8")
    found = []
    for name, source in (
        ("parquet", study / "human-q81-90.parquet"),
        ("jsonl", tmp_path / "subset.jsonl"),
        ("json", tmp_path / "subset.json"),
    ):
        path = tmp_path / f"{name}.db"
        result = run(
            "import", "--db", str(path), "--questions", str(questions), "--votes", str(source)
        )
        assert result.exit_code == 0, result.output
        store = Store.open(path)
        found.append(
            [
                (v.question_id, v.model_1, v.model_2, v.turn, v.reviewer, v.shown_a, v.winner)
                for v in store.votes.iter_all()
            ]
        )
        answers = store.db.execute("SELECT * FROM answers ORDER BY question_id, model").fetchall()
        found.append(answers)
        store.close()
    assert found[0] == found[2] == found[4] and len(found[0]) == len(subset)
    assert found[1] == found[3] == found[5]


def test_flipped_identical_repeat_counts_once(tmp_path: Path, study: Path, questions: Path) -> None:
    rows = read_jsonl(study / "human.jsonl")[:3]
    first = rows[0]
    flipped = dict(
        first,
        model_a=first["model_b"],
        model_b=first["model_a"],
        conversation_a=first["conversation_b"],
        conversation_b=first["conversation_a"],
        winner=FLIP.get(first["winner"], first["winner"]),
    )
    write_jsonl(tmp_path / "votes.jsonl", [*rows, flipped])
    db = tmp_path / "r.db"
    result = run(
        "import",
        "--db",
        str(db),
        "--questions",
        str(questions),
        "--votes",
        str(tmp_path / "votes.jsonl"),
        "--json",
    )
    votes = json.loads(result.output)["kinds"]["votes"]
    assert (votes["read"], votes["new"], votes["repeated"]) == (4, 3, 1)


def _fails(db: Path, *args: str) -> str:
    """Run an import that must fail; check the database is byte-identical; return the message."""
    before = digest(db)
    result = run("import", "--db", str(db), *args)
    assert result.exit_code != 0, result.output
    assert digest(db) == before
    return " ".join(result.output.split())


def test_conflicting_repeat_names_both_lines(study_db: Path, tmp_path: Path, study: Path) -> None:
    rows = read_jsonl(study / "human.jsonl")[:4]
    other = "tie" if rows[1]["winner"] != "tie" else "model_a"
    write_jsonl(tmp_path / "v.jsonl", [*rows, dict(rows[1], winner=other)])
    out = _fails(study_db, "--votes", str(tmp_path / "v.jsonl"))
    assert "v.jsonl:5: field 'winner'" in out and "v.jsonl:2" in out


def test_conflict_with_stored_vote_updates_it(study_db: Path, tmp_path: Path, study: Path) -> None:
    row = read_jsonl(study / "human.jsonl")[0]
    other = "tie" if row["winner"] != "tie" else "model_a"
    write_jsonl(tmp_path / "v.jsonl", [dict(row, winner=other)])
    result = run("import", "--db", str(study_db), "--votes", str(tmp_path / "v.jsonl"), "--json")
    assert json.loads(result.output)["kinds"]["votes"]["updated"] == 1


def test_conversation_differing_from_stored_answer(
    study_db: Path, tmp_path: Path, study: Path
) -> None:
    rows = read_jsonl(study / "human.jsonl")[:3]
    rows[2]["conversation_b"][3]["content"] += " (edited)"
    write_jsonl(tmp_path / "v.jsonl", rows)
    out = _fails(study_db, "--votes", str(tmp_path / "v.jsonl"))
    assert "v.jsonl:3: field 'conversation_b[3].content'" in out
    assert rows[2]["model_b"] in out


def test_conversations_disagreeing_within_one_import(
    tmp_path: Path, study: Path, questions: Path
) -> None:
    rows = [
        r
        for r in read_jsonl(study / "human.jsonl")
        if "vicuna-13b-v1.2" in (r["model_a"], r["model_b"]) and r["question_id"] == 81
    ][:2]
    side = "conversation_a" if rows[1]["model_a"] == "vicuna-13b-v1.2" else "conversation_b"
    rows[1][side][1]["content"] = "something else"
    write_jsonl(tmp_path / "v.jsonl", rows)
    db = tmp_path / "new.db"
    Store.open(db).close()
    run("import", "--db", str(db), "--questions", str(questions))
    out = _fails(db, "--votes", str(tmp_path / "v.jsonl"))
    assert f"v.jsonl:2: field '{side}[1].content'" in out and "v.jsonl:1" in out


def test_empty_answer_is_legitimate(tmp_path: Path, study: Path, questions: Path) -> None:
    row = read_jsonl(study / "human.jsonl")[0]
    row["model_a"] = "silent-model"
    row["conversation_a"][3]["content"] = ""
    write_jsonl(tmp_path / "v.jsonl", [row])
    db = tmp_path / "e.db"
    result = run(
        "import",
        "--db",
        str(db),
        "--questions",
        str(questions),
        "--votes",
        str(tmp_path / "v.jsonl"),
    )
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    assert store.db.execute(
        "SELECT turn_2, length_2 FROM answers WHERE model = 'silent-model'"
    ).fetchone() == ("", 0)
    store.close()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question_id": 4242}, "question_id"),
        ({"winner": "model_c"}, "winner"),
        ({"winner": "tie (inconsistent)"}, "winner"),
        ({"turn": 3}, "turn"),
        ({"model_b": None}, "model_b"),
        ({"conversation_a": []}, "conversation_a"),
        ({"judge": ""}, "judge"),
    ],
)
def test_bad_rows_name_file_line_and_field(
    study_db: Path, tmp_path: Path, study: Path, change: dict[str, Any], field: str
) -> None:
    rows = read_jsonl(study / "human.jsonl")[:3]
    rows[1].update(change)
    write_jsonl(tmp_path / "bad.jsonl", rows)
    out = _fails(study_db, "--votes", str(tmp_path / "bad.jsonl"))
    assert f"bad.jsonl:2: field '{field}'" in out


def test_wrong_role_and_corrupt_parquet(study_db: Path, tmp_path: Path, study: Path) -> None:
    rows = read_jsonl(study / "human.jsonl")[:2]
    rows[1]["conversation_b"][2]["role"] = "assistant"
    write_jsonl(tmp_path / "bad.jsonl", rows)
    assert "bad.jsonl:2: field 'conversation_b[2].role'" in _fails(
        study_db, "--votes", str(tmp_path / "bad.jsonl")
    )
    corrupt = tmp_path / "bad.parquet"
    corrupt.write_bytes((study / "human-q81-90.parquet").read_bytes()[:-100])
    assert "bad.parquet" in _fails(study_db, "--votes", str(corrupt))


def test_human_votes_round_trip_through_fastchat_pair_rows(
    study_db: Path, tmp_path: Path, questions: Path
) -> None:
    from mtbench_tui.core.pair_models import PairKey
    from mtbench_tui.core.pairwise.export import write_fastchat_pairs

    store = Store.open(study_db)
    key = PairKey.of(81, "gpt-4", "claude-v1", 2)
    store.votes.set_vote(key, "alice", "B", shown_a="gpt-4", blind=True)
    store.votes.set_note(key, "alice", "close call")
    store.votes.set_flags(key, "alice", ("judge-wrong",))
    store.votes.set_note(PairKey.of(82, "gpt-4", "llama-13b", 1), "bob", "n/a", shown_a="llama-13b")
    export = tmp_path / "human_pair.jsonl"
    with export.open("w", encoding="utf-8") as out:
        written = write_fastchat_pairs(store, out)
    before = {(v, ()) for v in store.votes.iter_all()}
    history = list(store.votes.all_history())
    groups = {(r.name, r.group) for r in store.votes.reviewers()}
    store.close()
    alice = [r for r in read_jsonl(export) if r["judge"] == ["human:alice", "pair"]]
    assert alice[0]["model_1"] == "gpt-4" and alice[0]["g1_winner"] == "model_2"
    # Into a fresh database holding no votes, only questions, answers and GPT-4's verdicts.
    fresh = tmp_path / "fresh.db"
    gpt4 = str(questions.parent.parent / "human_judgments" / "gpt4_pair.jsonl")
    run("import", "--db", str(fresh), "--questions", str(questions), "--votes", gpt4)
    result = run("import", "--db", str(fresh), "--pairs", str(export), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["kinds"]["votes"]["new"] == written == len(before)
    copy = Store.open(fresh)
    assert {(v, ()) for v in copy.votes.iter_all()} == before
    assert {(r.name, r.group) for r in copy.votes.reviewers()} == groups
    assert list(copy.votes.all_history()) == history
    copy.close()
    again = run("import", "--db", str(fresh), "--pairs", str(export), "--json")
    assert json.loads(again.output)["kinds"]["votes"]["unchanged"] == written


def _swap(row: dict[str, Any]) -> dict[str, Any]:
    """The same FastChat pair verdict written with model_1 and model_2 exchanged."""
    flip = {"model_1": "model_2", "model_2": "model_1"}
    return dict(
        row,
        model_1=row["model_2"],
        model_2=row["model_1"],
        g1_winner=flip.get(row["g2_winner"], row["g2_winner"]),
        g2_winner=flip.get(row["g1_winner"], row["g1_winner"]),
        g1_judgment=row["g2_judgment"],
        g2_judgment=row["g1_judgment"],
        g1_user_prompt=row["g2_user_prompt"],
        g2_user_prompt=row["g1_user_prompt"],
    )


def test_fastchat_pair_rows_in_either_model_order(runs: list[Path], tmp_path: Path) -> None:
    phi3 = next(r for r in runs if r.name == "phi-3")
    db = tmp_path / "phi.db"
    assert run("import", "--db", str(db), str(phi3)).exit_code == 0
    before = Store.open(db)
    stored = before.db.execute("SELECT * FROM pair_judgments ORDER BY 1, 2, 3, 4").fetchall()
    before.close()
    rows = read_jsonl(phi3 / "model_judgment" / "gpt-4_pair.jsonl")
    write_jsonl(tmp_path / "swapped" / "gpt-4_pair.jsonl", [_swap(r) for r in rows])
    result = run(
        "import",
        "--db",
        str(db),
        "--pairs",
        str(tmp_path / "swapped" / "gpt-4_pair.jsonl"),
        "--json",
    )
    assert json.loads(result.output)["kinds"]["pair_judgments"]["unchanged"] == len(rows)
    after = Store.open(db)
    assert after.db.execute("SELECT * FROM pair_judgments ORDER BY 1, 2, 3, 4").fetchall() == stored
    after.close()
    # Both orders in one file: the swapped copy repeats the verdict, it doesn't conflict.
    write_jsonl(tmp_path / "both" / "gpt-4_pair.jsonl", rows + [_swap(r) for r in rows])
    fresh = tmp_path / "fresh.db"
    result = run("import", "--db", str(fresh), str(phi3), "--json")
    result = run(
        "import",
        "--db",
        str(fresh),
        "--pairs",
        str(tmp_path / "both" / "gpt-4_pair.jsonl"),
        "--json",
    )
    counts = json.loads(result.output)["kinds"]["pair_judgments"]
    assert (counts["unchanged"], counts["repeated"]) == (len(rows), len(rows))
