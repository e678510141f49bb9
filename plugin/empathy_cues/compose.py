"""The note composer lives in :mod:`empathy_cues.reply`; this name stays for callers that import it here."""
from .reply import Note, clean_name, compose_note, count_sentences

__all__ = ["Note", "clean_name", "compose_note", "count_sentences"]
