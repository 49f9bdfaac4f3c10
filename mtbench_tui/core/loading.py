"""FastChat llm_judge files -> core models. Every error names the file, line and field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtbench_tui.core import fields
from mtbench_tui.core.jsonl import InputError, ProgressCallback, Row, iter_rows
from mtbench_tui.core.models import (
    Answer,
    HumanPairVote,
    HumanRating,
    Judgment,
    PairJudgment,
    Question,
    Rating,
    RatingEvent,
    ReferenceAnswer,
)
from mtbench_tui.core.pairwise.human_rows import parse_human_pair

HUMAN_JUDGE_PREFIX = "human:"
"""A judgment row whose judge model starts with this is a human rating exported by mtbench-review."""


@dataclass
class DataSources:
    """The files one import reads, grouped by kind."""

    questions: list[Path] = field(default_factory=list)
    answers: list[Path] = field(default_factory=list)
    references: list[Path] = field(default_factory=list)
    judgments: list[Path] = field(default_factory=list)
    pairs: list[Path] = field(default_factory=list)
    votes: list[Path] = field(default_factory=list)

    def all_files(self) -> list[Path]:
        """Every file, in import order."""
        return [
            *self.questions,
            *self.references,
            *self.answers,
            *self.votes,
            *self.judgments,
            *self.pairs,
        ]


def discover(directory: Path) -> DataSources:
    """Find the FastChat files in a data directory.

    Args:
        directory: a FastChat data directory (``question.jsonl``, ``model_answer/`` ...).

    Returns:
        The files found. ``question.jsonl`` is optional here so that a directory holding
        only judgments can be imported into a database that already has its questions.

    Raises:
        InputError: when the path is not a directory.
    """
    if not directory.is_dir():
        raise InputError(directory, 0, None, "not a directory")
    sources = DataSources()
    question_file = directory / "question.jsonl"
    if question_file.exists():
        sources.questions.append(question_file)
    sources.answers = _jsonl_in(directory / "model_answer")
    sources.references = _jsonl_in(directory / "reference_answer")
    for path in _jsonl_in(directory / "model_judgment"):
        (sources.pairs if path.stem.endswith("_pair") else sources.judgments).append(path)
    return sources


def _jsonl_in(directory: Path) -> list[Path]:
    """The .jsonl files in a directory, sorted by name; none when it is absent."""
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


def read_questions(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Question]]:
    """Parse ``question.jsonl``."""
    for row in iter_rows(path, progress):
        turns = row.data.get("turns")
        if "turns" not in row.data:
            raise row.error("turns", "missing")
        question = Question(
            question_id=fields.get_int(row, "question_id"),
            category=fields.get_str(row, "category", non_empty=True) or "",
            turns=fields.get_two_turns(row, turns, "turns"),
            reference=fields.get_str_list(row, "reference"),
        )
        yield row, question


def read_answers(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Answer]]:
    """Parse ``model_answer/<model>.jsonl``; the model is the file's stem, whatever ``model_id`` says."""
    model = path.stem
    for row in iter_rows(path, progress):
        yield (
            row,
            Answer(
                question_id=fields.get_int(row, "question_id"),
                model=model,
                turns=fields.get_choice_turns(row),
                answer_id=fields.get_str(row, "answer_id", optional=True),
                model_id=fields.get_str(row, "model_id", optional=True),
                tstamp=fields.get_number(row, "tstamp", optional=True),
            ),
        )


def read_references(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, ReferenceAnswer]]:
    """Parse ``reference_answer/<source>.jsonl``."""
    for row in iter_rows(path, progress):
        yield (
            row,
            ReferenceAnswer(
                question_id=fields.get_int(row, "question_id"),
                source=path.stem,
                turns=fields.get_choice_turns(row),
            ),
        )


def read_judgments(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Judgment | HumanRating]]:
    """Parse ``model_judgment/<judge>_single.jsonl``; rows from human reviewers become ratings."""
    for row in iter_rows(path, progress):
        judge_model, prompt = _judge_field(row)
        if judge_model.startswith(HUMAN_JUDGE_PREFIX):
            yield row, _human_rating(row, judge_model[len(HUMAN_JUDGE_PREFIX) :])
            continue
        score = fields.get_number(row, "score")
        yield (
            row,
            Judgment(
                question_id=fields.get_int(row, "question_id"),
                model=fields.get_str(row, "model", non_empty=True) or "",
                turn=_turn(row),
                judge_model=judge_model,
                prompt=prompt,
                score=None if score == -1 else score,
                judgment=fields.get_str(row, "judgment") or "",
                user_prompt=fields.get_str(row, "user_prompt", optional=True) or "",
                tstamp=fields.get_number(row, "tstamp", optional=True),
            ),
        )


def read_pairs(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, PairJudgment | HumanPairVote]]:
    """Parse ``model_judgment/<judge>_pair.jsonl``; rows from human reviewers become votes."""
    for row in iter_rows(path, progress):
        judge_model, prompt = _judge_field(row)
        if judge_model.startswith(HUMAN_JUDGE_PREFIX):
            yield row, parse_human_pair(row, judge_model[len(HUMAN_JUDGE_PREFIX) :])
            continue
        yield (
            row,
            PairJudgment(
                question_id=fields.get_int(row, "question_id"),
                model_1=fields.get_str(row, "model_1", non_empty=True) or "",
                model_2=fields.get_str(row, "model_2", non_empty=True) or "",
                turn=_turn(row),
                judge_model=judge_model,
                prompt=prompt,
                g1_winner=_winner(row, "g1_winner"),
                g2_winner=_winner(row, "g2_winner"),
                g1_judgment=fields.get_str(row, "g1_judgment", optional=True) or "",
                g2_judgment=fields.get_str(row, "g2_judgment", optional=True) or "",
                tstamp=fields.get_number(row, "tstamp", optional=True),
                g1_user_prompt=fields.get_str(row, "g1_user_prompt", optional=True) or "",
                g2_user_prompt=fields.get_str(row, "g2_user_prompt", optional=True) or "",
            ),
        )


_WINNERS = ("model_1", "model_2", "tie", "error")


def _winner(row: Row, name: str) -> str:
    """A pairwise winner: model_1, model_2, tie or error (FastChat's 'tie (inconsistent)' counts as tie)."""
    value = fields.get_str(row, name) or ""
    value = "tie" if value.startswith("tie") else value
    if value not in _WINNERS:
        raise row.error(name, f"expected one of {', '.join(_WINNERS)}, got {value!r}")
    return value


def _judge_field(row: Row) -> tuple[str, str]:
    """FastChat's ``judge``: ``[judge model, prompt name]``."""
    value = row.data.get("judge")
    if "judge" not in row.data:
        raise row.error("judge", "missing")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise row.error("judge", f"expected [judge model, prompt name], got {value!r:.60}")
    return value[0], value[1]


def _turn(row: Row) -> int:
    """The judged turn, 1 or 2."""
    turn = fields.get_int(row, "turn")
    if turn not in (1, 2):
        raise row.error("turn", f"expected 1 or 2, got {turn}")
    return turn


def _human_rating(row: Row, reviewer: str) -> HumanRating:
    """A human rating exported in FastChat's judgment layout (see report.fastchat)."""
    if not reviewer.strip():
        raise row.error("judge", "human judge has no reviewer name")
    score = fields.get_number(row, "score")
    if score == -1:
        score = None
    elif score is None or score != int(score) or not 1 <= score <= 10:
        raise row.error("score", f"a human score must be an integer 1-10 or -1, got {score!r}")
    flags = row.data.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise row.error("flags", "expected a list of strings")
    rating = Rating(
        question_id=fields.get_int(row, "question_id"),
        model=fields.get_str(row, "model", non_empty=True) or "",
        turn=_turn(row),
        reviewer=reviewer,
        score=None if score is None else int(score),
        note=fields.get_str(row, "judgment") or "",
        flags=tuple(sorted(flags)),
        blind=bool(row.data.get("blind", False)),
        created=fields.get_str(row, "created", optional=True),
        updated=fields.get_str(row, "updated", optional=True),
    )
    return HumanRating(rating, _history(row, rating))


def _history(row: Row, rating: Rating) -> tuple[RatingEvent, ...]:
    """The rating history carried in an export row."""
    raw = row.data.get("history", [])
    if not isinstance(raw, list):
        raise row.error("history", "expected a list")
    events = []
    for index, item in enumerate(raw):
        name = f"history[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("at"), str):
            raise row.error(name, "expected an object with 'at'")
        score = item.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int)):
            raise row.error(f"{name}.score", "expected an integer or null")
        events.append(
            RatingEvent(
                question_id=rating.question_id,
                model=rating.model,
                turn=rating.turn,
                reviewer=rating.reviewer,
                event=str(item.get("event", "score")),
                score=score,
                note=str(item.get("note", "")),
                flags=tuple(sorted(item.get("flags", []))),
                blind=bool(item.get("blind", False)),
                at=item["at"],
            )
        )
    return tuple(events)
