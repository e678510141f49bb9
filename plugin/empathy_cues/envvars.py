"""Reading one variable from an environment mapping, with a ``ConfigError`` that names it.

``service/settings.py`` is the only module that reads ``os.environ``; it hands the mapping to these helpers and
to each helpdesk's own settings (``helpdesks/<name>/settings.py``), so a helpdesk's variables are
validated in its folder with the same words as every other variable.
"""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlparse

from .errors import ConfigError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def flag(env: Mapping[str, str], name: str) -> bool:
    value = get(env, name).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def whole(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = get(env, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}")
    return value


def seconds(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = get(env, name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not value >= minimum or value == float("inf"):
        raise ConfigError(f"{name} must be a finite number of seconds, at least {minimum:g}")
    return value


def url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = get(env, name)
    if not raw:
        return default
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{name} must be an http(s) URL such as https://example.zendesk.com, not {raw!r}")
    return raw.rstrip("/")


def section(env: Mapping[str, str], required: tuple[str, ...], optional: tuple[str, ...]) -> dict | None:
    """All required variables present -> their values; none present -> None; some -> ConfigError.

    A helpdesk whose variables are all absent is simply not enabled; a half-configured one is an error
    (a typo must not silently switch a helpdesk off)."""
    values = {name: get(env, name) for name in required}
    present = [name for name, value in values.items() if value]
    if not present and not any(get(env, name) for name in optional):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ConfigError(
            f"incomplete helpdesk settings: {', '.join(missing)} must be set "
            f"(set all of {', '.join(required)} or none of them)"
        )
    return values
