"""Settings from the environment: the only module that reads ``os.environ``.

``Settings.from_env(environ)`` validates everything at start-up and raises ``ConfigError`` naming the
variable at fault. A helpdesk whose variables are all absent is simply not enabled; one that is
half-configured is an error (a typo must not silently switch a helpdesk off).

Worker tuning (all optional):
  EMPATHY_WORKERS               queue worker threads of `serve`/`worker` (default 2)
  EMPATHY_RETRY_BASE_SECONDS    first retry delay after a retryable helpdesk error, doubled at each
                                retry; a longer Retry-After always wins (default 2; 8 retries)
  EMPATHY_SWEEP_GRACE_SECONDS   how long an acknowledged event may sit untouched (no attempt started,
                                none scheduled) before the worker's sweeper re-enqueues it as lost in a
                                crash, e.g. a SIGKILL while it was being processed (default 300)
  EMPATHY_SIGNATURE_TOLERANCE   seconds either side of Zendesk's signature timestamp (default 300)

Operations (see helpdesks/<name>/limits.py and metrics.py):
  EMPATHY_ZENDESK_RATE_LIMIT    API calls a minute we allow ourselves on the Zendesk account (default 200,
                                the smallest plan; set it below the plan's limit when other apps share it)
  EMPATHY_ZENDESK_TICKET_UPDATE_LIMIT  Update Ticket calls a minute (default 100, Zendesk's endpoint limit)
  EMPATHY_FRESHDESK_RATE_LIMIT  API calls a minute on the Freshdesk account (default 200, Growth plan)
  EMPATHY_RETRIES               retries after retryable helpdesk errors before a dead letter (default 12;
                                429s and our own rate budget do not use them up)
  EMPATHY_RETRY_MAX_SECONDS     the longest delay between two retries (default 900): with the defaults about
                                an hour of helpdesk errors is ridden out before an admin must look
  EMPATHY_HELPDESK_TIMEOUT      seconds to wait for a helpdesk API answer before retrying later (default 10)
  EMPATHY_METRICS_PORT          a worker serves Prometheus /metrics on this port (default: none; `serve`
                                exposes everything on the web port's /metrics)
  EMPATHY_METRICS_HOST          the address of that port (default 127.0.0.1; 0.0.0.0 only where a network
                                boundary such as a container network keeps it private)
  EMPATHY_LOG_LEVEL             DEBUG, INFO (default), WARNING or ERROR: JSON lines on stderr from the web
                                workers and the queue worker alike (logs.py)
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlparse

from ..envvars import flag as _flag, get as _get, seconds as _seconds, whole as _int
from ..errors import ConfigError
from ..helpdesks.registry import REGISTRY


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    queue_url: str | None                         # None -> SQLite in data_dir; redis://... -> Redis
    dry_run: bool
    # Each configured helpdesk's own section, by name (helpdesks/<name>/settings.py); absent: not enabled.
    helpdesks: Mapping[str, Any] = field(default_factory=dict, hash=False)
    signature_tolerance: int = 300                # seconds either side of Zendesk's timestamp
    workers: int = 2                              # worker threads of the embedded consumer
    retry_base_seconds: float = 2.0               # first retry delay; doubles at each retry
    sweep_grace_seconds: float = 300.0            # untouched this long -> re-enqueued by the sweeper
    retries: int = 12                             # before a dead letter (worker/task.py)
    retry_max_seconds: float = 900.0              # cap of the doubling retry delay
    helpdesk_timeout: float = 10.0                # read timeout of helpdesk API calls
    metrics_port: int | None = None               # worker's own /metrics port (scale-out)
    metrics_host: str = "127.0.0.1"               # ... and its address: loopback unless told otherwise
    config_path: str | None = None                # EMPATHY_CONFIG: tag names and response targets
    log_level: str = "INFO"                       # EMPATHY_LOG_LEVEL
    data_dir_is_default: bool = False             # EMPATHY_DATA_DIR unset: admin commands say so
    # EMPATHY_ADMIN_PAGE_TOKEN(_FILE): who may open /admin, as hashes only (web/admin/access.py); None: off.
    admin_page: Any = field(default=None, hash=False, repr=False)

    def describe_storage(self) -> str:
        """Where the queue and state live, for admin commands to name (a Redis password is hidden)."""
        if self.uses_redis:
            parts = urlparse(self.queue_url)
            netloc = parts.hostname or ""
            if parts.port:
                netloc += f":{parts.port}"
            if parts.password:
                netloc = f"{parts.username or ''}:***@{netloc}"
            return f"Redis {parts._replace(netloc=netloc).geturl()} (EMPATHY_QUEUE_URL)"
        origin = ("the default: EMPATHY_DATA_DIR is not set" if self.data_dir_is_default else "EMPATHY_DATA_DIR")
        return f"{self.data_dir} ({origin})"

    @property
    def enabled_helpdesks(self) -> tuple[str, ...]:
        return tuple(name for name in REGISTRY.names() if self.helpdesks.get(name) is not None)

    @property
    def uses_redis(self) -> bool:
        return bool(self.queue_url) and self.queue_url.startswith(("redis://", "rediss://", "unix://"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        from .web.admin.access import TOKEN_VARIABLE, from_env as admin_page_access

        env = _with_secret_files(dict(os.environ if environ is None else environ),
                                 (*(n for spec in REGISTRY for n in spec.secret_variables), TOKEN_VARIABLE))
        sections = {spec.name: spec.settings_from_env(env) for spec in REGISTRY}
        return cls(
            data_dir=_data_dir(env),
            queue_url=_queue_url(env),
            dry_run=_flag(env, "EMPATHY_DRY_RUN"),
            helpdesks={name: section for name, section in sections.items() if section is not None},
            signature_tolerance=_int(env, "EMPATHY_SIGNATURE_TOLERANCE", 300, minimum=1),
            workers=_int(env, "EMPATHY_WORKERS", 2, minimum=1),
            retry_base_seconds=_seconds(env, "EMPATHY_RETRY_BASE_SECONDS", 2.0, minimum=0.1),
            sweep_grace_seconds=_seconds(env, "EMPATHY_SWEEP_GRACE_SECONDS", 300.0, minimum=0.5),
            retries=_int(env, "EMPATHY_RETRIES", 12, minimum=0),
            retry_max_seconds=_seconds(env, "EMPATHY_RETRY_MAX_SECONDS", 900.0, minimum=0.1),
            helpdesk_timeout=_seconds(env, "EMPATHY_HELPDESK_TIMEOUT", 10.0, minimum=0.1),
            metrics_port=_int(env, "EMPATHY_METRICS_PORT", 0, minimum=0) or None,
            metrics_host=(env.get("EMPATHY_METRICS_HOST") or "127.0.0.1").strip(),
            config_path=_config_path(env),
            log_level=_log_level(env),
            data_dir_is_default=not _get(env, "EMPATHY_DATA_DIR"),
            admin_page=admin_page_access(env),
        )

    def setup_hint(self) -> str:
        """What an admin must set to enable a helpdesk (printed when none is configured). A method, so
        the web views that show it need not import this module (it imports the admin page's access)."""
        return "\n".join(["No helpdesk is configured, so only /healthz answers.",
                          *(spec.setup_hint for spec in REGISTRY)])

    def describe(self) -> str:
        """One paragraph for the start-up log: what is enabled and where data lives. Never secrets."""
        queue = "redis" if self.uses_redis else f"sqlite in {self.data_dir}"
        helpdesks = ", ".join(self.enabled_helpdesks) or "none"
        return f"helpdesks: {helpdesks}; queue: {queue}; dry run: {'yes' if self.dry_run else 'no'}"


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(env: Mapping[str, str]) -> str:
    value = _get(env, "EMPATHY_LOG_LEVEL").upper() or "INFO"
    if value not in _LOG_LEVELS:
        raise ConfigError(f"EMPATHY_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, not {value!r}")
    return value










def _data_dir(env: Mapping[str, str]) -> Path:
    raw = _get(env, "EMPATHY_DATA_DIR")
    if raw:
        return Path(raw).expanduser()
    # platformdirs knows each OS's convention (XDG on Linux, ~/Library on macOS, %LOCALAPPDATA%).
    import platformdirs

    return Path(platformdirs.user_data_dir("empathy-cues", appauthor=False))


def _queue_url(env: Mapping[str, str]) -> str | None:
    raw = _get(env, "EMPATHY_QUEUE_URL")
    if not raw or raw.lower() == "sqlite":
        return None
    scheme = urlparse(raw).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(
            f"EMPATHY_QUEUE_URL must be unset (SQLite in the data dir) or a redis://host:port/db URL, not {raw!r}"
        )
    return raw






def _config_path(env: Mapping[str, str]) -> str | None:
    """EMPATHY_CONFIG, checked now: a broken settings file must stop start-up, not every event."""
    path = _get(env, "EMPATHY_CONFIG") or None
    if path:
        from ..policy_file import PluginConfig

        PluginConfig.load(path)
    return path



def _with_secret_files(env: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """``NAME_FILE=/path`` stands for ``NAME=<contents of the file>`` (the file ``empathy-cues install``
    writes, or a container secret), so secrets need not sit in the environment itself.

    Both set is an error naming both: a leftover ``NAME=change-me`` beside the file would otherwise win
    without a word, and every webhook would be refused while /readyz said ready. A placeholder copied
    from the example env file is refused for the same reason."""
    for name in names:
        path = _get(env, f"{name}_FILE")
        if path and _get(env, name):
            raise ConfigError(f"{name} and {name}_FILE are both set: keep one (the file is what "
                              "`empathy-cues install` writes)")
        if path:
            try:
                env[name] = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{name}_FILE: cannot read {path}: {exc.strerror or exc}") from None
            if not env[name]:
                raise ConfigError(f"{name}_FILE: {path} is empty")
        if _PLACEHOLDER.search(_get(env, name)):
            source = f"{name}_FILE ({path})" if path else name
            raise ConfigError(f"{source} holds a placeholder, not a real secret: set the value from the helpdesk "
                              "(or the file `empathy-cues install` writes)")
    return env


# Values people leave from examples: "change-me", "<your token>", "xxx", "TODO" ... Real secrets
# and tokens are long random strings and never look like these.
_PLACEHOLDER = re.compile(r"^(<.*>|x{3,}|\.\.\.|todo|tbd|fixme|placeholder)$"
                          r"|change[-_ ]?me|replace[-_ ]?me|^your[-_ ]", re.IGNORECASE)



# -- `empathy-cues install | uninstall | status` ------------------------------------------------------
@dataclass(frozen=True)
class AdminSettings:
    """What the install commands need: API credentials (no webhook secret yet), data dir, settings file."""

    data_dir: Path
    config_path: str | None                      # EMPATHY_CONFIG, the tags/targets settings file
    # Each configured helpdesk's admin credentials by name: the keyword arguments of its install adapter.
    helpdesks: Mapping[str, dict] = field(default_factory=dict, hash=False)
    data_dir_is_default: bool = False            # EMPATHY_DATA_DIR unset

    def describe_data_dir(self) -> str:
        origin = "the default: EMPATHY_DATA_DIR is not set" if self.data_dir_is_default else "EMPATHY_DATA_DIR"
        return f"{self.data_dir} ({origin})"


def admin_settings(environ: Mapping[str, str] | None = None) -> AdminSettings:
    # The API credentials may come from files too; the webhook secret is what install creates.
    env = _with_secret_files(dict(os.environ if environ is None else environ),
                             tuple(n for spec in REGISTRY for n in spec.admin_secret_variables))
    found = {spec.name: spec.admin_credentials(env) for spec in REGISTRY}
    return AdminSettings(_data_dir(env), _get(env, "EMPATHY_CONFIG") or None,
                         {name: creds for name, creds in found.items() if creds is not None},
                         data_dir_is_default=not _get(env, "EMPATHY_DATA_DIR"))
