"""Vote files of MT-Bench's human study (Parquet, JSON, JSON Lines) -> staged rows.

Each row of the published dataset carries a vote (or GPT-4's verdict) and both models'
conversations. The votes become pair_votes rows, GPT-4's verdicts pair_judgments rows,
and the conversations answers, which may add an answer but never contradict one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtbench_tui.core.decoding import Decoded
from mtbench_tui.core.jsonl import InputError, ProgressCallback, Row
from mtbench_tui.core.pair_decoding import canonical_pair
from mtbench_tui.core.pairwise.choices import derived_group
from mtbench_tui.core.pairwise.votefile import JUDGE_ALIASES, StudyRow, read_votes

BATCH = 2000
"""Rows staged together."""

STUDY_PROMPT = "@study"
"""Placeholder prompt of a study verdict until its question's category is known."""


@dataclass
class VoteReader:
    """Reads vote files for one import, remembering every answer its conversations gave."""

    answers: dict[tuple[int, str], tuple[tuple[str, str], str]] = field(default_factory=dict)

    def read(self, path: Path, index: int, progress: ProgressCallback | None) -> Iterator[Decoded]:
        """Decode a vote file in batches of staged rows.

        Raises:
            InputError: naming file, line and field, for a bad row or a conversation that
                contradicts another conversation of this import.
        """
        rows = read_votes(path, progress)
        while batch := list(itertools.islice(rows, BATCH)):
            out = Decoded()
            for row, study in batch:
                self._conversations(out, index, row, study)
                if study.is_judge:
                    _verdict(out, index, row, study)
                else:
                    _vote(out, index, row, study)
            yield out

    def _conversations(self, out: Decoded, index: int, row: Row, s: StudyRow) -> None:
        """Stage each model's answer the first time this import sees it."""
        for side, model, turns in (("a", s.model_a, s.answer_a), ("b", s.model_b, s.answer_b)):
            known = self.answers.get((s.question_id, model))
            if known is None:
                self.answers[(s.question_id, model)] = (turns, f"{row.path}:{row.line}")
                out.add(
                    "conversations",
                    (index, row.line, s.question_id, model, None, None, *turns)
                    + (len(turns[0]), len(turns[1]), None, side),
                )
            elif known[0] != turns:
                first = known[0][0] != turns[0]
                raise conversation_error(
                    row.path, row.line, side, model, s.question_id, first, known[1]
                )


def conversation_error(
    path: Path | str, line: int, side: str, model: str, qid: int, first_turn: bool, where: str
) -> InputError:
    """The error for a conversation that contradicts an answer read or stored before.

    Args:
        path: the vote file.
        line: the row.
        side: ``a`` or ``b``, the conversation that differs.
        model: its model.
        qid: the question.
        first_turn: whether the first answer differs (else the second does).
        where: where the other answer is, ``file:line`` or ``the database``.
    """
    return InputError(
        path,
        line,
        f"conversation_{side}[{1 if first_turn else 3}].content",
        f"differs from the answer of {model!r} to question {qid} in {where}",
    )


def _vote(out: Decoded, index: int, row: Row, s: StudyRow) -> None:
    """A human vote, in canonical order; the reviewer's group follows from the name."""
    key = s.key
    out.reviewers.setdefault(s.judge, derived_group(s.judge))
    out.add(
        "study_votes",
        (index, row.line, key.question_id, key.model_1, key.model_2, key.turn, s.judge)
        + (s.model_a, s.canonical_winner, "", "[]", 0, "import", None, None),
    )


def _verdict(out: Decoded, index: int, row: Row, s: StudyRow) -> None:
    """GPT-4's combined verdict, known without its two orders; the prompt comes later."""
    judge = JUDGE_ALIASES[s.judge]
    values = (s.question_id, s.model_a, s.model_b, s.turn, judge, judge, STUDY_PROMPT) + (
        s.side_winner,
        None,
        None,
        "",
        "",
        "",
        "",
        None,
    )
    out.add("pair_judgments", (index, row.line, *canonical_pair(values)))
