"""``empathy-cues report`` (agent empathy QA) and ``empathy-cues feedback report`` (helpful rate per cue).

Both read the records the worker keeps (records/store.py: ``records.sqlite3`` in EMPATHY_DATA_DIR, or
Redis with EMPATHY_QUEUE_URL) and print what the pure builders (qa/report.py, feedback/report.py) made.
"""
from __future__ import annotations

import re
import time

import click

from ..errors import InputError

_SINCE = re.compile(r"^\s*(\d{1,4})\s*([dhw])\s*$")
_UNIT_SECONDS = {"h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(value: str) -> float:
    """"30d", "12h", "4w" -> seconds. An InputError names the accepted forms."""
    match = _SINCE.match(value or "")
    if not match or int(match.group(1)) == 0:
        raise InputError(f"--since {value!r}: give a period such as 30d, 12h or 4w")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def open_report_records():
    """The records of the server, named on stderr; never created here."""
    from ..records.store import open_records
    from .service import existing_data_file, load_settings

    settings = load_settings()
    existing_data_file(settings, "records.sqlite3", "records")
    return open_records(settings)


@click.command("report")
@click.option("--since", "since", default="30d", show_default=True, help="Period to report: 30d, 12h, 4w.")
@click.option("--agent", "agent", default=None, help="Only this agent's replies (the helpdesk's agent id).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True)
def report(since: str, agent: str | None, fmt: str) -> None:
    """Agent empathy QA: replies scored per agent and team, average and per-criterion rates, weekly
    trend, flagged tickets answered within target.

    \b
    Examples:
      empathy-cues report --since 30d
      empathy-cues report --since 4w --agent 381 --format csv
      empathy-cues report --format html > qa.html
    """
    from ..qa.render import render_report
    from ..qa.report import build_report
    from ..qa.scores import qa_since

    period = parse_since(since)
    now = time.time()
    records = open_report_records()
    built = build_report(qa_since(records, now - period, now), since=now - period, until=now, agent=agent)
    _print(render_report(built, fmt))


@click.group("feedback")
def feedback() -> None:
    """What agents said of the plugin's notes (the "Empathy note: helpful / not helpful" macros)."""


@feedback.command("report")
@click.option("--since", "since", default="30d", show_default=True, help="Period to report: 30d, 12h, 4w.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="EMPATHY_CONFIG",
              help="Settings file ([feedback] thresholds; default: $EMPATHY_CONFIG, else built-in).")
def feedback_report(since: str, fmt: str, config_path: str | None) -> None:
    """Helpful rate per cue, per situation and per reply part, with counts; cues with enough "not
    helpful" votes are listed as candidates to disable for an account.

    \b
    Examples:
      empathy-cues feedback report --since 30d
      empathy-cues feedback report --format csv > feedback.csv
    """
    from ..policy_file import PluginConfig
    from ..feedback.report import build_feedback_report, render_feedback
    from ..feedback.votes import votes_since

    settings = PluginConfig.load(config_path).data["feedback"]
    period = parse_since(since)
    now = time.time()
    votes = votes_since(open_report_records(), now - period, now)
    built = build_feedback_report(votes, min_votes=settings["candidate_min_votes"],
                                  max_rate=settings["candidate_max_rate"])
    _print(render_feedback(built, fmt))


def _print(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))      # CSV ends its last row itself


def register(main: click.Group) -> None:
    main.add_command(report)
    main.add_command(feedback)
