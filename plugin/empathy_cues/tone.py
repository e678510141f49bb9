"""How the customer wrote: casual, formal or neutral, so the reply can answer in kind.

A handful of surface signs, counted and compared. Casual: emoji and emoticons, exclamation marks,
chat words ("hey", "pls", "lol", "u"), an all-lower-case message, short lines. Formal: letter
openings and closings ("Dear", "Kind regards", "Yours sincerely"), set phrases ("I am writing to",
"I would be grateful"), few contractions in long sentences. Whichever side leads by two signs wins;
otherwise neutral, which is the safe default for a reply. Pure; a few regex passes.
"""
from __future__ import annotations

import re

CASUAL, NEUTRAL, FORMAL = "casual", "neutral", "formal"

_CASUAL_WORDS = re.compile(
    r"\b(?:hey|heya|hiya|yo|lol|lmao|omg|haha+|pls|plz|thx|ty|u|ur|gonna|wanna|gotta|btw|tbh|idk|ya|yep|"
    r"nope|yeah|ugh|awesome|cheers|guys|folks|dude|mate|cuz|cos|kinda|sorta|ok|okay|hmm+|ah+|oh)\b", re.I)
_FORMAL_MARKERS = re.compile(
    r"\b(?:dear (?:sir|madam|team|support|customer|mr|mrs|ms|dr)\b|to whom it may concern|kind regards|"
    r"best regards|warm regards|yours (?:sincerely|faithfully|truly)|sincerely|respectfully|"
    r"i am writing|i write to|i would be (?:grateful|obliged)|i would appreciate|please find|"
    r"furthermore|moreover|regarding|with reference to|further to|in accordance|hereby|kindly|"
    r"at your earliest convenience|i look forward)", re.I)
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]|[:;=]-?[)(DPp]|<3|\bxD\b")
_CONTRACTION = re.compile(r"\b\w+'(?:t|s|re|ve|ll|d|m)\b", re.I)
_WORD = re.compile(r"[^\W_]+")


def detect_tone(text: str) -> str:
    """``"casual"``, ``"formal"`` or ``"neutral"`` for a cleaned customer message."""
    if not text or not text.strip():
        return NEUTRAL
    words = _WORD.findall(text)
    n = max(len(words), 1)
    casual = 0
    casual += min(len(_EMOJI.findall(text)), 2)
    casual += min(text.count("!"), 2)
    casual += min(len(_CASUAL_WORDS.findall(text)), 2)
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 8 and not any(c.isupper() for c in letters):
        casual += 1  # all lower case
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if n <= 25 and len(lines) >= 1 and all(len(ln) < 80 for ln in lines) and casual:
        casual += 1  # short and already chatty

    formal = 0
    formal += min(len(_FORMAL_MARKERS.findall(text)), 3) * 2
    contractions = len(_CONTRACTION.findall(text))
    sentences = max(len(re.findall(r"[.!?](?:\s|$)", text)), 1)
    if n >= 30 and contractions == 0:
        formal += 1
    if n / sentences >= 18 and not casual:
        formal += 1

    if casual - formal >= 2:
        return CASUAL
    if formal - casual >= 2:
        return FORMAL
    return NEUTRAL
