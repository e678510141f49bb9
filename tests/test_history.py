"""Repeat contact from the customer's history: the worker against the loopback stand-ins (real zenpy and
requests clients, real SQLite state), and the pure decision over plain records."""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta, timezone

import pytest

from empathy_cues import analyze
from empathy_cues.core.decision import Policy
from empathy_cues.core.event import AuthorRole, Channel, EventKind, TicketEvent
from empathy_cues.core.history import EarlierTicket, HistorySettings, find_repeat, with_history
from empathy_cues.service.intake import Intake
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import FRESHDESK_SECRET, service_env
from .test_e2e import REPO

NOW = datetime.now(timezone.utc)
LATE_ORDER = "My order hasn't arrived and it was due last Tuesday. Where is my parcel?"
EARLIER_LATE = [
    ("Order not here", "Hello, my order was meant to arrive on Monday and nothing has come. Can you check the delivery?"),
    ("Parcel missing", "The parcel never came. Tracking says out for delivery since Friday but no package."),
]
OWNERSHIP = ("keep you updated myself", "keep you posted myself", "follow it through myself")
# The history_ack part's openings (phrase_packs/templates/en.yaml).
_HISTORY_ACK = re.compile(r"I can see (?:you've|that you have|this isn't the first|your earlier)")
UNRELATED = [
    ("Password reset", "I can't log in, the password reset email never reaches my inbox."),
    ("Invoice question", "Could you send me a copy of last month's invoice for my accountant?"),
]


def event(helpdesk: str, ticket_id: int, text: str, *, requester: str = "11", comment_id: str = "5001",
          subject: str = "Late order") -> dict:
    return TicketEvent(helpdesk=helpdesk, account="acme", ticket_id=str(ticket_id), kind=EventKind.COMMENT_ADDED,
                       channel=Channel.EMAIL, subject=subject, comment_text=text, comment_is_html=False,
                       comment_id=comment_id, author_id=requester, author_role=AuthorRole.END_USER, comment_public=True,
                       requester_name="Dana", requester_id=requester, tags=(),
                       delivery_id=f"d-{ticket_id}-{comment_id}").to_dict()


@pytest.fixture
def runtime(tmp_path, zendesk_standin, freshdesk_standin):
    env = service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk_standin.url,
                      EMPATHY_FRESHDESK_API_URL=freshdesk_standin.url)
    settings = Settings.from_env(env)
    return Runtime(settings, SqliteStore(tmp_path / "data" / "state.sqlite3"))


def seed_zendesk(zd, earlier, *, requester: int = 11) -> None:
    zd.add_ticket(300, comments=[{"body": LATE_ORDER, "author_id": requester}], subject="Late order",
                  requester_id=requester)
    for n, (subject, text) in enumerate(earlier):
        zd.add_ticket(101 + n, comments=[{"body": text, "author_id": requester}], subject=subject,
                      requester_id=requester)
        zd.set_times(101 + n, created_at=NOW - timedelta(days=5 - 2 * n))
    zd.set_times(300, created_at=NOW - timedelta(minutes=5))


def requested_calls(standin, user: str = "11"):
    return standin.calls_to("GET", f"/api/v2/users/{user}/tickets/requested")


def test_two_earlier_tickets_about_a_late_order_make_a_repeat_contact(runtime, zendesk_standin):
    seed_zendesk(zendesk_standin, EARLIER_LATE)
    assert "empathy_cue_repeat_contact" not in analyze(LATE_ORDER, subject="Late order").tags   # not from words
    assert handle(runtime, event("zendesk", 300, LATE_ORDER)) == "applied"
    ticket = zendesk_standin.tickets[300]
    assert {"empathy_cue_repeat_contact", "empathy_priority", "empathy_apology"} <= set(ticket["tags"])
    [note] = zendesk_standin.notes(300)
    body = note["body"]
    assert "I can see" in body                                  # the history_ack part: we can see them
    assert any(owner in body for owner in OWNERSHIP)            # and the reply takes ownership
    days = [(NOW - timedelta(days=5 - 2 * n)).date().isoformat() for n in range(2)]
    assert f"#101 ({days[0]})" in body and f"#102 ({days[1]})" in body
    for subject, text in EARLIER_LATE:          # ids and dates, never the earlier tickets' words
        assert text[:30] not in body and subject not in body
    [call] = requested_calls(zendesk_standin)
    assert call.query["sort_by"] == ["created_at"] and call.query["sort_order"] == ["desc"]


def test_unrelated_earlier_tickets_are_no_repeat_contact(runtime, zendesk_standin):
    seed_zendesk(zendesk_standin, UNRELATED)
    assert handle(runtime, event("zendesk", 300, LATE_ORDER)) == "applied"
    assert "empathy_cue_repeat_contact" not in zendesk_standin.tickets[300]["tags"]
    [note] = zendesk_standin.notes(300)
    # (No history_ack: "I can see you've contacted us ...", not "I can see how frustrating this has been".)
    assert not _HISTORY_ACK.search(note["body"]) and "earlier tickets" not in note["body"]
    assert len(requested_calls(zendesk_standin)) == 1


def test_a_failing_history_call_still_posts_the_note(runtime, zendesk_standin, caplog):
    seed_zendesk(zendesk_standin, EARLIER_LATE)
    zendesk_standin.fail_next(1, status=500, path="/api/v2/users/11/tickets/requested")
    with caplog.at_level(logging.INFO, logger="empathy_cues"):
        assert handle(runtime, event("zendesk", 300, LATE_ORDER)) == "applied"
    [note] = zendesk_standin.notes(300)
    assert "empathy_cue_repeat_contact" not in zendesk_standin.tickets[300]["tags"]
    lines = [r.getMessage() for r in caplog.records if "history" in r.getMessage()]
    assert lines == ["requester history unavailable (RetryableHelpdeskError); note without history"]
    assert not any("parcel" in r.getMessage().lower() for r in caplog.records)     # no customer text


def test_history_is_asked_once_per_requester_and_only_when_something_is_owed(runtime, zendesk_standin):
    seed_zendesk(zendesk_standin, EARLIER_LATE)
    zendesk_standin.add_ticket(301, comments=[{"body": "Thanks, all good now!", "author_id": 11}], requester_id=11)
    assert handle(runtime, event("zendesk", 301, "Thanks, all good now!", comment_id="7001", subject="Thanks")) == "nothing_owed"
    assert requested_calls(zendesk_standin) == []
    assert handle(runtime, event("zendesk", 300, LATE_ORDER)) == "applied"
    assert handle(runtime, event("zendesk", 300, "Still no parcel and nobody has replied.", comment_id="5002")) == "applied"
    assert len(requested_calls(zendesk_standin)) == 1          # cached per requester


def test_freshdesk_requester_history_through_the_ticket_list(runtime, freshdesk_standin):
    fd = freshdesk_standin
    fd.add_ticket(300, description=f"<div>{LATE_ORDER}</div>", subject="Late order", requester_id=11)
    for n, (subject, text) in enumerate(EARLIER_LATE):
        fd.add_ticket(101 + n, description=f"<div>{text}</div>", subject=subject, requester_id=11)
        fd.set_times(101 + n, created_at=NOW - timedelta(days=3 + n))
    fd.set_times(300, created_at=NOW)
    assert handle(runtime, event("freshdesk", 300, LATE_ORDER)) == "applied"
    assert "empathy_cue_repeat_contact" in fd.tickets[300]["tags"]
    [note] = fd.notes(300)
    assert "I can see" in note["body"] and "#101" in note["body"] and "#102" in note["body"]
    [call] = fd.calls_to("GET", "/api/v2/tickets")
    assert call.query["requester_id"] == ["11"] and call.query["include"] == ["description"]


def freshdesk_webhook(ticket_id: int, email: str, text: str, subject: str = "Late order") -> bytes:
    """The shipped body as the "new ticket" rule sends it (install.json sets the kind), filled as Freshdesk
    renders it: no requester id, the requester's e-mail."""
    manifest = json.loads((REPO / "manifests" / "freshdesk" / "install.json").read_text())
    rule = manifest["automation_rules"]["notify_created"]["body"]["actions"][0]["body"]
    body = {**json.loads((REPO / "manifests" / "freshdesk" / "webhook_body.json").read_text()), **rule["set"]}
    filled = {"{{ticket.id}}": str(ticket_id), "{{triggered_event}}": "", "{{ticket.source}}": "Email",
              "{{ticket.tags}}": "", "{{ticket.requester.email}}": email, "{{ticket.requester.name}}": "Mira",
              "{{ticket.subject}}": subject, "{{ticket.description}}": f"<div>{text}</div>",
              "{{ticket.latest_public_comment}}": ""}
    return json.dumps({k: filled.get(v, v) for k, v in body.items()}).encode()


def live_freshdesk_webhook(tmp_path, standin, raw: bytes) -> tuple[Runtime, dict]:
    """``raw`` through the real intake (secret checked, normalised, queued) into a worker runtime."""
    settings = Settings.from_env(service_env(tmp_path / "fd", EMPATHY_FRESHDESK_API_URL=standin.url))
    store = SqliteStore(tmp_path / "fd" / "state.sqlite3")
    queued: list[dict] = []
    status, answer = Intake(settings, store, queued.append).receive("freshdesk", raw,
                                                                   {"X-Empathy-Secret": FRESHDESK_SECRET})
    assert answer["queued"] is True, (status, answer)
    [queued_event] = queued
    return Runtime(settings, store), queued_event


@pytest.mark.slow
def test_a_live_freshdesk_webhook_finds_the_requesters_history_by_email(tmp_path, freshdesk_standin, caplog):
    fd, email = freshdesk_standin, "mira.k+orders@example.net"
    fd.add_contact(11, email)
    fd.add_ticket(300, description=f"<div>{LATE_ORDER}</div>", subject="Late order", requester_id=11)
    for n, (subject, text) in enumerate(EARLIER_LATE):
        fd.add_ticket(101 + n, description=f"<div>{text}</div>", subject=subject, requester_id=11)
        fd.set_times(101 + n, created_at=NOW - timedelta(days=3 + n))
    fd.add_ticket(150, description="<div>My order is late too.</div>", subject="Late order", requester_id=12)
    fd.set_times(150, created_at=NOW - timedelta(days=2))          # someone else's: not counted
    fd.set_times(300, created_at=NOW)
    runtime, queued = live_freshdesk_webhook(tmp_path, fd, freshdesk_webhook(300, email, LATE_ORDER))
    assert queued["requester_id"] is None and queued["requester_email"] == email
    with caplog.at_level(logging.INFO, logger="empathy_cues"):
        assert handle(runtime, queued) == "applied"
    assert {"empathy_cue_repeat_contact", "empathy_priority"} <= set(fd.tickets[300]["tags"])
    [note] = fd.notes(300)
    assert "I can see" in note["body"] and any(owner in note["body"] for owner in OWNERSHIP)
    assert "#101" in note["body"] and "#102" in note["body"] and "#150" not in note["body"]
    [call] = fd.calls_to("GET", "/api/v2/tickets")
    assert call.query["email"] == [email] and "requester_id" not in call.query     # "+" arrived encoded
    assert not any(email in r.getMessage() or "mira" in str(r.__dict__).lower() for r in caplog.records)


@pytest.mark.slow
def test_an_address_freshdesk_knows_no_contact_for_is_no_history_not_a_failure(tmp_path, freshdesk_standin, caplog):
    fd = freshdesk_standin
    fd.add_ticket(300, description=f"<div>{LATE_ORDER}</div>", subject="Late order", requester_id=11)
    runtime, queued = live_freshdesk_webhook(tmp_path, fd, freshdesk_webhook(300, "nobody@example.net", LATE_ORDER))
    with caplog.at_level(logging.INFO, logger="empathy_cues"):
        assert handle(runtime, queued) == "applied"
    assert len(fd.calls_to("GET", "/api/v2/tickets")) == 1 and len(fd.notes(300)) == 1
    assert "empathy_cue_repeat_contact" not in fd.tickets[300]["tags"]
    assert not any("history unavailable" in r.getMessage() for r in caplog.records)


def test_an_event_with_neither_requester_id_nor_email_makes_no_history_call(runtime, freshdesk_standin):
    fd = freshdesk_standin
    fd.add_contact(11, "mira@example.net")
    fd.add_ticket(300, description=f"<div>{LATE_ORDER}</div>", subject="Late order", requester_id=11)
    for n, (subject, text) in enumerate(EARLIER_LATE):
        fd.add_ticket(101 + n, description=f"<div>{text}</div>", subject=subject, requester_id=11)
    anonymous = {**event("freshdesk", 300, LATE_ORDER), "requester_id": None, "author_id": None,
                 "author_role": "unknown", "requester_email": None}
    assert handle(runtime, anonymous) == "applied"
    assert fd.calls_to("GET", "/api/v2/tickets") == []
    assert "empathy_cue_repeat_contact" not in fd.tickets[300]["tags"]


def test_the_cache_keeps_a_requester_found_by_email_apart_from_ids(monkeypatch):
    from empathy_cues.helpdesks.freshdesk.spec import Freshdesk
    from empathy_cues.worker.history_lookup import HistoryLookup

    asked = []
    monkeypatch.setattr(Freshdesk, "requested_tickets", lambda self, client, requester_id, since:
                        asked.append(("id", requester_id)) or [])
    monkeypatch.setattr(Freshdesk, "tickets_by_email", lambda self, client, email, since:
                        asked.append(("email", email)) or [])
    lookup = HistoryLookup(HistorySettings(), client_for=lambda helpdesk: None)
    base = {**event("freshdesk", 300, LATE_ORDER), "requester_id": None, "author_id": None, "author_role": "unknown"}
    for email in ("Mira@Example.net", "mira@example.net"):          # one requester, one call
        assert lookup.earlier_tickets(TicketEvent.from_dict({**base, "requester_email": email})) == ()
    lookup.earlier_tickets(TicketEvent.from_dict({**base, "requester_id": "11", "requester_email": "mira@example.net"}))
    zendesk = {**base, "helpdesk": "zendesk", "requester_email": "mira@example.net"}
    assert lookup.earlier_tickets(TicketEvent.from_dict(zendesk)) is None      # Zendesk's events carry ids
    assert asked == [("email", "Mira@Example.net"), ("id", "11")]


# -- the pure decision ------------------------------------------------------------------------------

def _situation(ticket: EarlierTicket) -> str:
    return analyze(ticket.text, subject=ticket.subject).situation


def _earlier(days_ago: float, subject: str, text: str, ticket_id: str) -> EarlierTicket:
    return EarlierTicket(ticket_id, NOW - timedelta(days=days_ago), subject, text)


def test_only_tickets_inside_the_window_count():
    current = analyze(LATE_ORDER, subject="Late order")
    settings = HistorySettings(window_days=14)
    old = [_earlier(20, *EARLIER_LATE[0], "1"), _earlier(3, *EARLIER_LATE[1], "2")]
    assert find_repeat(current, "9", old, now=NOW, settings=settings, situation_of=_situation) is None
    inside = [_earlier(10, *EARLIER_LATE[0], "1"), _earlier(3, *EARLIER_LATE[1], "2"), _earlier(0, "x", LATE_ORDER, "9")]
    repeat = find_repeat(current, "9", inside, now=NOW, settings=settings, situation_of=_situation)
    assert [ticket_id for ticket_id, _ in repeat.earlier] == ["1", "2"]       # oldest first, itself left out


def test_subjects_that_read_alike_count_when_the_situation_is_unknown():
    current = analyze("This is not acceptable, I am so frustrated.", subject="Widget Pro 3000 rattles")
    assert current.situation == "other" and current.apology
    earlier = [_earlier(2, "Widget Pro 3000 rattles", "Hi", "1"), _earlier(1, "widget pro 3000 rattling", "Hello", "2"),
               _earlier(1, "Where is my invoice", "Hello", "3")]
    repeat = find_repeat(current, "9", earlier, now=NOW, settings=HistorySettings(), situation_of=_situation)
    assert [ticket_id for ticket_id, _ in repeat.earlier] == ["1", "2"]


def test_with_history_owes_priority_and_names_the_tickets_without_their_words():
    current = analyze("I was charged twice for one order.", subject="Double charge")
    repeat = find_repeat(current, "9", [_earlier(4, "Charged twice", "You took the money twice from my card.", "41"),
                                        _earlier(2, "Refund", "Still waiting for the refund of the double charge.", "42")],
                         now=NOW, settings=HistorySettings(), situation_of=_situation)
    after = with_history(current, repeat, Policy())
    assert after.priority and after.tags[:2] == ("empathy_apology", "empathy_priority")
    assert "empathy_cue_repeat_contact" in after.tags and after.repeat_history == repeat.earlier
    assert any("#41" in r and "#42" in r for r in after.reasons)
    assert not any("money" in r for r in after.reasons)
    assert with_history(current, None, Policy()) is current


def test_history_can_be_turned_off_in_the_settings_file(tmp_path, zendesk_standin):
    config = tmp_path / "settings.toml"
    config.write_text("[history]\nenabled = false\n", encoding="utf-8")
    env = service_env(tmp_path / "data", EMPATHY_ZENDESK_API_URL=zendesk_standin.url, EMPATHY_CONFIG=str(config))
    runtime = Runtime(Settings.from_env(env), SqliteStore(tmp_path / "data" / "state.sqlite3"))
    seed_zendesk(zendesk_standin, EARLIER_LATE)
    assert handle(runtime, event("zendesk", 300, LATE_ORDER)) == "applied"
    assert requested_calls(zendesk_standin) == []
    assert "empathy_cue_repeat_contact" not in zendesk_standin.tickets[300]["tags"]


def test_a_bad_history_setting_names_the_file_and_key(tmp_path):
    from empathy_cues.policy_file import PluginConfig
    from empathy_cues.errors import ConfigError

    config = tmp_path / "settings.toml"
    config.write_text("[history]\nwindow_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings.toml: history.window_days must be a whole number from 1 to 365"):
        PluginConfig.load(config)


def test_an_earlier_tickets_situation_is_read_once():
    from empathy_cues.worker.history_lookup import HistoryLookup

    lookup = HistoryLookup(HistorySettings(), client_for=lambda helpdesk: None)
    current = TicketEvent.from_dict(event("zendesk", 300, LATE_ORDER))
    ticket = _earlier(2, *EARLIER_LATE[0], "101")
    reads = []
    for _ in range(3):
        assert lookup.remembered(current, ticket, lambda: reads.append(1) or "order_delivery") == "order_delivery"
    assert len(reads) == 1
    edited = EarlierTicket("101", ticket.created_at, ticket.subject, ticket.text + " Update: still nothing.")
    lookup.remembered(current, edited, lambda: reads.append(1) or "order_delivery")
    assert len(reads) == 2                                   # a changed ticket is read again
