"""A real HTTP server on loopback standing in for the Fakedesk API: records every call, keeps tickets."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakedeskStandin:
    def __init__(self, token: str = "fk-token", agent_id: int = 42) -> None:
        self.token, self.agent_id = token, agent_id
        self.calls: list[tuple[str, str, dict | None]] = []
        self.tags: dict[str, list[str]] = {}
        self.notes: dict[str, list[dict]] = {}
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                standin._serve(self, "GET")

            def do_POST(self) -> None:
                standin._serve(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "FakedeskStandin":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length)) if length else None
        self.calls.append((method, handler.path, body))
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self._answer(handler, 401, {"error": "unauthorised"})
        if method == "GET" and handler.path == "/api/me":
            return self._answer(handler, 200, {"id": self.agent_id})
        found = re.fullmatch(r"/api/tickets/(\d+)/(notes|tags)", handler.path)
        if not found:
            return self._answer(handler, 404, {"error": "not_found"})
        ticket, what = found.groups()
        if method == "GET" and what == "notes":
            return self._answer(handler, 200, self.notes.get(ticket, []))
        if what == "tags":
            self.tags.setdefault(ticket, []).extend(t for t in body["tags"] if t not in self.tags.get(ticket, []))
            return self._answer(handler, 200, {"tags": self.tags[ticket]})
        self.notes.setdefault(ticket, []).append(body)
        return self._answer(handler, 201, body)

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, data) -> None:
        raw = json.dumps(data).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)
