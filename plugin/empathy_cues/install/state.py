"""What an install created, kept in the data dir so uninstall removes exactly that.

``install-<helpdesk>.json``: for each object its kind, id and fingerprint (a hash of the fields we
manage, as the helpdesk answered after our last write) - a different hash later means an admin edited
it. The webhook secret lives in its own file, mode 0600, and is never printed or logged.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def fingerprint(comparable: Any) -> str:
    return hashlib.sha256(json.dumps(comparable, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def secret_path(data_dir: Path, helpdesk: str) -> Path:
    return Path(data_dir) / f"{helpdesk}-webhook-secret"


def write_secret(data_dir: Path, helpdesk: str, secret: str) -> Path:
    """Write atomically with mode 0600 from the start (never world-readable, not even briefly)."""
    path = secret_path(data_dir, helpdesk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def read_secret(data_dir: Path, helpdesk: str) -> str | None:
    path = secret_path(data_dir, helpdesk)
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


@dataclass
class InstallState:
    path: Path
    objects: dict[str, dict] = field(default_factory=dict)   # ident -> {"kind", "id", "fingerprint"}
    endpoint: str | None = None

    @classmethod
    def load(cls, data_dir: Path, helpdesk: str) -> "InstallState":
        path = Path(data_dir) / f"install-{helpdesk}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except ValueError:
            return cls(path)          # a damaged file: objects are found again by their marker
        return cls(path, dict(data.get("objects") or {}), data.get("endpoint"))

    def record(self, ident: str, kind: str, object_id: Any, comparable: Any) -> None:
        self.objects[ident] = {"kind": kind, "id": object_id, "fingerprint": fingerprint(comparable)}

    def forget(self, ident: str) -> None:
        self.objects.pop(ident, None)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"endpoint": self.endpoint, "objects": self.objects}, indent=2, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, self.path)
