"""What undoes a phrase match: a negator governing it ("never had a problem") or a word saying the
problem is over ("problem solved"). Both look only a few words away and stop at a clause break."""
from __future__ import annotations

from .packs import Pack
from .words import Words


def negator_before(pack: Pack, words: Words, i: int) -> int | None:
    """Position of the negator that governs the match at word ``i``, if any.

    A negator counts only when every word between it and the cue is "transparent" (articles,
    "at all", "had", "any"...): "never had a problem" is negated, "can't fix the problem" and
    "can't believe how frustrating" are not. Commas, sentence ends and "but" end its reach.
    """
    k = i
    for _ in range(pack.negation_window + 1):
        if words.clause_start(k):
            return None
        k -= 1
        norm = words.norms[k]
        if norm in pack.negators:
            return None if _superlative(words.norms[k + 1:i]) else k
        if norm in pack.negation_scope_breaks or norm not in pack.negation_transparent:
            return None
    return None


def _superlative(between) -> bool:
    """"couldn't be more useless", "couldn't have been any ruder": the negator says there is no worse,
    it does not undo the word."""
    return any(a in ("be", "been", "get") and b in ("more", "any") for a, b in zip(between, between[1:]))


def resolution_near(pack: Pack, words: Words, first: int, last: int) -> int | None:
    """A word saying the problem is over ("problem solved", "fixed the issue"), next to the match.
    Asking whether it is over says it is not yet: "is the outage fixed yet?", "has the fault been
    resolved?"."""
    at = _resolution_word(pack, words, first, last)
    if at is None or _asked_if_over(words, at):
        return None
    return at


def _asked_if_over(words: Words, k: int) -> bool:
    """The resolution word at ``k`` is followed by "yet", or its sentence ends in a question mark."""
    n = len(words)
    if k + 1 < n and words.norms[k + 1] == "yet" and not words.clause_start(k + 1):
        return True
    end = k
    while end + 1 < n and not words.sentence_start(end + 1):
        end += 1
    gap = words.gaps[end + 1] if end + 1 < n else words.tail
    return "?" in gap


def _resolution_word(pack: Pack, words: Words, first: int, last: int) -> int | None:
    resolved = pack.resolved
    transparent = pack.negation_transparent
    norms = words.norms
    k = last + 1
    for _ in range(3):  # after: "issue (has been) resolved"
        if k >= len(norms) or words.clause_start(k):
            break
        if norms[k] in resolved:
            return k
        if norms[k] not in transparent:
            break
        k += 1
    k = first - 1
    for _ in range(3):  # before: "solved (the) problem"
        if k < 0 or words.clause_start(k + 1):
            break
        if norms[k] in resolved:
            return k
        if norms[k] not in transparent:
            break
        k -= 1
    return None
