"""Hashtags run together from words ("#neveragain") are read as those words, with true spans. Invented text."""
from empathy_cues import analyze
from empathy_cues.core.words import Words, segment

KNOWN = frozenset({"never", "again", "great", "service", "bad", "the", "best", "flight", "delay"})


def test_segment_finds_the_fewest_known_words():
    assert segment("neveragain", KNOWN) == ("never", "again")
    assert segment("greatservice", KNOWN) == ("great", "service")
    assert segment("flightdelay", KNOWN) == ("flight", "delay")


def test_segment_leaves_alone_what_it_cannot_read_whole():
    assert segment("service", KNOWN) is None            # one word already
    assert segment("acmeairways", KNOWN) is None         # a name: never guessed at
    assert segment("neveragainx", KNOWN) is None         # a stray letter: not read
    assert segment("ab", KNOWN) is None


def test_between_readings_of_as_many_words_the_more_common_words_win():
    known = KNOWN | {"not", "worth", "wort", "it", "hit", "thebe", "st"}
    counts = {"not": 2_600_000_000, "worth": 48_000_000, "it": 2_800_000_000, "wort": 870_000, "hit": 53_000_000,
              "the": 23_000_000_000, "best": 370_000_000, "thebe": 21_000, "st": 100_000_000}
    assert segment("notworthit", known, counts=counts) == ("not", "worth", "it")
    assert segment("thebest", known, counts=counts) == ("the", "best")
    assert segment("notworthit", known) in {("not", "worth", "it"), ("not", "wort", "hit")}   # no counts: fewest


def test_the_analyser_reads_a_long_hashtag_of_everyday_words():
    a = analyze("Third bag lost this year #wontflyagainwithyou", channel="social")
    assert a.priority and any(c.category == "churn_risk" for c in a.cues), a.cues
    for c in a.cues:
        assert a.text[c.start:c.end] == c.matched
    # A tag the pack reads whole is not broken up: "#heartbroken" is a feeling, not a broken thing.
    assert not any(c.matched.lower() == "broken" for c in analyze("missed the show #heartbroken").cues)


def test_words_of_a_hashtag_keep_spans_inside_the_tag():
    text = "Stuck for hours #flightdelay today"
    table = {"flightdelay": ("flight", "delay")}
    words = Words(text, hashtags=_Table(table))
    spans = [text[s:e] for s, e in zip(words.starts, words.ends)]
    assert spans == ["Stuck", "for", "hours", "flight", "delay", "today"]
    assert words.norms[3:5] == ["flight", "delay"]


def test_a_plain_word_glued_to_nothing_is_not_split():
    text = "great service, thanks"
    words = Words(text, hashtags=_Table({"great": ("gr", "eat")}))
    assert words.norms == ["great", "service", "thanks"]   # only words after "#" are hashtags


def test_the_analyser_reads_a_run_together_hashtag_as_its_words():
    a = analyze("Waited two hours at the desk #neveragain")
    matched = [c for c in a.cues if "never" in c.matched.lower()]
    assert matched, a.cues
    for c in a.cues:
        assert a.text[c.start:c.end] == c.matched


class _Table(dict):
    def __missing__(self, key):
        return None


def test_a_count_run_into_the_word_it_counts_is_read_apart():
    assert segment("4thattempt", KNOWN | {"attempt"}) == ("4th", "attempt")
    assert segment("3rdflightdelay", KNOWN) == ("3rd", "flight", "delay")
    assert segment("4thacme", KNOWN) is None             # the rest unread: left alone
    a = analyze("@carco still can't fix my car #4thattempt", channel="social")
    assert a.priority and any(c.category == "repeat_contact" for c in a.cues), a.cues
    for c in a.cues:
        assert a.text[c.start:c.end] == c.matched
