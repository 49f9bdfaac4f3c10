"""Pairwise agreement against a small reference implementation of the counting rules.

The reference below works on the raw dataset rows with plain loops (the way FastChat's
compute_agreement.py reads vote files); the product reads the same votes back from SQLite
and counts with numpy. They must agree exactly, on the whole shared data and on held-out
subsets.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from mtbench_tui.cli import main
from mtbench_tui.core.pairwise.agreement import pairwise_agreement
from mtbench_tui.core.store import Store
from tests.helpers import read_jsonl, write_jsonl

FLIP = {"model_a": "model_b", "model_b": "model_a"}


# --- the reference implementation --------------------------------------------------------


def by_comparison(rows: list[dict[str, Any]]) -> list[dict[tuple[Any, ...], list[str]]]:
    """Per turn: comparison (question, sorted models) -> winners seen from the sorted order."""
    turns: list[dict[tuple[Any, ...], list[str]]] = [defaultdict(list), defaultdict(list)]
    for r in rows:
        a, b, w = r["model_a"], r["model_b"], r["winner"]
        if a > b:
            a, b, w = b, a, FLIP.get(w, w)
        turns[r["turn"] - 1][(r["question_id"], a, b)].append(w)
    return turns


def same(x: str, y: str) -> bool:
    """Two votes agree; every tie label is a tie."""
    return ("tie" in x and "tie" in y) or x == y


def judge_vs_humans(
    judge: dict[Any, list[str]], humans: dict[Any, list[str]], ties: bool
) -> tuple[int, int]:
    """(agree, total) of the judge's verdict against each human vote on shared comparisons."""
    agree = total = 0
    for key, votes in humans.items():
        if key not in judge:
            continue
        (verdict,) = judge[key]
        for vote in votes:
            if not ties and ("tie" in verdict or "tie" in vote):
                continue
            total += 1
            agree += same(verdict, vote)
    return agree, total


def humans_vs_humans(humans: dict[Any, list[str]], ties: bool) -> tuple[int, int]:
    """(agree, total) over every unordered pair of votes on one comparison."""
    agree = total = 0
    for votes in humans.values():
        for x, y in itertools.combinations(votes, 2):
            if not ties and ("tie" in x or "tie" in y):
                continue
            total += 1
            agree += same(x, y)
    return agree, total


def reference_cells(
    judge_rows: list[dict[str, Any]], human_rows: list[dict[str, Any]]
) -> dict[str, tuple[int, int]]:
    """The eight Table-5 cells."""
    judge, humans = by_comparison(judge_rows), by_comparison(human_rows)
    cells = {}
    for t in (0, 1):
        for ties in (True, False):
            suffix = f"turn{t + 1}/{'ties' if ties else 'no_ties'}"
            cells[f"judge/{suffix}"] = judge_vs_humans(judge[t], humans[t], ties)
            cells[f"human/{suffix}"] = humans_vs_humans(humans[t], ties)
    return cells


def product_cells(
    result: Any, judge: str = "gpt-4", kind: str = "pair"
) -> dict[str, tuple[int, int]]:
    """The same eight cells from the product's result."""
    cells = {}
    for name, row in (("judge", result.row(judge, kind)), ("human", result.human_human)):
        for t in (1, 2):
            c = row.turn(t)
            cells[f"{name}/turn{t}/ties"] = (c.with_ties.agree, c.with_ties.total)
            cells[f"{name}/turn{t}/no_ties"] = (c.without_ties.agree, c.without_ties.total)
    return cells


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def study(shared: Path) -> Path:
    """The human_judgments directory."""
    return shared / "mtbench" / "human_judgments"


def import_study(db: Path, questions: Path, *files: Path) -> Store:
    """Import questions and vote files into a new database and open it."""
    args = ["import", "--db", str(db), "--questions", str(questions)]
    for f in files:
        args += ["--votes", str(f)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return Store.open(db)


@pytest.fixture
def questions(shared: Path) -> Path:
    """MT-Bench's question.jsonl."""
    return shared / "mtbench" / "official" / "question.jsonl"


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("pool", ["expert", "author", None])
def test_table5_cells_equal_the_reference(
    tmp_path: Path, study: Path, questions: Path, pool: str | None
) -> None:
    store = import_study(
        tmp_path / "s.db", questions, study / "human.jsonl", study / "gpt4_pair.jsonl"
    )
    result = pairwise_agreement(store, humans=pool, n_resamples=0)
    humans = [
        r
        for r in read_jsonl(study / "human.jsonl")
        if pool is None or r["judge"].startswith(pool + "_")
    ]
    expected = reference_cells(read_jsonl(study / "gpt4_pair.jsonl"), humans)
    assert product_cells(result) == expected
    if pool == "expert":
        # GPT-4 vs the experts on questions 81-120, as counted by the rules above.
        assert expected["judge/turn1/ties"] == (445, 680)
        assert expected["human/turn1/no_ties"] == (193, 239)
    store.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_held_out_subsets_equal_the_reference(
    tmp_path: Path, study: Path, questions: Path, seed: int
) -> None:
    rng = random.Random(seed)
    keep_q = {q for q in range(81, 121) if rng.random() < 0.6}
    humans = [
        r
        for r in read_jsonl(study / "human.jsonl")
        if r["question_id"] in keep_q and rng.random() < 0.7
    ]
    judge = [
        r
        for r in read_jsonl(study / "gpt4_pair.jsonl")
        if r["question_id"] in keep_q and rng.random() < 0.8
    ]
    write_jsonl(tmp_path / "h.jsonl", humans)
    write_jsonl(tmp_path / "j.jsonl", judge)
    store = import_study(tmp_path / "s.db", questions, tmp_path / "h.jsonl", tmp_path / "j.jsonl")
    result = pairwise_agreement(store, n_resamples=0)
    assert product_cells(result) == reference_cells(judge, humans)
    categories = {q["question_id"]: q["category"] for q in read_jsonl(questions)}
    row = result.row("gpt-4")
    for cells in row.categories:
        category = cells.scope.removeprefix("category ")
        mine = [r for r in humans if categories[r["question_id"]] == category]
        theirs = [r for r in judge if categories[r["question_id"]] == category]
        want = [
            judge_vs_humans(by_comparison(theirs)[t], by_comparison(mine)[t], True) for t in (0, 1)
        ]
        assert (cells.with_ties.agree, cells.with_ties.total) == tuple(map(sum, zip(*want)))
    store.close()


def test_kappa_majority_and_intervals(tmp_path: Path, study: Path, questions: Path) -> None:
    store = import_study(
        tmp_path / "s.db", questions, study / "human.jsonl", study / "gpt4_pair.jsonl"
    )
    result = pairwise_agreement(store, humans="expert", n_resamples=300, seed=5)
    humans = [r for r in read_jsonl(study / "human.jsonl") if r["judge"].startswith("expert_")]
    judge = by_comparison(read_jsonl(study / "gpt4_pair.jsonl"))
    code = lambda w: "tie" if "tie" in w else w  # noqa: E731
    a, b = [], []
    for t, comparisons in enumerate(by_comparison(humans)):
        for key, votes in comparisons.items():
            if key in judge[t]:
                a += [code(judge[t][key][0])] * len(votes)
                b += [code(v) for v in votes]
    row = result.row("gpt-4")
    assert row.kappa.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert row.kappa.n == len(a)
    low, high = row.kappa.ci
    assert low < row.kappa.value < high
    for cells in (*row.turns, row.overall):
        lo, hi = cells.with_ties.ci
        assert lo <= cells.with_ties.rate <= hi and cells.with_ties.random == pytest.approx(1 / 3)
        assert cells.without_ties.random == 0.5
    again = pairwise_agreement(store, humans="expert", n_resamples=300, seed=5)
    assert again.to_json() == result.to_json()
    # Judge against the strict majority of the expert votes on each comparison.
    agree = total = 0
    for t, comparisons in enumerate(by_comparison(humans)):
        for key, votes in comparisons.items():
            counts = Counter(code(v) for v in votes).most_common()
            if key not in judge[t] or (len(counts) > 1 and counts[0][1] == counts[1][1]):
                continue
            total += 1
            agree += code(judge[t][key][0]) == counts[0][0]
    majority = next(r for r in result.judge_majority if r.first == "gpt-4")
    assert (majority.overall.with_ties.agree, majority.overall.with_ties.total) == (agree, total)
    store.close()


def test_single_grade_judge_sits_in_the_same_table(
    tmp_path: Path, study: Path, questions: Path
) -> None:
    store = import_study(
        tmp_path / "s.db", questions, study / "human.jsonl", study / "gpt4_pair.jsonl"
    )
    rng = random.Random(7)
    models = sorted({m for (m,) in store.db.execute("SELECT DISTINCT model FROM answers")})
    scores = {
        (q, m, t): rng.choice([-1, 3, 5, 5, 7, 8.5, 9])
        for q in range(81, 121)
        for m in models
        for t in (1, 2)
    }
    rows = [
        {
            "question_id": q,
            "model": m,
            "judge": ["gpt-4", "single-v1"],
            "user_prompt": "",
            "judgment": "",
            "score": s,
            "turn": t,
            "tstamp": 0,
        }
        for (q, m, t), s in scores.items()
    ]
    write_jsonl(tmp_path / "g" / "gpt-4_single.jsonl", rows)
    assert (
        CliRunner()
        .invoke(
            main,
            [
                "import",
                "--db",
                str(tmp_path / "s.db"),
                "--judgments",
                str(tmp_path / "g" / "gpt-4_single.jsonl"),
            ],
        )
        .exit_code
        == 0
    )
    result = pairwise_agreement(store, humans="expert", n_resamples=0)
    derived = []
    for r in read_jsonl(study / "gpt4_pair.jsonl"):  # every comparison of the study
        s1, s2 = (
            scores[(r["question_id"], r["model_a"], r["turn"])],
            scores[(r["question_id"], r["model_b"], r["turn"])],
        )
        if s1 != -1 and s2 != -1:
            derived.append(
                dict(r, winner="model_a" if s1 > s2 else "model_b" if s2 > s1 else "tie")
            )
    humans = [r for r in read_jsonl(study / "human.jsonl") if r["judge"].startswith("expert_")]
    single = product_cells(result, "gpt-4", "single")
    assert {k: v for k, v in single.items() if k.startswith("judge")} == {
        k: v for k, v in reference_cells(derived, humans).items() if k.startswith("judge")
    }
    pair_vs_single = next(r for r in result.judge_judge if r.second == "gpt-4 (single)")
    gpt4 = by_comparison(read_jsonl(study / "gpt4_pair.jsonl"))
    mine = by_comparison(derived)
    want = [
        (sum(same(gpt4[t][k][0], v[0]) for k, v in mine[t].items()), len(mine[t])) for t in (0, 1)
    ]
    got = [(c.with_ties.agree, c.with_ties.total) for c in pair_vs_single.turns]
    assert got == want
    store.close()


def test_position_bias_on_a_run_with_both_orders(runs: list[Path], tmp_path: Path) -> None:
    phi3 = next(r for r in runs if r.name == "phi-3")
    db = tmp_path / "phi.db"
    assert CliRunner().invoke(main, ["import", str(phi3), "--db", str(db)]).exit_code == 0
    store = Store.open(db)
    bias = pairwise_agreement(store, n_resamples=200).bias[0]
    rows = [
        r
        for r in read_jsonl(phi3 / "model_judgment" / "gpt-4_pair.jsonl")
        if "error" not in (r["g1_winner"], r["g2_winner"])
    ]
    first = sum((r["g1_winner"] == "model_1") + (r["g2_winner"] == "model_2") for r in rows)
    decisive = sum((r["g1_winner"] != "tie") + (r["g2_winner"] != "tie") for r in rows)
    assert (bias.first_position_wins.count, bias.first_position_wins.total) == (first, decisive)
    differ = sum(r["g1_winner"] != r["g2_winner"] for r in rows)
    assert (bias.order_inconsistency.count, bias.order_inconsistency.total) == (differ, len(rows))
    both = sum(
        r["g1_winner"] != r["g2_winner"] and "tie" not in (r["g1_winner"], r["g2_winner"])
        for r in rows
    )
    assert (bias.inconsistent.count, bias.inconsistent.total) == (both, len(rows))
    low, high = bias.first_position_wins.ci
    assert low <= bias.first_position_wins.value <= high
    assert bias.longer_wins_judge is None  # no human votes on this run
    store.close()


def test_verbosity_and_self_preference_against_reference(
    tmp_path: Path, study: Path, questions: Path
) -> None:
    store = import_study(
        tmp_path / "s.db", questions, study / "human.jsonl", study / "gpt4_pair.jsonl"
    )
    bias = pairwise_agreement(store, n_resamples=0).bias[0]
    lengths = {
        (q, m): (l1, l2)
        for q, m, l1, l2 in store.db.execute(
            "SELECT question_id, model, length_1, length_2 FROM answers"
        )
    }
    judge = by_comparison(read_jsonl(study / "gpt4_pair.jsonl"))
    humans = by_comparison(read_jsonl(study / "human.jsonl"))
    j_hits = j_total = h_hits = h_total = 0
    for t in (0, 1):
        for (q, a, b), votes in humans[t].items():
            if (q, a, b) not in judge[t]:
                continue
            la, lb = lengths[(q, a)][t], lengths[(q, b)][t]
            if la == lb:
                continue
            longer = "model_a" if la > lb else "model_b"
            verdict = judge[t][(q, a, b)][0]
            if verdict in ("model_a", "model_b"):
                j_total += 1
                j_hits += verdict == longer
            for v in votes:
                if v in ("model_a", "model_b"):
                    h_total += 1
                    h_hits += v == longer
    assert (bias.longer_wins_judge.count, bias.longer_wins_judge.total) == (j_hits, j_total)
    assert (bias.longer_wins_humans.count, bias.longer_wins_humans.total) == (h_hits, h_total)
    assert bias.own_model_wins_judge.total > 0 and bias.own_model_wins_humans.total > 0
    store.close()


def test_json_is_typed_and_versioned(tmp_path: Path, study: Path, questions: Path) -> None:
    store = import_study(
        tmp_path / "s.db",
        questions,
        study / "human-q81-90.parquet",
        study / "gpt4_pair-q81-90.parquet",
    )
    data = json.loads(
        json.dumps(pairwise_agreement(store, humans="expert", n_resamples=50).to_json())
    )
    assert data["schema"] == "mtbench-review/pairwise/1"
    assert data["settings"]["humans"] == "expert" and data["settings"]["cluster"] == "question_id"
    cell = data["judge_human"][0]["turns"][0]["with_ties"]
    assert isinstance(cell["agree"], int) and isinstance(cell["total"], int)
    assert set(cell) == {"agree", "total", "rate", "random", "ci", "n_questions"}
    assert cell["n_questions"] == 10  # questions 81-90
    store.close()


# Totals of Table 5 (Zheng et al. 2023) for the full dataset: GPT-4 (pair) vs experts and
# experts vs experts, each (setup, turn) -> total pairs, with the rounded agreement in %.
PAPER_TABLE5 = {
    "judge/turn1/ties": (1343, 66),
    "judge/turn1/no_ties": (859, 85),
    "human/turn1/ties": (721, 63),
    "human/turn1/no_ties": (479, 81),
    "judge/turn2/ties": (1325, 65),
    "judge/turn2/no_ties": (864, 85),
    "human/turn2/ties": (707, 67),
    "human/turn2/no_ties": (474, 82),
}


def test_full_dataset_reproduces_the_paper(tmp_path: Path, questions: Path) -> None:
    """Needs the whole published dataset: MTBENCH_FULL_HUMAN_JUDGMENTS=<dir with both splits>."""
    full = os.environ.get("MTBENCH_FULL_HUMAN_JUDGMENTS")
    if not full:
        pytest.skip(
            "set MTBENCH_FULL_HUMAN_JUDGMENTS to a directory holding"
            " the dataset's two Parquet splits"
        )
    files = sorted(Path(full).glob("*.parquet"))
    store = import_study(tmp_path / "full.db", questions, *files)
    cells = product_cells(pairwise_agreement(store, humans="expert", n_resamples=0))
    for name, (total, percent) in PAPER_TABLE5.items():
        agree, got = cells[name]
        assert got == total, name
        assert round(100 * agree / got) == percent, name
    store.close()
