"""Reply templates as data (``phrase_packs/templates/<language>.yaml``): what a template set holds.

Reading, validating and compiling the file is ``template_file.py``.

Parts are trees: a mapping of keys (situation, severity band, ask, serious kind) down to a *tone
leaf* (a list of variants, or a mapping of tone to lists). :meth:`TemplateSet.leaf` follows keys with
a ``default`` fallback at each level, so the file need not spell out every combination; validation
guarantees the fallbacks exist.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

import jinja2

TONES = ("casual", "neutral", "formal")
BANDS = ("minor", "significant", "serious")
ASKS_ANSWERED = ("callback", "refund", "escalate", "status", "fix", "explain", "change")
SERIOUS_KINDS = ("bereavement", "illness", "new_baby", "expecting", "hardship", "safety", "danger", "legal", "assault",
                 "discrimination", "vulnerable")


@dataclass(frozen=True)
class PartSpec:
    """What a part may hold: its variables, the keys it must have at each level, and its depth."""

    variables: frozenset[str]
    required: tuple[tuple[str, ...], ...] = ()   # required keys per level below the part (before tones)
    depth: int = 0                               # levels of keys above the tone leaf


# Circumstances that make what went wrong weigh more, not what the message is about: "the staff were
# rude to my elderly father" is about how he was treated, said first, with the care that follows from
# his circumstances after it (reply/compose.py).
CARE_AFTER_PROBLEM = frozenset({"vulnerable", "hardship", "illness", "fraud", "new_baby", "expecting"})
# A serious kind that is the problem itself, not a circumstance around it: an account opened in their
# name is what to say back first ("an account you never opened is on your credit report"), whatever
# else is named; the care follows.
CARE_IS_THE_PROBLEM = frozenset({"fraud"})

_PARTS: Mapping[str, PartSpec] = {
    "greeting": PartSpec(frozenset({"name"}), (("named", "unnamed"),), 1),
    "care": PartSpec(frozenset({"thing"}), (("default",) + SERIOUS_KINDS,), 1),
    "restate": PartSpec(frozenset({"thing"}), (("default",), BANDS), 2),
    "restate_after_care": PartSpec(frozenset({"thing"})),
    "care_after_problem": PartSpec(frozenset(), (("default",) + tuple(sorted(CARE_AFTER_PROBLEM)),), 1),
    "short_action": PartSpec(frozenset(), (("default",),), 1),
    "ownership": PartSpec(frozenset()),
    "money_too": PartSpec(frozenset()),
    "ending_confirmation": PartSpec(frozenset()),
    "settled_action": PartSpec(frozenset()),
    "act_short": PartSpec(frozenset(), (ASKS_ANSWERED,), 1),
    "restate_clause": PartSpec(frozenset({"clause"}), (BANDS,), 1),
    "restate_wait": PartSpec(frozenset({"clause"}), (BANDS,), 1),
    "restate_question": PartSpec(frozenset({"clause"})),
    "repeat_ack": PartSpec(frozenset({"times"})),
    "history_ack": PartSpec(frozenset()),
    "leaving_ack": PartSpec(frozenset()),
    "refused_ack": PartSpec(frozenset()),
    "untold_ack": PartSpec(frozenset(), (("told", "updates", "unreached"),), 1),
    "missed_ack": PartSpec(frozenset({"missed"}), (("missed", "missing", "late", "ahead"),), 1),
    "praise_ack": PartSpec(frozenset()),
    "report_ack": PartSpec(frozenset()),
    "info_ack": PartSpec(frozenset()),
    "act": PartSpec(frozenset({"thing"}), (ASKS_ANSWERED, ("default",)), 2),
    "actions_sentence": PartSpec(frozenset({"actions"})),
    "actions_also": PartSpec(frozenset({"actions"})),
    "options_sentence": PartSpec(frozenset({"options"})),
    "tip": PartSpec(frozenset(), (("how_to",),), 1),
    "contact": PartSpec(frozenset({"needs", "when"}),
                        (("short", "long", "callback", "callback_chat", "callback_long", "given", "dm_sent",
                          "dm_blocked", "dm_them", "settled"),), 1),
    "next_step": PartSpec(frozenset({"when"}), (("short", "long", "status", "how_to", "settled"),), 1),
    "closing": PartSpec(frozenset()),
    "closing_serious": PartSpec(frozenset()),
}
# Variables whose value may be missing: a variant using one is only chosen when it is known.
OPTIONAL_VARIABLES = frozenset({"thing", "times"})
# No variable of its own: a variant whose verb follows ``thing`` ("{{ thing }} hasn't arrived") needs it,
# known when the thing said back is singular ("your bag", not "your bags").
SINGULAR_THING = "singular_thing"
THING_AS_SUBJECT = re.compile(r"\{\{\s*thing\s*\}\}\s+(?:still\s+)?(?:is|isn't|was|wasn't|has|hasn't|does|doesn't|"
                              r"stands|needs|works|keeps)\b")
_TARGET_VARS = frozenset({"minutes_text", "channel"})
_NOTE_VARS = frozenset({"flags", "cues", "target", "tone", "reply_paragraphs", "reasons_extra"})


# Situations whose case is found by the booking or the order the customer named, when they named one (how a
# gate agent behaved, a seat that broke on a flight: the booking finds it, not an account email).
_FOUND_BY_WHAT_THEY_NAMED = frozenset({"service_conduct", "service_conduct_unanswered", "product_fault"})
# A bag is a traveller's only beside a journey: "replacing a faulty bag" at a shop has no bag tag.
_JOURNEYS = frozenset({"flight", "booking", "train", "bus"})
_JOURNEYS_AND_ORDERS = _JOURNEYS | {"order", "bag"}


def mentions(text: str, phrases: frozenset[str]) -> bool:
    """Whether ``text`` holds one of ``phrases`` (a template file's word list) as whole words, any case."""
    return bool(phrases) and phrases_pattern(phrases).search(text) is not None


# The sets asked about are the template file's lists and the few sets made from them (phrasings not
# told, remedies turned down): enough room that none is compiled again note after note.
@lru_cache(maxsize=512)
def phrases_pattern(phrases: frozenset[str]) -> re.Pattern:
    """One pattern matching any of ``phrases`` as whole words, any case."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Limit:
    max_chars: int
    max_sentences: int


class Variant:
    """One phrasing of a part: renders with the given variables; ``needs`` are the variables it uses."""

    __slots__ = ("template", "needs", "source", "key")

    def __init__(self, template: Any, needs: frozenset[str], source: str, key: str) -> None:
        self.template = template
        self.needs = needs
        self.source = source
        self.key = key

    def render(self, **variables: object) -> str:
        return self.template.render(**variables)

    def usable(self, known: frozenset[str]) -> bool:
        """False when it uses an optional variable that has no value for this message."""
        return not ((self.needs & (OPTIONAL_VARIABLES | {SINGULAR_THING})) - known)


@dataclass(frozen=True)
class TemplateSet:
    language: str
    path: str
    limits: Mapping[str, Limit]
    short_channels: frozenset[str]
    targets: Mapping[str, Any]
    category_labels: Mapping[str, str]
    situation_labels: Mapping[str, str]
    never_echo: frozenset[str]
    staff_words: frozenset[str]
    not_the_problem: frozenset[str]
    contact_words: frozenset[str]
    heated_feelings: frozenset[str]
    recurring_words: frozenset[str]
    long_wait_words: frozenset[str]  # said of a long wait only ("draining"): never of twenty minutes
    calm_only: frozenset[str]        # said to a calm customer only ("thanks for letting us know")
    our_failing: frozenset[str]
    why_words: frozenset[str]
    heads_up_words: frozenset[str]   # a fault told as news for us ("did you know your links are broken?")
    habitual_words: frozenset[str]   # a trouble told as a pattern ("always delayed", "every time I fly")
    identifiers: frozenset[str]
    cannot_find: frozenset[str]
    paid_without_card: frozenset[str]
    said_once: frozenset[str]        # words a reply says at most once ("urgent"): twice reads as a form
    our_objects: frozenset[str]
    the_objects: frozenset[str]
    trip_over: frozenset[str]
    trip_ongoing: frozenset[str]
    stay_ongoing: frozenset[str]     # a stay still under way ("we're here till Sunday")
    stay_as_remedy: frozenset[str]   # a hotel as what a broken journey costs or calls for ("no hotel vouchers")
    bag_trouble: frozenset[str]      # words of a bag gone wrong ("lost", "didn't arrive"), not a bag named
    # Kinds whose remedies are all owed at once (money taken after a cancellation): done, not offered.
    all_owed_kinds: frozenset[str]
    blame_phrases: tuple[str, ...]
    how_to_phrases: tuple[str, ...]
    allowed_words: frozenset[str]
    object_heads: Mapping[str, frozenset[str]]
    # An object's normal form -> the customer's own words for it a reply may say instead ("headphones"
    # for a device): more their own, and never a word that could be something else ("watch").
    said_as_written: Mapping[str, frozenset[str]]
    # Words a phrasing says of what happened ("broken down") -> the customer's words that show it did:
    # without one of them, another phrasing is chosen.
    only_if_told: Mapping[str, frozenset[str]]
    # A feeling's stem as the templates write it ("disappoint") -> the customer's words for it.
    feelings: Mapping[str, frozenset[str]]
    # An ask -> words of an option that would do it again once an answer promised it.
    ask_deeds: Mapping[str, frozenset[str]]
    # A remedy a customer may turn down ("not a refund") -> words of an option that offers it.
    remedy_words: Mapping[str, frozenset[str]]
    contact_needs: Mapping[str, tuple[str, ...]]
    needs_by_object: Mapping[str, tuple[str, ...]]
    parts: Mapping[str, Any]            # nested dicts; leaves are tuples of Variants
    options: Mapping[str, tuple[tuple[Variant, ...], ...]]
    note_text: jinja2.Template
    note_html: jinja2.Template
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    # leaf() answers are the same for the same (part, keys, tone): memoised, the walk is on the hot path.
    _leaves: dict = field(repr=False, compare=False, default_factory=dict)

    def limit(self, channel: str) -> Limit:
        return self.limits.get(channel) or self.limits["default"]

    def leaf(self, part: str, *keys: str, tone: str = "neutral") -> tuple[Variant, ...]:
        """Variants of one part, following keys (each falling back to ``default``) and then the tone."""
        memo_key = (part, keys, tone)
        found = self._leaves.get(memo_key)
        if found is not None:
            return found
        node: Any = self.parts[part]
        for key in keys:
            if isinstance(node, Mapping) and not (set(node) <= set(TONES)):
                node = node[key] if key in node else node["default"]
        if isinstance(node, Mapping):
            node = node.get(tone) or node["neutral"]
        self._leaves[memo_key] = node
        return node

    def has(self, part: str, *keys: str) -> bool:
        """Whether the part names these keys itself (``leaf`` falls back to ``default`` instead)."""
        node: Any = self.parts[part]
        for key in keys:
            if not isinstance(node, Mapping) or key not in node:
                return False
            node = node[key]
        return True

    def object_allowed(self, head: str, situation: str) -> bool:
        head = head.lower()
        return head in self.object_heads.get(situation, ())

    def needs_for(self, situation: str, thing: str | None = None, objects: tuple[str, ...] = ()) -> tuple[str, ...]:
        """What the private-contact line asks for: by the object said back (its normal form: "loan"), else by
        the situation, else by the first object named that says what finds it (a flight: its booking reference)."""
        if thing:
            found = self.needs_by_object.get(thing.split()[0].lower())
            if found:
                return found
        if situation in _FOUND_BY_WHAT_THEY_NAMED:
            # How a gate agent or a driver treated them is found by the booking or the order it was about.
            heads = [obj.split()[0].lower() for obj in objects if obj]
            for head in heads:
                found = self.needs_by_object.get(head)
                if found and head in _JOURNEYS_AND_ORDERS and (head != "bag" or _JOURNEYS.intersection(heads)):
                    return found
        if situation in self.contact_needs:
            return self.contact_needs[situation]
        for obj in objects:
            found = self.needs_by_object.get(obj.split()[0].lower() if obj else "")
            if found:
                return found
        return self.contact_needs["default"]

    def all_templates(self):
        """Every compiled part template with its key (for tests that render them all)."""
        def walk(node, key):
            if isinstance(node, Mapping):
                for k, v in node.items():
                    yield from walk(v, f"{key}.{k}")
            else:
                for i, t in enumerate(node):
                    yield f"{key}[{i}]", t
        for name, node in self.parts.items():
            yield from walk(node, f"parts.{name}")
        for situation, sets in self.options.items():
            for i, variants in enumerate(sets):
                for j, t in enumerate(variants):
                    yield f"parts.options.{situation}[{i}][{j}]", t
