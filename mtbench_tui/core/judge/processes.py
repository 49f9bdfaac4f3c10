"""Run a plan on the caller's event loop, or split across worker processes that die with it.

The openai client costs a few milliseconds of CPU per request, so one event loop tops
out well below what 64 concurrent requests to a fast endpoint allow; large, highly
concurrent runs are split across worker processes.

Workers come from a fork server: a clean interpreter started by exec, which has already
imported the client and forks a worker in milliseconds. So no SQLite connection (nor any
other state of the caller) crosses a fork; each worker opens its own connection. A worker
dies with the process that started it: the kernel kills it when its parent goes
(PR_SET_PDEATHSIG on Linux), and a watchdog thread exits when the starter's end of a pipe
closes, which happens however the starter ended, kill -9 included.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from mtbench_tui.core.judge.lifeline import die_with_parent
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.runtypes import Event, RunConfig, Totals, api_key
from mtbench_tui.core.judge.worker import Worker
from mtbench_tui.core.workitems import WorkItem

REQUESTS_PER_PROCESS = 32
"""Above this concurrency, another worker process pays for itself."""
PRELOAD = ["openai", "httpx2", "aiohttp", "mtbench_tui.core.judge.processes"]
"""Imported once by the fork server, so a worker starts in milliseconds, not a second."""


class RunResult(NamedTuple):
    """What the workers did, and any worker that failed as a whole."""

    totals: Totals
    errors: tuple[str, ...]


@dataclass(frozen=True)
class _Shard:
    """One worker process's share of a run."""

    db_path: Path
    config: RunConfig
    key: str
    run_id: int | None
    prices: PriceTable
    concurrency: int
    requests: list[WorkItem]
    cached: list[WorkItem]


def multiprocess_supported() -> bool:
    """True where worker processes can come from a fork server (POSIX)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def processes_for(concurrency: int, n_requests: int) -> int:
    """How many worker processes a run deserves.

    Args:
        concurrency: requests in flight.
        n_requests: requests to send.

    Returns:
        1 (run on the caller's loop) unless the run is large and highly concurrent.
    """
    if n_requests < 4 * REQUESTS_PER_PROCESS or not multiprocess_supported():
        return 1
    return max(1, min(os.cpu_count() or 1, math.ceil(concurrency / REQUESTS_PER_PROCESS)))


def warm_up(wait: bool = False) -> None:
    """Start the fork server now, so its imports overlap the caller's planning.

    Args:
        wait: return only once it is ready (benchmarks time the run, not this start-up).
    """
    if not multiprocess_supported():
        return
    context = _context()
    from multiprocessing import forkserver

    forkserver.ensure_running()
    if wait:
        probe = context.Process(target=_nothing)
        probe.start()
        probe.join()


def _nothing() -> None:
    """A worker that does nothing: starting one proves the fork server is ready."""


def _context() -> Any:
    """The fork-server context, with the client preloaded."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


class JudgeRun:
    """Runs a plan's requests and cached items; ``await run(on_event)`` returns the totals."""

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
        self.db_path = Path(db_path).resolve()
        self.config = config
        self.run_id = run_id
        self.prices = prices
        self.requests = requests
        self.cached = cached
        self.processes = processes or processes_for(config.concurrency, len(requests))
        self.key = api_key(config)  # fails here, in the caller, when there is no key

    async def run(self, on_event: Callable[[Event], None]) -> RunResult:
        """Judge everything; ``on_event`` sees each item's outcome and each retry.

        Args:
            on_event: called on the caller's loop for every event.

        Returns:
            The totals, and the errors of workers that failed as a whole.
        """
        if self.processes == 1:
            worker = self._worker(self.config.concurrency, on_event)
            return RunResult(await worker.run(self.requests, self.cached), ())
        return await _ProcessGroup(self).run(on_event)

    def _worker(self, concurrency: int, on_event: Callable[[Event], None]) -> Worker:
        """An in-process worker."""

        def emit(batch: list[Event]) -> None:
            for event in batch:
                on_event(event)

        return Worker(
            self.db_path, self.config, self.key, self.run_id, self.prices, concurrency, emit
        )

    def shards(self) -> list[_Shard]:
        """Split the work: both orders of a comparison go to the same worker."""
        n = self.processes
        shares = [
            self.config.concurrency // n + (i < self.config.concurrency % n) for i in range(n)
        ]
        requests, cached = _deal(self.requests, n), _deal(self.cached, n)
        return [
            _Shard(
                self.db_path,
                self.config,
                self.key,
                self.run_id,
                self.prices,
                shares[i],
                requests[i],
                cached[i],
            )
            for i in range(n)
        ]


def _deal(items: list[WorkItem], n: int) -> list[list[WorkItem]]:
    """Deal items round-robin by comparison (a single-answer item is its own comparison)."""
    hands: list[list[WorkItem]] = [[] for _ in range(n)]
    groups: dict[tuple[int, str, str, int], int] = {}
    for item in items:
        key = (item.question_id, item.model, item.model_2, item.turn)
        hands[groups.setdefault(key, len(groups)) % n].append(item)
    return hands


class _ProcessGroup:
    """Worker processes of one run, and the pipes they report on."""

    def __init__(self, run: JudgeRun) -> None:
        self.run_spec = run
        self.processes: list[Any] = []
        self.readers: list[Connection] = []
        self.totals = Totals()
        self.errors: list[str] = []

    async def run(self, on_event: Callable[[Event], None]) -> RunResult:
        """Start the workers, relay their events, and sum their totals."""
        try:
            self._start()
            await self._relay(on_event)
        except BaseException:
            self._stop()
            raise
        finally:
            for reader in self.readers:
                reader.close()
        for process in self.processes:
            process.join(timeout=5)
        return RunResult(self.totals, tuple(self.errors))

    def _start(self) -> None:
        """One process per shard, each with the write end of its own pipe."""
        context = _context()
        for shard in self.run_spec.shards():
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_shard_main, args=(shard, writer), daemon=True)
            process.start()
            writer.close()  # the child holds the only write end: EOF means it is gone
            self.processes.append(process)
            self.readers.append(reader)

    async def _relay(self, on_event: Callable[[Event], None]) -> None:
        """Pass events on until every worker has reported or gone."""
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
        for i, reader in enumerate(self.readers):
            loop.add_reader(reader.fileno(), _receive, reader, i, inbox)
        open_pipes = set(range(len(self.readers)))
        try:
            while open_pipes:
                i, message = await inbox.get()
                if message is None:
                    open_pipes.discard(i)
                    self._gone(i)
                else:
                    self._take(message, on_event)
        finally:
            for i in open_pipes:
                loop.remove_reader(self.readers[i].fileno())

    def _take(self, message: tuple[str, Any], on_event: Callable[[Event], None]) -> None:
        """Handle one message from a worker."""
        kind, payload = message
        if kind == "events":
            for event in payload:
                on_event(event)
        elif kind == "totals":
            self.totals = self.totals + payload
        else:
            self.errors.append(str(payload))

    def _gone(self, i: int) -> None:
        """A worker's pipe closed; note it if the worker never said how it ended."""
        process = self.processes[i]
        process.join(timeout=5)
        if process.exitcode not in (0, None):
            self.errors.append(f"worker process {i + 1} stopped (exit code {process.exitcode})")

    def _stop(self) -> None:
        """Stop the workers now (Ctrl+C, or the caller was cancelled); what they committed stays."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)


def _receive(reader: Connection, i: int, inbox: asyncio.Queue[tuple[int, Any]]) -> None:
    """Move one message (or the end of the pipe, as None) from a worker's pipe to the inbox."""
    try:
        inbox.put_nowait((i, reader.recv()))
    except (EOFError, OSError):
        asyncio.get_running_loop().remove_reader(reader.fileno())
        inbox.put_nowait((i, None))


def _shard_main(shard: _Shard, channel: Connection) -> None:
    """Entry point of a worker process: run its shard, report events, then its totals."""
    die_with_parent()
    try:
        worker = Worker(
            shard.db_path,
            shard.config,
            shard.key,
            shard.run_id,
            shard.prices,
            shard.concurrency,
            lambda batch: channel.send(("events", batch)),
        )
        totals = asyncio.run(worker.run(shard.requests, shard.cached))
        channel.send(("totals", totals))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        channel.send(("error", f"{type(exc).__name__}: {exc}"))
