"""The QA pack: phrases per criterion, per ask and per situation, and the stopwords, as data per language
(``phrase_packs/qa/<lang>.yaml``). Loaded and validated once; each list compiles to one regex."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..errors import PackError
from ..resources import data_path, load_yaml

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
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise PackError(path, f"{what} must be a list of phrases")
    return value


def _top(data, path: str) -> None:
    if not isinstance(data, dict):
        raise PackError(path, "a QA pack is a mapping")
    for key in ("language", "version", "criteria", "asks", "situations", "stopwords"):
        if key not in data:
            raise PackError(path, f"missing required field {key!r}")
    if not isinstance(data["version"], int) or isinstance(data["version"], bool):
        raise PackError(path, "version must be a whole number")
    if not isinstance(data["situations"], dict):
        raise PackError(path, "situations must map each situation to its words")


def _criteria(data: dict, path: str) -> dict[str, re.Pattern | None]:
    criteria = data["criteria"] if isinstance(data["criteria"], dict) else {}
    missing = [c for c in CRITERIA if c not in criteria]
    unknown = sorted(set(criteria) - set(CRITERIA))
    if missing or unknown:
        raise PackError(path, f"criteria must be exactly {', '.join(CRITERIA)} (missing: {', '.join(missing) or '-'}; "
                              f"unknown: {', '.join(unknown) or '-'})")
    return {c: compile_phrases(_phrase_list(criteria[c], path, f"criteria.{c}")) for c in CRITERIA}


def _asks(data: dict, path: str) -> dict[str, re.Pattern | None]:
    asks = data["asks"] if isinstance(data["asks"], dict) else {}
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
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        data = load_yaml(text)
    except Exception as exc:
        raise PackError(str(path), f"not valid YAML: {exc}") from None
    return parse_qa_pack(data, str(path))


@lru_cache(maxsize=4)
def load_qa_pack(language: str = "en") -> QaPack:
    """The shipped QA pack of a language, loaded once."""
    return load_qa_pack_file(data_path("phrase_packs") / "qa" / f"{language}.yaml")
