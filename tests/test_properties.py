"""Properties over arbitrary input: analyze never raises; spans lie inside the text and cover the words."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from empathy_cues import analyze

WORDS = st.sampled_from(["I", "tried", "to", "cant", "can't", "seem", "not", "confusing", "still", "again",
                         "frustating", "!!", "THIS", "IS", "BAD", "@Help", "http://x.y/z", "<b>", "</b>", "\n", ",",
                         ".", "never", "problem", "solved", "how", "do", "log", "in", "😡", "’", "cancel", "my"])
messages = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages, st.sampled_from(["email", "social", "chat", "web", "other"]))
def test_analyze_never_raises_and_spans_cover_the_matched_words(text, channel):
    a = analyze(text, channel=channel)
    assert isinstance(a.apology, bool) and isinstance(a.priority, bool)
    if a.priority:
        assert a.apology
    for c in a.cues:
        source = a.text if c.source == "body" else a.subject
        assert 0 <= c.start < c.end <= len(source)
        assert source[c.start:c.end] == c.matched
        assert 0 <= c.score <= 100


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_subject_with_any_text_never_raises(subject):
    analyze("hello", subject=subject)
