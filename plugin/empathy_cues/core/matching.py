"""Cue matching: finds a pack's phrases in cleaned text, tolerant of typos, aware of negation.

How it stays fast (see ARCHITECTURE.md, "Matching fast"): the text is lower-cased and split into words
once, by regex, with offsets kept; sentence and clause breaks are found by one more regex and looked up
by bisection only where a candidate needs them. Each word maps to the pack's vocabulary through an
exact set first and, only for unknown words of some length, through a memoised rapidfuzz lookup with a
score cutoff. Candidate phrases come from a two-level index (first word, then second word); each
candidate is verified with one rapidfuzz score against the cue's threshold, and a few words before it
are checked for a negator. Everything that depends only on the pack is built once in :class:`Matcher`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .packs import SLOT_TOKEN, Cue, Pack
from .words import MEMO_LIMIT, Words, WordTable, segment

_CAPS_WORD = re.compile(r"(?<![@#\w/.])[A-Z][A-Z']*[A-Z]\b")  # not @HANDLES, #TAGS or inside links
_CAPS_RUN = re.compile(r"[A-Z]{3,}")
_CAPS_GAP = re.compile(r"[ \t,'A-Z]*")


class CueMatch(NamedTuple):
    """One cue found in a message. A named tuple: immutable, and cheap to make on the hot path."""

    cue_id: str
    category: str
    matched: str      # text[start:end]: the customer's own words
    score: float      # 0..100, rapidfuzz ratio of the matched words against the phrase
    start: int
    end: int
    apology: bool
    priority: bool
    source: str = "body"   # "body": spans index Analysis.text; "subject": they index Analysis.subject
    weight: float = 1.0    # the cue's evidence (pack data): 1.0 alone owes an apology, 0.5 needs another
    priority_weight: float = 1.0  # its evidence toward a priority follow-up

    def to_dict(self) -> dict:
        return {"cue_id": self.cue_id, "category": self.category, "matched": self.matched,
                "score": round(self.score, 1), "start": self.start, "end": self.end, "source": self.source}


@dataclass(frozen=True)
class NegatedMatch:
    cue_id: str
    matched: str
    negator: str     # the word that undid it ("not", "never", "solved")
    start: int
    end: int


@dataclass(frozen=True)
class MatchResult:
    cues: tuple[CueMatch, ...]
    negated: tuple[NegatedMatch, ...]


def _fuzzy_targets(words: set[str], min_length: int) -> dict[str, list[str]]:
    """Words a typo may stand for: only words long enough that one typo cannot turn them into another
    common word ("lost" vs "last"), grouped by first letter (typos rarely hit it)."""
    targets: dict[str, list[str]] = {}
    for word in sorted(words):
        if len(word) >= min_length and word.isalpha():
            targets.setdefault(word[0], []).append(word)
    return targets


def _context_words(pack: Pack) -> set[str]:
    """The words that cues' context rules look for, their slots' words included."""
    words: set[str] = set()
    for c in pack.cues:
        if c.context is None:
            continue
        words.update(c.context.words)
        words.update(c.context.unless_words)
        for name in c.context.slots + c.context.unless_slots:
            words.update(w for w in pack.slots[name] if w != "#digits")
    return words


class Matcher:
    """A pack compiled for matching. Build once per pack; ``find`` is then pure (a word memo aside)."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._joins = dict(pack.joins)
        self._aliases = dict(pack.aliases)
        aliases = self._aliases
        self._normal_form = WordTable(lambda w: aliases.get(w.replace("'", ""), w.replace("'", "")))
        self._not_joins = frozenset(joined for (_, second), joined in pack.joins.items() if second == "not")
        # Only a problem can be "solved": a feeling or a repeat contact is not undone by "fixed".
        self._resolvable = frozenset({"problem", "struggle", "confusion"})
        self._single, self._multi, phrase_words = self._index_phrases(pack)
        self._bigrams = frozenset((first, second) for first, by_second in self._multi.items() for second in by_second)
        self._loose_firsts = frozenset(first for first, by_second in self._multi.items() if "*" in by_second)
        self._fuzzy_targets = _fuzzy_targets(phrase_words, pack.fuzzy_min_length)
        # Context words and slot words are matched like phrase words (typos included), but are no
        # fuzzy targets of their own.
        self._vocab = frozenset(phrase_words | _context_words(pack))
        self.vocabulary = self._vocab  # the pack's words (for telling a covered language apart)
        self._memo: dict[str, tuple[str, float] | None] = {}
        self._canon_table = WordTable(self.canonical)
        # Hashtags run together ("#neveragain") are read as the pack's words they are made of.
        vocab = self._vocab
        self._hashtags = WordTable(lambda tag: segment(tag, vocab))
        # Longest first, so "!!!" is found before "!!" at the same place.
        self._symbols = sorted(((symbol, cue) for cue in pack.cues for symbol in cue.symbols),
                               key=lambda item: -len(item[0]))
        self._shouting_cue = next((c for c in pack.cues if c.detector == "shouting"), None)
        self._has_context = any(c.context is not None for c in pack.cues)
        self._role_of = {c.id: c.role for c in pack.cues}
        self.cue_by_id = {c.id: c for c in pack.cues}

    def detector_cue(self, detector: str) -> Cue | None:
        """The pack's cue found by a built-in detector of that name, if the pack (still) has one."""
        return next((c for c in self.pack.cues if c.detector == detector), None)

    def _index_phrases(self, pack: Pack):
        """Two-level index: first word -> one-word phrases, and first word -> second word -> longer
        phrases. Most words start no phrase; most that do are followed by a word that continues none,
        so a candidate is verified only when its first two words are there. Also returns the words of
        every phrase and slot."""
        single: dict[str, list[tuple[tuple[str, ...], Cue]]] = {}
        multi: dict[str, dict[str, list[tuple[tuple[str, ...], Cue]]]] = {}
        words: set[str] = set()
        for cue in pack.cues:
            for phrase in cue.phrases:
                for first in self._keys(phrase[0]):
                    if len(phrase) == 1:
                        single.setdefault(first, []).append((phrase, cue))
                        continue
                    by_second = multi.setdefault(first, {})
                    for second in self._keys(phrase[1]):
                        by_second.setdefault(second, []).append((phrase, cue))
                words.update(t for t in phrase if not SLOT_TOKEN.match(t) and t != "*")
        for slot_words in pack.slots.values():
            # "#digits" in a slot stands for any number written in digits; it is no word of the text.
            words.update(w for w in slot_words if w != "#digits")
        return single, multi, words

    def _keys(self, token: str):
        """Index keys of a phrase token: the word itself, each word of a slot, or "*" for any word."""
        slot = SLOT_TOKEN.match(token)
        if slot:
            return self.pack.slots[slot.group(1)]
        return (token,)

    # -- words -------------------------------------------------------------------------------
    def canonical(self, norm: str) -> tuple[str, float] | None:
        """The pack word a text word stands for, with its similarity; None when it stands for none."""
        if norm in self._vocab:
            return norm, 100.0
        if len(norm) < self.pack.fuzzy_min_length or not norm.isalpha():
            return None
        try:
            return self._memo[norm]
        except KeyError:
            pass
        found = None
        targets = self._fuzzy_targets.get(norm[0])
        if targets:
            best = process.extractOne(norm, targets, scorer=fuzz.ratio, score_cutoff=80)
            if best is not None:
                word, score, _ = best
                # One edit (insert, delete, substitute, swap) for words under 9 letters, two above.
                if OSA.distance(norm, word) <= (1 if len(word) < 9 else 2):
                    found = (word, float(score))
        if len(self._memo) < MEMO_LIMIT:
            self._memo[norm] = found
        return found

    def _canon_all(self, norms: list[str]) -> list[tuple[str, float] | None]:
        return list(map(self._canon_table.__getitem__, norms))

    # -- matching ----------------------------------------------------------------------------
    def find(self, text: str) -> MatchResult:
        words = Words(text, self._joins, self._normal_form, self._hashtags)
        canon = self._canon_all(words.norms)
        hits, negated, negator_spans = self._phrase_hits(text, words, canon)
        # Containment is settled on the words each phrase matched, before a context widens a span for
        # display ("still" + "mad" shown as "still mad" must not hide "mad", a sign of its own).
        hits = _drop_contained_hits(hits, self._role_of)
        if self._has_context and hits:
            hits = self._apply_context(words, canon, hits)
        found = [_cue_match(cue, text, words.starts[i], words.ends[last], score) for cue, i, last, score in hits]
        if negator_spans:
            # A negator that undid a cue is not itself a sign of trouble ("never" in "never had a problem").
            found = [m for m in found if (m.start, m.end) not in negator_spans]
        found.extend(self._sign_matches(text, words))
        found.sort(key=lambda m: (m.start, m.end))
        return MatchResult(tuple(found), tuple(negated))

    def _phrase_hits(self, text: str, words: Words, canon):
        """Phrase matches as (cue, first word, last word, score), the ones a negator or a resolution
        undid, and the negators' spans."""
        hits: list[tuple[Cue, int, int, float]] = []
        negated: list[NegatedMatch] = []
        negator_spans: set[tuple[int, int]] = set()
        for i in self._start_positions(words.norms, canon):
            for phrase, cue in self._candidates(words, canon, i):
                positions = self._match_positions(words, canon, i, phrase)
                if positions is None:
                    continue
                score = self._score(words, canon, positions, phrase)
                if score < cue.threshold:
                    continue
                last = positions[-1]
                at = self._negator_before(words, i) if cue.negatable else None
                if at is None and cue.category in self._resolvable:
                    at = self._resolution_near(words, i, last)
                if at is None:
                    hits.append((cue, i, last, score))
                    continue
                start_char, end_char = words.starts[i], words.ends[last]
                negator = text[words.starts[at]:words.ends[at]]
                negated.append(NegatedMatch(cue.id, text[start_char:end_char], negator, start_char, end_char))
                negator_spans.add((words.starts[at], words.ends[at]))
        return hits, negated, negator_spans

    def _sign_matches(self, text: str, words: Words) -> list[CueMatch]:
        """Cues found by symbols ("!!!", emoji) and by the shouting detector rather than by words."""
        found = self._find_symbols(text) if self._symbols else []
        if self._shouting_cue is not None:
            shout = self._find_shouting(text, words)
            if shout is not None:
                found.append(_cue_match(self._shouting_cue, text, shout[0], shout[1], 100.0))
        return found

    def _apply_context(self, words: Words, canon, hits):
        """Keep the hits whose cue finds what it needs around it (pack ``context``); a kept hit's span
        grows to take in the word that satisfied it ("my profile ... gone"), so the evidence reads whole."""
        free = [h for h in hits if h[0].context is None]
        by_category: dict[str, list[tuple[int, int]]] = {}
        for cue, i, last, _ in free:
            by_category.setdefault(cue.category, []).append((i, last))
        kept = list(free)
        for cue, i, last, score in hits:
            if cue.context is not None:
                span = self._context_span(words, canon, cue.context, i, last, by_category)
                if span is not None:
                    kept.append((cue, span[0], span[1], score))
        return kept

    def _context_span(self, words: Words, canon, ctx, i: int, last: int, by_category) -> tuple[int, int] | None:
        """The span a context-bound hit at [i, last] is kept with, or None when its context is missing
        (or an ``unless`` word is there)."""
        lo, hi = self._scope(words, ctx, i, last)
        if (ctx.unless_words or ctx.unless_slots or ctx.unless_categories) and self._context_hit(
                words, canon, lo, hi, i, last, ctx.unless_words, ctx.unless_slots, ctx.unless_categories,
                by_category) is not None:
            return None
        if not ctx.required:
            return i, last
        at = self._context_hit(words, canon, lo, hi, i, last, ctx.words, ctx.slots, ctx.categories, by_category)
        if at is None and ctx.question and self._question_after(words, hi):
            at = (i, last)
        if at is None:
            return None
        if ctx.scope == "window":
            return min(i, at[0]), max(last, at[1])
        return i, last

    @staticmethod
    def _question_after(words: Words, k: int) -> bool:
        """A question mark closes the sentence whose last word is ``k``."""
        gap = words.gaps[k + 1] if k + 1 < len(words) else words.tail
        return "?" in gap

    def _scope(self, words: Words, ctx, i: int, last: int) -> tuple[int, int]:
        """Word range [lo, hi] a context is looked for in: a window within the sentence, the sentence,
        or the whole message."""
        n = len(words)
        if ctx.scope == "message":
            return 0, n - 1
        lo = i
        while lo > 0 and not words.sentence_start(lo) and (ctx.scope == "sentence" or i - lo < ctx.window):
            lo -= 1
        hi = last
        while hi + 1 < n and not words.sentence_start(hi + 1) and (ctx.scope == "sentence" or hi - last < ctx.window):
            hi += 1
        return lo, hi

    def _context_hit(self, words: Words, canon, lo: int, hi: int, i: int, last: int, wanted_words, slot_names,
                     categories, by_category) -> tuple[int, int] | None:
        """Word span of the first wanted word, slot word or category cue in [lo, hi] outside the match."""
        if wanted_words or slot_names:
            k = self._wanted_word_at(words, canon, lo, hi, i, last, wanted_words,
                                     [self.pack.slots[name] for name in slot_names])
            if k is not None:
                return k, k
        for category in categories:
            for a, b in by_category.get(category, ()):
                if b >= lo and a <= hi and not (a >= i and b <= last):
                    return a, b
        return None

    @staticmethod
    def _wanted_word_at(words: Words, canon, lo: int, hi: int, i: int, last: int, wanted_words,
                        slot_sets) -> int | None:
        """The first word in [lo, hi], outside the match [i, last], that is wanted or in a wanted slot
        (as written, or as the pack word a typo stands for)."""
        for k in range(lo, hi + 1):
            if i <= k <= last:
                continue
            norm = words.norms[k]
            ck = canon[k]
            forms = (norm,) if ck is None or ck[0] == norm else (norm, ck[0])
            for form in forms:
                if form in wanted_words or any(form in slot for slot in slot_sets):
                    return k
        return None

    def _start_positions(self, norms: list[str], canon) -> list[int]:
        """Words where some phrase may start: a one-word phrase, or a first word followed by a second
        word (or a filler, or anything for a wildcard phrase) of some phrase. A cheap pre-filter:
        most words of a message start nothing, and :meth:`_candidates` then looks only at the rest."""
        first_words = [c[0] if c is not None else ("#digits" if w.isdigit() else None)
                       for c, w in zip(canon, norms)]
        following = first_words[1:] + [None]
        following_norms = norms[1:] + [""]
        singles, bigrams, loose, fillers = self._single, self._bigrams, self._loose_firsts, self.pack.fillers
        not_joins = self._not_joins
        return [
            i for i, first in enumerate(first_words)
            if (first is not None and (first in singles or (first, following[i]) in bigrams or first in loose
                                       or (following_norms[i] in fillers and first in self._multi)))
            or norms[i] in not_joins
            or (following[i] == "#digits" and first is not None and first in self._multi)
        ]

    def _candidates(self, words: Words, canon, i: int) -> list:
        """Phrases that may match at word ``i``, found through the first two words."""
        norm = words.norms[i]
        c = canon[i]
        firsts = []
        if c is not None:
            firsts.append(c[0])
        elif norm.isdigit():
            firsts.append("#digits")
        if norm in self._not_joins:
            # "is not my account" was joined to "isnt my account": phrases that start with "not"
            # ("not my account") still apply.
            firsts.append("not")
        found = []
        fillers = self.pack.fillers
        n = len(words)
        for first in firsts:
            found.extend(self._single.get(first, ()))
            by_second = self._multi.get(first)
            if not by_second:
                continue
            wildcard = by_second.get("*")
            if wildcard:
                found.extend(wildcard)
            # The second word may stand after up to two fillers ("having SO MUCH trouble").
            for k in range(i + 1, min(i + 4, n)):
                if words.sentence_start(k):
                    break
                ck = canon[k]
                if ck is not None:
                    found.extend(by_second.get(ck[0], ()))
                if words.norms[k].isdigit():
                    found.extend(by_second.get("#digits", ()))
                if words.norms[k] not in fillers:
                    break
        return found

    def _match_positions(self, words: Words, canon, i: int, phrase) -> list[int] | None:
        """Word positions of ``phrase`` matched from word ``i``, or None.

        Between two words of a phrase, up to two filler words may stand ("having SO MUCH trouble");
        a phrase never crosses a sentence break. Slot words are checked in :meth:`_score`.
        """
        n = len(words)
        fillers = self.pack.fillers
        sentence_start = words.sentence_start
        positions = [i]
        k = i
        for j in range(1, len(phrase)):
            want = phrase[j]
            k += 1
            skipped = 0
            while True:
                if k >= n or sentence_start(k):
                    return None
                if want == "*" or want[0] == "{":
                    break
                ck = canon[k]
                if ck is not None and ck[0] == want:
                    break
                if words.norms[k] in fillers and skipped < 2:
                    k += 1
                    skipped += 1
                    continue
                return None
            positions.append(k)
        return positions

    def _score(self, words: Words, canon, positions, phrase) -> float:
        """100 when every word is exact; else one rapidfuzz ratio of the words said vs the phrase."""
        said_words = []
        expected_words = []
        for k, want in zip(positions, phrase):
            norm = words.norms[k]
            said_words.append(norm)
            if want == "*":
                expected_words.append(norm)
            elif want[0] == "{":
                slot_words = self.pack.slots[want[1:-1]]
                ck = canon[k]
                if norm in slot_words or ("#digits" in slot_words and norm.isdigit()):
                    expected_words.append(norm)
                elif ck is not None and ck[0] in slot_words:
                    expected_words.append(ck[0])
                else:
                    return 0.0
            elif want == "not" and norm in self._not_joins:
                expected_words.append(norm)
            else:
                expected_words.append(want)
        if said_words == expected_words:
            return 100.0
        # Slot and wildcard positions were satisfied by the customer's own word: compared to itself.
        return float(fuzz.ratio(" ".join(said_words), " ".join(expected_words)))

    def _negator_before(self, words: Words, i: int) -> int | None:
        """Position of the negator that governs the match at word ``i``, if any.

        A negator counts only when every word between it and the cue is "transparent" (articles,
        "at all", "had", "any"...): "never had a problem" is negated, "can't fix the problem" and
        "can't believe how frustrating" are not. Commas, sentence ends and "but" end its reach.
        """
        pack = self.pack
        k = i
        for _ in range(pack.negation_window + 1):
            if words.clause_start(k):
                return None
            k -= 1
            norm = words.norms[k]
            if norm in pack.negators:
                return k
            if norm in pack.negation_scope_breaks or norm not in pack.negation_transparent:
                return None
        return None

    def _resolution_near(self, words: Words, first: int, last: int) -> int | None:
        """A word saying the problem is over ("problem solved", "fixed the issue"), next to the match."""
        resolved = self.pack.resolved
        transparent = self.pack.negation_transparent
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

    def _find_symbols(self, text: str) -> list[CueMatch]:
        """Emoji and marks such as "!!" as written; one match per cue ("!!!!!!" is one cue, not five).

        ``str.find`` per symbol beats one regex alternation here: most symbols never occur."""
        hits: list[tuple[int, int, Cue]] = []
        for symbol, cue in self._symbols:
            at = text.find(symbol)
            if at >= 0:
                hits.append((at, at + len(symbol), cue))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        taken_until = -1
        seen: set[str] = set()
        out = []
        for start, end, cue in hits:
            if start < taken_until or cue.id in seen:
                continue
            seen.add(cue.id)
            taken_until = end
            out.append(_cue_match(cue, text, start, end, 100.0))
        return out

    def _find_shouting(self, text: str, words: Words) -> tuple[int, int] | None:
        """Span of the longest run of all-caps words, when the message has enough of them.

        Runs of capitals are found by regex (a message rarely has any), not by looking at each word."""
        pack = self.pack
        if len(_CAPS_RUN.findall(text)) < pack.shouting_min_words:  # a cheap look first: usually no
            return None
        loud = [m for m in _CAPS_WORD.finditer(text)
                if len(m.group()) >= pack.shouting_min_length and m.group() not in pack.shouting_ignore]
        if len(loud) < pack.shouting_min_words:
            return None
        best = run = (loud[0].start(), loud[0].end())
        for previous, current in zip(loud, loud[1:]):
            # Same run when only spaces and short capital words ("IS", "A") stand between them.
            if _CAPS_GAP.fullmatch(text, previous.end(), current.start()):
                run = (run[0], current.end())
            else:
                run = (current.start(), current.end())
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        return best


def _cue_match(cue: Cue, text: str, start: int, end: int, score: float) -> CueMatch:
    return CueMatch(cue.id, cue.category, text[start:end], score, start, end, cue.apology, cue.priority,
                    weight=cue.weight, priority_weight=cue.priority_weight)


def _drop_contained_hits(hits, role_of):
    """Among the phrase hits of one role, keep the longest where one lies inside another ("can't figure
    out" over "figure out"). Roles apart: "THANK YOU" must not swallow the shouting in it, and "full
    refund" (a cue) must not hide "refund" (what the message is about). Hits are (cue, first word,
    last word, score)."""
    by_role: dict[str, list] = {}
    for h in hits:
        by_role.setdefault(role_of[h[0].id], []).append(h)
    kept = []
    for group in by_role.values():
        group.sort(key=lambda h: (h[1], -(h[2] - h[1]), -h[3]))
        seen: set[tuple[int, int, str]] = set()
        widest = (-1, -1)
        for h in group:
            cue, i, last, _ = h
            if widest[1] >= last and widest != (i, last):
                continue
            key = (i, last, cue.id)
            if key in seen:
                continue
            seen.add(key)
            kept.append(h)
            if last > widest[1]:
                widest = (i, last)
    return kept
