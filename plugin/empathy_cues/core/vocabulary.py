"""The pack word a text word stands for: the word itself when the pack knows it, else the pack word one
typo away (two for long words), found by a memoised rapidfuzz lookup with a score cutoff. Everything
that depends only on the pack is built once."""
from __future__ import annotations

import re

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .packs import Pack
from .words import MEMO_LIMIT


class Vocabulary:
    """``known_words``: words of the language (a dictionary's list). A word the customer wrote that is
    itself a word is read as another word of the pack only when both are forms of one word
    ("reservations" for "reservation", "attempts" for "attempted"); one letter away otherwise is
    another word, not a typo: "changing" is not "charging", "thread" is not "threat",
    "compliant" is not "complaint"."""

    def __init__(self, pack: Pack, phrase_words: set[str], known_words: frozenset[str] = frozenset()) -> None:
        self.fuzzy_min_length = pack.fuzzy_min_length
        self._known = known_words
        self._fuzzy_targets = _fuzzy_targets(phrase_words, pack.fuzzy_min_length)
        # Context words and slot words are matched like phrase words (typos included), but are no
        # fuzzy targets of their own.
        self.words = frozenset(phrase_words | _context_words(pack))
        self._memo: dict[str, tuple[str, float] | None] = {}

    def canonical(self, norm: str) -> tuple[str, float] | None:
        """The pack word a text word stands for, with its similarity; None when it stands for none."""
        if norm in self.words:
            return norm, 100.0
        if _DRAWN_OUT.search(norm):
            # A word drawn out for feeling ("stiiiill waiting", "greeeat", "pleeease") is the word itself.
            for short in (_DRAWN_OUT.sub(r"\1", norm), _DRAWN_OUT.sub(r"\1\1", norm), _DOUBLED.sub(r"\1", norm)):
                if short in self.words:
                    return short, 100.0
        if len(norm) < self.fuzzy_min_length or not norm.isalpha():
            return None
        try:
            return self._memo[norm]
        except KeyError:
            pass
        found = None
        targets = self._fuzzy_targets.get(norm[0])
        if targets:
            best = process.extractOne(norm, targets, scorer=fuzz.ratio, score_cutoff=80)
            if best is not None:
                word, score, _ = best
                # One edit (insert, delete, substitute, swap) for words under 9 letters, two above.
                if OSA.distance(norm, word) <= (1 if len(word) < 9 else 2) and (
                        norm not in self._known or same_stem(norm, word)):
                    found = (word, float(score))
        if len(self._memo) < MEMO_LIMIT:
            self._memo[norm] = found
        return found


# A letter written three times or more: no English word has one.
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")
_DOUBLED = re.compile(r"([a-z])\1+")     # "greeeaat": every letter drawn out, said once
# Endings that make another form of the same word ("attempts", "attempted"; "terribly", "terrible").
_ENDINGS = frozenset({"", "s", "es", "d", "ed", "e", "y", "ly", "ing", "ion", "ions", "er", "ers"})


def same_stem(a: str, b: str) -> bool:
    """Whether two words are forms of one word: what follows their common beginning is an ending of each."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i:] in _ENDINGS and b[i:] in _ENDINGS


def _fuzzy_targets(words: set[str], min_length: int) -> dict[str, list[str]]:
    """Words a typo may stand for: only words long enough that one typo cannot turn them into another
    common word ("lost" vs "last"), grouped by first letter (typos rarely hit it)."""
    targets: dict[str, list[str]] = {}
    for word in sorted(words):
        if len(word) >= min_length and word.isalpha():
            targets.setdefault(word[0], []).append(word)
    return targets


def _context_words(pack: Pack) -> set[str]:
    """The words that cues' context rules look for, their slots' words included."""
    words: set[str] = set()
    for c in pack.cues:
        if c.context is None:
            continue
        words.update(c.context.words)
        words.update(c.context.unless_words)
        for name in c.context.slots + c.context.unless_slots:
            words.update(w for w in pack.slots[name] if w != "#digits")
    return words
