"""The policy file (TOML): tag names, response targets, priorities and groups, read by both the
analyser (through ``Policy``) and the helpdesk manifests (through ``placeholders()``).

One TOML file (stdlib ``tomllib``) named by ``EMPATHY_CONFIG``; without it the shipped
``manifests/defaults.toml``. A file may set only some keys: the rest come from the defaults.
Because both sides render from this one object, a renamed tag cannot drift between the tags the
analyser writes and the tags the helpdesk's triggers, SLA policies and views act on.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .core.decision import Policy, format_target
from .durations import minutes_text
from .errors import ConfigError
from .resources import data_path

PRIORITIES = ("low", "normal", "high", "urgent")
# Freshdesk's numeric priorities (https://developers.freshdesk.com/api/#tickets: 1 Low, 2 Medium,
# 3 High, 4 Urgent); Zendesk's "normal" is Freshdesk's "Medium".
FRESHDESK_PRIORITY = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
FRESHDESK_PRIORITY_NAME = {"low": "Low", "normal": "Medium", "high": "High", "urgent": "Urgent"}
_SECTIONS = {"tags", "response_minutes", "workflow_tags", "priority", "groups", "records", "feedback", "qa",
             "history", "backfill"}
_WORKFLOW_TAGS = ("helped", "not_helped", "reminded", "overdue")


def defaults_path() -> Path:
    return data_path("manifests") / "defaults.toml"


@dataclass(frozen=True)
class ResponseTarget:
    """One distinct first-reply target and the channels that use it."""

    minutes: int
    tag: str
    channels: tuple[str, ...]

    @property
    def key(self) -> str:
        return format_target(self.minutes)

    @property
    def hours(self) -> int:
        """Whole hours, rounded up (Zendesk automations count in hours)."""
        return max(1, -(-self.minutes // 60))

    @property
    def label(self) -> str:
        return minutes_text(self.minutes)


@dataclass(frozen=True)
class PluginConfig:
    data: Mapping[str, Any]
    source: str

    @classmethod
    def load(cls, path: str | Path | None = None) -> "PluginConfig":
        """Defaults, overlaid with ``path`` when given. Raises ConfigError naming the file and key."""
        base = _read(defaults_path())
        source = str(defaults_path())
        if path:
            override = _read(Path(path))
            unknown = set(override) - _SECTIONS
            if unknown:
                raise ConfigError(f"{path}: unknown section(s) [{'], ['.join(sorted(unknown))}] "
                                  f"(known: {', '.join(sorted(_SECTIONS))})")
            base = {k: {**base.get(k, {}), **override.get(k, {})} for k in _SECTIONS}
            source = str(path)
        config = cls(base, source)
        config.validate()
        return config

    # -- the analyser's view ------------------------------------------------------------------------

    @property
    def policy(self) -> Policy:
        try:
            return Policy.from_mapping({"tags": self.data.get("tags", {}),
                                        "response_minutes": self.data.get("response_minutes", {})})
        except ValueError as exc:
            raise ConfigError(f"{self.source}: {exc}") from None

    @property
    def history(self):
        """The ``[history]`` section as ``history.HistorySettings`` (checked by ``validate``)."""
        from .core.history import HistorySettings

        return HistorySettings(**self.data["history"])

    @property
    def backfill_rate_fraction(self) -> float:
        return float(self.data["backfill"]["rate_fraction"])

    # -- the manifests' view ------------------------------------------------------------------------

    def response_targets(self) -> list[ResponseTarget]:
        policy = self.policy
        by_minutes: dict[int, list[str]] = {}
        for channel, minutes in policy.response_minutes.items():
            by_minutes.setdefault(minutes, []).append(channel)
        return [ResponseTarget(m, policy.respond_tag(m), tuple(sorted(chs))) for m, chs in sorted(by_minutes.items())]

    def workflow_tags(self) -> dict[str, str]:
        return {k: str(self.data["workflow_tags"][k]) for k in _WORKFLOW_TAGS}

    def placeholders(self) -> dict[str, Any]:
        """Every ``{{name}}`` a manifest may use, except per-install ones (endpoint, refs, target)."""
        policy, prio, groups = self.policy, self.data["priority"], self.data["groups"]
        values: dict[str, Any] = {
            "tags.apology": policy.tag_apology,
            "tags.priority": policy.tag_priority,
            "tags.polite": policy.tag_polite,
            "priority.raise": bool(prio["raise"]),
            "priority.raise_to": prio["raise_to"],
            "priority.assign": bool(prio["assign"]),
            "priority.freshdesk_raise_to": FRESHDESK_PRIORITY[prio["raise_to"]],
            "priority.freshdesk_raise_to_name": FRESHDESK_PRIORITY_NAME[prio["raise_to"]],
            "groups.zendesk_priority_follow_up": int(groups["zendesk_priority_follow_up"]),
            "groups.freshdesk_priority_follow_up": int(groups["freshdesk_priority_follow_up"]),
        }
        values.update({f"workflow_tags.{k}": v for k, v in self.workflow_tags().items()})
        return values

    def validate(self) -> None:
        self.policy  # noqa: B018 - raises ConfigError on bad tags / minutes
        for name in _SECTIONS:
            if not isinstance(self.data.get(name), Mapping):
                raise ConfigError(f"{self.source}: section [{name}] is missing")
        _validate_routing(self.source, self.data)
        _validate_learning(self.source, self.data)
        _validate_look_back(self.source, self.data["history"], self.data["backfill"])


def _validate_routing(source: str, data: Mapping[str, Any]) -> None:
    """[priority], [groups] and [workflow_tags]: what the helpdesk's own rules do with a flagged ticket."""
    prio = data["priority"]
    if prio.get("raise_to") not in PRIORITIES:
        raise ConfigError(f"{source}: priority.raise_to must be one of {', '.join(PRIORITIES)}")
    for key in ("raise", "assign"):
        if not isinstance(prio.get(key), bool):
            raise ConfigError(f"{source}: priority.{key} must be true or false")
    for key, value in data["groups"].items():
        if not isinstance(value, int) or value < 0:
            raise ConfigError(f"{source}: groups.{key} must be a group id (a whole number, 0 = none)")
    for key in _WORKFLOW_TAGS:
        tag = data["workflow_tags"].get(key)
        if not isinstance(tag, str) or not tag or " " in tag:
            raise ConfigError(f"{source}: workflow_tags.{key} must be one tag (no spaces)")
    if prio["assign"] and not (data["groups"].get("zendesk_priority_follow_up")
                               or data["groups"].get("freshdesk_priority_follow_up")):
        raise ConfigError(f"{source}: priority.assign = true needs a group id in [groups]")


def _validate_learning(source: str, data: Mapping[str, Any]) -> None:
    """[records], [feedback] and [qa]: what the plugin keeps and learns from agents."""
    days = data["records"].get("retention_days")
    if isinstance(days, bool) or not isinstance(days, (int, float)) or days <= 0:
        raise ConfigError(f"{source}: records.retention_days must be a number of days above 0")
    fb = data["feedback"]
    if isinstance(fb.get("candidate_min_votes"), bool) or not isinstance(fb.get("candidate_min_votes"), int) \
            or fb["candidate_min_votes"] < 1:
        raise ConfigError(f"{source}: feedback.candidate_min_votes must be a whole number of votes, at least 1")
    rate = fb.get("candidate_max_rate")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ConfigError(f"{source}: feedback.candidate_max_rate must be a rate between 0 and 1")
    if not isinstance(fb.get("overrides"), str):
        raise ConfigError(f"{source}: feedback.overrides must be a file path, or \"\" for none")
    _validate_qa(source, data["qa"])


def _validate_qa(source: str, qa: Mapping[str, Any]) -> None:
    if not isinstance(qa.get("score_replies"), bool):
        raise ConfigError(f"{source}: qa.score_replies must be true or false")
    hours = qa.get("first_reply_hours")
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or hours < 0:
        raise ConfigError(f"{source}: qa.first_reply_hours must be a number of hours (0 = the ticket's own target)")
    tag = qa.get("missing_apology_tag")
    if not isinstance(tag, str) or " " in tag:
        raise ConfigError(f"{source}: qa.missing_apology_tag must be one tag (no spaces), or \"\" for off")


_HISTORY_NUMBERS = {"window_days": (1, 365), "min_earlier": (1, 100), "cache_seconds": (0, 86400),
                    "subject_similarity": (0, 100)}


def _validate_look_back(source: str, history: Mapping, backfill: Mapping) -> None:
    unknown = set(history) - set(_HISTORY_NUMBERS) - {"enabled"}
    if unknown:
        raise ConfigError(f"{source}: unknown history setting(s): {', '.join(sorted(unknown))}")
    if not isinstance(history.get("enabled"), bool):
        raise ConfigError(f"{source}: history.enabled must be true or false")
    for key, (low, high) in _HISTORY_NUMBERS.items():
        value = history.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ConfigError(f"{source}: history.{key} must be a whole number from {low} to {high}")
    fraction = backfill.get("rate_fraction")
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction <= 1:
        raise ConfigError(f"{source}: backfill.rate_fraction must be a number above 0 and at most 1")


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
