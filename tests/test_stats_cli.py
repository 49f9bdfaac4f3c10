"""`mtbench-review stats` on a database with two reviewers and a judge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mtbench_tui import stats
from mtbench_tui.cli import main
from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.store import Store

JUDGE = "gpt-4/mtr-v1"
JUDGMENTS = "model_judgment/gpt-4_single.jsonl"
DEMO_RATINGS = Path(__file__).parent.parent / "data" / "demo-ratings" / "human_ratings.jsonl"


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI in-process."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def report(rated_store: Store) -> dict:
    """The JSON report of the demo data rated by alice and bob."""
    code, out = run("stats", "--db", str(rated_store.path), "--json", "--bootstrap", "300")
    assert code == 0, out
    return json.loads(out)


def test_every_section_is_present(report: dict) -> None:
    assert report["schema"] == "mtbench-review/stats/2"
    assert report["judges"] == [JUDGE] and report["reviewers"] == ["alice", "bob"]
    block = report["judge_human"][0]
    assert [r["reviewer"] for r in block["rows"]] == ["all", "alice", "bob"]
    overall = block["rows"][0]
    for metric in (
        "n",
        "exact",
        "within_1",
        "mae",
        "mean_diff",
        "ba_lower",
        "ba_upper",
        "pearson",
        "spearman",
        "kendall_tau_b",
        "kappa_quadratic",
        "alpha_interval",
        "alpha_ordinal",
        "icc_2_1",
    ):
        assert metric in overall["metrics"]
    for name, m in overall["metrics"].items():
        if name != "n" and m["value"] is not None:
            low, high = m["ci"]
            assert (
                low <= m["value"] <= high
                or np.isclose(low, m["value"])
                or np.isclose(high, m["value"])
            ), name
    assert set(overall["breakdowns"]) == {"turn", "category", "model"}
    assert {g["group"] for g in overall["breakdowns"]["category"]} == {
        "writing",
        "roleplay",
        "extraction",
        "reasoning",
        "math",
        "coding",
        "stem",
        "humanities",
    }
    assert sum(g["n"] for g in overall["breakdowns"]["turn"]) == overall["n"]
    hh = report["human_human"]
    assert hh["reviewers"] == ["alice", "bob"] and hh["n"] == 96
    assert hh["judge_human_same_items"][0]["judge"] == JUDGE
    pw = report["pairwise"][0]
    assert pw["judge_human"]["with_ties"]["total"] >= pw["judge_human"]["without_ties"]["total"] > 0
    assert pw["human_human"]["with_ties"]["total"] > 0
    checks = {i["check"] for i in report["bias"][0]["items"]}
    assert {
        "leniency",
        "compression",
        "verbosity",
        "self_preference",
        "gap_by_category",
        "gap_by_turn",
        "anchoring",
    } <= checks
    assert any(n["no_verdict"] == 1 for n in report["no_verdict"])


def test_numbers_equal_an_independent_computation(rated_store: Store, report: dict) -> None:
    code, out = run("ratings", "--db", str(rated_store.path), "--json")
    rows = [r for r in json.loads(out) if r["judge_score"] is not None]
    human = np.array([r["score"] for r in rows], dtype=float)
    judge = np.array([r["judge_score"] for r in rows], dtype=float)
    metrics = report["judge_human"][0]["rows"][0]["metrics"]
    assert metrics["n"] == len(rows)
    rounded = np.floor(judge + 0.5)
    assert metrics["kappa_quadratic"]["value"] == pytest.approx(
        stats.cohen_kappa(human, rounded, "quadratic", range(1, 11)), abs=1e-6
    )
    assert metrics["spearman"]["value"] == pytest.approx(
        stats.spearman(human, judge).coefficient, abs=1e-6
    )
    assert metrics["mean_diff"]["value"] == pytest.approx(float(np.mean(judge - human)), abs=1e-6)
    assert metrics["icc_2_1"]["value"] == pytest.approx(
        stats.icc(np.column_stack([human, judge])), abs=1e-6
    )
    assert metrics["alpha_ordinal"]["value"] == pytest.approx(
        stats.krippendorff_alpha([human, judge], "ordinal"), abs=1e-6
    )


def test_human_human_pairs_the_two_reviewers(rated_store: Store, report: dict) -> None:
    code, out = run("ratings", "--db", str(rated_store.path), "--json")
    by_key: dict = {}
    for r in json.loads(out):
        by_key.setdefault((r["question_id"], r["model"], r["turn"]), {})[r["reviewer"]] = r["score"]
    alice = [v["alice"] for v in by_key.values() if len(v) == 2]
    bob = [v["bob"] for v in by_key.values() if len(v) == 2]
    metrics = report["human_human"]["metrics"]
    assert metrics["exact"]["value"] == pytest.approx(stats.percent_agreement(alice, bob), abs=1e-6)
    assert metrics["mean_diff"]["value"] == pytest.approx(
        float(np.mean(np.array(bob) - np.array(alice))), abs=1e-6
    )


def test_gates(rated_store: Store) -> None:
    db = str(rated_store.path)
    code, out = run(
        "stats", "--db", db, "--by", "", "--bootstrap", "0", "--fail-under", "kappa_quadratic=0.5"
    )
    assert code == 0 and "pass" in out
    code, out = run(
        "stats", "--db", db, "--by", "", "--bootstrap", "0", "--fail-under", "kappa_quadratic=0.99"
    )
    assert code == 1 and "FAIL" in out
    code, out = run(
        "stats", "--db", db, "--by", "", "--bootstrap", "0", "--fail-over", "mae=0.1", "--json"
    )
    assert code == 1 and json.loads(out)["gates"][0]["passed"] is False
    code, out = run("stats", "--db", db, "--fail-under", "kappa=0.5")
    assert code == 2 and "bad gate" in out


@pytest.mark.parametrize(("gate", "code"), [("mae=9", 0), ("mae=0.1", 1)])
def test_the_command_ends_without_teardown_and_loses_no_output(
    rated_store: Store, gate: str, code: int
) -> None:
    # A real process: stats skips the interpreter's teardown (os._exit) once its output is out.
    db = str(rated_store.path)
    args = ["stats", "--db", db, "--bootstrap", "50", "--json", "--fail-over", gate]
    done = subprocess.run(
        [sys.executable, "-m", "mtbench_tui", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == code, done.stderr
    report = json.loads(done.stdout)  # all of it, flushed before the process ended
    assert report["gates"][0]["passed"] is (code == 0)
    assert report["judge_human"][0]["rows"][0]["n"] == 190
    assert done.stderr == ""


def test_judge_and_reviewer_options(rated_store: Store) -> None:
    code, out = run(
        "stats",
        "--db",
        str(rated_store.path),
        "--json",
        "--reviewer",
        "alice",
        "--by",
        "turn",
        "--bootstrap",
        "50",
    )
    data = json.loads(out)
    assert [r["reviewer"] for r in data["judge_human"][0]["rows"]] == ["all", "alice"]
    assert set(data["judge_human"][0]["rows"][0]["breakdowns"]) == {"turn"}
    code, out = run("stats", "--db", str(rated_store.path), "--judge", "nobody")
    assert code == 2 and "no verdicts from judge" in out


def test_bootstrap_is_reproducible(rated_store: Store) -> None:
    args = ("stats", "--db", str(rated_store.path), "--json", "--by", "", "--bootstrap", "200")
    first, second = json.loads(run(*args)[1]), json.loads(run(*args)[1])
    first.pop("generated"), second.pop("generated")
    assert first == second


def test_tables_render(rated_store: Store) -> None:
    code, out = run("stats", "--db", str(rated_store.path), "--by", "turn", "--bootstrap", "50")
    assert code == 0
    assert "Bias audit" in out and "The paper's comparison" in out and "Pairwise agreement" in out


def test_no_ratings_yet(demo_store: Store) -> None:
    code, out = run("stats", "--db", str(demo_store.path), "--json", "--bootstrap", "10")
    data = json.loads(out)
    assert code == 0 and data["judge_human"][0]["rows"][0]["n"] == 0 and data["human_human"] is None


def test_each_judge_of_several_gets_the_numbers_it_gets_alone(
    demo_copy: Path, tmp_path: Path
) -> None:
    """The report bootstraps the last judge while it counts pairwise agreement: no mixing."""
    rows = [json.loads(line) for line in (demo_copy / JUDGMENTS).read_text().splitlines()]
    other = tmp_path / "model_judgment" / "stern_single.jsonl"
    other.parent.mkdir()
    with other.open("w") as out:
        for row in rows:  # a second judge, harsher on every other answer
            harsher = row["score"] - 2 if row["score"] >= 3 and row["question_id"] % 2 else None
            out.write(
                json.dumps({**row, "judge": ["stern", "mtr-v1"], "score": harsher or row["score"]})
            )
            out.write("\n")
    db = tmp_path / "two.db"
    store = Store.open(db)
    sources = loading.discover(demo_copy)
    sources.pairs.clear()
    sources.judgments.extend([other, DEMO_RATINGS])
    import_sources(store, sources)
    store.close()
    code, out = run("stats", "--db", str(db), "--json", "--bootstrap", "200")
    assert code == 0, out
    both = json.loads(out)
    assert both["judges"] == [JUDGE, "stern/mtr-v1"]
    for i, judge in enumerate(both["judges"]):
        code, out = run("stats", "--db", str(db), "--json", "--bootstrap", "200", "--judge", judge)
        assert code == 0, out
        alone = json.loads(out)
        assert alone["judge_human"] == [both["judge_human"][i]]
        assert alone["pairwise"] == [both["pairwise"][i]]
        assert alone["summary"] == [both["summary"][i]]
    first, second = (b["rows"][0]["metrics"]["mean_diff"]["value"] for b in both["judge_human"])
    assert second < first  # the harsher judge's scores really differ
