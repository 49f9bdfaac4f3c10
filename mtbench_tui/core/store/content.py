"""Reads of questions, answers, references and judgments, one item or one page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NamedTuple

import sqlite_utils

from mtbench_tui.core.models import Answer, ItemKey, Judgment, Question, ReferenceAnswer

_JUDGMENT_COLUMNS = (
    "question_id, model, turn, judge_model, prompt, score, judgment, user_prompt, tstamp"
)


@dataclass(frozen=True)
class LeaderboardRow:
    """One model's MT-Bench score under one judge."""

    model: str
    judge: str
    turn1: float | None
    turn2: float | None
    overall: float | None
    n: int
    n_no_verdict: int
    n_turn1: int
    n_turn2: int


class JudgeCount(NamedTuple):
    """A judge label and how many verdicts it has."""

    judge: str
    verdicts: int


class ContentCounts(NamedTuple):
    """Row counts of the content tables."""

    questions: int
    reference_answers: int
    answers: int
    judgments: int
    no_verdict: int
    """Verdicts without a rating."""


class ImportRecord(NamedTuple):
    """One import: when it ran and the names of the files it read."""

    at: str
    files: tuple[str, ...]


class ContentRepo:
    """Read access to the imported benchmark content."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def question(self, question_id: int) -> Question | None:
        """One question."""
        row = self.db.execute(
            "SELECT question_id, category, turn_1, turn_2, reference FROM questions"
            " WHERE question_id = ?",
            [question_id],
        ).fetchone()
        if row is None:
            return None
        reference = tuple(json.loads(row[4])) if row[4] else None
        return Question(row[0], row[1], (row[2], row[3]), reference)

    def answer(self, item: ItemKey) -> Answer | None:
        """A model's answer to a question."""
        row = self.db.execute(
            "SELECT question_id, model, turn_1, turn_2, answer_id, model_id, tstamp FROM answers"
            " WHERE question_id = ? AND model = ?",
            [item.question_id, item.model],
        ).fetchone()
        return Answer(row[0], row[1], (row[2], row[3]), row[4], row[5], row[6]) if row else None

    def references(self, question_id: int) -> list[ReferenceAnswer]:
        """Reference answers for a question, by source name."""
        rows = self.db.execute(
            "SELECT question_id, source, turn_1, turn_2 FROM reference_answers"
            " WHERE question_id = ? ORDER BY source",
            [question_id],
        )
        return [ReferenceAnswer(r[0], r[1], (r[2], r[3])) for r in rows]

    def judgments(self, item: ItemKey, judge: str | None = None) -> list[Judgment]:
        """The verdicts on a conversation (optionally from one judge), by judge then turn."""
        sql = f"SELECT {_JUDGMENT_COLUMNS} FROM judgments WHERE question_id = ? AND model = ?"
        params: list[Any] = [item.question_id, item.model]
        if judge is not None:
            sql += " AND judge = ?"
            params.append(judge)
        return [_judgment(r) for r in self.db.execute(sql + " ORDER BY judge, turn", params)]

    def judges(self) -> list[JudgeCount]:
        """Every judge label with its number of verdicts, most verdicts first."""
        rows = self.db.execute("SELECT judge, COUNT(*) FROM judgments GROUP BY judge")
        return sorted(map(JudgeCount._make, rows), key=lambda r: (-r.verdicts, r.judge))

    def judge_labels(self) -> list[str]:
        """Every judge label, most verdicts first, as ``judges`` orders them.

        One label needs no counting: DISTINCT skips along the judge index (microseconds),
        where counting a million verdicts takes 60 ms.
        """
        labels = [r[0] for r in self.db.execute("SELECT DISTINCT judge FROM judgments")]
        return labels if len(labels) < 2 else [j.judge for j in self.judges()]

    def reference_judge(self) -> str | None:
        """The judge the app, ``ratings`` and CSV compare against unless told otherwise.

        The judge with the most verdicts; on a tie, the one whose first verdict was stored
        first. Re-judging keeps a verdict's row, so neither count nor age changes, and a new
        run of a judge on the same answers ties at best and loses to the older judge.

        Returns:
            The judge label, or None when nothing has been judged.
        """
        row = self.db.execute(
            "SELECT judge FROM judgments GROUP BY judge ORDER BY COUNT(*) DESC, MIN(id) LIMIT 1"
        ).fetchone()
        return str(row[0]) if row else None

    def models(self) -> list[str]:
        """Every model with answers."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT model FROM answers ORDER BY model")]

    def categories(self) -> list[str]:
        """Every category with questions."""
        return [
            r[0]
            for r in self.db.execute("SELECT DISTINCT category FROM questions ORDER BY category")
        ]

    def counts(self, no_verdict: int | None = None) -> ContentCounts:
        """Row counts of the content tables.

        Args:
            no_verdict: the verdicts without a rating when the caller has counted them
                already (a scan of every verdict: 50 ms on 1M judgments).

        Returns:
            The counts.
        """
        missing = "(SELECT COUNT(*) FROM judgments WHERE score IS NULL)"
        row = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM questions), (SELECT COUNT(*) FROM reference_answers),"
            " (SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM judgments),"
            f" {missing if no_verdict is None else ':missing'}",
            {"missing": no_verdict},
        ).fetchone()
        return ContentCounts._make(row)

    def imports(self) -> list[ImportRecord]:
        """Every import in order, with the names (not the paths) of the files it read."""
        rows = self.db.execute("SELECT at, sources FROM imports ORDER BY id")
        return [
            ImportRecord(at, tuple(PurePath(p).name for p in json.loads(sources)))
            for at, sources in rows
        ]

    def is_empty(self) -> bool:
        """True before anything has been imported."""
        row = self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM answers)").fetchone()
        return bool(row[0])

    def leaderboard(self, judge: str | None = None) -> list[LeaderboardRow]:
        """MT-Bench scores per model and judge, as FastChat's ``show_result.py --mode single``.

        Each turn's score is the mean of the valid verdicts for that turn; the overall score
        pools both turns. Verdicts without a rating (FastChat's -1) are excluded but counted.
        """
        where = "WHERE judge = ?" if judge else ""
        rows = self.db.execute(
            "SELECT model, judge,"
            " AVG(CASE WHEN turn = 1 THEN score END), AVG(CASE WHEN turn = 2 THEN score END),"
            " AVG(score),"
            " COUNT(score), SUM(score IS NULL), COUNT(CASE WHEN turn = 1 THEN score END),"
            " COUNT(CASE WHEN turn = 2 THEN score END)"
            f" FROM judgments {where} GROUP BY judge, model",
            [judge] if judge else [],
        )
        board = [LeaderboardRow(*r) for r in rows]
        return sorted(
            board, key=lambda r: (r.judge, -(r.overall if r.overall is not None else -1e9), r.model)
        )


def _judgment(row: tuple[Any, ...]) -> Judgment:
    """A Judgment from a judgments row."""
    qid, model, turn, judge_model, prompt, score, text, user_prompt, tstamp = row
    if score is not None and float(score).is_integer():
        score = int(score)
    return Judgment(qid, model, turn, judge_model, prompt, score, text, user_prompt, tstamp)
