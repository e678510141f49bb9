"""empathy-cues: spot customers who struggle, tag the ticket, suggest an empathetic reply.

    >>> from empathy_cues import analyze
    >>> a = analyze("Love the app! I tried to export my data but can't seem to find where")
    >>> a.apology, [c.matched for c in a.cues if c.apology]
    (True, ['I tried to', "can't seem to"])
"""
from .analyzer import analyze, matcher_for
from .core.decision import Analysis, Policy
from .core.matches import CueMatch
from .core.packs import Pack, load_builtin_pack, load_pack_file

__all__ = ["analyze", "Analysis", "CueMatch", "Pack", "Policy", "load_builtin_pack", "load_pack_file",
           "matcher_for"]
__version__ = "0.1.0"
