"""Saying the customer's problem back, safely.

The first sentence an agent reads must be right, so the preferred restatement is built from what the
analysis understood, not from the customer's words: the situation ("the disruption to ...") and an
object the customer named ("your flight to Denver", "your refund"). The customer's own clause is said
back only when it passes every check below; when unsure, the situation speaks alone.

Checks a clause must pass (each testable on its own, see :func:`clause_problem`):

- it is one clause: no second subject without a conjunction before it ("I moved house I tried
  to ..." is two fused clauses), and it turned around cleanly (``clause.turn_around``: pronouns
  swapped, a known opening, no "you" meaning us, no markup);
- it has a verb, and the verb after "you" agrees ("you was", "you has" are refused);
- every word is in the dictionary, after a clear spelling correction; a word it does not know is
  allowed only as a name or product the customer wrote with a capital;
- no capitals for shouting (an all-caps dictionary word is lowered), no insult or swearing
  (``never_echo``), and no mention of our staff or another person (``staff_words``): repeating
  "the driver didn't ring" in public blames a colleague.

Pure functions over strings and the loaded dictionary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

from .clause import bare_thing_opens, turn_around
from .clause_span import clause_for
from .spelling import Dictionary
from .templates import TemplateSet

MAX_CLAUSE_WORDS = 16
MAX_OBJECT_WORDS = 5
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_FIRST_PERSON_SUBJECTS = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "we", "we're", "we've",
                                     "we'd", "we'll"})
# A second subject may follow one of these without making a run-on.
_JOINERS = frozenset({"and", "but", "so", "because", "when", "that", "if", "as", "or", "since", "until",
                      "while", "after", "before", "where", "which", "who", "though", "although", "once",
                      "how", "what", "why", "whether", "than", "unless",
                      # a result run on with no stop: "just did the update now the wireless won't work"
                      "now"})
_BAD_AFTER_YOU = frozenset({"is", "was", "has", "does", "doesn't", "wasn't", "isn't", "hasn't", "am", "aint",
                            "ain't"})
_ADVERBS_IN_S = frozenset({"always", "sometimes", "perhaps", "nevertheless", "thus", "besides", "afterwards"})
_VERBISH = frozenset({
    "can", "can't", "cannot", "could", "couldn't", "will", "won't", "would", "wouldn't", "should", "shouldn't",
    "are", "aren't", "were", "weren't", "have", "haven't", "had", "hadn't", "do", "don't", "did", "didn't",
    "need", "want", "get", "got", "keep", "kept", "try", "tried", "find", "found", "see", "pay", "paid",
    "make", "made", "go", "went", "gone", "let", "lost", "know", "use", "buy", "bought", "sent", "took",
    "take", "put", "says", "say", "said", "log", "sign", "open", "load", "work", "works", "is", "isn't",
    "has", "hasn't", "does", "doesn't", "was", "wasn't", "you're", "you've", "you'd", "you'll", "it's",
    "there's", "been", "stuck", "unable", "like", "hear", "give", "gave", "come", "came", "wait", "order",
    "book", "check", "change", "cancel", "add", "reset", "access", "download", "upload", "install", "update",
    # verbs of things failing that end in neither -ed nor -ing: "my beats broke after a month"
    "broke", "froze", "fell", "tore", "burst", "shrank", "blew", "died", "quit", "crashes", "fails", "keeps",
    "freezes", "stops", "leaks", "dies"})
# A clause said back must state the problem: a negation or a word of trouble. "You had the option to
# see the standby list" is the background, and saying it back misses what went wrong.
_PROBLEM = frozenset({
    "not", "never", "no", "nothing", "cannot", "unable", "still", "again", "failed", "fails", "failing", "broke",
    "broken", "lost", "stuck", "waiting", "waited", "missing", "wrong", "charged", "overcharged", "cancelled",
    "canceled", "delayed", "error", "errors", "crash", "crashes", "crashing", "crashed", "problem", "problems",
    "issue", "issues", "trouble", "declined", "rejected", "refused", "locked", "late", "damaged", "stopped",
    "disappeared", "gone", "won't", "keeps", "kept", "trying", "tried", "struggling", "confusing", "unsure",
    "denied", "bumped", "stranded", "overbooked", "down", "slow", "freezes", "freezing", "froze"})
_SHOUT_MIN = 4   # an all-caps word this long that the dictionary knows is shouting; shorter is an acronym


@dataclass(frozen=True)
class Restatement:
    """How the problem is said back: ``kind`` is "situation", "clause", "question" or "wait" (how long
    they waited, in our words: "you've been on hold for over an hour")."""

    kind: str
    thing: str | None = None      # "your flight to Denver"
    object: str | None = None     # the thing's normal form ("flight"): what finds the case
    plural: bool = False          # the thing is plural ("your bags"): no "{{ thing }} hasn't ..."
    clause: str | None = None     # "you can't log in to your account" (kind clause/question/wait)


# "flight to Denver", "flight from Chicago": where a trip goes is the detail that makes a restatement the
# customer's own. Only a capitalised place right after the object word, as they wrote it.
_DETAIL = re.compile(r"\b(flights?|booking|trip)\s+(to|from)\s+"
                     # (a day or a month is no place: "change my flight to Monday", "my trip from June")
                     r"(?!(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
                     r"August|September|October|November|December|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|"
                     r"Sep|Sept|Oct|Nov|Dec)\b)"
                     r"([A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})?)\b")
_DETAIL_OF = {"flight": ("flight", "flights"), "booking": ("booking", "trip")}
# A flight other than the one in trouble, named by what they want of it: the connection they may miss, the one
# they were rebooked onto or are on standby for ("rebooked on AA1389", "my connection 5547", "standby for 1970",
# "new flight 5012").
_ANOTHER_FLIGHT = re.compile(r"\b(?:connect\w*|re-?booked\s+(?:\w+\s+)?(?:on|onto|to|for)|standby|stand-by|onto|"
                             r"switch\w*\s+to|moved\s+to|put\s+(?:me|us)\s+on|get\s+(?:me|us\s+)?on|"
                             r"(?:next|later|earlier|another|new)\s+(?:\w+\s+)?flight)\b[^.!?]*$", re.IGNORECASE)
# A flight's number as the customer wrote it: "flight 1081", "flt #413" (said by its digits), "on AA2402", "UA 276"
# (said with its airline's code), never a duration or a time ("flight 2 hours late").
_FLIGHT_NUMBER = re.compile(r"\b(?:flight|flt)\s*#?\s*(\d{2,4})\b"
                            r"(?!\s*(?:hours?|hrs?|h\b|mins?|minutes?|am\b|pm\b|:|%|people))"
                            r"|\b(?:AA|UA|DL|WN|B6|US|VX|AS|NK|F9)\s?\d{2,4}\b")


def object_detail(head: str, text: str) -> str | None:
    """The destination or origin the customer gave with the object ("to Denver"), else a flight's number
    ("1081" of "flight 1081", "AA2402" as written), or None."""
    forms = _DETAIL_OF.get(head)
    if not forms:
        return None
    for m in _DETAIL.finditer(text):
        if m.group(1).lower() in forms:
            return f"{m.group(2)} {m.group(3)}"
    if head == "flight":
        numbers = {m.group(1) or m.group(0).replace(" ", "").upper() for m in _FLIGHT_NUMBER.finditer(text)
                   if not _ANOTHER_FLIGHT.search(text, max(0, m.start() - 30), m.end())}
        if len(numbers) == 1:
            return numbers.pop()     # (two flights named: which one is theirs is not ours to guess)
    return None


class NamedThing(NamedTuple):
    phrase: str       # "your headphones", "our website", "the charge"
    object: str       # its normal form: "device"
    plural: bool      # "your headphones": no verb of the singular may follow it


def object_phrase(objects: Iterable[str], situation: str, text: str, ts: TemplateSet,
                  dictionary: Dictionary, words: Iterable[str] = ()) -> NamedThing | None:
    """"your <object>" ("our website" for what is ours, "the charge" for what we did) for the first object
    a reply may name; or None. ``words``: the customer's own word for each object, said instead of the
    normal form when the templates allow it ("your headphones")."""
    said = dict(zip(objects, words))
    for obj in objects:
        own = said.get(obj)
        for candidate in ([own] if own in ts.said_as_written.get(obj, ()) else []) + [obj]:
            phrase = _object_words(candidate, obj, situation, text, ts, dictionary)
            if phrase:
                last = candidate.split()[-1].lower()
                return NamedThing(phrase, obj, last.endswith("s") and not last.endswith("ss"))
    return None


def _object_words(candidate: str, obj: str, situation: str, text: str, ts: TemplateSet,
                  dictionary: Dictionary) -> str | None:
    if " " not in candidate:
        detail = object_detail(obj, text)
        if detail and detail[-1].isdigit() and candidate.lower().endswith("s"):
            detail = None       # a number names one flight, not "your flights"
        if detail and not any(w.lower() in ts.never_echo | ts.staff_words for w in detail.split()):
            candidate = f"{candidate} {detail}"
    words = candidate.split()
    if not words or len(words) > MAX_OBJECT_WORDS:
        return None
    head = obj.split()[0].lower()
    if not ts.object_allowed(head, situation):
        return None
    if any(problem for w in words for problem in [_word_problem(w, text, ts, dictionary)]):
        return None
    if any(w.lower() in ts.never_echo or w.lower() in ts.staff_words for w in words):
        return None
    return ("our " if head in ts.our_objects else "the " if head in ts.the_objects else "your ") + " ".join(words)


_REDACTED = re.compile(r"X{3,}")


def _word_problem(word: str, text: str, ts: TemplateSet, dictionary: Dictionary) -> str | None:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9'\-]*|\d+[.:]\d+", word):
        return f"not a plain word: {word!r}"
    if word in ("2", "4"):
        return f"text speak: {word!r}"   # "4 my new body": "for", not a number
    if any(c.isdigit() for c in word):
        return None if len(word) <= 8 else f"a long number or code: {word!r}"
    if _REDACTED.search(word):
        return f"redacted: {word!r}"   # "XXXX" stands for a name or date someone removed; never a name
    if dictionary.known(word):
        return None
    if word[:1].isupper() and _glued(word, dictionary):
        return f"a word with a fragment glued on: {word!r}"
    if word[:1].isupper() and re.search(r"(?<![\w'])" + re.escape(word) + r"(?![\w'])", text):
        return None   # a name or product, as the customer wrote it
    return f"not in the dictionary: {word!r}"


# The ends a find-and-replace leaves glued to a word it put in ("Late Flightr" for "later", "Cancelled
# Flightled" for "cancelled"): a capitalised word that is an English word and one of these is no name.
_GLUED_ENDS = ("r", "ly", "led", "ed")


def _glued(word: str, dictionary: Dictionary) -> bool:
    return any(word.endswith(end) and len(word) - len(end) >= 4 and dictionary.known(word[:-len(end)])
               for end in _GLUED_ENDS)


# Mid-sentence capitals on plain words ("waiting for the Software update along with December Security
# Patches"): said back, three or more read as a garbled echo, not as names. (Two are often a place or a
# product: "from Palm Springs", "with Chrome or Safari".)
_TITLE_CASED = re.compile(r"[A-Z][a-z]{2,}")
_TITLE_CASE_MAX = 2
_CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday", "christmas", "easter", "jan", "feb", "mar", "apr", "jun", "jul",
                       "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur",
                       "thurs", "fri", "sat", "sun"})


def _title_cased(words: list[str], dictionary: Dictionary) -> int:
    """How many plain English words after the first are typed with a capital."""
    return sum(1 for w in words[1:] if _TITLE_CASED.fullmatch(w) and w.lower() not in _CALENDAR
               and dictionary.known(w))


def clause_problem(clause: str, text: str, ts: TemplateSet, dictionary: Dictionary, *,
                   told_trouble: str = "") -> tuple[str | None, str]:
    """(what is wrong, the clause as it would be said) for a turned-around clause; None when it is fine.

    ``text`` is the customer's message, where names and products are looked up as written.
    ``told_trouble``: words in the clause the analysis read as something gone wrong ("turns itself off"):
    the clause states a problem even without a word of trouble the checks know, and a verb of theirs in
    the present ("turns") is a verb.
    """
    if _FAULT_OWNED.search(clause):
        # "You can't get reimbursed when it's our fault": their verdict, said back in public, is an
        # admission; the reply is sorry for the experience without settling whose fault it was.
        return "owns a fault", clause
    fixed: list[str] = []
    question = clause.startswith(("you'd like to know", "you're looking for a way"))
    words = clause.split(" ")
    if not MIN_WORDS <= len(words) <= MAX_CLAUSE_WORDS:
        return f"{len(words)} words", clause
    for before, raw, after in zip([""] + words, words, words[1:] + [""]):
        if raw in ("2", "4") and (after.lower().strip(",.") in _COUNTED or after.lower() in _VERB_AFTER_A_MODEL
                                  or before.lower() in _handle_names(text)):
            # "after 2 weeks", "my flex 4 has stopped", "the Lenovo 4": a number, not "to" or "for" in text speak
            fixed.append(raw)
            continue
        if raw.lower() in _ALSO_THINGS and (before.lower() in _BEFORE_A_THING or after.lower() in _VERB_AFTER_A_MODEL):
            # "the on and off switch isn't working", "my annual leave was cancelled": a thing, no threat to leave.
            fixed.append(raw)
            continue
        problem, said = _word_as_said(raw, text, ts, dictionary, question=question)
        if problem:
            return problem, clause
        fixed.append(said)
    if _title_cased([w.strip(",.") for w in fixed], dictionary) > _TITLE_CASE_MAX:
        return "plain words typed in title case", clause
    said = " ".join(fixed)
    return _grammar_problem([w.lower().strip(",.") for w in fixed], question or bool(told_trouble),
                            verbs=frozenset(w for w in told_trouble.lower().split()
                                            if w.endswith("s") and not w.endswith("ss"))), said


# Words of a threat to leave that are also things ("the switch", "my leave"), and the words that show them a thing.
_ALSO_THINGS = frozenset({"switch", "leave"})
_BEFORE_A_THING = frozenset({"the", "a", "an", "my", "our", "this", "that", "off", "light", "power", "wall", "annual",
                             "maternity", "paternity", "sick"})
# A verb after "2" or "4" makes it the end of a model's name ("my flex 4 has stopped working").
_VERB_AFTER_A_MODEL = frozenset({"has", "is", "was", "keeps", "won't", "wont", "doesn't", "doesnt", "isn't",
                                 "stopped", "will", "can't", "cant", "broke", "died", "crashed", "crashes"})
# Words a number counts: after one of them, "2" or "4" is a number.
_COUNTED = frozenset({"minutes", "mins", "hours", "hrs", "days", "weeks", "months", "years", "times", "calls",
                      "emails", "people", "bags", "items", "flights", "orders", "tickets", "nights"})


def _word_as_said(raw: str, text: str, ts: TemplateSet, dictionary: Dictionary, *,
                  question: bool) -> tuple[str | None, str]:
    """(what is wrong with one word, the word as it would be said): shouting lowered, a clear typo
    corrected; a word never echoed, a person, a feeling or an unknown word refused."""
    word = raw.strip(",.")
    low = word.lower()
    if low in _WRITTEN_SHORT:
        # "b/c the ticket was booked via a corporate account": said back in full, as we would write it.
        return None, raw.replace(word, _WRITTEN_SHORT[low])
    refused = _never_said(word, ts, question=question)
    if refused:
        return refused, raw
    if word.isupper() and len(word) >= _SHOUT_MIN and dictionary.known(word):
        raw, word = raw.lower(), low            # shouting, lowered
    elif word[:1].isupper() and low in _SMALL_WORDS:
        raw, word = raw.lower(), low            # "you still Don't have your bag": a capital typed mid-sentence
    problem = _word_problem(word, text, ts, dictionary) if word else None
    if problem and (word in ("2", "4") or problem.startswith("not a plain word")):
        return problem, raw     # text speak, a hashtag or a handle ("#OnePlus5T") is never said back
    if problem and low in _handle_names(text):
        # "my lenovo flex 4 ..." to @LenovoSupport: the brand the customer wrote to, said as it spells itself.
        return None, raw.replace(word, _handle_names(text)[low])
    if problem and not any(c.isdigit() for c in word):
        corrected = dictionary.correct(low) if word.islower() else None
        if corrected is None:
            return problem, raw
        raw = raw.replace(word, corrected)
    return None, raw


# Short forms a customer types that a reply writes out.
_WRITTEN_SHORT = {"b/c": "because", "w/": "with", "w/o": "without", "thru": "through"}
# Words that are never a name, whatever capital they were typed with.
_SMALL_WORDS = frozenset({"don't", "dont", "doesn't", "didn't", "can't", "cant", "won't", "isn't", "wasn't",
                          "aren't", "weren't", "haven't", "hasn't", "not", "still", "have", "has", "had", "is",
                          "are", "was", "were", "the", "a", "an", "my", "your", "our", "and", "but", "no", "any",
                          "been", "being", "be", "get", "got", "it", "its", "it's", "this", "that", "of", "to", "for",
                          "on", "in", "at", "with", "yet", "never", "even", "again"})
_HANDLE = re.compile(r"(?<![\w@])@(\w+)")
# A handle inside a clause where a word should stand ("but @Dropbox still has", "lost by @UPS"), not one that only
# names whose thing it is ("my @Lenovo laptop"): the clause said without it would lack its subject or object.
_HANDLE_IN_PLACE_OF_A_WORD = re.compile(r"(?<![@\w])(?!(?:my|the|your|our|a|an|this)\s)\w+\s+@\w+(?=\s+\w)",
                                        re.IGNORECASE)
_HANDLE_PART = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]{2,}")


@lru_cache(maxsize=64)
def _handle_names(text: str) -> dict[str, str]:
    """The names inside the message's @handles, by their lower case ("@LenovoSupport": "lenovo" ->
    "Lenovo"): a brand the customer wrote to, which the dictionary does not know."""
    return {part.lower(): part for handle in _HANDLE.findall(text) for part in _HANDLE_PART.findall(handle)
            if len(part) >= 2}


def _as_handles_spell(clause: str, text: str, dictionary: Dictionary) -> str:
    """``clause`` with each word the dictionary does not know that names a handle of the message spelt as
    the handle spells it, a small word typed with a capital lowered and a short form written out (as
    ``_word_as_said`` says them)."""
    names = _handle_names(text)
    return " ".join(names[w.lower()] if w.lower() in names and not dictionary.known(w)
                    else w.lower() if w[:1].isupper() and w.lower() in _SMALL_WORDS
                    else _WRITTEN_SHORT.get(w.lower(), w)
                    for w in clause.split(" "))


def _never_said(word: str, ts: TemplateSet, *, question: bool) -> str | None:
    low = word.lower()
    if low in ts.never_echo:
        return f"never echoed: {word!r}"
    if low in ts.staff_words:
        return f"names a person: {word!r}"
    if low in ts.not_the_problem and not question:
        return f"a feeling or threat, not the problem: {word!r}"
    return None


# The customer's verdict of fault, turned around into our own words.
_FAULT_OWNED = re.compile(r"\bour (?:own )?(?:fault|mistake|error|negligence|screw[- ]?up|mess[- ]?up|incompetence)\b"
                          r"|\bwe (?:messed|screwed|stuffed) (?:it |this |that )?up\b", re.IGNORECASE)


# Words that start a reason.
_BECAUSE = frozenset({"because", "cause", "cuz", "coz", "'cause"})
# What cannot follow a bare "be": its complement was in another clause ("I won't be [sent on] for days").
_NO_COMPLEMENT = frozenset({"", "for", "until", "till", "til", "since", "by"})
# Adverbs that may stand between "you" and its verb ("you still can't", "you just got").
_ADVERBS_BETWEEN = frozenset({"still", "just", "really", "even", "already", "also", "never"})


# What may stand before "not working": a verb, or a word after one ("is still not working").
_BEFORE_NOT = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "keeps", "keep", "kept", "still",
                         "just", "really", "even", "already", "currently", "also", "definitely", "certainly"})


# Words that make an -ing word a verb ("is missing", "keeps crashing", "still waiting").
_BEFORE_A_PARTICIPLE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "keep", "keeps", "kept",
                                  "still", "stop", "stopped", "start", "started"})


def _grammar_problem(lows: list[str], problem_shown: bool, verbs: frozenset[str] = frozenset()) -> str | None:
    """A clause must have a verb, state a problem (unless it is a question, or holds words read as trouble)
    and agree with "you"."""
    if not any(w in _VERBISH or w in verbs or w.endswith(("ed", "ing", "n't")) for w in lows[1:] + lows[:1]):
        return "no verb"
    # (The trouble told in the clause itself, not only in its reason: "you altered your profile picture, because
    # you didn't like the previous one" says back what they chose to do.)
    told = lows[:next((i for i, w in enumerate(lows) if w in _BECAUSE), len(lows))]
    if not problem_shown and not any(w in _PROBLEM or w.endswith("n't") for w in told):
        return "states no problem"
    for i, w in enumerate(lows):
        if w in _EFFORT and all(x in _WHEN_WORDS for x in lows[i + 1:]):
            return f"'{w}' without what was tried"    # "sorry you've tried today"
    for i, w in enumerate(lows[:-2]):
        if (w in _DETERMINERS and lows[i + 2] in _SINGULAR_VERBS and lows[i + 1].endswith("s")
                and not lows[i + 1].endswith(("ss", "us", "is", "'s")) and lows[i + 1] not in _SINGULAR_IN_S):
            return f"agreement: '{lows[i + 1]} {lows[i + 2]}'"    # "the days isn't even over"
    for before, w, nxt in zip([""] + lows, lows, lows[1:]):
        if w == "not" and nxt.endswith("ing") and before not in _BEFORE_NOT and not before.endswith(("'s", "'re",
                                                                                                     "'m")):
            return f"no verb before: 'not {nxt}'"    # "your webcam not working": their shorthand, not ours
    if not any(w in _VERBISH or w in verbs or w.endswith(("ed", "n't")) for w in lows) and all(
            i > 0 and lows[i - 1] not in _BEFORE_A_PARTICIPLE and not lows[i - 1].endswith(("'s", "'re", "'m"))
            for i, w in enumerate(lows) if w.endswith("ing")):
        return "no verb: a participle alone"    # "a piece of the plane missing": their shorthand, not ours
    for w, nxt in zip(lows, lows[1:] + [""]):
        if w in ("is", "are", "was", "were") and nxt in _NOT_A_STATE:
            return f"verb form: '{w} {nxt}'"    # "our rebook website is crashed": their shorthand
        if w == "be" and nxt in _NO_COMPLEMENT:
            # "you won't be for days": what they won't be was said in another clause
            return f"'be' with nothing after it: 'be {nxt}'".rstrip()
    if lows[:1] and lows[0] in _COUNTS_THE_MASKED:
        return f"'{lows[0]}' with nothing it counts"    # "all let you down today"
    for w, nxt, third in zip(lows, lows[1:], lows[2:] + [""]):
        if w in ("and", "but") and nxt == "still" and third in ("nothing", "no"):
            return f"no verb after '{w} still {third}'"    # "you called at 1AM and still nothing at 8AM"
    if lows[:1] == ["you"]:
        for w, nxt in zip(lows, lows[1:]):
            if w == "and" and nxt in _SINGULAR_VERBS:
                return f"agreement: 'you ... and {nxt}'"    # "you can't fly ... and has planes that don't work"
    for w, nxt in zip(lows, lows[1:]):
        if (w in _VERBISH or w in _TAKES_A_THING or w.endswith("ed")) and nxt in _NEEDS_ARTICLE:
            return f"article: '{w} {nxt}'"    # "can't get printer back on line": their shorthand, not ours
    for w, mid, nxt in zip(lows, lows[1:], lows[2:]):
        if (w in _VERBISH or w in _TAKES_A_THING or w in _REACHES) and nxt in _NEEDS_ARTICLE | _PLACES_ONLINE \
                and mid.isalpha() and mid not in _DETERMINERS | _ARTICLES_AND_COUNTS:
            return f"article: '{w} {mid} {nxt}'"    # "can't access showtime site": their shorthand, not ours
    for w, nxt, third in zip(lows, lows[1:], lows[2:] + [""]):
        if w in _PLACE_WORDS and nxt in _VEHICLES_AND_STOPS and not any(ch.isdigit() for ch in third):
            # "waiting on plane so long": their shorthand, not ours ("on flight 1547" names which one)
            return f"article: '{w} {nxt}'"
    for w, nxt, third in zip(lows, lows[1:], lows[2:] + [""]):
        if w in _CANNOT and nxt in _NEEDS_AN_OBJECT and (third in _PLACE_WORDS or third in _WHERE_OR_WHEN or not third):
            return f"no object: '{nxt} {third}'".rstrip()    # "can't use on plane": their shorthand, not ours
    for w, nxt, third in zip(lows, lows[1:], lows[2:] + [""]):
        if w in ("you", "you've") and nxt in _NOTICING and third == "that":
            return f"a report of noticing: '{w} {nxt} that'"    # "sorry you note that it still isn't fixed"
    for w, nxt in zip(lows, lows[1:]):
        if w == "to" and _PAST_FORM.match(nxt) and nxt not in _NOT_PAST:
            return f"verb form: 'to {nxt}'"    # "need to cancelled flight": their slip, not ours to repeat
        if w == "an" and nxt[:1].isalpha() and nxt[:1] not in _VOWELS and not nxt.startswith(_SILENT_H):
            return f"article: 'an {nxt}'"    # "came missing an tip": their slip, not ours to repeat
    for i, w in enumerate(lows[:-1]):
        if w in ("you", "you're", "you've"):
            nxt = next((x for x in lows[i + 1:] if x not in _ADVERBS_BETWEEN), "")
            if nxt in _NO_VERB_AFTER_YOU or (w == "you" and nxt in ("not", "no")):
                # "you still not working here", "you still no gate", "you're still nothing": no verb to carry it
                return f"agreement: '{w} {nxt}'"
        if w == "you":
            # (past the adverbs between: "you still has your account held" lost its subject to a handle)
            nxt = next((x for x in lows[i + 1:] if x not in _ADVERBS_BETWEEN), "")
            if nxt in _BAD_AFTER_YOU or (nxt.endswith("s") and not nxt.endswith(("ss", "us", "is"))
                                         and nxt not in _ADVERBS_IN_S):
                return f"agreement: 'you {nxt}'"
    if len(lows) >= 2 and lows[-2] in _LINKING and lows[-1].endswith("ly") and lows[-1] not in _STATES_IN_LY:
        return f"cut off after '{lows[-2]} {lows[-1]}'"    # "... with notice is simply": the rest never came
    ending = [w for w in lows if w not in _ENDING_TIME]
    if ending and ending[-1] in _POINTERS and not any(w in _NAMES_A_THING for w in ending[:-1]):
        # "you have not received it yet": said back alone, "it" points at nothing the reply has named.
        return f"'{ending[-1]}' points at nothing named"
    return None


# Words a clause may end on after its object ("... received it yet"), the pronouns that need a thing named
# before them, and the words that name one ("the parcel", "my order").
_ENDING_TIME = frozenset({"yet", "now", "again", "today", "still", "anymore", "either", "too", "though"})
_POINTERS = frozenset({"it", "them"})
_NAMES_A_THING = frozenset({"the", "your", "our", "a", "an", "this", "that", "these", "those", "my"})
# A clause ending on a linking verb and a manner word has lost what it was going to say ("changing passengers
# is simply"); a state in "-ly" ends it well ("the flight is early", "it's only happened once").
_LINKING = frozenset({"is", "are", "was", "were", "be", "been", "being", "it's", "seems", "feels"})
_STATES_IN_LY = frozenset({"early", "ugly", "likely", "unlikely", "lonely", "friendly", "unfriendly", "silly",
                           "costly", "holy", "jolly", "curly", "oily", "smelly", "hilly", "chilly", "unruly"})


# Things counted one by one, which take an article after a verb ("get the printer", "receive a certificate");
# none are verbs too ("order", "book", "email" are left out).
# A verb that needs a thing after it, said straight after "can't" with a place or nothing where the thing should
# be: "was given vouchers but can't use on plane" drops what cannot be used.
_CANNOT = frozenset({"can't", "cant", "cannot", "couldn't", "couldnt", "won't", "wont"})
# (Not verbs that stand alone or with a particle: "can't get to a phone", "can't book online".)
_NEEDS_AN_OBJECT = frozenset({"use", "send", "find", "open", "access", "add", "buy", "view", "download", "install",
                              "redeem", "apply", "select", "choose", "print", "remove", "delete", "upload"})
_PLACE_WORDS = frozenset({"on", "in", "at", "for", "with", "from", "to", "onto", "into"})
# Where or when, standing where the object should be: "can't access online", "can't use anymore".
_WHERE_OR_WHEN = frozenset({"online", "anymore", "now", "today", "again", "here", "there"})
# A word that counts what was masked away ("@StoreA @Courier @Post all let me down"): said back, it counts nothing.
_COUNTS_THE_MASKED = frozenset({"all", "both", "each", "none", "neither"})
# Verbs of a happening, not a state: "is crashed" is no English ("has crashed" is).
_NOT_A_STATE = frozenset({"crashed", "froze", "disappeared", "vanished", "happened", "occurred", "arrived"})
_NEEDS_ARTICLE = frozenset({"printer", "phone", "laptop", "router", "modem", "tablet", "computer", "pc", "tv",
                            "console", "camera", "certificate", "parcel", "package", "ticket", "receipt", "invoice",
                            "charger", "screen", "device", "refund", "bag", "suitcase", "voucher", "replacement"})
# Where a journey is spent, which takes an article after "on", "at", "in" ("on the plane"; "on board" is fine).
_VEHICLES_AND_STOPS = frozenset({"plane", "train", "bus", "flight", "runway", "tarmac", "gate", "platform", "aircraft",
                                 "airplane", "ferry", "coach"})
_TAKES_A_THING = frozenset({"receive", "replace", "return", "send", "fix", "repair", "deliver", "collect", "track"})
# Verbs of getting to a place online, and the places ("can't access showtime site" wants "the").
_REACHES = frozenset({"access", "open", "load", "reach", "use"})
_PLACES_ONLINE = frozenset({"site", "website", "webpage", "page", "portal"})
_ARTICLES_AND_COUNTS = frozenset({"a", "an", "this", "that", "any", "some", "another", "every", "each", "one", "no",
                                  "its", "it's", "to", "on", "in", "at", "for", "from", "with", "of", "and", "or",
                                  "not", "even", "still", "again", "just", "back", "up", "out", "off", "into"})
# Verbs of noticing or saying: "I note that it still isn't fixed" tells what they see, not what happened to them.
_NOTICING = frozenset({"note", "noted", "notice", "noticed", "see", "saw", "feel", "felt", "think", "thought",
                       "believe", "found", "find", "realise", "realised", "realize", "realized"})
# A past form after "to" ("need to cancelled") is no verb a clause can carry; "to bed", "to proceed" are fine.
_PAST_FORM = re.compile(r"[a-z]{3,}[^e]ed$")
_NOT_PAST = frozenset({"shred", "embed", "hundred", "sacred", "naked", "wicked", "wretched", "rugged", "ragged"})
# Words that say nothing happened, which cannot follow "you" as its verb ("still nothing" is no clause).
_NO_VERB_AFTER_YOU = frozenset({"nothing", "none", "nobody", "noone", "nowhere"})
# "an" stands before a vowel sound: a consonant after it is a slip ("an tip"); "an hour", "an honest" are not.
_VOWELS = frozenset("aeiou")
_SILENT_H = ("hour", "honest", "honour", "honor", "heir")
# A plural after one of these takes no verb of the singular ("the days isn't", "my bags was").
_DETERMINERS = frozenset({"the", "my", "your", "our", "these", "those", "their", "his", "her"})
_SINGULAR_VERBS = frozenset({"is", "isn't", "was", "wasn't", "has", "hasn't", "does", "doesn't"})
_SINGULAR_IN_S = frozenset({"news", "series", "means", "species", "lens", "gas", "bus", "thanks", "physics",
                            "mathematics", "electronics", "headquarters", "crossroads", "diabetes", "measles"})
# Trying that needs what was tried after it, and words of when that do not say it.
_EFFORT = frozenset({"tried", "trying", "attempted", "attempting", "tries"})
_WHEN_WORDS = frozenset({"today", "yesterday", "again", "already", "twice", "now", "before", "since", "times",
                         "three", "several", "many", "so", "often", "this", "week", "morning", "all", "day"})


def fused_clauses(raw: str) -> str | None:
    """The subject that starts a second clause with nothing joining it ("I moved house I tried to ..."),
    read on the customer's own words, where "I" (a subject) and "me" (an object) still differ."""
    words = [w.lower() for w in _WORD.findall(raw)]
    for i, w in enumerate(words):
        if i > 0 and w in _FIRST_PERSON_SUBJECTS and words[i - 1] not in _JOINERS:
            return w
        if 0 < i < len(words) - 1 and w in _PLEAS and words[i - 1] not in _JOINERS:
            return w      # "this does not make sense please ignore": a request run on after the clause
    splice = _COMMA_SPLICE.search(raw)
    return splice.group(1).lower() if splice else None


# A request that runs on after what went wrong, with nothing joining it ("charged twice please refund").
_PLEAS = frozenset({"please", "pls", "plz", "kindly"})
# A comma and then a new subject and its verb: "we got in the car, the order was wrong" said back as one
# clause joins two.
_COMMA_SPLICE = re.compile(r",\s+((?:the|this|that|it|they|he|she|there|my|our|his|her|their)\b(?:\s+\w+){0,2}?\s+"
                           r"(?:is|was|were|are|isn't|wasn't|weren't|aren't|has|had|have|did|didn't|does|doesn't|"
                           r"won't|can't|never|still|just|got|came|arrived|kept|keeps)\b)", re.IGNORECASE)


MIN_WORDS = 3


def quoted_clause(text: str, masked: str, spans: Iterable[tuple[int, int]], ts: TemplateSet,
                  dictionary: Dictionary, *, attempts: int = 6, told_of_self: bool = False,
                  trouble: Iterable[tuple[int, int]] = ()) -> tuple[str | None, bool]:
    """The first clause around the given spans that passes every check, turned around, and whether it
    was a how-to question ("you'd like to know how to ..."); (None, False) when none does.

    ``told_of_self``: only a statement the customer made of themselves, of what is theirs or of a thing
    named plainly, in their own spelling ("I was charged twice", "my parcel never came", "the app keeps
    crashing"); a clause whose subject is left out only with a verb of their own doing ("still waiting on
    my refund"): others may have been someone else's doing ("kept talking to my son" was the adviser), and
    "it" says back nothing.
    ``trouble``: spans of words read as something gone wrong; a clause that holds one states a problem."""
    tried: set[str] = set()
    trouble = set(trouble)
    for start, end in list(spans)[:attempts]:
        for tight in (False, True):
            raw, question = clause_for(masked, start, end, tight=tight)
            raw = _LEAD_IN.sub("", raw) if raw else raw
            if not raw or not raw.strip() or raw in tried:
                continue
            tried.add(raw)
            if fused_clauses(raw):
                continue
            if told_of_self and (question or (raw.split()[0].lower().strip(",") not in _OF_SELF | _DONE_BY_SELF
                                              and not _STOPS_THEM.match(raw.strip())
                                              and not bare_thing_opens(raw.strip()))
                                 or not _opens_clause(masked, raw, start)):
                continue
            if _SUPPOSED.search(masked, 0, masked.find(raw) if raw in masked else 0):
                continue    # "if I have any more problems, I'll message you": nothing that happened
            if _WONDERED.match(raw):
                continue    # "I wonder how many warranties were denied": a question aired, not what happened
            if _ASKED_INSIDE.search(raw):
                continue    # "our products really stuck how come the doors don't match": a question run in
            if _CONCEDED.match(raw):
                continue    # "I get that weather delays are not in your hands": granted us, no trouble told
            if _WISHED.search(raw) or _DELIGHT.search(raw):
                continue
            at = masked.rfind(raw, 0, start + len(raw))
            if _inside_quotes(masked, at):
                continue    # 'was told "we can't find a supervisor"': someone else's words, not theirs
            if at >= 0 and _HANDLE_IN_PLACE_OF_A_WORD.search(text, at, at + len(raw.rstrip())):
                continue    # "but @Dropbox still has my account": the handle masked was a word the clause needs
            turned = turn_around(raw, never_echo=ts.never_echo, question=question)
            if not turned:
                continue
            told_trouble = masked[start:end] if (start, end) in trouble and masked[start:end] in raw else ""
            problem, said = clause_problem(turned, text, ts, dictionary, told_trouble=told_trouble)
            # (In their own spelling: only a brand may change, said as its handle spells it.)
            if problem is None and told_of_self and (said != _as_handles_spell(turned, text, dictionary)
                                                     or len(said.split()) > _TOLD_MAX_WORDS
                                                     or said.split()[-1] in _BARE_PRONOUNS):
                continue
            if problem is None:
                return said, said.startswith(("you'd like to know", "you're looking for a way"))
    return None, False


def _opens_clause(masked: str, raw: str, near: int) -> bool:
    """Whether ``raw`` starts a clause of its own in the message: at a sentence's start, after punctuation
    or after a joining word, never inside a noun phrase ("the lamp I ordered never arrived")."""
    at = masked.rfind(raw, 0, near + len(raw))
    if at < 0:
        return False
    before = _LEAD_IN_END.sub("", masked[:at].rstrip()).rstrip()
    if not before or before[-1] in ".!?,;:-(\n" or not before[-1].isalnum():
        return True
    # (The last word as a word: "the note 8..but" ends on "but".)
    last = _WORD.findall(before[-40:])
    return bool(last) and last[-1].lower() in _JOINERS


# Words that open a statement without changing it: "No wonder the cabin is filthy" tells that the cabin is
# filthy; said back, the clause starts after them.
_LEAD_INS = r"(?:no wonder|needless to say|of course|it turns out|turns out|guess what)"
_LEAD_IN = re.compile(r"^\s*" + _LEAD_INS + r"\b\s*,?\s*", re.IGNORECASE)
_LEAD_IN_END = re.compile(r"(?:^|(?<=[\s.!?,;:(]))" + _LEAD_INS + r"\s*,?$", re.IGNORECASE)


_DOUBLE_QUOTES = ('"', "\u201c", "\u201d")


def _inside_quotes(masked: str, at: int) -> bool:
    """Whether position ``at`` lies between double quotes opened earlier in the message."""
    return at > 0 and sum(masked.count(q, 0, at) for q in _DOUBLE_QUOTES) % 2 == 1


# What comes before a clause that only supposes it: "if", "unless", "in case", "whether".
_SUPPOSED = re.compile(r"\b(?:if|unless|in case|whether|should)\s*$", re.IGNORECASE)
# A question aired as "I wonder ...": no statement of what happened to say back.
_WONDERED = re.compile(r"\s*(?:i|we)(?:\s+(?:am|was|were|'m|are|just|still|really|do|often))*\s+"
                       r"(?:wonder|wondering|wondered)\b", re.IGNORECASE)
# A question run into a statement without a break.
_ASKED_INSIDE = re.compile(r"\S\s+(?:how come|why)\b", re.IGNORECASE)
# A point granted us ("I get that weather delays are not in your hands, but ..."), what ought to be ("I should
# still be able to view my booking") or what they mind ("I mind waiting on a plane"): not what went wrong;
# said back it reads "sorry you should ...", "sorry you mind ...".
_CONCEDED = re.compile(r"\s*(?:i|we)(?:\s+(?:do|totally|fully|completely))?\s+(?:(?:get|understand|know|realise|"
                       r"realize|appreciate|accept)\s+(?:that\b|weather|it's|its|this|things)|should\b(?!n)|"
                       r"(?:don't\s+|do\s+not\s+)?mind\b)",
                       re.IGNORECASE)
# A hope or wish ("I hope not to see the same issue on my return flight"), or a plan of their own: what they
# want or will do, not what happened; "sorry to hear you hope ..." reads as regret for their hope.
_WISHED = re.compile(r"\b(?:i|we)(?:\s+(?:just|really|do|only|truly|sincerely|am|'m|was|were))*\s+"
                     r"(?:hope|hoped|hoping|wish|wished|wishing|pray|praying)\b"
                     # ... or what they will do themselves ("tomorrow I will go and update my details")
                     r"|\b(?:i|we)(?:'ll|\s+will|\s+am going to|'m going to|\s+are going to|'re going to)\b",
                     re.IGNORECASE)
# Words of delight in a clause of trouble are sarcasm ("we are enjoying waiting for the bags to be
# reloaded"); said back after "sorry to hear", they read as mockery. Negated they are plain ("not happy").
_DELIGHT = re.compile(r"(?<!\bnot )(?<!n't )(?<!\bnever )(?<!\bno )(?<!\bnot so )(?<!\bnot very )(?<!\bnot too )"
                      r"\b(?:enjoy|enjoying|enjoyed|love|loving|loved|lovely|fantastic|wonderful|awesome|amazing|"
                      r"brilliant|perfect|delighted|thrilled|fun|great)\b", re.IGNORECASE)


# How a statement of the customer's own begins: "I", "we", "my", "our", or a thing named plainly ("the app
# keeps crashing"; a person named so is refused by the staff-word check).
# A thing that stops them doing something, named by what they cannot do: "it won't let me print my state
# filing" says back what failed them, though "it" names nothing.
_STOPS_THEM = re.compile(r"(?:(?:now|and|but|so|still)\s+)?(?:(?:it|this|that)\s+)?(?:still\s+)?"
                         r"(?:won'?t|wouldn'?t|doesn'?t|didn'?t|will not|would not|does not|did not)"
                         r"\s+(?:let|allow)\s+(?:me|us)\s+(?:to\s+)?\w{3,}", re.IGNORECASE)
_OF_SELF = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "we", "we're", "we've", "we'd", "my", "our", "the",
                      "your", "ur"})
# A statement that drops its subject with one of these verbs is the customer's own doing ("Tried
# calling three times", "Still waiting on my refund", "Can't log in since Monday"); others may tell of
# someone else's ("kept talking to my son" was the adviser; "got told" by whom?).
_DONE_BY_SELF = frozenset({"tried", "trying", "been", "stuck", "still", "waiting", "can't", "cant", "cannot",
                           "unable", "haven't", "havent", "ordered", "bought", "paid", "booked", "called",
                           "emailed"})
_TOLD_MAX_WORDS = 14
# A clause ending on one of these says back nothing the customer can recognise ("you can't use it").
_BARE_PRONOUNS = frozenset({"it", "this", "that", "them", "one", "there"})


# ---- a wait the customer measured ------------------------------------------------------------------
# "on hold for over an hr", "been waiting 2 days for my bags", "delayed 4hrs", "stuck on the tarmac for
# nearly an hour": how long they waited is the detail that shows we heard them, and it can be said back in
# our own grammar, with their number, whatever else the sentence holds.
_HOW_LONG = (r"(?:for\s+)?(?P<about>(?:well\s+)?over|more\s+than|nearly|almost|about|around|close\s+to|at\s+least|"
             r"like\s+)?\s*(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d{1,3}(?:\.5)?)\s*\+?\s*"
             r"(?P<unit>hours?|hrs?|minutes?|mins?|days?|weeks?|months?)\b")
# ... with "for" required once other words stand between the hold and its length ("on hold on the
# reservations line for an hour").
_FOR_HOW_LONG = r"for\s+" + _HOW_LONG.removeprefix(r"(?:for\s+)?")
# A length said before what it measures ("5 hrs late", "18 hours trapped", "4hrs of sitting"), not a clock time.
_LENGTH_FIRST = (r"(?<![\w.:])(?:(?P<about>over|nearly|almost|about|more\s+than)\s+)?"
                 r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*\+?\s*")
# A town named after "in" or "at" ("stuck in Denver"), not an airport or a station said with it.
_IN_TOWN = r"(?:in|at)\s+(?-i:[A-Z][a-z]+)\b(?!\s+(?:airport|terminal|station)\b)"
# Ways of saying they tried to reach us: "to get through", "to reach an agent", "to speak to someone".
_TO_REACH = (r"to\s+(?:reach|contact|call|ring|phone|get\s+(?:through|thru|hold\s+of|ahold\s+of|in\s+touch)|"
             r"speak|talk|get\s+an?\s+(?:answer|agent|person|human))")
_WAITS = (
    ("hold", re.compile(r"\b(?P<been>(?:been|was|were|being)\s+)?on\s+hold\s+" + _HOW_LONG, re.IGNORECASE)),
    ("hold", re.compile(r"\b(?P<been>(?:been|was|were|being)\s+)?on\s+hold\s+(?:on|with|to|at)\s+(?:[\w']+\s+){1,3}?"
                        + _FOR_HOW_LONG, re.IGNORECASE)),
    # "placed on a 48 minute hold", "a 2 hour hold"
    ("hold", re.compile(r"(?:\b(?:(?P<been>was|were|been|being)\s+)?(?P<how>placed|put|kept|left)\s+on\s+)?\ban?\s+"
                        r"(?P<n>\d{1,3}|one|two|three|four|five|six)[\s-]*"
                        r"(?P<unit>hours?|hrs?|minutes?|mins?)\s+hold\b", re.IGNORECASE)),
    # "77min still on hold", "2 hours on hold": the length first
    ("hold", re.compile(r"(?<![\w.])(?:(?P<about>over|nearly|almost|about|more\s+than)\s+)?"
                        r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six)\s*\+?\s*(?P<unit>hours?|hrs?|minutes?|mins?)"
                        r"\s+(?:now\s+|still\s+|and\s+counting\s+)?on\s+hold\b", re.IGNORECASE)),
    # "94 min hold and counting": the length first, no article
    ("hold", re.compile(r"(?<![\w.])(?:(?P<about>over|nearly|almost|about|more\s+than)\s+)?"
                        r"(?P<n>\d{1,3}|two|three|four|five|six)[\s-]*(?P<unit>hours?|hrs?|minutes?|mins?)\s+hold\b"
                        r"(?!\s+times)", re.IGNORECASE)),     # ("2 hour hold times" are everyone's, not theirs)
    ("waiting", re.compile(r"\b(?P<been>been\s+)?waiting\s+" + _HOW_LONG, re.IGNORECASE)),
    # "waiting in the line at customer service in PHX...for over an hour"
    ("waiting", re.compile(r"\b(?P<been>been\s+)?waiting\s+(?:(?P<where>(?:in|at|on)\s+(?:the\s+)?(?:line|queue|gate|"
                           r"plane|airport|terminal|desk|counter|phone))\b[\s.,]*|(?:in|at|on)\s+)"
                           r"(?:[\w'@-]+[\s.,]+){0,7}?" + _FOR_HOW_LONG, re.IGNORECASE)),
    # "waiting for my luggage at carousel 5 for 40 minutes", "waiting for our refund for 3 weeks"
    ("waiting", re.compile(r"\b(?P<been>been\s+)?waiting\s+for\s+(?:(?:my|our)\s+(?P<what>(?:[a-z]+\s+)?[a-z]+)|"
                           r"(?P<things>(?!(?:ages|hours|days|weeks|months|years|people|others|answers)\b)[a-z]+s))\s+"
                           r"(?:(?:at|in|on)\s+(?:the\s+)?[\w'-]+(?:\s+\d{1,3}[a-z]?)?[\s,]+)?"
                           + _FOR_HOW_LONG, re.IGNORECASE)),
    # "4hrs of sitting", "two hours of waiting": the length first
    ("waiting", re.compile(_LENGTH_FIRST + r"(?P<unit>hours?|hrs?|minutes?|mins?)\s+of\s+(?:sitting|waiting)\b",
                           re.IGNORECASE)),
    # "been queuing for over an hr"
    ("queue", re.compile(r"\b(?P<been>(?:been|was|were)\s+)?(?:queuing|queueing|queued)\s+" + _HOW_LONG,
                         re.IGNORECASE)),
    # "18 days, no response", "2 weeks and still no reply", "no answer in 3 weeks"
    ("no_reply", re.compile(r"(?<![\w.])(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s*"
                            r"(?P<unit>days?|weeks?|months?)\s*(?:,|and|&|later|now)?\s*(?:still\s+)?no\s+"
                            r"(?:response|reply|answer|word)\b", re.IGNORECASE)),
    ("no_reply", re.compile(r"\bno\s+(?:response|reply|answer|word)\s+(?:for|in|after)\s+"
                            + _HOW_LONG.removeprefix(r"(?:for\s+)?"), re.IGNORECASE)),
    # "after an hour call with you", "a 45 minute phone call"
    ("call", re.compile(r"(?<![\w.])(?:(?P<about>over|nearly|almost|about|more\s+than)\s+)?"
                        r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six)[\s-]*(?P<unit>hours?|hrs?|minutes?|mins?)"
                        r"(?:[\s-]long)?\s+(?:phone\s+)?call\b", re.IGNORECASE)),
    # "been trying to get through for an hour", "Trying for 20 hrs to reach agent", "I have been calling for 3
    # days": time spent trying to reach us (trying to do anything else is no wait on us)
    ("reach", re.compile(r"\b(?P<been>(?:been|have\s+been|i've\s+been|ive\s+been)\s+)?(?P<how>trying|tried)\s+"
                         r"(?P<to>" + _TO_REACH + r")\s+(?:[\w'@.-]+\s+){0,4}?" + _FOR_HOW_LONG, re.IGNORECASE)),
    ("reach", re.compile(r"\b(?P<been>(?:been|have\s+been|i've\s+been|ive\s+been)\s+)?(?P<how>trying|tried)\s+"
                         + _FOR_HOW_LONG + r"\s+(?P<to>" + _TO_REACH + r")\b", re.IGNORECASE)),
    ("reach", re.compile(r"\b(?P<been>(?:been|have\s+been|i've\s+been|ive\s+been|i've|ive|i\s+have)\s+)?"
                         r"(?P<how>calling|called|ringing|rang|phoning|phoned)\s+(?:you\s+|u\s+)?" + _FOR_HOW_LONG,
                         re.IGNORECASE)),
    ("waited", re.compile(r"\bwaited\s+" + _HOW_LONG, re.IGNORECASE)),
    ("delayed", re.compile(r"\bdelayed\s+(?:by\s+)?" + _HOW_LONG, re.IGNORECASE)),
    ("delayed", re.compile(r"\blate\s+by\s+" + _HOW_LONG, re.IGNORECASE)),     # "running late by 4 hours"
    # "more than 3 hours delayed", "5 hrs late": the length first
    ("delayed", re.compile(r"(?<!half\s)" + _LENGTH_FIRST
                           + r"(?P<unit>hours?|hrs?|minutes?|mins?|days?)\s+(?:delayed|late(?!\s+flightr))\b",
                           re.IGNORECASE)),    # (the airline corpus writes "later" as "Late Flightr")
    ("delay", re.compile(r"(?<![\w.])(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]*"
                         r"(?P<unit>hours?|hrs?|minutes?|mins?)"
                         r"(?P<more>\s*(?:and|&)?\s*\d{1,2}\s*(?:minutes?|mins?))?(?P<plus>\+)?\s+"
                         r"(?P<noun>delay|wait)\b", re.IGNORECASE)),
    ("stuck", re.compile(r"\b(?P<been>(?:been|was|were)\s+)?(?P<how>stuck|sitting|sat|been)\s+"
                         r"(?P<where>on\s+(?:the\s+)?(?:tarmac|plane|runway|ground)|at\s+the\s+gate|"
                         r"in\s+the\s+plane|(?:at|in)\s+(?:the\s+|this\s+)?(?:[\w.'-]+\s+){0,2}?"
                         r"(?:airport|terminal|station))\s+" + _HOW_LONG, re.IGNORECASE)),
    # "18 hours trapped in Denver", "2 days stranded at the airport": the length first
    ("stuck", re.compile(_LENGTH_FIRST + r"(?P<unit>hours?|hrs?|days?)\s+(?:(?P<how>trapped|stranded)(?P<been>)"
                         r"(?:\s+(?P<where>" + _IN_TOWN + r"))?|(?P<stuck>stuck)\s+(?P<place>" + _IN_TOWN + r"))",
                         re.IGNORECASE)),
    # "stranded for 24 hours in MIA", "stuck here for 13 hours": the length said before (or without) the place
    ("stuck", re.compile(r"\b(?P<been>(?:been|was|were)\s+)?(?P<how>stuck|stranded)\s+(?P<where>)(?:here\s+|there\s+)?"
                         + _FOR_HOW_LONG, re.IGNORECASE)),
)
_PUT_ON = frozenset({"placed", "put", "kept", "left"})
_IN_A_TOWN = re.compile(r"(?:in|at) (?-i:[A-Z][a-z]+)")
_BAG_BEFORE = re.compile(r"\b(?:bags?|luggage|baggage|suitcases?|cases?)\b[^.!?\n]*$", re.IGNORECASE)
_VISITOR_BEFORE = re.compile(r"\b(?:engineers?|technicians?|tech|couriers?|plumbers?|fitters?|installers?|"
                             r"electricians?|repairman|contractors?|he|she)\b[^.!?\n]*$", re.IGNORECASE)
# A call that ended with no one there: hung up on, cut off, disconnected; not the customer giving up ("I
# finally hung up", "I'll hang up and try again").
_CUT_OFF = re.compile(r"\b(?:hung\s+up|hangs?\s+up|hanging\s+up|cut\s*off|got\s+cut|disconnect(?:ed|s)|"
                      r"call\s+(?:was\s+)?dropped|dropped\s+(?:my|the)\s+call)\b", re.IGNORECASE)
_GAVE_UP_THEMSELVES = re.compile(r"\b(?:i|i'll|ill|i'd|we|we'll|finally|to|had\s+to|have\s+to)\s+(?:\w+\s+)?$",
                                 re.IGNORECASE)


def _cut_off(text: str) -> bool:
    # ("Hung up on" always tells of someone hanging up on them.)
    return any(not (m.group().lower().startswith(("hung", "hang")) and not _ON_THEM.match(text, m.end())
                    and _GAVE_UP_THEMSELVES.search(text, max(0, m.start() - 20), m.start()))
               for m in _CUT_OFF.finditer(text))


_ON_THEM = re.compile(r"\s+on\b", re.IGNORECASE)
_PART_OF_A_LONGER = re.compile(r"(?<![a-z])(?:hours?|hrs?|hr)\s*(?:and|&|,)?\s*$", re.IGNORECASE)   # "1hr 7min"
_AND_SOME = re.compile(r"\s*(?:and\s+)?\d{1,2}\s*(?:minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE)
_UNITS = {"hr": "hour", "hrs": "hours", "min": "minute", "mins": "minutes"}
_SMALL_NUMBERS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
                  "8": "eight", "9": "nine"}
# What the wait was for, when they said it in a few plain words: "for my bags", "for my refund".
_WAITED_FOR = re.compile(r"\s*for\s+(?:my|our)\s+((?:[a-z]+\s+)?[a-z]+)\b"
                         r"(?=\s*(?:$|[.,!?;:)]|\b(?:to|since|from|and|now|for|at|in|on|after|which|that)\b))")


# A wait imagined, expected or compared, not one they had: "I don't mind waiting 10 minutes", "if I have to
# wait on hold for an hour", "it usually takes 2 days".
_NOT_A_WAIT_HAD = re.compile(r"\b(?:if|would|could|should|expect\w*|estimated|mind|instead|rather|without|usually|"
                             r"normally|typically|average|only)\b[^.!?]*$", re.IGNORECASE)


# A length quoted only to be corrected: "a 25 minute hold is 1 hr 25", "the 10 min wait was actually an hour".
_REALLY_LONGER = re.compile(r"\s+(?:times?\s+)?(?:is|was|=|means)\s+(?:actually\s+|really\s+|more\s+like\s+)?"
                            r"(?:\d|(?:an?|one|two|three|four|five)\s+(?:hours?|hrs?|minutes?|mins?|days?)\b)",
                            re.IGNORECASE)
# Someone else the wait happened to, just before it in the same clause ("he waited", "my mum has been on hold").
_SOMEONE_ELSES = re.compile(r"\b(?:he|she|he's|she's|my (?:\w+ )?(?:husband|wife|son|daughter|mum|mom|mother|dad|"
                            r"father|friend|partner|brother|sister|parents?|grandmother|grandfather|nan|gran))\b"
                            r"[^.!?,;]*$", re.IGNORECASE)


# A wait still ahead: "we will be stuck there", "going to be on hold".
_NOT_YET = re.compile(r"\b(?:will|'ll|going\s+to|gonna|would|might|may)\s+(?:\w+\s+)?(?:be\s+)?$|"
                      # an estimate of a wait ahead: "now no gate for us. Est 26 min wait"
                      r"\b(?:est\.?|estimated|expected|another|an\s+additional|additional)\s+$", re.IGNORECASE)


def measured_wait(text: str, *, trip: str | None = None) -> str | None:
    """The wait the customer measured, said back as a clause ("you've been on hold for over an hour",
    "your flight has been delayed by two hours"), or None. ``trip``: how the reply names their journey ("your
    flight to Denver"), which a delay happened to. Of two waits told alike ("delayed an hour on the way
    out, delayed by 2+ hours on the way back"), the longer is said: the shorter would make it smaller."""
    longest = _longest_wait(text, trip)
    return longest[0] if longest else None


def wait_minutes(text: str) -> float | None:
    """How long the wait said back by :func:`measured_wait` lasted, in minutes, or None."""
    longest = _longest_wait(text, None)
    return longest[1] if longest else None


def _longest_wait(text: str, trip: str | None) -> tuple[str, float] | None:
    for how, pattern in _WAITS:
        said = [w for w in (_said_wait(how, m, text, trip) for m in pattern.finditer(text)) if w]
        if said:
            return max(said, key=lambda w: w[1])
    return None


# Half as much again, beside the number: "2 & 1/2 hr", "2 1/2 hours", "2½ hours", "two and a half hours".
_A_HALF_MORE = re.compile(r"\d\s*(?:&|and)?\s*1/2|½|\band\s+a\s+half\b|&\s*a\s+half\b", re.IGNORECASE)
_WHOLE_BEFORE_A_HALF = re.compile(r"(?<![\d/])(\d{1,3})\s*(?:&|and)?\s*1/$")
# How long a unit is, in minutes, to tell the longer of two waits.
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12}


def _said_wait(how: str, m: re.Match, text: str, trip: str | None) -> tuple[str, float] | None:
    """One measured wait said back, with its length in minutes; None when it is not the customer's wait."""
    if _NOT_A_WAIT_HAD.search(text, max(0, m.start() - 30), m.start()):
        return None
    if _PART_OF_A_LONGER.search(text, max(0, m.start() - 16), m.start()):
        return None    # "a 4 hr and 15 min delay": the minutes are not the wait
    if _SOMEONE_ELSES.search(text, max(0, m.start() - 40), m.start()):
        return None    # "he waited over two hours on the phone": his wait, not the customer's
    if _NOT_YET.search(text, max(0, m.start() - 24), m.start()):
        return None    # "we will be stuck there for two days": a wait ahead of them, not one they had
    if _REALLY_LONGER.match(text, m.end()):
        return None    # "25 minute hold is 1 hr. 25 min.": the length quoted is not the wait they had
    if how == "delayed" and (_BAG_BEFORE.search(text, max(0, m.start() - 30), m.start())
                             or _VISITOR_BEFORE.search(text, max(0, m.start() - 40), m.start())):
        return None    # "my bag landed 1 day late", "the engineer arrived four hours late": not their journey's
    n = m.group("n").lower()
    half = _WHOLE_BEFORE_A_HALF.search(text, max(0, m.start("n") - 12), m.start("n"))
    if half:
        n = half.group(1)           # "1 1/2 hours": the "2" is the half's, the hours are one and a half
    n = _SMALL_NUMBERS.get(n, n)     # "2 hours" said as "two hours"
    unit = _UNITS.get(m.group("unit").lower(), m.group("unit").lower())
    if n in ("a", "an", "one") and unit.endswith("s"):
        unit = unit[:-1]
    elif n not in ("a", "an", "one") and not unit.endswith("s"):
        unit += "s"
    about = " ".join((m.groupdict().get("about") or "").lower().split())
    about = "" if about == "like" else about
    longer = m.groupdict().get("more") or m.groupdict().get("plus") or "+" in m.group(0)
    if not about and (_AND_SOME.match(text, m.end()) or longer
                      or _A_HALF_MORE.search(text[max(0, m.start() - 12):m.end() + 12])):
        about = "over"      # "2 hrs 10 min", "2 & 1/2 hr delay" said as "over two hours"
    if n == "a" and unit == "hour":
        n = "an"        # "over a hour": said right
    if n == "one" and unit in ("hour", "day", "week", "month"):
        n = "an" if unit == "hour" else "a"     # "one hour" said as "an hour"
    length = " ".join(w for w in (about, n, unit) if w)
    # "was on hold", "after being on hold", "sat on the tarmac": a wait that is over; else one that
    # may still go on ("on hold for 30 minutes and counting").
    been, how_put = (m.groupdict().get("been") or "").strip().lower(), (m.groupdict().get("how") or "").lower()
    # ("Put on a 50 minute hold", with no "been": a hold told as over.)
    over = been in ("was", "were", "being") or how_put == "sat" or (how_put in _PUT_ON and not been)
    if how == "hold" and _cut_off(text):
        # "hung up on after waiting 30 min on hold", "on hold over 2 hrs and got cutoff": the hold ended in
        # nothing, which is the worse half.
        clause = f"you were cut off after {length} on hold"
    elif how == "hold":
        clause = f"you were on hold for {length}" if over else f"you've been on hold for {length}"
    elif how == "waiting":
        where = " ".join((m.groupdict().get("where") or "").lower().split())
        where = {"in the line": "in line", "in the queue": "in the queue", "on phone": "on the phone"}.get(where, where)
        where = re.sub(r"^(at|on) (?!the )", r"\1 the ", where)
        clause = f"you've been waiting {where} for {length}" if where else f"you've been waiting {length}"
        what = m.groupdict().get("what") or m.groupdict().get("things")
        wanted = _WAITED_FOR.match(text, m.end())
        if what:
            clause = f"you've been waiting {length} for your {what.lower()}"
        elif wanted:
            clause += f" for your {wanted.group(1).lower()}"
    elif how == "waited":
        clause = f"you waited {length}"
    elif how == "reach":
        verb = how_put
        if verb in ("trying", "calling", "ringing", "phoning") or been:
            clause = f"you've been trying to reach us for {length}"
        else:
            clause = f"you tried for {length} to reach us"
    elif how == "no_reply":
        clause = f"you've had no reply from us for {length}"
    elif how == "queue":
        queued = over or "queued" in m.group(0).lower()
        clause = f"you queued for {length}" if queued else f"you've been queuing for {length}"
    elif how == "call":
        clause = f"you spent {length} on the phone with us"
    elif how == "delayed":
        # (still going on or over: "has been" fits both)
        clause = f"{trip} has been delayed by {length}" if trip else f"you've been delayed by {length}"
    elif how == "delay":
        # "a 45 minute delay", "2 hour wait": said as "you had a 45-minute delay"
        one, noun = unit.rstrip("s"), m.group("noun").lower()
        if longer or about == "over":
            clause = f"you had a {noun} of {length}"       # "a 4 hr and 15 min delay": over four hours
        elif n in ("a", "an"):
            clause = f"you had {n} {one}-long {noun}"
        else:
            clause = f"you had a {n}-{one} {noun}"
    else:
        where = " ".join((m.groupdict().get("where") or m.groupdict().get("place") or "").split())
        # (A town named after "in" keeps its capital: "stuck in Denver"; the rest is said in our words.)
        where = where if _IN_A_TOWN.fullmatch(where) else where.lower()
        where = re.sub(r"^on (?!the )", "on the ", where)     # "on ground": "on the ground"
        # "at this airport", "in Philadelphia airport": theirs, said as "the airport" (a name, lowered, would be
        # misspelt)
        where = re.sub(r"^(?:at|in) (?:the )?(?:[\w.'-]+ ){0,2}(airport|terminal|station)$", r"at the \1", where)
        stuck = "stranded" if how_put == "stranded" else "stuck"
        where = f" {where}" if where else ""
        clause = f"you were {stuck}{where} for {length}" if over else f"you've been {stuck}{where} for {length}"
    minutes = _NUMBER_WORDS.get(n) or (float(n) if n.replace(".", "", 1).isdigit() else 1.0)
    return clause, minutes * _UNIT_MINUTES.get(unit.rstrip("s"), 1) + (1 if about == "over" else 0)


# A trouble left unsorted for a time they measured: "they haven't sorted a simple replacement for 20
# months", "still not fixed after three weeks", "unresolved for months".
_UNSORTED_FOR = re.compile(
    r"\b(?:(?:haven't|hasn't|hadn't|have\s+not|has\s+not|still\s+not|still\s+isn't|isn't|wasn't|not|never)\s+"
    r"(?:been\s+|yet\s+|even\s+|properly\s+)*(?:sorted|fixed|resolved|solved|repaired|replaced|refunded|answered)"
    r"|unresolved|unsolved)\b[^.!?\n]{0,60}?\b(?:for|after|in)\s+(?:(?P<about>over|more\s+than|nearly|almost)\s+)?"
    r"(?:(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d{1,3})\s*)?"
    r"(?P<unit>days?|weeks?|months?|years?)\b", re.IGNORECASE)


def unresolved_for(text: str) -> str | None:
    """How long a trouble has gone unsorted, in the customer's count, said back as a clause ("this still
    hasn't been sorted after 20 months"), or None. Counted in days or longer: hours are a wait."""
    m = _UNSORTED_FOR.search(text)
    if not m or _NOT_A_WAIT_HAD.search(text, max(0, m.start() - 30), m.start()):
        return None
    n = (m.group("n") or "").lower()
    n = _SMALL_NUMBERS.get(n, n)
    unit = m.group("unit").lower()
    if n in ("a", "an", "one"):
        n, unit = "a", unit.rstrip("s")
    elif not unit.endswith("s"):
        unit += "s"
    about = " ".join((m.group("about") or "").lower().split())
    return "this still hasn't been sorted after " + " ".join(w for w in (about, n, unit) if w)


# ---- what the trouble cost them ------------------------------------------------------------------
# "Flight cancelled, missed wedding", "made me miss my meeting", "now I'll miss work": the occasion lost
# is what weighs most, and saying it back shows we read that far. The trouble itself (a flight, a
# connection) is said back elsewhere; only occasions and days of their life count here.
_OCCASIONS = (r"weddings?|funerals?|meetings?|interviews?|exams?|appointments?|cruise|concerts?|events?|birthday|"
              r"party|graduation|conference|surgery|operation|shift|class|classes|presentation|reception|"
              r"ceremony|work|school|christmas|show|game|dinner|engagement")
_MISSED = re.compile(r"\b(?P<verb>missed|miss|missing|late\s+for)\s+"
                     r"(?P<det>my|our|the|a|an|his|her|their|this|that)?\s*"
                     r"(?P<mod>(?:(?:best\s+friend|[a-z]+)'s\s+)?(?:(?!(?:and|or|to|for|of|in|on|at)\b)[a-z]+(?:'s)?\s+)?)"
                     rf"(?P<what>{_OCCASIONS})\b(?!['’]s|\s+(?:the|a|my|our|{_OCCASIONS})\b)", re.IGNORECASE)
# Made to miss it: as good as missed ("thanks for making me miss my meeting").
_MADE_TO = re.compile(r"\b(?:made|making|caused|causing|had|having)\s+(?:me|us)\s+(?:to\s+)?$", re.IGNORECASE)
# Missed only in a thought ("we would miss the funeral", "if not for her I'd have missed it", "we might
# miss a show"), nearly, or by someone else the reply is not speaking to ("many will now miss work").
_MISSED_IN_A_THOUGHT = re.compile(r"\b(?:would|could|might|may|if|almost|nearly|not|never|don't|didn't|dont|didnt|"
                                  r"won't|'d|worried|afraid|hope|risk|rather|many|others|people|everyone|they|he|"
                                  r"she|kids|children|family|colleagues|passengers)\b[^.!?;]*$", re.IGNORECASE)
_MISSED_WOULD_BE = re.compile(r"[^.!?;]{0,60}?\b(?:would|could)\b", re.IGNORECASE)
# (A show or a game "missing" is more often one gone from a recording or a library than one missed.)
_MISSING_THING = frozenset({"show", "game", "event", "events", "class", "classes"})
_OF_THEM = {"my": "your", "our": "your", "this": "the", "that": "the"}
_COMMON_MODS = frozenset({"own", "first", "important", "business", "family", "whole", "morning", "afternoon",
                          "evening", "work", "job", "next", "only", "last"})
_BARE = frozenset({"work", "school", "class", "classes", "christmas", "dinner"})


def missed_occasion(text: str) -> tuple[str, str] | None:
    """What the trouble made them miss, said as the reply says it ("the wedding", "your meeting", "work"),
    and how: "missed" already, "missing" about to be, or "late" for it ("made me late for my interview");
    None when they told of none."""
    for m in _MISSED.finditer(text):
        verb, what = " ".join(m.group("verb").lower().split()), m.group("what").lower()
        if verb == "missing" and what in _MISSING_THING:
            continue
        if _MISSED_IN_A_THOUGHT.search(text, max(0, m.start() - 40), m.start()) or _MISSED_WOULD_BE.match(
                text, m.end()):
            continue
        det = (m.group("det") or "").lower()
        mod = " ".join((m.group("mod") or "").split())
        mod = mod.lower() if mod.isupper() or mod.istitle() and mod.lower() in _COMMON_MODS else mod
        if mod.split(" ", 1)[0].endswith("'s"):
            pass     # "missed Sam's wedding", "my sister's wedding" (said "your sister's"), "the bride's"
        elif not det:
            det = "" if what in _BARE else ("your" if what.endswith("s") and what not in ("class", "christmas")
                                            else "the")
        det = _OF_THEM.get(det, det)
        if det in ("a", "an") and mod:
            det = "an" if mod[0] in "aeiou" else "a"
        if what == "christmas":
            what = "Christmas"
        said = " ".join(w for w in (det, mod, what) if w)
        if verb == "late for":
            return said, "late"
        return said, "missed" if verb == "missed" or _MADE_TO.search(text, max(0, m.start() - 20), m.start()) \
            else "missing"
    return None


# A journey to an occasion still ahead ("our flight to our wedding", "flight out of JFK for our honeymoon is
# delayed"): what the trip is for is what is at stake. (Not one back from it: "the flight home from our
# honeymoon".)
_TRIP_WORDS = r"flights?|trip|plane|train|journey|travel|travelling|traveling|flying|tickets?|cruise|drive|connection"
_AHEAD = re.compile(rf"\b(?:{_TRIP_WORDS})\b(?:\s+[\w'-]+){{0,4}}?\s+(?:to|for)\s+"
                    r"(?P<det>my|our|a|the|his|her|their)\s+(?P<mod>(?:best\s+friend|[a-z]+)'s\s+)?"
                    r"(?P<what>wedding|honeymoon|funeral|graduation|interview|surgery|operation|anniversary)\b",
                    re.IGNORECASE)


def occasion_ahead(text: str) -> str | None:
    """The occasion a journey in trouble is taking them to, said as the reply says it ("your wedding",
    "your sister's graduation", "the funeral"), or None when they told of none."""
    m = _AHEAD.search(text)
    if not m or _MISSED_IN_A_THOUGHT.search(text, max(0, m.start() - 40), m.start()):
        return None
    det = m.group("det").lower()
    mod = (m.group("mod") or "").strip().lower()
    if mod:
        det = _OF_THEM.get(det, det) if det in ("my", "our") else det
        return f"{det} {mod} {m.group('what').lower()}"
    det = "your" if det in ("my", "our") else "the" if det == "a" else _OF_THEM.get(det, det)
    return f"{det} {m.group('what').lower()}"


# ---- how many times they contacted us ----------------------------------------------------------------
# "I've called 4 times", "this is the third time I've emailed": the count shows we read them.
_TIMES_SAID = re.compile(
    r"\b(?:i|we)(?:'ve|\s+have)?\s+(?:now\s+|already\s+|literally\s+|just\s+)?(?P<verb>called|rang|phoned|emailed|"
    r"messaged|contacted|tweeted|chased|written\s+to)\s+(?:you(?:\s+guys)?\s+|customer\s+service\s+|your\s+team\s+|"
    r"support\s+|them\s+)?(?:about\s+(?:this|it)\s+)?(?P<over>(?:over|more\s+than)\s+)?"
    r"(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|several|multiple|numerous)\s+"
    r"(?:different\s+|separate\s+)?times\b", re.IGNORECASE)
# "I made three long and pointless phone calls", "after 4 calls and 2 emails": calls counted as a noun.
_CALLS_MADE = re.compile(r"\b(?:made|make|making|had\s+to\s+make|after|placed)\s+(?P<n>\d{1,2}|two|three|four|five|six|"
                         r"seven|eight|nine|ten|several|multiple|numerous)\s+(?:[\w-]+\s+(?:and\s+)?){0,3}?"
                         r"(?:phone\s+)?(?P<what>calls|emails)\b", re.IGNORECASE)
_NTH_TIME = re.compile(r"\b(?:this\s+is|it's|it\s+is|for)\s+(?:now\s+)?(?:the|my)\s+(?P<nth>second|third|fourth|fifth|"
                       r"sixth|2nd|3rd|4th|5th|6th)\s+time\b", re.IGNORECASE)
_VERB_TO_US = {"called": "call us", "rang": "call us", "phoned": "call us", "emailed": "email us",
               "messaged": "message us", "tweeted": "message us", "contacted": "contact us", "chased": "chase us",
               "written to": "write to us"}
_TIMES_WORDS = {"2": "twice", "two": "twice", "multiple": "several", "numerous": "several"}
_NTH = {"2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth"}


def contacts_counted(text: str) -> bool:
    """Whether the customer counts their calls or messages to us ("I've called 4 times", "I made three
    pointless phone calls"); "the second time" may count the trouble, not the contacts."""
    return any(m and not _NOT_A_WAIT_HAD.search(text, max(0, m.start() - 30), m.start())
               for m in (_TIMES_SAID.search(text), _CALLS_MADE.search(text)))


def contact_count(text: str) -> str | None:
    """How often the customer says they contacted us, as words after "you've had to" ("call us four
    times", "contact us for the third time"), or None."""
    m = _TIMES_SAID.search(text)
    if m and not _NOT_A_WAIT_HAD.search(text, max(0, m.start() - 30), m.start()):
        n = m.group("n").lower()
        n = _TIMES_WORDS.get(n, n)
        if n != "twice":
            over = "more than " if m.group("over") else ""
            n = f"{over}{_SMALL_NUMBERS.get(n, n)} times"
        verb = _VERB_TO_US[" ".join(m.group("verb").lower().split())]
        return f"{verb} {n}"
    m = _CALLS_MADE.search(text)
    if m and not _NOT_A_WAIT_HAD.search(text, max(0, m.start() - 30), m.start()):
        n = m.group("n").lower()
        n = _TIMES_WORDS.get(n, n)
        if n != "twice":
            n = f"{_SMALL_NUMBERS.get(n, n)} times"
        return f"{'call' if m.group('what').lower() == 'calls' else 'email'} us {n}"
    m = _NTH_TIME.search(text)
    if m:
        nth = m.group("nth").lower()
        return f"contact us for the {_NTH.get(nth, nth)} time"
    return None
