"""Cue matching: finds a pack's phrases in cleaned text, tolerant of typos, aware of negation.

How it stays fast (see ARCHITECTURE.md, "Matching fast"): the text is tokenised once with character
offsets; each token maps to the pack's vocabulary through an exact dict first and, only for unknown
words of some length, through a memoised rapidfuzz lookup with a score cutoff; candidate phrases
come from an index keyed on their first word; each candidate window is verified with one rapidfuzz
score against the cue's threshold; a few words before a match are checked for a negator. Everything
that depends only on the pack is built once in :class:`Matcher`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .packs import SLOT_TOKEN, Cue, Pack

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Between two tokens, these end a sentence: a phrase never spans them, negation never crosses them.
_SENTENCE_BREAK = re.compile(r"[.!?;:\n]|\s-\s")
_CLAUSE_BREAK = re.compile(r"[,()\"]")
_MEMO_LIMIT = 50_000
# @handles and links are names, not words: "@FC_Help" must not read as a cry for "help".
_NOT_WORDS = re.compile(r"@\w+|https?://\S+|www\.\S+|\S+@\S+\.\w+")


@dataclass(frozen=True)
class CueMatch:
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
    negator: str
    start: int
    end: int


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    norm: str            # lower case, apostrophes removed, joins applied ("does not" -> "doesnt")
    sentence_start: bool  # a sentence break stands between this token and the one before
    clause_start: bool    # a comma, bracket or quote (or a sentence break) stands before it


@dataclass(frozen=True)
class MatchResult:
    cues: tuple[CueMatch, ...]
    negated: tuple[NegatedMatch, ...]


def tokenize(text: str, joins: dict[tuple[str, str], str] | None = None,
             aliases: dict[str, str] | None = None) -> list[Token]:
    tokens: list[Token] = []
    previous_end = 0
    masked = [(m.start(), m.end()) for m in _NOT_WORDS.finditer(text)] if ("@" in text or "www." in text
                                                                              or "http" in text) else []
    for m in _TOKEN.finditer(text):
        if masked and any(a <= m.start() < b for a, b in masked):
            continue
        gap = text[previous_end:m.start()]
        sentence = bool(tokens) and bool(_SENTENCE_BREAK.search(gap))
        clause = sentence or (bool(tokens) and bool(_CLAUSE_BREAK.search(gap)))
        norm = m.group().lower().replace("'", "")
        if aliases:
            norm = aliases.get(norm, norm)
        if joins and tokens and not clause and (tokens[-1].norm, norm) in joins:
            last = tokens[-1]
            tokens[-1] = Token(last.start, m.end(), joins[(last.norm, norm)], last.sentence_start,
                               last.clause_start)
        else:
            tokens.append(Token(m.start(), m.end(), norm, sentence or not tokens, clause or not tokens))
        previous_end = m.end()
    return tokens


class Matcher:
    """A pack compiled for matching. Build once per pack; ``find`` is then pure (a word memo aside)."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._joins = dict(pack.joins)
        self._aliases = dict(pack.aliases)
        self._not_joins = frozenset(joined for (_, second), joined in pack.joins.items() if second == "not")
        # Only a problem can be "solved": a feeling or a repeat contact is not undone by "fixed".
        self._resolvable = frozenset({"problem", "struggle", "confusion"})
        vocab: set[str] = set()
        # "#digits" in a slot stands for any number written in digits; it is no word of the text.
        self._index: dict[str, list[tuple[tuple[str, ...], Cue]]] = {}
        for cue in pack.cues:
            for phrase in cue.phrases:
                slot = SLOT_TOKEN.match(phrase[0])
                # A phrase that starts with a slot is indexed under each of the slot's words.
                for first in (pack.slots[slot.group(1)] if slot else (phrase[0],)):
                    self._index.setdefault(first, []).append((phrase, cue))
                vocab.update(t for t in phrase if not SLOT_TOKEN.match(t) and t != "*")
        for words in pack.slots.values():
            vocab.update(w for w in words if w != "#digits")
        self._vocab = frozenset(vocab)
        # Fuzzy targets: only words long enough that one typo cannot turn them into another
        # common word ("lost" vs "last"), grouped by first letter (typos rarely hit it).
        self._fuzzy_targets: dict[str, list[str]] = {}
        for word in sorted(vocab):
            if len(word) >= pack.fuzzy_min_length and word.isalpha():
                self._fuzzy_targets.setdefault(word[0], []).append(word)
        self._memo: dict[str, tuple[str, float] | None] = {}
        symbol_cues = [(symbol, cue) for cue in pack.cues for symbol in cue.symbols]
        self._symbol_cue = {symbol: cue for symbol, cue in symbol_cues}
        self._symbols = (
            re.compile("|".join(re.escape(s) for s, _ in sorted(symbol_cues, key=lambda x: -len(x[0]))))
            if symbol_cues else None
        )
        self._shouting_cue = next((c for c in pack.cues if c.detector == "shouting"), None)

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
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[norm] = found
        return found

    # -- matching ----------------------------------------------------------------------------
    def find(self, text: str) -> MatchResult:
        tokens = tokenize(text, self._joins, self._aliases)
        canon = [self.canonical(t.norm) for t in tokens]
        found: list[CueMatch] = []
        negated: list[NegatedMatch] = []
        for i, c in enumerate(canon):
            norm = tokens[i].norm
            if c is not None:
                candidates = self._index.get(c[0], ())
            elif norm.isdigit():
                candidates = self._index.get("#digits", ())
            else:
                candidates = ()
            if norm in self._not_joins:
                # "is not my account" was joined to "isnt my account": phrases that start with "not"
                # ("not my account") still apply.
                candidates = (*candidates, *self._index.get("not", ()))
            for phrase, cue in candidates:
                positions = self._match_positions(tokens, canon, i, phrase)
                if positions is None:
                    continue
                score = self._score(tokens, canon, positions, phrase)
                if score < cue.threshold:
                    continue
                last = positions[-1]
                start_char, end_char = tokens[i].start, tokens[last].end
                negator = self._negator_before(tokens, i) if cue.negatable else None
                if negator is None and cue.category in self._resolvable:
                    negator = self._resolution_near(tokens, i, last)
                if negator is not None:
                    negated.append(NegatedMatch(cue.id, text[start_char:end_char], negator, start_char, end_char))
                    continue
                found.append(CueMatch(cue.id, cue.category, text[start_char:end_char], score,
                                      start_char, end_char, cue.apology, cue.priority, weight=cue.weight, priority_weight=cue.priority_weight))
        if self._symbols is not None:
            seen_symbol_cues: set[str] = set()
            for m in self._symbols.finditer(text):
                cue = self._symbol_cue[m.group()]
                if cue.id in seen_symbol_cues:
                    continue  # "!!!!!!" or five angry faces are one cue, not five
                seen_symbol_cues.add(cue.id)
                found.append(CueMatch(cue.id, cue.category, m.group(), 100.0, m.start(), m.end(),
                                      cue.apology, cue.priority, weight=cue.weight, priority_weight=cue.priority_weight))
        if self._shouting_cue is not None:
            shout = self._find_shouting(text, tokens)
            if shout is not None:
                cue = self._shouting_cue
                found.append(CueMatch(cue.id, cue.category, text[shout[0]:shout[1]], 100.0, shout[0],
                                      shout[1], cue.apology, cue.priority, weight=cue.weight, priority_weight=cue.priority_weight))
        return MatchResult(_drop_contained(found), tuple(negated))

    def _match_positions(self, tokens, canon, i, phrase) -> list[int] | None:
        """Token positions of ``phrase`` matched from token ``i``, or None.

        Between two words of a phrase, up to two filler words may stand ("having SO MUCH trouble");
        a phrase never crosses a sentence break. Slot words are checked in :meth:`_score`.
        """
        n = len(tokens)
        fillers = self.pack.fillers
        positions = [i]
        k = i
        for j in range(1, len(phrase)):
            want = phrase[j]
            k += 1
            skipped = 0
            while True:
                if k >= n or tokens[k].sentence_start:
                    return None
                if want == "*" or want[0] == "{":
                    break
                ck = canon[k]
                if ck is not None and ck[0] == want:
                    break
                if tokens[k].norm in fillers and skipped < 2:
                    k += 1
                    skipped += 1
                    continue
                return None
            positions.append(k)
        return positions

    def _score(self, tokens, canon, positions, phrase) -> float:
        """100 when every word is exact; else one rapidfuzz ratio of the words said vs the phrase."""
        said_words = []
        expected_words = []
        for k, want in zip(positions, phrase):
            norm = tokens[k].norm
            said_words.append(norm)
            if want == "*":
                expected_words.append(norm)
            elif want[0] == "{":
                words = self.pack.slots[want[1:-1]]
                ck = canon[k]
                if "#digits" in words and norm.isdigit():
                    expected_words.append(norm)
                elif norm in words:
                    expected_words.append(norm)
                elif ck is not None and ck[0] in words:
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

    def _resolution_near(self, tokens, first: int, last: int) -> str | None:
        """A word saying the problem is over ("problem solved", "fixed the issue"), next to the match."""
        resolved = self.pack.resolved
        transparent = self.pack.negation_transparent
        k = last + 1
        for _ in range(3):  # after: "issue (has been) resolved"
            if k >= len(tokens) or tokens[k].clause_start:
                break
            if tokens[k].norm in resolved:
                return tokens[k].norm
            if tokens[k].norm not in transparent:
                break
            k += 1
        k = first - 1
        for _ in range(3):  # before: "solved (the) problem"
            if k < 0 or tokens[k + 1].clause_start:
                break
            if tokens[k].norm in resolved:
                return tokens[k].norm
            if tokens[k].norm not in transparent:
                break
            k -= 1
        return None

    def _negator_before(self, tokens, i) -> str | None:
        """The negator that governs the match at token ``i``, if any.

        A negator counts only when every word between it and the cue is "transparent" (articles,
        "at all", "had", "any"...): "never had a problem" is negated, "can't fix the problem" and
        "can't believe how frustrating" are not. Commas, sentence ends and "but" end its reach.
        """
        pack = self.pack
        k = i
        for _ in range(pack.negation_window + 1):
            if tokens[k].clause_start or k == 0:
                return None
            k -= 1
            norm = tokens[k].norm
            if norm in pack.negators:
                return norm
            if norm in pack.negation_scope_breaks or norm not in pack.negation_transparent:
                return None
        return None

    def _find_shouting(self, text: str, tokens: list[Token]) -> tuple[int, int] | None:
        """Span of the longest run of all-caps words, when the message has enough of them."""
        pack = self.pack
        loud = [
            i for i, t in enumerate(tokens)
            if t.end - t.start >= pack.shouting_min_length
            and (word := text[t.start:t.end]).isupper() and word.isalpha()
            and word not in pack.shouting_ignore
        ]
        if len(loud) < pack.shouting_min_words:
            return None
        best = run = (loud[0], loud[0])
        for previous, current in zip(loud, loud[1:]):
            if current == previous + 1 and not tokens[current].sentence_start:
                run = (run[0], current)
            else:
                run = (current, current)
            if run[1] - run[0] > best[1] - best[0]:
                best = run
        return tokens[best[0]].start, tokens[best[1]].end


def _drop_contained(matches: list[CueMatch]) -> tuple[CueMatch, ...]:
    """Keep the longest match where one lies inside another ("can't figure out" over "figure out")."""
    ordered = sorted(matches, key=lambda m: (m.start, -(m.end - m.start), -m.score))
    kept: list[CueMatch] = []
    for m in ordered:
        if any(k.start <= m.start and m.end <= k.end and (k.end - k.start) > (m.end - m.start)
               or (k.start, k.end, k.cue_id) == (m.start, m.end, m.cue_id) for k in kept):
            continue
        kept.append(m)
    return tuple(kept)
