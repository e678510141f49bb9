"""Negative wording: a general sentiment lexicon (VADER) as one more sign, named in the customer's words.

Sentences are invented. The pure finder is tested with a tiny made-up lexicon, the analyser with the
real one shipped inside the vaderSentiment package.
"""
import dataclasses

import pytest

from empathy_cues import analyze
from empathy_cues.core.decision import Policy, Thresholds, decide
from empathy_cues.core.matches import CueMatch, MatchResult
from empathy_cues.core.packs import PackError, load_builtin_pack, parse_pack
from empathy_cues.core.sentiment import compound_by_sentence, find_negative_wording, mask_spans

LEXICON = {"dreary": -1.5, "awful": -2.5, "nice": 1.8, "helpful": 1.6}


def _compound(text: str) -> float:
    # A stand-in scorer: negative when any word's valence (turned by a preceding "not") is negative.
    words = [w.strip(".,!?") for w in text.lower().split()]
    total = 0.0
    for i, w in enumerate(words):
        v = LEXICON.get(w, 0.0)
        total += -v if i and words[i - 1] == "not" else v
    return max(-1.0, min(1.0, total / 4))


def _find(text):
    return find_negative_wording(text, compound=_compound, lexicon=LEXICON, is_negator=lambda w: w == "not")


def test_names_the_most_negative_word_as_a_span_of_the_text():
    text = "A dreary wait, then an awful flight."
    found = _find(text)
    assert found is not None and text[found.start:found.end] == "awful"
    assert found.compound < 0


def test_a_word_turned_by_a_negator_is_named_with_it():
    text = "The agent was not helpful."
    found = _find(text)
    assert found is not None and text[found.start:found.end] == "not helpful"


def test_a_message_that_does_not_read_negative_names_nothing():
    assert _find("A nice flight, a dreary film.") is None     # mixed, but not negative overall
    assert _find("") is None
    assert _find("   ") is None


def test_the_whole_message_is_scored_sentence_by_sentence_as_vader_sums_it():
    def scorer(sentence):
        return {"compound": _compound(sentence)}

    # One sentence: the same score as VADER's normalisation of its own sum.
    assert compound_by_sentence("An awful wait.", scorer=scorer) == pytest.approx(_compound("An awful wait."), abs=1e-3)
    # Two negative sentences add up to a more negative whole than either.
    two = compound_by_sentence("An awful wait. A dreary room.", scorer=scorer)
    assert two < _compound("An awful wait.") < 0
    # A friendly sentence can outweigh a mild one.
    assert compound_by_sentence("A dreary room! But nice staff, nice food, helpful desk.", scorer=scorer) > 0


def test_masking_keeps_offsets():
    text = "Sorry to bother you, awful day"
    masked = mask_spans(text, [(0, 19)])
    assert len(masked) == len(text) and masked[20:] == text[20:] and not masked[:19].strip()


@pytest.mark.parametrize("text, word", [
    ("Our stay was dismal from start to finish.", "dismal"),
    ("The staff at the desk were hostile.", "hostile"),
    ("Grim evening at the terminal with my two kids.", "Grim"),
])
def test_words_no_phrase_lists_still_owe_an_apology_and_are_named(text, word):
    a = analyze(text)
    lexicon = [c for c in a.cues if c.category == "negative_wording"]
    assert a.apology
    assert [c.matched for c in lexicon] == [word]
    assert f'apology: negative wording cue "{word}"' in a.reasons
    assert "empathy_cue_negative_wording" in a.tags


def test_politeness_formulas_are_not_negative_wording():
    for text in ("Sorry to bother you, could you resend my invoice?", "No worries at all, thanks!",
                 # the customer's own slip, apologised for
                 "qwerty sorry my toddler grabbed the phone", "Sorry for the confusion, I meant the red one",
                 "Sorry to interrupt, is the garden centre open on bank holidays?"):
        a = analyze(text)
        assert not a.apology, text
        assert not [c for c in a.cues if c.category == "negative_wording"], text


def test_friendly_words_around_a_complaint_do_not_cancel_it():
    a = analyze("Thanks for the quick reply. Sadly the second box was crushed too, a miserable week.")
    assert a.apology and a.polite


def test_praise_stays_praise():
    a = analyze("Thank you, the upgrade was perfect and the crew were lovely!")
    assert not a.apology and a.situation == "praise"


def test_it_is_not_an_extra_sign_of_trouble_toward_priority():
    # Two clear cues and the lexicon's word: three signs together would owe priority, but the lexicon's
    # word is the same trouble in general words, so it adds none (decide() is given the three directly).
    cues = (CueMatch("struggle.tried", "struggle", "I tried to", 100, 0, 10, True, False),
            CueMatch("struggle.cant_seem", "struggle", "can't seem to", 100, 11, 24, True, False),
            CueMatch("negative_wording.lexicon", "negative_wording", "miserable", 100, 40, 49, True, False))
    a = decide(MatchResult(cues, ()), text="x" * 50, subject="", channel="email", policy=Policy(),
               thresholds=Thresholds(distress_at=3.0))
    assert a.apology and not a.priority
    three = cues[:2] + (cues[0]._replace(cue_id="struggle.other", matched="I attempted"),)
    assert decide(MatchResult(three, ()), text="x" * 50, subject="", channel="email", policy=Policy(),
                  thresholds=Thresholds(distress_at=3.0)).priority


def test_when_the_pack_already_owes_the_apology_its_own_cues_say_why():
    a = analyze("I tried to update the address and can't seem to save it. Dismal.")
    assert a.apology
    assert sorted(c.category for c in a.cues) == ["struggle", "struggle"]


def test_negative_wording_alone_does_not_make_a_question_a_problem_report():
    a = analyze("Is the grey coat back in stock? Dreary weather here.")
    assert a.apology                                     # it does read negative
    assert a.situation in ("information", "other", "how_to")


def test_an_account_can_turn_it_off_like_any_cue():
    pack = load_builtin_pack("en")
    off = dataclasses.replace(pack, cues=tuple(c for c in pack.cues if c.id != "negative_wording.lexicon"))
    text = "Our stay was dismal from start to finish."
    assert analyze(text, pack=pack).apology
    assert not analyze(text, pack=off).apology


def test_the_pack_declares_it_and_an_unknown_detector_is_refused():
    pack = load_builtin_pack("en")
    cue = pack.cue("negative_wording.lexicon")
    assert cue.detector == "negative_wording" and cue.apology and not cue.priority
    raw = {"language": "xx", "version": 1, "categories": {"gloom": {"apology": True}},
           "cues": [{"id": "gloom.words", "category": "gloom", "detector": "weather"}]}
    with pytest.raises(PackError, match="unknown detector 'weather'.*negative_wording"):
        parse_pack(raw, "invented.yaml")


def test_plain_service_words_the_pack_names_are_not_counted():
    # A general lexicon rates "leave" and "limited" negative; in a question about a bag or an edition
    # they are nothing of the kind.
    for text in ["Can I leave my bag at the hotel after checkout?", "Is there a limited edition in blue?",
                 "Back home after a week in Lisbon with you, I miss the cabin crew already!"]:
        a = analyze(text, channel="email")
        assert not a.apology, [c.cue_id for c in a.cues]
    pack = load_builtin_pack("en")
    assert {"leave", "limited"} <= pack.cue("negative_wording.lexicon").ignore_words
    # The words are ignored, not the message: real gloom beside them still counts.
    assert analyze("I had to leave the hotel in tears, a miserable ending to the trip").apology


@pytest.mark.parametrize("spec, message", [
    ({"id": "gloom.words", "category": "gloom", "phrases": ["grim"], "ignore_words": ["leave"]},
     "only for the negative_wording detector"),
    ({"id": "gloom.words", "category": "gloom", "detector": "negative_wording", "ignore_words": ["go away"]},
     "single words"),
])
def test_ignore_words_are_validated_at_load(spec, message):
    raw = {"language": "xx", "version": 1, "categories": {"gloom": {"apology": True}}, "cues": [spec]}
    with pytest.raises(PackError, match=message):
        parse_pack(raw, "invented.yaml")


def test_a_negative_word_inside_a_name_or_title_is_not_the_customers_feeling():
    from empathy_cues.core.sentiment import name_spans
    lexicon = {"wars": -2.6, "dead": -3.3, "happy": 2.7, "terrible": -2.1}
    text = "Is the Star Wars box set back? Loved The Walking Dead. Happy Birthday! TERRIBLE SERVICE at @Dead"
    spans = [text[a:b] for a, b in name_spans(text, lexicon)]
    # The negative words of the names go; a greeting's friendly words stay, shouting and handles are no names.
    assert spans == ["Wars", "Dead"], spans
    assert not analyze("@shop which of your stores stock the new Star Wars ice lollies?", channel="social").apology
    assert not analyze("@telly is The Walking Dead on catch-up yet?", channel="social").apology
    # A complaint in capitals around a name is still a complaint.
    assert analyze("@telly the Walking Dead finale kept freezing, awful stream", channel="social").apology


def test_no_short_for_number_is_not_a_refusal():
    from empathy_cues.core.sentiment import number_abbreviation_spans
    text = "where do I find my account no. and my ref no? the account no longer works"
    assert [text[a:b] for a, b in number_abbreviation_spans(text)] == ["no", "no"]
    assert not analyze("@powerco where do I find my meter no on the new unit", channel="social").apology


@pytest.mark.parametrize("message", [
    "@taxoffice can I defer it? Or pay it by direct debit?",
    "@skyair to pay for a second bag, do I do it online or at the airport?",
])
def test_paying_asked_about_is_no_grievance(message):
    assert not analyze(message, channel="social").apology


@pytest.mark.parametrize("message", ["@skyair No I have not.", "@shopco no thanks", "@bankco Nope, all good",
                                     "@skyair no problem at all, have a good day",
                                     "@shopco sorted it myself, no biggie"])
def test_a_short_answer_no_is_not_a_refusal(message):
    assert not analyze(message, channel="social").apology


@pytest.mark.parametrize("message", [
    # a "no" that opens more: the rest hints at a grievance the lexicon's "no" stands for
    "@skyair no not yet. Still waiting to be connected to an agent after an hour",
    # "no" as a word of the message, not an answer
    "@skyair No IT? Really? Your whole system is down"])
def test_a_no_that_opens_more_still_counts(message):
    assert analyze(message, channel="social").apology


def test_desperate_for_a_thing_is_eagerness_not_a_grievance():
    assert not analyze("@shopco will the blue linen shirts be back in stock? Desperate for one!",
                       channel="social").apology
    assert analyze("@bankco I'm desperate, my card was blocked and I can't pay my rent",
                   channel="social").apology
