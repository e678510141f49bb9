"""empathy-cues: spot customers who struggle, tag the ticket, suggest an empathetic reply.

    >>> from empathy_cues import analyze
    >>> a = analyze("Love the app! I tried to export my data but can't seem to find where")
    >>> a.apology, [c.matched for c in a.cues if c.apology]
    (True, ['I tried to', "can't seem to"])
"""
from __future__ import annotations

import importlib

# The public names, each loaded on first use (PEP 562): the web receiver imports this package for its
# service modules only, and every web worker gunicorn starts anew (max_requests) would otherwise load the
# whole analyser for webhooks that never analyse anything.
_PUBLIC = {"analyze": ".analyzer", "matcher_for": ".analyzer", "Analysis": ".core.decision",
           "Policy": ".core.decision", "CueMatch": ".core.matches", "Pack": ".core.packs",
           "load_builtin_pack": ".core.packs", "load_pack_file": ".core.packs"}

__all__ = ["analyze", "Analysis", "CueMatch", "Pack", "Policy", "load_builtin_pack", "load_pack_file",
           "matcher_for"]
__version__ = "0.1.0"


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
