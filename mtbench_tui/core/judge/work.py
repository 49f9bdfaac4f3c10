"""A unit of judging work: one turn of one answer, the exact request for it, and the key its response is cached under."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One verdict to obtain."""

    question_id: int
    model: str
    turn: int
    judge: str
    judge_model: str
    prompt: str
    request: dict[str, Any]
    cache_key: str

    @property
    def user_prompt(self) -> str:
        """The filled template the judge sees (stored with the verdict, as FastChat does)."""
        return next(m["content"] for m in reversed(self.request["messages"]) if m["role"] == "user")

    def label(self) -> str:
        """'Q81 vicuna-13b turn 2' for messages."""
        return f"Q{self.question_id} {self.model} turn {self.turn}"


def request_body(
    judge_model: str, messages: list[dict[str, str]], temperature: float, max_tokens: int
) -> dict[str, Any]:
    """The chat-completions request body."""
    return {
        "model": judge_model,
        "messages": messages,
        "temperature": temperature,
        "max_tokens": max_tokens,
    }


def cache_key(endpoint: str, body: dict[str, Any]) -> str:
    """A digest of the exact request (endpoint and body; never the API key)."""
    canonical = json.dumps(
        {"endpoint": endpoint, "body": body},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
