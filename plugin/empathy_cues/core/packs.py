"""Phrase packs: cue phrases as data (``phrase_packs/<language>.yaml``), loaded and validated once.

A pack holds categories (what a cue of that kind implies), cues (id, category, phrases, optional
symbols, threshold, implies, negatable), slots (word lists a phrase can name as ``{slot}``), token
joins (``can not`` → ``cant``), negation words, and positive-tone markers. Validation errors name
the file and the cue. See ``phrase_packs/README.md`` for the format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .datafile import number, read_yaml, require, word_list
from ..errors import PackError
from ..resources import data_path
from .understand import SERIOUS_KINDS

CUE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DETECTORS = ("shouting", "negative_wording")
# What a category's cues are for: "cue" cues show a struggle (apology, priority, tone); the others feed
# the understanding (understand.py): the situation, what the customer asks, how serious it is, and the
# things they name. Only "cue" cues are shown to agents as cues and counted toward the decision.
ROLES = ("cue", "situation", "ask", "severity", "object", "info")
CONTEXT_SCOPES = ("window", "sentence", "message")
_DECISION_KEYS = ("apology_at", "priority_at", "distress_at")
_PUNCTUATION = re.compile(r"[^\w\s'\-#{}*\u2019]")
SLOT_TOKEN = re.compile(r"^\{([a-z_]+)\}$")
# Phrase tokens are normalised like the text: lower case, apostrophes removed ("can't" -> "cant").
_WORD = re.compile(r"#digits|[^\W_]+(?:'[^\W_]+)*|\{[a-z_]+\}|\*")


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of a pack phrase: normalised words, ``{slot}`` references and ``*`` (any one word)."""
    return tuple(t if t.startswith("{") or t == "*" else t.lower().replace("'", "")
                 for t in _WORD.findall(phrase.replace("\u2019", "'")))


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


@dataclass(frozen=True, eq=False)  # identity equality and hash: a pack is a loaded thing, cached by identity
class Pack:
    language: str
    path: str
    version: int
    threshold: float
    fuzzy_min_length: int
    categories: Mapping[str, Category]
    cues: tuple[Cue, ...]
    slots: Mapping[str, frozenset[str]]
    joins: Mapping[tuple[str, str], str]        # ("can", "not") -> "cant"
    aliases: Mapping[str, str]                  # "cannot" -> "cant", "u" -> "you"
    negators: frozenset[str]
    negation_window: int
    negation_transparent: frozenset[str]        # words a negator reaches across ("not AT ALL confusing")
    negation_scope_breaks: frozenset[str]       # words that end a negator's reach ("but", "and")
    resolved: frozenset[str]                    # words that undo a problem next to it ("problem solved")
    fillers: frozenset[str]                     # words a phrase may skip ("having SO MUCH trouble")
    shouting_min_words: int
    shouting_min_length: int
    shouting_ignore: frozenset[str]             # all-caps words that are not shouting (codes, acronyms)
    apology_at: float = 1.0        # evidence of apology cues that owes an apology
    priority_at: float = 1.0       # evidence of priority cues (+ intensity beside a problem) that owes priority
    distress_at: float = 3.0       # so many signs of trouble together owe priority too
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def cue(self, cue_id: str) -> Cue:
        for cue in self.cues:
            if cue.id == cue_id:
                return cue
        raise KeyError(cue_id)


def _threshold(value: Any, path: str, cue_id: str | None) -> float:
    return number(value, path, "threshold", low=50, high=100, cue_id=cue_id)


def _role(value: Any, path: str, category: str) -> str:
    if value not in ROLES:
        raise PackError(path, f"category {category!r}: role must be one of {', '.join(ROLES)}, got {value!r}")
    return value


def _context(spec: Any, path: str, cue_id: str, slots: Mapping[str, frozenset[str]],
             categories: Mapping[str, Category]) -> Context:
    """Parse a cue's ``context``: ``near`` and ``unless`` list pack words, ``{slot}`` names and
    ``@category`` names; ``scope`` is window (with ``window`` words), sentence or message."""
    if not isinstance(spec, dict) or set(spec) - {"near", "unless", "scope", "window", "question"}:
        raise PackError(path, "context may only set near, unless, scope, window and question", cue_id=cue_id)
    if "near" not in spec and "unless" not in spec and not spec.get("question"):
        raise PackError(path, "context needs near, unless or question", cue_id=cue_id)
    if not isinstance(spec.get("question", False), bool):
        raise PackError(path, "context.question must be true or false", cue_id=cue_id)

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
                   required="near" in spec or bool(spec.get("question")), question=bool(spec.get("question")))


def parse_pack(data: Any, path: str) -> Pack:
    """Validate a pack's parsed YAML and build a :class:`Pack`; raises :class:`PackError`."""
    if not isinstance(data, dict):
        raise PackError(path, "a pack must be a mapping at the top level")
    language = require(data, "language", str, path)
    version = require(data, "version", int, path)
    threshold, fuzzy_min = _defaults(data.get("defaults") or {}, path)
    categories = _categories(require(data, "categories", dict, path), path)
    slots = {name: frozenset(t for w in word_list(words, path, f"slot {name!r}") for t in phrase_tokens(w))
             for name, words in (data.get("slots") or {}).items()}
    negation = _negation(data.get("negation") or {}, path)
    shouting = data.get("shouting") or {}
    cues = _cues(require(data, "cues", list, path), path, categories, slots, threshold)
    decision = _decision(data.get("decision") or {}, path)
    return Pack(
        language=language,
        path=path,
        version=version,
        threshold=threshold,
        fuzzy_min_length=fuzzy_min,
        categories=categories,
        cues=cues,
        slots=slots,
        joins=_joins(data.get("joins") or {}, path),
        aliases=_aliases(data.get("aliases") or {}, path),
        **negation,
        fillers=frozenset(phrase_tokens(" ".join(word_list(data.get("fillers") or [], path, "fillers")))),
        shouting_min_words=int(shouting.get("min_words", 2)),
        shouting_min_length=int(shouting.get("min_length", 4)),
        shouting_ignore=frozenset(w.upper() for w in (shouting.get("ignore") or [])),
        **decision,
        raw=data,
    )


def _defaults(defaults: Mapping, path: str) -> tuple[float, int]:
    """(threshold, fuzzy_min_length) from the pack's ``defaults``."""
    threshold = _threshold(defaults.get("threshold", 86), path, None)
    fuzzy_min = defaults.get("fuzzy_min_length", 6)
    if not isinstance(fuzzy_min, int) or fuzzy_min < 3:
        raise PackError(path, "defaults.fuzzy_min_length must be an integer of at least 3")
    return threshold, fuzzy_min


def _decision(decision: Any, path: str) -> dict[str, float]:
    """How much evidence owes what (``apology_at``, ``priority_at``, ``distress_at``)."""
    if not isinstance(decision, dict) or set(decision) - set(_DECISION_KEYS):
        raise PackError(path, f"decision may only set {', '.join(_DECISION_KEYS)}")
    for key, value in decision.items():
        number(value, path, f"decision.{key}", low=0, low_inclusive=False)
    defaults = {"apology_at": 1.0, "priority_at": 1.0, "distress_at": 3.0}
    return {key: float(decision.get(key, default)) for key, default in defaults.items()}


def _categories(specs: Mapping, path: str) -> dict[str, Category]:
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


def _joins(specs: Mapping, path: str) -> dict[tuple[str, str], str]:
    joins: dict[tuple[str, str], str] = {}
    for joined, pair in specs.items():
        parts = phrase_tokens(str(pair))
        if len(parts) != 2:
            raise PackError(path, f"join {joined!r} must name exactly two words, got {pair!r}")
        joins[(parts[0], parts[1])] = str(joined).lower().replace("'", "")
    return joins


def _aliases(specs: Mapping, path: str) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for word, means in specs.items():
        source, target = phrase_tokens(str(word)), phrase_tokens(str(means))
        if len(source) != 1 or len(target) != 1:
            raise PackError(path, f"alias {word!r}: {means!r} must map one word to one word")
        aliases[source[0]] = target[0]
    return aliases


def _negation(negation: Mapping, path: str) -> dict[str, Any]:
    """The Pack fields of the ``negation`` section."""
    window = negation.get("window", 3)
    if not isinstance(window, int) or not 0 <= window <= 8:
        raise PackError(path, "negation.window must be an integer from 0 to 8")

    def words(key: str) -> frozenset[str]:
        return frozenset(phrase_tokens(" ".join(word_list(negation.get(key) or [], path, f"negation.{key}"))))

    return {"negators": words("words"), "negation_window": window, "negation_transparent": words("transparent"),
            "negation_scope_breaks": words("scope_breaks"), "resolved": words("resolved")}


def _cues(specs: list, path: str, categories: Mapping[str, Category], slots: Mapping[str, frozenset[str]],
          threshold: float) -> tuple[Cue, ...]:
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
        phrases = _phrases(spec, path, cue_id, slots)
        for tokens in phrases:
            owner = phrase_owner.setdefault((cat.role, tokens), cue_id)
            if owner != cue_id:
                raise PackError(path, f"phrase {' '.join(tokens)!r} is already a phrase of cue {owner!r}",
                                cue_id=cue_id)
        cues.append(_cue(spec, path, cue_id, cat, phrases, slots, categories, threshold))
    return tuple(cues)


def _phrases(spec: Mapping, path: str, cue_id: str, slots: Mapping[str, frozenset[str]]) -> list:
    phrases = []
    for phrase in word_list(spec["phrases"], path, "phrases", cue_id) if "phrases" in spec else []:
        tokens = phrase_tokens(phrase)
        if not tokens:
            raise PackError(path, f"phrase {phrase!r} has no words", cue_id=cue_id)
        if _PUNCTUATION.search(phrase):
            raise PackError(path, f"phrase {phrase!r}: punctuation in a phrase is not matched "
                            "(put marks such as '!!' or emoji under symbols)", cue_id=cue_id)
        if tokens[0] == "*":
            raise PackError(path, f"phrase {phrase!r} must not start with '*'", cue_id=cue_id)
        for token in tokens:
            slot = SLOT_TOKEN.match(token)
            if slot and slot.group(1) not in slots:
                raise PackError(path, f"phrase {phrase!r} names unknown slot {slot.group(1)!r}", cue_id=cue_id)
        phrases.append(tokens)
    return phrases


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
        threshold=_threshold(spec.get("threshold", threshold), path, cue_id),
        apology=bool(implies.get("apology", cat.apology)),
        priority=bool(implies.get("priority", cat.priority)),
        # What a message is about does not change when it is negated ("I can't return it" is about a
        # return): understanding cues are not negatable unless they say so.
        negatable=bool(spec.get("negatable", cat.role == "cue")),
        label=str(spec.get("label", cue_id.split(".", 1)[1].replace("_", " "))),
        detector=detector,
        weight=float(weight),
        priority_weight=float(priority_weight),
        context=_context(spec["context"], path, cue_id, slots, categories) if "context" in spec else None,
        role=cat.role,
        tag=tag,
        strength=number(spec.get("strength", 1.0), path, "strength", low=0, high=5, low_inclusive=False,
                         cue_id=cue_id),
        serious=serious,
        rude=bool(spec.get("rude", False)),
    )


def load_pack_file(path: str | Path) -> Pack:
    return parse_pack(read_yaml(path), str(path))


def builtin_pack_path(language: str = "en") -> Path:
    return data_path("phrase_packs") / f"{language}.yaml"


def load_builtin_pack(language: str = "en") -> Pack:
    path = builtin_pack_path(language)
    if not path.is_file():
        raise PackError(str(path), f"no built-in phrase pack for language {language!r}")
    return load_pack_file(path)
