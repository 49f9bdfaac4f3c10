"""Judge a share of a plan on one event loop: bounded concurrency, each outcome stored as it lands.

Database work runs on one writer thread of its own (``LockedWriter``), so the event loop
(the app's, when re-judging from the review screen) never waits on SQLite, writes stay in
order, and a write that meets another program's lock waits for it instead of dropping a
paid reply.
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from mtbench_tui.core.judge.client import CallFailed, Redactor, complete, make_client
from mtbench_tui.core.judge.locked import LockedWriter
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.recording import Recorded, record_reply
from mtbench_tui.core.judge.runtypes import Event, RunConfig, Totals
from mtbench_tui.core.store import Store
from mtbench_tui.core.workitems import CachedResponse, Outcome, WorkItem

CONNECTIONS_PER_CLIENT = 64
"""Connections per client; aiohttp's pool stays cheap at this size."""
FLUSH_SECONDS = 0.1
"""Progress goes out in batches at this interval rather than one message per verdict."""

T = TypeVar("T")


class Worker:
    """Judges items, at most ``concurrency`` requests in flight; ``emit`` gets lists of Events."""

    def __init__(
        self,
        db_path: Path,
        config: RunConfig,
        key: str,
        run_id: int | None,
        prices: PriceTable,
        concurrency: int,
        emit: Callable[[list[Event]], None],
    ) -> None:
        self.db_path = db_path
        self.config = config
        self.key = key
        self.run_id = run_id
        self.prices = prices
        self.concurrency = max(1, concurrency)
        self.emit = emit
        self.totals = Totals()
        self.redact = Redactor(key)
        self.rng = random.Random(config.seed)
        self.pending: list[Event] = []
        self._writer = LockedWriter(lambda: _open_store(db_path), self._on_lock, "judge-writer")
        self._compared: set[tuple[int, str, str, int]] = set()

    async def run(self, requests: list[WorkItem], cached: list[WorkItem]) -> Totals:
        """Record cached items, then request the rest.

        Args:
            requests: items to send.
            cached: items whose exact request has a cached reply.

        Returns:
            What this worker did.
        """
        flusher = asyncio.create_task(self._flush_periodically())
        try:
            for item in cached:
                await self._replay(item)
            if requests:
                await self._request_all(requests)
        finally:
            flusher.cancel()
            self._flush()
            await self._writer.close()
        return self.totals

    async def _db(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(store, *args)`` on the writer thread (waiting out another program's lock)."""
        return await self._writer.call(fn, *args)

    def _on_lock(self, waiting: bool, why: str) -> None:
        """Report that a write waits for another program's lock, or has landed after waiting."""
        kind = "locked" if waiting else "unlocked"
        self.pending.append(Event(kind, "database", why))

    async def _replay(self, item: WorkItem) -> None:
        """Store a cached reply as this run's verdict, without a request."""
        hit = await self._db(_cache_get, item.cache_key)
        if hit is None:
            return
        outcome = Outcome("cached", 0, hit.prompt_tokens, hit.completion_tokens, 0.0, 0.0)
        recorded = await self._db(self._write, item, hit, outcome, False)
        self._count(item, recorded, cached=True)

    async def _flush_periodically(self) -> None:
        """Send buffered progress events every FLUSH_SECONDS."""
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            self._flush()

    def _flush(self) -> None:
        """Send whatever events are buffered."""
        if self.pending:
            batch, self.pending = self.pending, []
            self.emit(batch)

    async def _request_all(self, items: list[WorkItem]) -> None:
        """Fan out over a few clients with small pools."""
        n_clients = max(1, math.ceil(self.concurrency / CONNECTIONS_PER_CLIENT))
        per_client = math.ceil(self.concurrency / n_clients)
        clients = [
            make_client(self.config.base_url, self.key, self.config.timeout, per_client)
            for _ in range(n_clients)
        ]
        limit = asyncio.Semaphore(self.concurrency)
        try:
            await asyncio.gather(
                *(self._one(item, clients[i % n_clients], limit) for i, item in enumerate(items))
            )
        finally:
            for client in clients:
                await client.close()

    async def _one(self, item: WorkItem, client: Any, limit: asyncio.Semaphore) -> None:
        """Request, cache, parse and record one reply; or record why there is none.

        The slot is held until the reply is committed, so a kill loses at most
        ``concurrency`` paid replies: the ones in flight.
        """
        async with limit:
            try:
                reply = await complete(
                    client,
                    item.request,
                    self.config.backoff,
                    self.redact,
                    self.rng,
                    on_retry=lambda why: self._retry(item, why),
                )
            except CallFailed as failure:
                outcome = Outcome("failed", failure.attempts, error=failure.reason)
                await self._db(self._fail, item, outcome)
                self.totals = self.totals.bump(failed=1)
                self.pending.append(Event("failed", item.label(), failure.reason))
                return
            response = CachedResponse(reply.content, reply.prompt_tokens, reply.completion_tokens)
            cost = self.prices.cost(item.judge_model, reply.prompt_tokens, reply.completion_tokens)
            outcome = Outcome(
                "ok",
                reply.attempts,
                reply.prompt_tokens,
                reply.completion_tokens,
                cost,
                reply.latency_s,
            )
            # Cached in the same commit as its verdict: a paid reply is never lost once
            # committed, and a rerun never pays for it again.
            recorded = await self._db(self._write, item, response, outcome, True)
        self._count(item, recorded, cached=False, outcome=outcome)

    def _write(
        self, store: Store, item: WorkItem, response: CachedResponse, outcome: Outcome, cache: bool
    ) -> Recorded:
        """Store a reply (on the writer thread)."""
        return record_reply(
            store,
            item,
            response,
            outcome,
            self.run_id,
            strict=self.config.strict,
            cache=cache,
        )

    def _fail(self, store: Store, item: WorkItem, outcome: Outcome) -> None:
        """Store a failure (on the writer thread)."""
        store.judging.record_failure(item, outcome, self.run_id)

    def _retry(self, item: WorkItem, why: str) -> None:
        """Count and report a retry."""
        self.totals = self.totals.bump(retries=1)
        self.pending.append(Event("retry", item.label(), why))

    def _count(
        self, item: WorkItem, recorded: Recorded, cached: bool, outcome: Outcome | None = None
    ) -> None:
        """Add a stored reply to the totals and the progress events."""
        kind = "cached" if cached else ("ok" if recorded.has_verdict else "no_verdict")
        # Both orders may find the other's reply (when both were cached); count it once.
        compared = recorded.comparison is not None and _comparison(item) not in self._compared
        if compared:
            self._compared.add(_comparison(item))
        t = self.totals.bump(**{kind: 1}, comparisons=int(compared))
        if outcome is not None:
            t = t.bump(
                prompt_tokens=outcome.prompt_tokens or 0,
                completion_tokens=outcome.completion_tokens or 0,
                cost_usd=outcome.cost_usd or 0.0,
            )
            if outcome.cost_usd is None:
                t = replace(t, priced=False)
        self.totals = t
        self.pending.append(Event(kind, item.label(), recorded.reason))


def _open_store(path: Path) -> Store:
    """The worker's own connection (commits survive a killed process; no fsync per reply)."""
    return Store.open(path, durable=False)


def _cache_get(store: Store, key: str) -> CachedResponse | None:
    """A cached reply (on the writer thread)."""
    return store.judging.cache_get(key)


def _comparison(item: WorkItem) -> tuple[int, str, str, int]:
    """The comparison an order belongs to."""
    return (item.question_id, item.model, item.model_2, item.turn)
