"""Pairwise verdict agreement through `stats --json` and every export, on real SQLite files.

The expected numbers come from the small reference implementation in
``tests/test_pair_agreement.py``, which counts the raw dataset rows with plain loops.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.store import Store
from tests.helpers import read_jsonl, write_jsonl
from tests.test_pair_agreement import PAPER_TABLE5, by_comparison, reference_cells, same

Json = dict[str, Any]


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI in-process; stdout and stderr together."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def stats_json(db: Path, *args: str) -> Json:
    """`stats --json` of a database."""
    code, out = run("stats", "--db", str(db), "--json", *args)
    assert code == 0, out
    return json.loads(out)


def import_files(db: Path, questions: Path, *votes: Path, pairs: tuple[Path, ...] = ()) -> None:
    """`import` of questions, vote files and FastChat pair files into ``db``."""
    args = ["import", "--db", str(db), "--questions", str(questions)]
    for f in votes:
        args += ["--votes", str(f)]
    for f in pairs:
        args += ["--pairs", str(f)]
    code, out = run(*args)
    assert code == 0, out


def table(data: Json, key: str) -> Json:
    """One verdict-agreement table of a stats document."""
    return next(t for t in data["verdict_agreement"] if t["key"] == key)


def json_cells(data: Json, judge: str = "gpt-4", kind: str = "pair") -> dict[str, tuple[int, int]]:
    """The eight Table-5 cells as the reference names them, read from `stats --json`."""
    out = {}
    for row in table(data, "judge_human")["rows"]:
        if row["scope"] not in ("turn 1", "turn 2"):
            continue
        if row["kind"] == "human":
            name = "human"
        elif (row["first"], row["kind"]) == (judge, kind):
            name = "judge"
        else:
            continue
        with_ties, without_ties = row["cells"]
        turn = row["scope"].replace(" ", "")
        for ties, cell in (("ties", with_ties), ("no_ties", without_ties)):
            assert isinstance(cell["agree"], int) and isinstance(cell["total"], int)
            out[f"{name}/{turn}/{ties}"] = (cell["agree"], cell["total"])
    return out


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
    """Both splits of questions 81-120 imported through the CLI into a real file."""
    db = tmp_path / "study.db"
    import_files(db, questions, study / "human.jsonl", study / "gpt4_pair.jsonl")
    return db


def expert_rows(study: Path) -> list[Json]:
    """The experts' votes."""
    return [r for r in read_jsonl(study / "human.jsonl") if r["judge"].startswith("expert_")]


@pytest.mark.parametrize("pool", ["expert", None])
def test_stats_json_table5_equals_the_reference(
    study_db: Path, study: Path, pool: str | None
) -> None:
    args = ("--humans", pool) if pool else ()
    data = stats_json(study_db, "--bootstrap", "0", *args)
    humans = expert_rows(study) if pool else read_jsonl(study / "human.jsonl")
    expected = reference_cells(read_jsonl(study / "gpt4_pair.jsonl"), humans)
    assert json_cells(data) == expected
    assert data["settings"]["humans"] == pool
    assert data["counts"]["pair_votes"] == 1688 and data["counts"]["pair_verdicts"] == 1200
    if pool == "expert":
        assert expected["judge/turn1/ties"] == (445, 680)
        assert expected["human/turn1/no_ties"] == (193, 239)


def test_stats_json_on_a_held_out_subset(tmp_path: Path, study: Path, questions: Path) -> None:
    rng = random.Random(11)
    keep = {q for q in range(81, 121) if rng.random() < 0.5}
    humans = [r for r in expert_rows(study) if r["question_id"] in keep and rng.random() < 0.7]
    judge = [r for r in read_jsonl(study / "gpt4_pair.jsonl") if r["question_id"] in keep]
    write_jsonl(tmp_path / "h.jsonl", humans)
    write_jsonl(tmp_path / "j.jsonl", judge)
    db = tmp_path / "held.db"
    import_files(db, questions, tmp_path / "h.jsonl", tmp_path / "j.jsonl")
    data = stats_json(db, "--bootstrap", "0", "--humans", "expert")
    assert json_cells(data) == reference_cells(judge, humans)
    both = next(r for r in table(data, "judge_human")["rows"] if r["scope"] == "all")
    assert both["cells"][0]["n_questions"] == len({r["question_id"] for r in humans})


def test_parquet_splits_give_the_same_cells_as_the_jsonl_rows(
    tmp_path: Path, study: Path, questions: Path
) -> None:
    db = tmp_path / "parquet.db"
    import_files(db, questions, study / "human-q81-90.parquet", study / "gpt4_pair-q81-90.parquet")
    data = stats_json(db, "--bootstrap", "0", "--humans", "expert")
    humans = [r for r in expert_rows(study) if r["question_id"] <= 90]
    judge = [r for r in read_jsonl(study / "gpt4_pair.jsonl") if r["question_id"] <= 90]
    assert json_cells(data) == reference_cells(judge, humans)


def test_full_dataset_reproduces_the_paper_through_stats_json(
    tmp_path: Path, questions: Path
) -> None:
    """Needs the whole published dataset: MTBENCH_FULL_HUMAN_JUDGMENTS=<dir with both splits>."""
    full = os.environ.get("MTBENCH_FULL_HUMAN_JUDGMENTS")
    if not full:
        pytest.skip(
            "set MTBENCH_FULL_HUMAN_JUDGMENTS to a directory holding"
            " the dataset's two Parquet splits"
        )
    db = tmp_path / "full.db"
    import_files(db, questions, *sorted(Path(full).glob("*.parquet")))
    cells = json_cells(stats_json(db, "--bootstrap", "0", "--humans", "expert"))
    for name, (total, percent) in PAPER_TABLE5.items():
        agree, got = cells[name]
        assert got == total, name
        assert round(100 * agree / got) == percent, name


def test_intervals_kappa_and_majority_in_json(study_db: Path, study: Path) -> None:
    data = stats_json(study_db, "--bootstrap", "200", "--humans", "expert")
    rows = table(data, "judge_human")["rows"]
    both = next(r for r in rows if r["scope"] == "all" and r["kind"] == "pair")
    cell = both["cells"][0]
    low, high = cell["ci"]
    assert low < cell["rate"] < high and cell["baseline"] == pytest.approx(1 / 3, abs=1e-6)
    assert both["cells"][1]["baseline"] == 0.5 and "kappa" not in both["cells"][1]
    kappa = cell["kappa"]
    assert kappa["ci"][0] < kappa["value"] < kappa["ci"][1]
    assert table(data, "judge_human")["column_keys"] == ["with_ties", "without_ties"]
    majority = table(data, "judge_majority")["rows"]
    assert {r["second"] for r in majority} == {"human majority"}
    categories = {r["scope"] for r in table(data, "by_category")["rows"]}
    assert categories == {
        "category math",
        "category reasoning",
        "category roleplay",
        "category writing",
    }


def test_pairwise_bias_in_the_audit(study_db: Path, study: Path) -> None:
    data = stats_json(study_db, "--bootstrap", "200", "--humans", "expert")
    (audit,) = data["bias"]
    items = {i["check"]: i for i in audit["items"]}
    assert audit["judge"] == "gpt-4"
    assert list(items) == [
        "position",
        "order_inconsistency",
        "pair_verbosity",
        "pair_self_preference",
    ]
    # The published split keeps only the combined verdict: no position, but inconsistency.
    assert items["position"]["status"] == "not_applicable"
    judged = read_jsonl(study / "gpt4_pair.jsonl")
    inconsistent = sum(r["winner"] == "tie (inconsistent)" for r in judged)
    order = items["order_inconsistency"]
    assert (order["details"]["inconsistent"], order["details"]["n"]) == (inconsistent, len(judged))
    assert order["effect"] == pytest.approx(inconsistent / len(judged), abs=1e-6)
    assert order["n_questions"] == 40 and order["status"] in ("flagged", "clear")
    verbosity = items["pair_verbosity"]
    low, high = verbosity["ci"]
    assert low <= verbosity["effect"] <= high
    share = verbosity["details"]["judge_share"] - verbosity["details"]["human_share"]
    assert verbosity["effect"] == pytest.approx(share, abs=1e-5)
    assert items["pair_self_preference"]["details"]["judge_family"] is not None


def test_position_on_a_run_with_both_orders(runs: list[Path], tmp_path: Path) -> None:
    phi3 = next(r for r in runs if r.name == "phi-3")
    db = tmp_path / "phi.db"
    assert run("import", str(phi3), "--db", str(db))[0] == 0
    items = {i["check"]: i for i in stats_json(db, "--bootstrap", "200")["bias"][0]["items"]}
    rows = [
        r
        for r in read_jsonl(phi3 / "model_judgment" / "gpt-4_pair.jsonl")
        if "error" not in (r["g1_winner"], r["g2_winner"])
    ]
    first = sum((r["g1_winner"], r["g2_winner"]) == ("model_1", "model_2") for r in rows)
    second = sum((r["g1_winner"], r["g2_winner"]) == ("model_2", "model_1") for r in rows)
    position = items["position"]
    assert (position["details"]["first_wins"], position["details"]["second_wins"]) == (
        first,
        second,
    )
    assert position["effect"] == pytest.approx(first / (first + second), abs=1e-6)
    differ = sum(r["g1_winner"] != r["g2_winner"] for r in rows)
    assert position["details"]["consistency"] == pytest.approx(1 - differ / len(rows), abs=1e-6)
    assert items["pair_verbosity"]["status"] == "not_applicable"  # nobody voted on phi-3


def pair_rows(n_questions: int, *turns: tuple[str, str]) -> list[Json]:
    """FastChat pair rows: per question, one comparison per turn, judged in both orders.

    ``turns`` gives (g1_winner, g2_winner) for turn 1 and optionally turn 2; on questions
    1 and 2, turn 2 flips toward the second answer instead, so questions differ.
    """
    rows = []
    for q in range(1, n_questions + 1):
        for turn, (g1, g2) in enumerate(turns, start=1):
            if turn == 2 and q <= 2:
                g1, g2 = "model_2", "model_1"  # some spread between questions
            rows.append(
                {
                    "question_id": q,
                    "model_1": "alpha",
                    "model_2": "beta",
                    "g1_winner": g1,
                    "g2_winner": g2,
                    "judge": ["gpt-4", "pair-v2"],
                    "turn": turn,
                }
            )
    return rows


def tiny_run(root: Path, rows: list[Json]) -> Path:
    """A FastChat directory with questions, two models' answers and the given pair rows."""
    n = max(r["question_id"] for r in rows)
    write_jsonl(
        root / "question.jsonl",
        [{"question_id": q, "category": "writing", "turns": ["a", "b"]} for q in range(1, n + 1)],
    )
    for model in ("alpha", "beta"):
        write_jsonl(
            root / "model_answer" / f"{model}.jsonl",
            [
                {"question_id": q, "choices": [{"index": 0, "turns": [model * q, "x"]}]}
                for q in range(1, n + 1)
            ],
        )
    write_jsonl(root / "model_judgment" / "gpt-4_pair.jsonl", rows)
    return root


@pytest.mark.parametrize(("n_questions", "status"), [(3, "too_few"), (12, "flagged")])
def test_small_samples_are_too_few_to_tell(tmp_path: Path, n_questions: int, status: str) -> None:
    # Turn 1 always flips toward the first answer, turn 2 mostly consistent: biased, but
    # 3 questions can't show it.
    rows = pair_rows(n_questions, ("model_1", "model_2"), ("model_2", "model_2"))
    run_dir = tiny_run(tmp_path / "run", rows)
    db = tmp_path / "tiny.db"
    assert run("import", str(run_dir), "--db", str(db))[0] == 0
    items = {i["check"]: i for i in stats_json(db, "--bootstrap", "200")["bias"][0]["items"]}
    assert items["position"]["status"] == status
    assert items["position"]["flag"] is (status == "flagged")
    assert items["order_inconsistency"]["status"] == status
    if status == "too_few":
        assert "too few questions to tell" in items["position"]["message"]


def test_consistent_judge_is_clear(tmp_path: Path) -> None:
    run_dir = tiny_run(tmp_path / "run", pair_rows(12, ("model_2", "model_2")))
    db = tmp_path / "ok.db"
    assert run("import", str(run_dir), "--db", str(db))[0] == 0
    items = {i["check"]: i for i in stats_json(db, "--bootstrap", "200")["bias"][0]["items"]}
    assert (
        items["position"]["status"] == "clear"
        and "no verdict flips" in items["position"]["message"]
    )
    assert items["order_inconsistency"]["status"] == "clear"
    assert items["order_inconsistency"]["effect"] == 0


def test_humans_and_judge_options_are_checked(study_db: Path) -> None:
    before = study_db.read_bytes()
    code, out = run("stats", "--db", str(study_db), "--humans", "referee")
    assert code == 2 and "reviewer group 'referee'" in out and "author, expert" in out
    assert len(out.strip().splitlines()) == 1
    code, out = run(
        "stats", "--db", str(study_db), "--judge", "gpt-4", "--json", "--bootstrap", "0"
    )
    assert code == 0 and json.loads(out)["verdict_agreement"]
    assert run("stats", "--db", str(study_db), "--judge", "nobody")[0] == 2
    assert study_db.read_bytes() == before


def test_every_report_format_shows_table5(study_db: Path, tmp_path: Path) -> None:
    data = stats_json(study_db, "--bootstrap", "100", "--humans", "expert")
    cell = table(data, "judge_human")["rows"][0]["cells"][0]
    shown = f"({cell['agree']}/{cell['total']}, {cell['n_questions']} questions)"
    title = "Pairwise verdicts vs expert votes (MT-Bench Table 5)"
    for fmt in ("md", "html", "json"):
        target = tmp_path / f"report.{fmt}"
        args = ("--humans", "expert", "--bootstrap", "100")
        code, out = run("export", "--db", str(study_db), "--format", fmt, "-o", str(target), *args)
        assert code == 0, out
        text = target.read_text(encoding="utf-8")
        if fmt == "json":
            exported = json.loads(text)
            assert exported["verdict_agreement"] == data["verdict_agreement"]
            assert exported["bias"] == data["bias"]
        else:
            assert title in text and shown in text and "Order inconsistency" in text
    code, out = run("stats", "--db", str(study_db), "--humans", "expert", "--bootstrap", "100")
    assert code == 0 and title in out and f"{cell['agree']}/{cell['total']}" in out


def test_votes_csv_has_every_vote_beside_the_judge(
    study_db: Path, study: Path, tmp_path: Path
) -> None:
    target = tmp_path / "votes.csv"
    code, out = run(
        "export", "--db", str(study_db), "--format", "csv", "--votes", "-o", str(target)
    )
    assert code == 0 and "1688 rows" in out
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 1688 and {r["judge"] for r in rows} == {"gpt-4"}
    judge = by_comparison(read_jsonl(study / "gpt4_pair.jsonl"))
    humans = by_comparison(expert_rows(study))
    for turn in (1, 2):
        mine = [r for r in rows if r["turn"] == str(turn) and r["group"] == "expert"]
        want = sum(same(judge[turn - 1][k][0], v) for k, vs in humans[turn - 1].items() for v in vs)
        assert sum(int(r["agree"]) for r in mine) == want
    first = rows[0]
    assert first["winner"] in (first["model_1"], first["model_2"], "tie")
    code, out = run(
        "export", "--db", str(study_db), "--format", "csv", "-o", str(tmp_path / "r.csv")
    )
    assert code == 0 and "add --votes" in out


def test_fastchat_pair_export_round_trips_through_import(
    study_db: Path, study: Path, questions: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "humans_pair.jsonl"
    code, out = run("export", "--db", str(study_db), "--format", "fastchat", "-o", str(exported))
    assert code == 0 and "1688 rows" in out
    rows = read_jsonl(exported)
    assert {tuple(r["judge"]) for r in rows} >= {("human:expert_0", "pair")}
    assert all(r["g1_winner"] == r["g2_winner"] for r in rows)
    # A fresh database: the answers come with the judge's split, the votes from the export.
    db = tmp_path / "back.db"
    import_files(db, questions, study / "gpt4_pair.jsonl")
    code, out = run("import", str(exported), "--db", str(db))
    assert code == 0, out
    original, back = Store.open(study_db), Store.open(db)
    try:
        assert list(back.votes.iter_all()) == list(original.votes.iter_all())
        assert back.votes.reviewers() == original.votes.reviewers()
    finally:
        original.close()
        back.close()
    again = stats_json(db, "--bootstrap", "50", "--humans", "expert")
    assert (
        again["verdict_agreement"]
        == stats_json(study_db, "--bootstrap", "50", "--humans", "expert")["verdict_agreement"]
    )
    # One reviewer's votes, to standard output with --votes.
    code, out = run(
        "export",
        "--db",
        str(study_db),
        "--format",
        "fastchat",
        "--votes",
        "--reviewer",
        "expert_0",
        "-o",
        "-",
    )
    mine = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and mine and {r["judge"][0] for r in mine} == {"human:expert_0"}


async def test_stats_screen_shows_pairwise_tables_and_bias(study_db: Path) -> None:
    from tests.app_helpers import build, press, screen_text

    store = Store.open(study_db)
    app = build(store)
    try:
        async with app.run_test(size=(130, 60)) as pilot:
            await press(pilot, "s")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            text = screen_text(app)
            assert "1688 pair votes · 1200 pair verdicts" in text
            assert "Pairwise verdicts vs human votes (MT-Bench Table 5)" in text
            app.screen.query_one("#stats-tabs").active = "tab-bias"
            await pilot.pause()
            text = screen_text(app)
            assert "Bias audit: gpt-4" in text and "Order" in text, text
    finally:
        store.close()


def test_export_dialog_suggests_names_import_reads_back(tmp_path: Path) -> None:
    from mtbench_tui.ui.screens.export import choice_format, suggested_path

    start = tmp_path / "mtbench-report.html"
    votes = suggested_path(start, "votes-fastchat")
    assert votes.name == "mtbench-report_pair.jsonl"
    assert suggested_path(votes, "fastchat").name == "mtbench-report.jsonl"
    assert suggested_path(votes, "votes-csv").name == "mtbench-report-votes.csv"
    assert choice_format("votes-csv") == ("csv", True) and choice_format("md") == ("md", False)


async def test_export_dialog_writes_votes(study_db: Path, tmp_path: Path) -> None:
    from tests.app_helpers import build, press, screen_text

    store = Store.open(study_db)
    app = build(store)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await press(pilot, "e")
            dialog = app.screen
            dialog.query_one("#format").value = "votes-fastchat"
            await pilot.pause()
            target = tmp_path / "dialog_pair.jsonl"
            dialog.query_one("#path").value = str(target)
            await press(pilot, "ctrl+s")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert "Wrote" in screen_text(app)
    finally:
        store.close()
    rows = read_jsonl(target)
    assert len(rows) == 1688 and rows[0]["judge"][1] == "pair"


def test_single_grade_judges_sit_in_table5(study_db: Path, tmp_path: Path) -> None:
    """The paper's G4-Single row: winners derived from 1-10 grades, beside the pair judge."""
    from mtbench_tui.core.pairwise.agreement import pairwise_agreement

    store = Store.open(study_db)
    models = sorted({m for (m,) in store.db.execute("SELECT DISTINCT model FROM answers")})
    store.close()
    rows = [
        {
            "question_id": q,
            "model": m,
            "judge": ["gpt-4", "single-v1"],
            "judgment": "",
            "score": (q * 7 + len(m) * 3 + t) % 10 + 1,
            "turn": t,
        }
        for q in range(81, 121)
        for m in models
        for t in (1, 2)
    ]
    write_jsonl(tmp_path / "gpt-4_single.jsonl", rows)
    code, out = run(
        "import", "--db", str(study_db), "--judgments", str(tmp_path / "gpt-4_single.jsonl")
    )
    assert code == 0, out
    data = stats_json(study_db, "--bootstrap", "0", "--humans", "expert")
    store = Store.open(study_db)
    expected = pairwise_agreement(store, humans="expert", n_resamples=0).row("gpt-4", "single")
    store.close()
    assert json_cells(data, "gpt-4", "single")["judge/turn1/ties"] == (
        expected.turn(1).with_ties.agree,
        expected.turn(1).with_ties.total,
    )
    kinds = {(r["first"], r["kind"]) for r in table(data, "judge_human")["rows"]}
    assert {("gpt-4", "pair"), ("gpt-4", "single"), ("humans", "human")} <= kinds
