"""How a pack phrase is written and read: lower-case words (apostrophes dropped, like the text),
``{slot}`` names (any word of a slot) and ``*`` (any one word). Punctuation is never part of a phrase:
marks such as "!!" and emoji are a cue's ``symbols``."""
from __future__ import annotations

import re
from typing import Mapping

from ..errors import PackError
from .datafile import word_list

_PUNCTUATION = re.compile(r"[^\w\s'\-#{}*\u2019]")
SLOT_TOKEN = re.compile(r"^\{([a-z_]+)\}$")
# Phrase tokens are normalised like the text: lower case, apostrophes removed ("can't" -> "cant").
_WORD = re.compile(r"#digits|[^\W_]+(?:'[^\W_]+)*|\{[a-z_]+\}|\*")


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Tokens of a pack phrase: normalised words, ``{slot}`` references and ``*`` (any one word)."""
    return tuple(t if t.startswith("{") or t == "*" else t.lower().replace("'", "")
                 for t in _WORD.findall(phrase.replace("\u2019", "'")))


def parse_phrases(spec: Mapping, path: str, cue_id: str, slots: Mapping[str, frozenset[str]]) -> list:
    """A cue's ``phrases``, tokenised and checked (no punctuation, known slots, no leading ``*``)."""
    phrases = []
    for phrase in word_list(spec["phrases"], path, "phrases", cue_id) if "phrases" in spec else []:
        tokens = phrase_tokens(phrase)
        if not tokens:
            raise PackError(path, f"phrase {phrase!r} has no words", cue_id=cue_id)
        if _PUNCTUATION.search(phrase):
            raise PackError(path, f"phrase {phrase!r}: punctuation in a phrase is not matched "
                            "(put marks such as '!!' or emoji under symbols)", cue_id=cue_id)
        if tokens[0] == "*":
            raise PackError(path, f"phrase {phrase!r} must not start with '*'", cue_id=cue_id)
        for token in tokens:
            slot = SLOT_TOKEN.match(token)
            if slot and slot.group(1) not in slots:
                raise PackError(path, f"phrase {phrase!r} names unknown slot {slot.group(1)!r}", cue_id=cue_id)
        phrases.append(tokens)
    return phrases
