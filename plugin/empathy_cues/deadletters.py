"""Replaying a dead letter: the one way, shared by `empathy-cues deadletters replay` and the admin page."""
from __future__ import annotations


def requeue(store, queue, letter) -> None:
    """Put the letter's event back on the queue (a running worker picks it up), then drop the letter.

    Enqueued first, deleted second: a crash in between leaves a duplicate letter, never a lost event
    (and a second run of the same event posts no second note: the marker in the note says it is there)."""
    queue.enqueue_event(letter.event)
    store.delete_dead_letter(letter.id)
