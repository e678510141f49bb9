"""A pack's categories and cues: what each is (plain frozen data) and how its YAML section is checked.
Every error names the file and the cue (``PackError``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

from ..errors import PackError
from .datafile import number, require, word_list
from .phrases import SLOT_TOKEN, parse_phrases, phrase_tokens
from .understand import SERIOUS_KINDS

CUE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DETECTORS = ("shouting", "negative_wording", "flat_repeat")
# What a category's cues are for: "cue" cues show a struggle (apology, priority, tone); the others feed
# the understanding (understand.py): the situation, what the customer asks, how serious it is, and the
# things they name. Only "cue" cues are shown to agents as cues and counted toward the decision.
ROLES = ("cue", "situation", "ask", "severity", "object", "info")
CONTEXT_SCOPES = ("window", "sentence", "message")


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    apology: bool
    priority: bool
    intensity: bool = False   # marks strength (shouting, "!!!"): priority only beside an apology cue
    role: str = "cue"         # one of ROLES
    weight: float = 1.0       # evidence a cue of this category carries unless it says otherwise


@dataclass(frozen=True)
class Context:
    """What a cue needs around it to count: one of ``words`` (pack words, normalised), a word of one of
    ``slots``, or a cue of one of ``categories`` (found without needing context itself), within
    ``window`` words either side in the same sentence, anywhere in the sentence, or in the message.
    ``unless`` lists the same kinds of things that cancel the cue when they stand in that scope."""

    words: frozenset[str] = frozenset()
    slots: tuple[str, ...] = ()
    categories: frozenset[str] = frozenset()
    scope: str = "window"
    window: int = 4
    unless_words: frozenset[str] = frozenset()
    unless_slots: tuple[str, ...] = ()
    unless_categories: frozenset[str] = frozenset()
    required: bool = True     # False: only ``unless`` applies
    question: bool = False    # a sentence that ends in "?" satisfies it too ("Can I get a refund?")
    imperative: bool = False  # the match opening its sentence satisfies it too ("Cancel my contract.")
    # A wildcard phrase ("can't *") may take an unless word into the match ("can't wait"): for such a
    # cue, unless words count inside the match too.
    unless_inside: bool = False


@dataclass(frozen=True)
class Cue:
    id: str
    category: str
    phrases: tuple[tuple[str, ...], ...]   # tokenised phrases
    symbols: tuple[str, ...]               # literal strings (emoji, "?!") matched as written
    threshold: float
    apology: bool
    priority: bool
    negatable: bool
    label: str
    detector: str | None = None            # a built-in detector instead of phrases (DETECTORS)
    weight: float = 1.0                    # evidence: an apology/priority is owed from a total of 1.0
    priority_weight: float = 1.0           # evidence toward priority, when it differs from weight
    context: Context | None = None         # what the cue needs around it to count
    role: str = "cue"                      # its category's role (ROLES)
    tag: str = ""                          # for understanding cues: the label it shows (a situation name...)
    strength: float = 1.0                  # for understanding cues: how strongly it shows that label
    serious: str | None = None             # a serious matter it shows (SERIOUS_KINDS): severity 3
    rude: bool = False                     # insult or sarcasm: the tone is never reported as friendly
    # For a detector that scores words (negative_wording): words it must not count, plain topic words
    # of customer service that a general lexicon rates negative ("pay", "cancel", "leave").
    ignore_words: frozenset[str] = frozenset()


def _with_wildcards(context: "Context", phrases) -> "Context":
    """The context, told whether a phrase of its cue has a wildcard that may take an unless word."""
    if any("*" in phrase for phrase in phrases):
        return replace(context, unless_inside=True)
    return context


def threshold_of(value: Any, path: str, cue_id: str | None) -> float:
    return number(value, path, "threshold", low=50, high=100, cue_id=cue_id)


def _role(value: Any, path: str, category: str) -> str:
    if value not in ROLES:
        raise PackError(path, f"category {category!r}: role must be one of {', '.join(ROLES)}, got {value!r}")
    return value


def _context(spec: Any, path: str, cue_id: str, slots: Mapping[str, frozenset[str]],
             categories: Mapping[str, Category]) -> Context:
    """Parse a cue's ``context``: ``near`` and ``unless`` list pack words, ``{slot}`` names and
    ``@category`` names; ``scope`` is window (with ``window`` words), sentence or message."""
    if not isinstance(spec, dict) or set(spec) - {"near", "unless", "scope", "window", "question", "imperative"}:
        raise PackError(path, "context may only set near, unless, scope, window, question and imperative",
                        cue_id=cue_id)
    if "near" not in spec and "unless" not in spec and not spec.get("question") and not spec.get("imperative"):
        raise PackError(path, "context needs near, unless, question or imperative", cue_id=cue_id)
    for flag in ("question", "imperative"):
        if not isinstance(spec.get(flag, False), bool):
            raise PackError(path, f"context.{flag} must be true or false", cue_id=cue_id)

    def items(key: str) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
        words, slot_names, cats = set(), [], set()
        for item in word_list(spec.get(key, []), path, f"context.{key}", cue_id):
            if item.startswith("@"):
                if item[1:] not in categories:
                    raise PackError(path, f"context.{key} names unknown category {item[1:]!r}", cue_id=cue_id)
                cats.add(item[1:])
            elif SLOT_TOKEN.match(item):
                name = SLOT_TOKEN.match(item).group(1)
                if name not in slots:
                    raise PackError(path, f"context.{key} names unknown slot {name!r}", cue_id=cue_id)
                slot_names.append(name)
            else:
                tokens = phrase_tokens(item)
                if len(tokens) != 1:
                    raise PackError(path, f"context.{key} item {item!r} must be one word, a {{slot}} or an "
                                    "@category", cue_id=cue_id)
                words.add(tokens[0])
        return frozenset(words), tuple(slot_names), frozenset(cats)

    scope = spec.get("scope", "window")
    if scope not in CONTEXT_SCOPES:
        raise PackError(path, f"context.scope must be one of {', '.join(CONTEXT_SCOPES)}", cue_id=cue_id)
    window = spec.get("window", 4)
    if not isinstance(window, int) or not 1 <= window <= 20:
        raise PackError(path, "context.window must be a whole number from 1 to 20", cue_id=cue_id)
    near_words, near_slots, near_cats = items("near")
    unless_words, unless_slots, unless_cats = items("unless")
    return Context(words=near_words, slots=near_slots, categories=near_cats, scope=scope, window=window,
                   unless_words=unless_words, unless_slots=unless_slots, unless_categories=unless_cats,
                   required="near" in spec or bool(spec.get("question")) or bool(spec.get("imperative")),
                   question=bool(spec.get("question")), imperative=bool(spec.get("imperative")))


def parse_categories(specs: Mapping, path: str) -> dict[str, Category]:
    """The pack's ``categories`` section."""
    categories: dict[str, Category] = {}
    for cid, spec in specs.items():
        if not CATEGORY_ID.match(str(cid)) or not isinstance(spec, dict):
            raise PackError(path, f"category {cid!r} must be a lower_case id mapping to its settings")
        categories[cid] = Category(
            id=cid,
            label=str(spec.get("label", cid.replace("_", " "))),
            apology=bool(spec.get("apology", False)),
            priority=bool(spec.get("priority", False)),
            intensity=bool(spec.get("intensity", False)),
            role=_role(spec.get("role", "cue"), path, cid),
            weight=number(spec.get("weight", 1.0), path, f"category {cid!r} weight", low=0, high=1,
                           low_inclusive=False),
        )
    return categories


def parse_cues(specs: list, path: str, categories: Mapping[str, Category], slots: Mapping[str, frozenset[str]],
               threshold: float) -> tuple[Cue, ...]:
    """The pack's ``cues`` section: ids unique, categories known, a phrase owned by one cue of each role."""
    cues: list[Cue] = []
    seen: set[str] = set()
    # One phrase, one cue of each role: understanding cues may share the words of a struggle cue.
    phrase_owner: dict[tuple[str, tuple[str, ...]], str] = {}
    for index, spec in enumerate(specs):
        if not isinstance(spec, dict):
            raise PackError(path, f"cue #{index + 1} must be a mapping")
        cue_id = spec.get("id")
        if not isinstance(cue_id, str) or not CUE_ID.match(cue_id):
            raise PackError(path, f"cue #{index + 1} needs an id like 'category.name', got {cue_id!r}")
        if cue_id in seen:
            raise PackError(path, "duplicate cue id", cue_id=cue_id)
        seen.add(cue_id)
        category = require(spec, "category", str, path, cue_id)
        if category not in categories:
            raise PackError(path, f"unknown category {category!r}", cue_id=cue_id)
        cat = categories[category]
        phrases = parse_phrases(spec, path, cue_id, slots)
        for tokens in phrases:
            owner = phrase_owner.setdefault((cat.role, tokens), cue_id)
            if owner != cue_id:
                raise PackError(path, f"phrase {' '.join(tokens)!r} is already a phrase of cue {owner!r}",
                                cue_id=cue_id)
        cues.append(_cue(spec, path, cue_id, cat, phrases, slots, categories, threshold))
    return tuple(cues)


def _cue(spec: Mapping, path: str, cue_id: str, cat: Category, phrases: list, slots, categories,
         threshold: float) -> Cue:
    symbols = tuple(word_list(spec["symbols"], path, "symbols", cue_id)) if "symbols" in spec else ()
    detector = spec.get("detector")
    if detector is not None and detector not in DETECTORS:
        raise PackError(path, f"unknown detector {detector!r} (known: {', '.join(DETECTORS)})", cue_id=cue_id)
    if not phrases and not symbols and detector is None:
        raise PackError(path, "a cue needs at least one phrase, symbol or detector", cue_id=cue_id)
    weight = number(spec.get("weight", cat.weight), path, "weight", low=0, high=1, low_inclusive=False,
                     cue_id=cue_id)
    priority_weight = number(spec.get("priority_weight", weight), path, "priority_weight", low=0, high=1,
                              low_inclusive=False, cue_id=cue_id)
    implies = spec.get("implies") or {}
    if not isinstance(implies, dict) or set(implies) - {"apology", "priority"}:
        raise PackError(path, "implies may only set 'apology' and 'priority'", cue_id=cue_id)
    tag = spec.get("tag", cat.id if cat.role != "cue" else "")
    if not isinstance(tag, str):
        raise PackError(path, "tag must be a string", cue_id=cue_id)
    serious = spec.get("serious")
    if serious is not None and serious not in SERIOUS_KINDS:
        raise PackError(path, f"serious must be one of {', '.join(SERIOUS_KINDS)}, got {serious!r}", cue_id=cue_id)
    return Cue(
        id=cue_id,
        category=cat.id,
        phrases=tuple(dict.fromkeys(phrases)),
        symbols=symbols,
        threshold=threshold_of(spec.get("threshold", threshold), path, cue_id),
        apology=bool(implies.get("apology", cat.apology)),
        priority=bool(implies.get("priority", cat.priority)),
        # What a message is about does not change when it is negated ("I can't return it" is about a
        # return): understanding cues are not negatable unless they say so.
        negatable=bool(spec.get("negatable", cat.role == "cue")),
        label=str(spec.get("label", cue_id.split(".", 1)[1].replace("_", " "))),
        detector=detector,
        weight=float(weight),
        priority_weight=float(priority_weight),
        context=_with_wildcards(_context(spec["context"], path, cue_id, slots, categories), phrases)
        if "context" in spec else None,
        role=cat.role,
        tag=tag,
        strength=number(spec.get("strength", 1.0), path, "strength", low=0, high=5, low_inclusive=False,
                         cue_id=cue_id),
        serious=serious,
        rude=bool(spec.get("rude", False)),
        ignore_words=_ignore_words(spec, path, cue_id, detector),
    )


def _ignore_words(spec: Mapping, path: str, cue_id: str, detector: str | None) -> frozenset[str]:
    if "ignore_words" not in spec:
        return frozenset()
    if detector != "negative_wording":
        raise PackError(path, "ignore_words is only for the negative_wording detector", cue_id=cue_id)
    words = word_list(spec["ignore_words"], path, "ignore_words", cue_id)
    if any(" " in w.strip() for w in words):
        raise PackError(path, "ignore_words are single words", cue_id=cue_id)
    return frozenset(w.strip().lower() for w in words)
