"""What a worker process holds while it runs: settings, the state store, the policy, one helpdesk client per
thread (built at first use, never at import; the threads' clients of one helpdesk share one outbound rate
limiter, so a 429 seen by one thread holds back the others), the composer, the decision journal and the
requester-history lookup."""
from __future__ import annotations

import logging
import threading
from typing import Any

from ..errors import PermanentHelpdeskError
from ..helpdesks.registry import REGISTRY

log = logging.getLogger("empathy_cues.worker")


def build_client(helpdesk: str, settings, *, limiter=None, timeout=None) -> Any:
    """The helpdesk API client for one helpdesk, from its settings section (through its registry spec).

    ``limiter``: an ``OutboundRateLimiter`` shared by every client of the process (None: the client's own).
    """
    spec, section = _configured(helpdesk, settings)
    return spec.client(section, limiter=limiter, timeout=timeout)


def _configured(helpdesk: str, settings):
    spec = REGISTRY.get(helpdesk)
    section = settings.helpdesks.get(helpdesk) if spec is not None else None
    if section is None:
        raise PermanentHelpdeskError(f"{helpdesk} is not configured on this worker", helpdesk=helpdesk)
    return spec, section


class Runtime:
    """What a worker needs: settings, the store, clients per thread, our own API user ids (cached)."""

    def __init__(self, settings, store, *, client_factory=None, composer=None) -> None:
        self.settings = settings
        self.store = store
        self.next_purge_at = 0.0          # sweep(): when expired records are next purged (monotonic)
        self._client_factory = client_factory or self._build_client
        self._composer = composer
        self._local = threading.local()
        self._own_ids: dict[str, str | None] = {}
        self._limiters: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _build_client(self, helpdesk: str, settings) -> Any:
        """build_client with one rate limiter per helpdesk for all of this process's threads; in the
        scale-out mode its state is in Redis, shared by every worker process (helpdesks/limits.py)."""
        from ..helpdesks.limits import build_limiter

        _configured(helpdesk, settings)
        with self._lock:
            if helpdesk not in self._limiters:
                self._limiters[helpdesk] = build_limiter(helpdesk, settings)
            limiter = self._limiters[helpdesk]
        timeout = (3.05, getattr(settings, "helpdesk_timeout", 10.0))
        return build_client(helpdesk, settings, limiter=limiter, timeout=timeout)

    @property
    def policy(self):
        """Tag names and response targets from the settings file (EMPATHY_CONFIG), read once."""
        policy = getattr(self, "_policy", None)
        if policy is None:
            from ..policy_file import PluginConfig

            policy = self._policy = PluginConfig.load(getattr(self.settings, "config_path", None)).policy
        return policy

    @property
    def history(self):
        """The requester-history lookup (worker/history_lookup.py), with the settings file's [history], built once."""
        from ..policy_file import PluginConfig
        from .history_lookup import HistoryLookup

        with self._lock:      # one lookup (and one cache) for all of this process's worker threads
            lookup = getattr(self, "_history", None)
            if lookup is None:
                settings = PluginConfig.load(getattr(self.settings, "config_path", None)).history
                lookup = self._history = HistoryLookup(settings, self.client)
        return lookup

    def warm_up(self) -> None:
        """Load the settings file, phrase pack and templates and run one message through analysis and
        composing, before the first event: a worker started just before a burst would otherwise spend
        its first events' time (about half a second of CPU, taken from the web processes on a small machine)
        parsing YAML, compiling templates and importing the helpdesk clients (zenpy alone takes about
        0.1 s). Raises what a broken pack or settings file raises; makes no network call."""
        from .. import analyze

        sample = "I tried twice and it still does not work, which is frustrating."
        self.compose(analyze(sample, policy=self.policy), ticket_id="0", customer_name=None)
        from ..reply import compose_note
        from ..reply.spelling import load_dictionary

        self.journal.check()        # a bad cue overrides file or QA pack stops the worker here, naming the fault
        if self._composer is compose_note:
            load_dictionary().warm()   # the spelling index, built once here rather than inside a budget
        for helpdesk in self.settings.enabled_helpdesks:
            REGISTRY[helpdesk].prepare()

    def compose(self, analysis, *, ticket_id: str, customer_name: str | None):
        """The note for an analysis: reply.compose_note unless a composer was injected."""
        if self._composer is None:
            from ..reply import compose_note

            self._composer = compose_note
        return self._composer(analysis, ticket_id=ticket_id, customer_name=customer_name)

    @property
    def journal(self):
        """The decision log and what agents' updates teach (journal.py), opened at first use."""
        journal = getattr(self, "_journal", None)
        if journal is None:
            from .journal import open_journal

            with self._lock:
                journal = self._journal = getattr(self, "_journal", None) or open_journal(self.settings)
        return journal

    def client(self, helpdesk: str) -> Any:
        clients = self._local.__dict__.setdefault("clients", {})
        if helpdesk not in clients:
            clients[helpdesk] = self._client_factory(helpdesk, self.settings)
        return clients[helpdesk]

    def own_user_id(self, helpdesk: str) -> str | None:
        """The plugin's API user (its notes and tag changes are authored by it), asked once."""
        with self._lock:
            if helpdesk in self._own_ids:
                return self._own_ids[helpdesk]
        try:
            value = str(self.client(helpdesk).whoami())
        except Exception as exc:   # a helpdesk that is down must not block the guard's other checks
            log.warning("whoami failed; own-user guard relies on markers for now",
                        extra={"helpdesk": helpdesk, "error": type(exc).__name__})
            return None
        with self._lock:
            self._own_ids[helpdesk] = value
        return value
