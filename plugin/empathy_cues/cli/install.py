"""`empathy-cues install | uninstall | status <helpdesk>`: the helpdesk configuration, applied.

Credentials come from the same variables as the server (EMPATHY_ZENDESK_SUBDOMAIN/EMAIL/API_TOKEN,
EMPATHY_FRESHDESK_DOMAIN/API_KEY); the webhook secret is what the install creates, so it is not needed.
Every failure is one line on stderr and exit code 2 (``run()`` in cli/__init__.py maps our errors).
"""
from __future__ import annotations

import sys
from urllib.parse import urlsplit

import click

from ..errors import ConfigError, InputError
from ..helpdesks.registry import REGISTRY

HELPDESKS = REGISTRY.names()


class _Offline:
    """An adapter that asks the helpdesk nothing (``install --offline``): every object is planned as a
    create, on a plan with SLA policies. The adapter's pure methods (shapes, markers, instructions) are
    the real ones, so the plan shows exactly what a first install sends."""

    def __init__(self, adapter) -> None:
        self._adapter = adapter

    def __getattr__(self, name: str):
        return getattr(self._adapter, name)

    def has_sla(self) -> bool:
        return True

    def list(self, kind: str) -> list:
        return []

    def get(self, kind: str, object_id) -> None:
        return None


def _runner(helpdesk: str, url: str | None, *, need_url: bool, offline: bool = False):
    from ..policy_file import PluginConfig
    from ..install.runner import Runner
    from ..install.state import InstallState
    from ..service.settings import admin_settings

    spec = REGISTRY[helpdesk]
    settings = admin_settings()
    creds = settings.helpdesks.get(helpdesk)
    if creds is None and offline:
        creds = spec.offline_credentials
    if creds is None:
        raise ConfigError(f"{helpdesk} is not configured: set {', '.join(spec.admin_variables)}")
    # The install state and the webhook secret file live here; the server must read the same directory.
    click.echo(f"empathy-cues: install state in {settings.describe_data_dir()}", err=True)
    if url is None:
        url = InstallState.load(settings.data_dir, helpdesk).endpoint
        if url is None:
            if need_url:
                raise InputError("give --url https://<your empathy-cues host> (where the helpdesk sends webhooks)")
            url = "https://unknown.invalid"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise InputError(f"--url must be the plugin's base URL such as https://plugin.example.com, not {url!r}")
    adapter = spec.admin(creds)
    if offline:
        adapter = _Offline(adapter)
    return Runner(adapter, PluginConfig.load(settings.config_path), settings.data_dir, endpoint=url)


def register(main: click.Group) -> None:
    @main.command()
    @click.argument("helpdesk", type=click.Choice(HELPDESKS))
    @click.option("--url", envvar="EMPATHY_PUBLIC_URL",
                  help="Base URL of your empathy-cues server, e.g. https://plugin.example.com (default: $EMPATHY_PUBLIC_URL).")
    @click.option("--dry-run", is_flag=True, help="Show the plan (create / update / unchanged / edited) and change nothing.")
    @click.option("--offline", is_flag=True,
                  help="With --dry-run: print the plan of a first install without asking the helpdesk (no credentials needed).")
    @click.option("--force", is_flag=True, help="Also overwrite objects an admin edited in the helpdesk.")
    @click.option("--app-package", type=click.Path(file_okay=False),
                  help="Zendesk only: write a private-app package (requirements.json) to this folder instead.")
    def install(helpdesk: str, url: str | None, dry_run: bool, offline: bool, force: bool,
                app_package: str | None) -> None:
        """Create the webhook, triggers, SLA targets, views and macros (Zendesk) or canned responses and
        rule instructions (Freshdesk) from manifests/, idempotently."""
        if app_package:
            from ..policy_file import PluginConfig
            from ..service.settings import admin_settings

            spec = REGISTRY[helpdesk]
            if not spec.has_app_package or not url:
                having = " and ".join(s.name for s in REGISTRY if s.has_app_package)
                raise InputError(f"--app-package is for {having} and needs --url")
            click.echo(spec.write_app_package(app_package, PluginConfig.load(admin_settings().config_path),
                                              endpoint=url))
            return
        if offline and not dry_run:
            raise InputError("--offline only prints a plan: use it with --dry-run")
        outcome = _runner(helpdesk, url, need_url=True, offline=offline).install(dry_run=dry_run, force=force)
        if offline:
            outcome.lines.insert(2, "Offline - the helpdesk was not asked: every object is shown as a first install "
                                    "would create it (SLA policies; plans without them get automations instead).")
        click.echo(outcome.text())

    @main.command()
    @click.argument("helpdesk", type=click.Choice(HELPDESKS))
    @click.option("--dry-run", is_flag=True, help="Show what would be removed and change nothing.")
    def uninstall(helpdesk: str, dry_run: bool) -> None:
        """Remove exactly what `install` created (found by stored id, else by marker)."""
        click.echo(_runner(helpdesk, None, need_url=False).uninstall(dry_run=dry_run).text())

    @main.command()
    @click.argument("helpdesk", type=click.Choice(HELPDESKS))
    @click.option("--url", envvar="EMPATHY_PUBLIC_URL",
                  help="Base URL of your empathy-cues server (default: $EMPATHY_PUBLIC_URL, else the one installed).")
    def status(helpdesk: str, url: str | None) -> None:
        """What is installed, and whether the webhook reaches the server and is authenticated.

        \b
        Exit codes: 0 working; 1 not working (unreachable, disabled, objects missing);
        3 the server holds another webhook secret; 4 the server's clock is off (stale timestamp)."""
        outcome = _runner(helpdesk, url, need_url=True).status()
        click.echo(outcome.text())
        if outcome.exit_code:
            sys.exit(outcome.exit_code)
