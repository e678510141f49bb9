"""Turn the customer's own clause around: "I tried to export my data" -> "you've been trying to export your data".

Conservative by design: agents ignore a suggestion with broken grammar, so anything we are not sure
of returns ``None`` and the composer uses a generic sentence instead. The rewrite only

* takes the clause (from its first-person subject to the end of the sentence) holding a cue,
* swaps pronouns (I -> you, my -> your, me -> you, we -> you, our -> your, am/was after I -> are/were),
* rewrites a few common heads ("I tried to" -> "you've been trying to"; a subjectless "can't log in"
  -> "you can't log in"; "how do I cancel" -> "you'd like to know how to cancel"),
* and trims what cannot be said back (greetings, "please", trailing punctuation, emoji, links, @handles).

It refuses clauses that are too short or too long (> 25 words), that address us as "you" (we would
have to guess subject from object to turn it around), that hold quotes, markup characters or words
the customer would not want to read back (``never_echo``), or that end on a dangling word.
Pure functions over strings; the cost is a few regex passes over one sentence. Finding the clause
is clause_span.py's part.
"""
from __future__ import annotations

import re
from typing import Iterable

from .clause_span import FIRST_PERSON, MAX_WORDS, WORD, clause_for, mask

MIN_WORDS = 3
MAX_CHARS = 170
MAX_ATTEMPTS = 6

# What a clause may hold: letters, digits, spaces and plain punctuation. Anything else (<, >, {, `, *,
# quotes, emoji left over) means we do not quote it back: that also keeps markup out of replies.
# (A colon only inside a time: "the 8:33 bus never came".)
_SAFE = re.compile(r"^[^\W_]+(?:(?:[\s'\-,./&%$£€+#]|(?<=\d):(?=\d))[^\W_]*)*$")

_SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "im": "you're", "i've": "you've", "ive": "you've", "i'd": "you'd", "i'll": "you'll",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "we're": "you're", "we've": "you've", "we'd": "you'd", "we'll": "you'll",
    # The customer's "your" is the company: said back by the agent it becomes "our".
    "your": "our", "yours": "ours",
}
# After "I" the verb changes too: "I am" -> "you are", "I was" -> "you were".
_AFTER_I = {"am": "are", "was": "were", "wasn't": "weren't", "amn't": "aren't"}
# A clause said back must open with a subject we can vouch for: a pronoun turned around, a determiner
# ("the export", "this page") or an implied "you". "Third time asking" or "Outlook crashed" do not.
_GOOD_START = frozenset({"you", "you're", "you've", "you'd", "you'll", "your", "our", "the", "this", "that",
                         "it", "its", "it's", "there", "these", "those", "a", "an", "every", "each", "some",
                         "all", "nothing", "no", "none", "nobody", "someone", "somebody", "everything"})
# Text some sources pass on mangled by a find-and-replace ("late" -> "Late Flight", "cancel" -> "Cancelled
# Flight"): read for its meaning, never said back.
_MANGLED = re.compile(r"\b(?:Late|Cancelled)\s+Flight")
# Things a tweet names without their article ("link doesn't work", "package never arrived"), and the words
# that follow a thing as its subject: only then is "the" put back.
_BARE_THINGS = frozenset({"app", "link", "website", "site", "page", "package", "parcel", "order", "delivery",
                          "payment", "refund", "password", "login", "internet", "wifi", "broadband", "printer",
                          "laptop", "update", "code", "voucher", "screen", "battery", "charger", "router", "signal",
                          "connection", "item", "product", "bus", "train", "flight"})
_SAID_OF_A_THING = frozenset({"doesn't", "isn't", "won't", "wasn't", "hasn't", "didn't", "can't", "keeps", "kept",
                              "never", "still", "stopped", "crashed", "crashes", "failed", "fails", "froze", "freezes"})
# Customers often drop apostrophes; said back, the words need them.
_APOSTROPHE = {"cant": "can't", "dont": "don't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't",
               "wasnt": "wasn't", "wont": "won't", "havent": "haven't", "hasnt": "hasn't", "couldnt": "couldn't",
               "wouldnt": "wouldn't", "arent": "aren't", "werent": "weren't", "shouldnt": "shouldn't",
               "its": "its", "thats": "that's", "theres": "there's"}
# "you" in the customer's words means us; we would have to tell subject from object to turn it: refuse.
_SECOND_PERSON = frozenset({"you", "you're", "you've", "you'd", "you'll", "u", "ur", "yourself", "yourselves",
                            "ya", "y'all"})
_LEADING_FILLER = frozenset({"but", "and", "so", "also", "now", "then", "well", "ok", "okay", "hi", "hey",
                             "hello", "please", "pls", "plz", "just", "however", "anyway", "btw", "sadly",
                             "unfortunately", "honestly", "basically", "or", "because", "though", "again",
                             "quick", "one", "yes", "no", "sorry", "urgent"})
_THEIR_APOLOGY = re.compile(r"^(?:(?:i'?m|i am)\s+(?:so\s+|really\s+)?sorry|sorry)(?:\s+but\b|\s*,)\s*",
                            re.IGNORECASE)
# Their hedge before the trouble ("I think there was a bug in your search") is theirs: said back it reads
# "sorry that you think ...", which doubts them.
_THEIR_HEDGE = re.compile(r"^(?:i\s+(?:think|believe|guess|suspect|feel\s+like)|it\s+(?:seems|looks)\s+like|"
                          r"apparently)(?:\s+that)?\s+", re.IGNORECASE)
# A purpose pointing back at something said before ("we waited in line for an hour to do so"): said back
# alone it points at nothing. Not the thing a verb needs ("can't seem to do it", "tried to do that").
_TO_DO_THAT = re.compile(r"(?<!\bseem)(?<!\bseems)(?<!\btry)(?<!\btried)(?<!\btrying)(?<!\bwant)(?<!\bwanted)"
                         r"(?<!\bneed)(?<!\bable)(?<!\bhow)(?<!\bhave)(?<!\bhas)(?<!\bhad)(?<!\bmanaged)"
                         r"(?<!\ballowed)(?<!\bway)(?<!\bgoing)"
                         r"\s+(?:in order\s+to do (?:so|that|this|it)|to do so)$", re.IGNORECASE)
_TRAILING_FILLER = frozenset({"please", "pls", "plz", "thanks", "thx", "ty", "lol", "haha", "help", "asap",
                              "again", "guys", "team", "now", "though"})
_DANGLING = frozenset({"a", "an", "the", "to", "of", "for", "with", "and", "or", "but", "your", "our", "in",
                       "on", "at", "from", "by", "is", "are", "were", "be", "been", "that", "this", "so",
                       "because", "if", "when", "what", "why", "which", "who", "than", "as", "into", "about",
                       "my", "i", "can't", "cannot", "couldn't", "not", "very", "really", "just", "it's",
                       "its", "their", "her", "his", "some", "any", "no", "has", "have", "had", "can", "will",
                       "need", "want", "you", "get", "got", "like", "would", "could", "should", "do", "does"})
_LOWER_AT_START = frozenset({"the", "this", "that", "it", "its", "it's", "there", "these", "those", "a", "an",
                             "every", "each", "some", "all", "nothing", "no", "none", "your", "our"})
# Subjectless clauses (chat style: "can't log in to my account"): the subject to add, by first word.
_IMPLIED_SUBJECT = {
    "can't": "you", "cant": "you", "cannot": "you", "couldn't": "you", "still": "you",
    "keep": "you", "kept": "you", "tried": "you've", "been": "you've", "unable": "you've been",
    "trying": "you've been", "having": "you're", "stuck": "you're",
    "haven't": "you", "havent": "you", "can": "you", "have": "you", "want": "you", "wanted": "you",
    "lost": "you've", "locked": "you've been", "ordered": "you", "bought": "you", "paid": "you",
    "booked": "you", "sent": "you", "called": "you", "emailed": "you", "received": "you", "got": "you",
    "signed": "you", "updated": "you", "installed": "you", "downloaded": "you", "waiting": "you're",
    "still_ing": "you're",
    # "Still no update", "still not fixed": nothing has come, nothing has been done; not of the writer.
    "still_no": "there's", "still_no_plural": "there are", "still_not": "it's",
    # "Been almost two weeks and my order has yet to arrive": the time is what has been, not the writer.
    "been_a_time": "it's",
    # "Still stuck outside Leeds": where they are, "you're still stuck", never "you still stuck".
    "still_in_a_state": "you're",
    # "Now won't let me print my state filing": the thing that stops them.
    "stops": "it",
}
_STOPS = frozenset({"won't", "wont", "wouldn't", "wouldnt", "doesn't", "doesnt", "didn't", "didnt"})
_STILL_IN_A_STATE = frozenset({"stuck", "stranded", "trapped", "locked", "here", "there", "unable", "without", "sat",
                               "on", "at", "in", "unwell", "sick", "ill", "awake", "outside", "inside"})
_BEEN_A_TIME = re.compile(r"been (?:(?:almost|nearly|over|about|around|like|more than|at least|well over) )?"
                          r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|"
                          r"(?:a )?few) ?(?:min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|wks?|months?|years?|yrs?)\b", re.I)
_LEAVES_THE_THING = frozenset({"on", "at", "for", "in", "of", "from", "to", "after", "since", "with", "about"})
_SINGULAR_IN_S = frozenset({"news", "status", "series", "bus", "gas", "progress", "access"})
_STILL_NOT_DONE = frozenset({"fixed", "sorted", "resolved", "working", "received", "arrived", "delivered", "here",
                             "back", "refunded", "answered", "loading", "showing", "connected", "updated"})
_HEADS = (
    (re.compile(r"^you(?:'ve| have)? (?:tried|attempted)(?: again)? to |^you(?:'ve| have) been trying to "
                r"|^you (?:keep|kept) trying to |^you(?:'re| are| were) trying to ", re.I), "you've been trying to "),
    (re.compile(r"^you(?:'ve| have)? tried ", re.I), "you've tried "),
)
# After "you've been trying to X", "but can't seem to Y" reads better as "and couldn't Y".
_BUT_CANT = re.compile(r" but (?:can't|cannot|couldn't|can not)(?: seem to| quite)? ", re.I)
_CONFUSED = re.compile(r"\b(?:(?:so|very|totally|completely|really|quite|super|a bit|a little|kind of)\s+)?"
                       r"confused\b", re.I)
_LOST = re.compile(r"(?<=\byou're )(?:so |very |totally |completely |really |a bit |a little )?lost (?:with|about|on|in)\b",
                   re.I)
_DONT_KNOW = re.compile(r"\byou (?:(didn't)|don't|do not) know\b", re.I)
_QUESTION = (
    (re.compile(r"^(?:so |and |but )?(?:how|hows) (?:do|can|should|could|would) (?:i|we) (.+)$", re.I),
     "you'd like to know how to {}"),
    (re.compile(r"^(?:so |and |but )?(?:where|wheres) (?:do|can|should|could) (?:i|we) (.+)$", re.I),
     "you'd like to know where to {}"),
    (re.compile(r"^(?:so |and |but )?is there (?:a|any) way (?:for me |for us )?to (.+)$", re.I),
     "you're looking for a way to {}"),
    # Asked of us: "can you tell me how to file a claim ...", "could someone show me how I can ...", "how to ...?"
    (re.compile(r"^(?:so |and |but )?(?:please )?(?:can|could|would|will) (?:you|someone|anyone|u) (?:please |pls )?"
                r"(?:tell|show|explain to|let) (?:me|us) how (?:to|do i|can i|i can|i|do we|can we|we can|we) (.+)$",
                re.I), "you'd like to know how to {}"),
    (re.compile(r"^(?:so |and |but )?(?:please )?(?:can|could|would|will) (?:you|someone|anyone|u) (?:please |pls )?"
                r"(?:tell|show|let) (?:me|us) where (?:to|do i|can i|i can|i|do we|can we|we can|we) (.+)$",
                re.I), "you'd like to know where to {}"),
    (re.compile(r"^(?:so |and |but )?how to (.+)$", re.I), "you'd like to know how to {}"),
)


def turn_around(clause: str, *, never_echo: Iterable[str] = (), question: bool = False) -> str | None:
    """The clause said back to the customer, or None when it would not come out right.

    A question is only said back when it has a known shape ("how do I ..."): turning "why was I
    charged" into a statement would change what the customer said.
    """
    clause = _trimmed(clause)
    if not clause:
        return None
    for rx, shape in _QUESTION:
        m = rx.match(clause)
        if m:
            rest = turn_pronouns(m.group(1))
            return _finish(shape.format(rest) if rest else None, never_echo)
    if question:
        return None
    head = clause.split(" ", 2)
    first = head[0].lower()
    second = head[1].lower() if len(head) > 1 else ""
    if first not in FIRST_PERSON and (first in _IMPLIED_SUBJECT or (first in _STOPS and second in ("let", "allow"))):
        third = head[2].split(" ")[0].lower().strip(",.!?") if len(head) > 2 else ""
        key = first
        if first == "still" and second.endswith("ing"):
            key = "still_ing"
        elif first == "still" and second in ("no", "zero"):
            key = "still_no"
            # What has not come, up to the first word that leaves it ("still no gate and still have to ..."):
            # "there's still no update", "there are still no bags".
            words = clause.split(" ")
            cut = next((i for i, w in enumerate(words[2:], 2) if w.lower() in ("and", "but", "&")), len(words))
            clause = " ".join(words[:cut])
            thing = next((w for w in words[2:cut] if w.lower() in _LEAVES_THE_THING), None)
            named = words[2:words.index(thing) if thing else cut]
            head_word = named[-1].lower().strip(",.!?") if named else ""
            if head_word.endswith("s") and not head_word.endswith("ss") and head_word not in _SINGULAR_IN_S:
                key = "still_no_plural"
        elif first == "still" and second == "not" and third in _STILL_NOT_DONE:
            key = "still_not"
        elif first == "still" and second in _STILL_IN_A_STATE:
            key = "still_in_a_state"
        elif first in _STOPS and second in ("let", "allow"):
            key = "stops"
        elif first == "been" and _BEEN_A_TIME.match(clause):
            key = "been_a_time"
        clause = f"{_IMPLIED_SUBJECT[key]} {clause[0].lower()}{clause[1:]}"
        swapped = turn_pronouns(clause, implied=True)
    else:
        swapped = turn_pronouns(clause)
    return _finish(swapped, never_echo)


def _trimmed(clause: str) -> str | None:
    """The clause without shouting, leading and trailing fillers and edge punctuation; None when
    nothing safe is left."""
    clause = " ".join(clause.split()).strip(" ,.;:-!?")
    if not clause or not _SAFE.match(clause):
        return None
    letters = [c for c in clause if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.6 and len(letters) > 3:
        clause = clause.lower()  # never shout back
    # Their own apology before the trouble ("I'm sorry but reset hasn't worked") is theirs, not the trouble:
    # said back it would read "sorry you're sorry".
    clause = _THEIR_APOLOGY.sub("", clause)
    clause = _THEIR_HEDGE.sub("", clause)
    clause = _TO_DO_THAT.sub("", clause)
    words = clause.split(" ")
    while words and words[0].lower().strip(",") in _LEADING_FILLER:
        words.pop(0)
    while words and words[-1].lower().strip(",.") in _TRAILING_FILLER:
        words.pop()
    words = [w for i, w in enumerate(words) if not _emphasis(w, words[i + 1] if i + 1 < len(words) else "")]
    return " ".join(words).strip(" ,.") or None


# The customer's emphasis ("definitely weren't full", "can't even find"): said back by us it reads as
# mockery or as doubting them, and the clause says the same without it.
_EMPHASIS = frozenset({"definitely", "literally", "actually", "seriously", "clearly", "obviously", "honestly",
                       "totally", "absolutely", "even", "actual"})
_EVEN_JOINS = frozenset({"though", "if", "when", "so", "after", "before", "more", "less", "worse", "better",
                         "further", "then"})


def _emphasis(word: str, following: str) -> bool:
    low = word.lower()
    return low in _EMPHASIS and not (low == "even" and following.lower().strip(",.") in _EVEN_JOINS)


def turn_pronouns(clause: str, *, implied: bool = False) -> str | None:
    """Swap first person for second (and the customer's "your" for our "our"); None if it has "you"."""
    out: list[str] = []
    pos = 0
    prev = ""
    first = True
    for m in WORD.finditer(clause):
        word = m.group()
        low = word.lower()
        if low in _SECOND_PERSON and not (implied and first):
            return None
        if low in _APOSTROPHE:
            low = _APOSTROPHE[low]
            word = low
        if low in _SWAP:
            new = _SWAP[low]
        elif prev == "i" and low in _AFTER_I:
            new = _AFTER_I[low]
        elif first and (low in _LOWER_AT_START or implied) and not word.isupper():
            new = low
        else:
            new = word
        out.append(clause[pos:m.start()])
        out.append(new)
        pos = m.end()
        prev = low
        first = False
    out.append(clause[pos:])
    return "".join(out)


def _finish(text: str | None, never_echo: Iterable[str]) -> str | None:
    if not text:
        return None
    text = _softened(" ".join(text.split()).strip(" ,."))
    words = text.split(" ")
    low = [w.lower().strip(",.") for w in words]
    # "... and you need [help]" -> cut at the last "and"/"but" rather than end on a dangling word.
    while low and low[-1] in _DANGLING:
        cut = max((i for i, w in enumerate(low) if w in ("and", "but")), default=-1)
        if cut < MIN_WORDS:
            break
        words, low = words[:cut], low[:cut]
    if _MANGLED.search(text):
        return None     # "a flight that was too Late Flight": words a find-and-replace broke, not theirs to echo
    if bare_thing_opens(text):
        # "link doesn't seem to work", "app keeps crashing": a tweet's dropped article, put back.
        # (A capital it had for opening the sentence goes: "Site won't load" -> "the site won't load".)
        words, low = ["the", words[0].lower()] + words[1:], ["the"] + low
    if not low or (low[0] not in _GOOD_START and low[:2] != ["there's", "still"]):
        return None
    if low[-1] in ("where", "how"):
        words.append("to do it")
        low.append("it")
    return " ".join(words) if _sayable(low, text, set(never_echo)) else None


def bare_thing_opens(clause: str) -> bool:
    """The clause opens on a thing named without its article and what it does or did ("link doesn't work")."""
    low = clause.lower().split()[:2]
    return len(low) == 2 and low[0] in _BARE_THINGS and low[1].strip(",.") in _SAID_OF_A_THING


def _softened(text: str) -> str:
    """The clause's head in our words ("you've been trying ..."), and no judgement of the customer
    ("confused" -> "unsure")."""
    for rx, head in _HEADS:
        if rx.match(text):
            text = rx.sub(head, text, count=1)
            if head.startswith("you've been trying") and _BUT_CANT.search(text):
                text = _BUT_CANT.sub(" and couldn't ", text, count=1)
            break
    text = _CONFUSED.sub("unsure", text)
    # "you don't know how" reads as a judgement when said back; "you're not sure how" does not.
    text = _DONT_KNOW.sub(lambda m: "you weren't sure" if m.group(1) else "you're not sure", text)
    return _LOST.sub("unsure about", text)


def _sayable(low: list[str], text: str, banned: set[str]) -> bool:
    """Long enough, short enough, not ending on a dangling word, no word twice in a row, nothing banned."""
    if not MIN_WORDS <= len(low) <= MAX_WORDS or len(text) > MAX_CHARS:
        return False
    if low[-1] in _DANGLING or any(a == b for a, b in zip(low, low[1:])):
        return False
    return not (banned and any(w in banned for w in low))


def paraphrase(text: str, spans: Iterable[tuple[int, int]], *, never_echo: Iterable[str] = (),
               masked: str | None = None, from_cue: Iterable[tuple[int, int]] = ()) -> str | None:
    """The first of the given cue spans (best first) whose clause turns around cleanly, said back.

    Spans listed in ``from_cue`` start their clause at the span itself (a stated need, "I need to
    close her account", said back without the sentence's earlier words).
    """
    exact = set(from_cue)
    spans = list(spans)[:MAX_ATTEMPTS]  # the best few: a long angry message can hold dozens of cues
    masked = masked if masked is not None else mask(text)
    banned = frozenset(never_echo)
    tried: set[str] = set()
    for start, end in spans:
        for tight in (False, True):
            clause, question = clause_for(masked, start, end, from_cue=(start, end) in exact, tight=tight)
            if not clause or clause in tried:
                continue
            tried.add(clause)
            result = turn_around(clause, never_echo=banned, question=question)
            if result:
                return result
    return None
