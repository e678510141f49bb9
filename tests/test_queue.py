"""The queue and the task on real storage: a SQLite file in a tmp dir, and the real Redis.

The worker loop is driven by hand (dequeue -> execute, due retries moved from the schedule) so each
step can be asserted; it is the code path huey's consumer threads run. The helpdesk is a recording
client passed in through the Runtime's client factory.
"""
import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from empathy_cues.errors import PermanentHelpdeskError, RetryableHelpdeskError
from empathy_cues.durable.queue import build_queue
from empathy_cues.service.settings import Settings
from empathy_cues.durable.redis_state import RedisStore
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import sample_bytes, service_env


class RecordingClient:
    """Stands in for a helpdesk client: records apply() calls, fails as scripted."""

    def __init__(self, failures=()):
        self.failures = list(failures)
        self.applied = []
        self.calls = 0

    def apply(self, plan):
        self.calls += 1
        self.call_times = getattr(self, "call_times", []) + [time.monotonic()]
        if self.failures:
            raise self.failures.pop(0)
        self.applied.append(plan)

    def whoami(self):
        return "900"

    def ticket_comment(self, ticket_id, comment_id=None):
        return {"id": 1, "body": "I'm stuck and it still does not work", "author_id": "381", "public": True}


def note(analysis, *, ticket_id, customer_name=None):
    return SimpleNamespace(text=f"Cues: {', '.join(analysis.tags)}", html=f"<p>{', '.join(analysis.tags)}</p>")


def event_dict(name="event_comment_added.json"):
    from empathy_cues.helpdesks.zendesk.normalize import normalize

    return normalize(sample_bytes("zendesk", name), {}, account="acme").to_dict()


def drain(huey, seconds=0.0):
    """Run everything due, and keep moving due retries from the schedule for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        for task in huey.read_schedule(datetime.now(timezone.utc).replace(tzinfo=None)):
            huey.enqueue(task)
        task = huey.dequeue()
        if task is not None:
            huey.execute(task)
            continue
        if time.monotonic() >= deadline:
            return
        time.sleep(0.05)


def make(settings, store, client):
    return build_queue(settings, store, client_factory=lambda helpdesk, s: client, composer=note)


@pytest.fixture
def sqlite_setup(tmp_path):
    settings = Settings.from_env(service_env(tmp_path / "data"))
    return settings, SqliteStore(tmp_path / "data" / "state.sqlite3")


@pytest.fixture
def redis_setup(tmp_path, redis_url):
    settings = Settings.from_env(service_env(tmp_path / "data", EMPATHY_QUEUE_URL=redis_url))
    return settings, RedisStore(redis_url)


@pytest.fixture(params=["sqlite", "redis"])
def setup(request):
    return request.getfixturevalue(f"{request.param}_setup")


def test_backend_is_chosen_by_queue_url(sqlite_setup, redis_setup):
    from huey import RedisHuey, SqliteHuey

    assert isinstance(make(*sqlite_setup, RecordingClient()).huey, SqliteHuey)
    assert isinstance(make(*redis_setup, RecordingClient()).huey, RedisHuey)


def test_each_task_on_the_queue_has_an_id_of_its_own(setup):
    """Tasks are named by 128 random bits (durable/queue.py, task_id), one batch or one at a time, and
    the consumer's code path runs each of them."""
    import re

    settings, store = setup
    client = RecordingClient()
    queue = make(settings, store, client)
    events = [dict(event_dict(), ticket_id=str(n), delivery_id=f"d-{n}") for n in (501, 502, 503)]
    queue.enqueue_many(events[:2])
    queue.enqueue_event(events[2])
    tasks = [queue.huey.dequeue() for _ in events]
    ids = [task.id for task in tasks]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and len(set(ids)) == 3, ids
    for task in tasks:
        queue.huey.execute(task)
    assert sorted(p.ticket_id for p in client.applied) == ["501", "502", "503"]


def test_a_batch_stores_the_very_message_huey_builds_for_the_task(setup):
    """enqueue_many puts each event into huey's message for the task instead of building a huey Task per
    event: what lands on the queue is byte for byte what ``Huey.serialize_task`` makes of that task."""
    settings, store = setup
    queue = make(settings, store, RecordingClient())
    events = [dict(event_dict(), ticket_id=str(n), delivery_id=f"d-{n}") for n in (601, 602)]
    queue.enqueue_many(events)
    stored = [queue.huey.storage.dequeue() for _ in events]
    huey = queue.huey
    for event, data in zip(events, stored):
        task_id = huey.serializer.deserialize(data).id
        assert data == huey.serialize_task(queue.process_event.s(event, id=task_id))


def test_event_is_applied_once_with_tags_and_marker(setup):
    settings, store = setup
    client = RecordingClient()
    queue = make(settings, store, client)
    event = event_dict()
    queue.enqueue_event(event)
    queue.enqueue_event(event)            # the same event twice on the queue: the second finds it done
    drain(queue.huey)
    assert len(client.applied) == 1
    plan = client.applied[0]
    assert plan.ticket_id == "1002" and "empathy_apology" in plan.add_tags and "billing" not in plan.add_tags
    assert plan.marker in plan.note_text and plan.marker in plan.note_html
    assert store.is_done("zendesk:acme:1002:90017")


def test_dedupe_claim_is_atomic_per_key(setup):
    _, store = setup
    assert store.claim(["delivery:a", "event:k"], "k", {"x": 1}) is True
    assert store.claim(["delivery:b", "event:k"], "k", {"x": 1}) is False
    assert store.claim(["delivery:a", "event:other"], "other", {"x": 1}) is False
    store.release(["delivery:a", "event:k"], "k")
    assert store.claim(["delivery:a", "event:k"], "k", {"x": 1}) is True


@pytest.mark.slow  # waits out a real Retry-After (seconds) in both modes
def test_429_is_retried_after_retry_after_and_applied_once(setup):
    settings, store = setup
    client = RecordingClient([RetryableHelpdeskError("429", helpdesk="zendesk", status=429, retry_after=2)])
    queue = make(settings, store, client)
    queue.enqueue_event(event_dict())
    drain(queue.huey)
    assert client.calls == 1 and client.applied == [] and queue.scheduled_count() == 1
    drain(queue.huey, seconds=4)
    assert client.calls == 2 and len(client.applied) == 1
    assert client.call_times[1] - client.call_times[0] >= 1.9


def test_permanent_error_goes_to_dead_letters_with_reason_and_event(setup):
    settings, store = setup
    client = RecordingClient([PermanentHelpdeskError("404 ticket not found", helpdesk="zendesk", status=404)])
    queue = make(settings, store, client)
    queue.enqueue_event(event_dict())
    drain(queue.huey)
    letters = store.dead_letters()
    assert len(letters) == 1 and "404" in letters[0].reason and letters[0].event["ticket_id"] == "1002"
    assert store.stale_pending(time.time() + 10**6) == []
    assert store.dead_letter(letters[0].id).key == "zendesk:acme:1002:90017"
    assert store.delete_dead_letter(letters[0].id) and store.dead_letters() == []


def test_exhausted_retries_dead_letter(sqlite_setup):
    settings, store = sqlite_setup
    client = RecordingClient([RetryableHelpdeskError("503", helpdesk="zendesk", status=503)])
    runtime = Runtime(settings, store, client_factory=lambda h, s: client, composer=note)
    assert handle(runtime, event_dict(), SimpleNamespace(retries=0, retry_delay=2)) == "dead_letter"
    assert "retries exhausted" in store.dead_letters()[0].reason


def test_retry_delay_grows_to_retry_after(sqlite_setup):
    settings, store = sqlite_setup
    client = RecordingClient([RetryableHelpdeskError("429", helpdesk="zendesk", status=429, retry_after=30)])
    runtime = Runtime(settings, store, client_factory=lambda h, s: client, composer=note)
    task = SimpleNamespace(retries=3, retry_delay=2)
    with pytest.raises(RetryableHelpdeskError):
        handle(runtime, event_dict(), task)
    assert task.retry_delay == 30


def test_dry_run_writes_nothing(tmp_path):
    settings = Settings.from_env(service_env(tmp_path / "data", EMPATHY_DRY_RUN="1"))
    client = RecordingClient()
    runtime = Runtime(settings, SqliteStore(tmp_path / "s.sqlite3"), client_factory=lambda h, s: client, composer=note)
    assert handle(runtime, event_dict()) == "dry_run" and client.calls == 0


def test_own_user_is_dropped_in_the_worker(sqlite_setup):
    settings, store = sqlite_setup
    client = RecordingClient()
    runtime = Runtime(settings, store, client_factory=lambda h, s: client, composer=note)
    event = event_dict()
    event["author_id"] = "900"          # whoami() of the recording client
    assert handle(runtime, event) == "own_update" and client.calls == 0


def test_comment_is_fetched_when_the_body_carried_only_ids(sqlite_setup):
    settings, store = sqlite_setup
    client = RecordingClient()
    runtime = Runtime(settings, store, client_factory=lambda h, s: client, composer=note)
    assert handle(runtime, event_dict("trigger_unescaped_text.json")) == "applied"
    assert client.applied[0].ticket_id == "1004"


def test_queued_events_survive_a_new_process(sqlite_setup):
    settings, store = sqlite_setup
    first = make(settings, store, RecordingClient())
    first.enqueue_event(event_dict())
    first.huey.storage.close()
    client = RecordingClient()
    second = make(settings, SqliteStore(store.path), client)     # as after a restart
    assert second.pending_count() == 1
    drain(second.huey)
    assert len(client.applied) == 1


def test_sweeper_requeues_events_lost_between_claim_and_enqueue(setup):
    import dataclasses

    settings, store = setup
    event = event_dict()
    key = "zendesk:acme:1002:90017"
    assert store.claim(["delivery:x", "event:" + key], key, event)
    client = RecordingClient()
    queue = make(dataclasses.replace(settings, sweep_grace_seconds=5), store, client)
    assert queue.sweep_pending() == 0     # within the grace: perhaps still on its way
    store.schedule(key, time.time() - 10)            # as if claimed 10 s ago and never touched since
    assert queue.sweep_pending() == 1
    drain(queue.huey)
    assert len(client.applied) == 1 and store.stale_pending(time.time() + 10) == []


def test_the_sweep_purges_expired_dedupe_records_and_keeps_live_ones(sqlite_setup):
    """The group commit never deletes anything: without the sweep's purge, the state file would keep
    every delivery id it ever saw."""
    import sqlite3

    from empathy_cues.worker import task as tasks

    settings, store = sqlite_setup
    assert store.claim(["delivery:old", "event:old"], "old", {"x": 1})
    assert store.claim(["delivery:new", "event:new"], "new", {"x": 1})
    store.finish("old")
    store.begin_attempt("new", {"x": 1}, lease_seconds=60)
    db = sqlite3.connect(store.path)
    with db:                                             # a week and a day later, for the old records
        db.execute("update seen set expires_at = 1 where key like '%:old'")
        db.execute("update done set expires_at = 1 where key = 'old'")
    queue = make(settings, store, RecordingClient())

    assert queue.sweep_pending() == 0
    assert sorted(r[0] for r in db.execute("select key from seen")) == ["delivery:new", "event:new"]
    assert db.execute("select count(*) from done").fetchone()[0] == 0
    assert db.execute("select key from lease").fetchall() == [("new",)]      # still leased: kept
    assert store.claim(["delivery:old", "event:old"], "old", {"x": 1})        # expired: accepted again
    assert not store.claim(["delivery:new", "event:new2"], "new2", {"x": 1})  # live: still a duplicate
    # At most every PURGE_EVERY_SECONDS: the next sweep does not scan again.
    db.execute("update seen set expires_at = 1 where key like '%:old'")
    db.commit()
    queue.sweep_pending()
    assert db.execute("select count(*) from seen where key like '%:old'").fetchone()[0] == 2
    assert queue.runtime.next_purge_at > time.monotonic() + tasks.PURGE_EVERY_SECONDS - 60


def test_redis_expires_its_own_dedupe_records(redis_setup):
    _, store = redis_setup
    assert store.claim(["delivery:a", "event:a"], "a", {"x": 1})
    assert store.purge_expired() == 0
    assert 0 < store.redis.ttl(store._k("seen", "delivery:a")) <= 7 * 24 * 3600


def test_a_message_that_owes_nothing_writes_nothing(sqlite_setup):
    """Polite words alone are a cue but owe neither apology nor priority: no tags, no note (real composer)."""
    settings, store = sqlite_setup
    client = RecordingClient()
    runtime = Runtime(settings, store, client_factory=lambda h, s: client)
    event = event_dict()
    event["comment_text"] = "Thanks so much, that worked perfectly! Have a great day."
    event["subject"] = "Thanks"
    assert handle(runtime, event) == "nothing_owed" and client.calls == 0
    assert store.is_done("zendesk:acme:1002:90017")


def test_the_real_composer_note_carries_the_marker_in_both_renderings(sqlite_setup):
    settings, store = sqlite_setup
    client = RecordingClient()
    runtime = Runtime(settings, store, client_factory=lambda h, s: client)   # compose.compose_note
    assert handle(runtime, event_dict()) == "applied"
    plan = client.applied[0]
    assert plan.note_text.endswith(f"empathy-cues ref: {plan.marker}") and "charged twice" in plan.note_text
    assert plan.note_html.startswith("<p>") and f"empathy-cues ref: {plan.marker}" in plan.note_html
    from empathy_cues.core.guard import guard
    from empathy_cues.core.event import TicketEvent

    # Our note as the helpdesk echoes it: written by the plugin's (staff) API user, private.
    echo = TicketEvent.from_dict({**event_dict(), "comment_text": plan.note_text, "comment_id": "5",
                                  "author_role": "agent", "comment_public": False})
    assert guard(echo) == "own_note"


def test_an_event_in_progress_is_not_swept_even_after_a_long_wait_in_the_queue(sqlite_setup):
    """The attempt stamps the pending row, so the sweeper's grace counts from the attempt, not the intake."""
    import dataclasses

    settings, store = sqlite_setup
    settings = dataclasses.replace(settings, sweep_grace_seconds=5)
    key = "zendesk:acme:1002:90017"
    event = event_dict()
    store.claim(["delivery:x", "event:" + key], key, event)
    store.schedule(key, time.time() - 60)        # acknowledged a minute ago, stuck behind a backlog
    seen_by_sweeper = []

    class SlowClient(RecordingClient):
        def apply(self, plan):
            seen_by_sweeper.append(store.stale_pending(time.time() - settings.sweep_grace_seconds))
            super().apply(plan)

    client = SlowClient()
    runtime = Runtime(settings, store, client_factory=lambda h, s: client, composer=note)
    assert handle(runtime, event) == "applied"
    assert seen_by_sweeper == [[]]


def test_default_clients_of_one_helpdesk_share_one_rate_limiter(sqlite_setup):
    import threading

    settings, store = sqlite_setup
    runtime = Runtime(settings, store)
    clients = {}

    def build(name):
        clients[name] = (runtime.client("zendesk"), runtime.client("freshdesk"))

    threads = [threading.Thread(target=build, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (za, fa), (zb, fb) = clients["a"], clients["b"]
    assert za is not zb and za.session.limiter is zb.session.limiter            # per thread, shared budget
    assert fa.session.limiter is fb.session.limiter and fa.session.limiter is not za.session.limiter
    assert za.base_url == settings.helpdesks["zendesk"].api_url and fa.base_url == settings.helpdesks["freshdesk"].api_url


def test_retry_and_sweep_settings_from_the_environment(tmp_path):
    from empathy_cues.errors import ConfigError

    s = Settings.from_env(service_env(tmp_path, EMPATHY_RETRY_BASE_SECONDS="0.5", EMPATHY_SWEEP_GRACE_SECONDS="30"))
    assert s.retry_base_seconds == 0.5 and s.sweep_grace_seconds == 30
    assert Settings.from_env(service_env(tmp_path)).retry_base_seconds == 2.0
    for name, bad in (("EMPATHY_RETRY_BASE_SECONDS", "soon"), ("EMPATHY_RETRY_BASE_SECONDS", "0"),
                      ("EMPATHY_SWEEP_GRACE_SECONDS", "nan"), ("EMPATHY_SWEEP_GRACE_SECONDS", "inf")):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env(service_env(tmp_path, **{name: bad}))
    queue = make(s, SqliteStore(tmp_path / "s.sqlite3"), RecordingClient())
    assert queue.process_event.retry_delay == 0.5
