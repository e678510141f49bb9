"""What one customer message may cost a worker: a cap on the text it reads and a time budget to compose.

Any customer can send any text, and a worker thread busy with one message delays every event behind it.
So the worker reads at most ``MAX_TEXT_CHARS`` of the cleaned message (the newest words come first, and
no agent reads further than that in a note) and says so in the note; the raw message is cut at
``MAX_RAW_CHARS`` before cleaning, because cleaning (HTML parsing, the reply parser) is itself linear
but not free (about 0.7 s for 1 MB of '>'-quoted lines). Messages under the caps are analysed exactly
as before.

Composing runs with a time budget: past ``COMPOSE_BUDGET_SECONDS`` the worker stops waiting and posts a
note without a suggested reply (the tags and the reasons still stand). Python cannot stop a thread, so
the late composition finishes in the background and is dropped; with the caps above and the linear
patterns in core/text.py no message is known to come near the budget (20,000 characters compose in about
0.2 s here) -- the budget is the backstop for the one we have not thought of.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Callable, TypeVar

log = logging.getLogger("empathy_cues.worker")

MAX_RAW_CHARS = 100_000
MAX_TEXT_CHARS = 20_000
MAX_SUBJECT_CHARS = 1_000
COMPOSE_BUDGET_SECONDS = 2.0

T = TypeVar("T")


def capped(text: str, *, html: bool | None) -> tuple[str, bool | None, bool]:
    """(text to analyse, html flag to analyse it with, whether it was cut)."""
    if len(text) <= MAX_TEXT_CHARS:
        return text, html, False
    from .core.text import clean_text

    cleaned = clean_text(text[:MAX_RAW_CHARS], html=html)
    if len(text) <= MAX_RAW_CHARS and len(cleaned) <= MAX_TEXT_CHARS:
        return text, html, False        # long markup, short message: analysed as it came
    return cleaned[:MAX_TEXT_CHARS], False, True


def within_budget(work: Callable[[], T], seconds: float | None = None) -> T | None:
    """``work()``'s result, or None when it took longer than ``seconds`` (default
    ``COMPOSE_BUDGET_SECONDS``); the late work then runs on, unwaited."""
    seconds = COMPOSE_BUDGET_SECONDS if seconds is None else seconds
    box: list = []

    def run() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:   # handed to the caller's thread, as if it had run there
            box.append((False, exc))

    thread = threading.Thread(target=run, name="compose", daemon=True)
    thread.start()
    thread.join(seconds)
    if not box:
        return None
    ok, value = box[0]
    if not ok:
        raise value
    return value


def cut_notice(note):
    """The note with a line saying only the first ``MAX_TEXT_CHARS`` characters were read."""
    line = f"Only the first {MAX_TEXT_CHARS:,} characters of this message were read."
    return replace(note, text=f"{note.text.rstrip()}\n\n_{line}_", html=f"{note.html.rstrip()}<p><em>{line}</em></p>")


def over_budget_note(analysis):
    """The note when composing ran out of time: what was found, no suggested reply."""
    from .reply import Note

    reasons = [r for r in getattr(analysis, "reasons", ())][:10]
    head = "Empathy cues — this message took too long to compose a suggested reply; the tags still apply."
    text = "**" + head + "**" + "".join(f"\n- {r}" for r in reasons)
    import html as _html

    items = "".join(f"<li>{_html.escape(r)}</li>" for r in reasons)
    body = f"<p><strong>{_html.escape(head)}</strong></p>" + (f"<ul>{items}</ul>" if items else "")
    return Note(text=text, html=body, reply="")
