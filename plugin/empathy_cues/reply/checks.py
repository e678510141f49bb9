"""Checks every suggested reply must pass. The tests run them over invented messages and, when the
evaluation data is present, over every development message; they also say what each check means.

Pure functions of the reply, the customer's text and the template set.
"""
from __future__ import annotations

import re

from .fit import count_sentences
from .spelling import Dictionary
from .templates import Limit, TemplateSet

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def reply_sentences(reply: str) -> list[str]:
    """The reply's sentences, the greeting line left out."""
    body = reply.split("\n\n", 1)[1] if "\n\n" in reply else reply
    return [s for s in _SENTENCE_SPLIT.split(body.replace("\n\n", " ").strip()) if s]


def unknown_words(reply: str, customer_text: str, ts: TemplateSet, dictionary: Dictionary) -> list[str]:
    """Words of the reply that are neither English (the dictionary), nor ours (``allowed_words``), nor a
    name or product the customer wrote with a capital."""
    theirs = {w for w in _WORD.findall(customer_text) if w[:1].isupper()}
    return [w for w in _WORD.findall(reply)
            if w not in ts.allowed_words and w not in theirs and not dictionary.known(w)]


def how_to_phrases(reply: str, ts: TemplateSet) -> list[str]:
    """Teaching phrases ("walk you through", "next time"): only a how-to question may get them."""
    low = reply.lower()
    return [p for p in ts.how_to_phrases if p in low]


def blame_phrases(reply: str, ts: TemplateSet) -> list[str]:
    low = reply.lower()
    return [p for p in ts.blame_phrases if p in low]


def within_limit(reply: str, limit: Limit) -> bool:
    return len(reply) <= limit.max_chars and count_sentences(reply) <= limit.max_sentences
