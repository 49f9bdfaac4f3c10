"""Read-only queries that feed the agreement statistics and the bias audit, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

_TURN_LENGTH = "CASE r.turn WHEN 1 THEN a.length_1 ELSE a.length_2 END"


class AnalysisRepo:
    """Joins of ratings, judgments, answers and questions, for statistics."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def judge_human(self, judge: str, reviewer: str | None = None) -> Iterator[tuple[Any, ...]]:
        """(question_id, model, turn, reviewer, human, judge score, category, answer length, judge model).

        Only turns where both the human and the judge gave a score.
        """
        where = " AND r.reviewer = :reviewer" if reviewer else ""
        yield from self.db.execute(
            "SELECT r.question_id, r.model, r.turn, r.reviewer, r.score, j.score, q.category,"
            f" {_TURN_LENGTH}, j.judge_model FROM ratings r"
            " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model AND j.turn = r.turn"
            " AND j.judge = :judge"
            " JOIN answers a ON a.question_id = r.question_id AND a.model = r.model"
            " JOIN questions q ON q.question_id = r.question_id"
            f" WHERE r.score IS NOT NULL AND j.score IS NOT NULL{where}"
            " ORDER BY r.question_id, r.model, r.turn, r.reviewer",
            {"judge": judge, "reviewer": reviewer},
        )

    def human_human(self) -> Iterator[tuple[Any, ...]]:
        """(question_id, model, turn, reviewer 1, score 1, reviewer 2, score 2, category) for each pair of reviewers."""
        yield from self.db.execute(
            "SELECT r1.question_id, r1.model, r1.turn, r1.reviewer, r1.score, r2.reviewer, r2.score, q.category"
            " FROM ratings r1 JOIN ratings r2 ON r2.question_id = r1.question_id AND r2.model = r1.model"
            " AND r2.turn = r1.turn AND r2.reviewer > r1.reviewer"
            " JOIN questions q ON q.question_id = r1.question_id"
            " WHERE r1.score IS NOT NULL AND r2.score IS NOT NULL"
            " ORDER BY r1.question_id, r1.model, r1.turn, r1.reviewer, r2.reviewer"
        )

    def no_verdict_rates(self) -> list[tuple[str, str, str, int, int]]:
        """(judge, judge model, prompt, verdicts, verdicts without a rating) for every judge and prompt."""
        return [
            tuple(r)
            for r in self.db.execute(
                "SELECT judge, judge_model, prompt, COUNT(*), SUM(score IS NULL) FROM judgments"
                " GROUP BY judge, judge_model, prompt ORDER BY judge, prompt"
            )
        ]

    def blind_revisions(self, judge: str) -> Iterator[tuple[Any, ...]]:
        """(question_id, model, turn, reviewer, first blind score, final score, judge score) per blind rating."""
        yield from self.db.execute(
            "WITH first_blind AS (SELECT question_id, model, turn, reviewer, MIN(id) AS id FROM rating_history"
            " WHERE blind = 1 AND score IS NOT NULL AND event = 'score' GROUP BY question_id, model, turn, reviewer)"
            " SELECT r.question_id, r.model, r.turn, r.reviewer, h.score, r.score, j.score FROM first_blind f"
            " JOIN rating_history h ON h.id = f.id"
            " JOIN ratings r ON r.question_id = f.question_id AND r.model = f.model AND r.turn = f.turn"
            " AND r.reviewer = f.reviewer"
            " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model AND j.turn = r.turn"
            " AND j.judge = :judge WHERE r.score IS NOT NULL AND j.score IS NOT NULL"
            " ORDER BY r.question_id, r.model, r.turn, r.reviewer",
            {"judge": judge},
        )

    def pair_verdicts(self) -> list[tuple[str, int, str, str]]:
        """(judge, question_id, g1 winner, g2 winner) for every pairwise verdict."""
        return [
            tuple(r)
            for r in self.db.execute(
                "SELECT judge, question_id, g1_winner, g2_winner FROM pair_judgments ORDER BY judge, question_id"
            )
        ]

    def rating_counts(self) -> dict[str, int]:
        """Ratings with a score, per reviewer."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT reviewer, COUNT(*) FROM ratings WHERE score IS NOT NULL GROUP BY reviewer ORDER BY reviewer"
            )
        }

    def rating_rows(self, judge: str | None, page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every rating with its item's category, texts and the judge's verdict, a page at a time."""
        after: tuple[Any, ...] = (-1, "", 0, "")
        while True:
            rows = self.db.execute(
                "SELECT r.question_id, r.model, r.turn, r.reviewer, r.score, r.note, r.flags, r.blind, r.created,"
                " r.updated, q.category, CASE r.turn WHEN 1 THEN q.turn_1 ELSE q.turn_2 END,"
                " CASE r.turn WHEN 1 THEN a.turn_1 ELSE a.turn_2 END, j.judge, j.prompt, j.score, j.judgment"
                " FROM ratings r JOIN questions q ON q.question_id = r.question_id"
                " JOIN answers a ON a.question_id = r.question_id AND a.model = r.model"
                " LEFT JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model"
                " AND j.turn = r.turn AND j.judge = :judge"
                " WHERE (r.question_id, r.model, r.turn, r.reviewer) > (:q, :m, :t, :r)"
                " ORDER BY r.question_id, r.model, r.turn, r.reviewer LIMIT :limit",
                {
                    "judge": judge,
                    "q": after[0],
                    "m": after[1],
                    "t": after[2],
                    "r": after[3],
                    "limit": page_size,
                },
            ).fetchall()
            for row in rows:
                yield dict(zip(_RATING_ROW_FIELDS, row))
            if len(rows) < page_size:
                return
            after = tuple(rows[-1][:4])


_RATING_ROW_FIELDS = (
    "question_id",
    "model",
    "turn",
    "reviewer",
    "score",
    "note",
    "flags",
    "blind",
    "created",
    "updated",
    "category",
    "question",
    "answer",
    "judge",
    "judge_prompt",
    "judge_score",
    "judge_explanation",
)
