"""Per-account cue overrides: cues an admin turned off for one account, without editing the shipped pack.

A TOML file named by ``[feedback] overrides`` in the settings file::

    [accounts.acme]
    disable = ["positive_tone.love", "struggle.tried"]

Loaded and checked when the worker starts (``load_overrides``): an unknown cue id, a malformed table or
an unreadable file is a ConfigError naming the file, the account and the cue. Applied by handing the
matcher a copy of the pack without those cues (``pack_for``): the analysis is otherwise unchanged.
"""
from __future__ import annotations

import dataclasses
import re
import threading
import tomllib
from pathlib import Path

from ..errors import ConfigError

_ACCOUNT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclasses.dataclass(frozen=True)
class CueOverrides:
    disabled: dict[str, frozenset[str]]          # account -> cue ids turned off
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_packs", {})
        object.__setattr__(self, "_lock", threading.Lock())

    def disabled_for(self, account: str) -> frozenset[str]:
        return self.disabled.get(account, frozenset())

    def pack_for(self, account: str, pack=None):
        """The pack to analyse ``account``'s messages with: None (the built-in pack) when nothing is off,
        else a copy without the disabled cues, made once per account."""
        off = self.disabled_for(account)
        if not off:
            return pack
        from ..packs import load_builtin_pack

        with self._lock:
            if account not in self._packs:
                base = pack or load_builtin_pack("en")
                self._packs[account] = dataclasses.replace(base, cues=tuple(c for c in base.cues if c.id not in off))
            return self._packs[account]


NO_OVERRIDES = CueOverrides({})


def parse_overrides(data: dict, source: str, known_cues: frozenset[str]) -> CueOverrides:
    """Validate an overrides document (already parsed). Raises ConfigError naming what is wrong."""
    unknown = set(data) - {"accounts"}
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))} (expected [accounts.<name>])")
    accounts = data.get("accounts", {})
    if not isinstance(accounts, dict):
        raise ConfigError(f"{source}: accounts must be tables, [accounts.<name>]")
    disabled: dict[str, frozenset[str]] = {}
    for account, table in accounts.items():
        if not _ACCOUNT.fullmatch(account):
            raise ConfigError(f"{source}: account {account!r} is not a helpdesk subdomain or domain")
        if not isinstance(table, dict) or set(table) - {"disable"}:
            raise ConfigError(f"{source}: [accounts.{account}] may hold only disable = [cue ids]")
        cues = table.get("disable", [])
        if not isinstance(cues, list) or not all(isinstance(c, str) for c in cues):
            raise ConfigError(f"{source}: accounts.{account}.disable must be a list of cue ids")
        for cue in cues:
            if cue not in known_cues:
                raise ConfigError(f"{source}: accounts.{account}.disable: unknown cue {cue!r} "
                                  f"(see `empathy-cues packs show`)")
        disabled[account] = frozenset(cues)
    return CueOverrides(disabled, source)


def load_overrides(path: str | Path | None, pack=None) -> CueOverrides:
    """The overrides file at ``path`` ("" or None: none), checked against ``pack`` (default: built-in)."""
    if not path:
        return NO_OVERRIDES
    from ..packs import load_builtin_pack

    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read cue overrides {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    pack = pack or load_builtin_pack("en")
    return parse_overrides(data, str(path), frozenset(c.id for c in pack.cues))


def overrides_path(config) -> str:
    """[feedback] overrides of a PluginConfig, relative to the settings file's folder."""
    value = str(config.data["feedback"].get("overrides") or "")
    if not value or Path(value).is_absolute():
        return value
    return str(Path(config.source).parent / value)
