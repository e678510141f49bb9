"""The note around the reply: why the ticket was flagged (the customer's words, quoted and escaped),
what the reply was built from, the response target, and the reply itself. Zendesk gets Markdown,
Freshdesk sanitised HTML."""
from __future__ import annotations

import re

import nh3

from ..core.decision import Analysis
from .plan import ReplyPlan
from .templates import TemplateSet
from .tone import CASUAL, FORMAL, NEUTRAL

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~{}&])")
_HTML_TAGS = {"p", "strong", "em", "ul", "li", "br"}
_TONE_NOTE = {
    CASUAL: "casual message: reply kept warm and plain",
    NEUTRAL: "neutral message: friendly, plain reply",
    FORMAL: "formal message: formal reply",
}
_SEVERITY = ("nothing wrong", "minor", "significant", "serious")


def render_note(analysis: Analysis, ts: TemplateSet, plan: ReplyPlan, reply_paragraphs: list[str], pick,
                minutes_text: str) -> tuple[str, str]:
    """(Markdown note, sanitised HTML note)."""
    target = ts.targets.get(analysis.channel) or ts.targets["default"]
    variables = dict(
        flags=(["apology owed"] if analysis.apology else []) + (["priority follow-up"] if analysis.priority else []),
        target=target.render(minutes_text=minutes_text, channel=analysis.channel),
        tone=_TONE_NOTE[plan.tone] + ("; short channel: three sentences at most" if plan.short else ""),
        reply_paragraphs=reply_paragraphs,
        reasons_extra=_extras(analysis, ts, plan),
    )
    quotes = _why(analysis, ts)
    text = ts.note_text.render(cues=[{"quote": _md_escape(q), "label": lab} for q, lab in quotes], **variables)
    html = ts.note_html.render(cues=[{"quote": q, "label": lab} for q, lab in quotes], **variables)
    html = nh3.clean(html, tags=_HTML_TAGS, attributes={}, link_rel=None)
    return text, html


def _why(analysis: Analysis, ts: TemplateSet) -> list[tuple[str, str]]:
    """The cues to quote: the customer's words and the category label, at most eight, in text order.

    Overlapping evidence is quoted once, by its longest span: "invoice is still wrong" and "still wrong
    and nobody" are one reason to an agent, not two (cues that needed context carry the words around
    them, so their spans often overlap)."""
    counting = [c for c in analysis.cues
                if c.apology or c.priority or (analysis.priority and c.category == "intensity")]
    kept: list = []
    for c in sorted(counting, key=lambda c: -(c.end - c.start)):
        if any(k.source == c.source and k.start < c.end and c.start < k.end for k in kept):
            continue
        if any(k.matched.lower() == c.matched.lower() for k in kept):
            continue
        kept.append(c)
    out: list[tuple[str, str]] = []
    for c in sorted(kept, key=lambda c: (c.source != "body", c.start))[:8]:
        label = ts.category_labels.get(c.category, c.category.replace("_", " "))
        if c.source == "subject":
            label += " (in the subject)"
        out.append((c.matched, label))
    return out


def _extras(analysis: Analysis, ts: TemplateSet, plan: ReplyPlan) -> list[str]:
    """What the reply was built from, in our words only (no customer text: it is not escaped here)."""
    u = analysis.understanding
    extras = [f"situation: {ts.situation_labels.get(plan.understood, plan.understood)}, "
              f"severity {plan.severity} ({_SEVERITY[plan.severity]})"]
    if u.asks:
        extras.append("asks: " + ", ".join(u.asks))
    if plan.care_leads:
        extras.append(f"{plan.care.replace('_', ' ')}: lead with care, no upsell, least effort for them")
    elif plan.care:
        extras.append(f"{plan.care.replace('_', ' ')}: put it right with extra care, least effort for them")
    if analysis.repeat_history:
        from ..core.history import earlier_tickets_text

        extras.append(f"repeat contact: {earlier_tickets_text(analysis.repeat_history)}; take ownership of the ticket")
    elif plan.repeat:
        extras.append("repeat contact: take ownership of the ticket")
    if u.info_given:
        extras.append("details already given: do not ask for them again")
    if plan.settled:
        extras.append("nothing left to put right, they say: apologise and pass it on; offer no fix or rebooking")
    insulting = bool(set(re.findall(r"[a-z]+", analysis.text.lower())) & ts.never_echo)
    if analysis.polite and not u.rude and not insulting:
        # "Thanks for nothing, idiots" holds a thank-you, but it is not politely worded.
        extras.append("politely worded: the tone is friendly, the struggle is real")
    if u.rude:
        extras.append("rude or sarcastic: stay calm and plain, do not mirror it")
    return extras


def _md_escape(text: str) -> str:
    """Customer words inside the Markdown note: Markdown and HTML characters made literal."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
