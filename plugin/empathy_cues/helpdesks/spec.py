"""``Helpdesk``: everything the rest of the plugin may know about one helpdesk, in one object.

The web intake, the worker, the settings, the readiness probe and the install commands ask the spec
(found by name in ``registry.py``) instead of comparing the name with a string; so a new helpdesk is a
folder under ``helpdesks/`` with a subclass of this, one registry line, its manifests and samples.

A spec holds no state and imports its vendor library only when a method needs it: the web process
verifies and normalises, and must not pay for the API client library it never uses.

The life of one webhook through a spec::

    settings_from_env(env)        -> the helpdesk's section of Settings (None: not configured)
    verify(section, raw, headers) -> raises SignatureError (intake: 401)
    normalize(raw, headers, account=account(section)) -> TicketEvent | Ignored
    replay_key(headers)           -> a dedupe key for the signature itself, when the helpdesk signs
    client(section, limiter=, timeout=) .apply(plan) / .whoami() / .ticket_comment(...)
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Mapping

from ..errors import InputError


class Helpdesk(ABC):
    name: str = ""                        # URL segment, metric label, TicketEvent.helpdesk, data file names
    title: str = ""                       # how messages spell it
    # Variables that may instead name a file holding the value (NAME_FILE=/path): the server's secrets,
    # and the ones the install commands need (everything but the webhook secret, which install creates).
    secret_variables: tuple[str, ...] = ()
    admin_secret_variables: tuple[str, ...] = ()
    admin_variables: tuple[str, ...] = ()    # named when `install` finds the helpdesk unconfigured
    setup_hint: str = ""                  # what to set, printed when no helpdesk is configured
    readiness_fields: tuple[str, ...] = ()   # fields of the section /readyz requires to be non-empty
    offline_credentials: Mapping[str, str] = {}   # `install --offline`: an adapter that is never called

    # -- settings ------------------------------------------------------------------------------------

    @abstractmethod
    def settings_from_env(self, env: Mapping[str, str]) -> Any | None:
        """The helpdesk's section of Settings, or None when its variables are absent."""

    @abstractmethod
    def admin_credentials(self, env: Mapping[str, str]) -> dict | None:
        """Keyword arguments of ``admin()`` from the environment, or None when not configured."""

    @abstractmethod
    def account(self, section: Any) -> str:
        """The account name in events, logs and dedupe keys."""

    # -- intake (pure) -------------------------------------------------------------------------------

    @abstractmethod
    def verify(self, section: Any, raw: bytes, headers: Mapping[str, str], *, tolerance: int) -> None:
        """Raise ``SignatureError`` unless the raw body is authentic."""

    @abstractmethod
    def normalize(self, raw: bytes, headers: Mapping[str, str], *, account: str):
        """The payload as a ``TicketEvent`` (or an ignored one); vendor field names stop here."""

    def replay_key(self, headers: Mapping[str, str]) -> str | None:
        """A key for a signed request seen again (a replay), or None when the helpdesk signs nothing."""
        return None

    def ticket_url(self, account: str, ticket_id: str) -> str | None:
        """Where an agent opens the ticket (links on the admin page), or None when it cannot be said."""
        return None

    # -- worker --------------------------------------------------------------------------------------

    @abstractmethod
    def client(self, section: Any, *, limiter: Any = None, timeout: Any = None) -> Any:
        """The API client, raising only ``HelpdeskError``:

        * ``apply(plan) -> transport.ApplyResult``: add the plan's tags and post its note once;
        * ``whoami() -> str``: the API user's id (events it caused are our own echoes);
        * ``ticket_comment(ticket_id, comment_id=None) -> dict``: ``id``, ``body`` (text), ``html_body``,
          ``author_id``, ``public``, ``created_at``, and ``incoming`` (bool) where the helpdesk says
          whether the customer wrote it rather than naming the author's role."""

    def rate_limits(self, section: Any) -> tuple[int, tuple]:
        """(calls a minute we allow ourselves, endpoint ``Limit`` rules) for the outbound limiter."""
        return 200, ()

    def prepare(self) -> None:
        """Import what the client needs, so a worker's first event does not pay for it."""

    # -- reading tickets in bulk: the requester's history, `preview` and `backfill` (records.py) --------

    def requested_tickets(self, client: Any, requester_id: str, since: Any) -> list:
        """The requester's tickets created since ``since`` (``records.TicketRecord``), in one API call."""
        raise InputError(f"{self.title or self.name} cannot list a requester's tickets")

    # Whether a requester can be looked up by e-mail when an event carries no requester id (Freshdesk's
    # webhook body has the address, not the id); a helpdesk without it gets no history for such events.
    history_by_email = False

    def tickets_by_email(self, client: Any, email: str, since: Any) -> list:
        """``requested_tickets`` for the requester with this e-mail address, in one API call."""
        raise InputError(f"{self.title or self.name} cannot list a requester's tickets by e-mail")

    def ticket_page(self, client: Any, since: Any, position: str | None) -> Any:
        """One page (``records.TicketPage``) of the tickets updated since ``since``, from ``position``."""
        raise InputError(f"{self.title or self.name} cannot list tickets")

    def has_our_note(self, client: Any, ticket_id: str) -> bool:
        """Whether the ticket already carries a note of ours (its marker)."""
        raise InputError(f"{self.title or self.name} cannot list a ticket's notes")

    def listing_limits(self) -> tuple:
        """Endpoint ``Limit`` rules of the listing calls beyond the account's limit."""
        return ()

    # -- install -------------------------------------------------------------------------------------

    def admin(self, credentials: Mapping[str, str]) -> Any:
        """The install adapter (``install.adapter.AdminAdapter``); a helpdesk without one cannot be installed
        by command, and says so."""
        raise InputError(f"{self.title or self.name} has no install command: configure it in the helpdesk by hand")

    has_app_package = False           # `install --app-package`: an app the admin uploads instead

    def write_app_package(self, folder: str, config: Any, *, endpoint: str) -> str:
        """Write the app package to ``folder``; returns what to tell the admin (where, how to upload)."""
        raise InputError(f"{self.title or self.name} has no app package")
