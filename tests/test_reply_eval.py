"""Automatic checks of the suggested replies over every development message in ../shared/eval.

The messages stay outside the repository (their licence); the test skips, saying why, where they are
absent. What it checks, on every note written:

- no reply sentence appears in more than 15% of the notes (variety: a stock line gets noticed);
- no word outside the dictionary, except the customer's own capitalised names and products;
- no how-to phrase (tips, "walk you through") outside a how-to question;
- every ask the analysis found is answered by a matching part;
- the channel's length and sentence limits.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from empathy_cues import analyze
from empathy_cues.reply import checks, compose_note
from empathy_cues.reply.spelling import load_dictionary
from empathy_cues.reply.template_file import load_builtin_templates

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "messages.jsonl"
TS = load_builtin_templates()

pytestmark = pytest.mark.skipif(not EVAL.exists(), reason=f"evaluation messages not found at {EVAL}")


@pytest.fixture(scope="module")
def notes():
    out = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        m = json.loads(line)
        a = analyze(m["text"], channel=m["channel"])
        note = compose_note(a, ticket_id=m["id"])
        if note.reply:
            out.append((m, a, note))
    assert len(out) >= 100
    return out


def test_no_reply_sentence_is_in_more_than_15_percent_of_notes(notes):
    counts = Counter(s for _, _, n in notes for s in set(checks.reply_sentences(n.reply)))
    worst = [(s, c) for s, c in counts.most_common(5) if c > 0.15 * len(notes)]
    assert not worst, worst


def test_every_word_is_in_the_dictionary_or_the_customers_own_name(notes):
    dictionary = load_dictionary()
    bad = {m["id"]: w for m, _, n in notes if (w := checks.unknown_words(n.reply, m["text"], TS, dictionary))}
    assert not bad


def test_how_to_options_only_for_how_to(notes):
    bad = {m["id"]: p for m, a, n in notes if a.situation != "how_to" and (p := checks.how_to_phrases(n.reply, TS))}
    assert not bad


def test_every_ask_is_answered(notes):
    bad = {m["id"]: (a.asks, n.answered) for m, a, n in notes if set(a.asks) - set(n.answered)}
    assert not bad


def test_channel_limits_and_no_blame(notes):
    for m, a, n in notes:
        assert checks.within_limit(n.reply, TS.limit(a.channel)), (m["id"], n.reply)
        assert not checks.blame_phrases(n.reply, TS), m["id"]
