"""A worker killed mid-task: its lease names it, and the next worker takes the event back at once (not
after the sweeper's 5-minute grace)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest

from empathy_cues.owners import gone_here, this_process
from empathy_cues.service.settings import Settings
from empathy_cues.durable.state import open_store

from .conftest import service_env
from .test_e2e import note_calls, wait_for, zendesk_event


def dead_owner() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:1"


def test_owner_names_this_process_and_tells_the_dead_from_the_living():
    me = this_process()
    assert me.startswith(f"{socket.gethostname()}:{os.getpid()}:") and not gone_here(me)
    assert gone_here(dead_owner())
    assert not gone_here(f"{socket.gethostname()}:{os.getpid()}:{me.rsplit(':', 1)[1]}")
    assert gone_here(f"{socket.gethostname()}:{os.getpid()}:999999999")     # a recycled pid is not the owner
    assert not gone_here("another-host:1:1")                              # not judged from here


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    env = service_env(tmp_path / "data")
    if request.param == "redis":
        env["EMPATHY_QUEUE_URL"] = request.getfixturevalue("redis_url")
    return open_store(Settings.from_env(env))


def test_a_lease_of_a_gone_owner_is_taken_back_once_and_a_living_ones_is_not(store):
    event = {"helpdesk": "zendesk", "ticket_id": "7"}
    assert store.claim(["delivery:a"], "k-dead", event) and store.claim(["delivery:b"], "k-live", {**event, "ticket_id": "8"})
    me = this_process()
    store.heartbeat(me, 30)
    assert store.begin_attempt("k-dead", event, 300, owner=dead_owner()) == "ok"
    assert store.begin_attempt("k-live", {**event, "ticket_id": "8"}, 300, owner=me) == "ok"
    assert store.take_orphaned(gone_here) == [event]
    assert store.take_orphaned(gone_here) == []                           # exactly once
    assert store.begin_attempt("k-dead", event, 300, owner=me) == "ok"     # free for the next attempt
    assert store.begin_attempt("k-live", event, 300, owner=me) == "busy"


def test_redis_lease_of_an_owner_whose_heartbeat_stopped_is_taken_back(redis_url, tmp_path):
    store = open_store(Settings.from_env(service_env(tmp_path / "data", EMPATHY_QUEUE_URL=redis_url)))
    event = {"helpdesk": "zendesk", "ticket_id": "9"}
    store.claim(["delivery:c"], "k-remote", event)
    assert store.begin_attempt("k-remote", event, 300, owner="other-host:42:1") == "ok"
    store.heartbeat("other-host:42:1", 30)
    assert store.take_orphaned(gone_here) == []                           # its host still beats
    store.redis.delete(store._k("owner", "other-host:42:1"))              # ... until it stops
    assert store.take_orphaned(gone_here) == [event]


@pytest.mark.slow  # kills a real worker process
def test_killed_worker_event_is_done_in_seconds_not_after_the_grace(tmp_path):
    """`serve` (one worker thread) is SIGKILLed while its helpdesk call hangs; a new `serve` on the same
    data dir, with the default 300 s grace, posts the note well within 30 s."""
    from .standin import ZendeskStandin
    from .test_e2e import API_USER_ID, Server

    with ZendeskStandin(api_user_id=API_USER_ID) as zendesk:
        env = service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url, EMPATHY_WORKERS="1")
        for name in ("EMPATHY_FRESHDESK_DOMAIN", "EMPATHY_FRESHDESK_API_KEY", "EMPATHY_FRESHDESK_WEBHOOK_SECRET"):
            env.pop(name)
        assert "EMPATHY_SWEEP_GRACE_SECONDS" not in env
        zendesk.add_ticket(1301, tags=[], comments=[{"body": "x", "author_id": 382}])
        first = Server(env, tmp_path / "first.log").start()
        try:
            zendesk.slow_next(1, seconds=6, method="GET", path="/api/v2/users/me")
            text = "I was charged twice this month and nobody has answered my emails. I'm really disappointed."
            assert first.post_zendesk(zendesk_event(1301, 91301, text)).json()["queued"] is True
            assert wait_for(lambda: zendesk.calls_to("GET", "/api/v2/users/me"), timeout=15), first.log()
        finally:
            first.stop(signal.SIGKILL)
        second = Server(env, tmp_path / "second.log").start()
        try:
            assert wait_for(lambda: zendesk.notes(1301), timeout=30), second.log()
            assert "took back 1 event(s) whose worker is gone" in second.log()
            second.barrier(zendesk)
            assert len(zendesk.notes(1301)) == 1 and len(note_calls(zendesk, 1301)) == 1
        finally:
            second.stop()
