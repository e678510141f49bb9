"""What the worker decided to write to one ticket: plain data, no I/O."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WritePlan:
    helpdesk: str                  # a name in helpdesks/registry.py
    ticket_id: str
    add_tags: tuple[str, ...]      # added to the ticket's tags, never replacing the others
    note_text: str                 # private note as plain text / Markdown (Zendesk)
    note_html: str                 # the same note as sanitised HTML (Freshdesk)
    marker: str                    # unique per event; stands in the note so a retry can see it was posted
    priority: bool                 # a priority follow-up is owed


# The marker stands in every note we post. It lets the client see a note was already posted (apply
# twice = apply once) and lets intake recognise our own note when the helpdesk echoes it back.
MARKER_LABEL = "empathy-cues ref:"


def marker_for(dedupe_key: str) -> str:
    """Stable per ticket + comment, whatever the delivery: redeliveries share it."""
    import hashlib

    return "ec-" + hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:20]


def contains_marker(text: str | None) -> bool:
    return bool(text) and MARKER_LABEL in text


def build_plan(event, analysis, note) -> WritePlan | None:
    """What to write for one event: tags + one private note, or None when there is nothing to say.

    Pure: ``event`` is a TicketEvent, ``analysis`` the cue engine's Analysis, ``note`` the composed
    note (``.text`` Markdown for Zendesk, ``.html`` sanitised HTML for Freshdesk; compose.Note).
    Neither an apology nor a priority follow-up owed -> no write: cues that owe nothing (a polite
    word, a negated complaint) carry no tags, and the composer's "nothing owed" note is not worth an
    agent's attention (compose.py: "the worker posts no note in that case").
    The marker footer is appended to both renderings, so whichever one the helpdesk stores holds it.
    """
    if not (analysis.apology or analysis.priority):
        return None
    marker = marker_for(event.dedupe_key)
    footer_text = f"\n\n---\n{MARKER_LABEL} {marker}"
    footer_html = f"<p><small>{MARKER_LABEL} {marker}</small></p>"
    existing = set(event.tags)
    add_tags = tuple(t for t in dict.fromkeys(analysis.tags) if t not in existing)
    return WritePlan(
        helpdesk=event.helpdesk,
        ticket_id=event.ticket_id,
        add_tags=add_tags,
        note_text=note.text.rstrip() + footer_text,
        note_html=note.html.rstrip() + footer_html,
        marker=marker,
        priority=bool(analysis.priority),
    )
