import json

import pytest

from empathy_cues.errors import BadPayload, MissingField
from empathy_cues.core.event import AuthorRole, Channel, EventKind, Ignored, TicketEvent
from empathy_cues.helpdesks.freshdesk.normalize import normalize as fd_normalize
from empathy_cues.helpdesks.zendesk.normalize import channel_from_via, normalize as zd_normalize
from empathy_cues.resources import data_path

from .conftest import sample_bytes


def zd(name: str, headers=None):
    return zd_normalize(sample_bytes("zendesk", name), headers or {}, account="acme")


def fd(name: str):
    return fd_normalize(sample_bytes("freshdesk", name), {}, account="acme")


def test_zendesk_trigger_body():
    e = zd("trigger_comment.json")
    assert (e.helpdesk, e.account, e.ticket_id, e.kind) == ("zendesk", "acme", "1001", EventKind.COMMENT_ADDED)
    assert e.channel is Channel.EMAIL and e.author_role is AuthorRole.END_USER and e.comment_public
    assert e.tags == ("billing", "vip") and e.requester_name == "Dana" and e.author_id == "381"
    assert "frustrating" in e.comment_text and e.subject == "Still can't log in"
    assert e.delivery_id.startswith("zd-")


def test_zendesk_trigger_delivery_id_is_stable_and_ignores_the_unsigned_invocation_header():
    assert zd("trigger_comment.json").delivery_id == zd("trigger_comment.json").delivery_id
    e = zd("trigger_comment.json", {"X-Zendesk-Webhook-Invocation-Id": "inv-77"})
    assert e.delivery_id == zd("trigger_comment.json").delivery_id


def test_zendesk_event_comment_added():
    e = zd("event_comment_added.json")
    assert (e.ticket_id, e.kind, e.comment_id, e.author_id) == ("1002", EventKind.COMMENT_ADDED, "90017", "382")
    assert e.author_role is AuthorRole.END_USER and e.channel is Channel.WEB
    assert e.delivery_id == "cbe4028c-7239-495d-b020-f22348516046"
    assert e.dedupe_key == "zendesk:acme:1002:90017"


def test_zendesk_event_ticket_created_uses_description():
    e = zd("event_ticket_created.json")
    assert e.kind is EventKind.CREATED and "crashing" in e.comment_text and e.author_role is AuthorRole.END_USER


def test_zendesk_agent_and_own_note_are_marked_as_staff_and_private():
    agent = zd("agent_comment.json")
    own = zd("own_note_echo.json")
    assert agent.author_role is AuthorRole.AGENT
    assert own.comment_public is False and "empathy-cues ref:" in own.comment_text


def test_zendesk_unknown_event_type_is_ignored_with_reason():
    assert zd("unknown_event.json") == Ignored("event_type:ticket.priority_changed")


def test_zendesk_unescaped_text_is_salvaged_from_ids():
    raw = sample_bytes("zendesk", "trigger_unescaped_text.json")
    with pytest.raises(ValueError):
        json.loads(raw)
    e = zd("trigger_unescaped_text.json")
    assert e.ticket_id == "1004" and e.comment_text == "" and e.author_role is AuthorRole.END_USER


@pytest.mark.parametrize("body,field", [
    (b'{"latest_comment": "hi"}', "ticket_id"),
    (b'{"ticket_id": "{{ticket.id}}"}', "ticket_id"),
    (b'{"ticket_id": "12; drop"}', "ticket_id"),
])
def test_zendesk_missing_or_unusable_ticket_id(body, field):
    with pytest.raises(MissingField) as err:
        zd_normalize(body, {}, account="acme")
    assert err.value.field == field and err.value.to_json()["field"] == field and err.value.status == 400


@pytest.mark.parametrize("body", [b"not json", b"[1,2]", b"\xff\xfe", b""])
def test_zendesk_invalid_json(body):
    with pytest.raises(BadPayload) as err:
        zd_normalize(body, {}, account="acme")
    assert err.value.code == "invalid_json"


def test_event_without_detail_object_names_it():
    with pytest.raises(BadPayload, match="detail"):
        zd_normalize(b'{"type": "zen:event-type:ticket.created", "detail": "x"}', {}, account="acme")


@pytest.mark.parametrize("via,channel", [("Mail", Channel.EMAIL), ("Web form", Channel.WEB), ("Twitter", Channel.SOCIAL),
                                         ("Chat", Channel.CHAT), ("Phone call (incoming)", Channel.PHONE),
                                         ("web_service", Channel.API), ("Web service", Channel.API),
                                         ("voicemail", Channel.PHONE), ("chat_offline_message", Channel.CHAT),
                                         ("iphone", Channel.CHAT), ("android", Channel.CHAT),
                                         ("helpcenter", Channel.WEB), ("Help Center", Channel.WEB),
                                         ("text_message", Channel.CHAT), ("telegram", Channel.CHAT),
                                         ("viber", Channel.CHAT), ("", Channel.OTHER), ("closed_ticket", Channel.OTHER)])
def test_via_names(via, channel):
    assert channel_from_via(via) is channel


def test_freshdesk_reply_is_html_and_from_customer():
    e = fd("reply.json")
    assert (e.helpdesk, e.ticket_id, e.kind) == ("freshdesk", "2001", EventKind.COMMENT_ADDED)
    assert e.comment_is_html and "<p>" in e.comment_text and e.author_role is AuthorRole.END_USER
    assert e.tags == ("onboarding", "trial") and e.channel is Channel.EMAIL
    assert e.delivery_id == fd("reply.json").delivery_id   # Freshdesk retries hash the same


def test_freshdesk_created_uses_description():
    e = fd("created.json")
    assert e.kind is EventKind.CREATED and "export" in e.comment_text and e.channel is Channel.WEB


def test_freshdesk_unknown_event_is_ignored():
    assert isinstance(fd("unknown_event.json"), Ignored)


def test_freshdesk_agent_reply_is_marked_agent():
    e = fd_normalize(b'{"ticket_id": "5", "event": "{reply_sent:agent}", "latest_public_comment": "hi"}', {},
                     account="acme")
    assert e.author_role is AuthorRole.AGENT


def test_events_round_trip_through_dict():
    for e in (zd("trigger_comment.json"), zd("event_comment_added.json"), fd("reply.json")):
        assert TicketEvent.from_dict(json.loads(json.dumps(e.to_dict()))) == e


def test_to_dict_holds_every_field_in_order_with_plain_values():
    import dataclasses

    e = dataclasses.replace(zd("trigger_comment.json"), tags=("a", "b"), received_at=12.5)
    data = e.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(TicketEvent)]
    assert data["kind"] == e.kind.value and type(data["kind"]) is str
    assert data["channel"] == e.channel.value and data["author_role"] == e.author_role.value
    assert data["tags"] == ["a", "b"] and data["received_at"] == 12.5 and data["ticket_id"] == e.ticket_id


@pytest.mark.parametrize("helpdesk,name", [("zendesk", "trigger_body.json"), ("freshdesk", "webhook_body.json")])
def test_shipped_templates_are_json_and_normalise_once_filled(helpdesk, name):
    template = (data_path("manifests") / helpdesk / name).read_text()
    filled = (template.replace("{{ticket.id}}", "42").replace("{{ticket.latest_comment}}", "I'm stuck")
              .replace("{{ticket.latest_public_comment}}", "I'm stuck").replace("{{triggered_event}}", "reply_sent"))
    normalize = zd_normalize if helpdesk == "zendesk" else fd_normalize
    e = normalize(filled.encode(), {}, account="acme")
    assert e.ticket_id == "42" and e.comment_text == "I'm stuck"
    assert e.tags == () and e.subject == ""          # unfilled placeholders count as empty


def _filled_freshdesk_body(email: str) -> bytes:
    template = (data_path("manifests") / "freshdesk" / "webhook_body.json").read_text()
    return (template.replace("{{ticket.id}}", "42").replace("{{ticket.requester.email}}", email)
            .replace("{{ticket.latest_public_comment}}", "Still no parcel").replace("{{triggered_event}}", "reply_sent")
            .encode())


def test_freshdesk_body_carries_the_requesters_email_onto_the_event():
    e = fd_normalize(_filled_freshdesk_body("mira.k+orders@example.net"), {}, account="acme")
    assert e.requester_email == "mira.k+orders@example.net" and e.requester_id is None
    assert TicketEvent.from_dict(json.loads(json.dumps(e.to_dict()))) == e
    # an event queued before the field existed still reads
    old = {k: v for k, v in e.to_dict().items() if k != "requester_email"}
    assert TicketEvent.from_dict(old).requester_email is None


@pytest.mark.parametrize("value", ["{{ticket.requester.email}}", "", "not an address", "a@b@c",
                                   "x" * 250 + "@example.net"])
def test_freshdesk_body_without_a_usable_email_leaves_it_unset(value):
    assert fd_normalize(_filled_freshdesk_body(value), {}, account="acme").requester_email is None


def test_freshdesk_body_broken_by_its_text_keeps_the_requesters_email():
    """The address sits before the free text, so a body an unescaped quote breaks still yields it."""
    body = _filled_freshdesk_body("mira@example.net").replace(b"Still no parcel", b'I said "where" twice')
    e = fd_normalize(body, {}, account="acme")
    assert e.requester_email == "mira@example.net" and e.comment_text == ""
