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
    HumanPairVote,
    HumanRating,
    Judgment,
    PairJudgment,
    combine_orders,
    judge_label,
)
from mtbench_tui.core.pairwise.choices import derived_group

Int64 = Annotated[int, msgspec.Meta(ge=INT64_MIN, le=INT64_MAX)]
Turn = Annotated[int, msgspec.Meta(ge=1, le=2)]
Number = Union[Int64, float, None]
Staged = tuple[Any, ...]
_FAIL = (msgspec.DecodeError, msgspec.ValidationError, RecursionError)


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


class _Pair(msgspec.Struct):
    """A pairwise verdict line."""

    question_id: Int64
    model_1: str
    model_2: str
    judge: tuple[str, str]
    g1_winner: str
    g2_winner: str
    turn: Turn
    g1_judgment: Union[str, None] = None
    g2_judgment: Union[str, None] = None
    g1_user_prompt: Union[str, None] = None
    g2_user_prompt: Union[str, None] = None
    tstamp: Number = None


_DECODE_JUDGMENT = msgspec.json.Decoder(_Judgment).decode
_DECODE_ANSWER = msgspec.json.Decoder(_Answer).decode
_DECODE_PAIR = msgspec.json.Decoder(_Pair).decode
_LABELS: dict[tuple[str, str], str] = {}
_PAIR_WINNERS = {"model_1": "model_1", "model_2": "model_2", "error": "error"}


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


def _blank(text: str) -> bool:
    """Empty or only whitespace."""
    return not text or text.isspace()


def _label(judge_model: str, prompt: str) -> str:
    """The judge label, cached: a file has a handful of (model, prompt) pairs."""
    label = _LABELS.get((judge_model, prompt))
    if label is None:
        label = _LABELS[(judge_model, prompt)] = judge_label(judge_model, prompt)
    return label


def _slow(path: Path, line: int, raw: bytes) -> Row | None:
    """The precise path: a Row for the validators, or None for a blank line."""
    return parse_line(path, line, raw)


def file_name_text(path: Path) -> str:
    """A file's stem as text SQLite can store (a model or source name comes from it)."""
    stem = path.stem
    try:
        stem.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(path, 0, None, "file name is not valid UTF-8") from None
    if _blank(stem):
        raise InputError(path, 0, None, "file name is blank: it names the model")
    return stem


def decode_judgments(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Judge verdicts (and human ratings exported in the same layout)."""
    out = Decoded()
    staged = out.rows.setdefault("judgments", [])
    for offset, raw in enumerate(lines):
        try:
            row = _fast_judgment(_DECODE_JUDGMENT(raw), index, first + offset)
        except _FAIL:
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
        _blank(j.model)
        or _blank(judge_model)
        or _blank(prompt)
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
    row = _slow(path, line, raw)
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
        except _FAIL:
            a = None
        if a is None:
            row = _slow(path, first + offset, raw)
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


def decode_pairs(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Pairwise verdicts, judged in both orders (and human votes exported in their layout).

    A verdict is staged with model_1 < model_2, flipped if need be, and remembers whether
    it was: the same verdict written the other way round is then a repeat, not a conflict.
    """
    out = Decoded()
    staged = out.rows.setdefault("pair_judgments", [])
    for offset, raw in enumerate(lines):
        line = first + offset
        try:
            p = _DECODE_PAIR(raw)
        except _FAIL:
            p = None
        values = None if p is None else _fast_pair(p)
        if values is None:
            row = _slow(path, line, raw)
            if row is None:
                continue
            item = loading.parse_pair(row)
            if isinstance(item, HumanPairVote):
                stage_pair_vote(out, index, line, item)
                continue
            values = _pair_values(item)
        staged.append((index, line, *canonical_pair(values)))
    return out


def _fast_pair(p: _Pair) -> Staged | None:
    """A verdict's data columns, or None when the precise validators must decide."""
    judge_model, prompt = p.judge
    g1, g2 = _pair_winner(p.g1_winner), _pair_winner(p.g2_winner)
    if (
        g1 is None
        or g2 is None
        or _blank(p.model_1)
        or _blank(p.model_2)
        or p.model_1 == p.model_2
        or _blank(judge_model)
        or _blank(prompt)
        or judge_model.startswith(loading.HUMAN_JUDGE_PREFIX)
    ):
        return None
    return (p.question_id, p.model_1, p.model_2, p.turn, judge_model, judge_model, prompt) + (
        combine_orders(g1, g2),
        g1,
        g2,
        p.g1_judgment or "",
        p.g2_judgment or "",
        p.g1_user_prompt or "",
        p.g2_user_prompt or "",
        p.tstamp,
    )


def _pair_winner(value: str) -> str | None:
    """FastChat's winner, with any 'tie ...' counted as a tie; None when unknown."""
    return "tie" if value.startswith("tie") else _PAIR_WINNERS.get(value)


_SIDE_FLIP = {"model_1": "model_2", "model_2": "model_1"}


def canonical_pair(values: Staged) -> Staged:
    """A verdict's data columns with model_1 < model_2, plus 1 if they were flipped, else 0.

    Flipping swaps the models, sees each winner from the other side and exchanges the two
    presentation orders (g1 and g2), as ``tables.pair_flip`` does in SQL.
    """
    qid, m1, m2, turn, judge, judge_model, prompt, winner, g1, g2, j1, j2, u1, u2, ts = values
    if m1 < m2:
        return (*values, 0)
    flip = _SIDE_FLIP.get
    return (qid, m2, m1, turn, judge, judge_model, prompt, flip(winner, winner)) + (
        None if g2 is None else flip(g2, g2),
        None if g1 is None else flip(g1, g1),
        j2,
        j1,
        u2,
        u1,
        ts,
        1,
    )


def _pair_values(v: PairJudgment) -> Staged:
    """A PairJudgment's data columns."""
    return (
        v.question_id,
        v.model_1,
        v.model_2,
        v.turn,
        v.judge_model,
        v.judge_model,
        v.prompt,
        v.winner,
        v.g1_winner,
        v.g2_winner,
        v.g1_judgment,
        v.g2_judgment,
        v.g1_user_prompt,
        v.g2_user_prompt,
        v.tstamp,
    )


def stage_pair_vote(out: Decoded, index: int, line: int, human: HumanPairVote) -> None:
    """A human pair vote exported by mtbench-review, with its history and reviewer group."""
    v = human.vote
    out.reviewers.setdefault(v.reviewer, human.group or derived_group(v.reviewer))
    out.add(
        "pair_votes",
        (index, line, v.question_id, v.model_1, v.model_2, v.turn, v.reviewer, v.shown_a)
        + (v.winner, v.note, json.dumps(list(v.flags)), int(v.blind), "app", v.created, v.updated),
    )
    events = out.history.setdefault("pair_votes", [])
    base = (index << 44) | (line << 16)
    for i, e in enumerate(human.history):
        k = e.key
        events.append(
            (base | min(i, 0xFFFF), k.question_id, k.model_1, k.model_2, k.turn, e.reviewer)
            + (e.event, e.shown_a, e.winner, e.note, json.dumps(list(e.flags)), int(e.blind), e.at)
        )


def decode_questions(path: Path, index: int, first: int, lines: list[bytes]) -> Decoded:
    """Questions (few: the precise path only)."""
    out = Decoded()
    for offset, raw in enumerate(lines):
        row = _slow(path, first + offset, raw)
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
        row = _slow(path, first + offset, raw)
        if row is None:
            continue
        r = loading.parse_reference(row, source)
        out.add("reference_answers", (index, row.line, r.question_id, source, *r.turns))
    return out
