"""Cues found by signs rather than by words: symbols and emoji as written ("!!!", a crying face),
shouting (a run of words in capitals), and a word said again flat ("Great. Just great.")."""
from __future__ import annotations

import re

from .cues import Cue
from .matches import CueMatch, cue_match
from .packs import Pack

_CAPS_WORD = re.compile(r"(?<![@#\w/.])[A-Z][A-Z']*[A-Z]\b")  # not @HANDLES, #TAGS or inside links
_CAPS_RUN = re.compile(r"[A-Z]{3,}")
_CAPS_GAP = re.compile(r"[ \t,'A-Z]*")
# A word, a stop, then "just" and the same word: "Great. Just great.", "Perfect. Just perfect.", "Wow. Just
# wow." Said of how things went, it is the flat voice of someone let down, whatever the word.
_FLAT_REPEAT = re.compile(r"\b([^\W\d_]{3,})\s*[.!…,]+\s*just\s+\1\b", re.IGNORECASE)


class SignFinder:
    """A pack's symbol and shouting cues, compiled once."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        # Longest first, so "!!!" is found before "!!" at the same place.
        self._symbols = sorted(((symbol, cue) for cue in pack.cues for symbol in cue.symbols),
                               key=lambda item: -len(item[0]))
        self._shouting_cue = next((c for c in pack.cues if c.detector == "shouting"), None)
        self._flat_cue = next((c for c in pack.cues if c.detector == "flat_repeat"), None)

    def find(self, text: str) -> list[CueMatch]:
        """Cues found by symbols ("!!!", emoji) and by the shouting and flat-repeat detectors rather than by
        words."""
        found = self._find_symbols(text) if self._symbols else []
        if self._shouting_cue is not None:
            shout = self._find_shouting(text)
            if shout is not None:
                found.append(cue_match(self._shouting_cue, text, shout[0], shout[1], 100.0))
        if self._flat_cue is not None and "just" in text.lower():
            flat = _FLAT_REPEAT.search(text)
            if flat is not None:
                found.append(cue_match(self._flat_cue, text, flat.start(), flat.end(), 100.0))
        return found

    def _find_symbols(self, text: str) -> list[CueMatch]:
        """Emoji and marks such as "!!" as written; one match per cue ("!!!!!!" is one cue, not five).

        ``str.find`` per symbol beats one regex alternation here: most symbols never occur."""
        hits: list[tuple[int, int, Cue]] = []
        for symbol, cue in self._symbols:
            at = text.find(symbol)
            while at >= 0 and len(symbol) == 1 and _in_a_masked_word(text, at):
                at = text.find(symbol, at + 1)
            if at >= 0:
                hits.append((at, at + len(symbol), cue))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        taken_until = -1
        seen: set[str] = set()
        out = []
        for start, end, cue in hits:
            if start < taken_until or cue.id in seen:
                continue
            seen.add(cue.id)
            taken_until = end
            out.append(cue_match(cue, text, start, end, 100.0))
        return out

    def _find_shouting(self, text: str) -> tuple[int, int] | None:
        """Span of the longest run of all-caps words, when the message has enough of them.

        Runs of capitals are found by regex (a message rarely has any), not by looking at each word."""
        pack = self.pack
        if len(_CAPS_RUN.findall(text)) < pack.shouting_min_words:  # a cheap look first: usually no
            return None
        loud = [m for m in _CAPS_WORD.finditer(text)
                if len(m.group()) >= pack.shouting_min_length and m.group() not in pack.shouting_ignore]
        if len(loud) < pack.shouting_min_words:
            return None
        best = run = (loud[0].start(), loud[0].end())
        for previous, current in zip(loud, loud[1:]):
            # Same run when only spaces and short capital words ("IS", "A") stand between them.
            if _CAPS_GAP.fullmatch(text, previous.end(), current.start()):
                run = (run[0], current.end())
            else:
                run = (current.start(), current.end())
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        return best


# Letters and the marks that stand in for letters in a word someone would not spell out ("f@$%ing").
_MASKING = frozenset("@#$%*&!")


def _in_a_masked_word(text: str, at: int) -> bool:
    """Whether the one-character sign at ``at`` stands inside a word written with marks for letters
    ("I f@$%ing hate you"): a swear word, not a sum of money."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return (before.isalpha() or before in _MASKING) and (after.isalpha() or after in _MASKING)
