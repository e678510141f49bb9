"""Score one public agent reply for empathy. Pure: the reply's text, what the plugin knew of the ticket
(``Context``) and the QA pack in, a ``Scorecard`` of codes and numbers out (no text).

Criteria (True, False, or None when it does not apply):
- ``acknowledge``: names the feeling or the trouble ("I can see why that's frustrating").
- ``restate``: says the customer's problem back: at least one of the things they named (the decision's
  objects) or of their situation's words, or two content words of their own (the ticket subject) -
  stock phrases hold none of these, which is what keeps a reply of stock phrases from scoring high.
- ``apology``: an apology, where the plugin found one owed (None when none was owed).
- ``options``: offers a choice.
- ``next_step``: someone commits to a step, with a time, in one sentence ("I'll call you by 3pm").
- ``close``: a caring close in the last two sentences.
- ``tone``: no blaming or talking down, no shouting; nothing breezy after a serious message or to a
  customer who wrote formally.
Flags against what the plugin found on the ticket: an owed apology not given, asks not answered (each
by its words in the pack: a callback needs a call), a severity-3 message answered with process first.

Score 0-100: the criteria that apply, weighted; minus 10 per unanswered ask and 15 for process first.
A reply that neither restates the problem nor gives a next step is capped at 35, however many stock
phrases it stacks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pack import QaPack, normalise

WEIGHTS = {"acknowledge": 15, "restate": 20, "apology": 15, "options": 10, "next_step": 20, "close": 10, "tone": 10}
CRITERIA = tuple(WEIGHTS)
STOCK_CAP = 35
ASK_PENALTY = 10
PROCESS_FIRST_PENALTY = 15

_WORD = re.compile(r"[a-z][a-z']+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SHOUT = re.compile(r"\b[A-Z]{4,}\b")
# Clock times and dates say "when" as well as the pack's words do.
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}(?:st|nd|rd|th)\b")


@dataclass(frozen=True)
class Context:
    """What the plugin knew about the ticket before the reply (from its decision log and the event)."""

    apology_owed: bool = False
    severity: int = 0
    situation: str = "other"
    asks: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()               # normal forms from the cue pack ("refund", "flight")
    customer_words: frozenset[str] = frozenset()  # content words of the customer's subject, held in memory only
    tone: str = ""                                # the customer's register: "casual", "neutral", "formal" ("" unknown)


@dataclass(frozen=True)
class Scorecard:
    criteria: dict[str, bool | None]
    apology_missing: bool = False
    asks_unanswered: tuple[str, ...] = ()
    process_first: bool = False
    score: int = 0
    flags: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"criteria": dict(self.criteria), "apology_missing": self.apology_missing,
                "asks_unanswered": list(self.asks_unanswered), "process_first": self.process_first,
                "score": self.score}


def content_words(text: str, pack: QaPack) -> frozenset[str]:
    """The words of ``text`` that carry content (not in the pack's stopwords, three letters or more)."""
    return frozenset(w.strip("'") for w in _WORD.findall(normalise(text))
                     if len(w) > 2 and w.strip("'") not in pack.stopwords)


def _has(pattern, text: str) -> bool:
    return bool(pattern is not None and pattern.search(text))


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def restates(text: str, ctx: Context, pack: QaPack) -> bool | None:
    """Does the reply say the customer's problem back? None when nothing is known of the problem."""
    words = content_words(text, pack)
    stems = {_stem(w) for w in words}
    objects = {_stem(o) for o in ctx.objects}
    situation = pack.situations.get(ctx.situation)
    if not (objects or ctx.customer_words or situation is not None):
        return None
    if objects & stems or _has(situation, normalise(text)):
        return True
    return len({_stem(w) for w in ctx.customer_words} & stems) >= 2


def _next_step(sentences: list[str], pack: QaPack) -> bool:
    crit = pack.criteria
    return any(_has(crit["commitment"], s) and (_has(crit["time"], s) or bool(_CLOCK.search(s))) for s in sentences)


def _tone(text: str, lowered: str, ctx: Context, pack: QaPack) -> bool:
    if _has(pack.criteria["blame"], lowered) or len(_SHOUT.findall(text)) >= 2:
        return False
    breezy = _has(pack.criteria["cheerful"], lowered) or lowered.count("!") >= 2
    # Breezy wording jars after a serious message, and with a customer who wrote formally.
    return not (breezy and (ctx.severity >= 2 or ctx.tone == "formal"))


def _process_first(sentences: list[str], ctx: Context, pack: QaPack) -> bool:
    """Severity 3 (a death, an illness, hardship...): did the reply ask for process before any care?"""
    if ctx.severity < 3:
        return False
    caring = ("acknowledge", "apology")
    for sentence in sentences:
        if any(_has(pack.criteria[c], sentence) for c in caring):
            return False
        if _has(pack.criteria["process"], sentence):
            return True
    return False


def _points(criteria: dict[str, bool | None]) -> int:
    applicable = {k: v for k, v in criteria.items() if v is not None}
    total = sum(WEIGHTS[k] for k in applicable)
    return round(100 * sum(WEIGHTS[k] for k, v in applicable.items() if v) / total) if total else 0


def score_reply(text: str, ctx: Context, pack: QaPack) -> Scorecard:
    """The scorecard of one reply (plain text, already cleaned of quoted history and signature)."""
    lowered = normalise(text)
    sentences = _sentences(lowered)
    crit = pack.criteria
    criteria: dict[str, bool | None] = {
        "acknowledge": _has(crit["acknowledge"], lowered),
        "restate": restates(text, ctx, pack),
        "apology": _has(crit["apology"], lowered) if ctx.apology_owed else None,
        "options": _has(crit["options"], lowered),
        "next_step": _next_step(sentences, pack),
        "close": any(_has(crit["close"], s) for s in sentences[-2:]),
        "tone": _tone(text, lowered, ctx, pack),
    }
    unanswered = tuple(a for a in ctx.asks if a in pack.asks and not _has(pack.asks[a], lowered))
    process_first = _process_first(sentences, ctx, pack)
    score = _points(criteria) - ASK_PENALTY * len(unanswered) - (PROCESS_FIRST_PENALTY if process_first else 0)
    if not criteria["restate"] and not criteria["next_step"]:
        score = min(score, STOCK_CAP)
    missing = criteria["apology"] is False
    flags = tuple(name for name, on in (("apology_missing", missing), ("ask_unanswered", bool(unanswered)),
                                        ("process_first", process_first)) if on)
    return Scorecard(criteria=criteria, apology_missing=missing, asks_unanswered=unanswered,
                     process_first=process_first, score=max(0, min(100, score)), flags=flags)
