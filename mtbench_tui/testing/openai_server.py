"""A loopback server speaking enough of the OpenAI API to judge: chat completions, files, batches.

It answers from a replay table (user prompt -> judgment text) or a default verdict,
simulates latency, injects faults on request, and records what it received and the
highest concurrency it saw, so tests can check the client's behaviour from the
server's side.

    with LoopbackOpenAI(latency=0.1) as server:
        client = OpenAI(base_url=server.base_url, api_key="test")
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Fault = str
"""One of: "429", "500", "400", "timeout", "malformed", "empty", "disconnect", "echo-auth"."""


@dataclass
class ServerState:
    """What the server has seen, and how it should answer."""

    latency: float = 0.0
    replay: dict[str, str] = field(default_factory=dict)
    default_reply: Callable[[list[dict[str, Any]]], str] = lambda messages: canned_reply(messages)
    faults: deque[Fault] = field(default_factory=deque)
    fault_for: Callable[[dict[str, Any], int], Fault | None] | None = None
    retry_after: float = 0.05
    timeout_sleep: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply_for(self, messages: list[dict[str, Any]]) -> str:
        """The judgment text for a request: replayed when the user prompt is known."""
        user = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        return self.replay[user] if user in self.replay else self.default_reply(messages)


def canned_reply(messages: list[dict[str, Any]]) -> str:
    """A plausible verdict: a 1-10 rating, or for a pairwise prompt A, B or C by its hash."""
    text = "".join(str(m.get("content") or "") for m in messages)
    if "[[A]]" not in text:
        return "Reasonable answer.\n\nRating: [[5]]"
    letter = "ABC"[int(hashlib.sha256(text.encode()).hexdigest(), 16) % 3]
    return f"Both answers address the question; one is somewhat clearer.\n\n[[{letter}]]"


def completion_body(model: str, content: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A chat.completion object with rough token counts (4 characters a token)."""
    prompt_tokens = sum(len(m.get("content") or "") for m in messages) // 4 + 1
    completion_tokens = len(content) // 4 + 1
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class _Handler(BaseHTTPRequestHandler):
    """Routes /v1/chat/completions, /v1/files and /v1/batches."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, the body waits for a
    # delayed ACK and every response gains ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature fixed by the base class
        """Stay quiet."""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any, extra: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data).encode(), extra=extra)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        """Chat completions, file uploads and batch creation."""
        path = self.path.split("?")[0]
        body = self._body()
        if path.endswith("/chat/completions"):
            self._chat(json.loads(body))
        elif path.endswith("/files"):
            self._upload(body)
        elif path.endswith("/batches"):
            self._create_batch(json.loads(body))
        else:
            self._json(404, {"error": {"message": f"no route {path}"}})

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        """Batch status and file contents."""
        state = self.server.state
        parts = self.path.split("?")[0].rstrip("/").split("/")
        if "batches" in parts and parts[-1] != "batches":
            batch = state.batches.get(parts[-1])
            self._json(200 if batch else 404, batch or {"error": {"message": "no such batch"}})
        elif len(parts) >= 2 and parts[-1] == "content" and parts[-2] in state.files:
            self._send(200, state.files[parts[-2]], "application/octet-stream")
        else:
            self._json(404, {"error": {"message": "not found"}})

    def _chat(self, request: dict[str, Any]) -> None:
        state = self.server.state
        with state.lock:
            state.requests.append(request)
            state.headers.append(dict(self.headers))
            number = len(state.requests)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            fault = state.faults.popleft() if state.faults else None
        if fault is None and state.fault_for is not None:
            fault = state.fault_for(request, number)
        try:
            time.sleep(state.latency)
            self._answer(request, fault)
        finally:
            with state.lock:
                state.in_flight -= 1

    def _answer(self, request: dict[str, Any], fault: Fault | None) -> None:
        state = self.server.state
        if fault == "429":
            self._json(
                429,
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                {"Retry-After": f"{state.retry_after}"},
            )
        elif fault == "500":
            self._json(
                500, {"error": {"message": "The server had an error", "type": "server_error"}}
            )
        elif fault == "timeout":
            time.sleep(state.timeout_sleep)
            self._json(
                200,
                completion_body(
                    request["model"], state.reply_for(request["messages"]), request["messages"]
                ),
            )
        elif fault == "malformed":
            self._send(200, b'{"id": "chatcmpl-x", "choices": [ {"message": ')
        elif fault == "400":
            self._json(
                400,
                {
                    "error": {
                        "message": "Invalid request: 'messages' is malformed",
                        "type": "invalid_request",
                    }
                },
            )
        elif fault == "echo-auth":
            # A badly behaved server that repeats the credentials it was sent.
            self._json(
                401,
                {
                    "error": {
                        "message": f"Incorrect API key: {self.headers.get('Authorization', '')}"
                    }
                },
            )
        elif fault == "disconnect":
            self.close_connection = True
            self.connection.close()
        else:
            content = "" if fault == "empty" else state.reply_for(request["messages"])
            self._json(200, completion_body(request["model"], content, request["messages"]))

    def _upload(self, body: bytes) -> None:
        """A multipart upload: keep the file part's bytes."""
        boundary = self.headers.get("Content-Type", "").split("boundary=")[-1].strip('"').encode()
        content = b""
        for part in body.split(b"--" + boundary):
            if b'name="file"' in part:
                content = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
        file_id = f"file-{uuid.uuid4().hex[:12]}"
        self.server.state.files[file_id] = content
        self._json(
            200,
            {
                "id": file_id,
                "object": "file",
                "bytes": len(content),
                "created_at": int(time.time()),
                "filename": "input.jsonl",
                "purpose": "batch",
                "status": "processed",
            },
        )

    def _create_batch(self, request: dict[str, Any]) -> None:
        """Run every request of the batch at once and publish the output file."""
        state = self.server.state
        lines = state.files[request["input_file_id"]].decode().splitlines()
        output = []
        for line in filter(None, lines):
            item = json.loads(line)
            body = item["body"]
            with state.lock:
                state.requests.append(body)
            content = state.reply_for(body["messages"])
            output.append(
                {
                    "id": f"batch_req_{uuid.uuid4().hex[:8]}",
                    "custom_id": item["custom_id"],
                    "response": {
                        "status_code": 200,
                        "request_id": "req",
                        "body": completion_body(body["model"], content, body["messages"]),
                    },
                    "error": None,
                }
            )
        out_id = f"file-{uuid.uuid4().hex[:12]}"
        state.files[out_id] = "".join(json.dumps(o) + "\n" for o in output).encode()
        batch_id = f"batch_{uuid.uuid4().hex[:12]}"
        now = int(time.time())
        state.batches[batch_id] = {
            "id": batch_id,
            "object": "batch",
            "endpoint": request["endpoint"],
            "errors": None,
            "input_file_id": request["input_file_id"],
            "completion_window": request["completion_window"],
            "status": "completed",
            "output_file_id": out_id,
            "error_file_id": None,
            "created_at": now,
            "completed_at": now,
            "request_counts": {"total": len(output), "completed": len(output), "failed": 0},
        }
        self._json(200, {**state.batches[batch_id], "status": "validating", "output_file_id": None})


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that carries the shared state."""

    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout, a killed run) is expected; anything else is shown."""
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)

    def __init__(self, state: ServerState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state


class LoopbackOpenAI:
    """Start the server on a free 127.0.0.1 port for the duration of a ``with`` block."""

    def __init__(self, latency: float = 0.0, replay: dict[str, str] | None = None) -> None:
        self.state = ServerState(latency=latency, replay=dict(replay or {}))
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LoopbackOpenAI:
        self._server = _Server(self.state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="loopback-openai", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL, e.g. http://127.0.0.1:54321/v1."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"


def serve_forever(port: int = 8765, latency: float = 0.2) -> None:
    """Run a server in the foreground (for trying `mtbench-review judge` offline)."""
    server = _Server(ServerState(latency=latency), port)
    print(f"Loopback OpenAI-compatible server on http://127.0.0.1:{port}/v1 (Ctrl+C stops)")
    server.serve_forever()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(
        description="A loopback OpenAI-compatible server for trying the judge offline."
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each completion takes")
    args = parser.parse_args()
    serve_forever(args.port, args.latency)
