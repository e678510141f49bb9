"""Credentials go only to the configured helpdesk origin, whatever URL a response names.

A stand-in API on loopback answers the first page with a pagination link to a second server on another
port (another origin); that server records whether any request, with or without credentials, reached it.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from empathy_cues.errors import HelpdeskError
from empathy_cues.helpdesks.freshdesk.client import FreshdeskClient
from empathy_cues.helpdesks.zendesk.client import ZendeskClient
from empathy_cues.core.write_plan import WritePlan

from .fixtures_helpdesks import TEST_TIMEOUT


class _Server:
    def __init__(self, answer) -> None:
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization")})
                status, headers, body = answer(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                data = json.dumps(body).encode()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _any

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def elsewhere():
    server = _Server(lambda path: (200, {}, {"comments": [], "next_page": None, "conversations": []}))
    yield server
    server.close()


PLAN = WritePlan(helpdesk="x", ticket_id="5", add_tags=("empathy_apology",), note_text="n\nempathy-cues ref: ec-1",
                 note_html="<p>n</p>", marker="ec-1", priority=True)


def test_freshdesk_does_not_follow_a_pagination_link_to_another_origin(elsewhere):
    def answer(path):
        if "/conversations" in path:
            return 200, {"Link": f'<{elsewhere.url}/api/v2/tickets/5/conversations?page=2>; rel="next"'}, \
                [{"body": "hi", "id": 1}]
        return 200, {}, {"id": 5, "tags": []}

    api = _Server(answer)
    try:
        client = FreshdeskClient(domain="acme", api_key="fd-secret-key", api_url=api.url, timeout=TEST_TIMEOUT)
        with pytest.raises(HelpdeskError):
            client.apply(PLAN)
    finally:
        api.close()
    assert elsewhere.requests == []


def test_zenpy_does_not_follow_next_page_to_another_origin(elsewhere):
    def answer(path):
        if "/comments" in path:
            return 200, {}, {"comments": [{"id": 1, "body": "hi", "public": True, "author_id": 3}],
                             "next_page": f"{elsewhere.url}/api/v2/tickets/5/comments.json?page=2",
                             "count": 2}
        return 200, {}, {"ticket": {"id": 5, "tags": []}}

    api = _Server(answer)
    try:
        client = ZendeskClient(subdomain="acme", email="bot@acme.test", api_token="zd-secret-token", api_url=api.url,
                               timeout=TEST_TIMEOUT)
        with pytest.raises(HelpdeskError) as err:
            client.apply(PLAN)
        assert "not the configured" in str(err.value)
    finally:
        api.close()
    assert elsewhere.requests == []
