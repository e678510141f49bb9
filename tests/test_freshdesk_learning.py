"""Freshdesk: an agent's reply and a feedback tag, posted in the shipped automation rules' body shapes, go
through the real intake and the worker, whose real requests client fetches the reply from the loopback
stand-in (the rules leave the text out); a QA row and a vote are stored, with no text."""
import json

from empathy_cues.service.intake import Intake
from empathy_cues.qa.scores import qa_since
from empathy_cues.feedback.votes import votes_since
from empathy_cues.records.decisions import record_decision
from empathy_cues.records.store import SqliteRecords
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import FRESHDESK_SECRET, service_env
from .test_decision_log import _decision
from .test_e2e import REPO

REPLY = ("<div>Hi Ana, I'm so sorry the export keeps failing - I can see why that's frustrating. I'll send you "
         "the file myself by 3pm today.</div>")


def rule_body(rule: str, ticket: dict) -> bytes:
    manifest = json.loads((REPO / "manifests" / "freshdesk" / "install.json").read_text())
    action = manifest["automation_rules"][rule]["body"]["actions"][0]["body"]
    body = json.loads((REPO / "manifests" / "freshdesk" / "webhook_body.json").read_text())
    body.update(action["set"])
    filled = {"{{ticket.id}}": str(ticket["id"]), "{{ticket.source}}": "Email", "{{ticket.tags}}": ",".join(ticket["tags"]),
              "{{ticket.requester.name}}": "Ana", "{{ticket.subject}}": ticket["subject"],
              "{{ticket.description}}": ticket["description"], "{{triggered_event}}": "ignored",
              "{{ticket.latest_public_comment}}": ticket.get("latest", "")}
    return json.dumps({k: filled.get(v, v) for k, v in body.items()}).encode()


def test_agent_reply_and_feedback_from_freshdesk_rules(tmp_path, freshdesk_standin):
    settings = Settings.from_env(service_env(tmp_path / "data", EMPATHY_FRESHDESK_API_URL=freshdesk_standin.url))
    store = SqliteStore(tmp_path / "state.sqlite3")
    queued = []
    intake = Intake(settings, store, queued.append)
    records = SqliteRecords(tmp_path / "data" / "records.sqlite3")
    record_decision(records, _decision("5", 1.0).__class__(**{**_decision("5", 1.0).to_record(),
                                                              "helpdesk": "freshdesk", "key": "freshdesk:acme:5:1"}))
    ticket = freshdesk_standin.add_ticket(5, tags=["billing"], subject="Export keeps failing",
                                          conversations=[{"body": "<div>It fails</div>", "user_id": 11},
                                                         {"body": REPLY, "incoming": False, "user_id": 701}])
    headers = {"X-Empathy-Secret": FRESHDESK_SECRET}
    # The rule's body carries the reply but not who wrote it: the worker asks the conversations list.
    assert intake.receive("freshdesk", rule_body("notify_agent_reply", {**ticket, "latest": REPLY}),
                          headers)[1]["queued"] is True
    ticket["tags"].append("empathy_feedback_unhelpful")
    assert intake.receive("freshdesk", rule_body("notify_feedback", ticket), headers)[1]["queued"] is True

    runtime = Runtime(settings, store)
    assert [handle(runtime, event) for event in queued] == ["agent_comment", "agent_comment"]
    [row] = qa_since(records, 0)
    assert (row.helpdesk, row.ticket_id, row.agent_id, row.flagged) == ("freshdesk", "5", "701", True)
    assert row.criteria["apology"] and row.criteria["next_step"] and not row.apology_missing
    [vote] = votes_since(records, 0)
    assert vote.vote == "unhelpful" and vote.cue_ids == ("struggle.tried",)
    raw = json.dumps(records.since("qa", 0) + records.since("vote", 0))
    assert "export keeps failing" not in raw.lower() and "so sorry" not in raw
