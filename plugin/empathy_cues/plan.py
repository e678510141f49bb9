"""What the worker decided to write to one ticket: plain data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WritePlan:
    helpdesk: str                  # "zendesk" | "freshdesk"
    ticket_id: str
    add_tags: tuple[str, ...]      # added to the ticket's tags, never replacing the others
    note_text: str                 # private note as plain text / Markdown (Zendesk)
    note_html: str                 # the same note as sanitised HTML (Freshdesk)
    marker: str                    # unique per event; stands in the note so a retry can see it was posted
    priority: bool                 # a priority follow-up is owed
