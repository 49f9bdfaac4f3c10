"""Injection payloads in every field stay inert on every report surface.

Terminal tables (`stats`), the stats screen, `stats --json`, and the Markdown, HTML, JSON,
CSV and FastChat exports: markup shows literally, control and bidi characters are made
visible, no raw ESC, BEL or C1 byte reaches a file, and CSV formulas can't run.
"""

from __future__ import annotations

import csv
import io
import json
import re
import resource
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store
from mtbench_tui.core.textsafe import csv_cell, json_safe, visible_controls
from tests.app_helpers import build, press, screen_text
from tests.helpers import write_jsonl

MARKUP = "[bold red]REV[/]"
LINK = "[link=file:///etc/passwd]X[/link]"
OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_LINK = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
BIDI = "m\u202eevil\u2066x\u2069"
C1 = "c1\x9b31m\x85"
FORMULAS = (" =1+2", "\n=1+1", '=HYPERLINK("http://evil.example")', "\t+cmd", "-2+3", "@SUM(1)")


def payload(tag: str) -> str:
    """Every attack at once, tagged with the field it goes in."""
    return f"{tag}{MARKUP}{LINK}{OSC_TITLE}{OSC_LINK}{BIDI}{C1}<script>x</script>|*_`"


RAW = re.compile("[\x07\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters that must never reach an output raw."""

MODEL = "=mod" + BIDI + "el"
REVIEWERS = (payload("rev"), " =1+2" + MARKUP)


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """12 questions where every text field (model, judge, prompt, category, texts) is hostile."""
    data = tmp_path / "hostile"
    category = payload("cat") + "$x^$"
    write_jsonl(
        data / "question.jsonl",
        [
            {"question_id": q, "category": category, "turns": [payload("q1"), payload("q2")]}
            for q in range(1, 13)
        ],
    )
    for model in (MODEL, "plain-model"):
        write_jsonl(
            data / "model_answer" / f"{model}.jsonl",
            [
                {
                    "question_id": q,
                    "choices": [{"index": 0, "turns": [FORMULAS[q % 6], payload("a2")]}],
                }
                for q in range(1, 13)
            ],
        )
    judge = ["gpt-4" + OSC_TITLE + MARKUP, "single-v1"]
    write_jsonl(
        data / "model_judgment" / "gpt-4_single.jsonl",
        [
            {
                "question_id": q,
                "model": m,
                "judge": judge,
                "judgment": payload("verdict") + FORMULAS[q % 6],
                "score": 3 + (q + t) % 6,
                "turn": t,
                "user_prompt": payload("prompt"),
            }
            for q in range(1, 13)
            for m in (MODEL, "plain-model")
            for t in (1, 2)
        ],
    )
    db = tmp_path / "hostile.db"
    store = Store.open(db)
    import_sources(store, loading.discover(data))
    for q in range(1, 13):
        for i, reviewer in enumerate(REVIEWERS):
            for model in (MODEL, "plain-model"):
                key = TurnKey(q, model, 1)
                store.ratings.set_score(key, reviewer, 1 + (q + i) % 10)
                store.ratings.set_note(key, reviewer, payload("note") + FORMULAS[q % 6])
                store.ratings.set_flags(key, reviewer, ("judge-wrong",))
    store.close()
    return db


def run(*args: str) -> str:
    """The CLI's output; it must succeed."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def assert_inert_text(text: str) -> None:
    """No raw control or bidi character; markup shown as written."""
    assert not RAW.search(text), repr(RAW.search(text))
    assert "\\x1b" in text and "\\u202e" in text


def test_textsafe_makes_every_control_visible() -> None:
    assert visible_controls("a\x1b[31mb\x07\x9b\u202ec\u2066\u200bd\n\te") == (
        "a\\x1b[31mb\\x07\\x9b\\u202ec\\u2066\\u200bd\n\te"
    )
    assert json.loads(json_safe(json.dumps("\x9b\u202e", ensure_ascii=False))) == "\x9b\u202e"
    assert not RAW.search(json_safe(json.dumps("\x9b\u202e\u2069", ensure_ascii=False)))
    for formula in FORMULAS:
        assert str(csv_cell(formula)).startswith("'"), formula
    assert csv_cell("plain text") == "plain text" and csv_cell(-2) == -2


def test_stats_tables_show_markup_literally(hostile_db: Path) -> None:
    out = run("stats", "--db", str(hostile_db), "--bootstrap", "30")
    assert_inert_text(out)
    flat = "".join(out.split())  # table cells may wrap
    assert "[boldred]REV[/]" in flat and "[link=file:///etc/passwd]X[/link]" in flat
    assert "\x1b]8" not in out


def test_stats_json_is_data_and_inert(hostile_db: Path) -> None:
    out = run("stats", "--db", str(hostile_db), "--json", "--bootstrap", "30")
    assert not RAW.search(out)
    data = json.loads(out)
    assert set(data["reviewers"]) == set(REVIEWERS)  # the data itself is unchanged
    assert data["judges"] == ["gpt-4" + OSC_TITLE + MARKUP]


def export(db: Path, fmt: str, target: Path) -> str:
    """Export and return the file's text."""
    run("export", "--db", str(db), "--format", fmt, "-o", str(target), "--bootstrap", "30")
    return target.read_text(encoding="utf-8")


def test_markdown_export(hostile_db: Path, tmp_path: Path) -> None:
    md = export(hostile_db, "md", tmp_path / "r.md")
    assert_inert_text(md)
    assert "<script>" not in md and "\\[bold red\\]REV\\[/\\]" in md
    assert "## Reviewer comments and flagged turns" in md and "judge wrong" in md


class _Tags(HTMLParser):
    """Collects start tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_export(hostile_db: Path, tmp_path: Path) -> None:
    html = export(hostile_db, "html", tmp_path / "r.html")
    assert_inert_text(html)
    parser = _Tags()
    parser.feed(html)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}]
    assert not [t for t, _a in parser.tags if t in ("a", "img", "iframe", "object", "link")]
    block = html.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["reviewers"] == sorted(REVIEWERS)


def test_json_and_fastchat_exports_keep_the_data(hostile_db: Path, tmp_path: Path) -> None:
    text = export(hostile_db, "json", tmp_path / "r.json")
    assert not RAW.search(text)
    notes = {a["note"] for a in json.loads(text)["annotations"]["items"]}
    assert payload("note") + FORMULAS[1] in notes
    lines = export(hostile_db, "fastchat", tmp_path / "r.jsonl")
    assert not RAW.search(lines)
    rows = [json.loads(line) for line in lines.splitlines()]
    assert {r["judgment"] for r in rows} >= {payload("note") + f for f in FORMULAS}


def test_csv_export(hostile_db: Path, tmp_path: Path) -> None:
    text = export(hostile_db, "csv", tmp_path / "r.csv")
    assert not RAW.search(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        for column, value in row.items():
            if column in ("score", "judge_score", "gap", "question_id", "turn", "blind"):
                continue
            assert not value.lstrip().startswith(("=", "+", "-", "@")), (column, value)
    answers = {r["answer"] for r in rows}
    assert "' =1+2" in answers and "'\n=1+1" in answers


def test_exports_never_replace_a_device(rated_store: Store, tmp_path: Path) -> None:
    db = str(rated_store.path)
    ok = CliRunner().invoke(main, ["export", "--db", db, "--format", "md", "-o", "/dev/null"])
    assert ok.exit_code == 0 and Path("/dev/null").is_char_device()
    full = CliRunner().invoke(main, ["export", "--db", db, "--format", "md", "-o", "/dev/full"])
    assert full.exit_code == 2 and Path("/dev/full").is_char_device()
    assert full.output.strip() == "error: cannot write /dev/full: No space left on device"
    assert "Traceback" not in full.output


def test_export_through_a_symlink_keeps_the_link(rated_store: Store, tmp_path: Path) -> None:
    real, link = tmp_path / "real.md", tmp_path / "link.md"
    real.write_text("old")
    link.symlink_to(real)
    run("export", "--db", str(rated_store.path), "--format", "md", "-o", str(link))
    assert link.is_symlink() and real.read_text().startswith("# MT-Bench")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


async def test_stats_screen_shows_payloads_literally(hostile_db: Path) -> None:
    store = Store.open(hostile_db)
    app = build(store, reviewer=REVIEWERS[0])
    async with app.run_test(size=(160, 60)) as pilot:
        await press(pilot, "s")
        for tab in ("tab-agreement", "tab-breakdowns", "tab-charts", "tab-bias"):
            app.screen.query_one("#stats-tabs").active = tab
            await pilot.pause()
            text = screen_text(app)
            assert not RAW.search(text), tab
        app.screen.query_one("#stats-tabs").active = "tab-agreement"
        await pilot.pause()
        assert "[bold red]REV[/]" in screen_text(app)
    store.close()


def _small_files() -> None:
    """In the child: files may not grow past 200 kB, and going over is an error, not a signal."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_write_that_fails_midway_is_one_line_and_keeps_the_old_file(
    rated_store: Store, tmp_path: Path
) -> None:
    """As on a full disk: the old report stays, no temporary file is left, one line on stderr."""
    target = tmp_path / "report.html"
    target.write_text("old report")
    args = ["export", "--db", str(rated_store.path), "--format", "html", "-o", str(target)]
    result = subprocess.run(
        [sys.executable, "-m", "mtbench_tui", *args, "--bootstrap", "20"],
        preexec_fn=_small_files,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr == f"error: cannot write {target}: File too large\n"
    assert target.read_text() == "old report"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_reports_list_comments_and_flagged_turns(rated_store: Store, tmp_path: Path) -> None:
    key = TurnKey(901, "orion-70b-chat", 1)
    rated_store.ratings.set_note(key, "alice", "The judge missed the factual error.")
    rated_store.ratings.set_flags(key, "alice", ("judge-wrong",))
    md = export(rated_store.path, "md", tmp_path / "r.md")
    section = md.split("## Reviewer comments and flagged turns", 1)[1]
    row = next(line for line in section.splitlines() if line.startswith("| 901 "))
    assert "| orion-70b-chat | 1 | alice | 7 |" in row
    assert "| judge wrong | The judge missed the factual error. |" in row
    html = export(rated_store.path, "html", tmp_path / "r.html")
    assert '<tr class="flag"><td>901</td>' in html and "The judge missed the factual error." in html
