"""Feedback votes, the feedback report and per-account cue overrides: the pure parts through plain values,
the worker's part through tasks.handle on real SQLite files."""
import csv
import io
import json

import pytest

from empathy_cues import analyze
from empathy_cues.errors import ConfigError
from empathy_cues.core.event import TicketEvent
from empathy_cues.feedback.overrides import load_overrides, parse_overrides
from empathy_cues.feedback.report import build_feedback_report, render_feedback
from empathy_cues.feedback.votes import Vote, record_votes, votes_on, votes_since
from empathy_cues.records.decisions import record_decision
from empathy_cues.records.store import SqliteRecords
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import service_env
from .test_decision_log import _decision
from .test_queue import RecordingClient, event_dict

H, U = "empathy_feedback_helpful", "empathy_feedback_unhelpful"


def _vote(vote, cues=("struggle.tried",), situation="how_to", parts=("parts.closing.neutral[0]",), decided=True):
    return Vote(key=f"k{id(object())}", at=1.0, helpdesk="zendesk", account="acme", ticket_id="1", agent_id="5",
                vote=vote, decision_key="d" if decided else "", cue_ids=cues if decided else (),
                situation=situation if decided else "", reply_parts=parts if decided else ())


def test_votes_are_read_off_the_tags():
    assert votes_on(("billing", H), helpful_tag=H, unhelpful_tag=U) == ("helpful",)
    assert votes_on((U, H), helpful_tag=H, unhelpful_tag=U) == ("helpful", "unhelpful")
    assert votes_on(("billing",), helpful_tag=H, unhelpful_tag=U) == ()
    assert votes_on((H,), helpful_tag="", unhelpful_tag=U) == ()


def test_report_rates_per_cue_situation_and_part_worst_first():
    votes = ([_vote("helpful", cues=("a", "b"))] * 3 + [_vote("unhelpful", cues=("b",), situation="other")] * 5
             + [_vote("helpful", decided=False)])
    report = build_feedback_report(votes, min_votes=5, max_rate=0.5)
    by_cue = {r.name: (r.helpful, r.unhelpful) for r in report.by_cue}
    assert by_cue == {"a": (3, 0), "b": (3, 5)} and report.by_cue[0].name == "b"
    assert {r.name: r.votes for r in report.by_situation} == {"how_to": 3, "other": 5}
    assert report.by_part[0].name == "parts.closing.neutral[0]" and report.by_part[0].votes == 8
    assert [r.name for r in report.candidates] == ["b"]
    assert (report.votes, report.helpful, report.without_decision) == (9, 4, 1)
    # Fewer "not helpful" votes than the threshold: not a candidate yet.
    assert build_feedback_report(votes, min_votes=6).candidates == ()


def test_report_renders_as_table_csv_and_json():
    report = build_feedback_report([_vote("helpful"), _vote("unhelpful")], min_votes=1, max_rate=0.5)
    table = render_feedback(report, "table")
    assert "Votes: 2   helpful: 1 (50%)" in table and "struggle.tried   50% helpful  (1 of 2)" in table
    assert "Candidates to disable" in table and "  struggle.tried  1 not helpful, 50% helpful" in table
    rows = list(csv.DictReader(io.StringIO(render_feedback(report, "csv"))))
    assert rows[0] == {"group": "cue", "name": "struggle.tried", "helpful": "1", "unhelpful": "1", "votes": "2",
                       "helpful_rate": "0.500", "candidate": "yes"}
    data = json.loads(render_feedback(report, "json"))
    assert data["by_cue"][0]["helpful_rate"] == 0.5 and data["candidates"][0]["name"] == "struggle.tried"
    assert "(no votes)" in render_feedback(build_feedback_report([]), "table")


def test_a_vote_is_recorded_once_per_ticket_and_tag_against_the_decision(tmp_path):
    records = SqliteRecords(tmp_path / "r.sqlite3")
    record_decision(records, _decision("1002", 10.0, cues=("struggle.tried", "waiting.still")))
    event = TicketEvent.from_dict({**event_dict(), "tags": ["billing", H], "author_id": "77"})
    [vote] = record_votes(records, event, helpful_tag=H, unhelpful_tag=U, now=20.0)
    assert vote.cue_ids == ("struggle.tried", "waiting.still") and vote.agent_id == "77" and vote.decision_key
    assert record_votes(records, event, helpful_tag=H, unhelpful_tag=U, now=30.0) == []
    assert len(votes_since(records, 0)) == 1


# -- overrides ----------------------------------------------------------------------------------------

KNOWN = frozenset({"struggle.tried", "positive_tone.love"})


@pytest.mark.parametrize("data,message", [
    ({"accounts": {"acme": {"disable": ["struggle.nope"]}}}, "accounts.acme.disable: unknown cue 'struggle.nope'"),
    ({"accounts": {"acme": {"disable": "struggle.tried"}}}, "must be a list of cue ids"),
    ({"accounts": {"acme": {"enable": []}}}, r"may hold only disable"),
    ({"acme": {}}, "unknown key"),
    ({"accounts": {"bad name!": {"disable": []}}}, "is not a helpdesk subdomain"),
])
def test_overrides_are_validated_naming_the_cue(data, message):
    with pytest.raises(ConfigError, match=message):
        parse_overrides(data, "overrides.toml", KNOWN)


def test_overrides_file_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read cue overrides"):
        load_overrides(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[accounts.acme\n")
    with pytest.raises(ConfigError, match="bad.toml is not valid TOML"):
        load_overrides(bad)


def test_a_disabled_cue_is_not_matched_for_that_account_only(tmp_path):
    text = "Love the app! I tried to export my data but can't seem to find where"
    path = tmp_path / "overrides.toml"
    path.write_text('[accounts.acme]\ndisable = ["struggle.tried"]\n')
    overrides = load_overrides(path)
    plain = {c.cue_id for c in analyze(text).cues}
    acme = {c.cue_id for c in analyze(text, pack=overrides.pack_for("acme")).cues}
    assert "struggle.tried" in plain and acme == plain - {"struggle.tried"}
    assert overrides.pack_for("other") is None and overrides.pack_for("acme") is overrides.pack_for("acme")


def _settings_with(tmp_path, config_text: str, **env):
    config = tmp_path / "settings.toml"
    config.write_text(config_text)
    return Settings.from_env(service_env(tmp_path / "data", EMPATHY_CONFIG=str(config), **env))


def test_the_worker_applies_the_overrides_and_refuses_a_bad_file_at_start(tmp_path):
    (tmp_path / "overrides.toml").write_text('[accounts.acme]\ndisable = ["struggle.stuck"]\n')
    settings = _settings_with(tmp_path, '[feedback]\noverrides = "overrides.toml"\n')
    client = RecordingClient()
    runtime = Runtime(settings, SqliteStore(tmp_path / "s.sqlite3"), client_factory=lambda h, s: client)
    assert handle(runtime, event_dict("trigger_unescaped_text.json")) == "applied"
    records = SqliteRecords(tmp_path / "data" / "records.sqlite3")
    [decision] = records.newest("decision", 5)
    assert "struggle.stuck" not in decision["cue_ids"] and decision["cue_ids"]

    (tmp_path / "overrides.toml").write_text('[accounts.acme]\ndisable = ["struggle.typo"]\n')
    broken = Runtime(settings, SqliteStore(tmp_path / "s2.sqlite3"))
    with pytest.raises(ConfigError, match="unknown cue 'struggle.typo'"):
        broken.warm_up()


def test_the_worker_records_a_vote_from_a_tag_update(tmp_path):
    settings = Settings.from_env(service_env(tmp_path / "data"))
    client = RecordingClient()
    runtime = Runtime(settings, SqliteStore(tmp_path / "s.sqlite3"), client_factory=lambda h, s: client)
    assert handle(runtime, event_dict("trigger_unescaped_text.json")) == "applied"
    update = {**event_dict("trigger_unescaped_text.json"), "kind": "updated", "author_role": "agent",
              "author_id": "500", "tags": ["billing", U], "delivery_id": "zd-vote-1", "comment_text": "x"}
    assert handle(runtime, update) == "agent_comment"
    [vote] = votes_since(SqliteRecords(tmp_path / "data" / "records.sqlite3"), 0)
    assert vote.vote == "unhelpful" and vote.agent_id == "500" and vote.cue_ids and vote.reply_parts


def test_cast_vote_for_an_admin_page(tmp_path):
    from empathy_cues.feedback.votes import cast_vote

    records = SqliteRecords(tmp_path / "r.sqlite3")
    record_decision(records, _decision("7", 10.0))
    vote = cast_vote(records, "zendesk", "acme", "7", "helpful", agent_id="admin", now=11.0)
    assert vote.cue_ids == ("struggle.tried",) and vote.agent_id == "admin"
    assert cast_vote(records, "zendesk", "acme", "7", "helpful", now=12.0) is None
    assert cast_vote(records, "zendesk", "acme", "8", "unhelpful", now=12.0).decision_key == ""
    with pytest.raises(ValueError):
        cast_vote(records, "zendesk", "acme", "7", "meh", now=12.0)
