"""Judge work items and the records of their outcomes: values shared by the judge and the store.

This module imports nothing from the project, so the store can take these types from the
judge without importing the judge (which imports the store).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PairSide:
    """What makes a work item one order of a pairwise comparison."""

    model_2: str
    order: str
    """FastChat's presentation order: ``g1`` shows model_1 as A, ``g2`` shows model_2 as A."""
    sibling_key: str
    """Cache key of the other order's request; the comparison is complete when both replied."""
    sibling_user_prompt: str

    @property
    def shown_a(self) -> str:
        """Which model FastChat calls the one shown as A: model_1 in g1, model_2 in g2."""
        return "model_1" if self.order == "g1" else "model_2"


@dataclass(frozen=True)
class WorkItem:
    """One request to make: a turn of an answer (single) or one order of a comparison (pair)."""

    question_id: int
    model: str
    turn: int
    judge: str
    judge_model: str
    prompt: str
    request: dict[str, Any]
    cache_key: str
    pair: PairSide | None = None
    """Set for pairwise items; ``model`` is then FastChat's model_1."""

    @property
    def user_prompt(self) -> str:
        """The filled template the judge sees (stored with the verdict, as FastChat does)."""
        messages = self.request["messages"]
        return next(str(m["content"]) for m in reversed(messages) if m["role"] == "user")

    @property
    def model_2(self) -> str:
        """The second model of a comparison, '' for a single-answer item."""
        return self.pair.model_2 if self.pair else ""

    @property
    def order(self) -> str:
        """'g1' or 'g2' for a comparison, '' for a single-answer item."""
        return self.pair.order if self.pair else ""

    def label(self) -> str:
        """'Q81 vicuna-13b turn 2', or 'Q81 a vs b turn 1 (g2)', for messages."""
        if self.pair is None:
            return f"Q{self.question_id} {self.model} turn {self.turn}"
        pair = f"{self.model} vs {self.pair.model_2}"
        return f"Q{self.question_id} {pair} turn {self.turn} ({self.order})"


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


def request_body(
    judge_model: str, messages: list[dict[str, str]], temperature: float, max_tokens: int
) -> dict[str, Any]:
    """The chat-completions request body.

    Args:
        judge_model: the model to call.
        messages: the chat messages.
        temperature: sampling temperature.
        max_tokens: completion limit.

    Returns:
        The JSON body, exactly as it is sent and cached.
    """
    return {
        "model": judge_model,
        "messages": messages,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }


def cache_key(endpoint: str, body: dict[str, Any]) -> str:
    """A digest of the exact request (endpoint and body; never the API key).

    Args:
        endpoint: the endpoint as recorded (scheme, host, path).
        body: the request body.

    Returns:
        A hex SHA-256 digest.
    """
    canonical = json.dumps(
        {"endpoint": endpoint, "body": body},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
