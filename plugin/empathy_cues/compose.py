"""The private note an agent sees: why the ticket was flagged, and a suggested reply to adapt.

``compose_note(analysis, ticket_id=..., customer_name=...)`` is pure: the cue engine's
:class:`~empathy_cues.decide.Analysis` and a template set (``phrase_packs/templates/en.yaml``,
loaded once) in, a :class:`Note` out. No I/O after the templates load.

The reply follows a fixed order (see the template file for the words):

1. greeting, in the customer's tone (casual / neutral / formal; ``tone.py``);
2. for a life event, a human acknowledgement first (``life_lead``);
3. the problem said back from the customer's own clause (``paraphrase.py``) with the feeling named
   ("I can see how frustrating this has been"; for confusion "I understand this wasn't clear");
4. for repeat contact, the repeated effort acknowledged; then an apology for the experience,
   never for a fault and never blaming the customer;
5. two or three options (long channels only), and one step ahead;
6. ownership for repeat contact and churn risk, least effort for a life event, and the next step with
   when it will happen (the channel's response target).

Chat and social replies keep to three sentences and their character limit (``limits`` in the
template file); social invites a move to private messages when account details will be needed.
When a reply runs over, optional parts are dropped in a fixed order (``_DROP_ORDER``) until it fits.

Variety: each part's variant is chosen from a CRC-32 of the ticket id and the part's key, so two
tickets with the same cue read differently, and the same ticket always gets the same note.

Escaping: the customer's words reach templates only as variables. The plain-text note backslash-
escapes Markdown and HTML characters in quoted cues; the HTML note is rendered with autoescaping
and then sanitised with nh3. The reply itself only ever holds customer words that passed the
paraphraser's character allow-list and a name that passed :func:`clean_name`.

When the analysis owes neither an apology nor a priority follow-up, ``compose_note`` does not raise:
it returns a short note saying so, with an empty ``reply`` (the worker posts no note in that case).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Sequence

import nh3

from .decide import Analysis
from .paraphrase import mask, paraphrase, sentence_at
from .templates import TemplateSet, load_builtin_templates
from .tone import CASUAL, FORMAL, NEUTRAL, detect_tone

# Which feeling to name when several categories show: the strongest emotion first.
_EMOTION_ORDER = ("frustration", "confusion", "urgency", "struggle", "repeat_contact", "problem", "churn_risk")
# Which situation drives options and the step ahead: what the customer is trying to get done.
_SITUATION_ORDER = ("struggle", "confusion", "problem", "repeat_contact", "churn_risk", "urgency", "frustration")
# Cues whose clause is worth saying back, best first. Frustration and churn clauses are feelings or
# threats, not the problem: saying them back reads as mockery.
_PARAPHRASE_ORDER = {"struggle": 0, "problem": 1, "confusion": 2, "urgency": 3, "repeat_contact": 4}
# A life-event message's need ("I need to close her account") is what to say back.
_NEED = re.compile(r"\b(?:I|we)\s+(?:really\s+)?(?:need|want|would like|'d like|have|must)\s+to\b"
                   r"|\bis there (?:a|any) way\b|\bhow (?:do|can) (?:I|we)\b", re.I)
_SENTENCE = re.compile(r"[.!?](?=\s|$)")
_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\-. ]){0,39}$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~{}&])")
_TONE_NOTE = {
    CASUAL: "casual message: reply kept warm and plain",
    NEUTRAL: "neutral message: friendly, plain reply",
    FORMAL: "formal message: formal reply",
}
_HTML_TAGS = {"p", "strong", "em", "ul", "li", "br"}
# The order in which optional parts give way when a reply is over its channel's limit.
_DROP_ORDER = ("ahead", "closing", "option3", "life_effort", "name", "paraphrase", "ownership", "apology")


@dataclass(frozen=True)
class Note:
    """A composed note. ``text`` for Zendesk (Markdown), ``html`` for Freshdesk, ``reply`` the reply alone."""

    text: str
    html: str
    reply: str
    tone: str = NEUTRAL
    paraphrase: str | None = None        # the customer's clause, turned around (None: not said back)
    options: tuple[str, ...] = ()        # the options offered in the reply
    life_event: str | None = None        # bereavement | new_baby | illness | job_loss | hardship | general
    dropped: tuple[str, ...] = ()        # optional parts left out to fit the channel's limit


@dataclass
class _Part:
    key: str
    text: str
    paragraph: int


def compose_note(analysis: Analysis, *, ticket_id: str, customer_name: str | None = None,
                 templates: TemplateSet | None = None) -> Note:
    """The note for one analysed message (see the module docstring for what it contains)."""
    ts = templates or load_builtin_templates(_language_of(analysis))
    if not (analysis.apology or analysis.priority):
        return _quiet_note()
    pick = _Picker(str(ticket_id))
    evidence = _evidence(analysis)
    # A category counts when one clear cue (weight 1) shows it: two ambiguous words ("still", "any
    # more") are enough to owe an apology, but not to say "you've had to contact us again".
    clear = {c.category for c in analysis.cues if (c.apology or c.priority) and getattr(c, "weight", 1.0) >= 1.0}
    present = clear or ({max(evidence, key=evidence.get)} if evidence else set())
    masked = mask(analysis.text)  # once: the paraphraser and the repeat-contact check both read it
    if "repeat_contact" in present and not _contacted_before(analysis, ts, masked):
        # "It still won't open" is a lasting problem: no "you've had to chase us" for it.
        present = (present - {"repeat_contact"}) or {"problem"}
    life = _life_kind(analysis, ts) if "life_event" in present else None
    emotion = next((c for c in _EMOTION_ORDER if c in present), "problem")
    situation = "life_event" if life else next((c for c in _SITUATION_ORDER if c in present), "frustration")
    repeat = "repeat_contact" in present
    owner = repeat or "churn_risk" in present

    tone = detect_tone(analysis.text)
    # "hey!!" is cheerful; shouting, "!!!" and strong words are not.
    heated = any(c.cue_id in ("frustration.strong", "intensity.shouting", "intensity.punctuation_many")
                 for c in analysis.cues)
    if tone == CASUAL and (heated or life):
        tone = NEUTRAL  # no breezy "Hey!" to an angry or grieving customer
    short = analysis.channel in ts.short_channels
    limit = ts.limit(analysis.channel)
    when, minutes_text = _when(analysis.respond_within_minutes)

    said_back = _paraphrase(analysis, ts, masked, life=bool(life))
    name_full, name_first = clean_name(customer_name)
    name = name_full if tone == FORMAL else name_first

    def one(part: str, *keys: str, **variables) -> str:
        return pick(ts.leaf(part, *keys, tone=tone), ".".join((part,) + keys)).render(**variables)

    feeling = one("feeling", emotion)
    fallback_reflect = one("reflect_fallback", feeling=feeling)
    if life:
        lead = pick(ts.leaf("life_lead", life), f"life_lead.{life}").render()
        reflect = one("life_reflect", paraphrase=said_back) if said_back else None
    else:
        lead = None
        reflect = one("reflect", paraphrase=said_back, feeling=feeling) if said_back else fallback_reflect
    apology = one("apology_life") if life else one("apology")
    option_set = pick(ts.options.get(situation) or ts.options["frustration"], f"options.{situation}")
    options = [t.render() for t in option_set]

    parts: list[_Part] = []
    if short:
        if lead:
            parts.append(_Part("lead", lead, 1))
        elif reflect:
            parts.append(_Part("paraphrase" if said_back else "reflect", reflect, 1))
        if owner and not life:
            parts.append(_Part("ownership", one("short_ownership"), 1))
        else:
            parts.append(_Part("apology", apology, 1))
        needs_private = analysis.channel == "social" and _needs_account(analysis, ts)
        last = one("private_channel", when=when) if needs_private else one("next_step", "short", when=when)
        parts.append(_Part("next_step", last, 1))
    else:
        if lead:
            parts.append(_Part("lead", lead, 1))
        if reflect:
            parts.append(_Part("paraphrase" if said_back else "reflect", reflect, 1))
        # The repeat acknowledgement is the apology then: two "I'm sorry"s in a row read as a script.
        if repeat and not life:
            parts.append(_Part("apology", one("repeat_ack"), 1))
        else:
            parts.append(_Part("apology", apology, 1))
        parts.append(_Part("options", _options_sentence(one, options), 2))
        parts.append(_Part("ahead", one("ahead", situation), 2))
        if owner:
            parts.append(_Part("ownership", one("ownership"), 3))
        if life:
            parts.append(_Part("life_effort", one("life_effort"), 3))
        parts.append(_Part("next_step", one("next_step", "long", when=when), 3))
        parts.append(_Part("closing", one("closing_life") if life else one("closing"), 3))

    greeting_named = one("greeting", "named", name=name) if name else None
    greeting = greeting_named or one("greeting", "unnamed")
    dropped: list[str] = []
    reply_paragraphs = _layout(greeting, parts)
    # Fit the channel: drop optional parts in a fixed order until the reply is short enough.
    for victim in _DROP_ORDER:
        if _fits("\n\n".join(reply_paragraphs), limit):
            break
        if victim == "option3":
            if len(options) > 2:
                options = options[:2]
                for p in parts:
                    if p.key == "options":
                        p.text = _options_sentence(one, options)
                dropped.append(victim)
        elif victim == "paraphrase":
            for p in parts:
                if p.key == "paraphrase":
                    if life:
                        parts.remove(p)
                    else:
                        p.key, p.text = "reflect", fallback_reflect
                    said_back = None
                    dropped.append(victim)
                    break
        elif victim == "name":
            if greeting_named:
                greeting = one("greeting", "unnamed")
                greeting_named = None
                dropped.append(victim)
        else:
            before = len(parts)
            parts = [p for p in parts if p.key != victim]
            if len(parts) < before:
                dropped.append(victim)
        reply_paragraphs = _layout(greeting, parts)
    if not any(p.key == "options" for p in parts):
        options = []
    reply = "\n\n".join(reply_paragraphs)

    variables = dict(
        flags=(["apology owed"] if analysis.apology else []) + (["priority follow-up"] if analysis.priority else []),
        target=pick(_target(ts, analysis.channel), "target").render(
            minutes_text=minutes_text, channel=analysis.channel),
        tone=_TONE_NOTE[tone] + ("; short channel: three sentences at most" if short else ""),
        reply_paragraphs=reply_paragraphs,
        reasons_extra=_extras(analysis, life, owner),
    )
    quotes = _why(analysis, ts)
    text = ts.note_text.render(cues=[{"quote": _md_escape(q), "label": lab} for q, lab in quotes], **variables)
    html = ts.note_html.render(cues=[{"quote": q, "label": lab} for q, lab in quotes], **variables)
    html = nh3.clean(html, tags=_HTML_TAGS, attributes={}, link_rel=None)
    return Note(text=text, html=html, reply=reply, tone=tone, paraphrase=said_back, options=tuple(options),
                life_event=life, dropped=tuple(dropped))


class _Picker:
    """Chooses a variant from a stable hash of ticket id + part key (never ``hash()``: it is salted per process)."""

    def __init__(self, ticket_id: str) -> None:
        self.ticket_id = ticket_id

    def __call__(self, variants: Sequence, key: str):
        return variants[zlib.crc32(f"{self.ticket_id}|{key}".encode("utf-8")) % len(variants)]


def clean_name(name: str | None) -> tuple[str | None, str | None]:
    """(full name, first name) fit to greet someone with, or (None, None).

    Helpdesk requester names are free text: e-mail addresses, "Customer", handles, all caps. Only a
    plain name of letters, spaces, hyphens, apostrophes and dots is used.
    """
    if not name:
        return None, None
    name = " ".join(name.split())
    if not _NAME.match(name) or name.lower() in {"customer", "user", "unknown", "guest", "anonymous", "n/a"}:
        return None, None
    if name.isupper() or name.islower():
        name = " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    first = name.split(" ")[0].rstrip(".")
    if len(first) < 2 or not first.isalpha():
        return (name if len(name.split()) > 1 else None), None
    return name, first


def _language_of(analysis: Analysis) -> str:
    return "en"  # English only for now; the pack language will travel in Analysis when there are more


def _quiet_note() -> Note:
    text = "**Empathy cues** — no apology or priority follow-up owed; no suggested reply."
    html = "<p><strong>Empathy cues</strong> — no apology or priority follow-up owed; no suggested reply.</p>"
    return Note(text=text, html=html, reply="")


def _evidence(analysis: Analysis) -> dict[str, float]:
    """Evidence per category of the cues that owe something (weights; the same words count once)."""
    seen: dict[tuple[str, str], tuple[str, float]] = {}
    for c in analysis.cues:
        if c.apology or c.priority:
            seen[(c.cue_id, c.matched.lower())] = (c.category, getattr(c, "weight", 1.0))
    totals: dict[str, float] = {}
    for category, weight in seen.values():
        totals[category] = totals.get(category, 0.0) + weight
    return totals


def _life_kind(analysis: Analysis, ts: TemplateSet) -> str:
    life_cues = sorted((c for c in analysis.cues if c.category == "life_event"),
                       key=lambda c: -getattr(c, "weight", 1.0))
    for c in life_cues:
        words = c.matched.lower()
        for kind, markers in ts.life_kinds:
            if any(m in words for m in markers):
                return kind
    for c in life_cues:
        if c.cue_id in ts.life_kind_by_cue:
            return ts.life_kind_by_cue[c.cue_id]
    return "general"


def _paraphrase(analysis: Analysis, ts: TemplateSet, masked: str, *, life: bool) -> str | None:
    body = [c for c in analysis.cues if getattr(c, "source", "body") == "body" and (c.apology or c.priority)]
    ranked = sorted((c for c in body if c.category in _PARAPHRASE_ORDER),
                    key=lambda c: (-getattr(c, "weight", 1.0), _PARAPHRASE_ORDER[c.category], c.start))
    spans = [(c.start, c.end) for c in ranked]
    needs: list[tuple[int, int]] = []
    if life:
        # A grieving customer's need is what to say back, not the struggle around it.
        needs = [(m.start(), m.end()) for m in _NEED.finditer(analysis.text)]
        spans = needs + spans
    if not spans:
        return None
    # In a life event the lead acknowledges what happened; the clause said back is only the task.
    banned = ts.never_echo | ts.life_words if life else ts.never_echo
    return paraphrase(analysis.text, spans, never_echo=banned, from_cue=needs, masked=masked)


def _contacted_before(analysis: Analysis, ts: TemplateSet, masked: str) -> bool:
    """A clear repeat-contact cue stands in a sentence about contacting us (not "it still won't open")."""
    for c in analysis.cues:
        if c.category != "repeat_contact" or getattr(c, "weight", 1.0) < 1.0:
            continue
        if getattr(c, "source", "body") == "subject":
            sentence = analysis.subject
        else:
            start, end = sentence_at(masked, c.start)
            sentence = analysis.text[start:end]
        if set(re.findall(r"[a-z]+", sentence.lower())) & ts.contact_words:
            return True
    return False


def _needs_account(analysis: Analysis, ts: TemplateSet) -> bool:
    words = set(re.findall(r"[a-z]+", (analysis.text + " " + analysis.subject).lower()))
    return bool(words & ts.private_channel_words) or "churn_risk" in analysis.categories


def _options_sentence(one, options: list[str]) -> str:
    joined = options[0] if len(options) == 1 else ", ".join(options[:-1]) + (", or " if len(options) > 2 else " or ") + options[-1]
    return one("options_intro", options=joined)


def _layout(greeting: str, parts: list[_Part]) -> list[str]:
    paragraphs: dict[int, list[str]] = {}
    for p in parts:
        paragraphs.setdefault(p.paragraph, []).append(p.text)
    return [greeting] + [" ".join(paragraphs[k]) for k in sorted(paragraphs)]


def count_sentences(reply: str) -> int:
    """Sentences of a reply, the greeting line excluded."""
    body = reply.split("\n\n", 1)[1] if "\n\n" in reply else reply
    return len(_SENTENCE.findall(body))


def _fits(reply: str, limit) -> bool:
    return len(reply) <= limit.max_chars and count_sentences(reply) <= limit.max_sentences


def _when(minutes: int) -> tuple[str, str]:
    """('the next 6 hours', '6 hours') for 360; ('the next hour', '60 minutes') for 60."""
    if minutes == 60:
        return "the next hour", "60 minutes"
    if minutes >= 120 and minutes % 60 == 0:
        hours = minutes // 60
        return f"the next {hours} hours", f"{hours} hours"
    return f"the next {minutes} minutes", f"{minutes} minutes"


def _target(ts: TemplateSet, channel: str):
    return [ts.targets.get(channel) or ts.targets["default"]]


def _why(analysis: Analysis, ts: TemplateSet) -> list[tuple[str, str]]:
    """The cues to quote: the customer's words and the category label, distinct, at most eight."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for c in analysis.cues:
        counts = c.apology or c.priority or (analysis.priority and c.category == "intensity")
        key = c.matched.lower()
        if not counts or key in seen:
            continue
        seen.add(key)
        label = ts.category_labels.get(c.category, c.category.replace("_", " "))
        if getattr(c, "source", "body") == "subject":
            label += " (in the subject)"
        out.append((c.matched, label))
        if len(out) == 8:
            break
    return out


def _extras(analysis: Analysis, life: str | None, owner: bool) -> list[str]:
    extras = []
    if life:
        extras.append(f"life event ({life.replace('_', ' ')}): lead with care, no upsell, least effort for them")
    if owner:
        extras.append("repeat contact or risk of leaving: take ownership of the ticket")
    if analysis.polite:
        extras.append("politely worded: the tone is friendly, the struggle is real")
    return extras


def _md_escape(text: str) -> str:
    """Customer words inside the Markdown note: Markdown and HTML characters made literal."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))
