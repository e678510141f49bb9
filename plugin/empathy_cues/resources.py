"""Where the shipped data files (phrase packs, templates, manifests) are found.

In a built wheel they sit inside the package under ``_data/`` (see ``pyproject.toml``:
hatch force-include). In a source checkout or an editable install they are read from the
top-level folders of the repository, so a developer edits one copy only.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def data_path(kind: str) -> Path:
    """Folder of one kind of shipped data: ``"phrase_packs"`` or ``"manifests"``."""
    installed = _PACKAGE_DIR / "_data" / kind
    if installed.is_dir():
        return installed
    source = _REPO_ROOT / kind
    if source.is_dir():
        return source
    raise FileNotFoundError(f"empathy-cues data folder {kind!r} is missing from this installation")


def load_yaml(text):
    """``yaml.safe_load`` through libyaml's C parser when PyYAML was built with it (its wheels are), else
    the pure-Python one: the same documents and errors, and parsing the packs is most of a worker's
    start-up and of every ``scan``, where the C parser is many times quicker."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
