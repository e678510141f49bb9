"""Phrase packs are data, validated at load: every error names the file and the cue."""
import textwrap

import pytest

from empathy_cues.errors import PackError
from empathy_cues.core.packs import load_builtin_pack, load_pack_file
from empathy_cues.core.phrases import phrase_tokens

MINIMAL = """
language: en
version: 1
categories:
  struggle: {apology: true}
cues:
  - id: struggle.tried
    category: struggle
    phrases: ["I tried to"]
"""


def write(tmp_path, text, name="pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_english_pack_loads_with_every_required_category():
    pack = load_builtin_pack("en")
    assert pack.language == "en"
    required = {"struggle", "confusion", "frustration", "repeat_contact", "urgency", "churn_risk", "life_event",
                "positive_tone"}
    assert required <= set(pack.categories)
    assert required <= {c.category for c in pack.cues}
    assert not pack.categories["positive_tone"].apology  # tone markers never owe an apology themselves


def test_issue_listed_phrases_are_in_the_pack():
    pack = load_builtin_pack("en")
    phrases = {" ".join(p) for c in pack.cues for p in c.phrases}
    for phrase in ["i tried to", "cant seem to", "cant figure out", "unable to", "doesnt work", "keeps failing",
                   "stuck", "confusing", "unclear", "dont understand", "frustrating", "annoying", "fed up",
                   "ridiculous", "unacceptable", "disappointed", "worst", "again", "still", "third time",
                   "for weeks", "no one replied", "already told you", "urgent", "asap", "cant work",
                   "business is down", "deadline", "flight tomorrow", "cant access my money", "cancel",
                   "switch to", "refund", "chargeback", "leaving", "competitor", "post a review", "passed away",
                   "funeral", "hospital", "diagnosis", "new baby", "lost my job"]:
        assert phrase in phrases, phrase


def test_phrase_tokens_normalise_like_the_text():
    assert phrase_tokens("Can't  seem to") == ("cant", "seem", "to")
    assert phrase_tokens("how do I {core_task}") == ("how", "do", "i", "{core_task}")


def test_minimal_pack_loads(tmp_path):
    pack = load_pack_file(write(tmp_path, MINIMAL))
    assert [c.id for c in pack.cues] == ["struggle.tried"]
    assert pack.cues[0].apology and not pack.cues[0].priority


@pytest.mark.parametrize(
    "replace, expected",
    [
        (("category: struggle\n    phrases", "category: nope\n    phrases"), "cue 'struggle.tried': unknown category 'nope'"),
        (('phrases: ["I tried to"]', 'phrases: ["I tried to"]\n    threshold: 120'), "threshold must be a number from 50 to 100"),
        (('phrases: ["I tried to"]', 'phrases: ["help!"]'), "punctuation in a phrase is not matched"),
        (('phrases: ["I tried to"]', 'phrases: ["how do I {task}"]'), "unknown slot 'task'"),
        (('phrases: ["I tried to"]', "phrases: [no]"), "quote them"),
        (("id: struggle.tried", "id: Tried"), "needs an id like 'category.name'"),
        (('phrases: ["I tried to"]', 'phrases: ["I tried to"]\n    weight: 2'), "weight must be a number above 0"),
        (('phrases: ["I tried to"]', "phrases: []"), "needs at least one phrase, symbol or detector"),
    ],
)
def test_invalid_cue_errors_name_file_and_cue(tmp_path, replace, expected):
    path = write(tmp_path, MINIMAL.replace(*replace))
    with pytest.raises(PackError) as info:
        load_pack_file(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_duplicate_cue_id_and_duplicate_phrase_are_errors(tmp_path):
    twice = MINIMAL + """  - id: struggle.tried
    category: struggle
    phrases: ["I've tried"]
"""
    with pytest.raises(PackError, match="duplicate cue id"):
        load_pack_file(write(tmp_path, twice))
    same_phrase = MINIMAL + """  - id: struggle.other
    category: struggle
    phrases: ["i tried to"]
"""
    with pytest.raises(PackError, match="already a phrase of cue 'struggle.tried'"):
        load_pack_file(write(tmp_path, same_phrase))


def test_a_cue_that_lost_its_id_line_is_an_error_not_a_silent_merge(tmp_path):
    # Without its "- id:" line, a cue's fields run on into the next cue's mapping: YAML alone would keep
    # the later ones and drop this cue's phrases without a word.
    merged = MINIMAL + """  - id: struggle.other
    category: struggle
    phrases: ["gave up"]
    category: struggle
    phrases: ["no luck"]
"""
    with pytest.raises(PackError, match="line 1[0-9]: duplicate key 'category'"):
        load_pack_file(write(tmp_path, merged))


def test_missing_file_and_broken_yaml_are_pack_errors(tmp_path):
    with pytest.raises(PackError, match="cannot read"):
        load_pack_file(tmp_path / "absent.yaml")
    with pytest.raises(PackError, match="not valid YAML at line"):
        load_pack_file(write(tmp_path, "language: en\ncues: [\n"))
    with pytest.raises(PackError, match="missing required field 'version'"):
        load_pack_file(write(tmp_path, "language: en\ncategories: {}\ncues: []\n"))


def test_a_number_that_is_also_a_phrase_word_still_fills_a_number_slot(tmp_path):
    # "charged 2 times" makes "2" a word of the pack; "{number} hours" must still take "2".
    pack = load_pack_file(write(tmp_path, """
        language: en
        version: 1
        categories:
          problem: {apology: true}
        slots:
          number: ["#digits", two]
        cues:
          - id: problem.waited
            category: problem
            phrases: ["{number} hours", "for {number} days"]
          - id: problem.twice
            category: problem
            phrases: ["charged 2 times"]
        """))
    from empathy_cues.analyzer import matcher_for
    from empathy_cues.core.text import clean_text

    for text, found in [("we waited 2 hours", "2 hours"), ("stuck here for 2 days now", "for 2 days"),
                        ("I was charged 2 times", "charged 2 times"), ("it took 5 hours", "5 hours")]:
        matched = [h.matched for h in matcher_for(pack).find(clean_text(text)).cues]
        assert found in matched, (text, matched)


def test_a_filler_kept_after_its_word_is_not_skipped_there(tmp_path):
    # "so much trouble" skips "so much"; "how much does it cost" asks a price and is no "how does it".
    pack = load_pack_file(write(tmp_path, """
        language: en
        version: 1
        categories:
          confusion: {apology: true}
        fillers: [so, much]
        kept_fillers: ["how much"]
        cues:
          - id: confusion.how
            category: confusion
            phrases: ["how does it", "having trouble"]
        """))
    from empathy_cues.analyzer import matcher_for
    from empathy_cues.core.text import clean_text

    def matched(text):
        return [h.matched for h in matcher_for(pack).find(clean_text(text)).cues]

    assert matched("how much does it cost to post") == []
    assert matched("how does it keep losing my work") == ["how does it"]
    assert matched("I am having so much trouble") == ["having so much trouble"]
    with pytest.raises(PackError, match="kept_fillers"):
        load_pack_file(write(tmp_path, MINIMAL + 'fillers: [so]\nkept_fillers: ["how long"]\n', "bad.yaml"))


def test_a_cue_kept_by_its_unless_words_stands_as_context_for_another(tmp_path):
    # "sad" may not stand before a relative ("my sad nan"); where it stands, "today" beside it counts.
    pack = load_pack_file(write(tmp_path, """
        language: en
        version: 1
        categories:
          frustration: {apology: true}
          urgency: {apology: true, priority: true}
        cues:
          - id: frustration.weak
            category: frustration
            phrases: ["sad"]
            context: {unless: ["nan"], window: 1}
          - id: urgency.stakes
            category: urgency
            phrases: ["today"]
            context: {near: ["@frustration"], scope: message}
        """))
    from empathy_cues.analyzer import matcher_for
    from empathy_cues.core.text import clean_text

    def found(text):
        return sorted(h.cue_id for h in matcher_for(pack).find(clean_text(text)).cues)

    assert found("a sad trip today") == ["frustration.weak", "urgency.stakes"]
    assert found("my sad nan flew today") == []
