"""Golden tests: realistic invented messages in, notes out, end to end through the real cue engine.

Each case in ``tests/golden/compose_cases.yaml`` states what its note must contain; every case is
also checked for the parts any reply needs (see ``check_common_parts``).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from empathy_cues import analyze
from empathy_cues.reply import checks, compose_note, count_sentences
from empathy_cues.reply.spelling import load_dictionary
from empathy_cues.reply.template_file import load_builtin_templates

CASES = yaml.safe_load((Path(__file__).parent / "golden" / "compose_cases.yaml").read_text(encoding="utf-8"))
TS = load_builtin_templates()
# The customer's first person never reaches the reply through a quoted clause.
FIRST_PERSON = re.compile(r"\b(?:my|me|mine|myself|we|us)\b")


def _run(case):
    analysis = analyze(case["text"], subject=case.get("subject", ""), channel=case["channel"])
    note = compose_note(analysis, ticket_id=case["id"], customer_name=case.get("name"))
    return analysis, note


def check_common_parts(case, analysis, note):
    reply = note.reply
    limit = TS.limit(case["channel"])
    assert re.search(r"\b(?:[Ss]orry|apologise)\b", reply) or note.life_event == "new_baby"
    assert not checks.blame_phrases(reply, TS)
    expected_when = "the next hour" if analysis.respond_within_minutes == 60 else "the next 6 hours"
    assert f"within {expected_when}" in reply
    assert checks.within_limit(reply, limit)
    if case["channel"] in TS.short_channels:
        assert 2 <= count_sentences(reply) <= limit.max_sentences
        assert note.options == ()
    if analysis.situation != "how_to":
        assert not checks.how_to_phrases(reply, TS), reply
    assert set(analysis.asks) <= set(note.answered)
    theirs = case["text"] + " " + (case.get("name") or "")   # their message and the name they gave
    assert not checks.unknown_words(reply, theirs, TS, load_dictionary())
    if note.paraphrase:
        assert note.paraphrase in reply and not FIRST_PERSON.search(note.paraphrase)
    assert "Respond: " in note.text and "Respond: " in note.html
    assert "<script" not in note.html.lower()
    assert re.sub(r"<[^>]+>", "", note.html).count("Suggested reply") == 1


def test_there_are_enough_golden_cases_across_channels_and_tones():
    assert len(CASES) >= 30
    channels, tones, situations = set(), set(), set()
    for case in CASES:
        analysis, note = _run(case)
        channels.add(case["channel"])
        tones.add(note.tone)
        situations.add(analysis.situation)
    assert {"email", "social", "chat", "web", "phone"} <= channels
    assert {"casual", "neutral", "formal"} <= tones
    assert len(situations) >= 6


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_note(case):
    analysis, note = _run(case)
    expect = case["expect"]
    if expect.get("quiet"):
        assert not (analysis.apology or analysis.priority)
        assert note.reply == ""
        assert "no apology or priority follow-up owed" in note.text
        return
    assert analysis.apology or analysis.priority
    check_common_parts(case, analysis, note)
    reply = note.reply
    if "tone" in expect:
        assert note.tone == expect["tone"]
    assert note.life_event == expect.get("care")
    if note.life_event:
        assert "!" not in reply and "great" not in reply.lower()
    for pattern in expect.get("contains", []):
        assert re.search(pattern, reply, re.M), (pattern, reply)
    for text in expect.get("not_contains", []):
        assert text not in reply, (text, reply)
