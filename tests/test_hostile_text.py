"""Hostile customer text: whatever a customer writes, one message cannot hold a worker for long.

The bounds are in bounds.py (text cap, compose budget) and core/text.py (linear link/e-mail pattern). Timed
assertions here carry generous bounds on purpose: the claim is "well under a second", not a figure.
"""
from __future__ import annotations

import time

import pytest

from empathy_cues.bounds import MAX_RAW_CHARS, MAX_TEXT_CHARS
from empathy_cues.core.event import AuthorRole, Channel, EventKind, TicketEvent
from empathy_cues.reply.clause_span import mask
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.draft import plan_for
from empathy_cues.worker.runtime import Runtime

from .conftest import service_env

MEGABYTE = 1_000_000
STRUGGLE = "I tried to log in three times and it still fails, so frustrating. "


def event(text: str, *, html: bool = False) -> TicketEvent:
    return TicketEvent(helpdesk="zendesk", account="acme", ticket_id="7", kind=EventKind.COMMENT_ADDED,
                       channel=Channel.EMAIL, subject="Help", comment_text=text, comment_is_html=html,
                       comment_id="1", author_id="5", author_role=AuthorRole.END_USER, comment_public=True,
                       requester_name="Maria", requester_id="5", tags=(), delivery_id="d1")


@pytest.fixture
def runtime(tmp_path):
    settings = Settings.from_env(service_env(tmp_path / "data"))
    return Runtime(settings, SqliteStore(tmp_path / "state.sqlite3"))


def test_mask_is_linear_on_a_long_run_of_at_signs_without_spaces():
    # "a@a@a@..." was cubic in the e-mail alternative: 10 KB took 100 s.
    text = "a@" * 50_000
    started = time.perf_counter()
    masked = mask(text)
    assert time.perf_counter() - started < 1.0
    assert len(masked) == len(text)


def test_a_headline_check_is_linear_on_links_run_together():
    # "a - B http://xhttp://x...": one link pattern repeated over a run without spaces backtracked
    # exponentially (25 links took 20 s) before the links had to stand apart.
    from empathy_cues.core.sentiment import headline_spans
    text = "a - B " + "http://x" * 5_000 + " !"
    started = time.perf_counter()
    assert headline_spans(text) == []
    assert time.perf_counter() - started < 1.0
    shared = "The chairman battles investors - City Herald http://t.co/a http://t.co/b"
    assert headline_spans(shared) == [(0, shared.index(" - "))]


@pytest.mark.parametrize("text", [
    # thousands of praise words after a trouble: each was placed in its sentence by a scan from the start
    "my bag was lost. " + "great system you have. " * 2_000,
    # thousands of bag words in one run-on sentence: each read the whole sentence around it
    "still no " + "bag " * 5_000,
])
def test_a_note_for_thousands_of_the_same_cue_is_written_in_well_under_a_few_seconds(text):
    from empathy_cues import analyze
    from empathy_cues.reply import compose_note
    analysis = analyze(text, channel="social")
    started = time.perf_counter()
    note = compose_note(analysis, ticket_id="h1")
    assert time.perf_counter() - started < 3.0
    assert note.reply


@pytest.mark.parametrize("unit", [
    # a cue whose context reads its whole sentence, found in every few words of one run-on sentence
    "waiting for my bag ",
    # an object beside a failing cue, thousands of times over in one sentence
    "been waiting for bags ",
    # a sentence the sentiment lexicon reads whole: its negation check looks back over every word
    "no heat on the plane, ",
    "if my flight is cancelled ",
])
def test_a_run_on_message_at_the_text_cap_is_analysed_in_well_under_a_few_seconds(unit):
    # Each of these took from 3 s to minutes at 20,000 characters while a check read the whole sentence
    # again for every cue found in it.
    from empathy_cues import analyze
    text = (unit * (MAX_TEXT_CHARS // len(unit) + 1))[:MAX_TEXT_CHARS]
    started = time.perf_counter()
    analysis = analyze(text, channel="email")
    assert time.perf_counter() - started < 3.0
    assert analysis.reasons


def test_mask_still_blanks_links_addresses_and_handles():
    text = "mail john.doe+x@example.co.uk or @support_team, see http://a.b/c and www.x.org."
    masked = mask(text)
    for secret in ("john.doe", "example.co.uk", "support_team", "a.b/c", "x.org"):
        assert secret not in masked
    assert len(masked) == len(text) and masked.startswith("mail ")


HOSTILE_SHAPES = {
    "at_signs": lambda: "a@" * (MEGABYTE // 2),
    "struggle_then_at_signs": lambda: STRUGGLE + "a@" * (MEGABYTE // 2),
    "links": lambda: "x@y.z http://q www." * (MEGABYTE // 20),
    "prose": lambda: STRUGGLE * (MEGABYTE // len(STRUGGLE)),
    "quoted": lambda: ("> " + STRUGGLE + "\n") * (MEGABYTE // (len(STRUGGLE) + 3)),
    "html": lambda: "<div>" * 50 + STRUGGLE * (MEGABYTE // len(STRUGGLE)) + "</div>" * 50,
}


@pytest.mark.parametrize("shape", sorted(HOSTILE_SHAPES))
def test_a_one_megabyte_message_is_cut_before_it_is_cleaned_or_read(runtime, shape, monkeypatch):
    # What bounds the worker's time is how much text each step is handed: at most MAX_RAW_CHARS to
    # clean, at most MAX_TEXT_CHARS to analyse and compose. How long that takes is a benchmark
    # (python -m tests.benchmarks.hostile_text), not a test.
    import empathy_cues
    from empathy_cues.core import text as text_module

    cleaned, analysed = [], []
    real_clean, real_analyze = text_module.clean_text, empathy_cues.analyze

    def clean_spy(text, **kwargs):
        cleaned.append(len(text))
        return real_clean(text, **kwargs)

    def analyze_spy(text, **kwargs):
        analysed.append(len(text))
        return real_analyze(text, **kwargs)

    monkeypatch.setattr(text_module, "clean_text", clean_spy)
    monkeypatch.setattr(empathy_cues, "analyze", analyze_spy)
    plan = plan_for(runtime, event(HOSTILE_SHAPES[shape](), html=shape == "html"))
    assert cleaned and max(cleaned) <= MAX_RAW_CHARS
    assert analysed and max(analysed) <= MAX_TEXT_CHARS
    if plan is not None:
        assert len(plan.note_text) < 10_000


def test_a_cut_message_says_so_in_the_note(runtime):
    plan = plan_for(runtime, event(STRUGGLE * (3 * MAX_TEXT_CHARS // len(STRUGGLE))))
    assert plan is not None
    assert f"Only the first {MAX_TEXT_CHARS:,} characters" in plan.note_text
    assert f"Only the first {MAX_TEXT_CHARS:,} characters" in plan.note_html


def test_a_short_message_is_not_marked_as_cut(runtime):
    plan = plan_for(runtime, event(STRUGGLE))
    assert plan is not None and "Only the first" not in plan.note_text


def test_composing_past_its_budget_gives_a_note_without_a_reply(tmp_path, monkeypatch):
    import threading

    from empathy_cues import bounds

    monkeypatch.setattr(bounds, "COMPOSE_BUDGET_SECONDS", 0.2)
    release, finished = threading.Event(), threading.Event()

    def stuck_composer(analysis, **kwargs):
        release.wait(10)             # a composition that never finishes in time
        finished.set()
        raise AssertionError("late result must be dropped")

    settings = Settings.from_env(service_env(tmp_path / "data"))
    rt = Runtime(settings, SqliteStore(tmp_path / "state.sqlite3"), composer=stuck_composer)
    plan = plan_for(rt, event(STRUGGLE))
    # The plan came back while the composer was still stuck: the worker did not wait for it.
    assert not finished.is_set()
    release.set()
    assert plan is not None and "too long to compose" in plan.note_text and "empathy_apology" in plan.add_tags


# -- blind spots: what the customer wrote must be what is read, and only that ------------------------------

@pytest.mark.parametrize("depth", [10, 255, 256, 1000, 5000])
def test_text_inside_deeply_nested_html_is_read(depth):
    from empathy_cues import analyze

    markup = "<div>" * depth + "<p>I tried three times and it still fails, so frustrating.</p>" + "</div>" * depth
    a = analyze(markup, html=True)
    assert "I tried three times" in a.text and a.apology


def test_deep_markup_fallback_drops_scripts_and_decodes_entities():
    from empathy_cues.core.text import clean_text

    markup = "<div>" * 300 + "Fish &amp; chips<script>alert('x')</script><style>p{}</style> still cold" + "</div>" * 300
    assert clean_text(markup, html=True) == "Fish & chips still cold"


BIDI = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_from_the_customer_do_not_reach_the_note(runtime):
    # Inside the cue's own words, which the note quotes as the customer's evidence.
    text = "I tried\u202e to pay three times and it still fails, so frus\u202etrating\u202c."
    plan = plan_for(runtime, event(text))
    assert plan is not None
    assert not any(ch in plan.note_text or ch in plan.note_html for ch in BIDI)


def test_a_customer_who_writes_the_marker_text_is_still_analysed():
    from dataclasses import replace

    from empathy_cues.core.guard import guard

    text = "I tried three times, still broken. empathy-cues ref: ec-0123456789abcdef0123"
    customer = event(text)
    assert guard(customer) is None
    assert guard(replace(customer, author_role=AuthorRole.AGENT, comment_public=False)) == "own_note"
    assert guard(replace(customer, author_role=AuthorRole.UNKNOWN)) == "own_note"


def test_quoted_lines_without_a_header_are_not_read_as_the_customers_words():
    from empathy_cues import analyze

    a = analyze("Thanks, that fixed it!\n> I tried three times and it still fails, so frustrating.\n> Agent Bob")
    assert "tried three times" not in a.text and not a.apology
    only_quotes = analyze("> I tried three times and it still fails, so frustrating.")
    assert only_quotes.apology          # nothing but quotes: read them rather than nothing
