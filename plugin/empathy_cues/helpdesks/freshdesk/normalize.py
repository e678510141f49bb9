"""Freshdesk "Trigger webhook" bodies -> one ``TicketEvent``. Vendor field names stop here. No I/O.

The body is the one an automation rule's "Trigger webhook" action posts with Encoding JSON and
Content "Advanced" (we ship ``manifests/freshdesk/webhook_body.json``). Placeholders used there:
``{{ticket.id}}``, ``{{ticket.subject}}``, ``{{ticket.description}}``, ``{{ticket.latest_public_comment}}``,
``{{ticket.tags}}``, ``{{ticket.source}}``, ``{{ticket.requester.name}}``, ``{{ticket.requester.email}}``,
``{{triggered_event}}``
(Freshdesk "Using webhooks in automation rules",
https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules ;
the exact placeholder list is **unconfirmed**, so every text field is optional and the worker fetches
the conversation through the API when the text is missing). ``{{ticket.requester.email}}`` is what the
history lookup finds the requester by (the body has no requester id): it is in the placeholder table of
what appears to be Freshdesk's own code (ApiWebhooks::PlaceholderMethods, Simple-mode key
``ticket_requester_email``; ../shared/reference/vendor-recordings/freshdesk/) and in Zulip's Freshdesk
integration body (zulip/zulip zerver/webhooks/freshdesk/doc.md), whose fixture shows it rendered as a bare
address; not found in Freshdesk's published pages, so anything that is not an address counts as absent.
Freshdesk renders descriptions and replies as HTML: the event says so (``comment_is_html``) and the worker
cleans it.
Freshdesk sends no delivery id and retries a failed delivery after 5, 30 and 60 minutes, so the
delivery id is a hash of the body: a retry hashes the same.
"""
from __future__ import annotations

import hashlib
import re
from typing import Mapping

from ...errors import BadPayload
from ...core.event import (AuthorRole, Channel, EventKind, Ignored, TicketEvent, email_field, optional_id,
                           parse_json_object, require_id, tags_field, text_field)

# Freshdesk ticket sources (names as ``{{ticket.source}}`` renders them, or the API's numbers:
# 1 Email, 2 Portal, 3 Phone, 7 Chat, 9 Feedback widget, 10 Outbound email).
_SOURCES: dict[str, Channel] = {
    "1": Channel.EMAIL, "2": Channel.WEB, "3": Channel.PHONE, "7": Channel.CHAT, "9": Channel.WEB,
    "10": Channel.EMAIL, "email": Channel.EMAIL, "outbound email": Channel.EMAIL, "portal": Channel.WEB,
    "phone": Channel.PHONE, "chat": Channel.CHAT, "feedback widget": Channel.WEB, "twitter": Channel.SOCIAL,
    "facebook": Channel.SOCIAL, "whatsapp": Channel.SOCIAL, "mobihelp": Channel.CHAT, "api": Channel.API,
}
_SALVAGE = re.compile(r'"(ticket_id|kind|event|source|tags|requester_email)"\s*:\s*"([^"\\]{0,300})"')


def channel_from_source(source: str) -> Channel:
    return _SOURCES.get(source.strip().lower(), Channel.OTHER)


def _kind_and_role(data: dict) -> tuple[EventKind | None, AuthorRole, str]:
    """From our literal ``kind`` or Freshdesk's ``{{triggered_event}}`` text to kind and author role."""
    explicit = text_field(data, "kind").lower()
    event = text_field(data, "event").lower()
    role = AuthorRole.UNKNOWN
    if "agent" in event:
        role = AuthorRole.AGENT
    elif any(word in event for word in ("customer", "requester", "contact")):
        role = AuthorRole.END_USER
    if explicit:
        try:
            return EventKind(explicit), role, explicit
        except ValueError:
            return None, role, explicit
    if not event:
        has_reply = bool(text_field(data, "latest_public_comment"))
        return (EventKind.COMMENT_ADDED if has_reply else EventKind.CREATED), role, ""
    if "creat" in event:
        return EventKind.CREATED, role, event
    if any(word in event for word in ("reply", "note", "conversation", "comment", "response")):
        return EventKind.COMMENT_ADDED, role, event
    return None, role, event


def normalize(raw: bytes, headers: Mapping[str, str], *, account: str) -> TicketEvent | Ignored:
    try:
        data = parse_json_object(raw)
    except BadPayload as exc:
        if exc.code != "invalid_json":
            raise
        # Authenticated but broken by unescaped text: keep the id fields, fetch the text later.
        pairs = dict(_SALVAGE.findall(raw[:4096].decode("utf-8", "replace")))
        if "ticket_id" not in pairs:
            raise
        data = pairs
    ticket_id = require_id(data, "ticket_id", "ticket.id", "freshdesk_webhook.ticket_id")
    kind, role, event_text = _kind_and_role(data)
    if kind is None:
        return Ignored(f"event:{event_text[:60]}")
    if kind is EventKind.CREATED:
        text = text_field(data, "description") or text_field(data, "latest_public_comment")
    else:
        text = text_field(data, "latest_public_comment")
    comment_id = optional_id(data, "comment_id")
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return TicketEvent(
        helpdesk="freshdesk",
        account=account,
        ticket_id=ticket_id,
        kind=kind,
        channel=channel_from_source(text_field(data, "source")),
        subject=text_field(data, "subject"),
        comment_text=text,
        comment_is_html=True,             # Freshdesk placeholders render HTML; cleaning plain text is harmless
        comment_id=comment_id,
        author_id=text_field(data, "author_id") or None,
        author_role=role,
        comment_public=True,              # only the latest *public* comment is sent
        requester_name=text_field(data, "requester_name") or None,
        requester_id=text_field(data, "requester_id") or None,
        tags=tags_field(data, "tags"),
        delivery_id=f"fd-{digest}",
        requester_email=email_field(data, "requester_email"),
    )
