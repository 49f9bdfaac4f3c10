"""Judge-run records: opened when a run starts, closed with its summary (or as aborted)."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import sqlite_utils

from mtbench_tui.core.clock import now_iso


class RunUsage(NamedTuple):
    """Totals of one run's usage log."""

    requests: int
    ok: int
    cached: int
    failed: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    attempts: int


class RunRecord(NamedTuple):
    """One row of judge_runs."""

    id: int
    status: str
    mode: str
    judge_model: str
    started: str
    finished: str | None
    owner: str | None
    summary: dict[str, Any] | None


_RUN_COLUMNS = "id, status, mode, judge_model, started, finished, owner, summary"


class JudgeRunRepo:
    """Writes and reads of judge_runs; each write is one short transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def start(
        self,
        judge_model: str,
        family: str,
        endpoint: str,
        params: dict[str, Any],
        mode: str,
        owner: str,
    ) -> int:
        """Open a run record in state 'running'.

        Args:
            judge_model: the judge.
            family: the prompt family.
            endpoint: where requests go (never with credentials).
            params: the run's settings, for the record.
            mode: online, batch or rejudge.
            owner: host:pid:start of the process running it.

        Returns:
            The run's id.
        """
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO judge_runs (started, judge_model, prompt_family, endpoint, params,"
                " mode, status, owner) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
                [now_iso(), judge_model, family, endpoint, json.dumps(params), mode, owner],
            )
            return int(cursor.lastrowid or 0)

    def finish(self, run_id: int, summary: dict[str, Any], status: str = "finished") -> None:
        """Close a run record with its summary.

        Args:
            run_id: the run.
            summary: what it did, stored as JSON.
            status: finished, interrupted, aborted or submitted.
        """
        with self.db.atomic():
            self.db.execute(
                "UPDATE judge_runs SET finished = ?, summary = ?, status = ? WHERE id = ?",
                [now_iso(), json.dumps(summary), status, run_id],
            )

    def running(self) -> list[RunRecord]:
        """Runs still marked running (some may belong to a process that was killed).

        Returns:
            Their records, oldest first.
        """
        return self._select("WHERE status = 'running' ORDER BY id", [])

    def get(self, run_id: int) -> RunRecord | None:
        """One run's record.

        Args:
            run_id: the run.

        Returns:
            The record, or None.
        """
        rows = self._select("WHERE id = ?", [run_id])
        return rows[0] if rows else None

    def abort(self, run_id: int) -> None:
        """Close a run whose process died, keeping what its usage log shows it did.

        Args:
            run_id: the run.
        """
        summary = {
            **self.usage(run_id)._asdict(),
            "aborted": "its process ended without closing it",
        }
        self.finish(run_id, summary, status="aborted")

    def usage(self, run_id: int) -> RunUsage:
        """Totals of one run's usage log.

        Args:
            run_id: the run.

        Returns:
            Requests, outcomes, tokens, cost (None when nothing was priced) and attempts.
        """
        row = self.db.execute(
            "SELECT COUNT(*), SUM(status = 'ok'), SUM(status = 'cached'), SUM(status = 'failed'),"
            " SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_usd), SUM(attempts)"
            " FROM judge_requests WHERE run_id = ?",
            [run_id],
        ).fetchone()
        n, ok, cached, failed, prompt, completion, cost, attempts = row
        return RunUsage(
            n, ok or 0, cached or 0, failed or 0, prompt or 0, completion or 0, cost, attempts or 0
        )

    def _select(self, where: str, params: list[Any]) -> list[RunRecord]:
        """Run records matching a WHERE clause."""
        out = []
        for run_id, status, mode, judge_model, started, finished, owner, summary in self.db.execute(
            f"SELECT {_RUN_COLUMNS} FROM judge_runs {where}", params
        ):
            parsed = json.loads(summary) if summary else None
            out.append(
                RunRecord(run_id, status, mode, judge_model, started, finished, owner, parsed)
            )
        return out
