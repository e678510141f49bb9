"""Unit tests of the composer's parts: paraphrase, tone, templates loader, note assembly, escaping."""
from __future__ import annotations

import copy
import re
import zlib

import pytest
import yaml

from empathy_cues.compose import Note, clean_name, compose_note, count_sentences
from empathy_cues.decide import Analysis
from empathy_cues.errors import PackError
from empathy_cues.matcher import CueMatch
from empathy_cues.paraphrase import paraphrase, turn_around, turn_pronouns
from empathy_cues.templates import builtin_templates_path, load_builtin_templates, load_template_file, parse_templates
from empathy_cues.tone import detect_tone

TS = load_builtin_templates()


def cue(text: str, words: str, category: str = "struggle", *, cue_id: str | None = None, priority: bool = False,
        weight: float = 1.0, apology: bool = True) -> CueMatch:
    start = text.index(words)
    return CueMatch(cue_id=cue_id or f"{category}.x", category=category, matched=words, score=100.0, start=start,
                    end=start + len(words), apology=apology, priority=priority, weight=weight)


def analysis(text: str, cues: list[CueMatch], *, channel: str = "email", minutes: int = 360,
             priority: bool = False) -> Analysis:
    return Analysis(apology=True, priority=priority, tags=("empathy_apology",), cues=tuple(cues),
                    respond_within_minutes=minutes, reasons=(), channel=channel, text=text, subject="",
                    polite=False, categories=frozenset(c.category for c in cues if c.apology or c.priority))


def said_back(text: str, words: str) -> str | None:
    start = text.index(words)
    return paraphrase(text, [(start, start + len(words))], never_echo=TS.never_echo)


# -- paraphrase -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, cue_words, expected", [
    ("I tried to export my data but can't seem to find where", "I tried to",
     "you've been trying to export your data and couldn't find where to do it"),
    # "me" as object, and the customer's "your" said back as "our"
    ("Your app won't let me sign in since the update", "won't let me", "our app won't let you sign in since the update"),
    # "me" as subject
    ("Me and my wife can't log in to our shared account", "can't log in", "you and your wife can't log in to your shared account"),
    # am / was after I
    ("I am unable to open the invoice", "unable to", "you are unable to open the invoice"),
    ("I was trying to pay my bill and it keeps failing", "trying to",
     "you've been trying to pay your bill and it keeps failing"),
    # subjectless chat style
    ("can't log in to my account", "can't log in", "you can't log in to your account"),
    ("Still waiting for my order from 3 weeks ago", "Still waiting", "you're still waiting for your order from 3 weeks ago"),
    # all caps is never shouted back
    ("I CAN'T LOG IN TO MY ACCOUNT", "CAN'T LOG IN", "you can't log in to your account"),
    # links and @handles are dropped
    ("@AcmeHelp I can't open the file https://acme.example/f/123 on my phone", "can't open",
     "you can't open the file on your phone"),
    # emoji end a thought
    ("can't reset my password 😩 help pls", "can't reset", "you can't reset your password"),
    # known question shapes
    ("How do I cancel my subscription?", "How do I", "you'd like to know how to cancel your subscription"),
    ("Is there a way to pause my payments?", "Is there a way", "you're looking for a way to pause your payments"),
    # missing apostrophes restored, softer wording for confusion
    ("i cant find the export button anywhere lol", "cant find", "you can't find the export button anywhere"),
    ("I'm totally confused about the new pricing page", "confused", "you're unsure about the new pricing page"),
    ("I don't know how to add a user", "don't know", "you're not sure how to add a user"),
])
def test_paraphrase_turns_the_clause_around(text, cue_words, expected):
    assert said_back(text, cue_words) == expected


@pytest.mark.parametrize("text, cue_words", [
    ("help", "help"),                                             # one word
    ("Can you tell me why I was charged twice?", "charged"),      # question of unknown shape
    ("You guys never answer and I can't reach you", "can't reach"),   # "you" is us: refuse
    ("Third time asking", "Third time"),                          # no subject to vouch for
    ("I can't stand this stupid app", "can't"),                   # never echo insults
    ("I tried to paste <script>alert(1)</script> into the form", "I tried to"),   # markup is never quoted
    ("I tried to set {{ name }} in the template", "I tried to"),  # template syntax is never quoted
    ("I tried " + " ".join(["again"] * 30) + " to log in to my account", "I tried"),   # too long
])
def test_paraphrase_refuses_what_would_come_out_wrong(text, cue_words):
    assert said_back(text, cue_words) is None


def test_an_I_inside_quotes_is_not_the_customer():
    text = 'The button says "I agree" but I can\'t click it'
    assert said_back(text, "can't") == "you can't click it"
    assert "you agree" not in (said_back(text, "can't") or "")


def test_long_sentence_is_cut_at_a_clause_break_after_the_cue():
    text = ("I can't download the report, which I need for the board meeting on Thursday that my manager "
            "asked me to prepare with all the figures from last quarter and the one before")
    assert said_back(text, "can't download") == "you can't download the report"


def test_pronoun_swaps_cover_the_contracted_forms():
    assert turn_pronouns("I'm sure I've seen my own invoice and we'd like ours") == \
        "you're sure you've seen your own invoice and you'd like yours"
    assert turn_pronouns("I was sure") == "you were sure"
    assert turn_pronouns("can you help") is None


def test_turn_around_drops_leading_conjunctions_and_trailing_filler():
    assert turn_around("but I can't find the invoice please!!") == "you can't find the invoice"


# -- tone ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, tone", [
    ("hey!! can't log in to my account 😩 help pls", "casual"),
    ("omg the app keeps crashing lol", "casual"),
    ("Dear Sir or Madam, I am unable to download the invoice. Kind regards, John Smith", "formal"),
    ("To whom it may concern, I am writing regarding an incorrect charge. I look forward to your reply.", "formal"),
    ("I tried to export my data but can't seem to find where", "neutral"),
    ("", "neutral"),
])
def test_detect_tone(text, tone):
    assert detect_tone(text) == tone


def test_an_angry_casual_message_gets_a_neutral_reply():
    text = "omg this is ridiculous!!! cant log in AGAIN lol"
    a = analysis(text, [cue(text, "ridiculous", "frustration", cue_id="frustration.strong", priority=True),
                        cue(text, "cant log in")], priority=True)
    assert detect_tone(text) == "casual"
    assert compose_note(a, ticket_id="1").tone == "neutral"


# -- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("Sam Lee", ("Sam Lee", "Sam")), ("sam", ("Sam", "Sam")), ("JOHN SMITH", ("John Smith", "John")),
    ("Mrs Patel", ("Mrs Patel", "Mrs")), ("Zoë O'Neill-Brown", ("Zoë O'Neill-Brown", "Zoë")),
    ("<b>x</b>", (None, None)), ("{{ 7*7 }}", (None, None)), ("jane@example.com", (None, None)),
    ("Customer", (None, None)), (None, (None, None)), ("", (None, None)), ("x" * 60, (None, None)),
])
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


# -- the note ------------------------------------------------------------------------------------

def test_note_from_a_hand_built_analysis_has_every_part():
    text = "I tried to export my data but can't seem to find where"
    a = analysis(text, [cue(text, "I tried to"), cue(text, "can't seem to")])
    note = compose_note(a, ticket_id="T-1", customer_name="Sam Lee")
    assert isinstance(note, Note)
    assert note.paraphrase == "you've been trying to export your data and couldn't find where to do it"
    reply = note.reply
    assert reply.startswith("Hello Sam,\n\n") or reply.startswith("Hi Sam,\n\n")
    assert note.paraphrase in reply
    assert re.search(r"frustrat|time that has taken", reply)
    assert re.search(r"\bsorry\b", reply, re.I)
    assert len(note.options) == 3 and all(o in reply for o in note.options)
    assert "within the next 6 hours" in reply
    assert '- "I tried to" — struggling' in note.text
    assert "email — within 6 hours; if it can't be solved by then, send an update" in note.text
    assert "<li>“I tried to” — struggling</li>" in note.html


def test_no_apology_or_priority_gives_a_short_note_and_no_reply():
    a = Analysis(apology=False, priority=False, tags=(), cues=(), respond_within_minutes=360, reasons=(),
                 channel="email", text="thanks, all good", subject="", polite=True, categories=frozenset())
    note = compose_note(a, ticket_id="1")
    assert note.reply == ""
    assert "no apology or priority follow-up owed" in note.text and "no apology" in note.html


def test_same_ticket_same_note_and_different_tickets_vary():
    text = "I tried to export my data but can't seem to find where"
    a = analysis(text, [cue(text, "I tried to")])
    assert compose_note(a, ticket_id="42").reply == compose_note(a, ticket_id="42").reply
    replies = {compose_note(a, ticket_id=str(i)).reply for i in range(20)}
    assert len(replies) >= 5
    # Every ticket still gets the same sentences in the same order of parts.
    for r in replies:
        assert "you've been trying to export your data" in r


def test_variant_choice_is_a_stable_crc32_not_the_salted_builtin_hash():
    text = "I can't log in"
    a = analysis(text, [cue(text, "can't log in")])
    variants = [t.render() for t in TS.leaf("apology", tone="neutral")]
    expected = variants[zlib.crc32(b"T-7|apology") % len(variants)]
    assert expected in compose_note(a, ticket_id="T-7").reply


def test_customer_markup_in_the_note_is_inert():
    text = "<script>alert(1)</script> {{ 7*7 }} {% raw %} I can't log in [x](javascript:alert(1))"
    quoted = "<script>alert(1)</script> {{ 7*7 }}"
    a = analysis(text, [cue(text, quoted, "frustration"), cue(text, "can't log in")])
    note = compose_note(a, ticket_id="1", customer_name="<img src=x onerror=alert(1)>")
    assert "<script" not in note.html and "&lt;script&gt;" in note.html
    assert "{{ 7*7 }}" in note.html and "49" not in note.html          # template syntax stays text
    assert "\\<script\\>" in note.text and "<script>" not in note.text
    assert "49" not in note.text and "{{ 7*7 }}" not in note.reply
    assert "<" not in note.reply and "onerror" not in note.reply + note.html


def test_life_event_leads_with_care_and_drops_cheer():
    text = "My mother passed away last month and I need to close her account."
    a = analysis(text, [cue(text, "passed away", "life_event", cue_id="life_event.bereavement", priority=True),
                        cue(text, "I need to", "struggle", weight=0.5)], priority=True)
    note = compose_note(a, ticket_id="5", customer_name="Ana")
    body = note.reply.split("\n\n", 1)[1]
    assert body.startswith(("I'm so sorry for your loss", "I was very sorry to read about your loss"))
    assert note.life_event == "bereavement"
    assert note.paraphrase == "you need to close her account"
    assert "!" not in note.reply and "passed" not in note.reply
    assert re.search(r"as little of your time|as simple as I can", note.reply)


def test_repeat_contact_is_acknowledged_with_ownership():
    text = "This is the third time I'm writing about my invoice and nobody has replied."
    a = analysis(text, [cue(text, "third time", "repeat_contact", priority=True)], priority=True)
    note = compose_note(a, ticket_id="9")
    assert re.search(r"more than once|follow this up again", note.reply)
    assert re.search(r"stay on this ticket|ownership", note.reply)


def test_a_lasting_problem_is_not_called_a_repeat_contact():
    text = "The app still won't open after the update."
    a = analysis(text, [cue(text, "still won't", "repeat_contact", priority=True)], priority=True)
    note = compose_note(a, ticket_id="9")
    assert not re.search(r"more than once|again|ownership", note.reply)


def test_social_reply_is_short_and_invites_a_private_channel_for_account_details():
    text = "I can't log in to my account and I've tried resetting my password three times already"
    a = analysis(text, [cue(text, "can't log in")], channel="social", minutes=60)
    note = compose_note(a, ticket_id="3", customer_name="Maximiliana Alexandra")
    assert len(note.reply) <= 280 and count_sentences(note.reply) <= 3
    assert re.search(r"\bDM\b|direct message", note.reply)
    assert "within the next hour" in note.reply


@pytest.mark.parametrize("channel", ["email", "social", "chat", "web", "phone", "api", "other"])
def test_every_variant_combination_of_the_longest_parts_fits(channel):
    """The worst case: the longest variant of every part, a 25-word paraphrase, a long name."""
    words = " ".join(["averyveryverylongword"] * 7)
    text = f"I can't open {words} and more"
    cues = [cue(text, "can't open"),
            cue(text, "averyveryverylongword", "repeat_contact", priority=True),
            cue(text, "more", "churn_risk", priority=True)]
    a = analysis(text, cues, channel=channel, minutes=360, priority=True)
    limit = TS.limit(channel)
    for i in range(60):
        note = compose_note(a, ticket_id=f"w{i}", customer_name="Bartholomew-Alexander Montgomery")
        assert len(note.reply) <= limit.max_chars
        assert count_sentences(note.reply) <= limit.max_sentences


def test_templates_render_and_hold_no_blame_phrase():
    sample = dict(name="Sam", paraphrase="you can't log in", feeling="I can see how frustrating this has been",
                  when="the next hour", options="a, b, or c", minutes_text="60 minutes", channel="email")
    for key, template in TS.all_templates():
        rendered = template.render(**sample)
        assert rendered.strip(), key
        for phrase in TS.blame_phrases:
            assert phrase not in rendered.lower(), (key, phrase)


# -- the template loader -------------------------------------------------------------------------

def _raw():
    return copy.deepcopy(yaml.safe_load(builtin_templates_path().read_text(encoding="utf-8")))


def test_builtin_templates_load():
    ts = load_template_file(builtin_templates_path())
    assert ts.language == "en" and ts.limit("social").max_chars == 280 and "chat" in ts.short_channels


@pytest.mark.parametrize("mutate, key, message", [
    (lambda d: d["parts"].pop("apology"), "parts", "missing part(s): apology"),
    (lambda d: d["parts"]["apology"].__setitem__("neutral", ["I'm sorry {{ nme }}."]), "parts.apology.neutral[0]",
     "unknown variable(s) nme"),
    (lambda d: d["parts"]["closing"].__setitem__("formal", ["Thanks {% if %}"]), "parts.closing.formal[0]",
     "template syntax error"),
    (lambda d: d["parts"]["apology"].__setitem__("casual", ["Sorry, but you should have read the FAQ."]),
     "parts.apology.casual[0]", "blame phrase"),
    (lambda d: d["parts"]["options"]["struggle"].__setitem__(0, ["only one"]), "parts.options.struggle[0]",
     "two or three options"),
    (lambda d: d["parts"]["feeling"]["confusion"].__setitem__("chirpy", ["I"]), "parts.feeling.confusion",
     "unknown tone"),
    (lambda d: d["parts"]["feeling"]["confusion"].pop("neutral"), "parts.feeling.confusion", "needs a 'neutral'"),
    (lambda d: d["limits"]["social"].__setitem__("max_chars", 20), "limits.social", "max_chars"),
    (lambda d: d["parts"]["life_lead"].pop("bereavement"), "parts.life_lead", "bereavement"),
    (lambda d: d.__setitem__("never_echo", ["ok", False]), "never_echo", "quote yes/no"),
])
def test_invalid_templates_name_the_file_and_key(mutate, key, message):
    data = _raw()
    mutate(data)
    with pytest.raises(PackError) as err:
        parse_templates(data, "phrase_packs/templates/en.yaml")
    assert err.value.cue_id == key
    assert message in str(err.value)
    assert "phrase_packs/templates/en.yaml" in str(err.value)


def test_unreadable_template_files_raise_pack_errors(tmp_path):
    bad = tmp_path / "xx.yaml"
    bad.write_text("parts: [unclosed", encoding="utf-8")
    with pytest.raises(PackError, match="not valid YAML"):
        load_template_file(bad)
    with pytest.raises(PackError, match="cannot read"):
        load_template_file(tmp_path / "missing.yaml")


def test_fast_substitution_renders_exactly_as_jinja_does():
    """Plain {{ name }} parts skip the Jinja context; they must render identically to Jinja2."""
    from jinja2 import Environment, StrictUndefined, UndefinedError

    from empathy_cues.templates import Static, Substitution

    env = Environment(autoescape=False, undefined=StrictUndefined)
    sample = dict(name="Sam", paraphrase="you can't <b>log</b> in {{ x }}", feeling="I can see",
                  when="the next hour", options="a, b, or c", minutes_text="60 minutes", channel="email")
    fast = 0
    for key, template in TS.all_templates():
        if isinstance(template, Substitution):
            fast += 1
            assert template.render(**sample) == env.from_string(template.source).render(**sample), key
            with pytest.raises(UndefinedError):
                template.render()
        else:
            assert isinstance(template, Static) or hasattr(template, "environment"), key
    assert fast >= 10
