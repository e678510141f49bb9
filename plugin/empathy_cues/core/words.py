"""A text split into words once, with offsets kept: what the matcher reads.

Words are lower-cased, apostrophes dropped, aliases applied and word pairs joined ("does not" ->
"doesnt"), while each keeps the span of the customer's own characters, so every cue found can be
shown in their words. Sentence and clause breaks are read from the gaps between words only where a
candidate phrase needs them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from itertools import accumulate

# A number run into its unit ("7hr", "24h", "30mins", "48hrs", "52mph", "4lbs") is two words, as "7 hr" is: a
# wait, a speed or a weight is read however it is written.
_WORD_SPLIT = re.compile(r"(\d+(?=(?:h|hrs?|hours?|mins?|minutes?|days?|wks?|weeks?|mph|kph|kmh|lbs?|kgs?|kilos?)\b)"
                         # hours and minutes run together: "3hr30min" (not "12h30", a time of day)
                         r"|\d+(?=hrs?\d)|(?<=\d)hrs?(?=\d)"
                         r"|[^\W_]+(?:'[^\W_]+)*)")
# Between two words these end a sentence: a phrase never spans them, negation never crosses them.
_SENTENCE_CHARS = frozenset(".!?;:\n")
# Marks that join the digits of one number or time, with nothing around them.
_NUMBER_MARKS = frozenset(".:,")
# These end a clause: negation stops there (a sentence break ends a clause too).
_CLAUSE_CHARS = frozenset(".!?;:\n,()\"")
# @handles and links are names, not words: "@FC_Help" must not read as a cry for "help".
# (An email address keeps its local part and domain suffix as words: harmless, and much cheaper.)
_NOT_WORDS = re.compile(r"@\w+|https?://\S+|www\.\S+")
MEMO_LIMIT = 50_000


def _blank_names(text: str) -> str:
    """Handles and links blanked out with spaces of the same length, so offsets stay true."""
    if "@" in text or "http" in text or "www." in text:
        return _NOT_WORDS.sub(lambda m: " " * len(m.group()), text)
    return text


class Words:
    """A text's words: parallel lists of offsets, normalised forms and break flags.

    ``norms`` are lower case with apostrophes removed, aliases applied ("cannot" -> "cant") and word
    pairs joined ("does not" -> "doesnt", one word spanning both). The first word starts a sentence.
    """

    __slots__ = ("starts", "ends", "norms", "gaps", "tail", "_sentences", "_forms")

    def __init__(self, text: str, joins=None, aliases=None, hashtags=None) -> None:
        text = _blank_names(text)
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters grow when lower-cased; keep offsets exact
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        # One split gives gaps and words alternately; offsets are the running sum of their lengths.
        parts = _WORD_SPLIT.split(lowered)
        offsets = list(accumulate(map(len, parts)))
        self.starts = offsets[0::2][: len(parts) // 2]
        self.ends = offsets[1::2]
        if isinstance(aliases, WordTable):
            norms = list(map(aliases.__getitem__, parts[1::2]))  # memoised: C-level for known words
        else:
            norms = [w.replace("'", "") for w in parts[1::2]]
            if aliases:
                norms = [aliases.get(w, w) for w in norms]
        self.norms = norms
        # gaps[k] is the text between word k-1 and word k; breaks are read from it only where a
        # candidate needs them (most words never need it).
        self.gaps = parts[0:-1:2]
        self.tail = parts[-1] if len(parts) % 2 else ""   # the text after the last word
        if hashtags is not None and "#" in text:
            self._split_hashtags(hashtags)
        if self.gaps:
            self.gaps[0] = "."  # the first word starts a sentence
        if joins:
            self._join(joins)
        self._sentences = None
        self._forms = None

    def positions(self, canon) -> tuple[dict[str, list[int]], list[int]]:
        """Where each form stands, written or as the pack word a typo stands for (``canon``: the matcher's
        reading of each word), and where the numbers in digits stand; found once, for the contexts that
        look through a long sentence."""
        if self._forms is None or self._forms[0] is not canon:
            at: dict[str, list[int]] = {}
            digits = []
            for k, norm in enumerate(self.norms):
                at.setdefault(norm, []).append(k)
                ck = canon[k]
                if ck is not None and ck[0] != norm:
                    at.setdefault(ck[0], []).append(k)
                if norm.isdigit():
                    digits.append(k)
            self._forms = (canon, at, digits)
        return self._forms[1], self._forms[2]

    def sentence_of(self, k: int) -> tuple[int, int]:
        """The first and last word of the sentence holding word ``k`` (found for all words at the first
        question, once: a run-on message of thousands of words is one sentence)."""
        if self._sentences is None:
            n = len(self.norms)
            firsts, lasts = [0] * n, [n - 1] * n
            for k2 in range(1, n):
                firsts[k2] = k2 if self.sentence_start(k2) else firsts[k2 - 1]
            for k2 in range(n - 2, -1, -1):
                lasts[k2] = k2 if self.sentence_start(k2 + 1) else lasts[k2 + 1]
            self._sentences = (firsts, lasts)
        return self._sentences[0][k], self._sentences[1][k]

    def sentence_start(self, k: int) -> bool:
        """A sentence break (. ! ? ; : newline, " - ") stands before word ``k``."""
        gap = self.gaps[k]
        return (not _SENTENCE_CHARS.isdisjoint(gap) or " - " in gap) and not self._in_number(k)

    def clause_start(self, k: int) -> bool:
        """A sentence break or a comma, bracket or quote stands before word ``k``."""
        gap = self.gaps[k]
        return (not _CLAUSE_CHARS.isdisjoint(gap) or " - " in gap) and not self._in_number(k)

    def _in_number(self, k: int) -> bool:
        """The gap before word ``k`` is a mark inside a number ("the 7:40 train", "3.5 hours", "$1,500"),
        no break."""
        return (len(self.gaps[k]) == 1 and self.gaps[k] in _NUMBER_MARKS and k > 0
                and self.norms[k - 1][-1:].isdigit() and self.norms[k][:1].isdigit())

    def _join(self, joins) -> None:
        seconds = {b for _, b in joins}
        norms = self.norms
        at = [k for k, w in enumerate(norms) if w in seconds and k and (norms[k - 1], w) in joins]
        for k in reversed(at):
            if self.clause_start(k):
                continue
            norms[k - 1] = joins[(norms[k - 1], norms[k])]
            self.ends[k - 1] = self.ends[k]
            del norms[k], self.starts[k], self.ends[k], self.gaps[k]

    def _split_hashtags(self, split) -> None:
        """Read "#neveragain" as "never again": a hashtag run together from words the pack knows is
        those words, each with its own span inside the tag (``split``: a memoised segmenter)."""
        for k in reversed(range(len(self.norms))):
            if not self.gaps[k].endswith("#"):
                continue
            start = self.starts[k]
            # The pieces' spans are counted on the customer's characters: only a tag its normal form
            # still spells letter for letter (no alias turned it into another word) is split.
            pieces = split[self.norms[k]] if len(self.norms[k]) == self.ends[k] - start else None
            if not pieces:
                continue
            starts, ends, at = [], [], start
            for piece in pieces:
                starts.append(at)
                at += len(piece)
                ends.append(at)
            self.starts[k:k + 1], self.ends[k:k + 1], self.norms[k:k + 1] = starts, ends, list(pieces)
            self.gaps[k + 1:k + 1] = [""] * (len(pieces) - 1)

    def __len__(self) -> int:
        return len(self.norms)


def segment(word: str, known, *, shortest: int = 2, most: int = 4,
            counts: Mapping[str, int] | None = None) -> tuple[str, ...] | None:
    """``word`` as the fewest known words run together ("greatservice" -> ("great", "service")), or
    None when it is one word already, too short, or cannot be read whole from ``known`` (then it is
    left alone: a name or a word of its own, never guessed at)."""
    counted = _COUNTED.fullmatch(word)
    if counted:
        # "#4thattempt", "#3rdtime": a count run into the word it counts.
        number, rest = counted.groups()
        tail = (rest,) if rest in known else segment(rest, known, shortest=shortest, most=most - 1, counts=counts)
        return (number,) + tail if tail else None
    if len(word) < 2 * shortest or word in known or not word.isalpha():
        return None
    n = len(word)
    # best[i]: the fewest pieces that spell word[:i], as a tuple, or None when none do. Between readings of
    # as many pieces the one of more common words wins (``counts``: how often each word is written): "the
    # best", not "thebe st"; "not worth it", not "not wort hit".
    best: list[tuple[str, ...] | None] = [()] + [None] * n
    for end in range(shortest, n + 1):
        for start in range(0, end - shortest + 1):
            head = best[start]
            if head is None or len(head) >= most:
                continue
            piece = word[start:end]
            if piece in known and (best[end] is None or _better(head + (piece,), best[end], counts or {})):
                best[end] = head + (piece,)
    pieces = best[n]
    return pieces if pieces and len(pieces) > 1 else None


# A number or an ordinal at the head of a run-together word ("4thattempt", "2ndcall", "24hrs" is no such word:
# a unit is read by the unit split).
_COUNTED = re.compile(r"(\d+(?:st|nd|rd|th))([a-z]{3,})")


def _better(pieces: tuple[str, ...], than: tuple[str, ...], counts: Mapping[str, int]) -> bool:
    """Fewer pieces, or as many of more common words (the product of their counts; a word of the pack the
    list lacks counts as an ordinary word)."""
    if len(pieces) != len(than):
        return len(pieces) < len(than)
    return _commonness(pieces, counts) > _commonness(than, counts)


def _commonness(pieces: tuple[str, ...], counts: Mapping[str, int]) -> float:
    return sum(math.log(counts.get(p, _ORDINARY_COUNT)) for p in pieces)


_ORDINARY_COUNT = 200_000   # about the middle of the English word list's counts


class WordTable(dict):
    """Memo of a function over words (raw word -> normal form, normal form -> pack word). Messages
    repeat their words, so ``list(map(table.__getitem__, words))`` mostly runs at C speed; a word seen
    for the first time is computed once by ``__missing__``. Cleared when it grows past ``limit``."""

    def __init__(self, compute, limit: int = MEMO_LIMIT) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, word: str):
        value = self._compute(word)
        if len(self) >= self._limit:
            self.clear()
        self[word] = value
        return value
