"""An adversarial corpus: each malformed or odd input is accepted when legitimate, or rejected
as one line naming file:line (and the field), with no traceback and the database byte-identical."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.paths import demo_data_dir
from tests.conftest import DEMO_RATINGS

Q = "question.jsonl"
A = "model_answer/orion-70b-chat.jsonl"
R = "reference_answer/gpt-4.jsonl"
J = "model_judgment/gpt-4_single.jsonl"
P = "model_judgment/gpt-4_pair.jsonl"
H = "ratings.jsonl"
OPTION = {Q: "--questions", A: "--answers", R: "--references", J: "--judgments", P: "--pairs"}
DEEP = "[" * 100_000 + "]" * 100_000


@dataclass(frozen=True)
class Case:
    """One input: which file it changes, how, and the expected outcome."""

    id: str
    file: str
    mutate: Callable[[Path], None]
    line: int | None = None
    """None: the import must succeed. Otherwise the line the error must name."""
    field: str | None = None
    text: str | None = None


def rows(path: Path) -> list[str]:
    """The file's lines."""
    return path.read_text(encoding="utf-8").splitlines()


def write(path: Path, lines: list[str]) -> None:
    """Write lines back."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def raw(line: int, field: str, json_text: str) -> Callable[[Path], None]:
    """Set a field to literal JSON text (so Infinity, 1e309 or a lone surrogate survive)."""

    def mutate(path: Path) -> None:
        lines = rows(path)
        data = json.loads(lines[line - 1])
        data[field] = "@@RAW@@"
        lines[line - 1] = json.dumps(data).replace('"@@RAW@@"', json_text)
        write(path, lines)

    return mutate


def edit(line: int, **changes: object) -> Callable[[Path], None]:
    """Change fields of a row; ``...`` removes one."""

    def mutate(path: Path) -> None:
        lines = rows(path)
        data = json.loads(lines[line - 1])
        for key, value in changes.items():
            if value is ...:
                data.pop(key, None)
            else:
                data[key] = value
        lines[line - 1] = json.dumps(data)
        write(path, lines)

    return mutate


def history(line: int, **changes: object) -> Callable[[Path], None]:
    """Change fields of the first history event of a ratings row."""

    def mutate(path: Path) -> None:
        lines = rows(path)
        data = json.loads(lines[line - 1])
        data["history"][0].update(changes)
        lines[line - 1] = json.dumps(data)
        write(path, lines)

    return mutate


def replace(line: int, text: str) -> Callable[[Path], None]:
    """Replace a whole line."""

    def mutate(path: Path) -> None:
        lines = rows(path)
        lines[line - 1] = text
        write(path, lines)

    return mutate


def raw_bytes(transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """Rewrite the file's bytes."""
    return lambda path: path.write_bytes(transform(path.read_bytes()))


def duplicate(line: int, **changes: object) -> Callable[[Path], None]:
    """Append a copy of a row, optionally changed."""

    def mutate(path: Path) -> None:
        lines = rows(path)
        data = json.loads(lines[line - 1])
        data.update(changes)
        write(path, [*lines, json.dumps(data)])

    return mutate


def nothing(path: Path) -> None:
    """Leave the file as it is."""


def _pair(**changes: object) -> dict[str, object]:
    """A valid pairwise verdict between two demo models."""
    row: dict[str, object] = {
        "question_id": 901,
        "model_1": "orion-70b-chat",
        "model_2": "pico-1b-chat",
        "judge": ["gpt-4", "pair-v2"],
        "g1_winner": "model_1",
        "g2_winner": "model_1",
        "g1_judgment": "[[A]]",
        "g2_judgment": "[[B]]",
        "turn": 1,
        "tstamp": 1.0,
    }
    row.update(changes)
    return row


def pair_file(**changes: object) -> Callable[[Path], None]:
    """Write a pair file: one valid row, then one with the changes."""

    def mutate(path: Path) -> None:
        second = _pair(question_id=902, **changes)
        write(path, [json.dumps(_pair()), json.dumps(second)])

    return mutate


CASES = [
    # Judge scores: -1 or finite within 1-10.
    Case("score-infinity", J, raw(5, "score", "Infinity"), 5, "score"),
    Case("score-minus-infinity", J, raw(5, "score", "-Infinity"), 5, "score"),
    Case("score-1e309", J, raw(5, "score", "1e309"), 5, "score"),
    Case("score-nan", J, raw(5, "score", "NaN"), 5, "score"),
    Case("score-zero", J, edit(5, score=0), 5, "score"),
    Case("score-eleven", J, edit(5, score=11), 5, "score"),
    Case("score-minus-two", J, edit(5, score=-2), 5, "score"),
    Case("score-1e6", J, raw(5, "score", "1e6"), 5, "score"),
    Case("score-string", J, edit(5, score="8"), 5, "score"),
    Case("score-boolean", J, edit(5, score=True), 5, "score"),
    Case("score-null", J, edit(5, score=None), 5, "score"),
    Case("score-missing", J, edit(5, score=...), 5, "score"),
    Case("score-fractional", J, edit(5, score=8.5)),
    Case("score-no-verdict", J, edit(5, score=-1)),
    Case("score-bounds", J, lambda p: (edit(5, score=1)(p), edit(6, score=10)(p))),
    # Integers that SQLite cannot hold, and numbers that are not integers.
    Case("qid-2-pow-70", J, raw(7, "question_id", str(2**70)), 7, "question_id"),
    Case("qid-2-pow-63", J, raw(7, "question_id", str(2**63)), 7, "question_id"),
    Case("qid-below-int64", J, raw(7, "question_id", str(-(2**63) - 1)), 7, "question_id"),
    Case("qid-float", J, raw(7, "question_id", "901.0"), 7, "question_id"),
    Case("qid-string", J, edit(7, question_id="901"), 7, "question_id"),
    Case("question-qid-huge", Q, raw(3, "question_id", str(2**70)), 3, "question_id"),
    Case("tstamp-infinity", J, raw(8, "tstamp", "Infinity"), 8, "tstamp"),
    Case("tstamp-huge-int", J, raw(8, "tstamp", str(2**70)), 8, "tstamp"),
    Case("tstamp-string", J, edit(8, tstamp="yesterday"), 8, "tstamp"),
    Case("tstamp-null", J, edit(8, tstamp=None)),
    # Strings: lone surrogates are not Unicode; controls, bidi, NUL and emoji are data.
    Case("surrogate-model", J, raw(9, "model", '"\\ud800"'), 9, "model"),
    Case("surrogate-low-judgment", J, raw(9, "judgment", '"x\\udc00y"'), 9, "judgment"),
    Case("surrogate-turn", Q, raw(4, "turns", '["\\ud800", "b"]'), 4, "turns[0]"),
    Case(
        "surrogate-answer",
        A,
        raw(2, "choices", '[{"index": 0, "turns": ["a", "\\udfff"]}]'),
        2,
        "choices[0].turns[1]",
    ),
    Case("surrogate-pair-emoji", J, raw(9, "judgment", '"ok \\ud83d\\ude00 [[7]]"')),
    Case("escape-sequences", J, edit(9, judgment="\x1b]0;pwned\x07\x1b[2J [[7]]")),
    Case("bidi-override", J, edit(9, judgment="m\u202eevil [[7]]")),
    Case("nul-in-question", Q, raw(4, "turns", '["a\\u0000b", "c"]')),
    Case("markup-in-text", J, edit(9, judgment="[bold red]x[/] [link=file:///etc]y[/link]")),
    Case("model-empty", J, edit(10, model=""), 10, "model"),
    Case("model-blank", J, edit(10, model="   "), 10, "model"),
    # Structure of the line itself.
    Case("nested-100k-extra-field", J, raw(11, "extra", DEEP), 11, None, "nested too deeply"),
    Case("nested-100k-score", J, raw(11, "score", DEEP), 11, None, "nested too deeply"),
    Case("broken-json", J, replace(12, '{"question_id": 901, "model": '), 12, None, "JSON"),
    Case("top-level-array", J, replace(12, "[1, 2, 3]"), 12, None, "JSON object"),
    Case("top-level-string", J, replace(12, '"text"'), 12, None, "JSON object"),
    Case("top-level-null", J, replace(12, "null"), 12, None, "JSON object"),
    Case(
        "invalid-utf8",
        J,
        raw_bytes(lambda b: b.replace(b"Rating", b"Ra\xfftin", 1)),
        1,
        None,
        "UTF-8",
    ),
    Case("bom-first-line", Q, raw_bytes(lambda b: b"\xef\xbb\xbf" + b)),
    Case("crlf-lines", J, raw_bytes(lambda b: b.replace(b"\n", b"\r\n"))),
    Case("blank-lines", J, raw_bytes(lambda b: b.replace(b"\n", b"\n\n  \n", 3))),
    Case("no-final-newline", J, raw_bytes(lambda b: b.rstrip(b"\n"))),
    Case("duplicate-json-key", J, raw_bytes(lambda b: b.replace(b"{", b'{"score": 99, ', 1))),
    Case("unknown-fields", J, edit(13, extra={"a": [1, 2]}, more=None)),
    # FastChat's judge and turn fields.
    Case("judge-one-item", J, edit(14, judge=["gpt-4"]), 14, "judge"),
    Case("judge-empty-prompt", J, edit(14, judge=["gpt-4", ""]), 14, "judge"),
    Case("judge-string", J, edit(14, judge="gpt-4"), 14, "judge"),
    Case("judge-numbers", J, edit(14, judge=[4, 5]), 14, "judge"),
    Case("turn-three", J, edit(15, turn=3), 15, "turn"),
    Case("turn-zero", J, edit(15, turn=0), 15, "turn"),
    Case("turn-string", J, edit(15, turn="1"), 15, "turn"),
    Case("turn-boolean", J, edit(15, turn=True), 15, "turn"),
    Case("user-prompt-null", J, edit(16, user_prompt=None)),
    Case("judgment-null", J, edit(16, judgment=None), 16, "judgment"),
    # Keys: duplicates, conflicts and references.
    Case("same-key-other-content", J, duplicate(17, score=2), 97, None, "different content"),
    Case("same-key-same-content", J, duplicate(17)),
    Case("unknown-question", J, edit(18, question_id=4242), 18, "question_id"),
    Case("unknown-model", J, edit(18, model="ghost-7b"), 18, "model"),
    # Answers, references and questions.
    Case("choices-empty", A, edit(3, choices=[]), 3, "choices"),
    Case("choices-one-turn", A, edit(3, choices=[{"turns": ["a"]}]), 3, "choices[0].turns"),
    Case(
        "choices-number-turn", A, edit(3, choices=[{"turns": ["a", 5]}]), 3, "choices[0].turns[1]"
    ),
    Case("choices-object", A, edit(3, choices={"turns": ["a", "b"]}), 3, "choices"),
    Case("answer-tstamp-nan", A, raw(3, "tstamp", "NaN"), 3, "tstamp"),
    Case("answer-unknown-question", A, edit(3, question_id=777), 3, "question_id"),
    Case("reference-no-turns", R, edit(2, choices=[{"index": 0}]), 2, "choices[0].turns"),
    Case("category-empty", Q, edit(5, category=""), 5, "category"),
    Case("question-three-turns", Q, edit(5, turns=["a", "b", "c"]), 5, "turns"),
    Case("question-reference-numbers", Q, edit(5, reference=[1, 2]), 5, "reference"),
    Case("question-reference-strings", Q, edit(5, reference=["42"])),
    # Human ratings (an export of the app's own ratings) are as strict as the app.
    Case("human-score-11", H, edit(1, score=11), 1, "score"),
    Case("human-score-infinity", H, raw(1, "score", "Infinity"), 1, "score"),
    Case("human-score-fraction", H, edit(1, score=7.5), 1, "score"),
    Case("human-score-none", H, edit(1, score=-1, judgment="a note only")),
    Case("human-flag-unknown", H, edit(1, flags=["bogus"]), 1, "flags"),
    Case("human-flags-string", H, edit(1, flags="judge-wrong"), 1, "flags"),
    Case("human-flags-nested", H, edit(1, flags=[["judge-wrong"]]), 1, "flags"),
    Case("human-flags-known", H, edit(1, flags=["judge-wrong", "judge-wrong"])),
    Case("human-blind-string", H, edit(1, blind="yes"), 1, "blind"),
    Case("human-updated-invalid-date", H, edit(1, updated="2026-13-45T00:00:00Z"), 1, "updated"),
    Case("human-updated-no-zone", H, edit(1, updated="2026-02-11T10:10:00"), 1, "updated"),
    Case("human-updated-offset", H, edit(1, updated="2026-02-11T12:10:00.000+02:00")),
    Case("human-no-reviewer", H, edit(1, judge=["human:", "review"]), 1, "judge"),
    Case("human-twice-changed", H, duplicate(1, score=3), 193, "judge"),
    Case("human-twice-identical", H, duplicate(1)),
    Case("history-score-99", H, history(1, score=99), 1, "history[0].score"),
    Case("history-score-infinity", H, history(1, score=float("inf")), 1, "history[0].score"),
    Case("history-at-words", H, history(1, at="yesterday"), 1, "history[0].at"),
    Case("history-at-date-only", H, history(1, at="2026-02-11"), 1, "history[0].at"),
    Case("history-flags-unknown", H, history(1, flags=["nope"]), 1, "history[0].flags"),
    Case("history-flags-string", H, history(1, flags="x"), 1, "history[0].flags"),
    Case("history-event-unknown", H, history(1, event="delete"), 1, "history[0].event"),
    Case("history-blind-string", H, history(1, blind="no"), 1, "history[0].blind"),
    Case("history-not-list", H, edit(1, history="x"), 1, "history"),
    Case("history-item-number", H, edit(1, history=[5]), 1, "history[0]"),
    # Pairwise verdicts.
    Case("pair-valid", P, pair_file()),
    Case("pair-tie-inconsistent", P, pair_file(g1_winner="tie (inconsistent)")),
    Case("pair-same-model", P, pair_file(model_2="orion-70b-chat"), 2, "model_2"),
    Case("pair-winner-unknown", P, pair_file(g1_winner="maybe"), 2, "g1_winner"),
    Case("pair-unknown-model", P, pair_file(model_2="ghost"), 2, "model_2"),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo and its ratings, built once for the whole corpus."""
    path = tmp_path_factory.mktemp("base") / "base.db"
    for args in ([str(demo_data_dir())], [str(DEMO_RATINGS)]):
        result = CliRunner().invoke(main, ["import", *args, "--db", str(path)])
        assert result.exit_code == 0, result.output
    return path


def digest(path: Path) -> str:
    """SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prepare(case: Case, tmp_path: Path) -> tuple[Path, list[str]]:
    """The mutated file and the import arguments that read it alone."""
    data = tmp_path / "data"
    shutil.copytree(demo_data_dir(), data)
    shutil.copy(DEMO_RATINGS, data / H)
    target = data / case.file
    case.mutate(target)
    args = [str(target)] if case.file == H else [OPTION[case.file], str(target)]
    return target, args


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus(case: Case, base_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    shutil.copy(base_db, db)
    target, args = prepare(case, tmp_path)
    before = digest(db)
    result = CliRunner().invoke(main, ["import", *args, "--db", str(db)])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception), result.exception
    if case.line is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert f"{target}:{case.line}:" in result.stderr
    if case.field is not None:
        assert f"field '{case.field}'" in result.stderr
    if case.text is not None:
        assert case.text in result.stderr
    assert digest(db) == before


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
