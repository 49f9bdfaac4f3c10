"""A judge job as the CLI and the app describe it, and the typed summary a run returns."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mtbench_tui.core.judge.client import Backoff
from mtbench_tui.core.judge.pair_plan import DEFAULT_BASELINE, PairSelection
from mtbench_tui.core.judge.plan import Estimate, Plan, PlanOptions
from mtbench_tui.core.judge.pricing import PriceTable
from mtbench_tui.core.judge.runtypes import RunConfig, Totals
from mtbench_tui.core.store.judge_runs import RunUsage
from mtbench_tui.core.store.judging import Failure

DEFAULT_ENDPOINT = "https://api.openai.com/v1"
"""Where requests go without --base-url or $OPENAI_BASE_URL."""


def resolve_base_url(base_url: str | None) -> str | None:
    """The base URL for the client: the explicit one, else $OPENAI_BASE_URL, else None (OpenAI).

    Args:
        base_url: --base-url, or None.

    Returns:
        The base URL, or None for OpenAI's default.
    """
    return base_url or os.environ.get("OPENAI_BASE_URL") or None


def endpoint_of(base_url: str | None) -> str:
    """The endpoint as recorded and cached: scheme, host and path (never credentials or a query).

    Args:
        base_url: --base-url, or None.

    Returns:
        For example ``http://127.0.0.1:8000/v1``.
    """
    parts = urlsplit(resolve_base_url(base_url) or DEFAULT_ENDPOINT)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


@dataclass(frozen=True, kw_only=True)
class JudgeJob:
    """Everything a judge run needs: which judge, where, what to judge, and how."""

    judge_model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    mode: str = "single"
    """single (a 1-10 score per turn) or pair (FastChat's pairwise comparison, both orders)."""
    prompts_file: Path | None = None
    prompt_family: str | None = None
    pairs: PairSelection = field(default_factory=lambda: PairSelection(baseline=DEFAULT_BASELINE))
    models: tuple[str, ...] | None = None
    questions: tuple[int, ...] | None = None
    turns: tuple[int, ...] = (1, 2)
    concurrency: int = 8
    processes: int | None = None
    timeout: float = 120.0
    backoff: Backoff = field(default_factory=Backoff)
    strict: bool = False
    seed: int | None = None
    temperature: float = 0.0
    max_tokens: int = 2048
    force: bool = False
    refresh_cache: bool = False
    reference_source: str | None = None
    max_requests: int | None = None
    batch: bool = False
    dry_run: bool = False
    prices: PriceTable = field(default_factory=PriceTable)
    purpose: str = "online"
    """Recorded as the run's mode: online, or rejudge for the app's j key."""
    note: str = ""
    """Recorded with the run's parameters (what a re-judge was for)."""

    @property
    def endpoint(self) -> str:
        """The endpoint as recorded and cached."""
        return endpoint_of(self.base_url)

    def run_config(self) -> RunConfig:
        """How the runner calls the judge."""
        return RunConfig(
            judge_model=self.judge_model,
            base_url=resolve_base_url(self.base_url),
            api_key_env=self.api_key_env,
            concurrency=self.concurrency,
            timeout=self.timeout,
            backoff=self.backoff,
            strict=self.strict,
            seed=self.seed,
        )

    def plan_options(self) -> PlanOptions:
        """What the planner selects."""
        return PlanOptions(
            judge_model=self.judge_model,
            endpoint=self.endpoint,
            models=list(self.models) if self.models else None,
            questions=list(self.questions) if self.questions else None,
            turns=self.turns,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            force=self.force,
            refresh_cache=self.refresh_cache,
            reference_source=self.reference_source,
            max_requests=self.max_requests,
        )

    def params(self) -> dict[str, Any]:
        """The settings kept with the run record."""
        out: dict[str, Any] = {
            "mode": self.mode,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "concurrency": self.concurrency,
            "strict": self.strict,
            "turns": list(self.turns),
            "force": self.force,
            "refresh_cache": self.refresh_cache,
            "max_requests": self.max_requests,
        }
        if self.mode == "pair":
            out["pairs"] = asdict(self.pairs)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class BatchSubmitted:
    """A batch handed to the Batch API, to collect later."""

    batch_id: str
    input_file_id: str
    requests: int
    file: str
    status: str


@dataclass(frozen=True)
class JobSummary:
    """What a judge job did: its plan and, when it ran, this run's counts, usage and failures."""

    status: str
    """planned (dry run), declined, nothing-to-do, finished or submitted (batch)."""
    plan: Plan
    estimate: Estimate
    judge: str
    family: str
    endpoint: str
    mode: str = "single"
    run_id: int | None = None
    totals: Totals = field(default_factory=Totals)
    usage: RunUsage | None = None
    failures: tuple[Failure, ...] = ()
    """This run's failures only."""
    errors: tuple[str, ...] = ()
    """Workers that failed as a whole."""
    seconds: float = 0.0
    batch: BatchSubmitted | None = None
    aborted_runs: tuple[int, ...] = ()
    """Earlier runs whose process had died; this run closed them as aborted."""

    @property
    def complete(self) -> bool:
        """True when every planned item got a reply (a reply without a verdict counts)."""
        return self.totals.failed == 0 and not self.errors

    def to_json(self, failures_limit: int = 100) -> dict[str, Any]:
        """The summary as JSON-ready values (the schema of ``judge --json``)."""
        t, u = self.totals, self.usage
        return {
            "run_id": self.run_id,
            "status": self.status,
            "mode": self.mode,
            "judge": self.judge,
            "prompt_family": self.family,
            "endpoint": self.endpoint,
            "sent": t.sent,
            "reused_from_cache": t.cached,
            "ok": t.ok,
            "no_verdict": t.no_verdict,
            "cached": t.cached,
            "failed": t.failed,
            "retries": t.retries,
            "comparisons": t.comparisons,
            "requests": u.requests if u else 0,
            "attempts": u.attempts if u else 0,
            "prompt_tokens": t.prompt_tokens,
            "completion_tokens": t.completion_tokens,
            "cost_usd": u.cost_usd if u else None,
            "cost_known": t.priced,
            "seconds": round(self.seconds, 3),
            "errors": list(self.errors),
            "aborted_runs": list(self.aborted_runs),
            "batch": asdict(self.batch) if self.batch else None,
            "failures": [f._asdict() for f in self.failures[:failures_limit]],
        }
