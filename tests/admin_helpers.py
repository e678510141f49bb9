"""Shared by the admin page tests: a real HTTP server on loopback for an app, and signing in over HTTP."""
from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager

import requests

TOKEN = "admin-page-test-token-4f1c9a7e2b6d8035"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def served(app):
    """``app`` behind werkzeug's threaded server on 127.0.0.1 (a real socket, real HTTP): its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token field on the page"
    return found.group(1)


def signed_in(base: str, token: str = TOKEN, **headers) -> requests.Session:
    """A requests session signed in through the form, as a browser would."""
    http = requests.Session()
    page = http.get(f"{base}/admin/sign-in", timeout=10)
    answer = http.post(f"{base}/admin/sign-in", data={"csrf_token": csrf_of(page.text), "token": token},
                       headers=headers, allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text[:500]
    return http


def inside_one_sign_in_window(seconds: float = 25.0) -> None:
    """Wait, if need be, until the sign-in count's minute has ``seconds`` left: the count is per fixed
    minute (service/web/admin/throttle.py), so tries that straddle a minute's edge rightly start anew."""
    from empathy_cues.service.web.admin.throttle import WINDOW_SECONDS

    left = WINDOW_SECONDS - time.time() % WINDOW_SECONDS
    if left < seconds:
        time.sleep(left + 0.5)
