"""Fitting a reply to its channel: character and sentence limits, without losing what must be said.

Each part comes with its phrasings, the hashed choice first. When the reply is too long, the longest
parts switch to their shortest phrasing one at a time, then the greeting loses the name, then optional
parts give way in a fixed order (``DROP_ORDER``). Required parts (the restatement or care, the answers
to the customer's asks, the next step) never do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .templates import Limit

_SENTENCE = re.compile(r"[.!?](?=\s|$)")
# Words that keep their capital after a greeting's comma.
_KEEPS_CAPITAL = re.compile(r"I\b|I'")
# The order in which optional parts give way when a reply is over its channel's limit (the care said
# after the problem last of all, when a tweet has no room for it beside the problem and what we'll do).
DROP_ORDER = ("tip", "praise_ack", "closing", "info_ack", "leaving_ack", "repeat_ack", "history_ack", "untold_ack",
              "missed_ack", "options", "contact", "care")
# The restatement in the customer's own terms (their clause, how long they waited) gives way to the
# situation's plainer words only after these acknowledgements: it is what shows we read them.
_BEFORE_PLAIN_RESTATEMENT = DROP_ORDER[:DROP_ORDER.index("options")]


class Choices:
    """A part's phrasings as (variant key, text), the preferred first, each rendered only when read:
    most replies fit with their first choices, and rendering every phrasing of every part would
    double the cost of composing."""

    __slots__ = ("_items", "_texts")

    def __init__(self, items: list[tuple[str, Callable[[], str]]] | None = None) -> None:
        self._items = items or []
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int) -> tuple[str, str]:
        if i < 0:
            i += len(self._items)
        if i not in self._texts:
            self._texts[i] = self._items[i][1]()
        return self._items[i][0], self._texts[i]

    def __iter__(self):
        return (self[i] for i in range(len(self._items)))

    def __add__(self, other: "Choices") -> "Choices":
        return Choices(self._items + other._items)

    def mapped(self, change: Callable[[str], str]) -> "Choices":
        """The same phrasings with ``change`` applied to each text (still rendered on demand)."""
        return Choices([(k, (lambda f=f: change(f()))) for k, f in self._items])


@dataclass
class Part:
    key: str
    choices: Choices                      # (variant key, text), the preferred first
    paragraph: int
    required: bool = False
    fallback: Choices = field(default_factory=Choices)   # said instead when dropped
    chosen: int = 0

    @property
    def text(self) -> str:
        return self.choices[self.chosen][1]

    @property
    def variant(self) -> str:
        return self.choices[self.chosen][0]

    def shortest(self, *, same_family: bool = False) -> None:
        """Switch to the shortest phrasing; ``same_family``: only among the phrasings of the same template
        list as the one chosen (a restatement in the customer's own clause stays one, if one fits)."""
        family = _family(self.variant)
        self.chosen = min((i for i in range(len(self.choices))
                           if not same_family or _family(self.choices[i][0]) == family),
                          key=lambda i: len(self.choices[i][1]))


def _family(variant_key: str) -> str:
    """"parts.restate_clause.significant" for "parts.restate_clause.significant[2]"."""
    return variant_key.split("[", 1)[0]


@dataclass(frozen=True)
class Fitted:
    reply: str
    paragraphs: list[str]
    parts: tuple[Part, ...]
    dropped: tuple[str, ...]


def count_sentences(reply: str) -> int:
    """Sentences of a reply, the greeting line excluded."""
    body = reply.split("\n\n", 1)[1] if "\n\n" in reply else reply
    return len(_SENTENCE.findall(body))


def fits(reply: str, limit: Limit) -> bool:
    return len(reply) <= limit.max_chars and count_sentences(reply) <= limit.max_sentences


def layout(greeting: str, parts: list[Part], inline_greeting: bool = False) -> list[str]:
    """The reply's paragraphs: the greeting on a line of its own, or (a tweet, a chat line) opening the
    first paragraph ("Hi Sam, I'm sorry ...")."""
    paragraphs: dict[int, list[str]] = {}
    for p in parts:
        paragraphs.setdefault(p.paragraph, []).append(p.text)
    body = [" ".join(paragraphs[k]) for k in sorted(paragraphs)]
    if inline_greeting and body:
        # "Hi there, thanks for ..." and "Hi there, I'm sorry ...": the sentence goes on after the comma.
        first = body[0] if _KEEPS_CAPITAL.match(body[0]) else body[0][:1].lower() + body[0][1:]
        return [f"{greeting} {first}"] + body[1:]
    return [greeting] + body


def fit_reply(greeting: Choices, parts: list[Part], limit: Limit, inline_greeting: bool = False) -> Fitted:
    """The reply within ``limit``; ``greeting`` holds the greeting's phrasings (named ones first);
    ``inline_greeting``: the greeting opens the first paragraph instead of standing alone."""
    parts = list(parts)
    preferred = [(part, part.chosen) for part in parts]
    greet = greeting[0][1]
    dropped: list[str] = []

    def reply() -> str:
        return "\n\n".join(layout(greet, parts, inline_greeting))

    for same_family in (True, False):
        # Shorter words of the same kind first, for every part; only then other kinds of words (the
        # restatement's below).
        for part in sorted(parts, key=lambda p: -len(p.text)):
            if fits(reply(), limit):
                break
            if same_family or part.key != "restate":
                part.shortest(same_family=same_family)
    if not fits(reply(), limit) and greet != greeting[-1][1]:
        greet = min((greeting[i][1] for i in range(max(0, len(greeting) - 2), len(greeting))), key=len)
        dropped.append("name")
    for victim in DROP_ORDER:
        if victim == DROP_ORDER[len(_BEFORE_PLAIN_RESTATEMENT)] and not fits(reply(), limit):
            for part in parts:
                if part.key == "restate":
                    part.shortest()
        if fits(reply(), limit):
            break
        for i, part in enumerate(parts):
            if part.key == victim and not part.required:
                if part.fallback:
                    parts[i] = Part(part.key + "_fallback", part.fallback, part.paragraph, required=True)
                    parts[i].shortest()
                    if part.fallback[0][0].startswith("parts.next_step"):
                        parts[i].key = "next_step"
                else:
                    parts.pop(i)
                dropped.append(victim)
                break
    if dropped:
        # Words shortened on the way to a drop may no longer need to be: each part left gets its preferred
        # phrasing back where the reply still fits (the customer's own clause said back above all).
        kept = {id(part) for part in parts}    # (by identity: two parts may be equal in every field)
        for part, chosen in sorted(preferred, key=lambda pc: pc[0].key != "restate"):
            if id(part) in kept and part.chosen != chosen:
                shorter, part.chosen = part.chosen, chosen
                if not fits(reply(), limit):
                    part.chosen = shorter
    return Fitted(reply=reply(), paragraphs=layout(greet, parts, inline_greeting), parts=tuple(parts),
                  dropped=tuple(dropped))
