"""Judge-run bookkeeping: verdicts written by the runner, failures and the response cache.

Run records, batches and pairwise verdicts have repositories of their own, reached as
``store.judging.runs``, ``store.judging.batches`` and ``store.judging.pairs``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.store.judge_batches import BatchRepo
from mtbench_tui.core.store.judge_records import clear_failure, epoch_now, log_request, put_cache
from mtbench_tui.core.store.judge_runs import JudgeRunRepo
from mtbench_tui.core.store.pair_judging import PairJudgeRepo
from mtbench_tui.core.store.tables import JUDGMENTS, content_hash
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem


class AnswerToJudge(NamedTuple):
    """An answer with its question, as the planner needs it."""

    question_id: int
    model: str
    category: str
    question_1: str
    question_2: str
    answer_1: str
    answer_2: str


class Failure(NamedTuple):
    """An outstanding failure: an item with no verdict because its request failed."""

    question_id: int
    model: str
    turn: int
    judge: str
    prompt: str
    reason: str
    attempts: int
    at: str
    run_id: int | None
    model_2: str
    order: str

    def label(self) -> str:
        """'Q81 vicuna-13b turn 2', or 'Q81 a vs b turn 1 (g2)' for one order of a comparison."""
        if not self.model_2:
            return f"Q{self.question_id} {self.model} turn {self.turn}"
        return f"Q{self.question_id} {self.model} vs {self.model_2} turn {self.turn} ({self.order})"


_FAILURE_COLUMNS = (
    "question_id, model, turn, judge, prompt, reason, attempts, at, run_id, model_2, pair_order"
)


class JudgeRepo:
    """Writes of the judge runner; each method is one short committed transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.runs = JudgeRunRepo(db)
        self.batches = BatchRepo(db)
        self.pairs = PairJudgeRepo(db)

    def answers_to_judge(
        self, models: list[str] | None, questions: list[int] | None
    ) -> Iterator[AnswerToJudge]:
        """Answers with their questions, streamed in key order.

        Args:
            models: only these models (None: all).
            questions: only these question ids (None: all).

        Returns:
            An iterator of answers to judge.
        """
        where: list[str] = ["1"]
        params: list[Any] = []
        if models:
            where.append(f"a.model IN ({','.join('?' * len(models))})")
            params += models
        if questions:
            where.append(f"a.question_id IN ({','.join('?' * len(questions))})")
            params += questions
        for row in self.db.execute(
            "SELECT a.question_id, a.model, q.category, q.turn_1, q.turn_2, a.turn_1, a.turn_2"
            " FROM answers a JOIN questions q ON q.question_id = a.question_id"
            f" WHERE {' AND '.join(where)} ORDER BY a.question_id, a.model",
            params,
        ):
            yield AnswerToJudge(*row)

    def judged(self, question_id: int, model: str, judge: str, prompt: str) -> set[int]:
        """Turns of an answer already judged by this judge with this prompt.

        Args:
            question_id: the question.
            model: the answering model.
            judge: the judge label.
            prompt: the prompt name.

        Returns:
            The judged turns.
        """
        return {
            r[0]
            for r in self.db.execute(
                "SELECT turn FROM judgments WHERE question_id = ? AND model = ? AND judge = ?"
                " AND prompt = ?",
                [question_id, model, judge, prompt],
            )
        }

    def cache_get(self, key: str) -> CachedResponse | None:
        """A cached response to exactly this request.

        Args:
            key: the request's cache key.

        Returns:
            The response, or None.
        """
        row = self.db.execute(
            "SELECT content, prompt_tokens, completion_tokens FROM judge_cache WHERE cache_key = ?",
            [key],
        ).fetchone()
        return CachedResponse(*row) if row else None

    def record_verdict(
        self,
        item: WorkItem,
        text: str,
        score: float | None,
        outcome: Outcome,
        run_id: int | None,
        origin: str = "judge-run",
        cache: CachedResponse | None = None,
    ) -> None:
        """Store a verdict (replacing this judge's earlier one), clear any failure, log usage.

        Args:
            item: the single-answer item judged.
            text: the judge's reply.
            score: the parsed rating, None for no verdict.
            outcome: how the request went.
            run_id: the run it belongs to.
            origin: judge-run or batch.
            cache: the reply to cache in the same transaction (one commit per reply).
        """
        record: dict[str, Any] = {
            "question_id": item.question_id,
            "model": item.model,
            "turn": item.turn,
            "judge": item.judge,
            "judge_model": item.judge_model,
            "prompt": item.prompt,
            "score": score,
            "judgment": text,
            "user_prompt": item.user_prompt,
            "tstamp": epoch_now(),
            "origin": origin,
        }
        record["content_hash"] = content_hash(record, JUDGMENTS)
        cols = JUDGMENTS.all_columns
        with self.db.atomic():
            if cache is not None:
                put_cache(self.db, item, cache)
            self.db.execute(
                f"INSERT INTO judgments ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                " ON CONFLICT(question_id, model, turn, judge) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in cols if c not in JUDGMENTS.key),
                [record[c] for c in cols],
            )
            clear_failure(self.db, item)
            log_request(self.db, item, outcome, run_id)

    def record_failure(self, item: WorkItem, outcome: Outcome, run_id: int | None) -> None:
        """Record why a reply could not be obtained; never stored as a score.

        Args:
            item: the item (single, or one order of a comparison).
            outcome: the failure, with its reason in ``error``.
            run_id: the run it belongs to.
        """
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO judge_failures (question_id, model, turn, judge, model_2,"
                " pair_order, prompt, reason, attempts, run_id, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    item.question_id,
                    item.model,
                    item.turn,
                    item.judge,
                    item.model_2,
                    item.order,
                    item.prompt,
                    outcome.error or "unknown",
                    outcome.attempts,
                    run_id,
                    now_iso(),
                ],
            )
            log_request(self.db, item, outcome, run_id)

    def failures(self, judge: str | None = None, run_id: int | None = None) -> list[Failure]:
        """Outstanding failures (those without a reply since).

        Args:
            judge: only this judge's.
            run_id: only those recorded by this run.

        Returns:
            Failures in key order.
        """
        where: list[str] = ["1"]
        params: list[Any] = []
        if judge is not None:
            where.append("judge = ?")
            params.append(judge)
        if run_id is not None:
            where.append("run_id = ?")
            params.append(run_id)
        return [
            Failure(*r)
            for r in self.db.execute(
                f"SELECT {_FAILURE_COLUMNS} FROM judge_failures WHERE {' AND '.join(where)}"
                " ORDER BY question_id, model, model_2, turn, pair_order",
                params,
            )
        ]
