"""A cue's ``context`` rule (pack data): a hit is kept only when what the rule needs stands around it
(a word, a slot's word, a cue of a category, or a question) within a window, the sentence or the
message, and no ``unless`` word does. A kept hit's span grows to take in the word that satisfied it."""
from __future__ import annotations

from bisect import bisect_left
from typing import Mapping

from .words import Words


def apply_context(slots: Mapping[str, frozenset], words: Words, canon, hits):
    """Keep the hits whose cue finds what it needs around it (pack ``context``); a kept hit's span
    grows to take in the word that satisfied it ("my profile ... gone"), so the evidence reads whole.
    Hits are (cue, first word, last word, score)."""
    return [widened for _, widened in kept_with_origin(slots, words, canon, hits)]


def kept_with_origin(slots: Mapping[str, frozenset], words: Words, canon, hits):
    """As :func:`apply_context`, each kept hit paired with the hit it came from (before its span grew)."""
    free = [(h, h) for h in hits if h[0].context is None]
    # A cue kept or dropped by its ``unless`` words alone ("nervous", not "my nervous nan") is settled
    # first, and then stands as context for others like a cue without a context ("today" beside it).
    settled = [h for h in hits if h[0].context is not None and not h[0].context.required
               and not h[0].context.unless_categories]
    kept = list(free)
    for h in settled:
        cue, i, last, score = h
        span = _context_span(slots, words, canon, cue.context, i, last, {})
        if span is not None:
            kept.append((h, (cue, span[0], span[1], score)))
    by_category: dict[str, list[tuple[int, int]]] = {}
    for _, (cue, i, last, _score) in kept:
        by_category.setdefault(cue.category, []).append((i, last))
    settled_ids = {id(h) for h in settled}
    for h in hits:
        cue, i, last, score = h
        if cue.context is not None and id(h) not in settled_ids:
            span = _context_span(slots, words, canon, cue.context, i, last, by_category)
            if span is not None:
                kept.append((h, (cue, span[0], span[1], score)))
    return kept


def _context_span(slots, words: Words, canon, ctx, i: int, last: int, by_category) -> tuple[int, int] | None:
    """The span a context-bound hit at [i, last] is kept with, or None when its context is missing
    (or an ``unless`` word is there)."""
    lo, hi = _scope(words, ctx, i, last)
    outside = (i, i - 1) if ctx.unless_inside else (i, last)
    if (ctx.unless_words or ctx.unless_slots or ctx.unless_categories) and _context_hit(
            slots, words, canon, (lo, hi), outside, ctx.unless_words, ctx.unless_slots, ctx.unless_categories,
            by_category) is not None:
        return None
    if not ctx.required:
        return i, last
    at = _context_hit(slots, words, canon, (lo, hi), (i, last), ctx.words, ctx.slots, ctx.categories, by_category)
    if at is None and ctx.question and (_question_after(words, hi) or _asked_without_mark(slots, words, lo)):
        at = (i, last)
    if at is None and ctx.imperative and _opens_sentence(words, i):
        at = (i, last)
    if at is None:
        return None
    if ctx.scope == "window":
        return min(i, at[0]), max(last, at[1])
    return i, last


def _asked_without_mark(slots, words: Words, k: int) -> bool:
    """The sentence holding word ``k`` is put as a question though no "?" ends it: it opens with a
    question word and a verb ("how can I remove my account. need to do it today") or with a verb and
    its subject ("can you check my order pls"). The pack's ``question_word`` and ``question_verb``
    slots say which words; without them, only "?" marks a question."""
    verbs = slots.get("question_verb")
    if not verbs:
        return False
    first = words.sentence_of(k)[0]
    if first + 1 >= len(words):
        return False
    a, b = words.norms[first], words.norms[first + 1]
    return (a in slots.get("question_word", ()) and b in verbs) or (a in verbs and b in slots.get("self", ()) | {"you", "it", "there", "this", "that"})


# Words that may come before an imperative without making it something else: "please cancel it",
# "just refund me".
_BEFORE_IMPERATIVE = frozenset({"please", "pls", "plz", "just", "so", "now", "kindly", "and", "then"})


def _opens_sentence(words: Words, k: int) -> bool:
    """The match at word ``k`` opens its sentence, an imperative ("Cancel my contract.", "Refund it by
    Friday"), with at most two softeners before it ("please just cancel it")."""
    first = k
    while first > 0 and not words.sentence_start(first) and k - first < 3:
        first -= 1
    if not words.sentence_start(first):
        return False
    return all(words.norms[j] in _BEFORE_IMPERATIVE for j in range(first, k))


def _question_after(words: Words, k: int) -> bool:
    """A question mark closes the sentence whose last word is ``k``."""
    gap = words.gaps[k + 1] if k + 1 < len(words) else words.tail
    return "?" in gap


def _scope(words: Words, ctx, i: int, last: int) -> tuple[int, int]:
    """Word range [lo, hi] a context is looked for in: a window within the sentence, the sentence,
    or the whole message."""
    if ctx.scope == "message":
        return 0, len(words) - 1
    lo, hi = words.sentence_of(i)[0], words.sentence_of(last)[1]
    if ctx.scope == "sentence":
        return lo, hi
    return max(lo, i - ctx.window), min(hi, last + ctx.window)


def _context_hit(slots, words: Words, canon, scope: tuple[int, int], match: tuple[int, int], wanted_words,
                 slot_names, categories, by_category) -> tuple[int, int] | None:
    """Word span of the first wanted word, slot word or category cue in ``scope`` = [lo, hi] outside
    ``match`` = [i, last]."""
    (lo, hi), (i, last) = scope, match
    if wanted_words or slot_names:
        k = _wanted_word_at(words, canon, scope, match, wanted_words, [slots[name] for name in slot_names])
        if k is not None:
            return k, k
    for category in categories:
        for a, b in by_category.get(category, ()):
            if b >= lo and a <= hi and not (a >= i and b <= last):
                return a, b
    return None


def _wanted_word_at(words: Words, canon, scope: tuple[int, int], match: tuple[int, int], wanted_words,
                    slot_sets) -> int | None:
    """The first word in ``scope``, outside ``match``, that is wanted or in a wanted slot (as written, or
    as the pack word a typo stands for)."""
    (lo, hi), (i, last) = scope, match
    if hi - lo > _LONG_SCOPE:
        return _wanted_word_in_long_scope(words, canon, scope, match, wanted_words, slot_sets)
    for k in range(lo, hi + 1):
        if i <= k <= last:
            continue
        norm = words.norms[k]
        ck = canon[k]
        forms = (norm,) if ck is None or ck[0] == norm else (norm, ck[0])
        for form in forms:
            if form in wanted_words or any(form in slot for slot in slot_sets):
                return k
        if norm.isdigit() and any("#digits" in slot for slot in slot_sets):
            return k    # a slot's "#digits": any number written in digits ("5 miles", "300 miles")
    return None


# Beyond this many words, a context looks words up where they stand rather than reading every word: a
# run-on message of thousands of words is one sentence, and a cue found in it many times would read it
# again each time.
_LONG_SCOPE = 64


def _wanted_word_in_long_scope(words: Words, canon, scope: tuple[int, int], match: tuple[int, int], wanted_words,
                               slot_sets) -> int | None:
    """As :func:`_wanted_word_at`, from the words' positions (``Words.positions``): the same first word."""
    (lo, hi), (i, last) = scope, match
    at, digits = words.positions(canon)
    wanted = set(wanted_words)
    for slot in slot_sets:
        wanted |= slot
    forms = [f for f in at if f in wanted] if len(at) < len(wanted) else [f for f in wanted if f in at]
    lists = [at[f] for f in forms] + ([digits] if any("#digits" in slot for slot in slot_sets) else [])
    best = None
    for places in lists:
        j = bisect_left(places, lo)
        if j < len(places) and i <= places[j] <= last:
            j = bisect_left(places, last + 1)
        if j < len(places) and places[j] <= hi and (best is None or places[j] < best):
            best = places[j]
    return best
