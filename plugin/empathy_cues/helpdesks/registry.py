"""The helpdesks this plugin serves: one line each. Everything else finds a helpdesk here by name.

``register`` is for a helpdesk that lives outside this package (the tests register a fake one the same
way); a name is the URL segment ``/webhooks/<name>``, so it must be a plain lower-case word.
"""
from __future__ import annotations

import re
from typing import Iterator

from .freshdesk.spec import Freshdesk
from .spec import Helpdesk
from .zendesk.spec import Zendesk

_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, Helpdesk] = {}

    def register(self, spec: Helpdesk) -> Helpdesk:
        if not _NAME.fullmatch(spec.name or ""):
            raise ValueError(f"a helpdesk name is a lower-case word, not {spec.name!r}")
        self._specs[spec.name] = spec
        return spec

    def unregister(self, name: str) -> None:
        self._specs.pop(name, None)

    def get(self, name: str) -> Helpdesk | None:
        return self._specs.get(name)

    def __getitem__(self, name: str) -> Helpdesk:
        return self._specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[Helpdesk]:
        return iter(list(self._specs.values()))

    def names(self) -> list[str]:
        return list(self._specs)


REGISTRY = Registry()
REGISTRY.register(Zendesk())
REGISTRY.register(Freshdesk())
