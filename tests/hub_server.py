"""A loopback HTTP server imitating the Hugging Face hub's listing and download endpoints.

Serves ``GET /api/{type}s/{repo}/tree/{revision}`` (the listing ``list_repo_files`` reads)
and ``HEAD``/``GET /{datasets/|spaces/}{repo}/resolve/{revision}/{path}`` with the
``X-Repo-Commit`` and ``ETag`` headers ``hf_hub_download`` relies on. Every request is
recorded (method, path, Authorization) for assertions.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class FakeHub:
    """Files by (repo type, repo id, path), and the requests received."""

    files: dict[tuple[str, str, str], Path]
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    url: str = ""

    def handle(
        self, method: str, raw_path: str, auth: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request: status, headers and body."""
        self.requests.append((method, raw_path, auth))
        path = unquote(urlparse(raw_path).path)
        if path.startswith("/api/"):
            return self._tree(path)
        return self._resolve(path)

    def _tree(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """The recursive listing of a repository."""
        kind, rest = path[len("/api/") :].split("/", 1)
        repo, _, _revision = rest.partition("/tree/")
        entries = [
            {"type": "file", "oid": _sha1(p), "size": p.stat().st_size, "path": name}
            for (t, r, name), p in self.files.items()
            if f"{t}s" == kind and r == repo
        ]
        if not entries:
            return 404, {"X-Error-Code": "RepoNotFound"}, b'{"error": "Repository not found"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(entries).encode()

    def _resolve(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """A file download (``/resolve/``), with the hub's metadata headers."""
        kind = "model"
        for prefix, name in (("/datasets/", "dataset"), ("/spaces/", "space")):
            if path.startswith(prefix):
                kind, path = name, "/" + path[len(prefix) :]
        repo, _, tail = path[1:].partition("/resolve/")
        _revision, _, name = tail.partition("/")
        source = self.files.get((kind, repo, name))
        if source is None:
            return 404, {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT}, b"not found"
        body = source.read_bytes()
        headers = {
            "X-Repo-Commit": COMMIT,
            "ETag": f'"{_sha1(source)}"',
            "Content-Type": "application/octet-stream",
        }
        return 200, headers, body


def _sha1(path: Path) -> str:
    """A stable ETag for a file."""
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one FakeHub."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, send_body: bool) -> None:
            status, headers, body = hub.handle(
                self.command, self.path, self.headers.get("Authorization")
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Stay quiet."""

    return Handler


@contextmanager
def serve(hub: FakeHub) -> Iterator[FakeHub]:
    """Run the fake hub on 127.0.0.1 for the duration of a ``with`` block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
