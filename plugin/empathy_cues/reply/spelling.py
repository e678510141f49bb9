"""Which words are English, and what a misspelt one should read: symspellpy's frequency dictionary.

The dictionary (82,765 words: the intersection of SCOWL and the Google Books n-gram counts) ships
inside the symspellpy wheel, so nothing is fetched at run time. The word list is read once per
process, on first use (about 0.1 s); SymSpell's correction index only when a correction is needed.

A reply never echoes a word the dictionary does not know, unless the customer wrote it with a capital
(a name or product: "Denver", "iPhone"). A misspelt word is corrected only when one correction at
edit distance 1 clearly outweighs the others ("recieved" -> "received"); otherwise it is left unknown
and the clause holding it is not said back.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

# A correction must be this many times more frequent than the next candidate: "acount" is one edit
# from both "account" and "amount", and guessing wrong would put words in the customer's mouth.
CLEAR_MARGIN = 3.0
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_LOCK = threading.Lock()   # worker threads share one dictionary
# Prefixes that make a new word of a known one: the list has "booked" and "ordered", not "rebooked" or
# "preordered".
_PREFIXES = ("re", "un", "pre", "mis", "over", "under", "non", "co", "up", "out", "dis")


class Dictionary:
    """Word look-ups from symspellpy's frequency list; its correction index is built on first need.

    Reading the list is cheap (about 0.1 s); building SymSpell's index of deletes costs several times
    that and is only needed when a clause holds a word the list does not know, so a worker's warm-up
    does not pay for it.
    """

    def __init__(self, words: dict[str, int], path: str) -> None:
        self.words = words
        self._path = path
        self._speller = None
        self._corrections: dict[str, str | None] = {}

    def known(self, word: str) -> bool:
        """Whether a word (any case, possessive allowed, hyphenated parts each) is English."""
        low = _POSSESSIVE.sub("", word.lower().replace("’", "'"))
        if not low or low.isdigit():
            return True
        if low in self.words:
            return True
        if "-" in low:
            return all(self.known(p) for p in low.split("-") if p)
        return self._derived(low)

    def _derived(self, low: str) -> bool:
        """A word the list lacks that is a prefix on a word it has, ending and all ("rebooked",
        "unboxed"). Left unknown, it was "corrected" into another word ("rebooked" -> "rebooted")."""
        return any(low.startswith(prefix) and len(low) - len(prefix) >= 4 and low[len(prefix):] in self.words
                   for prefix in _PREFIXES)

    def correct(self, word: str) -> str | None:
        """The word's clear correction (lower case), or None when none stands out."""
        low = word.lower()
        if low in self._corrections:
            return self._corrections[low]
        from symspellpy import Verbosity

        found = self._symspell().lookup(low, Verbosity.CLOSEST, max_edit_distance=1)
        best = None
        if found and found[0].distance == 1:
            runner_up = found[1].count if len(found) > 1 else 0
            if found[0].count >= CLEAR_MARGIN * runner_up:
                best = found[0].term
        if len(self._corrections) < 50_000:   # bounded: customer typos are unbounded
            self._corrections[low] = best
        return best

    def warm(self) -> None:
        """Build the correction index now (about a second), so no composition pays for it: a worker
        composes within a time budget (bounds.py) and the first clause with a typo would spend it."""
        self._symspell()

    def _symspell(self):
        with _LOCK:
            if self._speller is None:
                from symspellpy import SymSpell

                speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
                if not speller.load_dictionary(self._path, term_index=0, count_index=1, encoding="utf-8"):
                    raise RuntimeError(f"symspellpy's dictionary is missing: {self._path}")
                self._speller = speller
            return self._speller

    def unknown_words(self, text: str, *, allowed: frozenset[str] = frozenset()) -> list[str]:
        """Words of a text the dictionary does not know (``allowed`` words excepted, exact case)."""
        return [w for w in _WORD.findall(text) if w not in allowed and not self.known(w)]


@lru_cache(maxsize=1)
def load_dictionary() -> Dictionary:
    from ..resources import english_word_counts

    words, path = english_word_counts()
    return Dictionary(words, path)
