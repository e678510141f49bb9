"""The review benchmark's bookkeeping: a score counts only for the reply it was written against."""
from __future__ import annotations

from tests.benchmarks.notes_review import Reviewed, summarise


def row(mid: str, reply: str, apology_label: bool = True) -> Reviewed:
    return Reviewed(mid, "social", apology_label, False, bool(reply), False, "other", 1, (), reply)


def test_changed_replies_are_reported_stale_and_not_counted():
    rows = [row("a", "Hi there,\n\nSorry."), row("b", "Hello,\n\nSorry about this."), row("c", "", False),
            row("d", "", True), row("e", "Hi,\n\nNew.")]
    scores = {
        "a": {"hash": rows[0].reply_hash, "X": 2, "P": 2, "flags": []},
        "b": {"hash": "0000000000", "X": 2},                  # scored against an older reply
        "c": {"hash": rows[2].reply_hash, "D": 2},             # rightly no note
        "d": {"hash": rows[3].reply_hash, "D": 0},             # a note was owed
    }
    s = summarise(rows, scores)
    assert s.stale == ["b"] and s.unscored == ["e"]
    assert (s.right_notes, s.right_quiet, s.handled) == (1, 1, 2)
    assert s.totals["P"] == 2 and s.current == 3


def test_flags_are_counted():
    rows = [row("a", "Hi,\n\nOne."), row("b", "Hi,\n\nTwo.")]
    scores = {"a": {"hash": rows[0].reply_hash, "X": 0, "flags": ["ungrammatical", "offensive"]},
              "b": {"hash": rows[1].reply_hash, "X": 1, "flags": ["ungrammatical"]}}
    s = summarise(rows, scores)
    assert (s.offensive, s.ungrammatical, s.handled) == (1, 2, 0)
