"""The one settings file: defaults, overrides, errors, and the Policy the analyser gets from it."""
from __future__ import annotations

import pytest

from empathy_cues import analyze
from empathy_cues.policy_file import PluginConfig
from empathy_cues.errors import ConfigError


def test_defaults_give_the_analysers_default_policy():
    config = PluginConfig.load()
    a = analyze("Still waiting for my refund, third time asking!", channel="social", policy=config.policy)
    assert "empathy_apology" in a.tags and "empathy_respond_60m" in a.tags
    assert [(t.minutes, t.tag) for t in config.response_targets()] == [(60, "empathy_respond_60m"),
                                                                       (360, "empathy_respond_6h")]


def test_a_renamed_tag_reaches_the_analyser_and_the_manifest_values(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[tags]\napology = "sorry_owed"\n[response_minutes]\nemail = 240\n')
    config = PluginConfig.load(path)
    a = analyze("I tried to log in but can't seem to", channel="email", policy=config.policy)
    assert "sorry_owed" in a.tags and "empathy_respond_4h" in a.tags
    assert config.placeholders()["tags.apology"] == "sorry_owed"
    assert "empathy_respond_4h" in [t.tag for t in config.response_targets()]


@pytest.mark.parametrize("text, message", [
    ('[tagz]\napology = "x"\n', "unknown section"),
    ('[tags]\nshout = "x"\n', "unknown tag setting"),
    ('[priority]\nraise_to = "asap"\n', "raise_to"),
    ('[response_minutes]\nemail = -5\n', "positive"),
    ('[priority]\nassign = true\n', "group id"),
    ('[workflow_tags]\nhelped = "two words"\n', "one tag"),
    ("not toml = = ", "not valid TOML"),
    ('[records]\nretention_days = 0\n', "retention_days must be a number of days above 0"),
    ('[feedback]\ncandidate_min_votes = 0\n', "candidate_min_votes must be a whole number"),
    ('[feedback]\ncandidate_max_rate = 1.5\n', "candidate_max_rate must be a rate between 0 and 1"),
    ('[feedback]\noverrides = 3\n', "feedback.overrides must be a file path"),
    ('[qa]\nscore_replies = "yes"\n', "qa.score_replies must be true or false"),
    ('[qa]\nfirst_reply_hours = -1\n', "qa.first_reply_hours must be a number of hours"),
    ('[qa]\nmissing_apology_tag = "two tags"\n', "qa.missing_apology_tag must be one tag"),
])
def test_bad_settings_name_the_problem(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        PluginConfig.load(path)
