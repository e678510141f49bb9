"""What the plugin did and what agents taught it: the decision log, feedback votes, QA scores.

``store.py`` keeps records (SQLite or Redis); ``decisions.py`` is the decision log and its read API.
The worker writes them through ``worker/journal.py``.
"""
from .decisions import Decision, cue_matches, decision_for_ticket, purge_old, recent_decisions
from .store import open_records

__all__ = ["Decision", "cue_matches", "decision_for_ticket", "open_records", "purge_old", "recent_decisions"]
