"""How the customer wrote: casual, formal or neutral, so the reply can answer in kind.

A handful of surface signs, counted and compared. Casual: emoji and emoticons, exclamation marks,
chat words ("hey", "pls", "lol", "u"), an all-lower-case message, short lines. Formal: letter
openings and closings ("Dear", "Kind regards", "Yours sincerely"), set phrases ("I am writing to",
"I would be grateful"), and beside one of those, no contractions in long sentences. Whichever side leads by two signs wins;
otherwise neutral, which is the safe default for a reply.

Pure, and cheap on purpose (it runs on every flagged message): one lower-casing, one split, set
look-ups and substring tests, not case-insensitive regex alternations, which cost far more on long messages.
"""
from __future__ import annotations

import re

CASUAL, NEUTRAL, FORMAL = "casual", "neutral", "formal"

_CASUAL_WORDS = frozenset({
    "hey", "heya", "hiya", "yo", "lol", "lmao", "omg", "haha", "hahaha", "pls", "plz", "thx", "ty", "u", "ur",
    "gonna", "wanna", "gotta", "btw", "tbh", "idk", "ya", "yep", "nope", "yeah", "ugh", "awesome", "cheers",
    "guys", "folks", "dude", "mate", "cuz", "cos", "kinda", "sorta", "ok", "okay", "hmm", "ah", "oh"})
_FORMAL_MARKERS = (
    "dear sir", "dear madam", "dear team", "dear support", "dear customer", "dear mr", "dear mrs", "dear ms",
    "dear dr", "to whom it may concern", "kind regards", "best regards", "warm regards", "yours sincerely",
    "yours faithfully", "yours truly", "sincerely", "respectfully", "i am writing", "i write to",
    "i would be grateful", "i would be obliged", "i would appreciate", "please find", "furthermore", "moreover",
    "regarding", "with reference to", "further to", "in accordance", "hereby", "kindly",
    "at your earliest convenience", "i look forward")
_EMOTICONS = (":)", ":-)", ":(", ":-(", ":d", ":p", ";)", "<3", "xd")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_STRIP = ".,!?;:()\"'*"


def detect_tone(text: str) -> str:
    """``"casual"``, ``"formal"`` or ``"neutral"`` for a cleaned customer message."""
    if not text or not text.strip():
        return NEUTRAL
    if len(text) > 900:
        # How someone writes shows in the opening lines and the sign-off; reading a long message
        # whole would only cost time.
        text = text[:600] + "\n" + text[-300:]
    low = text.lower()
    casual = _casual_signs(text, low)
    formal = _formal_signs(low, casual)
    if casual - formal >= 2:
        return CASUAL
    if formal - casual >= 2:
        return FORMAL
    return NEUTRAL


def _casual_signs(text: str, low: str) -> int:
    tokens = low.split()
    words = {t.strip(_STRIP) for t in tokens}
    emoji = 0 if text.isascii() else len(_EMOJI.findall(text))
    emoji += sum(1 for e in _EMOTICONS if e in low)
    casual = min(emoji, 2) + min(text.count("!"), 2) + min(len(words & _CASUAL_WORDS), 2)
    if len(tokens) >= 3 and text == low and text != text.upper():
        casual += 1  # all lower case (and there are letters)
    if casual and len(tokens) <= 25 and all(len(line) < 80 for line in text.splitlines()):
        casual += 1  # short and already chatty
    return casual


def _formal_signs(low: str, casual: int) -> int:
    markers = sum(1 for m in _FORMAL_MARKERS if m in low)
    if not markers:
        # Long sentences without contractions read as formal only beside a formal marker: on their
        # own they are as often an unpunctuated run-on, and "Good day," to that reads as mockery.
        return 0
    n = len(low.split())
    sentences = low.count(". ") + low.count("? ") + low.count("! ") + 1
    formal = 2 * min(markers, 3)
    if n >= 30 and "'" not in low:
        formal += 1
    if n / sentences >= 18 and not casual:
        formal += 1
    return formal
