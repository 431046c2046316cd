"""A Hugging Face Hub endpoint on loopback serving a repository from files: the three calls
`hf download` makes (tree listing, HEAD and GET of /resolve/), answered from a dict of files."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "1605565b47bb9346c5515c34102e054115b4f98b"


class Hub(ThreadingHTTPServer):
    files: dict[str, bytes]
    requests: list[str]


class _Handler(BaseHTTPRequestHandler):
    server: Hub

    def log_message(self, format: str, *args: object) -> None:
        self.server.requests.append(f"{self.command} {self.path}")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        files = self.server.files
        if path.startswith("/api/models/") and "/tree/" in path:
            listing = [
                {"type": "file", "path": k, "size": len(v), "oid": hashlib.sha1(v).hexdigest()}
                for k, v in files.items()
            ]
            self._send(200, json.dumps(listing).encode(), "application/json")
        elif "/resolve/" in path:
            name = path.split("/resolve/", 1)[1].split("/", 1)[1]
            if name in files:
                self._send(200, files[name], "application/octet-stream")
            else:
                self._send(404, b"", "text/plain")
        else:
            self._send(404, b"", "text/plain")

    def _send(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Repo-Commit", COMMIT)
        if code == 200 and kind == "application/octet-stream":
            self.send_header("ETag", f'"{hashlib.sha1(body).hexdigest()}"')
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve(files: dict[str, bytes]) -> Iterator[Hub]:
    hub = Hub(("127.0.0.1", 0), _Handler)
    hub.files, hub.requests = files, []
    thread = threading.Thread(target=hub.serve_forever, daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        hub.shutdown()
        hub.server_close()
        thread.join()
