"""Cue matching: finds a pack's phrases in cleaned text, tolerant of typos, aware of negation.

How it stays fast (see ARCHITECTURE.md, "Matching fast"): the text is lower-cased and split into words
once, by regex, with offsets kept; sentence and clause breaks are found by one more regex and looked up
by bisection only where a candidate needs them. Each word maps to the pack's vocabulary through an
exact set first and, only for unknown words of some length, through a memoised rapidfuzz lookup with a
score cutoff (vocabulary.py). Candidate phrases come from a two-level index (first word, then second
word); each candidate is verified with one rapidfuzz score against the cue's threshold, and a few words
around it are checked for a negator or a resolution (negation.py). Context rules (context_rules.py) and
cues found by signs rather than words (signs.py) come after. Everything that depends only on the pack
is built once in :class:`Matcher`; what it finds is in matches.py.
"""
from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz

from .context_rules import kept_with_origin
from .cues import Cue
from .matches import MatchResult, NegatedMatch, cue_match
from .negation import negator_before, resolution_near
from .packs import Pack
from .phrases import SLOT_TOKEN
from .signs import SignFinder
from .vocabulary import Vocabulary
from .words import Words, WordTable, segment

class Matcher:
    """A pack compiled for matching. Build once per pack; ``find`` is then pure (a word memo aside)."""

    def __init__(self, pack: Pack, known_words: frozenset[str] = frozenset(),
                 word_counts: Mapping[str, int] | None = None) -> None:
        """``known_words``: the language's words, read as written rather than as typos (vocabulary.py);
        ``word_counts``: how often each is written, to read a run-together hashtag as its likeliest words."""
        self.pack = pack
        self._joins = dict(pack.joins)
        self._aliases = dict(pack.aliases)
        aliases = self._aliases
        self._normal_form = WordTable(lambda w: aliases.get(_unapostrophe(w), _unapostrophe(w)))
        self._not_joins = frozenset(joined for (_, second), joined in pack.joins.items() if second == "not")
        # Only a problem can be "solved": a feeling or a repeat contact is not undone by "fixed".
        self._resolvable = frozenset({"problem", "struggle", "confusion"})
        self._single, self._multi, phrase_words = self._index_phrases(pack)
        self._bigrams = frozenset((first, second) for first, by_second in self._multi.items() for second in by_second)
        self._loose_firsts = frozenset(first for first, by_second in self._multi.items() if "*" in by_second)
        words = Vocabulary(pack, phrase_words, known_words)
        self.vocabulary = words.words  # the pack's words (for telling a covered language apart)
        self._canon_table = WordTable(words.canonical)
        # Hashtags run together ("#neveragain", "#wontflyagainwithyou") are read as the words they are made
        # of: the pack's, and the language's between them ("with you").
        vocab = words.words | known_words
        # (A tag the pack reads whole, typo or other form included, is kept whole: "#heartbroken".)
        self._hashtags = WordTable(
            lambda tag: None if words.canonical(tag) else segment(tag, vocab, most=5, counts=word_counts))
        self._signs = SignFinder(pack)
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

    def _canon_all(self, norms: list[str]) -> list[tuple[str, float] | None]:
        return list(map(self._canon_table.__getitem__, norms))

    # -- matching ----------------------------------------------------------------------------
    def find(self, text: str) -> MatchResult:
        words = Words(text, self._joins, self._normal_form, self._hashtags)
        canon = self._canon_all(words.norms)
        hits, negated, negator_spans = self._phrase_hits(text, words, canon)
        # Containment is settled on the words each phrase matched, before a context widens a span for
        # display ("still" + "mad" shown as "still mad" must not hide "mad", a sign of its own). Cues
        # settle it before their contexts are read (a praise word inside "great job" stays hidden when
        # the sarcasm finds no trouble beside it); the understanding roles after, among the hits whose
        # context holds (a "no refund" turned down for want of a return must not hide "refund").
        cue_hits = _drop_contained_hits([h for h in hits if self._role_of[h[0].id] == "cue"], self._role_of)
        rest = [h for h in hits if self._role_of[h[0].id] != "cue"]
        if self._has_context and hits:
            kept = kept_with_origin(self.pack.slots, words, canon, cue_hits + rest)
            widened = {id(origin): wide for origin, wide in kept}
            survivors = [origin for origin, _ in kept]
            cue_ids = {id(h) for h in cue_hits}
            hits = [widened[id(h)] for h in survivors if id(h) in cue_ids] + [
                widened[id(h)] for h in _drop_contained_hits([h for h in survivors if id(h) not in cue_ids],
                                                             self._role_of)]
        else:
            hits = cue_hits + _drop_contained_hits(rest, self._role_of)
        found = [cue_match(cue, text, words.starts[i], words.ends[last], score) for cue, i, last, score in hits]
        if negator_spans:
            # A negator that undid a cue is not itself a sign of trouble ("never" in "never had a problem").
            found = [m for m in found if (m.start, m.end) not in negator_spans]
        found.extend(self._signs.find(text))
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
                at = negator_before(self.pack, words, i) if cue.negatable else None
                if at is None and cue.category in self._resolvable:
                    at = resolution_near(self.pack, words, i, last)
                if at is None:
                    hits.append((cue, i, last, score))
                    continue
                start_char, end_char = words.starts[i], words.ends[last]
                negator = text[words.starts[at]:words.ends[at]]
                negated.append(NegatedMatch(cue.id, text[start_char:end_char], negator, start_char, end_char))
                negator_spans.add((words.starts[at], words.ends[at]))
        return hits, negated, negator_spans

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
        starts = [
            i for i, first in enumerate(first_words)
            if (first is not None and (first in singles or (first, following[i]) in bigrams or first in loose
                                       or (following_norms[i] in fillers and first in self._multi)))
            or norms[i] in not_joins
            or (following[i] == "#digits" and first is not None and first in self._multi)
        ]
        # A number that is also a pack word ("charged 2 times") is still any number to "{number} hours".
        known_digits = [i for i, (c, w) in enumerate(zip(canon, norms)) if c is not None and w.isdigit()]
        if known_digits:
            multi = self._multi
            extra = set(starts)
            digits_start = "#digits" in singles or "#digits" in loose or "#digits" in multi
            for i in known_digits:
                if digits_start:
                    extra.add(i)
                if i > 0 and first_words[i - 1] is not None and first_words[i - 1] in multi:
                    extra.add(i - 1)
            starts = sorted(extra)
        return starts

    def _candidates(self, words: Words, canon, i: int) -> list:
        """Phrases that may match at word ``i``, found through the first two words."""
        norm = words.norms[i]
        c = canon[i]
        firsts = []
        if c is not None:
            firsts.append(c[0])
        if norm.isdigit() and (c is None or c[0] != "#digits"):
            firsts.append("#digits")
        if norm in self._not_joins:
            # "is not my account" was joined to "isnt my account": phrases that start with "not"
            # ("not my account") still apply.
            firsts.append("not")
        found = []
        fillers, kept = self.pack.fillers, self.pack.kept_fillers
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
                if words.norms[k] not in fillers or (words.norms[k - 1], words.norms[k]) in kept:
                    break
        return found

    def _match_positions(self, words: Words, canon, i: int, phrase) -> list[int] | None:
        """Word positions of ``phrase`` matched from word ``i``, or None.

        Between two words of a phrase, up to two filler words may stand ("having SO MUCH trouble");
        a phrase never crosses a sentence break. Slot words are checked in :meth:`_score`.
        """
        n = len(words)
        fillers, kept = self.pack.fillers, self.pack.kept_fillers
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
                if words.norms[k] in fillers and skipped < 2 and (words.norms[k - 1], words.norms[k]) not in kept:
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
            ck = canon[k]
            if ck is not None and ck[1] == 100.0:
                norm = ck[0]    # the word itself, drawn out ("greeeaat") or not
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



def _unapostrophe(word: str) -> str:
    """A word's form with its apostrophes dropped ("can't" = "cant"), except that a contracted "will" is
    kept apart from the word it would spell: "I'll" is not "ill", "he'll" is not "hell"."""
    if word.endswith("'ll"):
        return word[:-3].replace("'", "") + "will"
    return word.replace("'", "")


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
