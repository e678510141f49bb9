"""``AdminAdapter``: what the runner asks of a helpdesk's install adapter, spelled out once.

Every method is required, so the runner never probes an adapter with ``hasattr``. ``AdminBase`` gives
the answers of a helpdesk whose API can do everything (no steps by hand); the webhook secret has no
default on purpose: how the server comes to hold the secret differs per helpdesk (Zendesk makes one per
webhook and we fetch it; a helpdesk that signs nothing sends a secret we make), and a wrong guess
leaves every webhook refused with 401.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

import secrets
from dataclasses import dataclass
from typing import Any, Protocol

from .plan import Step


@dataclass(frozen=True)
class SecretToStore:
    """The webhook secret the server must hold after an install, and how the install names it."""

    value: str
    description: str                  # "Webhook signing secrets (2)", "Shared webhook secret"
    several: bool = False             # one a line (the server accepts any of them)


class AdminAdapter(Protocol):
    helpdesk: str
    secret_variable: str              # the server reads the stored secret through <this>_FILE

    def has_sla(self) -> bool: ...
    def list(self, kind: str) -> list[dict]: ...
    def get(self, kind: str, object_id: Any) -> dict | None: ...
    def create(self, kind: str, body: dict) -> dict: ...
    def update(self, kind: str, object_id: Any, body: dict) -> dict: ...
    def delete(self, kind: str, object_id: Any) -> bool: ...
    def can_delete(self, kind: str) -> bool: ...
    def manages(self, kind: str) -> bool: ...
    def mark(self, kind: str, ident: str, body: dict) -> dict: ...
    def has_marker(self, kind: str, ident: str, obj: dict) -> bool: ...
    def comparable(self, kind: str, obj: dict, wanted: dict) -> dict: ...
    def title(self, kind: str, body: dict) -> str: ...
    def check_webhook(self, runner: Any, ids: dict) -> tuple[str, list[str]]: ...
    def manual_steps(self, runner: Any) -> list[Step]: ...
    def instructions(self, runner: Any) -> list[str]: ...
    def manual_removal(self, runner: Any) -> list[str]: ...
    def webhook_secret(self, ids: dict, stored: str | None) -> SecretToStore | None: ...


class AdminBase(ABC):
    """Defaults for an adapter whose helpdesk API creates and removes everything itself."""

    def manual_steps(self, runner: Any) -> list[Step]:
        return []

    def instructions(self, runner: Any) -> list[str]:
        return []

    def manual_removal(self, runner: Any) -> list[str]:
        return []

    @abstractmethod
    def webhook_secret(self, ids: dict, stored: str | None) -> SecretToStore | None:
        """How the server gets its webhook secret: every adapter must say (none is guessed for it)."""


def shared_secret(stored: str | None, description: str = "Shared webhook secret") -> SecretToStore:
    """For a helpdesk that signs nothing: the secret we made before, else a new random one."""
    return SecretToStore(stored or secrets.token_urlsafe(32), description)
