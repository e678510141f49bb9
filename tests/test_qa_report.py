"""The QA report: built (pure) from plain records, drawn as table, CSV, JSON and HTML with inline SVG; the
worker's QA rows (no text) through tasks.handle; the CLI commands on a real records file."""
import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from empathy_cues.qa.render import render_report
from empathy_cues.qa.report import build_report, week_start
from empathy_cues.qa.scores import QaRecord, qa_since, record_qa
from empathy_cues.qa.svg import bar_chart_svg, line_chart_svg
from empathy_cues.records.decisions import record_decision
from empathy_cues.records.store import SqliteRecords
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore
from empathy_cues.worker.runtime import Runtime
from empathy_cues.worker.task import handle

from .conftest import service_env
from .test_decision_log import _decision
from .test_queue import RecordingClient, event_dict

MONDAY = 1795392000          # 2026-11-23 00:00 UTC, a Monday
DAY = 86400


def _qa(agent, at, score, *, ticket="1", apology=True, restate=True, flagged=False, minutes=None, target=360,
        asks=()):
    criteria = dict(acknowledge=True, restate=restate, apology=apology, options=False, next_step=True, close=None,
                    tone=True)
    return QaRecord(key=f"{agent}-{at}-{ticket}", at=at, helpdesk="zendesk", account="acme", ticket_id=ticket,
                    agent_id=agent, channel="email", criteria=criteria, score=score, apology_missing=apology is False,
                    asks_unanswered=asks, flagged=flagged, minutes_since_flag=minutes, target_minutes=target)


RECORDS = [
    _qa("7", MONDAY + 1 * DAY, 80, ticket="1", flagged=True, minutes=30),
    _qa("7", MONDAY + 2 * DAY, 60, ticket="1", flagged=True, minutes=900, apology=False),   # not the first reply
    _qa("9", MONDAY + 8 * DAY, 40, ticket="2", flagged=True, minutes=500, apology=False, asks=("callback",)),
    _qa("9", MONDAY + 9 * DAY, 100, ticket="3", apology=None, restate=False),
    _qa("9", MONDAY + 30 * DAY, 100, ticket="4"),                                             # outside the period
]


def test_week_start_is_the_monday():
    assert week_start(MONDAY) == MONDAY and week_start(MONDAY + 6 * DAY + 3600) == MONDAY
    assert week_start(MONDAY - 1) == MONDAY - 7 * DAY


def test_report_per_agent_and_team():
    report = build_report(RECORDS, since=MONDAY, until=MONDAY + 14 * DAY)
    team = report.team
    assert (team.replies, team.average) == (4, 70.0)
    assert team.rates["apology"] == pytest.approx(1 / 3, abs=0.001)     # 3 replies it applied to
    assert team.rates["restate"] == 0.75 and team.rates["close"] is None and team.rates["options"] == 0.0
    assert (team.apology_missing, team.asks_unanswered) == (2, 1)
    # Flagged tickets 1 and 2: ticket 1's first reply came in 30 of 360 minutes, ticket 2's in 500.
    assert (team.flagged_tickets, team.within_target) == (2, 1)
    assert [(w.start, w.replies, w.average) for w in team.weekly] == [(MONDAY, 2, 70.0), (MONDAY + 7 * DAY, 2, 70.0)]
    seven, nine = report.agents
    assert (seven.agent_id, seven.replies, seven.average, seven.within_target) == ("7", 2, 70.0, 1)
    assert (nine.agent_id, nine.flagged_tickets, nine.within_target) == ("9", 1, 0)


def test_report_for_one_agent():
    report = build_report(RECORDS, since=MONDAY, until=MONDAY + 14 * DAY, agent="9")
    assert [a.agent_id for a in report.agents] == ["9"] and report.team.replies == 2


def test_empty_report_renders_in_every_format():
    report = build_report([], since=MONDAY, until=MONDAY + DAY)
    for fmt in ("table", "csv", "json", "html"):
        assert render_report(report, fmt)
    assert "no replies" in render_report(report, "html")


def test_renderers():
    report = build_report(RECORDS, since=MONDAY, until=MONDAY + 14 * DAY)
    table = render_report(report, "table")
    assert table.splitlines()[0] == "Agent empathy QA, 2026-11-23 to 2026-12-07"
    assert re.search(r"^team\s+4\s+70\.0\s", table, re.M) and re.search(r"^7\s+2\s+70\.0\s", table, re.M)
    assert "Weekly (team): 2026-11-23 70.0 (2)  2026-11-30 70.0 (2)" in table
    rows = list(csv.DictReader(io.StringIO(render_report(report, "csv"))))
    assert [r["agent"] for r in rows] == ["team", "7", "9"] and rows[0]["close"] == "" and rows[0]["restate"] == "0.75"
    data = json.loads(render_report(report, "json"))
    assert data["team"]["weekly"][0] == {"week": MONDAY, "replies": 2, "average": 70.0}


def test_html_is_self_contained_with_inline_svg_charts():
    html = render_report(build_report(RECORDS, since=MONDAY, until=MONDAY + 14 * DAY), "html")
    assert html.startswith("<!doctype html>") and html.count("<svg") == 3
    assert "Average score per agent" in html
    assert not re.search(r"""(src|href)\s*=|<script|@import|url\(""", html, re.I)
    assert "Weekly average score (team)" in html and "Criteria met (team)" in html


def test_svg_charts_escape_labels_and_clamp_values():
    bars = bar_chart_svg([("<b>", 1.7), ("none", None)], title="t & u")
    assert "&lt;b&gt;" in bars and "t &amp; u" in bars and "170%" in bars and "–" in bars
    line = line_chart_svg([("w1", 50.0), ("w2", 150.0)], title="trend")
    assert "<polyline" in line and 'cy="30.0"' in line       # 150 drawn at the top, not above it


@pytest.fixture
def worker(tmp_path):
    def make(config_text=""):
        env = {}
        if config_text:
            config = tmp_path / "settings.toml"
            config.write_text(config_text)
            env["EMPATHY_CONFIG"] = str(config)
        settings = Settings.from_env(service_env(tmp_path / "data", **env))
        client = TaggingClient()
        return Runtime(settings, SqliteStore(tmp_path / "s.sqlite3"), client_factory=lambda h, s: client), client

    return make, SqliteRecords(tmp_path / "data" / "records.sqlite3")


class TaggingClient(RecordingClient):
    def __init__(self):
        super().__init__()
        self.tagged = []

    def add_tags(self, ticket_id, tags):
        self.tagged.append((ticket_id, tuple(tags)))
        return tuple(tags)


REPLY = "Please provide your order number so we can look into it."


def _agent_reply(text=REPLY, **extra):
    return {**event_dict(), "author_role": "agent", "author_id": "500", "comment_id": "91000", "comment_text": text,
            "delivery_id": "evt-agent-1", **extra}


def test_the_worker_scores_an_agent_reply_and_stores_no_text(worker):
    make, records = worker
    runtime, client = make()
    record_decision(records, _decision("1002", 1.0))
    from empathy_cues import metrics

    flagged = metrics.QA_REPLIES_SCORED.labels("zendesk", "apology_missing")
    before = flagged._value.get()
    assert handle(runtime, _agent_reply()) == "agent_comment" and client.calls == 0
    assert flagged._value.get() == before + 1
    [row] = qa_since(records, 0)
    assert (row.ticket_id, row.agent_id, row.channel, row.flagged) == ("1002", "500", "web", True)
    assert row.apology_missing and row.score < 40 and set(row.criteria) >= {"acknowledge", "restate", "apology"}
    raw = sqlite3.connect(records.path).execute("select group_concat(data) from records").fetchone()[0]
    assert "order number" not in raw and "look into" not in raw
    assert client.tagged == []          # the missing-apology tag is off by default


def test_the_missing_apology_tag_when_turned_on(worker):
    make, records = worker
    runtime, client = make('[qa]\nmissing_apology_tag = "empathy_qa_apology_missing"\n')
    record_decision(records, _decision("1002", 1.0))
    handle(runtime, _agent_reply())
    assert client.tagged == [("1002", ("empathy_qa_apology_missing",))]
    handle(runtime, _agent_reply("I'm so sorry about this. I'll fix it today.", comment_id="91001",
                                 delivery_id="evt-agent-2"))
    assert len(client.tagged) == 1


def test_private_agent_notes_and_own_replies_are_not_scored(worker):
    make, records = worker
    runtime, _ = make()
    handle(runtime, _agent_reply(comment_public=False))
    handle(runtime, _agent_reply(author_id="900", comment_id="91002", delivery_id="evt-own"))   # whoami() is 900
    assert qa_since(records, 0) == []


EXE = str(Path(sys.executable).with_name("empathy-cues"))


def _cli(tmp_path, *args):
    env = {**os.environ, **service_env(tmp_path / "data")}
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)


def test_cli_reports_read_the_records_file(tmp_path):
    import time

    records = SqliteRecords(tmp_path / "data" / "records.sqlite3")
    now = time.time()
    record_qa(records, _qa("7", now - 3600, 80))
    record_qa(records, _qa("7", now - 40 * DAY, 10))
    done = _cli(tmp_path, "report", "--since", "30d", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["team"]["replies"] == 1
    assert _cli(tmp_path, "report", "--since", "60d", "--agent", "8", "--format", "csv").stdout.count("\n") == 2
    assert "<svg" in _cli(tmp_path, "report", "--format", "html").stdout
    assert "Votes: 0" in _cli(tmp_path, "feedback", "report").stdout


def test_cli_errors_are_one_line(tmp_path):
    done = _cli(tmp_path, "report")
    assert done.returncode == 2 and "records.sqlite3 is missing" in done.stderr and "Traceback" not in done.stderr
    SqliteRecords(tmp_path / "data" / "records.sqlite3")
    done = _cli(tmp_path, "report", "--since", "soon")
    assert done.returncode == 2 and "give a period such as 30d" in done.stderr
    assert _cli(tmp_path, "feedback", "report", "--format", "html").returncode == 2
