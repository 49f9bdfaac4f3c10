"""Statements every judge write shares: cache a reply, log a request, clear a failure.

Each runs inside the caller's transaction, so a reply, its verdict and its usage row
land in one commit.
"""

from __future__ import annotations

import json
import time

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem


def put_cache(db: sqlite_utils.Database, item: WorkItem, response: CachedResponse) -> None:
    """Keep a paid-for response so that no request is paid for twice.

    Args:
        db: the database, inside a transaction.
        item: the request the response answers.
        response: the response.
    """
    db.execute(
        "INSERT OR REPLACE INTO judge_cache (cache_key, judge_model, request, content,"
        " prompt_tokens, completion_tokens, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
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


def log_request(db: sqlite_utils.Database, item: WorkItem, o: Outcome, run_id: int | None) -> None:
    """One row of the usage log.

    Args:
        db: the database, inside a transaction.
        item: the request.
        o: how it went and what it cost.
        run_id: the run it belongs to.
    """
    db.execute(
        "INSERT INTO judge_requests (run_id, question_id, model, turn, judge, prompt, cache_key,"
        " status, error, attempts, prompt_tokens, completion_tokens, cost_usd, latency_s, at,"
        " model_2, pair_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            item.model_2,
            item.order,
        ],
    )


def clear_failure(db: sqlite_utils.Database, item: WorkItem) -> None:
    """Forget an earlier failure of this item: it has a reply now.

    Args:
        db: the database, inside a transaction.
        item: the item that was answered.
    """
    db.execute(
        "DELETE FROM judge_failures WHERE question_id = ? AND model = ? AND turn = ?"
        " AND judge = ? AND model_2 = ? AND pair_order = ?",
        [item.question_id, item.model, item.turn, item.judge, item.model_2, item.order],
    )


def epoch_now() -> float:
    """Unix time, as FastChat's tstamp.

    Returns:
        Seconds since the epoch.
    """
    return time.time()
