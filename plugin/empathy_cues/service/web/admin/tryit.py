"""Try it: what the worker would decide and post for one message, as plain data for the template.

The same steps as the worker's ``worker.draft.plan_for`` (the text capped as bounds.py says, ``analyze``, the
note composed within the time budget), without a ticket: nothing is stored, sent or logged.
"""
from __future__ import annotations

from dataclasses import dataclass

from ....analyzer import analyze, pack_version
from ....bounds import MAX_SUBJECT_CHARS, capped, cut_notice, over_budget_note, within_budget
from ....core.decision import Analysis, Policy
from ....durations import minutes_text


@dataclass(frozen=True)
class Segment:
    text: str
    category: str | None = None       # a cue's category when this stretch is a cue, else None
    cue_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    analysis: Analysis
    segments: tuple[Segment, ...]      # the cleaned text, cue by cue
    note: str | None                   # the private note, or None: nothing owed, no note
    respond_within: str                # "6 hours"
    pack: str                          # "en.v1", as the decision log names it
    cut: bool                          # only the first part of a long message was read


def highlight(analysis: Analysis) -> tuple[Segment, ...]:
    """The cleaned text split at the body cues' spans (overlapping cues: the first one is marked), as
    the `scan` command brackets them."""
    text = analysis.text
    out: list[Segment] = []
    position = 0
    for c in sorted((c for c in analysis.cues if c.source == "body"), key=lambda c: c.start):
        if c.start < position:
            continue
        if c.start > position:
            out.append(Segment(text[position:c.start]))
        out.append(Segment(text[c.start:c.end], c.category, c.cue_id))
        position = c.end
    if position < len(text):
        out.append(Segment(text[position:]))
    return tuple(out)


def try_message(text: str, *, subject: str, channel: str, policy: Policy) -> Outcome:
    capped_text, html, cut = capped(text, html=None)
    analysis = analyze(capped_text, subject=subject[:MAX_SUBJECT_CHARS], channel=channel, html=html, policy=policy)
    note_text = None
    if analysis.apology or analysis.priority:      # the worker posts no note otherwise (plan.build_plan)
        from ....reply import compose_note
        from ....reply.spelling import load_dictionary

        # As the worker's warm-up does: the spelling index is built before the time budget starts, so the
        # first message here gets the reply the worker would post, not the over-budget note.
        load_dictionary().warm()
        note = within_budget(lambda: compose_note(analysis, ticket_id="try-it"))
        note = note if note is not None else over_budget_note(analysis)
        note_text = (cut_notice(note) if cut else note).text
    return Outcome(analysis, highlight(analysis), note_text, minutes_text(analysis.respond_within_minutes),
                   pack_version(), cut)
