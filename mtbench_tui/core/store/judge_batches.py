"""Batch API bookkeeping: which batches were submitted, and which item each request stands for."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, NamedTuple

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.workitems import PairSide, WorkItem


class PendingBatch(NamedTuple):
    """A submitted batch not yet collected."""

    ref: int
    batch_id: str
    run_id: int | None


class BatchRepo:
    """Writes and reads of judge_batches and judge_batch_items."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def create(
        self, batch_id: str, input_file_id: str, run_id: int, items: list[tuple[str, WorkItem]]
    ) -> None:
        """Remember a submitted batch and which item each custom_id stands for.

        Args:
            batch_id: the API's batch id.
            input_file_id: the uploaded request file.
            run_id: the run that submitted it.
            items: (custom_id, item) for every request in the batch.
        """
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO judge_batches (batch_id, input_file_id, run_id, status, n_requests,"
                " created) VALUES (?, ?, ?, 'submitted', ?, ?)",
                [batch_id, input_file_id, run_id, len(items), now_iso()],
            )
            ref = cursor.lastrowid
            self.db.conn.executemany(
                "INSERT INTO judge_batch_items (batch, custom_id, question_id, model, turn, judge,"
                " prompt, cache_key, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        json.dumps(_stored_request(i), ensure_ascii=False),
                    )
                    for cid, i in items
                ],
            )

    def pending(self) -> list[PendingBatch]:
        """Batches not yet collected.

        Returns:
            Oldest first.
        """
        return [
            PendingBatch(*r)
            for r in self.db.execute(
                "SELECT id, batch_id, run_id FROM judge_batches WHERE collected IS NULL ORDER BY id"
            )
        ]

    def items(self, ref: int) -> dict[str, WorkItem]:
        """The items of one batch.

        Args:
            ref: the batch's local id.

        Returns:
            custom_id -> the item it was submitted for.
        """
        out = {}
        for cid, q, m, t, judge, prompt, key, stored in self.db.execute(
            "SELECT custom_id, question_id, model, turn, judge, prompt, cache_key, request"
            " FROM judge_batch_items WHERE batch = ?",
            [ref],
        ):
            data = json.loads(stored)
            pair = PairSide(**data["pair"]) if data.get("pair") else None
            out[cid] = WorkItem(
                q, m, t, judge, data["judge_model"], prompt, data["request"], key, pair
            )
        return out

    def mark(self, ref: int, status: str, collected: bool) -> None:
        """Update a batch's status; collected batches are not polled again.

        Args:
            ref: the batch's local id.
            status: the API's status.
            collected: True once its results are stored.
        """
        with self.db.atomic():
            self.db.execute(
                "UPDATE judge_batches SET status = ?, collected = ? WHERE id = ?",
                [status, now_iso() if collected else None, ref],
            )


def _stored_request(item: WorkItem) -> dict[str, Any]:
    """What a batch item keeps beyond its key columns: the judge model, the body, the pair side."""
    data: dict[str, Any] = {"judge_model": item.judge_model, "request": item.request}
    if item.pair is not None:
        data["pair"] = asdict(item.pair)
    return data
