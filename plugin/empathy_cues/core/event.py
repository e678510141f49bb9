"""One event type for every helpdesk: what the rest of the plugin sees of a webhook."""
from __future__ import annotations

import dataclasses
import enum
import json
import operator
import re
from dataclasses import dataclass

from ..errors import BadPayload, MissingField


class Channel(str, enum.Enum):
    EMAIL = "email"
    SOCIAL = "social"
    CHAT = "chat"
    PHONE = "phone"
    WEB = "web"
    API = "api"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str | None) -> "Channel":
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            return cls.OTHER


class EventKind(str, enum.Enum):
    CREATED = "created"
    COMMENT_ADDED = "comment_added"
    UPDATED = "updated"


class AuthorRole(str, enum.Enum):
    END_USER = "end_user"
    AGENT = "agent"
    SYSTEM = "system"   # the plugin itself, automations, integrations
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TicketEvent:
    helpdesk: str                 # a name in helpdesks/registry.py
    account: str                  # subdomain / domain
    ticket_id: str
    kind: EventKind
    channel: Channel
    subject: str
    comment_text: str             # the latest comment, as sent (may be HTML); cleaned by the worker
    comment_is_html: bool
    comment_id: str | None
    author_id: str | None
    author_role: AuthorRole
    comment_public: bool
    requester_name: str | None
    requester_id: str | None
    tags: tuple[str, ...]
    delivery_id: str              # unique per delivery attempt group: used for dedupe and the note marker
    # The requester's e-mail when the webhook carries no requester id (Freshdesk's body): the history
    # lookup's key then. Personal data: kept on the queued event, never logged.
    requester_email: str | None = None
    # When the intake acknowledged the webhook (epoch seconds). The same words delivered through two
    # webhooks are one message when received close together (core/same_words.py); counting from here,
    # not from the worker's attempt, keeps a backlog or a retry from stretching that window.
    received_at: float | None = None

    def to_dict(self) -> dict:
        # Every field is a plain value, an enum or a tuple of str: a shallow copy is exact, and it spares
        # the webhook's hot path dataclasses.asdict's recursive deepcopy. The field names and their getter
        # are worked out once (below the class), not per event.
        data = dict(zip(_EVENT_FIELDS, _event_values(self)))
        data["kind"] = self.kind.value
        data["channel"] = self.channel.value
        data["author_role"] = self.author_role.value
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "TicketEvent":
        values = dict(data)
        values["kind"] = EventKind(values["kind"])
        values["channel"] = Channel.parse(values["channel"])
        values["author_role"] = AuthorRole(values["author_role"])
        values["tags"] = tuple(values.get("tags") or ())
        return cls(**values)

    @property
    def dedupe_key(self) -> str:
        """Same ticket + same comment = same work, whatever the delivery id."""
        comment = self.comment_id or self.delivery_id
        return f"{self.helpdesk}:{self.account}:{self.ticket_id}:{comment}"


_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(TicketEvent))
_event_values = operator.attrgetter(*_EVENT_FIELDS)     # every field's value as a tuple, in one C call


@dataclass(frozen=True)
class Ignored:
    """A webhook that is valid but asks for no work (unknown event kind, our own echo, an agent note).

    The reason is a short stable code (``agent_comment``, ``own_note``, ``duplicate``, ``event_type:...``)
    that the web layer returns as ``{"ignored": reason}`` with 202.
    """

    reason: str


# Helpers the normalisers share: payload parsing that fails with a typed error naming the field.

_UNFILLED = ("{{", "{%")


def parse_json_object(raw: bytes) -> dict:
    """The body as a JSON object, or ``BadPayload(invalid_json)``. Never raises anything else."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadPayload(f"the body is not valid UTF-8 JSON: {exc}", code="invalid_json") from None
    except RecursionError:       # thousands of nested brackets: valid JSON, not a webhook
        raise BadPayload("the body is nested too deeply", code="nested_too_deep") from None
    if not isinstance(data, dict):
        raise BadPayload("the body must be a JSON object", code="invalid_json")
    if _SURROGATE_ESCAPE.search(raw):
        data = _without_lone_surrogates(data)
    return data


# JSON may spell a lone UTF-16 surrogate ("\ud800"): Python reads it into a str that cannot be encoded
# (UnicodeEncodeError wherever it is hashed, stored or logged). Only bodies with such an escape pay for
# the walk; a pair (an emoji written as two escapes) is already one character after json.loads.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _fix_text(text: str) -> str:
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _without_lone_surrogates(data: dict) -> dict:
    """``data`` with each lone surrogate in its strings (keys too) replaced by U+FFFD; iterative, so the
    depth json.loads accepted cannot overflow the stack here."""
    root: dict = {}
    pending = [(data, root)]
    while pending:
        source, target = pending.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            if isinstance(value, (dict, list)):
                copy = {} if isinstance(value, dict) else [None] * len(value)
                pending.append((value, copy))
                value = copy
            elif isinstance(value, str):
                value = _fix_text(value)
            if isinstance(target, dict):
                target[_fix_text(key)] = value
            else:
                target[key] = value
    return root


def dig(data: object, path: str) -> object:
    """``dig(d, "event.comment.id")``: the nested value, or None when any step is missing."""
    if "." not in path:                  # most look-ups: one step, no split (the webhook's hot path)
        return data.get(path) if isinstance(data, dict) else None
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def text_field(data: dict, path: str) -> str:
    """A string field; numbers are accepted (ids), unfilled placeholders count as empty."""
    # dig's one-step case inline: a dozen of these run per webhook
    value = data.get(path) if "." not in path and isinstance(data, dict) else dig(data, path)
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    text = str(value).strip()
    return "" if text.startswith(_UNFILLED) else text


# Ticket and comment ids of both helpdesks are positive 64-bit integers. Only plain ASCII digits are
# ids: str.isdigit() and int() also take "1_030" and full-width digits, which reached ticket 1030.
_ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def canonical_id(value: str) -> str | None:
    """``value`` as a canonical positive integer id ("0042" -> "42"), or None when it is not one."""
    if not _ID.fullmatch(value):
        return None
    number = int(value)
    return str(number) if 0 < number <= MAX_ID else None


def require_id(data: dict, *paths: str) -> str:
    """The first of ``paths`` holding an id: a positive integer in ASCII digits; else MissingField."""
    for path in paths:
        value = text_field(data, path)
        if value:
            canonical = canonical_id(value)
            if canonical is None:
                raise MissingField(path, f"{path!r} is not a positive integer id")
            return canonical
    raise MissingField(paths[0])


def optional_id(data: dict, path: str) -> str | None:
    """An id that may be absent (None); present, it must be a positive integer like ``require_id``."""
    return require_id(data, path) if text_field(data, path) else None


# An address as a helpdesk stores a contact's e-mail: one "@", no spaces or controls, at most 254 characters
# (RFC 5321's path limit). Anything else is not looked up: it would only earn a 400 from the helpdesk.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,253}")


def email_field(data: dict, path: str) -> str | None:
    """An e-mail address that may be absent (None), as is, or None when it cannot be one."""
    value = text_field(data, path)
    return value if len(value) <= 254 and _EMAIL.fullmatch(value) else None


def bool_field(data: dict, path: str, default: bool) -> bool:
    value = dig(data, path)
    if isinstance(value, bool):
        return value
    text = text_field(data, path).lower()
    if text in ("true", "1", "yes", "public"):
        return True
    if text in ("false", "0", "no", "private"):
        return False
    return default


def tags_field(data: dict, path: str) -> tuple[str, ...]:
    """Tags as a JSON list or as the space-separated string a ``{{ticket.tags}}`` placeholder renders."""
    value = dig(data, path)
    if isinstance(value, list):
        items = [str(v) for v in value]
    else:
        items = text_field(data, path).replace(",", " ").split()
    return tuple(dict.fromkeys(t.strip() for t in items if t.strip()))
