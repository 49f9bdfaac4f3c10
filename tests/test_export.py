"""Exports: golden files per format, numbers equal to `stats --json`, safety, round trips."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store
from tests.helpers import write_jsonl

GOLDEN = Path(__file__).parent / "golden"
EPOCH = (
    "1767225600"  # 2026-01-01T00:00:00Z: reports stamped with SOURCE_DATE_EPOCH are reproducible
)


def run(*args: str) -> tuple[int, str]:
    """Invoke the CLI in-process."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def export(db: Path, fmt: str, target: Path, *extra: str) -> str:
    """Export and return the file's text."""
    code, out = run("export", "--db", str(db), "--format", fmt, "-o", str(target), *extra)
    assert code == 0, out
    return target.read_text(encoding="utf-8")


def normalise(fmt: str, text: str) -> str:
    """Remove what varies between machines: chart geometry (matplotlib) and import times."""
    if fmt == "html":
        text = re.sub(r"<svg.*?</svg>", "<svg/>", text, flags=re.S)
    if fmt == "json":
        data = json.loads(text)
        for entry in data["dataset"]["imports"]:
            entry["at"] = "<import time>"
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return text


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv", "fastchat"])
def test_golden(
    fmt: str,
    rated_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    text = normalise(fmt, export(rated_store.path, fmt, tmp_path / f"out.{fmt}"))
    golden = GOLDEN / f"demo_report.{fmt}"
    if update_golden or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        pytest.skip(f"golden file {golden.name} written")
    assert text == golden.read_text(encoding="utf-8")


def test_json_numbers_equal_stats_json(
    rated_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    exported = json.loads(export(rated_store.path, "json", tmp_path / "r.json"))
    code, out = run("stats", "--db", str(rated_store.path), "--json")
    stats = json.loads(out)
    for section in (
        "judge_human",
        "human_human",
        "pairwise",
        "bias",
        "no_verdict",
        "counts",
        "settings",
    ):
        assert exported[section] == stats[section], section
    assert exported["tool_version"] and exported["judges"] == stats["judges"]
    assert exported["reviewers"] == ["alice", "bob"]
    assert [f for i in exported["dataset"]["imports"] for f in i["files"]][:1] == ["question.jsonl"]


def test_markdown_and_html_show_the_same_numbers(rated_store: Store, tmp_path: Path) -> None:
    stats = json.loads(run("stats", "--db", str(rated_store.path), "--json")[1])
    overall = stats["judge_human"][0]["rows"][0]["metrics"]
    md = export(rated_store.path, "md", tmp_path / "r.md")
    html = export(rated_store.path, "html", tmp_path / "r.html")
    for metric in ("exact", "within_1", "kappa_quadratic", "spearman", "icc_2_1", "alpha_ordinal"):
        v = overall[metric]
        shown = f"{v['value']:.3f} [{v['ci'][0]:.3f}, {v['ci'][1]:.3f}]"
        assert shown in md and shown in html, metric
    embedded = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S
    ).group(1)
    assert json.loads(embedded)["judge_human"] == stats["judge_human"]


def test_html_is_self_contained(rated_store: Store, tmp_path: Path) -> None:
    html = export(rated_store.path, "html", tmp_path / "r.html")
    assert html.count("<svg") >= 5
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"(src|href)\s*=\s*[\"'](?!data:|#)", html)
    # Only XML namespace names remain (xmlns="http://www.w3.org/..."), which browsers never fetch.
    assert set(re.findall(r"https?://[^\"' ]+", html)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert "@import" not in html and not re.search(
        r"url\((?!#)", html
    )  # only in-page fragment refs


class _Elements(HTMLParser):
    """Collects tags and attributes, to check what a browser would act on."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


PAYLOADS = {
    "script": "<script>alert('xss')</script><img src=x onerror=alert(1)>",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1,1)*cmd|' /C calc'!A0",
    "markup": "[bold red]x[/bold red] \x1b[31mred\x1b[0m | pipe | </script> **md** "
    "[link](javascript:alert(1))",
}


@pytest.fixture
def hostile_store(store: Store, tmp_path: Path) -> Store:
    """A dataset whose every text field is an injection payload, rated with a hostile note."""
    data = tmp_path / "hostile"
    texts = list(PAYLOADS.values())
    write_jsonl(
        data / "question.jsonl",
        [
            {"question_id": i + 1, "category": "writing", "turns": [t, t]}
            for i, t in enumerate(texts)
        ],
    )
    write_jsonl(
        data / "model_answer" / "=evil-model.jsonl",
        [
            {"question_id": i + 1, "choices": [{"index": 0, "turns": [t, t]}]}
            for i, t in enumerate(texts)
        ],
    )
    write_jsonl(
        data / "model_judgment" / "gpt-4_single.jsonl",
        [
            {
                "question_id": i + 1,
                "model": "=evil-model",
                "judge": ["gpt-4", "single-v1"],
                "judgment": t,
                "score": 5 + i % 3,
                "turn": turn,
                "user_prompt": t,
            }
            for i, t in enumerate(texts)
            for turn in (1, 2)
        ],
    )
    import_sources(store, loading.discover(data))
    for i, t in enumerate(texts):
        from mtbench_tui.core.models import TurnKey

        for reviewer in ("=alice", "bob<script>"):
            store.ratings.set_score(TurnKey(i + 1, "=evil-model", 1), reviewer, 3 + i)
            store.ratings.set_note(TurnKey(i + 1, "=evil-model", 1), reviewer, t)
    return store


def test_payloads_stay_inert_in_html(hostile_store: Store, tmp_path: Path) -> None:
    html = export(hostile_store.path, "html", tmp_path / "h.html")
    parser = _Elements()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}]
    assert not [t for t, a in parser.tags if t in ("img", "a", "iframe", "link", "object")]
    assert not [a for _t, a in parser.tags for k in a if k.startswith("on")]
    assert "&lt;script&gt;" in html or "&lt;/script&gt;" in html
    block = html.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert "</script" not in block.lower() and "<script" not in block.lower()
    assert "\x1b" not in html


def test_payloads_stay_inert_in_csv(hostile_store: Store, tmp_path: Path) -> None:
    text = export(hostile_store.path, "csv", tmp_path / "h.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 * len(PAYLOADS)
    for row in rows:
        for column in (
            "model",
            "reviewer",
            "note",
            "question",
            "answer",
            "judge_explanation",
            "category",
        ):
            assert not row[column].startswith(("=", "+", "-", "@")), (column, row[column])
    assert any(r["answer"] == "'" + PAYLOADS["formula"] for r in rows)
    assert any(r["model"] == "'=evil-model" for r in rows)
    assert all(r["score"].lstrip("-").isdigit() for r in rows)  # numbers are left as numbers


def test_payloads_stay_inert_in_markdown(hostile_store: Store, tmp_path: Path) -> None:
    md = export(hostile_store.path, "md", tmp_path / "h.md")
    assert "<script>" not in md and "\x1b" not in md
    assert "\\=alice" not in md  # '=' needs no escape in Markdown, only HTML and table syntax do
    assert "bob\\<script\\>" in md


def test_payloads_are_data_in_json_and_fastchat(hostile_store: Store, tmp_path: Path) -> None:
    data = json.loads(export(hostile_store.path, "json", tmp_path / "h.json"))
    assert "=alice" in data["reviewers"]
    rows = [
        json.loads(line)
        for line in export(hostile_store.path, "fastchat", tmp_path / "h.jsonl").splitlines()
    ]
    assert {r["judgment"] for r in rows} == set(PAYLOADS.values())


def test_no_report_contains_an_api_key(
    rated_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-NEVER-IN-A-REPORT-1234567890"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    for fmt in ("md", "html", "json", "csv", "fastchat"):
        assert secret not in export(rated_store.path, fmt, tmp_path / f"k.{fmt}"), fmt


def test_fastchat_round_trip_loses_nothing(rated_store: Store, tmp_path: Path) -> None:
    exported = tmp_path / "humans.jsonl"
    export(rated_store.path, "fastchat", exported)
    other = Store.open(tmp_path / "other.db")
    import_sources(other, loading.discover(demo_data_dir()))
    code, out = run("import", str(exported), "--db", str(other.path))
    assert code == 0, out
    assert list(other.ratings.iter_all()) == list(rated_store.ratings.iter_all())

    def events(store: Store) -> list:
        return sorted(
            store.ratings.all_history(),
            key=lambda e: (e.question_id, e.model, e.turn, e.reviewer, e.at),
        )

    assert events(other) == events(rated_store)
    # Importing again changes nothing.
    code, out = run("import", str(exported), "--db", str(other.path), "--json")
    assert json.loads(out)["kinds"]["ratings"] == {
        "read": 192,
        "new": 0,
        "updated": 0,
        "unchanged": 192,
        "repeated": 0,
        "no_verdict": 0,
    }


def test_merging_two_reviewers_databases(tmp_path: Path) -> None:
    """Alice and Bob rate in their own databases; their exports merge into a third, same stats."""
    from mtbench_tui.core.models import TurnKey

    dbs = {}
    for name, offset in (("alice", 0), ("bob", 1)):
        s = Store.open(tmp_path / f"{name}.db")
        import_sources(s, loading.discover(demo_data_dir()))
        for q in range(901, 917):
            for model in ("orion-70b-chat", "pico-1b-chat"):
                s.ratings.set_score(TurnKey(q, model, 1), name, 1 + (q + offset) % 10)
        dbs[name] = s
    merged = Store.open(tmp_path / "merged.db")
    import_sources(merged, loading.discover(demo_data_dir()))
    for name, s in dbs.items():
        export(s.path, "fastchat", tmp_path / f"{name}.jsonl")
        assert run("import", str(tmp_path / f"{name}.jsonl"), "--db", str(merged.path))[0] == 0
    assert merged.analysis.rating_counts() == {"alice": 32, "bob": 32}
    assert merged.ratings.get(TurnKey(905, "pico-1b-chat", 1), "bob").score == 1 + 906 % 10


def test_fastchat_export_imports_into_a_real_run(runs: list[Path], tmp_path: Path) -> None:
    """FastChat-format human ratings beside a real GPT-4 run: report numbers equal stats --json."""
    from mtbench_tui.core.models import TurnKey

    run_dir = next(r for r in runs if r.name == "llama-2-7b")
    source = Store.open(tmp_path / "rater.db")
    import_sources(source, loading.discover(run_dir))
    for i, (q, model, turn, judge) in enumerate(
        source.db.execute(
            "SELECT question_id, model, turn, score FROM judgments"
            " ORDER BY question_id, model, turn LIMIT 120"
        )
    ):
        source.ratings.set_score(
            TurnKey(q, model, turn), "rater", int(min(10, max(1, judge + (i % 3) - 1)))
        )
    export(source.path, "fastchat", tmp_path / "rater.jsonl")
    target = tmp_path / "run.db"
    assert run("import", str(run_dir), "--db", str(target))[0] == 0
    assert run("import", str(tmp_path / "rater.jsonl"), "--db", str(target))[0] == 0
    report = json.loads(export(target, "json", tmp_path / "run.json"))
    stats = json.loads(run("stats", "--db", str(target), "--json")[1])
    assert (
        report["judge_human"] == stats["judge_human"]
        and report["judge_human"][0]["rows"][0]["n"] == 120
    )
