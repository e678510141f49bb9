"""Negative wording: a general sentiment lexicon as one more weak sign that something went wrong.

The phrase pack knows how customers say they struggle; it cannot list every word for a bad experience
("dismal", "hostile", "grim", "ruined"). VADER (Hutto & Gilbert, ICWSM 2014; MIT licence) scores
a message against 7,500 crowd-rated words and emoticons, with its own rules for negation ("not bad"),
boosters and "but". A message whose compound score is negative, by VADER's documented threshold
(compound <= -0.05 is "negative"), owes an apology as one clear sign does: the customer is telling us
it went badly. A friendly or neutral score never takes anything away ("tone is reported, never
subtracted"), and politely worded struggle is found by the pack, not here.

The decision still names the customer's words: the most negative lexicon word (with the negator that
turned it, "not good"), so the agent sees why. Pure: the scorer is passed in (loaded once by the
caller, like a pack), so this module does no I/O.
"""
from __future__ import annotations

import math
import re
from typing import Callable, Mapping, NamedTuple

# VADER's own standard: compound >= 0.05 positive, <= -0.05 negative, between them neutral
# (vaderSentiment README, "About the Scoring").
NEGATIVE_AT = -0.05
# VADER's negation reach: a negator up to three words before a word turns its valence.
_NEGATION_REACH = 3
_TOKEN = re.compile(r"\S+")
_EDGE = "\"'.,!?;:()[]{}<>*_~`"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# VADER's normalisation of a sum of valences into the compound score: x / sqrt(x^2 + alpha).
_ALPHA = 15.0


def compound_by_sentence(text: str, *, scorer: Callable[[str], Mapping[str, float]]) -> float:
    """VADER's compound score of a whole message, summed sentence by sentence.

    VADER reads a sentence at a time (its negation check looks back over every word of what it is
    given, so one long text costs the square of its length). Each sentence's compound score is turned
    back into its sum of valences, the sums are added, and the total is normalised as VADER does. A run-on
    sentence is read in pieces (``_pieces``)."""
    total = 0.0
    for sentence in _pieces(_SENTENCE_END.split(text)):
        if not sentence.strip():
            continue
        c = scorer(sentence)["compound"]
        c = max(-0.9999, min(0.9999, c))
        total += c * math.sqrt(_ALPHA / (1.0 - c * c))
    return total / math.sqrt(total * total + _ALPHA)


# A "sentence" longer than this (a run-on message with no full stop, thousands of words) is read in pieces
# of _PIECE_WORDS words: its words' valences are summed the same, and the cost stays linear.
_LONG_SENTENCE = 1_000
_PIECE_WORDS = 100


def _pieces(sentences):
    for sentence in sentences:
        if len(sentence) <= _LONG_SENTENCE:
            yield sentence
            continue
        words = sentence.split()
        for k in range(0, len(words), _PIECE_WORDS):
            yield " ".join(words[k:k + _PIECE_WORDS])


class NegativeWording(NamedTuple):
    """The words that carry the most negative valence, as a span of the scored text."""

    start: int
    end: int
    compound: float


def find_negative_wording(text: str, *, compound: Callable[[str], float], lexicon: Mapping[str, float],
                          is_negator: Callable[[str], bool]) -> NegativeWording | None:
    """The span of the most negative word of a message VADER scores negative, or None.

    ``compound`` is VADER's compound score of a text, ``lexicon`` its word valences (emoji descriptions
    included by the caller when wanted), ``is_negator`` its test for a negating word ("not", "never",
    "isn't"). A word whose valence a negator turned is named with that negator ("not helpful")."""
    if not text.strip():
        return None
    score = compound(text)
    if score > NEGATIVE_AT:
        return None
    tokens = [(m.start(), m.end(), m.group().strip(_EDGE).lower()) for m in _TOKEN.finditer(text)]
    best = _most_negative(tokens, lexicon, is_negator)
    if best is None:
        return None
    start, end = best[1], best[2]
    # Trim punctuation the tokens carried at their edges, so the span is the words themselves.
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    while start < end and text[start] in _EDGE:
        start += 1
    return NegativeWording(start, end, score)


def mask_spans(text: str, spans) -> str:
    """``text`` with each ``(start, end)`` span blanked by spaces: the offsets of the rest stay valid."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _most_negative(tokens, lexicon: Mapping[str, float], is_negator) -> tuple[float, int, int] | None:
    """(valence, start, end) of the word with the most negative valence once negators have turned it
    (the span then starts at the negator), or None when no word reads negative."""
    best: tuple[float, int, int] | None = None
    for i, (start, end, word) in enumerate(tokens):
        valence = lexicon.get(word)
        if not valence:
            continue
        turned_by = next((j for j in range(max(0, i - _NEGATION_REACH), i) if is_negator(tokens[j][2])), None)
        if turned_by is not None:
            valence, start = -valence, tokens[turned_by][0]
        if valence < 0 and (best is None or valence < best[0]):
            best = (valence, start, end)
    return best


# A run of two or more capitalised words ("Star Wars", "The Walking Dead", "Bad Santa"): a title or a
# name. Its words say nothing of how the customer's experience went. Capitals throughout ("TERRIBLE
# SERVICE") are shouting, not a name; a handle or a hashtag is neither; "Can't" is a word, not a name.
_NAME_WORD = r"(?<![@#\w'’])[A-Z][a-z]+(?![\w'’])"
_NAME_RUN = re.compile(_NAME_WORD + r"(?:[ \t]+(?:(?:of|the|and|&)[ \t]+)?" + _NAME_WORD + ")+")


def name_spans(text: str, lexicon: Mapping[str, float]) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of negative valence in ``lexicon`` inside a run of capitalised words
    of ``text`` (a name or a title): "Wars" in "Star Wars". Its friendly words ("Happy Anniversary")
    stay, as greetings rather than names."""
    spans = []
    for run in _NAME_RUN.finditer(text):
        for m in _TOKEN.finditer(run.group()):
            if lexicon.get(m.group().strip(_EDGE).lower(), 0.0) < 0:
                spans.append((run.start() + m.start(), run.start() + m.end()))
    return spans


# A headline shared with its source and link ("JetBlue's CEO battles to appease passengers - Daily Journal
# http://t.co/x"): the words are a newspaper's, not the customer's feelings. Only with no word of their own
# ("I", "my", "we", "you") in it: "my flight was a nightmare - Daily Journal http://..." is still theirs.
_HEADLINE = re.compile(r"^(?P<headline>.+?)\s[-\u2013|]\s+[@#]?[A-Z][\w.&'@# ]{0,60}?\s*(?:\(\w+\)\s*)?"
                       r"https?://\S+(?:\s+https?://\S+)*\s*$", re.DOTALL)   # links apart: no backtracking
_OWN_WORDS = re.compile(r"\b(?:i|i'm|im|i've|me|my|mine|we|we're|our|us|you|your|u|ur)\b", re.IGNORECASE)


def headline_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of a shared headline's words (see ``_HEADLINE``), or [] when the text is none."""
    m = _HEADLINE.match(text)
    if not m or _OWN_WORDS.search(re.sub(r"@\w+", " ", m.group("headline"))):
        return []
    return [m.span("headline")]


# "No" short for number after the thing numbered ("my meter no", "account no. 4471", "ref no:"): a
# sentiment lexicon reads it as a refusal.
_NUMBER_NO = re.compile(r"\b(?:meter|account|acct|a/c|ref|reference|phone|mobile|contact|order|tracking|policy|serial|"
                        r"invoice|booking|customer|case|ticket|member|membership|card|vehicle|reg|registration|"
                        r"consumer|house|plot|id|pnr|seat|coach|berth|train|flight|complaint|cell)\s+(?P<no>no)\b"
                        r"(?!\s+(?:longer|one|way|idea|reply|response|answer|help|sign|info|information|updates?|"
                        r"records?|luck|service|signal|email|call|refund|show|more|matter|joke|thanks|problem|"
                        r"issue|use|point)\b)", re.IGNORECASE)


def number_abbreviation_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each "no" that stands for "number" (``_NUMBER_NO``)."""
    return [m.span("no") for m in _NUMBER_NO.finditer(text)]


# A short answer opening with "no" ("No I have not.", "No thanks", "nope, not yet"): a sentiment lexicon reads
# it as a refusal. Only a message that is nothing more: a "no" before more words ("No. Still waiting to be
# connected to an agent", "No IT? Really?") often opens a grievance the rest only hints at.
_ANSWER_NO = re.compile(r"^\W*(?:@\w+\W+)*(?P<no>no|nope|nah)\b"
                        r"(?=\s*(?:[,.!;:]|$)|\s+(?:i|i'm|i've|we|we've|thanks|thank|thx|not)\b)", re.IGNORECASE)
_SHORT_ANSWER = 6   # words, handles and links left out


# Friendly phrases built on "no" ("no problem", "no worries", "no biggie", "no doubt"): a sentiment lexicon
# reads both words as negative.
_FRIENDLY_NO = re.compile(r"\bno\s+(?:problem|problems|prob|probs|worries|worry|biggie|big\s+deal|doubt|"
                          r"such\s+thing)\b", re.IGNORECASE)


def answer_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the "no" of a message that is only a short answer (``_ANSWER_NO``), and of each
    friendly phrase built on "no" (``_FRIENDLY_NO``)."""
    m = _ANSWER_NO.match(text)
    words = [w for w in text.split() if not w.startswith(("@", "http"))]
    spans = [m.span("no")] if m and len(words) <= _SHORT_ANSWER else []
    return spans + [f.span() for f in _FRIENDLY_NO.finditer(text)]


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the lexicon spells them: lower case, edge punctuation dropped."""
    return [m.group().strip(_EDGE).lower() for m in _TOKEN.finditer(text)]


def word_spans(text: str, words) -> list[tuple[int, int]]:
    """``(start, end)`` of every token of ``text`` that is one of ``words`` as the lexicon spells it."""
    if not words:
        return []
    spans = []
    for m in _TOKEN.finditer(text):
        if m.group().strip(_EDGE).lower() in words:
            spans.append((m.start(), m.end()))
    return spans
