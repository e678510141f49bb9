"""End to end through the real `empathy-cues serve` process (gunicorn + huey on a SQLite file) and the
Zendesk and Freshdesk stand-in APIs on loopback, driven by the real zenpy and requests clients.

Nothing is patched: each test starts `serve` in a subprocess with the helpdesks' API URLs pointed at
the stand-ins, posts signed webhooks, and asserts on what the stand-in helpdesk ends up holding
(tags, private notes) and on the calls it recorded.

Waiting: positive outcomes are polled with a deadline. Negative ones ("no note") use a barrier: the
server runs ONE queue worker (EMPATHY_WORKERS=1), so the queue is FIFO, and once a sentinel event
posted afterwards has its note, every event queued before it has been handled.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from empathy_cues import analyze
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

from .conftest import FRESHDESK_SECRET, SAMPLES, ZENDESK_SECRET, sample_bytes, sample_json, service_env
from .standin import FreshdeskStandin, ZendeskStandin

# Real `serve` processes (gunicorn + worker) per test: the outer loop.
pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).with_name("empathy-cues"))
REPO = Path(__file__).resolve().parent.parent
API_USER_ID = 900                    # the stand-in Zendesk's /users/me: the plugin's own API user
SENTINEL_TICKET = 9999
SENTINEL_TEXT = "I have asked three times and it still does not work. This is so frustrating."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy or the deadline passes; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class Server:
    """One `empathy-cues serve` subprocess in its own process group; its log goes to a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.port, self.proc, self.log_path = env, free_port(), None, log_path
        self._sentinels = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen([EXE, "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                          "--web-workers", "1"], env={**os.environ, **self.env},
                                         stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        finally:
            log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"serve did not start:\n{self.log()}")

    def stop(self, sig=signal.SIGTERM) -> None:
        """Stop the whole process group (serve and its gunicorn child); SIGKILL if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    # -- requests ----------------------------------------------------------------------------------

    def post_zendesk(self, raw: bytes, *, secret: str = ZENDESK_SECRET, ts: str | None = None, signed=True):
        ts = ts or format_timestamp()
        headers = {"Content-Type": "application/json"}
        if signed:
            headers.update({"X-Zendesk-Webhook-Signature": sign(secret, ts, raw),
                            "X-Zendesk-Webhook-Signature-Timestamp": ts})
        return requests.post(self.url + "/webhooks/zendesk", data=raw, headers=headers, timeout=10)

    def post_freshdesk(self, raw: bytes, *, secret: str | None = FRESHDESK_SECRET):
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Empathy-Secret"] = secret
        return requests.post(self.url + "/webhooks/freshdesk", data=raw, headers=headers, timeout=10)

    def health(self) -> dict:
        return requests.get(self.url + "/healthz", timeout=5).json()

    def unfinished_events(self) -> int:
        """Acknowledged events not yet finished, from the state file. Not /healthz's queue count: that
        counts queued tasks, not acknowledged events."""
        import sqlite3

        db = sqlite3.connect(Path(self.env["EMPATHY_DATA_DIR"]) / "state.sqlite3")
        try:
            return db.execute("select count(*) from pending").fetchone()[0]
        finally:
            db.close()

    def barrier(self, zendesk: ZendeskStandin, timeout: float = 20.0) -> None:
        """Post a sentinel event and wait for its note: everything queued before it is handled."""
        if SENTINEL_TICKET not in zendesk.tickets:
            zendesk.add_ticket(SENTINEL_TICKET, comments=[{"body": "hello", "author_id": 382}])
        self._sentinels += 1
        before = len(zendesk.notes(SENTINEL_TICKET))
        r = self.post_zendesk(zendesk_event(SENTINEL_TICKET, 70000 + self._sentinels, SENTINEL_TEXT))
        assert r.status_code == 202 and r.json().get("queued") is True, r.text
        assert wait_for(lambda: len(zendesk.notes(SENTINEL_TICKET)) > before, timeout), \
            f"the sentinel was not processed:\n{self.log()}"


def _barrier_or_setup(call) -> bool:
    """A call the sentinel's event makes (its ticket, its requester's history) or the worker's whoami."""
    return (f"/tickets/{SENTINEL_TICKET}" in call.path or call.path == "/api/v2/users/me"
            or call.path.endswith("/tickets/requested"))


def zendesk_event(ticket_id: int, comment_id: int, body: str, *, tags=(), author_id: str = "382",
                  staff: bool = False, public: bool = True, event_id: str | None = None) -> bytes:
    """An event-subscription payload (zen:event-type:ticket.comment_added) built from the sample."""
    data = sample_json("zendesk", "event_comment_added.json")
    data["id"] = event_id or f"evt-{ticket_id}-{comment_id}"
    data["subject"] = f"zen:ticket:{ticket_id}"
    data["detail"].update(id=str(ticket_id), tags=list(tags), subject="Help")
    data["event"]["comment"] = {"id": str(comment_id), "body": body, "is_public": public,
                                "author": {"id": author_id, "is_staff": staff, "name": "Maria"}}
    return json.dumps(data).encode()


def expected_tags(existing: list[str], sample: dict, *, text_key: str, channel: str, html=None) -> list[str]:
    """The ticket's tags after one apply: the existing ones kept, in order, then ours, each once."""
    analysis = analyze(sample[text_key], subject=sample.get("subject", ""), channel=channel, html=html)
    assert analysis.apology and "empathy_apology" in analysis.tags
    return existing + [t for t in analysis.tags if t not in existing]


def note_calls(zendesk: ZendeskStandin, ticket_id: int) -> list:
    """The Update Ticket calls that carried a comment (the note writes, failed ones included)."""
    return [c for c in zendesk.calls_to("PUT", f"/api/v2/tickets/{ticket_id}")
            if isinstance(c.json, dict) and "comment" in (c.json.get("ticket") or {})]


# -- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture
def zendesk():
    with ZendeskStandin(api_user_id=API_USER_ID) as standin:
        yield standin


@pytest.fixture
def freshdesk():
    with FreshdeskStandin() as standin:
        yield standin


@pytest.fixture
def env(tmp_path, zendesk, freshdesk) -> dict[str, str]:
    return service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url,
                       EMPATHY_FRESHDESK_API_URL=freshdesk.url, EMPATHY_WORKERS="1",
                       EMPATHY_RETRY_BASE_SECONDS="0.5")


@pytest.fixture
def start_server(tmp_path):
    """Factory: start `serve` with an environment; every server started is stopped afterwards."""
    started: list[Server] = []

    def start(env: dict[str, str]) -> Server:
        server = Server(env, tmp_path / f"serve-{len(started)}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(env, start_server) -> Server:
    return start_server(env)


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], env={**os.environ, **env}, cwd=REPO, capture_output=True, text=True,
                          timeout=60)


# -- the happy paths ---------------------------------------------------------------------------------

def test_signed_trigger_payload_adds_tags_and_one_private_note_with_the_cues(server, zendesk):
    sample = sample_json("zendesk", "trigger_comment.json")
    zendesk.add_ticket(1001, tags=["billing", "vip"], subject=sample["subject"],
                       comments=[{"body": sample["latest_comment"], "author_id": 381}])
    r = server.post_zendesk(sample_bytes("zendesk", "trigger_comment.json"))
    assert r.status_code == 202 and r.json()["queued"] is True and r.json()["ticket_id"] == "1001"

    notes = wait_for(lambda: zendesk.notes(1001))
    assert len(notes) == 1, server.log()
    assert zendesk.tickets[1001]["tags"] == expected_tags(["billing", "vip"], sample, text_key="latest_comment",
                                                          channel="email")
    assert {"empathy_apology", "empathy_cue_frustration"} <= set(zendesk.tickets[1001]["tags"])
    note = notes[0]
    assert note["public"] is False and note["author_id"] == API_USER_ID
    for words in ("three times", "still does not", "frustrating", "can't seem to"):   # the customer's words
        assert words in note["body"]
    # The requester's first name greets them (the greeting's wording varies by ticket and text).
    assert "Suggested reply" in note["body"] and re.search(r"\n(?:Hello|Hi|Hey|Dear) Dana\b", note["body"])
    assert "empathy-cues ref: ec-" in note["body"]
    server.barrier(zendesk)
    assert len(zendesk.notes(1001)) == 1 and len(note_calls(zendesk, 1001)) == 1


def test_event_subscription_payload_adds_tags_and_one_private_note(server, zendesk):
    sample = sample_json("zendesk", "event_comment_added.json")
    comment = sample["event"]["comment"]
    zendesk.add_ticket(1002, tags=["billing"], subject="Charged twice",
                       comments=[{"body": comment["body"], "author_id": 382}])
    r = server.post_zendesk(sample_bytes("zendesk", "event_comment_added.json"))
    assert r.status_code == 202 and r.json()["queued"] is True

    notes = wait_for(lambda: zendesk.notes(1002))
    assert len(notes) == 1, server.log()
    flat = {"subject": sample["detail"]["subject"], "text": comment["body"]}
    assert zendesk.tickets[1002]["tags"] == expected_tags(["billing"], flat, text_key="text", channel="web")
    for words in ("charged twice", "really disappointed", "nobody has"):
        assert words in notes[0]["body"]
    assert notes[0]["public"] is False


def test_freshdesk_secret_header_merges_tags_and_posts_one_private_html_note(server, freshdesk, zendesk):
    sample = sample_json("freshdesk", "reply.json")
    freshdesk.add_ticket(2001, tags=["onboarding", "trial"], subject=sample["subject"])
    r = server.post_freshdesk(sample_bytes("freshdesk", "reply.json"))
    assert r.status_code == 202 and r.json()["queued"] is True and r.json()["ticket_id"] == "2001"

    notes = wait_for(lambda: freshdesk.notes(2001))
    assert len(notes) == 1, server.log()
    assert freshdesk.tickets[2001]["tags"] == expected_tags(
        ["onboarding", "trial"], sample, text_key="latest_public_comment", channel="email", html=True)
    body = notes[0]["body"]
    assert body.startswith("<p>") and "<ul>" in body and "<li>" in body             # HTML, not Markdown
    for words in ("frustrated", "I have tried", "still"):
        assert words in body
    assert "Hi Priya" in body and "empathy-cues ref: ec-" in notes[0]["body_text"]
    assert notes[0]["private"] is True and notes[0]["incoming"] is False
    puts = freshdesk.calls_to("PUT", "/api/v2/tickets/2001")
    assert len(puts) == 1 and puts[0].json["tags"][:2] == ["onboarding", "trial"]      # the union was sent
    server.barrier(zendesk)
    assert len(freshdesk.notes(2001)) == 1


def test_freshdesk_wrong_or_missing_secret_is_401_and_writes_nothing(server, freshdesk, zendesk):
    freshdesk.add_ticket(2001, tags=["onboarding"])
    raw = sample_bytes("freshdesk", "reply.json")
    for secret, code in (("wrong-secret-0123456789", "bad_signature"), (None, "missing_signature")):
        r = server.post_freshdesk(raw, secret=secret)
        assert r.status_code == 401 and r.json()["error"] == code
    server.barrier(zendesk)
    assert freshdesk.calls == [] and freshdesk.tickets[2001]["tags"] == ["onboarding"]


# -- loops, duplicates, forgeries --------------------------------------------------------------------

def test_the_plugins_own_note_echoed_back_does_nothing(server, zendesk):
    sample = sample_json("zendesk", "trigger_comment.json")
    zendesk.add_ticket(1001, tags=["billing", "vip"], comments=[{"body": sample["latest_comment"], "author_id": 381}])
    assert server.post_zendesk(sample_bytes("zendesk", "trigger_comment.json")).status_code == 202
    posted = wait_for(lambda: zendesk.notes(1001))
    assert len(posted) == 1, server.log()
    calls_before = len(zendesk.calls)

    # The note we really posted comes back, as an event and through the trigger, made to look like a
    # public end-user comment: the marker alone does not drop it at intake (a customer may type the
    # marker's words), but its author is the plugin's own API user, which the worker recognises.
    echo_event = zendesk_event(1001, posted[0]["id"], posted[0]["body"], author_id=str(API_USER_ID), staff=False,
                               public=True)
    echo_trigger = json.dumps({**sample, "latest_comment": posted[0]["body"], "current_user_id": str(API_USER_ID),
                               "updated_at": "2026-11-23T20:06:00Z"}).encode()
    for raw in (echo_event, echo_trigger):
        r = server.post_zendesk(raw)
        assert r.status_code == 202, r.text
    # The sample of an echo as Zendesk sends it (staff author, private) is dropped the same way.
    r = server.post_zendesk(sample_bytes("zendesk", "own_note_echo.json"))
    assert r.status_code == 202 and r.json() == {"ignored": "own_note"}

    server.barrier(zendesk)
    assert len(zendesk.notes(1001)) == 1
    assert [c for c in zendesk.calls[calls_before:] if not _barrier_or_setup(c)] == []
    assert server.log().count('"msg": "dropped: own_update"') >= 2


def test_agent_comment_is_not_analysed(server, zendesk):
    """An agent's public reply is queued for empathy QA (a score, no text), never analysed as a customer's."""
    zendesk.add_ticket(1005, tags=["billing"])
    r = server.post_zendesk(sample_bytes("zendesk", "agent_comment.json"))
    assert r.status_code == 202 and r.json()["queued"] is True
    server.barrier(zendesk)
    assert [c for c in zendesk.calls if not _barrier_or_setup(c)] == []
    done = run_cli(server.env, "report", "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["team"]["replies"] == 1, done.stderr


def test_same_delivery_twice_gives_one_note(server, zendesk):
    zendesk.add_ticket(1002, tags=["billing"], comments=[{"body": "I was charged twice", "author_id": 382}])
    raw = sample_bytes("zendesk", "event_comment_added.json")
    first, second = server.post_zendesk(raw), server.post_zendesk(raw)
    assert first.status_code == 202 and first.json()["queued"] is True
    assert second.status_code == 202 and second.json() == {"ignored": "duplicate"}
    # A new delivery id for the same comment (e.g. a second webhook on the same event) is the same work.
    data = sample_json("zendesk", "event_comment_added.json")
    third = server.post_zendesk(json.dumps({**data, "id": "another-delivery-id"}).encode())
    assert third.status_code == 202 and third.json() == {"ignored": "duplicate"}

    assert wait_for(lambda: zendesk.notes(1002)), server.log()
    server.barrier(zendesk)
    assert len(zendesk.notes(1002)) == 1 and len(note_calls(zendesk, 1002)) == 1
    assert len(zendesk.calls_to("PUT", "/api/v2/tickets/1002/tags")) == 1


def test_one_messaging_message_through_both_webhooks_gives_one_note(server, zendesk):
    """A messaging message reaches the plugin as the message event and in our trigger's body (two keys,
    the same words: core/same_words.py): one analysis, one note, the second delivery acknowledged."""
    zendesk.add_ticket(1010, comments=[{"body": "Conversation with Noor", "author_id": 5678}])
    text = "Third message today about my parcel and still no answer. I'm really fed up with this."
    message = sample_json("zendesk", "recorded/event_messaging_message_added_docs.json")
    message.update(id="01KBE2EMSG0001", subject="zen:ticket:1010", detail={"id": "1010"})
    message["event"].update(actor={"id": "5678", "name": "Noor", "type": "end_user"},
                            message={"body": text, "id": "6f1e2d3c4b5a69788776aa01"})
    trigger = {**sample_json("zendesk", "trigger_comment.json"), "ticket_id": "1010", "via": "Messaging",
               "current_user_id": "5678", "requester_id": "5678", "tags": "", "latest_comment": text}
    for body in (message, trigger):
        r = server.post_zendesk(json.dumps(body).encode())
        assert r.status_code == 202 and r.json()["queued"] is True, r.text

    assert wait_for(lambda: zendesk.notes(1010)), server.log()
    server.barrier(zendesk)
    assert len(zendesk.notes(1010)) == 1 and len(note_calls(zendesk, 1010)) == 1
    metrics_text = requests.get(server.url + "/metrics", timeout=5).text
    assert 'empathy_duplicate_messages_total{helpdesk="zendesk"} 1.0' in metrics_text


@pytest.mark.parametrize("case", ["forged", "stale", "unsigned"])
def test_forged_stale_unsigned_are_401_and_nothing_is_queued(server, zendesk, case):
    sample = sample_json("zendesk", "trigger_comment.json")
    zendesk.add_ticket(1001, tags=["billing", "vip"], comments=[{"body": sample["latest_comment"], "author_id": 381}])
    raw = sample_bytes("zendesk", "trigger_comment.json")
    kwargs = {"forged": {"secret": "wrong"}, "stale": {"ts": "2020-01-01T00:00:00Z"}, "unsigned": {"signed": False}}
    codes = {"forged": "bad_signature", "stale": "stale_timestamp", "unsigned": "missing_signature"}
    r = server.post_zendesk(raw, **kwargs[case])
    assert r.status_code == 401 and r.json()["error"] == codes[case]
    assert server.unfinished_events() == 0
    server.barrier(zendesk)
    assert zendesk.calls_to("GET", "/api/v2/tickets/1001/comments") == [] and zendesk.notes(1001) == []
    assert zendesk.tickets[1001]["tags"] == ["billing", "vip"]
    # Nothing was claimed either: the genuine delivery of the same body is accepted, not a duplicate.
    r = server.post_zendesk(raw)
    assert r.status_code == 202 and r.json()["queued"] is True
    assert len(wait_for(lambda: zendesk.notes(1001))) == 1


def test_bad_json_is_400_not_500(server):
    r = server.post_zendesk(b'{"ticket_id": ')
    assert r.status_code == 400 and r.json()["error"] == "invalid_json"


def test_a_body_refused_unread_is_not_read_as_requests_on_a_kept_alive_connection(server):
    """A 413 is answered before the body is read: its bytes, requests written out, must be skipped by the
    server, not answered as requests of their own, and the connection still serves the next real one."""
    inner = b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"
    body = inner * (1024 * 1024 // len(inner) + 1)
    first = (b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Content-Length: %d\r\n\r\n" % len(body)) + body
    second = b"POST /webhooks/intercom HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as c:
        c.sendall(first + second)
        answer = b""
        while chunk := c.recv(65536):
            answer += chunk
    too_large, not_found = answer.split(b"HTTP/1.1 ")[1:]      # two answers, none for the requests in the body
    assert too_large.startswith(b"413 REQUEST ENTITY TOO LARGE\r\n")
    assert b"\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n" in too_large
    assert too_large.endswith(b'{"error":"payload_too_large","message":"the body is larger than 1048576 bytes"}\n')
    assert not_found.startswith(b"404 NOT FOUND\r\n") and b'"error":"not_found"' in not_found


def test_no_helpdesk_configured_serves_health_and_explains(tmp_path, start_server):
    srv = start_server({"EMPATHY_DATA_DIR": str(tmp_path / "d")})
    body = srv.health()
    assert body["helpdesks"] == [] and "EMPATHY_ZENDESK_WEBHOOK_SECRET" in body["setup"]
    r = requests.post(srv.url + "/webhooks/zendesk", data=b"{}", timeout=5)
    assert r.status_code == 404 and r.json()["error"] == "helpdesk_not_enabled"
    srv.stop()
    assert srv.proc.returncode == 0


# -- failures of the helpdesk API --------------------------------------------------------------------

def test_429_then_success_is_applied_once_after_retry_after(server, zendesk):
    sample = sample_json("zendesk", "trigger_comment.json")
    zendesk.add_ticket(1001, tags=["billing", "vip"], comments=[{"body": sample["latest_comment"], "author_id": 381}])
    # The note write is refused once with 429 + Retry-After: 2 (the tags went through before it).
    zendesk.fail_next(1, status=429, retry_after=2, method="PUT", path="/api/v2/tickets/1001")
    assert server.post_zendesk(sample_bytes("zendesk", "trigger_comment.json")).status_code == 202

    notes = wait_for(lambda: zendesk.notes(1001), timeout=20)
    assert len(notes) == 1, server.log()
    writes = note_calls(zendesk, 1001)
    assert len(writes) == 2                                          # the 429'd one, then the one that worked
    assert writes[1].at - writes[0].at >= 2.0, "retried before Retry-After had passed"
    # Every call of the second attempt came after the Retry-After delay too.
    retry_calls = [c for c in zendesk.calls if c.at > writes[0].at and "/tickets/1001" in c.path]
    assert retry_calls and min(c.at for c in retry_calls) - writes[0].at >= 2.0
    assert zendesk.tickets[1001]["tags"] == expected_tags(["billing", "vip"], sample, text_key="latest_comment",
                                                          channel="email")
    server.barrier(zendesk)
    assert len(zendesk.notes(1001)) == 1 and len(note_calls(zendesk, 1001)) == 2


def test_permanent_404_goes_to_the_dead_letters_listed_by_the_cli(server, zendesk, env):
    # Ticket 1404 does not exist on the stand-in: Zendesk answers 404, which retrying cannot fix.
    r = server.post_zendesk(zendesk_event(1404, 91404, "I was charged twice and I'm really disappointed."))
    assert r.status_code == 202 and r.json()["queued"] is True

    def letters():
        out = run_cli(env, "deadletters", "list")
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    found = wait_for(letters, timeout=20, interval=0.3)
    assert len(found) == 1, server.log()
    assert found[0]["helpdesk"] == "zendesk" and found[0]["ticket_id"] == "1404"
    assert found[0]["reason"].startswith("permanent error: Zendesk answered 404")
    server.barrier(zendesk)
    assert len(zendesk.calls_to("GET", "/api/v2/tickets/1404/comments")) == 1      # never retried
    assert zendesk.calls_to("PUT", "/api/v2/tickets/1404") == [] and len(letters()) == 1
    shown = run_cli(env, "deadletters", "show", found[0]["id"])
    assert shown.returncode == 0 and json.loads(shown.stdout)["event"]["comment_id"] == "91404"


# -- crash and restart -------------------------------------------------------------------------------

def test_sigkill_after_acknowledging_then_restart_processes_each_event_once(env, start_server, zendesk):
    zendesk.add_ticket(1101, tags=["vip"], comments=[{"body": "x", "author_id": 382}])
    zendesk.add_ticket(1102, tags=[], comments=[{"body": "y", "author_id": 382}])
    # The sweeper's grace is cut from 5 minutes to 1 s so the test need not wait (same on both runs,
    # as an operator's configuration would be).
    env = {**env, "EMPATHY_SWEEP_GRACE_SECONDS": "1"}
    first = start_server(env)
    # The worker's first helpdesk call hangs, so event A is in flight (taken off the queue) when the
    # server dies, and event B is still waiting on the queue behind it (one worker thread).
    zendesk.slow_next(1, seconds=4, method="GET", path="/api/v2/users/me")
    text = "I was charged twice this month and nobody has answered my emails. I'm really disappointed."
    a = first.post_zendesk(zendesk_event(1101, 91101, text, tags=["vip"]))
    assert a.status_code == 202 and a.json()["queued"] is True
    assert wait_for(lambda: zendesk.calls_to("GET", "/api/v2/users/me"), timeout=10), first.log()
    b = first.post_zendesk(zendesk_event(1102, 91102, text))
    assert b.status_code == 202 and b.json()["queued"] is True

    first.stop(signal.SIGKILL)
    assert first.proc.returncode == -signal.SIGKILL
    assert zendesk.notes(1101) == [] and zendesk.notes(1102) == []

    second = start_server(env)            # same data dir
    assert wait_for(lambda: zendesk.notes(1101) and zendesk.notes(1102), timeout=30), second.log()
    second.barrier(zendesk)
    for ticket_id in (1101, 1102):
        assert len(zendesk.notes(ticket_id)) == 1 and len(note_calls(zendesk, ticket_id)) == 1
        assert "charged twice" in zendesk.notes(ticket_id)[0]["body"]
    assert zendesk.tickets[1101]["tags"][0] == "vip" and "empathy_apology" in zendesk.tickets[1101]["tags"]
    # (The sentinel's note is on the stand-in a moment before its event is marked finished.)
    assert wait_for(lambda: second.unfinished_events() == 0, timeout=10), second.unfinished_events()


# -- replay ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["trigger_comment.json", "event_comment_added.json"])
def test_replay_dry_run_prints_the_plan_and_writes_nothing(env, zendesk, name):
    zendesk.add_ticket(1001, tags=["billing", "vip"])
    zendesk.add_ticket(1002, tags=["billing"])
    out = run_cli(env, "replay", str(SAMPLES / "zendesk" / name), "--helpdesk", "zendesk")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    plan = result["plan"]
    assert result["dry_run"] is True and "applied" not in result
    assert "empathy_apology" in plan["add_tags"] and "billing" not in plan["add_tags"]
    assert plan["marker"].startswith("ec-") and f"empathy-cues ref: {plan['marker']}" in plan["note_text"]
    assert "Suggested reply" in plan["note_text"]
    assert zendesk.calls == []
    assert zendesk.notes(1001) == [] and zendesk.notes(1002) == []
