"""The typed report: one metric registry, gates in the core, the summary, honest small samples."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core import loading
from mtbench_tui.core.analysis import gates, metrics
from mtbench_tui.core.analysis.agreement import Settings
from mtbench_tui.core.analysis.report import build_report
from mtbench_tui.core.analysis.reviewer_pairs import HumanPairs
from mtbench_tui.core.analysis.serialize import to_json
from mtbench_tui.core.analysis.significance import MIN_QUESTIONS
from mtbench_tui.core.analysis.summary import summarise
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.stats import paired
from mtbench_tui.core.stats.compare import difference
from mtbench_tui.core.store import Store
from tests.helpers import write_jsonl
from tests.test_audit import make_pairs

FAST = Settings(n_resamples=200)


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI in-process."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_registry_names_every_computed_metric_once() -> None:
    names = [m.name for m in metrics.METRICS]
    assert tuple(names) == paired.METRICS and len(set(names)) == len(names)
    for view in (metrics.REPORT_VIEW, metrics.TERMINAL_VIEW, metrics.BRIEF_VIEW):
        assert set(view) <= set(metrics.METRICS)
    assert set(metrics.BRIEF_PRIORITY) == set(metrics.BRIEF_VIEW)
    assert metrics.metric("mae").direction is metrics.Direction.LOWER
    assert metrics.metric("agreement").family is metrics.Family.VERDICTS


def test_gates_are_parsed_and_evaluated_in_the_core(rated_store: Store) -> None:
    with pytest.raises(gates.GateError, match="bad gate 'kappa=0.5'"):
        gates.parse_gate("kappa=0.5", "under")
    with pytest.raises(gates.GateError, match="is not a number"):
        gates.parse_gate("mae=low", "over")
    specs = [gates.parse_gate("kappa_quadratic=0.5", "under"), gates.parse_gate("mae=0.1", "over")]
    report = build_report(rated_store, by=(), settings=FAST, gate_specs=specs)
    under, over = report.gates
    assert (
        under.passed
        and under.value == report.judge_human[0].pooled.metrics.estimates["kappa_quadratic"].value
    )
    assert not over.passed and over.op == "fail-over" and over.judge == "gpt-4/mtr-v1"
    assert "gates" not in to_json(build_report(rated_store, by=(), settings=FAST))


def test_a_paired_difference_of_a_sample_with_itself_is_exactly_zero() -> None:
    data = paired.PairedData.of([1, 5, 7, 3, 9, 4], [2, 5, 6, 3, 8, 5], [1, 1, 2, 2, 3, 3])
    same = difference(data, data, "kappa_quadratic", 300)
    assert (same.value, same.low, same.high) == (0.0, 0.0, 0.0)
    worse = paired.PairedData.of([1, 5, 7, 3, 9, 4], [9, 1, 2, 8, 1, 9], [1, 1, 2, 2, 3, 3])
    gap = difference(worse, data, "kappa_quadratic", 300)
    assert gap.value < 0 and gap.high < 0


def humans_from(first: list[float], second: list[float], questions: list[int]) -> HumanPairs:
    """Two reviewers' scores on the same turns."""
    n = len(first)
    return HumanPairs(
        np.asarray(questions, dtype=int),
        np.asarray(["m"] * n, dtype=object),
        np.asarray([1] * n, dtype=int),
        np.asarray(first, dtype=float),
        np.asarray(second, dtype=float),
        ("a", "b"),
    )


def test_the_summary_says_as_well_less_or_too_few() -> None:
    qs = [q for q in range(20) for _ in range(3)]
    human = [float(1 + (q * 7 + k * 3) % 10) for q in range(20) for k in range(3)]
    other = [min(10.0, h + (i % 2)) for i, h in enumerate(human)]
    humans = humans_from(human, other, qs)
    same = make_pairs(human, other, qs)
    assert summarise("j", same, humans, FAST).verdict == "as_well"
    close = make_pairs(human, [min(10.0, h + ((i + 1) % 2)) for i, h in enumerate(human)], qs)
    assert summarise("j", close, humans, FAST).verdict == "as_well"
    far = make_pairs(human, [11.0 - h for h in human], qs)
    worse = summarise("j", far, humans, FAST)
    assert worse.verdict == "less" and "less than humans agree with each other" in worse.message
    few = summarise(
        "j",
        make_pairs(human[:6], human[:6], qs[:6]),
        humans_from(human[:6], other[:6], qs[:6]),
        FAST,
    )
    assert few.verdict == "too_few" and "Too few questions to tell" in few.message
    alone = summarise("j", close, humans_from([], [], []), FAST)
    assert alone.verdict == "no_human_pairs" and alone.human_human is None
    assert summarise("j", make_pairs([], [], []), humans, FAST).verdict == "no_ratings"


def test_no_flag_rests_on_fewer_than_the_minimum_of_questions(rated_store: Store) -> None:
    """The demo has 2 questions per category: no category may be flagged, however large its gap."""
    data = to_json(build_report(rated_store, settings=FAST))
    for audit in data["bias"]:
        for item in audit["items"]:
            if item["flag"]:
                assert item["n_questions"] >= MIN_QUESTIONS, item["check"]
            for group in item["details"].get("groups", []):
                if group["flag"]:
                    assert group["n_questions"] >= MIN_QUESTIONS, group
                if group["n_questions"] < MIN_QUESTIONS:
                    assert group["status"] == "too_few"
                if group["ci"][0] is not None and group["ci"][0] == group["ci"][1]:
                    assert not group["flag"]
    category = next(i for i in data["bias"][0]["items"] if i["check"] == "gap_by_category")
    assert not category["flag"] and "2 questions each; 10 needed" in category["message"]


@pytest.fixture
def all_errors_db(tmp_path: Path) -> Path:
    """12 questions judged by gpt-4, every pairwise verdict an error in at least one order."""
    data = tmp_path / "errors"
    turns = ["Say something.", "Say more."]
    write_jsonl(
        data / "question.jsonl",
        [{"question_id": q, "category": "writing", "turns": turns} for q in range(1, 13)],
    )
    for model in ("alpha", "beta"):
        write_jsonl(
            data / "model_answer" / f"{model}.jsonl",
            [
                {"question_id": q, "choices": [{"index": 0, "turns": ["a", "b"]}]}
                for q in range(1, 13)
            ],
        )
    write_jsonl(
        data / "model_judgment" / "gpt-4_single.jsonl",
        [
            {
                "question_id": q,
                "model": m,
                "judge": ["gpt-4", "single-v1"],
                "judgment": "[[5]]",
                "score": 5,
                "turn": 1,
            }
            for q in range(1, 13)
            for m in ("alpha", "beta")
        ],
    )
    write_jsonl(
        data / "model_judgment" / "gpt-4_pair.jsonl",
        [
            {
                "question_id": q,
                "model_1": "alpha",
                "model_2": "beta",
                "judge": ["gpt-4", "pair-v2"],
                "g1_winner": "error",
                "g2_winner": "error" if q % 2 else "model_1",
                "turn": 1,
            }
            for q in range(1, 13)
        ],
    )
    db = tmp_path / "errors.db"
    store = Store.open(db)
    import_sources(store, loading.discover(data))
    store.close()
    return db


def test_all_pair_verdicts_errors_do_not_crash_stats_or_exports(
    all_errors_db: Path, tmp_path: Path
) -> None:
    code, out = run("stats", "--db", str(all_errors_db), "--json", "--bootstrap", "50")
    assert code == 0, out
    position = [i for i in json.loads(out)["bias"][0]["items"] if i["check"] == "position"]
    assert position and position[0]["status"] == "not_applicable" and not position[0]["flag"]
    assert run("stats", "--db", str(all_errors_db), "--bootstrap", "50")[0] == 0
    for fmt in ("md", "html", "json"):
        target = tmp_path / f"r.{fmt}"
        code, out = run("export", "--db", str(all_errors_db), "--format", fmt, "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, out


def test_the_readme_documents_the_schema_and_every_metric() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `stats --json` schema (`mtbench-review/stats/2`)", 1)[1]
    section = section.split("### ", 1)[0]
    listed = " ".join(section.split("METRIC is one of", 1)[1].split("(`a` = human")[0].split())
    assert listed.replace("`", "").split() == [m.name for m in metrics.METRICS]
    from mtbench_tui.core.analysis.report import SCHEMA

    assert SCHEMA == "mtbench-review/stats/2"
    assert f"N = {MIN_QUESTIONS} distinct questions" in readme


def test_an_agreement_table_slots_into_every_renderer(rated_store: Store) -> None:
    """The extension point for pairwise verdict tables: one typed table, drawn everywhere."""
    from dataclasses import replace

    from rich.console import Console

    from mtbench_tui.core.analysis.model import AgreementCell, AgreementTable, TableRow
    from mtbench_tui.core.analysis.numbers import Estimate, Interval
    from mtbench_tui.core.report.html import render_html
    from mtbench_tui.core.report.markdown import render_markdown
    from mtbench_tui.core.report.rich_view import full_view

    cell = AgreementCell(66, 100, Estimate(0.66, Interval(0.6, 0.72)), 30, baseline=1 / 3)
    table = AgreementTable(
        key="pairwise_votes",
        title="Judge vs humans on pairwise votes (<b>turn 1</b>)",
        columns=("with ties", "without ties"),
        rows=(TableRow("gpt-4 vs humans", (cell, None)),),
        note="random baseline 1/3 with ties",
    )
    report = replace(build_report(rated_store, by=(), settings=FAST), agreement_tables=(table,))
    data = to_json(report)["verdict_agreement"][0]
    assert data["rows"][0]["cells"][0] == {
        "agree": 66,
        "total": 100,
        "rate": 0.66,
        "ci": [0.6, 0.72],
        "n_questions": 30,
        "baseline": 1 / 3,
    }
    assert data["rows"][0]["cells"][1] is None
    shown = "0.660 [0.600, 0.720] (66/100, 30 questions), random 0.333"
    assert shown in render_markdown(report) and shown in render_html(report, {})
    assert "&lt;b&gt;turn 1&lt;/b&gt;" in render_html(report, {})
    console = Console(width=120, record=True)
    console.print(full_view(report, width=120))
    assert "0.660 [0.600, 0.720]" in console.export_text()
