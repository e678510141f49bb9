"""The QA pack: phrases per criterion, per ask and per situation, and the stopwords, as data per language
(``phrase_packs/qa/<lang>.yaml``). Loaded and validated once; each list compiles to one regex."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..core.datafile import read_yaml, require, word_list
from ..errors import PackError
from ..resources import data_path

CRITERIA = ("acknowledge", "apology", "options", "commitment", "time", "close", "process", "blame", "cheerful")
ASKS = ("callback", "refund", "escalate", "status", "fix", "explain", "change", "contact")


@dataclass(frozen=True, eq=False)
class QaPack:
    language: str
    version: int
    criteria: Mapping[str, re.Pattern]
    asks: Mapping[str, re.Pattern]
    situations: Mapping[str, re.Pattern | None]
    stopwords: frozenset[str]


def normalise(text: str) -> str:
    """Lower case, curly apostrophes folded, so phrases and replies meet on the same spelling."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def compile_phrases(phrases: list[str]) -> re.Pattern | None:
    """One regex matching any phrase as whole words; "escalat*" matches any ending. None for no phrases."""
    if not phrases:
        return None
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        stem = phrase.endswith("*")
        words = normalise(phrase.rstrip("*")).split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"\w*" if stem else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


def _phrase_list(value, path: str, what: str) -> list[str]:
    return word_list(value, path, what)


def _top(data, path: str) -> None:
    if not isinstance(data, dict):
        raise PackError(path, "a QA pack is a mapping")
    for key, kind in (("language", str), ("version", int), ("criteria", dict), ("asks", dict),
                      ("situations", dict), ("stopwords", list)):
        require(data, key, kind, path)
    if isinstance(data["version"], bool):
        raise PackError(path, "version must be a whole number")


def _criteria(data: dict, path: str) -> dict[str, re.Pattern | None]:
    criteria = data["criteria"]
    missing = [c for c in CRITERIA if c not in criteria]
    unknown = sorted(set(criteria) - set(CRITERIA))
    if missing or unknown:
        raise PackError(path, f"criteria must be exactly {', '.join(CRITERIA)} (missing: {', '.join(missing) or '-'}; "
                              f"unknown: {', '.join(unknown) or '-'})")
    return {c: compile_phrases(_phrase_list(criteria[c], path, f"criteria.{c}")) for c in CRITERIA}


def _asks(data: dict, path: str) -> dict[str, re.Pattern | None]:
    asks = data["asks"]
    if set(asks) != set(ASKS):
        raise PackError(path, f"asks must name exactly {', '.join(ASKS)}")
    return {a: compile_phrases(_phrase_list(asks[a], path, f"asks.{a}")) for a in ASKS}


def parse_qa_pack(data, path: str) -> QaPack:
    """Validate a parsed QA pack; a PackError names the file and the part that is wrong."""
    _top(data, path)
    situations = {s: compile_phrases(_phrase_list(w, path, f"situations.{s}")) if w else None
                  for s, w in data["situations"].items()}
    return QaPack(language=str(data["language"]), version=data["version"], criteria=_criteria(data, path),
                  asks=_asks(data, path), situations=situations,
                  stopwords=frozenset(normalise(w) for w in _phrase_list(data["stopwords"], path, "stopwords")))


def load_qa_pack_file(path: str | Path) -> QaPack:
    return parse_qa_pack(read_yaml(path), str(path))


@lru_cache(maxsize=4)
def load_qa_pack(language: str = "en") -> QaPack:
    """The shipped QA pack of a language, loaded once."""
    return load_qa_pack_file(data_path("phrase_packs") / "qa" / f"{language}.yaml")
