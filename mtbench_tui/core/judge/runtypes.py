"""What a judge run is configured with, and what it reports: RunConfig, Event, Totals."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from mtbench_tui.core.judge.client import Backoff


@dataclass(frozen=True, kw_only=True)
class RunConfig:
    """How to call the judge."""

    judge_model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = 8
    timeout: float = 120.0
    backoff: Backoff = field(default_factory=Backoff)
    strict: bool = False
    seed: int | None = None


@dataclass(frozen=True)
class Event:
    """Progress: kind is ok, no_verdict, cached, failed or retry; label names the item.

    ``locked`` says a write waits for another program's lock on the database (nothing is
    lost; it lands when the lock goes), and ``unlocked`` that it has landed.
    """

    kind: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class Totals:
    """What a run did, counted per request (one order of a comparison is one request)."""

    ok: int = 0
    """Replies received with a verdict."""
    no_verdict: int = 0
    """Replies received without one (kept with their text)."""
    cached: int = 0
    """Replies reused from the cache: identical earlier requests, not sent again."""
    failed: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = True
    comparisons: int = 0
    """Pairwise comparisons stored (both orders answered)."""

    def __add__(self, other: Totals) -> Totals:
        """Both runs' counts together (a run split across workers)."""
        summed = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "priced"
        }
        return Totals(**summed, priced=self.priced and other.priced)

    def bump(self, **deltas: int | float) -> Totals:
        """These counts plus ``deltas``."""
        return replace(self, **{k: getattr(self, k) + v for k, v in deltas.items()})

    @property
    def sent(self) -> int:
        """Requests sent to the judge (answered or failed)."""
        return self.ok + self.no_verdict + self.failed

    @property
    def done(self) -> int:
        """Items finished, one way or another."""
        return self.sent + self.cached


def api_key(config: RunConfig) -> str:
    """The key from the environment, or a placeholder for a keyless local server.

    Args:
        config: names the variable and the endpoint.

    Returns:
        The key; "no-key" when it is unset and an explicit base URL is given
        (vLLM, Ollama and friends usually accept any key).

    Raises:
        ValueError: no key is set for OpenAI itself.
    """
    key = os.environ.get(config.api_key_env)
    if key:
        return key
    if config.base_url:
        return "no-key"
    raise ValueError(f"set ${config.api_key_env} (or choose another variable with --api-key-env)")
