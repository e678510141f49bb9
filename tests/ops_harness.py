"""A whole deployment on loopback for the operations tests and soak scripts.

``Cluster`` runs the real processes - gunicorn serving the webhook receiver and one or more
``empathy-cues worker`` processes - in the embedded mode (SQLite files in a data dir) or the scale-out
mode (Redis), against a stand-in Zendesk API that can fail like a real one (``FlakyZendesk``). It can
SIGKILL and restart any process. ``send`` plays the helpdesk: it retries each webhook until it gets a
2xx, as Zendesk does. ``outcome`` counts notes per ticket on the stand-in: lost and duplicated.
Everything listens on 127.0.0.1 only, and every run is bounded in count and time.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from tests.standin import ZendeskStandin, _Fault

EXE = str(Path(sys.executable).with_name("empathy-cues"))
SECRET = "ops-harness-webhook-secret-0123456789"
API_TOKEN = "ops-harness-api-token-9876543210"
EMAIL = "bot@acme.test"
REQUESTER_EMAIL = "dana.requester@example.org"

# What customers write: three messages that owe an apology (a note is warranted) and one that does not.
SUBJECT = "Thanks"
TEXTS = (
    "I have tried three times to reset my password and it still does not work. This is so frustrating. "
    f"Reach me at {REQUESTER_EMAIL}",
    "Third time asking: my refund is still missing and nobody answers. I'm cancelling my account.",
    "I can't seem to find where to export my data, the settings page is confusing.",
    "Thanks so much, that worked perfectly! Have a great day.",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FlakyZendesk(ZendeskStandin):
    """The Zendesk stand-in, failing ``fault_rate`` of all calls at random: a 429 with Retry-After, a 500,
    or an answer slower than the client's timeout (the write is applied, the answer comes too late)."""

    def __init__(self, *, fault_rate: float = 0.0, seed: int = 7, slow_seconds: float = 1.5,
                 retry_after: float = 1.0, **kwargs) -> None:
        super().__init__(subdomain="acme", email=EMAIL, api_token=API_TOKEN, **kwargs)
        self.fault_rate, self.slow_seconds, self.retry_after = fault_rate, slow_seconds, retry_after
        self._rng = random.Random(seed)
        self.rate_limit_remaining = 10**6          # our limiter is under test, not the stand-in's header
        self.faults: dict[str, int] = {"429": 0, "500": 0, "timeout": 0}

    def _take_fault(self, method: str, path: str):
        scripted = super()._take_fault(method, path)
        if scripted is not None or not self.fault_rate:
            return scripted
        with self._lock:
            if self._rng.random() >= self.fault_rate:
                return None
            kind = self._rng.choice(("429", "500", "timeout"))
            self.faults[kind] += 1
        if kind == "429":
            return _Fault(1, "status", status=429, retry_after=self.retry_after)
        if kind == "500":
            return _Fault(1, "status", status=500)
        return _Fault(1, "slow", seconds=self.slow_seconds)


def webhook(ticket_id: int, text: str) -> bytes:
    """A trigger body (manifests/zendesk/trigger_body.json shape) from an end user, with their email."""
    return json.dumps({"kind": "comment_added", "ticket_id": str(ticket_id), "via": "Mail",
                       "updated_at": f"2026-11-23T20:{ticket_id // 60 % 60:02d}:{ticket_id % 60:02d}Z",
                       "current_user_id": "381", "author_role": "end_user", "comment_public": "true",
                       "requester_id": "381", "requester_name": "Dana", "requester_email": REQUESTER_EMAIL,
                       "tags": "vip", "subject": SUBJECT, "latest_comment": text}).encode()


@dataclass
class Cluster:
    root: Path
    standin: ZendeskStandin
    redis_url: str | None = None
    workers: int = 1
    env_extra: dict = field(default_factory=dict)
    web: subprocess.Popen | None = None
    worker_procs: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()
        self.logs = self.root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        metrics = self.root / "metrics"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir(parents=True)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("EMPATHY_", "PROMETHEUS_"))},
            "EMPATHY_DATA_DIR": str(self.root / "data"),
            "EMPATHY_ZENDESK_SUBDOMAIN": "acme", "EMPATHY_ZENDESK_EMAIL": EMAIL,
            "EMPATHY_ZENDESK_API_TOKEN": API_TOKEN, "EMPATHY_ZENDESK_WEBHOOK_SECRET": SECRET,
            "EMPATHY_ZENDESK_API_URL": self.standin.url,
            "EMPATHY_SWEEP_GRACE_SECONDS": "3", "EMPATHY_RETRY_BASE_SECONDS": "0.5",
            "EMPATHY_ZENDESK_RATE_LIMIT": "1000000", "EMPATHY_ZENDESK_TICKET_UPDATE_LIMIT": "1000000",
            "EMPATHY_HELPDESK_TIMEOUT": "1", "EMPATHY_WORKERS": "4",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        }
        if self.redis_url:
            self.env["EMPATHY_QUEUE_URL"] = self.redis_url
        self.env.update(self.env_extra)
        self.worker_procs = [None] * self.workers
        self.kills = {"web": 0, "worker": 0}
        # Every process this cluster ever started: stop() ends them all, so none outlives the test (a worker
        # left running would take the next test's events from a shared Redis database).
        self.started: list[subprocess.Popen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _log(self, name: str):
        return open(self.logs / f"{name}.log", "ab")

    def start_web(self) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
               "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "empathy_cues.service.app:from_env()"]
        self.web = subprocess.Popen(cmd, env=self.env, stdout=self._log("web"), stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.started.append(self.web)

    def start_worker(self, i: int) -> None:
        self.worker_procs[i] = subprocess.Popen([EXE, "worker"], env=self.env, stdout=self._log(f"worker{i}"),
                                                stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(self.worker_procs[i])

    def start(self) -> "Cluster":
        try:
            self.start_web()
            for i in range(self.workers):
                self.start_worker(i)
            self.wait_ready()
        except BaseException:
            self.stop()     # not ready: nothing it started may outlive the failure
            raise
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("web did not become ready: " + (self.logs / "web.log").read_text()[-2000:])

    @staticmethod
    def _kill(proc: subprocess.Popen | None, sig=signal.SIGKILL) -> None:
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            proc.wait(timeout=30)

    def kill_web(self) -> None:
        self._kill(self.web)
        self.kills["web"] += 1

    def kill_worker(self, i: int) -> None:
        self._kill(self.worker_procs[i])
        self.kills["worker"] += 1

    def stop(self) -> None:
        """Graceful stop: SIGTERM (gunicorn's and huey's documented graceful signal), then wait."""
        for proc in self.started:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.started:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self._kill(proc)

    def metrics(self) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/metrics")
        return conn.getresponse().read().decode()

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))


def send(url: str, bodies: list[bytes], *, threads: int = 8, deadline: float, per_second: float = 0) -> dict:
    """Deliver every body until the server answers 2xx (a helpdesk retries too), at most ``per_second``
    new events a second (0: as fast as possible). Returns counts."""
    port = int(url.rsplit(":", 1)[1])
    todo = iter(list(enumerate(bodies)))
    lock = threading.Lock()
    answers = {"queued": 0, "duplicate": 0, "retries": 0, "failed": 0}

    def run() -> None:
        conn = None
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            n, body = item
            if per_second:
                time.sleep(max(0.0, begun + n / per_second - time.monotonic()))
            while time.monotonic() < deadline:
                ts = format_timestamp()
                headers = {"Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": ts,
                           "X-Zendesk-Webhook-Signature": sign(SECRET, ts, body)}
                try:
                    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("POST", "/webhooks/zendesk", body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn, status, data = None, 0, b""
                if status == 202:
                    kind = "duplicate" if b"duplicate" in data else "queued"
                    with lock:
                        answers[kind] += 1
                    break
                with lock:
                    answers["retries"] += 1
                time.sleep(0.05)
            else:
                with lock:
                    answers["failed"] += 1

    begun = time.monotonic()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return answers


def chaos(cluster: Cluster, stop: threading.Event, *, kills: int, seed: int = 11,
          between: tuple[float, float] = (0.4, 1.5)) -> threading.Thread:
    """SIGKILL the web or a worker at random moments, ``kills`` times in all, restarting each at once."""
    rng = random.Random(seed)

    def run() -> None:
        for n in range(kills):
            if stop.wait(rng.uniform(*between)):
                return
            if n % 2 == 0:
                cluster.kill_web()
                time.sleep(rng.uniform(0, 0.3))
                cluster.start_web()
            else:
                i = rng.randrange(cluster.workers)
                cluster.kill_worker(i)
                time.sleep(rng.uniform(0, 0.3))
                cluster.start_worker(i)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def warranted(text: str) -> bool:
    """Does this message owe a note? The cue engine's own answer (tasks.plan_for writes one when an
    apology or a priority follow-up is owed)."""
    from empathy_cues import analyze

    a = analyze(text, subject=SUBJECT, channel="email")
    return bool(a.apology or a.priority)


def seed_tickets(standin: ZendeskStandin, first: int, count: int) -> list[tuple[int, bool]]:
    """Tickets ``first`` .. and the webhook plan: (ticket id, note warranted) cycling through TEXTS."""
    owed = [warranted(text) for text in TEXTS]
    plan = []
    for n in range(count):
        ticket_id = first + n
        standin.add_ticket(ticket_id, tags=["vip"])
        plan.append((ticket_id, owed[n % len(TEXTS)]))
    return plan


def bodies_for(plan: list[tuple[int, bool]]) -> list[bytes]:
    return [webhook(ticket_id, TEXTS[n % len(TEXTS)]) for n, (ticket_id, _) in enumerate(plan)]


def outcome(standin: ZendeskStandin, plan: list[tuple[int, bool]]) -> dict:
    warranted = [t for t, w in plan if w]
    counts = {t: len(standin.notes(t)) for t, _ in plan}
    return {
        "events": len(plan), "warranted": len(warranted),
        "lost": sum(1 for t in warranted if counts[t] == 0),
        "duplicated": sum(1 for t, _ in plan if counts[t] > 1),
        "unwarranted_notes": sum(1 for t, w in plan if not w and counts[t] > 0),
        "notes": sum(counts.values()),
    }


def wait_applied(standin: ZendeskStandin, plan, *, timeout: float, settle: float) -> dict:
    """Wait until every warranted note is there (or ``timeout``), then ``settle`` more seconds, so a late
    duplicate would show up too."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and outcome(standin, plan)["lost"]:
        time.sleep(0.5)
    time.sleep(settle)
    return outcome(standin, plan)


def run_crash_soak(root: Path, *, events: int, kills: int, redis_url: str | None = None, workers: int = 1,
                   max_seconds: float = 600, seed: int = 11, per_second: float = 0) -> dict:
    """Send ``events`` webhooks while SIGKILLing web and workers ``kills`` times; count notes."""
    with FlakyZendesk() as standin:
        plan = seed_tickets(standin, 10_000, events)
        cluster = Cluster(root, standin, redis_url=redis_url, workers=workers).start()
        stop = threading.Event()
        started = time.monotonic()
        try:
            killer = chaos(cluster, stop, kills=kills, seed=seed)
            answers = send(cluster.url, bodies_for(plan), deadline=started + max_seconds, per_second=per_second)
            killer.join(timeout=max_seconds)
            stop.set()
            result = wait_applied(standin, plan, timeout=max(30, max_seconds - (time.monotonic() - started)),
                                  settle=5)
        finally:
            stop.set()
            cluster.stop()
        result.update(seconds=round(time.monotonic() - started, 1), kills=dict(cluster.kills), answers=answers)
        return result
