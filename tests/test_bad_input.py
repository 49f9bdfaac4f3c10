"""Bad input: each case exits non-zero naming file, line and field, and writes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from tests.helpers import edit_row, read_jsonl, replace_line, write_jsonl


def import_fails(demo_copy: Path, db: Path) -> str:
    """Run an import that must fail; return its output after checking the database is untouched."""
    before = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    result = CliRunner().invoke(
        main, ["import", str(demo_copy), "--db", str(db)], catch_exceptions=False
    )
    assert result.exit_code != 0, result.output
    after = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    assert before == after
    return " ".join(result.output.split())


@pytest.fixture
def db(tmp_path: Path, demo_copy: Path) -> Path:
    """A database that already holds the demo, so 'untouched' is meaningful."""
    path = tmp_path / "existing.db"
    result = CliRunner().invoke(main, ["import", str(demo_copy), "--db", str(path)])
    assert result.exit_code == 0
    return path


def test_broken_json(demo_copy: Path, db: Path) -> None:
    replace_line(demo_copy / "question.jsonl", 3, '{"question_id": 903, "category": ')
    out = import_fails(demo_copy, db)
    assert "question.jsonl:3" in out and "broken JSON" in out


def test_missing_field(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_answer" / "lynx-13b-chat.jsonl", 7, question_id=...)
    out = import_fails(demo_copy, db)
    assert "lynx-13b-chat.jsonl:7" in out and "field 'question_id': missing" in out


def test_mistyped_field(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 12, score="eight")
    out = import_fails(demo_copy, db)
    assert "gpt-4_single.jsonl:12" in out and "field 'score': expected a number" in out


def test_mistyped_question_id(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "question.jsonl", 2, question_id="902")
    out = import_fails(demo_copy, db)
    assert "question.jsonl:2" in out and "field 'question_id': expected an integer" in out


def test_non_utf8_file(demo_copy: Path, db: Path) -> None:
    path = demo_copy / "model_answer" / "pico-1b-chat.jsonl"
    lines = path.read_bytes().split(b"\n")
    lines[4] = (
        lines[4].replace(b"sheep", b"sh\xe9ep")
        if b"sheep" in lines[4]
        else lines[4][:-3] + b'\xff"}'
    )
    path.write_bytes(b"\n".join(lines))
    out = import_fails(demo_copy, db)
    assert "pico-1b-chat.jsonl:5" in out and "not valid UTF-8" in out


def test_judgment_for_unknown_question(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 20, question_id=4242)
    out = import_fails(demo_copy, db)
    assert "gpt-4_single.jsonl:20" in out and "field 'question_id'" in out and "4242" in out


def test_judgment_for_unknown_model(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 21, model="ghost-7b")
    out = import_fails(demo_copy, db)
    assert "gpt-4_single.jsonl:21" in out and "field 'model'" in out and "ghost-7b" in out


def test_same_key_twice_with_different_content(demo_copy: Path, db: Path) -> None:
    path = demo_copy / "model_judgment" / "gpt-4_single.jsonl"
    rows = read_jsonl(path)
    clash = dict(rows[4], score=7, judgment="A different verdict.\n\nRating: [[7]]")
    write_jsonl(path, [*rows, clash])
    out = import_fails(demo_copy, db)
    assert f"gpt-4_single.jsonl:{len(rows) + 1}" in out and "gpt-4_single.jsonl:5" in out
    assert "different content" in out


def test_duplicate_question_across_files(demo_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "more.jsonl"
    rows = read_jsonl(demo_copy / "question.jsonl")
    write_jsonl(other, [dict(rows[0], category="math")])
    result = CliRunner().invoke(main, ["import", str(demo_copy), "--db", str(tmp_path / "q.db")])
    assert result.exit_code == 0
    # A different question.jsonl that redefines 901 is a *change*, reported and applied, not an
    # error.
    result = CliRunner().invoke(
        main, ["import", "--questions", str(other), "--db", str(tmp_path / "q.db")]
    )
    assert result.exit_code == 0 and "updated" in result.output


def test_empty_required_file(demo_copy: Path, db: Path) -> None:
    (demo_copy / "question.jsonl").write_text("")
    out = import_fails(demo_copy, db)
    assert "question.jsonl:1" in out and "empty" in out


def test_empty_answer_file(demo_copy: Path, db: Path) -> None:
    (demo_copy / "model_answer" / "lynx-13b-chat.jsonl").write_text("\n")
    out = import_fails(demo_copy, db)
    assert "lynx-13b-chat.jsonl:1" in out and "empty" in out


def test_question_with_three_turns(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "question.jsonl", 6, turns=["a", "b", "c"])
    out = import_fails(demo_copy, db)
    assert "question.jsonl:6" in out and "field 'turns': expected 2 turns, got 3" in out


def test_answer_with_one_turn(demo_copy: Path, db: Path) -> None:
    edit_row(
        demo_copy / "model_answer" / "orion-70b-chat.jsonl",
        2,
        choices=[{"index": 0, "turns": ["one"]}],
    )
    out = import_fails(demo_copy, db)
    assert (
        "orion-70b-chat.jsonl:2" in out
        and "field 'choices[0].turns': expected 2 turns, got 1" in out
    )


def test_turn_number_out_of_range(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 9, turn=3)
    out = import_fails(demo_copy, db)
    assert "gpt-4_single.jsonl:9" in out and "field 'turn': expected 1 or 2" in out


def test_judge_field_malformed(demo_copy: Path, db: Path) -> None:
    edit_row(demo_copy / "model_judgment" / "gpt-4_single.jsonl", 10, judge="gpt-4")
    out = import_fails(demo_copy, db)
    assert "gpt-4_single.jsonl:10" in out and "field 'judge'" in out


def test_row_that_is_not_an_object(demo_copy: Path, db: Path) -> None:
    replace_line(demo_copy / "question.jsonl", 4, "[1, 2, 3]")
    out = import_fails(demo_copy, db)
    assert "question.jsonl:4" in out and "expected a JSON object" in out


def test_missing_database_for_reading_commands(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["scores", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0 and "no database" in result.output
    assert not (tmp_path / "nope.db").exists()
