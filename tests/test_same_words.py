"""The same customer words reaching the plugin through both Zendesk webhooks give one analysis and one note.

A messaging conversation's message arrives through the webhook subscribed to
``messaging_ticket.message_added`` (keyed by the message id), and our ticket trigger may send the same
words in its body (no comment id): two keys for one message (core/same_words.py says what Zendesk
documents). Here both signed bodies go through the real intake, the durable queue and the worker to the
Zendesk stand-in (a real HTTP server on loopback, written to through zenpy), on SQLite files and on the
real Redis, in either order and by two workers at once. The messages are invented.
"""
from __future__ import annotations

import json
import logging
import re
import faulthandler
import sys
import threading
import time
from datetime import datetime, timezone

import pytest

from empathy_cues import metrics
from empathy_cues.core.same_words import SAME_WORDS_WINDOW_SECONDS, same_message, same_words_key, words_of
from empathy_cues.durable.queue import build_queue
from empathy_cues.durable.redis_state import RedisStore
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from empathy_cues.service.intake import Intake
from empathy_cues.records import decision_for_ticket, recent_decisions
from empathy_cues.service.settings import Settings

from .conftest import SAMPLES, ZENDESK_SECRET, sample_json, service_env
from .standin import ZendeskStandin

TICKET = 4242
CUSTOMER = "5678"
WORDS = ("This is the third time I'm writing about my parcel and still nobody has answered. "
         "I'm really fed up with waiting.")
# How Zendesk renders a comment placeholder in a trigger body: a rule, the author and the time, the text
# (the shape of the recorded trigger body in ../shared/reference/vendor-recordings/zendesk/).
RENDERED = f"----------------------------------------------\n\nNoor, 2 Dec 2026, 06:51\n\n{WORDS}"


# -- the pure key --------------------------------------------------------------------------------------

def test_both_renderings_of_one_message_have_one_key():
    message = same_words_key("zendesk", "acme", "42", WORDS)
    assert message is not None and message.startswith("words:zendesk:acme:42:")
    assert same_words_key("zendesk", "acme", "42", RENDERED) == message
    assert same_words_key("zendesk", "acme", "42", f"<p>{WORDS.upper()}</p>", html=True) == message
    assert same_words_key("zendesk", "acme", "42", WORDS.replace("fed up", "**fed up**")) == message
    # Other words, another ticket or another account: another key.
    assert same_words_key("zendesk", "acme", "42", WORDS.replace("parcel", "refund")) != message
    assert same_words_key("zendesk", "acme", "43", WORDS) != message
    assert same_words_key("zendesk", "globex", "42", WORDS) != message


def test_words_ignore_case_punctuation_and_spacing_but_keep_a_message_of_symbols():
    assert words_of("Hello?   Is ANYONE there!!") == "hello is anyone there"
    assert words_of("\U0001F621\U0001F621") == "\U0001F621\U0001F621"
    assert same_words_key("zendesk", "acme", "42", "  ") is None


def test_the_window_counts_between_the_two_receptions_in_either_order():
    assert same_message(1000.0, 1000.0 + SAME_WORDS_WINDOW_SECONDS)
    assert same_message(1000.0 + 60, 1000.0)
    assert not same_message(1000.0, 1000.0 + SAME_WORDS_WINDOW_SECONDS + 1)
    assert SAME_WORDS_WINDOW_SECONDS < 3600      # "hello?" again an hour later is a new message


# -- the store's claim, on both backends ---------------------------------------------------------------

@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SqliteStore(tmp_path / "state.sqlite3")
    return RedisStore(request.getfixturevalue("redis_url"))


def test_the_first_event_holds_the_words_and_keeps_them_through_its_retries(store):
    assert store.claim_words("words:k", "event-a", 1000.0, 900) is None
    assert store.claim_words("words:k", "event-a", 1000.0, 900) is None          # its own retry
    assert store.claim_words("words:k", "event-b", 1200.0, 900) == "event-a"     # a second delivery
    assert store.claim_words("words:k", "event-b", 800.0, 900) == "event-a"      # received a little earlier
    assert store.claim_words("words:other", "event-b", 1200.0, 900) is None       # other words


def test_the_same_words_past_the_window_are_a_new_message(store):
    assert store.claim_words("words:k", "event-a", 1000.0, 900) is None
    assert store.claim_words("words:k", "event-c", 1000.0 + 3600, 900) is None    # "hello?" an hour later
    assert store.claim_words("words:k", "event-d", 1000.0 + 3660, 900) == "event-c"


# -- both webhooks through the intake, the queue and the worker -----------------------------------------

def messaging_body(text: str, *, message_id: str = "6f1e2d3c4b5a697887766554", event_id: str = "01KBMSGEVT0001",
                   actor_type: str = "end_user", actor_id: str = CUSTOMER) -> bytes:
    """A ``messaging_ticket.message_added`` event in the shape of Zendesk's documented sample."""
    data = json.loads((SAMPLES / "zendesk/recorded/event_messaging_message_added_docs.json").read_bytes())
    data["id"] = event_id
    data["subject"] = f"zen:ticket:{TICKET}"
    data["detail"] = {"id": str(TICKET)}
    data["event"]["actor"] = {"id": actor_id, "name": "Noor", "type": actor_type}
    data["event"]["message"] = {"body": text, "id": message_id}
    return json.dumps(data).encode()


def trigger_body(text: str, *, author_role: str = "end_user", user_id: str = CUSTOMER) -> bytes:
    """Our trigger's body (manifests/zendesk/trigger_body.json) as Zendesk fills it on the messaging ticket."""
    data = sample_json("zendesk", "trigger_comment.json")
    data.update(ticket_id=str(TICKET), via="Messaging", current_user_id=user_id, requester_id=CUSTOMER,
                author_role=author_role, requester_name="Noor", subject="Conversation with Noor", tags="",
                latest_comment=text, updated_at="2026-12-02T06:51:07Z")
    return json.dumps(data).encode()


def signed(raw: bytes) -> dict:
    ts = format_timestamp()
    return {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw), "X-Zendesk-Webhook-Signature-Timestamp": ts}


def drain(huey) -> list:
    """Run every task due (the consumer's code path); their results, in order."""
    results = []
    while True:
        for task in huey.read_schedule(datetime.now(timezone.utc).replace(tzinfo=None)):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is None:
            return results
        results.append(huey.execute(task))


@pytest.fixture
def zendesk():
    with ZendeskStandin() as standin:
        standin.add_ticket(TICKET, subject="Conversation with Noor", requester_id=int(CUSTOMER),
                           comments=[{"body": "Conversation with Noor", "author_id": int(CUSTOMER)}])
        yield standin


@pytest.fixture(params=["sqlite", "redis"])
def backend(request) -> dict:
    """The embedded mode (SQLite files in the data dir) or the scale-out mode (the real Redis)."""
    return {} if request.param == "sqlite" else {"EMPATHY_QUEUE_URL": request.getfixturevalue("redis_url")}


@pytest.fixture
def settings(backend, tmp_path, zendesk):
    return Settings.from_env(service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url, **backend))


def duplicates_counted() -> float:
    return metrics.DUPLICATE_MESSAGES.labels("zendesk")._value.get()


@pytest.mark.parametrize("first", ["message", "trigger"])
def test_one_message_through_both_webhooks_gives_one_note(settings, zendesk, first, caplog):
    queue = build_queue(settings)                      # the real store, zenpy client and composer
    intake = Intake(settings, queue.runtime.store, queue.enqueue_event)
    bodies = {"message": messaging_body(WORDS), "trigger": trigger_body(RENDERED)}
    order = [first, "trigger" if first == "message" else "message"]
    before = duplicates_counted()

    with caplog.at_level(logging.INFO):
        for name in order:
            status, answer = intake.receive("zendesk", bodies[name], signed(bodies[name]))
            assert status == 202 and answer.get("queued") is True, answer   # two keys: both are queued
        outcomes = drain(queue.huey)

    assert outcomes == ["applied", "duplicate_message"]
    notes = zendesk.notes(TICKET)
    assert len(notes) == 1 and notes[0]["author_id"] == zendesk.api_user_id
    assert "empathy-cues ref: ec-" in notes[0]["body"]
    assert duplicates_counted() == before + 1
    assert "fed up" not in caplog.text and "parcel" not in caplog.text      # no customer words in the logs
    assert "duplicate: the same words on this ticket are handled by event zendesk:acme:4242:" in caplog.text
    decisions = recent_decisions(queue.runtime.journal.records, 10)
    assert sorted(d.status for d in decisions) == ["applied", "duplicate"]
    assert decision_for_ticket(queue.runtime.journal.records, "zendesk", str(TICKET)).status == "applied"


def test_a_redelivery_of_either_body_later_still_writes_nothing(settings, zendesk):
    queue = build_queue(settings)
    intake = Intake(settings, queue.runtime.store, queue.enqueue_event)
    for raw in (messaging_body(WORDS), trigger_body(RENDERED)):
        intake.receive("zendesk", raw, signed(raw))
    drain(queue.huey)
    # Zendesk retries the trigger's webhook (a new signature, the same body) and the message event.
    again = [intake.receive("zendesk", raw, signed(raw))[1] for raw in (trigger_body(RENDERED), messaging_body(WORDS))]
    assert again == [{"ignored": "duplicate"}, {"ignored": "duplicate"}]
    assert drain(queue.huey) == []
    assert len(zendesk.notes(TICKET)) == 1


class _AtTheSameMoment:
    """A worker's real store whose ``claim_words`` waits for the other worker's: both claim at once."""

    def __init__(self, store, barrier: threading.Barrier) -> None:
        self._store, self._barrier = store, barrier

    def claim_words(self, *args):
        try:
            self._barrier.wait()
        except threading.BrokenBarrierError:
            # The other worker never came to claim: show where every thread stood, so a failure says why.
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            raise
        return self._store.claim_words(*args)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_two_workers_handling_both_deliveries_at_once_write_one_note(settings, zendesk):
    web = build_queue(settings)
    intake = Intake(settings, web.runtime.store, web.enqueue_event)
    for raw in (messaging_body(WORDS), trigger_body(RENDERED)):
        status, answer = intake.receive("zendesk", raw, signed(raw))
        assert status == 202 and answer.get("queued") is True
    barrier = threading.Barrier(2, timeout=15)
    workers = []
    for _ in range(2):                  # two worker processes: their own queue handle, store and client
        worker = build_queue(settings)
        worker.runtime.store = _AtTheSameMoment(worker.runtime.store, barrier)
        workers.append(worker)
    tasks = [workers[0].huey.dequeue(), workers[1].huey.dequeue()]
    assert None not in tasks
    outcomes: list = [None, None]

    def run(i: int) -> None:
        outcomes[i] = workers[i].huey.execute(tasks[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["applied", "duplicate_message"]
    assert len(zendesk.notes(TICKET)) == 1
    assert len([c for c in zendesk.calls_to("PUT", f"/api/v2/tickets/{TICKET}")
                if "comment" in ((c.json or {}).get("ticket") or {})]) == 1


def test_the_same_words_an_hour_later_are_analysed_again(settings, zendesk):
    """"hello?"-style repeats past the window are new messages: each gets its analysis and note."""
    queue = build_queue(settings)
    intake = Intake(settings, queue.runtime.store, queue.enqueue_event)
    # The intake stamps each webhook with the time it was received: the first message came an hour ago.
    intake.clock = lambda: time.time() - 3600
    raw = messaging_body(WORDS)
    intake.receive("zendesk", raw, signed(raw))
    assert drain(queue.huey) == ["applied"]
    # Now the customer sends the very same words again: a new message id and event id.
    intake.clock = time.time
    later = messaging_body(WORDS, message_id="6f1e2d3c4b5a697887766999", event_id="01KBMSGEVT0002")
    status, answer = intake.receive("zendesk", later, signed(later))
    assert status == 202 and answer.get("queued") is True
    assert drain(queue.huey) == ["applied"]
    assert len(zendesk.notes(TICKET)) == 2


def test_an_agents_message_with_the_customers_words_claims_nothing(settings, zendesk):
    """An agent quoting the customer in the conversation is never analysed, and never holds the words
    (its public reply is queued for empathy QA scoring only)."""
    queue = build_queue(settings)
    intake = Intake(settings, queue.runtime.store, queue.enqueue_event)
    agent = messaging_body(WORDS, actor_type="agent", actor_id="900001", event_id="01KBMSGEVT0003",
                           message_id="6f1e2d3c4b5a697887760001")
    raw = trigger_body(RENDERED)
    for body in (agent, raw):
        status, answer = intake.receive("zendesk", body, signed(body))
        assert status == 202 and answer.get("queued") is True
    assert drain(queue.huey) == ["agent_comment", "applied"]
    assert len(zendesk.notes(TICKET)) == 1


def drain_until(huey, done, timeout: float = 30.0) -> list:
    """drain() again and again, due retries included, until ``done(results)`` or ``timeout`` seconds."""
    results: list = []
    deadline = time.monotonic() + timeout
    while not done(results) and time.monotonic() < deadline:
        results += drain(huey)
        time.sleep(0.05)
    return results


@pytest.fixture
def quick_settings(backend, tmp_path, zendesk):
    """Either backend, with a short helpdesk timeout and first retry delay."""
    return Settings.from_env(service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url, **backend,
                                         EMPATHY_HELPDESK_TIMEOUT="0.5", EMPATHY_RETRY_BASE_SECONDS="0.1"))


def test_the_first_deliverys_retry_after_a_lost_answer_keeps_the_words_and_one_note(quick_settings, zendesk):
    """The first delivery's note is written but Zendesk's answer comes too late (the attempt fails and is
    retried); the second delivery, handled meanwhile, stands down; the retry finds its note: one note."""
    queue = build_queue(quick_settings)
    intake = Intake(quick_settings, queue.runtime.store, queue.enqueue_event)
    zendesk.stall_after_write_next(1, seconds=1.5, method="PUT", path=f"/api/v2/tickets/{TICKET}")
    for raw in (trigger_body(RENDERED), messaging_body(WORDS)):
        intake.receive("zendesk", raw, signed(raw))
    outcomes = drain_until(queue.huey, lambda results: "applied" in results)
    assert outcomes[0] is None and outcomes[1:] == ["duplicate_message", "applied"], outcomes
    assert len(zendesk.notes(TICKET)) == 1


# -- real processes: the web server, two workers, SIGKILLs ---------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("mode", ["sqlite", "redis"])
def test_both_webhooks_for_many_messages_through_two_killed_and_restarted_workers(tmp_path, request, mode):
    """Thirty messaging messages, each delivered through both webhooks at about the same moment, to the
    real web server and two worker processes (each with four threads), while the web server and the
    workers are SIGKILLed and restarted: every message gets exactly one note."""
    from .ops_harness import API_TOKEN, EMAIL, Cluster, chaos, send, wait_applied, warranted

    redis_url = request.getfixturevalue("redis_url") if mode == "redis" else None
    texts = [f"Message {n} about order {4100 + n}: this is the third time I'm asking and my parcel is still "
             f"missing. I'm really fed up." for n in range(30)]
    assert all(warranted(text) for text in texts)
    with ZendeskStandin(subdomain="acme", email=EMAIL, api_token=API_TOKEN) as standin:
        plan, bodies = [], []
        for n, text in enumerate(texts):
            ticket = 20_000 + n
            standin.add_ticket(ticket, subject="Conversation", requester_id=int(CUSTOMER))
            plan.append((ticket, True))
            message = json.loads(messaging_body(text, message_id=f"6f1e2d3c4b5a6978877{n:05d}",
                                                event_id=f"01KBSOAKMSG{n:05d}"))
            message.update(subject=f"zen:ticket:{ticket}", detail={"id": str(ticket)})
            trigger = {**json.loads(trigger_body(text)), "ticket_id": str(ticket)}
            bodies += [json.dumps(message).encode(), json.dumps(trigger).encode()]
        cluster = Cluster(tmp_path, standin, redis_url=redis_url, workers=2).start()
        stop = threading.Event()
        try:
            killer = chaos(cluster, stop, kills=4, seed=5)
            answers = send(cluster.url, bodies, threads=8, deadline=time.monotonic() + 120)
            killer.join(timeout=60)
            result = wait_applied(standin, plan, timeout=120, settle=4)
            counted = re.search(r'^empathy_duplicate_messages_total\{helpdesk="zendesk"\} (\S+)$', cluster.metrics(),
                                re.MULTILINE)
        finally:
            stop.set()
            cluster.stop()
    assert answers["failed"] == 0, answers
    assert result["lost"] == 0 and result["duplicated"] == 0 and result["notes"] == 30, (result, answers)
    assert counted and float(counted.group(1)) >= 30        # every second delivery was seen and stood down
