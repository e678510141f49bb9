"""Wanted objects vs. what the helpdesk has -> one plan line per object. Pure: no I/O.

Objects are recognised by the id we stored, else by a stable marker ``[empathy-cues:<kind>.<key>]``
in their description (or title, for kinds without one) - never by name alone. An existing object is
* ``unchanged`` when its managed fields equal what we want;
* ``update`` when they differ but still hash to what we last wrote (our own older version);
* ``edited`` when they differ from what we last wrote (an admin changed it, or we have no record):
  reported and left alone unless ``--force``;
and objects we created that the manifests no longer want are ``remove``d.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .manifest import Desired
from .state import fingerprint

CREATE, UPDATE, UNCHANGED, EDITED, REMOVE, MANUAL = "create", "update", "unchanged", "edited", "remove", "manual"


def marker(ident: str) -> str:
    return f"[empathy-cues:{ident}]"


@dataclass(frozen=True)
class Step:
    op: str
    kind: str
    key: str
    title: str
    object_id: Any = None
    desired: Desired | None = None
    note: str = ""

    @property
    def ident(self) -> str:
        return f"{self.kind}.{self.key}"


def plan_step(want: Desired, want_comparable: dict, title: str, existing: dict | None,
              existing_comparable: dict | None, stored: dict | None, *, force: bool = False) -> Step:
    if existing is None:
        return Step(CREATE, want.kind, want.key, title, desired=want)
    object_id = existing.get("id")
    if existing_comparable == want_comparable:
        return Step(UNCHANGED, want.kind, want.key, title, object_id, want)
    ours = stored is not None and stored.get("fingerprint") == fingerprint(existing_comparable)
    if ours or force:
        return Step(UPDATE, want.kind, want.key, title, object_id, want,
                    "" if ours else "edited in the helpdesk; overwritten (--force)")
    why = "changed in the helpdesk since empathy-cues wrote it" if stored else "no record of what empathy-cues wrote"
    return Step(EDITED, want.kind, want.key, title, object_id, want, f"{why}; left as it is (--force overwrites)")


def summary(steps: list[Step]) -> str:
    counts: dict[str, int] = {}
    for s in steps:
        counts[s.op] = counts.get(s.op, 0) + 1
    order = (CREATE, UPDATE, UNCHANGED, EDITED, REMOVE, MANUAL)
    return ", ".join(f"{counts[o]} {o}" for o in order if counts.get(o))


def render_plan(steps: list[Step]) -> str:
    width = max((len(s.ident) for s in steps), default=10)
    lines = []
    for s in steps:
        where = f" (id {s.object_id})" if s.object_id is not None else ""
        note = f" - {s.note}" if s.note else ""
        lines.append(f"  {s.op:<9} {s.ident:<{width}}  {s.title}{where}{note}")
    return "\n".join(lines)
