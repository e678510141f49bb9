"""The suggested reply: plan (situation x severity x asks x channel x tone) -> parts -> fit -> render.

``compose_note`` is the entry point the worker, the CLI and the tests use.
"""
from .compose import Note, clean_name, compose_note, count_sentences

__all__ = ["Note", "clean_name", "compose_note", "count_sentences"]
