"""End to end, feedback and QA: the real `empathy-cues serve` (gunicorn + huey) against the Zendesk stand-in
on loopback (real zenpy), on SQLite and on the real Redis.

A customer's comment gets a note (a decision is logged); an agent runs the "Empathy note: helpful" macro,
whose tag reaches the plugin through the shipped feedback trigger's body; the agent's public reply
reaches it through the agent-reply trigger. Then `empathy-cues feedback report` counts the vote for the
cues of that decision, `empathy-cues report` counts the agent's scored reply, and no stored record holds
the customer's or the agent's words.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import service_env
from .test_e2e import API_USER_ID, REPO, Server, run_cli, wait_for, zendesk_event
from .standin import ZendeskStandin

pytestmark = pytest.mark.slow

CUSTOMER = "I tried three times to cancel and I was still charged twice. This is so frustrating."
AGENT_REPLY = ("Hi Dana, I'm so sorry you were charged twice after trying to cancel - I can see why that's "
               "frustrating. I've refunded the second charge and you'll see it within 3 business days. "
               "Let me know if anything else comes up.")
AGENT_ID = "500"
TICKET = 2001


def trigger_body(trigger: str, ticket: dict, *, latest_comment: str, current_user: str) -> bytes:
    """What Zendesk posts for one of our triggers: the shipped trigger_body.json with the trigger's "set"
    values, its placeholders filled in as Zendesk fills them."""
    manifest = json.loads((REPO / "manifests" / "zendesk" / "install.json").read_text())
    action = manifest["triggers"][trigger]["body"]["actions"][0]["value"][1]
    body = json.loads((REPO / "manifests" / "zendesk" / "trigger_body.json").read_text())
    body.update(action["set"])
    filled = {"{{ticket.id}}": str(ticket["id"]), "{{ticket.via}}": "Mail", "{{ticket.tags}}": " ".join(ticket["tags"]),
              "{{ticket.updated_at_with_timestamp}}": ticket["updated_at"], "{{current_user.id}}": current_user,
              "{{ticket.requester.id}}": str(ticket["requester_id"]), "{{ticket.requester.first_name}}": "Dana",
              "{{ticket.title}}": ticket["subject"], "{{ticket.latest_comment}}": latest_comment}
    return json.dumps({k: filled.get(v, v) for k, v in body.items()}).encode()


@pytest.fixture(params=["sqlite", "redis"])
def stack(request, tmp_path):
    extra = {}
    if request.param == "redis":
        extra["EMPATHY_QUEUE_URL"] = request.getfixturevalue("redis_url")
    with ZendeskStandin(api_user_id=API_USER_ID) as zendesk:
        env = service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk.url, EMPATHY_WORKERS="1", **extra)
        server = Server(env, tmp_path / "serve.log").start()
        try:
            yield request.param, server, zendesk, env
        finally:
            server.stop()


def _json_report(env, *args) -> dict:
    done = run_cli(env, *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _stored_text(kind: str, env: dict) -> str:
    """Every stored record, as one string."""
    if kind == "sqlite":
        db = sqlite3.connect(Path(env["EMPATHY_DATA_DIR"]) / "records.sqlite3")
        try:
            return "\n".join(row[0] for row in db.execute("select data from records"))
        finally:
            db.close()
    import redis

    client = redis.Redis.from_url(env["EMPATHY_QUEUE_URL"])
    return "\n".join(v.decode() for key in client.scan_iter(match="empathy-cues:rec:*")
                     if client.type(key) == b"hash" for v in client.hvals(key))


def test_a_macro_vote_and_an_agent_reply_reach_the_reports(stack):
    kind, server, zendesk, env = stack
    zendesk.add_ticket(TICKET, tags=["billing"], subject="Charged after cancelling",
                       comments=[{"body": CUSTOMER, "author_id": 382}])
    assert server.post_zendesk(zendesk_event(TICKET, 81001, CUSTOMER)).json()["queued"] is True
    assert wait_for(lambda: zendesk.notes(TICKET), 20), server.log()
    decision = wait_for(lambda: [d for d in _json_decisions(kind, env) if d["status"] == "applied"], 10)
    assert decision, server.log()
    cues = decision[0]["cue_ids"]

    # The macro adds the tag in Zendesk; the feedback trigger posts the ticket with its current tags.
    ticket = zendesk.tickets[TICKET]
    ticket["tags"].append("empathy_feedback_helpful")
    note = zendesk.notes(TICKET)[-1]["body"]
    vote = trigger_body("notify_feedback", ticket, latest_comment=note, current_user=AGENT_ID)
    assert server.post_zendesk(vote).json()["queued"] is True
    # The agent's public reply, through the agent-reply trigger.
    reply = trigger_body("notify_agent_reply", {**ticket, "updated_at": "2026-12-01T10:00:00Z"},
                         latest_comment=AGENT_REPLY, current_user=AGENT_ID)
    assert server.post_zendesk(reply).json()["queued"] is True

    feedback = wait_for(lambda: _json_report(env, "feedback", "report")["votes"] == 1 and
                        _json_report(env, "feedback", "report"), 20)
    assert feedback, server.log()
    by_cue = {r["name"]: r for r in feedback["by_cue"]}
    assert set(cues) <= set(by_cue) and all(by_cue[c]["helpful"] == 1 and by_cue[c]["votes"] == 1 for c in cues)
    assert feedback["by_situation"] and feedback["by_part"]

    qa = wait_for(lambda: _json_report(env, "report")["team"]["replies"] == 1 and _json_report(env, "report"), 20)
    assert qa, server.log()
    [agent] = qa["agents"]
    assert agent["agent_id"] == AGENT_ID and agent["flagged_tickets"] == 1
    assert agent["rates"]["apology"] == 1.0 and agent["rates"]["restate"] == 1.0 and agent["average"] >= 80

    # The same vote seen again on a later update is not counted twice.
    again = trigger_body("notify_feedback", {**ticket, "updated_at": "2026-12-01T11:00:00Z"},
                         latest_comment=note, current_user=AGENT_ID)
    assert server.post_zendesk(again).json()["queued"] is True
    server.barrier(zendesk)
    assert _json_report(env, "feedback", "report")["votes"] == 1

    stored = _stored_text(kind, env)
    assert stored and "charged twice" not in stored and "so sorry" not in stored.lower()
    assert CUSTOMER not in stored and "Dana" not in stored and "business days" not in stored


def _json_decisions(kind: str, env: dict) -> list[dict]:
    from empathy_cues.records import recent_decisions
    from empathy_cues.records.store import RedisRecords, SqliteRecords

    if kind == "sqlite":
        path = Path(env["EMPATHY_DATA_DIR"]) / "records.sqlite3"
        if not path.exists():
            return []
        records = SqliteRecords(path)
    else:
        records = RedisRecords(env["EMPATHY_QUEUE_URL"])
    return [d.to_record() for d in recent_decisions(records, 10)]
