"""One event type for every helpdesk: what the rest of the plugin sees of a webhook."""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass


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
    helpdesk: str                 # "zendesk" | "freshdesk"
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

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
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
