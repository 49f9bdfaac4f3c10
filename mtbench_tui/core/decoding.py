"""Decode blocks of FastChat JSONL lines into staged rows, fast.

msgspec decodes and type-checks each line in C straight into a typed struct. A line it
refuses, or one that needs more than it checks (a human rating, an all-blank name), goes to
the precise validators in ``loading``: they decide, and their error names the field. So the
fast path only ever accepts what the precise one accepts, with the same values.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union

import msgspec

from mtbench_tui.core import loading
from mtbench_tui.core.fields import INT64_MAX, INT64_MIN
from mtbench_tui.core.jsonl import InputError, Row, parse_line
from mtbench_tui.core.models import (
    HumanRating,
    Judgment,
    judge_label,
)

Int64 = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
Turn = Annotated[int, msgspec.Meta(ge=1, le=2)]
Number = Union[Int64, float, None]
Staged = tuple[Any, ...]
DECODE_FAILURES = (msgspec.DecodeError, msgspec.ValidationError, RecursionError)


class _Judgment(msgspec.Struct):
    """A single-answer verdict line, as far as C can check it."""

    question_id: Int64
    model: str
    judge: tuple[str, str]
    score: Union[Int64, float]
    turn: Turn
    judgment: str
    user_prompt: Union[str, None] = None
    tstamp: Number = None


class _Choice(msgspec.Struct):
    """``choices[i]`` of an answer line."""

    turns: tuple[str, str]


class _Answer(msgspec.Struct):
    """A model answer line."""

    question_id: Int64
    choices: Annotated[list[_Choice], msgspec.Meta(min_length=1)]
    answer_id: Union[str, None] = None
    model_id: Union[str, None] = None
    tstamp: Number = None


_DECODE_JUDGMENT = msgspec.json.Decoder(_Judgment).decode
_DECODE_ANSWER = msgspec.json.Decoder(_Answer).decode
_LABELS: dict[tuple[str, str], str] = {}


@dataclass
class Decoded:
    """One block's staged rows, by table, and its human-rating history events."""

    rows: dict[str, list[Staged]] = field(default_factory=dict)
    history: dict[str, list[Staged]] = field(default_factory=dict)
    reviewers: dict[str, str | None] = field(default_factory=dict)
    """Reviewers the rows name, with their group (None: the default group)."""
    no_verdict: int = 0

    def add(self, table: str, row: Staged) -> None:
        """Stage one row for a table."""
        self.rows.setdefault(table, []).append(row)


Decoder = Callable[[Path, int, int, list[bytes]], Decoded]
"""(file, file index, number of the first line, lines) -> staged rows."""


def blank(text: str) -> bool:
    """Empty or only whitespace."""
    return not text or text.isspace()


def _label(judge_model: str, prompt: str) -> str:
    """The judge label, cached: a file has a handful of (model, prompt) pairs."""
    label = _LABELS.get((judge_model, prompt))
    if label is None:
        label = _LABELS[(judge_model, prompt)] = judge_label(judge_model, prompt)
    return label


def precise_row(path: Path, line: int, raw: bytes) -> Row | None:
    """The precise path: a Row for the validators, or None for a blank line."""
    return parse_line(path, line, raw)


def file_name_text(path: Path) -> str:
    """A file's stem as text SQLite can store (a model or source name comes from it)."""
    stem = path.stem
    try:
        stem.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(path, 0, None, "file name is not valid UTF-8") from None
    if blank(stem):
        raise InputError(path, 0, None, "file name is blank: it names the model")
    return stem


def decode_judgments(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Judge verdicts (and human ratings exported in the same layout)."""
    out = Decoded()
    staged = out.rows.setdefault("judgments", [])
    for offset, raw in enumerate(lines):
        try:
            row = _fast_judgment(_DECODE_JUDGMENT(raw), index, first + offset)
        except DECODE_FAILURES:
            row = None
        if row is None:
            _slow_judgment(out, path, index, first + offset, raw)
        else:
            out.no_verdict += row[8] is None
            staged.append(row)
    return out


def _fast_judgment(j: _Judgment, index: int, line: int) -> Staged | None:
    """A verdict's staged row, or None when the precise validators must decide."""
    judge_model, prompt = j.judge
    score = j.score
    if (
        blank(j.model)
        or blank(judge_model)
        or blank(prompt)
        or judge_model.startswith(loading.HUMAN_JUDGE_PREFIX)
        or (score != -1 and not 1 <= score <= 10)
    ):
        return None
    label = _label(judge_model, prompt)
    verdict = None if score == -1 else score
    return (index, line, j.question_id, j.model, j.turn, label, judge_model, prompt, verdict) + (
        j.judgment,
        j.user_prompt or "",
        j.tstamp,
        "import",
    )


def _slow_judgment(out: Decoded, path: Path, index: int, line: int, raw: bytes) -> None:
    """One judgment line through the precise validators."""
    row = precise_row(path, line, raw)
    if row is None:
        return
    item = loading.parse_judgment(row)
    if isinstance(item, HumanRating):
        _stage_human(out, index, line, item)
        return
    assert isinstance(item, Judgment)
    out.no_verdict += item.score is None
    out.add(
        "judgments",
        (
            index,
            line,
            item.question_id,
            item.model,
            item.turn,
            item.judge,
            item.judge_model,
            item.prompt,
            item.score,
            item.judgment,
            item.user_prompt,
            item.tstamp,
            "import",
        ),
    )


def _stage_human(out: Decoded, index: int, line: int, human: HumanRating) -> None:
    """A human rating and its history events."""
    r = human.rating
    out.reviewers.setdefault(r.reviewer, None)
    flags = json.dumps(list(r.flags))
    out.add(
        "ratings",
        (index, line, r.question_id, r.model, r.turn, r.reviewer, r.score, r.note, flags)
        + (int(r.blind), r.created, r.updated),
    )
    events = out.history.setdefault("ratings", [])
    base = (index << 44) | (line << 16)
    for i, e in enumerate(human.history):
        events.append(
            (base | min(i, 0xFFFF), e.question_id, e.model, e.turn, e.reviewer, e.event)
            + (e.score, e.note, json.dumps(list(e.flags)), int(e.blind), e.at)
        )


def decode_answers(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Model answers; the model is the file's stem."""
    model = file_name_text(path)
    out = Decoded()
    staged = out.rows.setdefault("answers", [])
    for offset, raw in enumerate(lines):
        try:
            a = _DECODE_ANSWER(raw)
        except DECODE_FAILURES:
            a = None
        if a is None:
            row = precise_row(path, first + offset, raw)
            if row is None:
                continue
            answer = loading.parse_answer(row, model)
            turn_1, turn_2 = answer.turns
            values: Staged = (answer.question_id, answer.answer_id, answer.model_id, answer.tstamp)
        else:
            turn_1, turn_2 = a.choices[0].turns
            values = (a.question_id, a.answer_id, a.model_id, a.tstamp)
        qid, answer_id, model_id, tstamp = values
        staged.append(
            (index, first + offset, qid, model, answer_id, model_id, turn_1, turn_2)
            + (len(turn_1), len(turn_2), tstamp)
        )
    return out


def decode_questions(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Questions (few: the precise path only)."""
    out = Decoded()
    for offset, raw in enumerate(lines):
        row = precise_row(path, first + offset, raw)
        if row is None:
            continue
        q = loading.parse_question(row)
        reference = (
            json.dumps(list(q.reference), ensure_ascii=False) if q.reference is not None else None
        )
        out.add(
            "questions",
            (index, row.line, q.question_id, q.category, q.turns[0], q.turns[1], reference),
        )
    return out


def decode_references(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Reference answers (few: the precise path only); the source is the file's stem."""
    source = file_name_text(path)
    out = Decoded()
    for offset, raw in enumerate(lines):
        row = precise_row(path, first + offset, raw)
        if row is None:
            continue
        r = loading.parse_reference(row, source)
        out.add("reference_answers", (index, row.line, r.question_id, source, *r.turns))
    return out
