"""Zendesk payloads -> one ``TicketEvent``. Vendor field names stop here. No I/O.

Two shapes arrive at ``POST /webhooks/zendesk``:

1. **Trigger body** — a webhook connected to a trigger ("Notify active webhook" action) posts the body
   the admin wrote, with placeholders filled in (we ship ``manifests/zendesk/trigger_body.json``).
   Placeholders such as ``{{ticket.id}}``, ``{{ticket.via}}``, ``{{ticket.title}}``,
   ``{{ticket.latest_comment}}``, ``{{ticket.tags}}``, ``{{current_user.id}}`` (the user updating the
   ticket, i.e. the author of the new comment) come from the Zendesk placeholders reference,
   https://support.zendesk.com/hc/en-us/articles/4408886858138 . Whether text placeholders are
   JSON-escaped inside a JSON body is **not confirmed** by Zendesk's documentation, so the template puts
   ids first and free text last, and a body that is signed but not valid JSON is salvaged from its id
   fields: the worker then fetches the comment through the API (``comment_text`` left empty).
2. **Event subscription** — fixed schema, e.g. ``zen:event-type:ticket.created`` /
   ``zen:event-type:ticket.comment_added``, top-level ``type, account_id, id, time, subject, detail,
   event``; ``detail`` is the ticket snapshot (id, subject, description, requester_id, tags,
   via.channel, ...). https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events
   The ``event.comment`` object (id, body, is_public, author.id/is_staff) is read defensively: when a
   field is absent the worker fetches the comment instead.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from typing import Mapping

from ...errors import BadPayload
from ...core.event import (AuthorRole, Channel, EventKind, Ignored, TicketEvent, bool_field, dig, optional_id,
                       parse_json_object, require_id, tags_field, text_field)

EVENT_PREFIX = "zen:event-type:"

# Zendesk via names (event ``via.channel`` values and the ``{{ticket.via}}`` rendering, e.g. "Mail",
# "Web form", "Chat", "Twitter") -> our channels. First keyword found wins.
_VIA_KEYWORDS: tuple[tuple[str, Channel], ...] = (
    ("mail", Channel.EMAIL), ("email", Channel.EMAIL),
    ("twitter", Channel.SOCIAL), ("facebook", Channel.SOCIAL), ("instagram", Channel.SOCIAL),
    ("whatsapp", Channel.SOCIAL), ("social", Channel.SOCIAL), ("line", Channel.SOCIAL),
    ("chat", Channel.CHAT), ("messaging", Channel.CHAT), ("sdk", Channel.CHAT),
    ("voice", Channel.PHONE), ("phone", Channel.PHONE), ("call", Channel.PHONE), ("sms", Channel.PHONE),
    ("web", Channel.WEB), ("portal", Channel.WEB), ("help_center", Channel.WEB), ("form", Channel.WEB),
    ("api", Channel.API), ("service", Channel.API),
)

_ROLES = {"end-user": AuthorRole.END_USER, "end_user": AuthorRole.END_USER, "enduser": AuthorRole.END_USER,
          "customer": AuthorRole.END_USER, "requester": AuthorRole.END_USER,
          "agent": AuthorRole.AGENT, "admin": AuthorRole.AGENT, "system": AuthorRole.SYSTEM}

# Scalar fields a salvaged (non-JSON) trigger body may still carry before its free text.
_SALVAGE_FIELDS = ("ticket_id", "via", "requester_id", "current_user_id", "author_role", "comment_public",
                   "comment_id", "updated_at", "tags", "kind")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
_PAIR = re.compile(r'"([a-z_]+)"\s*:\s*"([^"\\]{0,500})"')


# Exact via names first: keywords alone misread some of them ("voicemail" holds "mail", "web_service" is
# the API, "iphone" holds "phone" but is Zendesk's mobile app). Names from Zendesk's Via object reference
# and the via types table of its Conditions reference
# (developer.zendesk.com/documentation/ticketing/reference-guides/via-object-reference/ ,
# .../conditions-reference/#via-types); "Web service" etc. are the {{ticket.via}} renderings.
_VIA_NAMES: dict[str, Channel] = {
    "web_service": Channel.API, "api": Channel.API,
    "voicemail": Channel.PHONE, "api_voicemail": Channel.PHONE,
    "chat_offline_message": Channel.CHAT, "offline_message": Channel.CHAT,
    "iphone": Channel.CHAT, "android": Channel.CHAT, "mobile": Channel.CHAT, "mobile_sdk": Channel.CHAT,
    "helpcenter": Channel.WEB, "help_center": Channel.WEB, "help_center_post": Channel.WEB,
    "text_message": Channel.CHAT, "telegram": Channel.CHAT, "viber": Channel.CHAT,
}


_SEPARATORS = re.compile(r"[\s-]+")


@functools.lru_cache(maxsize=256)
def channel_from_via(via: str) -> Channel:
    """Our channel for a via name. Cached: an account sends a handful of distinct names, one per webhook."""
    name = via.strip().lower()
    if not name:
        return Channel.OTHER
    exact = _VIA_NAMES.get(_SEPARATORS.sub("_", name))
    if exact is not None:
        return exact
    for keyword, channel in _VIA_KEYWORDS:
        if keyword in name:
            return channel
    return Channel.OTHER


def normalize(raw: bytes, headers: Mapping[str, str], *, account: str) -> TicketEvent | Ignored:
    """Turn a verified Zendesk request body into a TicketEvent (or the reason it needs no work)."""
    try:
        data = parse_json_object(raw)
    except BadPayload as exc:
        data = _salvage(raw) if exc.code == "invalid_json" else None   # broken by text, not a bomb
        if data is None:
            raise
    kind = text_field(data, "type")
    if kind.startswith(EVENT_PREFIX) or "detail" in data:
        return _from_event(data, headers, account=account, raw=raw)
    return _from_trigger(data, headers, account=account, raw=raw)


def _salvage(raw: bytes) -> dict | None:
    """A signed trigger body broken by unescaped text: keep its leading id fields, drop the text."""
    text = raw[:4096].decode("utf-8", "replace")
    pairs = {k: v for k, v in _PAIR.findall(text) if k in _SALVAGE_FIELDS}
    if "ticket_id" not in pairs:
        return None
    pairs["_salvaged"] = True
    return pairs


def _delivery_id(headers: Mapping[str, str], fallback_parts: tuple[str, ...]) -> str:
    # From signed content only. The X-Zendesk-Webhook-Invocation-Id header is not covered by the
    # signature: a captured request replayed with a new or no invocation id was a new delivery, and
    # each copy posted another note.
    digest = hashlib.sha256("\x1f".join(fallback_parts).encode("utf-8")).hexdigest()
    return f"zd-{digest[:32]}"


def _role(value: str, *, is_staff: object = None) -> AuthorRole:
    if isinstance(is_staff, bool):
        return AuthorRole.AGENT if is_staff else AuthorRole.END_USER
    return _ROLES.get(value.strip().lower(), AuthorRole.UNKNOWN)


_KINDS = {kind.value: kind for kind in EventKind}      # a dict look-up, not EventKind()'s call per webhook


def _from_trigger(data: dict, headers: Mapping[str, str], *, account: str, raw: bytes) -> TicketEvent | Ignored:
    ticket_id = require_id(data, "ticket_id", "ticket.id")
    kind_text = (text_field(data, "kind") or "comment_added").lower()
    kind = _KINDS.get(kind_text)
    if kind is None:
        return Ignored(f"kind:{kind_text[:40]}")
    comment = text_field(data, "latest_comment") or text_field(data, "comment")
    comment_html = text_field(data, "latest_comment_html")
    author_id = text_field(data, "current_user_id") or text_field(data, "author_id") or None
    comment_id = optional_id(data, "comment_id")
    delivery = _delivery_id(headers, (account, ticket_id, comment_id or "", text_field(data, "updated_at"),
                                      author_id or "", comment or comment_html))
    return TicketEvent(
        helpdesk="zendesk",
        account=account,
        ticket_id=ticket_id,
        kind=kind,
        channel=channel_from_via(text_field(data, "via")),
        subject=text_field(data, "subject"),
        comment_text=comment or comment_html,
        comment_is_html=bool(comment_html) and not comment,
        comment_id=comment_id,
        author_id=author_id,
        author_role=_role(text_field(data, "author_role")),
        comment_public=bool_field(data, "comment_public", True),
        requester_name=text_field(data, "requester_name") or None,
        requester_id=text_field(data, "requester_id") or None,
        tags=tags_field(data, "tags"),
        delivery_id=delivery,
    )


def _from_event(data: dict, headers: Mapping[str, str], *, account: str, raw: bytes) -> TicketEvent | Ignored:
    event_type = text_field(data, "type")
    short = event_type.removeprefix(EVENT_PREFIX)
    if short == "ticket.created":
        kind = EventKind.CREATED
    elif short == "ticket.comment_added":
        kind = EventKind.COMMENT_ADDED
    elif short == "messaging_ticket.message_added":
        return _from_message(data, headers, account=account)
    else:
        return Ignored(f"event_type:{short[:60] or 'missing'}")
    if not isinstance(data.get("detail"), dict):
        raise BadPayload("the event has no 'detail' object", code="missing_field")
    ticket_id = _event_ticket_id(data)
    text, comment_id, author_id, role, public = (_created(data) if kind is EventKind.CREATED
                                                 else _comment_added(data))
    event_id = text_field(data, "id")
    # The event's id is signed, but only a plain token is used (and logged) as it is; anything else is hashed.
    delivery = event_id if _TOKEN.fullmatch(event_id) else _delivery_id(
        headers, (account, ticket_id, comment_id or "", json.dumps(data, sort_keys=True)))
    return TicketEvent(
        helpdesk="zendesk",
        account=account,
        ticket_id=ticket_id,
        kind=kind,
        channel=channel_from_via(text_field(data, "detail.via.channel")),
        subject=text_field(data, "detail.subject"),
        comment_text=text,
        comment_is_html=False,
        comment_id=comment_id,
        author_id=author_id,
        author_role=role,
        comment_public=public,
        requester_name=None,
        requester_id=text_field(data, "detail.requester_id") or None,
        tags=tags_field(data, "detail.tags"),
        delivery_id=delivery,
    )


def _event_ticket_id(data: dict) -> str:
    subject_ref = text_field(data, "subject")           # "zen:ticket:35436"
    ticket_id = text_field(data, "detail.id") or subject_ref.rpartition(":")[2]
    if not ticket_id:
        ticket_id = require_id(data, "detail.id")
    return require_id({"detail": {"id": ticket_id}}, "detail.id")


def _created(data: dict):
    """(text, comment id, author id, role, public) of a ticket.created event: the description."""
    author_id = text_field(data, "detail.submitter_id") or text_field(data, "detail.requester_id") or None
    requester = text_field(data, "detail.requester_id")
    # A ticket an agent opens on someone's behalf has submitter != requester: not customer words.
    role = AuthorRole.END_USER if (author_id and author_id == requester) else AuthorRole.UNKNOWN
    return text_field(data, "detail.description"), None, author_id, role, bool_field(data, "detail.is_public", True)


def _comment_added(data: dict):
    """(text, comment id, author id, role, public) of a ticket.comment_added event."""
    comment = dig(data, "event.comment")
    comment = comment if isinstance(comment, dict) else {}
    author_id = text_field(comment, "author.id") or text_field(data, "detail.actor_id") or None
    role = _role(text_field(comment, "author.role"), is_staff=dig(comment, "author.is_staff"))
    return (text_field(comment, "body"), optional_id(comment, "id"), author_id, role,
            bool_field(comment, "is_public", True))


# Messaging (Web Widget, mobile SDKs, WhatsApp, Messenger, ...): messaging triggers have no webhook
# action, so the install subscribes a second webhook to this event. Ticket triggers do run on the
# tickets messaging conversations create, whenever such a ticket is created or updated ("tickets are
# also created for live chats, messaging conversations, and calls", About Zendesk triggers,
# https://support.zendesk.com/hc/en-us/articles/4408822236058); whether each message is such an update
# is not documented. If it is, our ticket trigger delivers the message too, under a different key (no
# comment id in the trigger body, a message id here): the worker recognises the second delivery by its
# words (core/same_words.py, which lists what Zendesk documents). "A chat message was added by an end
# user, agent, or trigger"; event.actor.type is "end_user", "agent", "trigger" or "system"; detail holds
# only the ticket id. https://developer.zendesk.com/api-reference/webhooks/event-types/messaging-events
_ACTOR_ROLES = {"end_user": AuthorRole.END_USER, "agent": AuthorRole.AGENT, "trigger": AuthorRole.SYSTEM,
                "system": AuthorRole.SYSTEM}


def _from_message(data: dict, headers: Mapping[str, str], *, account: str) -> TicketEvent:
    ticket_id = text_field(data, "detail.id") or text_field(data, "subject").rpartition(":")[2]
    ticket_id = require_id({"detail": {"id": ticket_id}}, "detail.id")
    message_id = text_field(data, "event.message.id") or None
    event_id = text_field(data, "id")
    delivery = event_id[:128] if event_id else _delivery_id(
        headers, (account, ticket_id, message_id or "", json.dumps(data, sort_keys=True)))
    return TicketEvent(
        helpdesk="zendesk",
        account=account,
        ticket_id=ticket_id,
        kind=EventKind.COMMENT_ADDED,
        channel=Channel.CHAT,
        subject="",
        comment_text=text_field(data, "event.message.body"),
        comment_is_html=False,
        comment_id=f"msg-{message_id}" if message_id else None,
        author_id=text_field(data, "event.actor.id") or None,
        author_role=_ACTOR_ROLES.get(text_field(data, "event.actor.type").lower(), AuthorRole.UNKNOWN),
        comment_public=True,             # a message in the conversation is seen by the customer
        requester_name=None,
        requester_id=None,
        tags=(),
        delivery_id=delivery,
    )
