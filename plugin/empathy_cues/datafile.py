"""Checks shared by the data files the plugin loads (phrase packs, reply templates).

Each failure is a :class:`~empathy_cues.errors.PackError` naming the file and, when one is at fault,
the entry (a cue id, a template key), so ``empathy-cues packs check`` can print one line per error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import PackError
from .resources import load_yaml


def read_yaml(path: str | Path) -> Any:
    """The parsed YAML of a data file, or a PackError saying why it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise PackError(str(path), f"not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None


def require(data: Mapping, key: str, kind: type | tuple[type, ...], path: str, cue_id: str | None = None):
    """``data[key]``, which must be there and of ``kind``."""
    if key not in data:
        raise PackError(path, f"missing required field {key!r}", cue_id=cue_id)
    value = data[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PackError(path, f"field {key!r} must be {names}, got {type(value).__name__}", cue_id=cue_id)
    return value


def word_list(value: Any, path: str, what: str, cue_id: str | None = None) -> list[str]:
    """A list of non-empty strings (YAML's bare yes/no/on/off, read as booleans, are named as the cause)."""
    if not isinstance(value, list):
        raise PackError(path, f"{what} must be a list of strings", cue_id=cue_id)
    for item in value:
        if not isinstance(item, str) or not item.strip():
            hint = " (YAML reads bare no/yes/on/off as booleans: quote them)" if isinstance(item, bool) else ""
            raise PackError(path, f"{what} must hold non-empty strings, found {item!r}{hint}", cue_id=cue_id)
    return value


def number(value: Any, path: str, what: str, *, low: float, high: float | None = None,
           low_inclusive: bool = True, cue_id: str | None = None) -> float:
    """A number within bounds, or a PackError saying which field and which bounds."""
    ok = not isinstance(value, bool) and isinstance(value, (int, float))
    ok = ok and (value >= low if low_inclusive else value > low) and (high is None or value <= high)
    if not ok:
        bounds = (f"from {low:g} to {high:g}" if low_inclusive else f"above {low:g} and at most {high:g}") \
            if high is not None else f"above {low:g}"
        raise PackError(path, f"{what} must be a number {bounds}, got {value!r}", cue_id=cue_id)
    return float(value)
