"""Importing FastChat data: real runs, idempotence, updates, and all-or-nothing behaviour."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core import loading
from mtbench_tui.core.importer import ImportSummary, import_sources
from mtbench_tui.core.jsonl import InputError
from mtbench_tui.core.store import Store
from tests.helpers import edit_row, read_jsonl


def run_cli(*args: str) -> tuple[int, str]:
    """Invoke the CLI in-process; return exit code and combined output."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def fastchat_show_result(judgment_file: Path) -> dict[str, dict[str, float]]:
    """FastChat's show_result.py --mode single: drop score == -1, mean by model (and turn)."""
    by_turn: dict[tuple[str, int], list[float]] = defaultdict(list)
    pooled: dict[str, list[float]] = defaultdict(list)
    for row in read_jsonl(judgment_file):
        if row["score"] == -1:
            continue
        by_turn[(row["model"], row["turn"])].append(row["score"])
        pooled[row["model"]].append(row["score"])
    return {
        model: {
            "turn1": sum(by_turn[(model, 1)]) / len(by_turn[(model, 1)]),
            "turn2": sum(by_turn[(model, 2)]) / len(by_turn[(model, 2)]),
            "overall": sum(scores) / len(scores),
        }
        for model, scores in pooled.items()
    }


@pytest.mark.shared
def test_every_run_imports_and_scores_match_fastchat(runs: list[Path], tmp_path: Path) -> None:
    for run in runs:
        db = tmp_path / f"{run.name}.db"
        code, output = run_cli("import", str(run), "--db", str(db))
        assert code == 0, output
        code, output = run_cli("scores", "--db", str(db), "--json")
        assert code == 0, output
        board = {row["model"]: row for row in json.loads(output)}
        expected = fastchat_show_result(run / "model_judgment" / "gpt-4_single.jsonl")
        assert set(board) == set(expected)
        for model, values in expected.items():
            for key in ("turn1", "turn2", "overall"):
                assert board[model][key] == pytest.approx(values[key], abs=1e-9), (
                    run.name,
                    model,
                    key,
                )


@pytest.mark.shared
def test_no_verdict_rows_are_kept_and_counted(runs: list[Path], tmp_path: Path) -> None:
    expected_missing = {
        "claude-3": 0,
        "llama-2-7b": 0,
        "gemma": 11,
        "mistral-dolphin": 15,
        "phi-3": 0,
    }
    for run in runs:
        store = Store.open(tmp_path / f"{run.name}.db")
        summary = import_sources(store, loading.discover(run))
        rows = read_jsonl(run / "model_judgment" / "gpt-4_single.jsonl")
        counts = store.content.counts()
        assert counts.judgments == len(rows)
        assert (
            counts.no_verdict == summary.kind("judgments").no_verdict == expected_missing[run.name]
        )
        board = store.content.leaderboard()
        assert sum(r.n_no_verdict for r in board) == expected_missing[run.name]
        # The text of a verdict without a rating is kept, not dropped.
        missing = [r for r in rows if r["score"] == -1]
        for row in missing:
            stored = store.db.execute(
                "SELECT score, judgment FROM judgments"
                " WHERE question_id = ? AND model = ? AND turn = ?",
                [row["question_id"], row["model"], row["turn"]],
            ).fetchone()
            assert stored == (None, row["judgment"])
        store.close()


@pytest.mark.shared
def test_float_scores_are_kept_as_given(runs: list[Path], tmp_path: Path) -> None:
    gemma = next(r for r in runs if r.name == "gemma")
    store = Store.open(tmp_path / "g.db")
    import_sources(store, loading.discover(gemma))
    floats = [
        r
        for r in read_jsonl(gemma / "model_judgment" / "gpt-4_single.jsonl")
        if isinstance(r["score"], float)
    ]
    assert floats, "the gemma run has fractional scores"
    for row in floats:
        stored = store.db.execute(
            "SELECT score FROM judgments WHERE question_id = ? AND model = ? AND turn = ?",
            [row["question_id"], row["model"], row["turn"]],
        ).fetchone()[0]
        assert stored == row["score"]


@pytest.mark.shared
def test_official_answers_use_file_stem_as_model(shared: Path, tmp_path: Path) -> None:
    official = shared / "mtbench" / "official"
    store = Store.open(tmp_path / "official.db")
    summary = import_sources(store, loading.discover(official))
    assert summary.kind("answers").new == 31 * 80
    assert summary.kind("references").new == 30
    models = store.content.models()
    assert "vicuna-13b-v1.3" in models and "vicuna-13b-hao-0515" not in models
    assert len(models) == 31
    row = store.db.execute(
        "SELECT model_id FROM answers WHERE model = 'rwkv-4-raven-14b' LIMIT 1"
    ).fetchone()
    assert row[0] == "RWKV-4-Raven-14B"


@pytest.mark.shared
def test_pairwise_judgments_import(runs: list[Path], tmp_path: Path) -> None:
    phi = next(r for r in runs if r.name == "phi-3")
    store = Store.open(tmp_path / "phi.db")
    summary = import_sources(store, loading.discover(phi))
    assert summary.kind("pair_judgments").new == 75
    winners = {r[0] for r in store.db.execute("SELECT DISTINCT g1_winner FROM pair_judgments")}
    assert winners <= {"model_1", "model_2", "tie", "error"}


def test_reimport_adds_nothing(full_demo_store: Store, demo_copy: Path) -> None:
    before = full_demo_store.content.counts()
    summary = import_sources(full_demo_store, loading.discover(demo_copy))
    assert full_demo_store.content.counts() == before
    assert all(k.new == 0 and k.updated == 0 for k in summary.kinds.values())
    assert summary.kind("judgments").unchanged == 96
    assert summary.kind("pair_judgments").unchanged == 96  # 16 questions x 3 pairs x 2 turns


def test_changed_content_updates_and_is_reported(demo_store: Store, demo_copy: Path) -> None:
    judgments = demo_copy / "model_judgment" / "gpt-4_single.jsonl"
    edit_row(judgments, 3, score=4, judgment="Re-judged.\n\nRating: [[4]]")
    code, output = run_cli("import", str(demo_copy), "--db", str(demo_store.path))
    assert code == 0, output
    assert "1 stored row(s) had different content and were updated" in output
    row = read_jsonl(judgments)[2]
    score = demo_store.db.execute(
        "SELECT score FROM judgments WHERE question_id = ? AND model = ? AND turn = ?",
        [row["question_id"], row["model"], row["turn"]],
    ).fetchone()[0]
    assert score == 4
    assert demo_store.content.counts().judgments == 96


def test_repeated_identical_rows_are_not_duplicated(store: Store, demo_copy: Path) -> None:
    answers = demo_copy / "model_answer" / "pico-1b-chat.jsonl"
    answers.write_text(answers.read_text() + answers.read_text().splitlines()[0] + "\n")
    summary = import_sources(store, loading.discover(demo_copy))
    assert summary.kind("answers").repeated == 1
    assert store.content.counts().answers == 48


def file_digest(path: Path) -> str:
    """SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_import_leaves_existing_database_byte_identical(
    demo_store: Store, demo_copy: Path
) -> None:
    db = demo_store.path
    demo_store.close()
    digest = file_digest(db)
    judgments = demo_copy / "model_judgment" / "gpt-4_single.jsonl"
    lines = judgments.read_text().splitlines()
    lines[40] = lines[40][:-20]  # truncate a row: broken JSON near the end of the last file
    judgments.write_text("\n".join(lines) + "\n")
    code, output = run_cli("import", str(demo_copy), "--db", str(db))
    assert code != 0
    assert f"{judgments}:41" in output and "broken JSON" in output
    assert file_digest(db) == digest


def test_failed_import_into_new_database_leaves_no_file(tmp_path: Path, demo_copy: Path) -> None:
    edit_row(demo_copy / "question.jsonl", 5, turns=["only one"])
    db = tmp_path / "new.db"
    code, _ = run_cli("import", str(demo_copy), "--db", str(db))
    assert code != 0
    assert not db.exists()


def test_error_late_in_import_rolls_back_earlier_files(store: Store, demo_copy: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 96, turn=3)
    with pytest.raises(InputError, match="field 'turn'"):
        import_sources(store, loading.discover(demo_copy))
    assert store.content.counts().questions == 0
    assert store.content.counts().answers == 0


def test_single_file_options(tmp_path: Path, demo_copy: Path) -> None:
    db = tmp_path / "files.db"
    code, output = run_cli(
        "import",
        "--db",
        str(db),
        "--questions",
        str(demo_copy / "question.jsonl"),
        "--answers",
        str(demo_copy / "model_answer" / "orion-70b-chat.jsonl"),
        "--judgments",
        str(demo_copy / "model_judgment" / "gpt-4_single.jsonl"),
    )
    # The judgments file refers to models whose answers were not given: rejected, naming the model.
    assert code != 0 and "unknown model 'lynx-13b-chat'" in output
    code, output = run_cli(
        "import",
        "--db",
        str(db),
        "--questions",
        str(demo_copy / "question.jsonl"),
        "--answers",
        str(demo_copy / "model_answer" / "orion-70b-chat.jsonl"),
        "--json",
    )
    assert code == 0, output
    assert json.loads(output)["kinds"]["answers"]["new"] == 16


def test_import_summary_json_counts(tmp_path: Path, demo_copy: Path) -> None:
    code, output = run_cli("import", str(demo_copy), "--db", str(tmp_path / "x.db"), "--json")
    assert code == 0
    kinds = json.loads(output)["kinds"]
    assert kinds["questions"]["new"] == 16
    assert kinds["answers"]["new"] == 48
    assert kinds["judgments"]["new"] == 96 and kinds["judgments"]["no_verdict"] == 1
    assert kinds["references"]["new"] == 6


def ratings_rows() -> list[dict[str, object]]:
    """The demo ratings export, as rows."""
    from tests.conftest import DEMO_RATINGS

    return read_jsonl(DEMO_RATINGS)


def import_rows(store: Store, path: Path, rows: list[dict[str, object]]) -> ImportSummary:
    """Write rows to a judgments-layout file and import it."""
    from tests.helpers import write_jsonl

    write_jsonl(path, rows)
    return import_sources(store, loading.DataSources(judgments=[path]))


def stored_rating(store: Store, row: dict[str, object]) -> tuple[object, ...]:
    """(score, updated) of the stored rating a row describes."""
    reviewer = str(row["judge"][0]).removeprefix("human:")  # type: ignore[index]
    return store.db.execute(
        "SELECT score, updated FROM ratings WHERE question_id = ? AND model = ? AND turn = ?"
        " AND reviewer = ?",
        [row["question_id"], row["model"], row["turn"], reviewer],
    ).fetchone()


def history_count(store: Store) -> int:
    """Events in rating_history."""
    return store.db.execute("SELECT COUNT(*) FROM rating_history").fetchone()[0]


def test_reimported_ratings_are_unchanged(rated_store: Store, tmp_path: Path) -> None:
    events = history_count(rated_store)
    summary = import_rows(rated_store, tmp_path / "again.jsonl", ratings_rows())
    counts = summary.kind("ratings")
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 192)
    assert history_count(rated_store) == events


def test_later_rating_wins_and_histories_unite(rated_store: Store, tmp_path: Path) -> None:
    rows = ratings_rows()
    later = "2030-01-01T00:00:00.000Z"
    event = {"event": "score", "score": 2, "note": "", "flags": [], "blind": False, "at": later}
    rows[0] = dict(rows[0], score=2, updated=later, history=[*rows[0]["history"], event])
    events = history_count(rated_store)
    summary = import_rows(rated_store, tmp_path / "later.jsonl", rows)
    assert summary.kind("ratings").updated == 1
    assert stored_rating(rated_store, rows[0]) == (2, later)
    assert history_count(rated_store) == events + 1


def test_older_rating_loses_but_its_history_is_kept(rated_store: Store, tmp_path: Path) -> None:
    rows = ratings_rows()
    before = stored_rating(rated_store, rows[0])
    early = "2000-01-01T00:00:00.000Z"
    event = {"event": "score", "score": 1, "note": "", "flags": [], "blind": False, "at": early}
    rows[0] = dict(rows[0], score=1, updated=early, history=[event, *rows[0]["history"]])
    events = history_count(rated_store)
    summary = import_rows(rated_store, tmp_path / "older.jsonl", rows)
    assert summary.kind("ratings").updated == 1  # its history grew
    assert stored_rating(rated_store, rows[0]) == before
    assert history_count(rated_store) == events + 1


def test_reversed_pair_is_the_same_comparison(demo_store: Store, tmp_path: Path) -> None:
    """Written the other way round, a verdict updates the stored one, which keeps its order."""
    from tests.helpers import write_jsonl

    pair = {
        "question_id": 901,
        "model_1": "orion-70b-chat",
        "model_2": "pico-1b-chat",
        "judge": ["gpt-4", "pair-v2"],
        "g1_winner": "model_1",
        "g2_winner": "model_1",
        "turn": 1,
    }
    first, second = tmp_path / "a_pair.jsonl", tmp_path / "b_pair.jsonl"
    write_jsonl(first, [pair])
    swapped = dict(pair, model_1=pair["model_2"], model_2=pair["model_1"], g1_winner="model_2")
    write_jsonl(second, [swapped])
    import_sources(demo_store, loading.DataSources(pairs=[first]))
    summary = import_sources(demo_store, loading.DataSources(pairs=[second]))
    assert summary.kind("pair_judgments").updated == 1
    rows = demo_store.db.execute("SELECT model_1, g1_winner FROM pair_judgments").fetchall()
    # Stored as orion-first: the new g1 (orion shown first) is the swapped row's g2, flipped.
    assert rows == [("orion-70b-chat", "model_2")]


def test_import_runs_analyze(demo_store: Store) -> None:
    """The planner has statistics after an import, so query plans don't depend on luck."""
    tables = {r[0] for r in demo_store.db.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"judgments", "answers", "questions"} <= tables


def test_empty_tables_do_not_steer_joins_after_import(demo_store: Store) -> None:
    """No ratings yet: a join of ratings and judgments must still start from the ratings."""
    plan = demo_store.db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM ratings r"
        " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model"
    ).fetchall()
    assert plan[0][3].startswith("SCAN r"), plan
