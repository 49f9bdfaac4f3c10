"""Run a judging plan: bounded concurrency, cached responses, every outcome recorded, sharded across processes.

The openai client costs a few milliseconds of CPU per request, so one event loop
tops out well below what 64 concurrent requests to a fast endpoint allow. Large,
highly concurrent runs are therefore split across worker processes, each with its
own event loop, clients and database connection; they report progress over a queue.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import queue
import random
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mtbench_tui.core.judge.client import Backoff, CallFailed, Redactor, complete, make_client
from mtbench_tui.core.judge.parsing import parse_verdict
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.work import WorkItem
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.judging import CachedResponse, Outcome

CONNECTIONS_PER_CLIENT = 64
"""Connections per client; aiohttp's pool stays cheap at this size."""
REQUESTS_PER_PROCESS = 32
"""Above this concurrency, another worker process pays for itself."""
FLUSH_SECONDS = 0.1
"""Workers send progress in batches at this interval rather than one message per verdict."""


@dataclass(frozen=True)
class RunConfig:
    """How to call the judge."""

    judge_model: str
    base_url: str | None
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = 8
    timeout: float = 120.0
    backoff: Backoff = field(default_factory=Backoff)
    strict: bool = False
    seed: int | None = None


@dataclass
class Totals:
    """What a run did."""

    ok: int = 0
    no_verdict: int = 0
    cached: int = 0
    failed: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = True

    def add(self, other: Totals) -> None:
        """Accumulate another worker's totals."""
        for name, value in asdict(other).items():
            if name == "priced":
                self.priced = self.priced and value
            else:
                setattr(self, name, getattr(self, name) + value)

    @property
    def done(self) -> int:
        """Items finished, one way or another."""
        return self.ok + self.no_verdict + self.cached + self.failed


@dataclass(frozen=True)
class Event:
    """Progress from a worker: kind is ok, no_verdict, cached, failed or retry."""

    kind: str
    label: str
    detail: str = ""


def api_key(config: RunConfig) -> str:
    """The key from the environment; a placeholder for a keyless local server at an explicit --base-url."""
    key = os.environ.get(config.api_key_env)
    if key:
        return key
    if config.base_url:
        return "no-key"  # vLLM, Ollama and friends usually accept any key
    raise ValueError(f"set ${config.api_key_env} (or choose another variable with --api-key-env)")


class Worker:
    """Judges a share of the items on one event loop; writes each outcome the moment it is known.

    ``emit`` receives lists of Events, at most every FLUSH_SECONDS.
    """

    def __init__(
        self,
        db_path: Path,
        config: RunConfig,
        run_id: int | None,
        prices: PriceTable,
        concurrency: int,
        emit: Any,
        batch_price: bool = False,
    ) -> None:
        self.store = Store.open(db_path, durable=False)
        self.config = config
        self.run_id = run_id
        self.prices = prices
        self.concurrency = max(1, concurrency)
        self.emit = emit
        self.totals = Totals()
        self.key = api_key(config)
        self.redact = Redactor(self.key)
        self.rng = random.Random(config.seed)
        self.pending: list[Event] = []

    async def run(self, requests: list[WorkItem], cached: list[WorkItem]) -> Totals:
        """Record cached items, then request the rest with at most ``concurrency`` in flight."""
        flusher = asyncio.create_task(self._flush_periodically())
        try:
            for item in cached:
                hit = self.store.judging.cache_get(item.cache_key)
                if hit is not None:
                    self._record(
                        item,
                        hit,
                        Outcome("cached", 0, hit.prompt_tokens, hit.completion_tokens, 0.0, 0.0),
                    )
            if requests:
                await self._request_all(requests)
        finally:
            flusher.cancel()
            self._flush()
            self.store.close()
        return self.totals

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
        """Request, cache, parse and record one verdict; or record why not."""
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
                self.totals.failed += 1
                self.store.judging.record_failure(
                    item, Outcome("failed", failure.attempts, error=failure.reason), self.run_id
                )
                self.pending.append(Event("failed", item.label(), failure.reason))
                return
        response = CachedResponse(reply.content, reply.prompt_tokens, reply.completion_tokens)
        cost = self.prices.cost(item.judge_model, reply.prompt_tokens, reply.completion_tokens)
        # The reply is cached in the same commit as its verdict, before the next await: a paid
        # reply is never lost, and a rerun never pays for it again.
        self._record(
            item,
            response,
            Outcome(
                "ok",
                reply.attempts,
                reply.prompt_tokens,
                reply.completion_tokens,
                cost,
                reply.latency_s,
            ),
            cache=True,
        )

    def _retry(self, item: WorkItem, why: str) -> None:
        """Count and report a retry."""
        self.totals.retries += 1
        self.pending.append(Event("retry", item.label(), why))

    def _record(
        self, item: WorkItem, response: CachedResponse, outcome: Outcome, cache: bool = False
    ) -> None:
        """Store the verdict (or its absence) and count it."""
        verdict = parse_verdict(response.content, strict=self.config.strict)
        self.store.judging.record_verdict(
            item,
            response.content,
            verdict.score,
            outcome,
            self.run_id,
            cache=response if cache else None,
        )
        t = self.totals
        if outcome.status == "cached":
            t.cached += 1
            kind = "cached"
        else:
            kind = "ok" if verdict.score is not None else "no_verdict"
            setattr(t, kind, getattr(t, kind) + 1)
            t.prompt_tokens += outcome.prompt_tokens or 0
            t.completion_tokens += outcome.completion_tokens or 0
            if outcome.cost_usd is None:
                t.priced = False
            else:
                t.cost_usd += outcome.cost_usd
        self.pending.append(
            Event(kind, item.label(), "" if verdict.score is not None else (verdict.reason or ""))
        )


def _shard_main(
    db_path: Path,
    config: RunConfig,
    run_id: int | None,
    prices: PriceTable,
    concurrency: int,
    requests: list[WorkItem],
    cached: list[WorkItem],
    channel: Any,
) -> None:
    """Entry point of a worker process (or thread): run a shard, report events, then the totals."""
    try:
        worker = Worker(
            db_path,
            config,
            run_id,
            prices,
            concurrency,
            lambda batch: channel.put(("events", batch)),
        )
        totals = asyncio.run(worker.run(requests, cached))
        channel.put(("totals", totals))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        channel.put(("error", f"{type(exc).__name__}: {exc}"))


def processes_for(concurrency: int, n_requests: int) -> int:
    """How many worker processes a run deserves."""
    if n_requests < 4 * REQUESTS_PER_PROCESS:
        return 1
    return max(1, min(os.cpu_count() or 1, math.ceil(concurrency / REQUESTS_PER_PROCESS)))


class JudgeRun:
    """Runs a plan in one or more workers; iterate ``events()`` to follow it, then read ``totals``."""

    def __init__(
        self,
        db_path: Path,
        config: RunConfig,
        run_id: int | None,
        prices: PriceTable,
        requests: list[WorkItem],
        cached: list[WorkItem],
        processes: int | None = None,
    ) -> None:
        self.db_path = db_path
        self.config = config
        self.run_id = run_id
        self.prices = prices
        self.requests = requests
        self.cached = cached
        self.processes = processes or processes_for(config.concurrency, len(requests))
        self.totals = Totals()
        self.errors: list[str] = []
        self._workers: list[Any] = []

    def start(self) -> None:
        """Start the workers (before any progress display starts its own thread)."""
        api_key(self.config)  # fail early, in the caller, when there is no key
        # Import the client here, once: forked workers inherit it instead of each paying ~0.7 s.
        import openai  # noqa: F401

        n = self.processes
        shares = [
            self.config.concurrency // n + (1 if i < self.config.concurrency % n else 0)
            for i in range(n)
        ]
        if n == 1:
            self._channel: Any = queue.Queue()
            thread = threading.Thread(
                target=_shard_main,
                daemon=True,
                args=(
                    self.db_path,
                    self.config,
                    self.run_id,
                    self.prices,
                    shares[0],
                    self.requests,
                    self.cached,
                    self._channel,
                ),
            )
            thread.start()
            self._workers = [thread]
            return
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        )
        self._channel = context.Queue()
        for i in range(n):
            process = context.Process(
                target=_shard_main,
                daemon=True,
                args=(
                    self.db_path,
                    self.config,
                    self.run_id,
                    self.prices,
                    shares[i],
                    self.requests[i::n],
                    self.cached[i::n],
                    self._channel,
                ),
            )
            process.start()
            self._workers.append(process)

    def events(self) -> Iterator[Event]:
        """Progress events until every worker has reported its totals."""
        remaining = len(self._workers)
        while remaining:
            try:
                kind, payload = self._channel.get(timeout=0.5)
            except queue.Empty:
                if not any(w.is_alive() for w in self._workers):
                    self.errors.append("a worker stopped without reporting")
                    break
                continue
            if kind == "events":
                yield from payload
            else:
                remaining -= 1
                if kind == "totals":
                    self.totals.add(payload)
                else:
                    self.errors.append(payload)
        for worker in self._workers:
            worker.join(timeout=5)

    def stop(self) -> None:
        """Stop worker processes now (Ctrl+C); whatever they committed stays."""
        for worker in self._workers:
            if hasattr(worker, "terminate"):
                worker.terminate()
