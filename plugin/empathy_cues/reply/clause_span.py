"""Where the customer's clause lies: the message masked (links, handles, emoji and emoticons out, offsets
kept), the sentence holding a position, and the clause holding a cue. clause.py turns that clause
around. Pure functions over strings; a few regex passes over one sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..core.text import blank_links

MAX_WORDS = 25

_EMOTICON = re.compile(r"(?:[:;=]-?[()DPp/\\|]|<3|-_-|\^_\^|\bxD\b)")
_SYMBOLS = re.compile("[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u24c2\u25a0-\u27bf"
                      "\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299\ufe0e\ufe0f\u200d\ue000-\uf8ff"
                      "\U0001f000-\U0001faff\U000e0000-\U000e007f\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?\n]+(?=\s|$)|\.{2,}(?=[^\W\d_])|\n|\u2022")
# Quotes break clauses too: an "I" inside quoted words ("it says "I agree"") is not the customer.
# (A comma or a colon between digits is a number or a time, "1,200", "1:30": no break.)
_CLAUSE_BREAK = re.compile(r"[;()\[\]\"]|(?<!\d)[,:]|[,:](?!\d)|\s-\s")
_CONJUNCTION = re.compile(r"\s(?:and|but|so|because|which|when|while|although)\s", re.I)
_OPENING_CONJUNCTION = re.compile(r"\s*(?:and|but|so)\s+", re.I)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# A second statement run on with no stop ("the fast charging is not working that is the problem", "I can't
# get the codes its over 30 minutes now"): the clause ends where it starts. Not after a word that takes a
# clause ("I think it's been a week", "because it's over"), where it is one statement.
_RUN_ON = re.compile(r"(?<!\bthink)(?<!\bknow)(?<!\bhope)(?<!\bguess)(?<!\bsay)(?<!\bsaid)(?<!\bsays)(?<!\bfeel)"
                     r"(?<!\bbelieve)(?<!\bbecause)(?<!\bcause)(?<!\bsince)(?<!\bas)(?<!\bif)(?<!\bwhen)(?<!\buntil)"
                     r"(?<!\band)(?<!\bbut)(?<!\bso)(?<!\bthat)(?<!\bnow)(?<!\bwhere)(?<!\bhow)(?<!\bwhat)"
                     r"\s+(?:(?:it'?s|its)\s+(?:(?:now|already|been|over|almost|nearly|about|more than)\b)"
                     r"|(?:that|this|which)(?:'?s|\s+is|\s+was)\s+(?:the|my|our|a)\s+(?:\w+\s+)?(?:problem|issue)\b)",
                     re.IGNORECASE)
# What came of something done, run on with "now" and no stop ("Just did the update now the wireless won't work"):
# the clause starts after "now".
_NOW_A_STATEMENT = re.compile(r"(?<=\w)\s+now\s+(?=(?:the|my|our|it|it's|its|everything|nothing)\b)", re.IGNORECASE)
# The clause's subject when it has one; a clause may also open on a possessive ("My husband and I ...").
SUBJECTS = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "we", "we're", "we've", "we'd", "we'll"})
FIRST_PERSON = SUBJECTS | {"my", "our"}


def mask(text: str) -> str:
    """The text with links, handles, emoticons and emoji replaced by same-length breaks (offsets kept).

    Links and handles become spaces (they vanish from a clause); emoji and emoticons become
    sentence breaks, because in chat they end a thought ("can't log in 😩 help pls").
    """
    text = blank_links(text)   # links, handles, e-mail addresses: never quoted back (core/text.py, linear)
    if ":" in text or ";" in text or "=" in text or "<3" in text or "_" in text or "xD" in text:
        text = _EMOTICON.sub(lambda m: "\n" * len(m.group()), text)
    if text.isascii():
        return text
    # One regex over symbol blocks, rather than unicodedata per character: this runs on every flagged message.
    return _SYMBOLS.sub("\n", text)


def sentence_at(masked: str, pos: int) -> tuple[int, int]:
    """Bounds of the sentence of the masked text that holds ``pos``."""
    start = 0
    for m in _SENTENCE_END.finditer(masked):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            return start, m.start()
    return start, len(masked)


# How a question of its own opens after a clause break: "..., what should I do?", "..., can you help?".
_ASKS_AFTER = re.compile(r"\s*(?:and\s+|so\s+|but\s+)?(?:what|how|why|when|where|who|which|can|could|would|will|"
                         r"is|are|do|does|did|should|any|anyone|anybody|pls|please)\b", re.IGNORECASE)


def sentence_finder(masked: str):
    """``sentence_at`` for many positions of one text: the sentence breaks are found once, each position is
    then placed by bisection (a message with thousands of cues asks for thousands of sentences)."""
    breaks = [m.span() for m in _SENTENCE_END.finditer(masked)]
    starts = [a for a, _ in breaks]
    ends = [b for _, b in breaks]

    def at(pos: int) -> tuple[int, int]:
        before = bisect_right(ends, pos)
        start = ends[before - 1] if before else 0
        after = bisect_left(starts, pos, before)
        return start, (starts[after] if after < len(starts) else len(masked))

    return at


def clause_for(masked: str, cue_start: int, cue_end: int, *, from_cue: bool = False,
               tight: bool = False) -> tuple[str, bool]:
    """The clause holding a cue, and whether its sentence is a question.

    The clause runs from its first first-person word ("My husband and I ...") or, lacking one, from the
    clause start (``from_cue``: from the cue itself), to the first clause break after the cue or the
    sentence end. ``tight`` starts after the last "and"/"but"/"so" before the cue instead.
    """
    s0, s1 = sentence_at(masked, cue_start)
    cue_end = min(cue_end, s1)
    left = s0
    for m in _CLAUSE_BREAK.finditer(masked, s0, cue_start):
        left = m.end()
    for m in _NOW_A_STATEMENT.finditer(masked, left, cue_start):
        left = m.end()
    if tight:
        for m in _CONJUNCTION.finditer(masked, left, cue_start):
            left = m.end()
        # (A clause may open on its joining word with no space before it: "got the note 8..but can't send".)
        opening = _OPENING_CONJUNCTION.match(masked, left, cue_start)
        if opening:
            left = opening.end()
    start = cue_start if from_cue else left
    for i, m in enumerate(WORD.finditer(masked, start, cue_end)):
        if m.start() > cue_start:
            break
        word = m.group().lower()
        if word in SUBJECTS or (i == 0 and word in FIRST_PERSON):
            start = m.start()
            break
    brk = _CLAUSE_BREAK.search(masked, cue_end, s1)
    end = brk.start() if brk else s1
    run_on = _RUN_ON.search(masked, cue_end, end)
    if run_on:
        end = run_on.start()
    end = _before_closing_tags(masked, cue_end, end)
    if len(WORD.findall(masked, start, end)) > MAX_WORDS:
        conj = _CONJUNCTION.search(masked, cue_end, end)
        if conj:
            end = conj.start()
    # A statement before a question of its own ("I never received the charm, what should I do?") is no
    # question: the asking starts after the break.
    question = "?" in masked[s1:s1 + 3] and not (brk and _ASKS_AFTER.match(masked, brk.end(), s1))
    return masked[start:end], question


def _before_closing_tags(masked: str, lo: int, hi: int) -> int:
    """Where the hashtags that close ``masked[lo:hi]`` begin (with the space before them), or ``hi``: "my beats
    broke after 1 month #longdistancerelationship" states nothing in its tags. Read from the end, one tag at a
    time, so a long run of tags costs no more than reading it once."""
    end = i = hi
    while True:
        j = i
        while j > lo and masked[j - 1].isspace():
            j -= 1
        k = j
        while k > lo and (masked[k - 1].isalnum() or masked[k - 1] in "_'"):
            k -= 1
        if not (lo < k < j and masked[k - 1] == "#" and masked[k].isalnum() and k - 1 > lo
                and masked[k - 2].isspace()):
            return end
        i = k - 1
        while i > lo and masked[i - 1].isspace():
            i -= 1
        end = i
