"""FastChat llm_judge files -> core models. Every error names the file, line and field."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtbench_tui.core import fields
from mtbench_tui.core.human_pair_rows import parse_human_pair
from mtbench_tui.core.human_rows import HUMAN_JUDGE_PREFIX, parse_human_rating
from mtbench_tui.core.jsonl import InputError, ProgressCallback, Row, iter_rows
from mtbench_tui.core.models import (
    NO_VERDICT,
    Answer,
    HumanRating,
    Judgment,
    Question,
    ReferenceAnswer,
    on_scale,
)
from mtbench_tui.core.pair_models import HumanPairVote, PairJudgment

__all__ = [
    "HUMAN_JUDGE_PREFIX",
    "DataSources",
    "discover",
    "parse_answer",
    "parse_judgment",
    "parse_pair",
    "parse_question",
    "parse_reference",
    "read_answers",
    "read_judgments",
    "read_pairs",
    "read_questions",
    "read_references",
]


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
        Anything named ``*.jsonl`` is listed, even a directory or a FIFO: reading refuses
        it with a message, rather than skipping it silently.

    Raises:
        InputError: when the path is not a directory.
    """
    if not directory.is_dir():
        raise InputError(directory, 0, None, "not a directory")
    sources = DataSources()
    question_file = directory / "question.jsonl"
    if question_file.exists() or question_file.is_symlink():
        sources.questions.append(question_file)
    sources.answers = _jsonl_in(directory / "model_answer")
    sources.references = _jsonl_in(directory / "reference_answer")
    for path in _jsonl_in(directory / "model_judgment"):
        (sources.pairs if path.stem.endswith("_pair") else sources.judgments).append(path)
    return sources


def _jsonl_in(directory: Path) -> list[Path]:
    """The .jsonl entries in a directory, sorted by name; none when it is absent."""
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


def parse_question(row: Row) -> Question:
    """A ``question.jsonl`` row."""
    if "turns" not in row.data:
        raise row.error("turns", "missing")
    return Question(
        question_id=fields.get_int(row, "question_id"),
        category=fields.get_str(row, "category", non_empty=True) or "",
        turns=fields.get_two_turns(row, row.data["turns"], "turns"),
        reference=fields.get_str_list(row, "reference"),
    )


def parse_answer(row: Row, model: str) -> Answer:
    """A ``model_answer/<model>.jsonl`` row; the model is the file's stem, never ``model_id``."""
    return Answer(
        question_id=fields.get_int(row, "question_id"),
        model=model,
        turns=fields.get_choice_turns(row),
        answer_id=fields.get_str(row, "answer_id", optional=True),
        model_id=fields.get_str(row, "model_id", optional=True),
        tstamp=fields.get_number(row, "tstamp", optional=True),
    )


def parse_reference(row: Row, source: str) -> ReferenceAnswer:
    """A ``reference_answer/<source>.jsonl`` row."""
    return ReferenceAnswer(
        question_id=fields.get_int(row, "question_id"),
        source=source,
        turns=fields.get_choice_turns(row),
    )


def parse_judgment(row: Row) -> Judgment | HumanRating:
    """A ``model_judgment/<judge>_single.jsonl`` row; a human reviewer's row becomes a rating."""
    judge_model, prompt = judge_field(row)
    if judge_model.startswith(HUMAN_JUDGE_PREFIX):
        return parse_human_rating(row, judge_model[len(HUMAN_JUDGE_PREFIX) :])
    score = judge_score(row, fields.get_number(row, "score"))
    return Judgment(
        question_id=fields.get_int(row, "question_id"),
        model=fields.get_str(row, "model", non_empty=True) or "",
        turn=turn_field(row),
        judge_model=judge_model,
        prompt=prompt,
        score=None if score == -1 else score,
        judgment=fields.get_str(row, "judgment") or "",
        user_prompt=fields.get_str(row, "user_prompt", optional=True) or "",
        tstamp=fields.get_number(row, "tstamp", optional=True),
    )


def judge_score(row: Row, score: float | int | None) -> float | int:
    """A judge's score: FastChat's -1 for "no verdict", else a rating from 1 to 10."""
    if score is None or (score != NO_VERDICT and not on_scale(score)):
        raise row.error("score", f"expected -1 (no verdict) or a score from 1 to 10, got {score}")
    return score


def parse_pair(row: Row) -> PairJudgment | HumanPairVote:
    """A ``model_judgment/<judge>_pair.jsonl`` row; a human reviewer's row becomes a vote."""
    judge_model, prompt = judge_field(row)
    if judge_model.startswith(HUMAN_JUDGE_PREFIX):
        return parse_human_pair(row, judge_model[len(HUMAN_JUDGE_PREFIX) :])
    model_1 = fields.get_str(row, "model_1", non_empty=True) or ""
    model_2 = fields.get_str(row, "model_2", non_empty=True) or ""
    if model_1 == model_2:
        raise row.error("model_2", f"a model cannot be compared with itself ({model_1!r})")
    return PairJudgment(
        question_id=fields.get_int(row, "question_id"),
        model_1=model_1,
        model_2=model_2,
        turn=turn_field(row),
        judge_model=judge_model,
        prompt=prompt,
        g1_winner=_winner(row, "g1_winner"),
        g2_winner=_winner(row, "g2_winner"),
        g1_judgment=fields.get_str(row, "g1_judgment", optional=True) or "",
        g2_judgment=fields.get_str(row, "g2_judgment", optional=True) or "",
        tstamp=fields.get_number(row, "tstamp", optional=True),
        g1_user_prompt=fields.get_str(row, "g1_user_prompt", optional=True) or "",
        g2_user_prompt=fields.get_str(row, "g2_user_prompt", optional=True) or "",
    )


def read_questions(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Question]]:
    """Parse ``question.jsonl``."""
    return ((row, parse_question(row)) for row in iter_rows(path, progress))


def read_answers(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Answer]]:
    """Parse ``model_answer/<model>.jsonl``."""
    return ((row, parse_answer(row, path.stem)) for row in iter_rows(path, progress))


def read_references(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, ReferenceAnswer]]:
    """Parse ``reference_answer/<source>.jsonl``."""
    return ((row, parse_reference(row, path.stem)) for row in iter_rows(path, progress))


def read_judgments(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, Judgment | HumanRating]]:
    """Parse ``model_judgment/<judge>_single.jsonl``; rows from human reviewers become ratings."""
    return ((row, parse_judgment(row)) for row in iter_rows(path, progress))


def read_pairs(
    path: Path, progress: ProgressCallback | None = None
) -> Iterator[tuple[Row, PairJudgment | HumanPairVote]]:
    """Parse ``model_judgment/<judge>_pair.jsonl``; rows from human reviewers become votes."""
    return ((row, parse_pair(row)) for row in iter_rows(path, progress))


_WINNERS = ("model_1", "model_2", "tie", "error")


def _winner(row: Row, name: str) -> str:
    """A pairwise winner: model_1, model_2, tie or error ('tie (inconsistent)' counts as tie)."""
    value = fields.get_str(row, name) or ""
    value = "tie" if value.startswith("tie") else value
    if value not in _WINNERS:
        raise row.error(name, f"expected one of {', '.join(_WINNERS)}, got {value!r:.60}")
    return value


def judge_field(row: Row) -> tuple[str, str]:
    """FastChat's ``judge``: ``[judge model, prompt name]``."""
    value = row.data.get("judge")
    if "judge" not in row.data:
        raise row.error("judge", "missing")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise row.error(
            "judge", f"expected [judge model, prompt name], got {fields.describe(value)}"
        )
    return fields.check_str(row, "judge[0]", value[0]), fields.check_str(row, "judge[1]", value[1])


turn_field = fields.get_turn
