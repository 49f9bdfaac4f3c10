"""Calling an OpenAI-compatible endpoint: bounded retries, backoff with jitter, Retry-After."""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import random
import socket
import ssl
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import openai

RETRY_STATUS = {408, 409, 429}
MAX_RETRY_AFTER_S = 120.0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff, full jitter: attempt n waits up to min(cap, base * 2**n) at random."""

    base: float = 0.5
    cap: float = 30.0
    max_retries: int = 6

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before retry ``attempt`` (0-based); never less than Retry-After."""
        jittered = rng.uniform(0, min(self.cap, self.base * 2**attempt))
        return max(jittered, retry_after or 0.0)


@dataclass(frozen=True)
class Completion:
    """A judge's reply and what it cost."""

    content: str
    prompt_tokens: int | None
    completion_tokens: int | None
    attempts: int
    latency_s: float


class CallFailed(Exception):
    """No usable reply after the allowed attempts; ``reason`` says why."""

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


class Redactor:
    """Removes the API key from any text before it is stored, logged or shown."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret if secret and len(secret) >= 4 else None

    def __call__(self, text: str) -> str:
        """The text with every occurrence of the key replaced."""
        return text.replace(self.secret, "[redacted]") if self.secret else text


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context per process (loading the CA bundle takes ~70 ms)."""
    return ssl.create_default_context()


def make_client(
    base_url: str | None, api_key: str, timeout: float, connections: int
) -> openai.AsyncOpenAI:
    """An AsyncOpenAI client on the SDK's aiohttp transport, leaving retries to us.

    The aiohttp backend (the openai[aiohttp] extra) spends about a third less CPU per
    request than the default one, which is what limits throughput at high concurrency.
    Retries are ours so that Retry-After is honoured and every failure is recorded.
    """
    import httpx2
    import openai

    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections)
    # A plain-http endpoint (a local vLLM or Ollama) never uses TLS: skip loading the CA bundle.
    plain = bool(base_url) and str(base_url).startswith("http://")
    http_client = openai.DefaultAioHttpClient(
        limits=limits, timeout=timeout, verify=False if plain else _tls_context()
    )
    return openai.AsyncOpenAI(
        base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0, http_client=http_client
    )


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, or Retry-After: seconds or a date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if headers.get("retry-after-ms"):
        try:
            return min(float(headers["retry-after-ms"]) / 1000, MAX_RETRY_AFTER_S)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        try:
            return min(
                max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S
            )
        except (TypeError, ValueError):
            return None


async def _chat(client: openai.AsyncOpenAI, body: dict[str, Any]) -> Any:
    """POST /chat/completions through the client's documented low-level API.

    ``client.chat.completions.create`` re-validates its arguments against the typed schema
    on every call, which costs about a millisecond of CPU; the body here is plain JSON we
    built ourselves, so the client's ``post`` sends it as is. Authentication, base URL,
    timeouts and the mapping of HTTP errors to openai exceptions are unchanged.
    """
    import httpx2

    response = await client.post("/chat/completions", body=body, cast_to=httpx2.Response)
    return json.loads(response.content)


def content_and_usage(reply: Any) -> tuple[str | None, dict[str, Any]]:
    """The first choice's message content and the usage block of a chat.completion."""
    if not isinstance(reply, dict):
        raise json.JSONDecodeError("not a chat.completion object", str(reply)[:50], 0)
    choices = reply.get("choices") or []
    message = choices[0].get("message") if choices and isinstance(choices[0], dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    usage: dict[str, Any] = reply["usage"] if isinstance(reply.get("usage"), dict) else {}
    return (content if isinstance(content, str) else None), usage


def _classify(exc: BaseException, redact: Redactor) -> tuple[bool, str]:
    """(retryable, reason) for an exception from the client, named for what really happened."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message = _error_message(exc)
        return status in RETRY_STATUS or status >= 500, redact(f"HTTP {status}: {message}")
    if isinstance(exc, openai.APIConnectionError):
        # The aiohttp transport reports every connection problem as a timeout; the cause
        # chain says what it was.
        return True, redact(_connection_reason(exc))
    if isinstance(exc, (json.JSONDecodeError, openai.APIResponseValidationError)):
        return True, "malformed response (not valid JSON for a chat completion)"
    return False, redact(f"{type(exc).__name__}: {exc}")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from, innermost last."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 16:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connection_reason(exc: BaseException) -> str:
    """'connection refused', 'host not found', 'request timed out' ... from the cause chain."""
    import openai

    chain = _causes(exc)
    for cause in chain:
        for err in (cause, getattr(cause, "os_error", None)):  # aiohttp keeps it in os_error
            reason = _socket_reason(err, exc)
            if reason:
                return reason
        if type(cause).__name__ == "ServerDisconnectedError":
            return "the server closed the connection without a reply"
    timed_out = any(isinstance(c, TimeoutError) for c in chain[1:])
    if timed_out or (len(chain) == 1 and isinstance(exc, openai.APITimeoutError)):
        return "request timed out"
    return f"connection error: {chain[-1]}" if len(chain) > 1 else "connection error"


def _socket_reason(err: object, exc: BaseException) -> str | None:
    """A reason for a socket-level error, or None when it is not one we can name."""
    if isinstance(err, ConnectionRefusedError) or (
        isinstance(err, OSError) and err.errno == errno.ECONNREFUSED
    ):
        return f"connection refused by {_where(exc)}"
    if isinstance(err, socket.gaierror):
        return f"host not found: {_where(exc)}"
    if isinstance(err, ssl.SSLError):
        return f"TLS error: {err}"
    if isinstance(err, (ConnectionResetError, BrokenPipeError)):
        return "connection reset by the server"
    return None


def _where(exc: BaseException) -> str:
    """host:port of the failed request, when the exception knows it."""
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None)
    host = getattr(url, "host", None)
    if not host:
        return "the endpoint"
    port = getattr(url, "port", None)
    return f"{host}:{port}" if port else str(host)


def _error_message(exc: openai.APIStatusError) -> str:
    """The server's error message, briefly."""
    body: Any = exc.body
    if isinstance(body, dict):
        body = body.get("error", body)
        if isinstance(body, dict):
            body = body.get("message", body)
    return str(body or exc.message)[:300]


async def complete(
    client: openai.AsyncOpenAI,
    body: dict[str, Any],
    backoff: Backoff,
    redact: Redactor,
    rng: random.Random,
    on_retry: Any = None,
) -> Completion:
    """One chat completion, retried on 429, 5xx, timeouts, connection errors, bad or empty replies.

    Raises:
        CallFailed: after ``backoff.max_retries`` retries, or at once when retrying can't help.
    """
    start = time.perf_counter()
    for attempt in range(backoff.max_retries + 1):
        try:
            reply = await _chat(client, body)
            content, usage = content_and_usage(reply)
            if content and content.strip():
                return Completion(
                    content,
                    usage.get("prompt_tokens"),
                    usage.get("completion_tokens"),
                    attempt + 1,
                    time.perf_counter() - start,
                )
            retryable, reason, wait_hint = True, "empty response content", None
        except Exception as exc:  # noqa: BLE001 - every failure is classified and recorded
            retryable, reason = _classify(exc, redact)
            wait_hint = _retry_after(exc)
        if not retryable or attempt == backoff.max_retries:
            raise CallFailed(
                reason if attempt == 0 else f"{reason} (after {attempt + 1} attempts)", attempt + 1
            )
        if on_retry is not None:
            on_retry(reason)
        await asyncio.sleep(backoff.delay(attempt, wait_hint, rng))
    raise AssertionError("unreachable")
