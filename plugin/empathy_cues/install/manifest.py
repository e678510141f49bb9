"""Read ``manifests/<helpdesk>/install.json`` and render it into the objects to install. No I/O but files.

Manifest format (one JSON file per helpdesk): ``{kind: {key: {"body": {...}, "each"?, "requires"?}}}``.
* ``{{name}}`` placeholders are ours (``endpoint``, ``tags.*``, ``priority.*``, ``groups.*``,
  ``workflow_tags.*``, ``target.*``, ``ref.<kind>.<key>``); a string that is exactly one placeholder
  takes the value's type (an id stays a number). Vendor placeholders (``{{ticket.*}}``,
  ``{{current_user.*}}``, ``{{triggered_event}}``) are left alone for the helpdesk to fill in.
* ``"each": "response_targets"`` makes one object per distinct first-reply target (key ``<key>_<60m>``).
* ``"requires": "sla" | "no_sla"`` keeps an object only on plans with / without SLA policies.
* a list item with ``"$if": "<setting>"`` is kept only when that setting is truthy.
* ``{"$json_file": "x.json", "set": {...}}`` becomes the JSON text of that file (beside the manifest)
  with ``set`` applied: the webhook bodies the triggers send are kept in their own files.
``{{ref.*}}`` is resolved at apply time, after the object it names exists (see ``resolve_refs``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..policy_file import PluginConfig, ResponseTarget
from ..errors import ConfigError
from ..resources import data_path

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
OURS = ("endpoint", "secret_file", "tags.", "priority.", "groups.", "workflow_tags.", "target.", "ref.")
# Placeholders the helpdesks fill in themselves (Zendesk placeholders reference,
# https://support.zendesk.com/hc/en-us/articles/4408886858138 ; Freshdesk's rule placeholders).
VENDOR = ("ticket.", "current_user.", "triggered_event", "satisfaction.")


@dataclass(frozen=True)
class Desired:
    """One object the install wants: kind (``triggers``), stable key, and the rendered API body."""

    kind: str
    key: str
    body: dict
    refs: tuple[str, ...] = field(default=())          # "webhooks.receiver" ... objects it points at

    @property
    def ident(self) -> str:
        return f"{self.kind}.{self.key}"


def manifest_dir(helpdesk: str) -> Path:
    return data_path("manifests") / helpdesk


def load_manifest(helpdesk: str) -> dict:
    path = manifest_dir(helpdesk) / "install.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read manifest {path}: {exc}") from None
    return {k: v for k, v in data.items() if not k.startswith("$")}


def render(helpdesk: str, config: PluginConfig, *, endpoint: str, has_sla: bool = True,
           manifest: dict | None = None, secret_file: str = "<data dir>/webhook-secret") -> list[Desired]:
    """Every object to install, in manifest order, with all placeholders but ``ref.*`` filled in."""
    manifest = manifest if manifest is not None else load_manifest(helpdesk)
    base = {**config.placeholders(), "endpoint": endpoint.rstrip("/"), "secret_file": secret_file}
    out: list[Desired] = []
    for kind, objects in manifest.items():
        for key, spec in objects.items():
            requires = spec.get("requires")
            if requires == "sla" and not has_sla or requires == "no_sla" and has_sla:
                continue
            if spec.get("each") == "response_targets":
                for target in config.response_targets():
                    values = {**base, **_target_values(target)}
                    out.append(_desired(helpdesk, kind, f"{key}_{target.key}", spec["body"], values))
            else:
                out.append(_desired(helpdesk, kind, key, spec["body"], base))
    return out


def resolve_refs(body: Any, lookup: Callable[[str], Any]) -> Any:
    """Fill ``{{ref.kind.key}}`` with ``lookup("kind.key")`` (an id, or an app requirement name)."""
    return _walk(body, lambda name: lookup(name[4:]) if name.startswith("ref.") else None, keep_unknown=True)


def placeholders_in(value: Any, base: Path | None = None) -> set[str]:
    """Every placeholder name anywhere in a manifest value; ``base`` is the folder of ``$json_file``s."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(PLACEHOLDER.findall(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            if k == "$json_file" and base is not None:
                found |= placeholders_in((base / v).read_text(encoding="utf-8"))
            elif k == "$if":
                found.add(v)
            else:
                found |= placeholders_in(v, base)
    elif isinstance(value, list):
        for v in value:
            found |= placeholders_in(v, base)
    return found


def is_known(name: str) -> bool:
    return name.startswith(OURS) or name.startswith(VENDOR)


def _target_values(target: ResponseTarget) -> dict[str, Any]:
    return {"target.minutes": target.minutes, "target.tag": target.tag, "target.label": target.label,
            "target.hours": target.hours, "target.hours_before": str(target.hours - 1),
            "target.key": target.key, "target.channels": ", ".join(target.channels)}


def _desired(helpdesk: str, kind: str, key: str, body: dict, values: dict) -> Desired:
    def lookup(name: str) -> Any:
        if name.startswith("ref."):
            return None                                  # resolved at apply time
        if name in values:
            return values[name]
        if name.startswith(OURS):
            raise ConfigError(f"manifests/{helpdesk}/install.json {kind}.{key}: unknown placeholder {{{{{name}}}}}")
        return None                                      # a vendor placeholder: left for the helpdesk

    rendered = _walk(_expand(helpdesk, body, values, f"{kind}.{key}"), lookup, keep_unknown=True)
    refs = tuple(sorted(n[4:] for n in placeholders_in(body) if n.startswith("ref.")))
    return Desired(kind, key, rendered, refs)


def _expand(helpdesk: str, value: Any, values: dict, where: str) -> Any:
    """Apply ``$if`` and ``$json_file``; everything else is copied."""
    if isinstance(value, list):
        kept = []
        for item in value:
            if isinstance(item, dict) and "$if" in item:
                name = item["$if"]
                if name not in values:
                    raise ConfigError(f"manifests/{helpdesk}/install.json {where}: unknown setting in $if: {name}")
                if not values[name]:
                    continue
                item = {k: v for k, v in item.items() if k != "$if"}
            kept.append(_expand(helpdesk, item, values, where))
        return kept
    if isinstance(value, dict):
        if "$json_file" in value:
            path = manifest_dir(helpdesk) / value["$json_file"]
            data = json.loads(path.read_text(encoding="utf-8"))
            # `set` replaces values in place, keeping the file's key order: ids and `kind` stay ahead of
            # the free text, so a body broken by unescaped text can still be salvaged from its head
            # (helpdesks/*/normalize.py read only its first 4 KB).
            data.update(value.get("set") or {})
            return json.dumps(data, ensure_ascii=False, indent=2)
        return {k: _expand(helpdesk, v, values, where) for k, v in value.items()}
    return value


def _walk(value: Any, lookup: Callable[[str], Any], *, keep_unknown: bool) -> Any:
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole:
            found = lookup(whole.group(1))
            return value if found is None and keep_unknown else found

        def one(match: re.Match) -> str:
            found = lookup(match.group(1))
            return match.group(0) if found is None else str(found)

        return PLACEHOLDER.sub(one, value)
    if isinstance(value, dict):
        return {k: _walk(v, lookup, keep_unknown=keep_unknown) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, lookup, keep_unknown=keep_unknown) for v in value]
    return value
