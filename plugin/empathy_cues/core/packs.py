"""Phrase packs: cue phrases as data (``phrase_packs/<language>.yaml``), loaded and validated once.

A pack holds categories (what a cue of that kind implies), cues (id, category, phrases, optional
symbols, threshold, implies, negatable), slots (word lists a phrase can name as ``{slot}``), token
joins (``can not`` → ``cant``), negation words, and positive-tone markers. Validation errors name
the file and the cue. See ``phrase_packs/README.md`` for the format. The categories and cues are
defined and checked in cues.py, the phrase syntax in phrases.py; this module holds the pack as a whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..errors import PackError
from ..resources import data_path
from .cues import Category, Cue, parse_categories, parse_cues, threshold_of
from .datafile import number, read_yaml, require, word_list
from .phrases import phrase_tokens

_DECISION_KEYS = ("apology_at", "priority_at", "distress_at")


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
    # A filler that means something after one word is not skipped there: "how MUCH does it cost" asks a
    # price, it is not "how does it" with emphasis.
    kept_fillers: frozenset[tuple[str, str]]
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


def parse_pack(data: Any, path: str) -> Pack:
    """Validate a pack's parsed YAML and build a :class:`Pack`; raises :class:`PackError`."""
    if not isinstance(data, dict):
        raise PackError(path, "a pack must be a mapping at the top level")
    language = require(data, "language", str, path)
    version = require(data, "version", int, path)
    threshold, fuzzy_min = _defaults(data.get("defaults") or {}, path)
    categories = parse_categories(require(data, "categories", dict, path), path)
    slots = {name: frozenset(t for w in word_list(words, path, f"slot {name!r}") for t in phrase_tokens(w))
             for name, words in (data.get("slots") or {}).items()}
    negation = _negation(data.get("negation") or {}, path)
    shouting = data.get("shouting") or {}
    cues = parse_cues(require(data, "cues", list, path), path, categories, slots, threshold)
    fillers = frozenset(phrase_tokens(" ".join(word_list(data.get("fillers") or [], path, "fillers"))))
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
        fillers=fillers,
        kept_fillers=_kept_fillers(data.get("kept_fillers") or [], path, fillers),
        shouting_min_words=int(shouting.get("min_words", 2)),
        shouting_min_length=int(shouting.get("min_length", 4)),
        shouting_ignore=frozenset(w.upper() for w in (shouting.get("ignore") or [])),
        **decision,
        raw=data,
    )


def _kept_fillers(pairs: Any, path: str, fillers: frozenset[str]) -> frozenset[tuple[str, str]]:
    """``kept_fillers``: two-word pairs ("how much") whose second word, a filler elsewhere, is kept."""
    kept = set()
    for pair in word_list(pairs, path, "kept_fillers"):
        tokens = phrase_tokens(pair)
        if len(tokens) != 2 or tokens[1] not in fillers:
            raise PackError(path, f"kept_fillers: {pair!r} must be two words, a word and then a filler")
        kept.add(tokens)
    return frozenset(kept)


def _defaults(defaults: Mapping, path: str) -> tuple[float, int]:
    """(threshold, fuzzy_min_length) from the pack's ``defaults``."""
    threshold = threshold_of(defaults.get("threshold", 86), path, None)
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


def load_pack_file(path: str | Path) -> Pack:
    return parse_pack(read_yaml(path), str(path))


def builtin_pack_path(language: str = "en") -> Path:
    return data_path("phrase_packs") / f"{language}.yaml"


def load_builtin_pack(language: str = "en") -> Pack:
    path = builtin_pack_path(language)
    if not path.is_file():
        raise PackError(str(path), f"no built-in phrase pack for language {language!r}")
    return load_pack_file(path)
