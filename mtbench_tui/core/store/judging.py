"""Judge-run bookkeeping: verdicts written by the runner, failures, usage, the response cache, batches."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.judge.work import WorkItem
from mtbench_tui.core.store.tables import JUDGMENTS, content_hash


@dataclass(frozen=True)
class CachedResponse:
    """A stored judge response."""

    content: str
    prompt_tokens: int | None
    completion_tokens: int | None


@dataclass(frozen=True)
class Outcome:
    """What one request cost and how it went, for the usage log."""

    status: str
    attempts: int = 0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    latency_s: float | None = None
    error: str | None = None


class JudgeRepo:
    """Writes of the judge runner; each method is one short committed transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def answers_to_judge(
        self, models: list[str] | None, questions: list[int] | None
    ) -> Iterator[tuple[int, str, str, str, str, str, str]]:
        """(question_id, model, category, question turn 1, turn 2, answer turn 1, turn 2), streamed in key order."""
        where, params = ["1"], []
        if models:
            where.append(f"a.model IN ({','.join('?' * len(models))})")
            params += models
        if questions:
            where.append(f"a.question_id IN ({','.join('?' * len(questions))})")
            params += questions
        yield from self.db.execute(
            "SELECT a.question_id, a.model, q.category, q.turn_1, q.turn_2, a.turn_1, a.turn_2 FROM answers a"
            f" JOIN questions q ON q.question_id = a.question_id WHERE {' AND '.join(where)}"
            " ORDER BY a.question_id, a.model",
            params,
        )

    def judged(self, question_id: int, model: str, judge: str, prompt: str) -> set[int]:
        """Turns of an answer already judged by this judge with this prompt."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT turn FROM judgments WHERE question_id = ? AND model = ? AND judge = ? AND prompt = ?",
                [question_id, model, judge, prompt],
            )
        }

    def cache_get(self, key: str) -> CachedResponse | None:
        """A cached response to exactly this request."""
        row = self.db.execute(
            "SELECT content, prompt_tokens, completion_tokens FROM judge_cache WHERE cache_key = ?",
            [key],
        ).fetchone()
        return CachedResponse(*row) if row else None

    def _cache_put(self, item: WorkItem, response: CachedResponse) -> None:
        """Keep a paid-for response, inside the caller's transaction, so no request is paid for twice."""
        self.db.execute(
            "INSERT OR REPLACE INTO judge_cache (cache_key, judge_model, request, content, prompt_tokens,"
            " completion_tokens, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                item.cache_key,
                item.judge_model,
                json.dumps(item.request, ensure_ascii=False),
                response.content,
                response.prompt_tokens,
                response.completion_tokens,
                now_iso(),
            ],
        )

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
        """Store a verdict (replacing this judge's earlier one on the turn), clear any failure, log usage.

        With ``cache``, the response is cached in the same transaction (one commit per reply).
        """
        record = {
            "question_id": item.question_id,
            "model": item.model,
            "turn": item.turn,
            "judge": item.judge,
            "judge_model": item.judge_model,
            "prompt": item.prompt,
            "score": score,
            "judgment": text,
            "user_prompt": item.user_prompt,
            "tstamp": _epoch_now(),
            "origin": origin,
        }
        record["content_hash"] = content_hash(record, JUDGMENTS)
        cols = JUDGMENTS.all_columns
        with self.db.atomic():
            if cache is not None:
                self._cache_put(item, cache)
            self.db.execute(
                f"INSERT INTO judgments ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                " ON CONFLICT(question_id, model, turn, judge) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in cols if c not in JUDGMENTS.key),
                [record[c] for c in cols],
            )
            self.db.execute(
                "DELETE FROM judge_failures WHERE question_id = ? AND model = ? AND turn = ? AND judge = ?",
                [item.question_id, item.model, item.turn, item.judge],
            )
            self._log(item, outcome, run_id)

    def record_failure(self, item: WorkItem, outcome: Outcome, run_id: int | None) -> None:
        """Record why a verdict could not be obtained; never stored as a score."""
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO judge_failures (question_id, model, turn, judge, prompt, reason, attempts,"
                " run_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    item.question_id,
                    item.model,
                    item.turn,
                    item.judge,
                    item.prompt,
                    outcome.error or "unknown",
                    outcome.attempts,
                    run_id,
                    now_iso(),
                ],
            )
            self._log(item, outcome, run_id)

    def _log(self, item: WorkItem, o: Outcome, run_id: int | None) -> None:
        """One row of the usage log."""
        self.db.execute(
            "INSERT INTO judge_requests (run_id, question_id, model, turn, judge, prompt, cache_key, status, error,"
            " attempts, prompt_tokens, completion_tokens, cost_usd, latency_s, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                item.question_id,
                item.model,
                item.turn,
                item.judge,
                item.prompt,
                item.cache_key,
                o.status,
                o.error,
                o.attempts,
                o.prompt_tokens,
                o.completion_tokens,
                o.cost_usd,
                o.latency_s,
                now_iso(),
            ],
        )

    def start_run(
        self, judge_model: str, family: str, endpoint: str, params: dict[str, Any], mode: str
    ) -> int:
        """Open a run record; returns its id."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO judge_runs (started, judge_model, prompt_family, endpoint, params, mode)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [now_iso(), judge_model, family, endpoint, json.dumps(params), mode],
            )
            return int(cursor.lastrowid)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        """Close a run record with its summary."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE judge_runs SET finished = ?, summary = ? WHERE id = ?",
                [now_iso(), json.dumps(summary), run_id],
            )

    def failures(self, judge: str | None = None) -> list[dict[str, Any]]:
        """Outstanding failures (those without a verdict since)."""
        sql = "SELECT question_id, model, turn, judge, prompt, reason, attempts, at FROM judge_failures"
        params: list[Any] = []
        if judge:
            sql += " WHERE judge = ?"
            params.append(judge)
        names = ("question_id", "model", "turn", "judge", "prompt", "reason", "attempts", "at")
        return [
            dict(zip(names, r))
            for r in self.db.execute(sql + " ORDER BY question_id, model, turn", params)
        ]

    def run_usage(self, run_id: int) -> dict[str, Any]:
        """Totals of one run's usage log."""
        row = self.db.execute(
            "SELECT COUNT(*), SUM(status = 'ok'), SUM(status = 'cached'), SUM(status = 'failed'),"
            " COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), SUM(cost_usd), SUM(attempts)"
            " FROM judge_requests WHERE run_id = ?",
            [run_id],
        ).fetchone()
        keys = (
            "requests",
            "ok",
            "cached",
            "failed",
            "prompt_tokens",
            "completion_tokens",
            "cost_usd",
            "attempts",
        )
        return {k: (v or 0) if k != "cost_usd" else v for k, v in zip(keys, row)}

    def create_batch(
        self, batch_id: str, input_file_id: str, run_id: int, items: list[tuple[str, WorkItem]]
    ) -> None:
        """Remember a submitted batch and which item each custom_id stands for."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO judge_batches (batch_id, input_file_id, run_id, status, n_requests, created)"
                " VALUES (?, ?, ?, 'submitted', ?, ?)",
                [batch_id, input_file_id, run_id, len(items), now_iso()],
            )
            ref = cursor.lastrowid
            self.db.conn.executemany(
                "INSERT INTO judge_batch_items (batch, custom_id, question_id, model, turn, judge, prompt, cache_key,"
                " request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        ref,
                        cid,
                        i.question_id,
                        i.model,
                        i.turn,
                        i.judge,
                        i.prompt,
                        i.cache_key,
                        json.dumps(
                            {"judge_model": i.judge_model, "request": i.request}, ensure_ascii=False
                        ),
                    )
                    for cid, i in items
                ],
            )

    def pending_batches(self) -> list[tuple[int, str, int | None]]:
        """(local id, batch id, run id) of batches not yet collected."""
        return [
            tuple(r)
            for r in self.db.execute(
                "SELECT id, batch_id, run_id FROM judge_batches WHERE collected IS NULL ORDER BY id"
            )
        ]

    def batch_items(self, ref: int) -> dict[str, WorkItem]:
        """custom_id -> the item it was submitted for."""
        out = {}
        for cid, q, m, t, judge, prompt, key, stored in self.db.execute(
            "SELECT custom_id, question_id, model, turn, judge, prompt, cache_key, request FROM judge_batch_items"
            " WHERE batch = ?",
            [ref],
        ):
            data = json.loads(stored)
            out[cid] = WorkItem(q, m, t, judge, data["judge_model"], prompt, data["request"], key)
        return out

    def mark_batch(self, ref: int, status: str, collected: bool) -> None:
        """Update a batch's status; collected batches are not polled again."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE judge_batches SET status = ?, collected = ? WHERE id = ?",
                [status, now_iso() if collected else None, ref],
            )


def _epoch_now() -> float:
    """Unix time, as FastChat's tstamp."""
    import time

    return time.time()
