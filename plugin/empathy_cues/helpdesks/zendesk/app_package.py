"""The Zendesk private-app package, rendered from the same manifest as the API install.

A requirements-only app (no UI): ``manifest.json`` (``requirementsOnly``, no ``location`` /
``frameworkVersion``), ``translations/en.json`` and ``requirements.json`` whose items are the same API
bodies; a trigger names its webhook by the requirement identifier. Rules from zendesk_apps_support
(manifest.rb, validations/manifest.rb, validations/requirements.rb) and
https://developer.zendesk.com/documentation/apps/app-developer-guide/apps_requirements/ . Note: Zendesk
hides the signing secret of app-created webhooks, so the server cannot verify them - the API install
(`empathy-cues install zendesk`) is the recommended path; the package is for admins who must use apps.
"""
from __future__ import annotations

import json
from pathlib import Path

from ... import __version__
from ...policy_file import PluginConfig
from ...install.manifest import render, resolve_refs


def write_zendesk_app(folder: Path, config: PluginConfig, *, endpoint: str) -> Path:
    folder = Path(folder)
    (folder / "translations").mkdir(parents=True, exist_ok=True)
    requirements: dict[str, dict] = {}
    # Apps cannot know the plan; SLA policies are skipped and the time-based automations used.
    for want in render("zendesk", config, endpoint=endpoint, has_sla=False):
        body = resolve_refs(want.body, lambda ident: ident.replace(".", "_"))
        requirements.setdefault(want.kind, {})[f"{want.kind}_{want.key}"] = body
    manifest = {
        "name": "empathy-cues",
        "author": {"name": "empathy-cues", "email": "admin@example.com", "url": endpoint},
        "defaultLocale": "en", "private": True, "version": __version__,
        "requirementsOnly": True, "singleInstall": True,
        "parameters": [
            {"name": "plugin_url", "type": "url", "required": True, "default": endpoint},
            {"name": "plugin_token", "type": "text", "required": False, "secure": True, "scopes": ["header"]},
        ],
    }
    translations = {"app": {"name": "empathy-cues", "short_description": "Spots struggling customers",
                            "long_description": "Tags tickets where an apology or a priority follow-up is owed, "
                                                "and adds the triggers, views and macros that act on the tags.",
                            "installation_instructions": "Install, then point the plugin server at this account.",
                            "parameters": {"plugin_url": {"label": "empathy-cues server URL"},
                                           "plugin_token": {"label": "Token for the empathy-cues server"}}}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (folder / "translations" / "en.json").write_text(json.dumps(translations, indent=2), encoding="utf-8")
    (folder / "requirements.json").write_text(json.dumps(requirements, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder
