"""`empathy-cues preview` and `backfill` as an admin runs them: the real command in a subprocess against the
loopback stand-ins (real zenpy/requests clients), its stderr on a pseudo-terminal, a real SQLite queue
and state, and the real worker code draining the queue."""
from __future__ import annotations

import json
import signal
import time
from datetime import datetime, timedelta, timezone

import pytest

from empathy_cues.errors import InputError
from empathy_cues.look_back.scan import Summary, parse_since
from empathy_cues.look_back.report import as_csv, as_html, table

from .conftest import service_env
from .look_back_helpers import (compare, fail_after, finish, now, run, scan_figures, seed_freshdesk, seed_zendesk,
                                start)

WRITES = {"PUT", "POST", "DELETE", "PATCH"}


def env_for(tmp_path, zd=None, fd=None, **extra) -> dict[str, str]:
    urls = {}
    if zd is not None:
        urls["EMPATHY_ZENDESK_API_URL"] = zd.url
    if fd is not None:
        urls["EMPATHY_FRESHDESK_API_URL"] = fd.url
    # A big account limit so the 25% share still reads 20 pages in seconds.
    return service_env(tmp_path / "data", EMPATHY_FRESHDESK_RATE_LIMIT="20000", EMPATHY_ZENDESK_RATE_LIMIT="20000",
                       EMPATHY_LOG_LEVEL="WARNING", **urls, **extra)


@pytest.mark.slow
def test_preview_of_2000_freshdesk_tickets_writes_nothing_and_matches_scan(tmp_path, freshdesk_standin):
    fd = freshdesk_standin
    seed_freshdesk(fd, 2000, now=now())
    fd.reset_calls()
    fail_after(fd, "GET", "/api/v2/tickets", 10, status=429, retry_after=1)
    code, out, terminal = run(["preview", "freshdesk", "--since", "7d", "--format", "csv"], env_for(tmp_path, fd=fd))
    assert code == 0, terminal
    assert not [c for c in fd.calls if c.method in WRITES]                     # changed nothing
    pages = fd.calls_to("GET", "/api/v2/tickets")
    assert len(pages) == 21                                                     # 20 pages, one asked again after the 429
    assert [c.query["page"] for c in pages].count(["11"]) == 2
    assert "tickets: 2000" in terminal and "pages: 20" in terminal              # the progress on the terminal
    counts = compare(out, scan_figures(tmp_path, 2000))
    assert 0 < counts["apology"] < 2000 and counts["priority"] > 0
    assert not (tmp_path / "data" / "preview-freshdesk.checkpoint.json").exists()   # done: nothing to resume


@pytest.mark.slow
def test_preview_of_2000_zendesk_tickets_pages_the_incremental_export(tmp_path, zendesk_standin):
    zd = zendesk_standin
    seed_zendesk(zd, 2000, now=now())
    zd.reset_calls()
    fail_after(zd, "GET", "/api/v2/incremental/tickets/cursor", 1, status=429, retry_after=1)
    code, out, terminal = run(["preview", "zendesk", "--since", "2d", "--format", "csv"], env_for(tmp_path, zd=zd))
    assert code == 0, terminal
    assert not [c for c in zd.calls if c.method in WRITES]
    exports = zd.calls_to("GET", "/api/v2/incremental/tickets/cursor")
    assert len(exports) == 3 and "start_time" in exports[0].query and "cursor" in exports[2].query
    assert "tickets: 2000" in terminal
    compare(out, scan_figures(tmp_path, 2000))


@pytest.mark.slow
def test_preview_resumes_after_ctrl_c_where_it_stopped(tmp_path, freshdesk_standin):
    fd = freshdesk_standin
    seed_freshdesk(fd, 300, now=now())
    fd.reset_calls()
    # page 1 lands; page 2 takes long ...
    fd.after_next("GET", "/api/v2/tickets", lambda: fd.slow_next(1, seconds=30, method="GET", path="/api/v2/tickets"))
    env = env_for(tmp_path, fd=fd)
    proc, master = start(["preview", "freshdesk", "--format", "csv"], env)
    checkpoint = tmp_path / "data" / "preview-freshdesk.checkpoint.json"
    deadline = time.monotonic() + 30
    while not checkpoint.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert json.loads(checkpoint.read_text())["pages"] == 1
    proc.send_signal(signal.SIGINT)                                       # ... Ctrl-C while page 2 is on its way
    code, out, terminal = finish(proc, master)
    assert code == 130 and "interrupted after page 1" in terminal and out == ""
    code, out, terminal = run(["preview", "freshdesk", "--format", "csv"], env)
    assert code == 0 and "resuming at page 2" in terminal
    ids = [line.split(",")[0] for line in out.splitlines()[1:]]
    assert sorted(ids, key=int) == [str(n) for n in range(1, 301)]      # every ticket once
    asked = [c.query["page"][0] for c in fd.calls_to("GET", "/api/v2/tickets")]
    assert asked == ["1", "2", "2", "3"]                                 # page 1 was not read again


def _drain(env: dict[str, str]) -> int:
    """Run every queued event through the real worker code (huey's execute), as `worker` would."""
    from empathy_cues.durable.queue import build_queue
    from empathy_cues.service.settings import Settings

    queue = build_queue(Settings.from_env(env))
    ran = 0
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
        ran += 1
    return ran


@pytest.mark.slow
def test_backfill_applies_each_note_once_even_when_interrupted_and_restarted(tmp_path, freshdesk_standin):
    fd = freshdesk_standin
    fd.rate_limit_total = 1_000_000          # the stand-in's remaining-calls header never says "none left"
    seed_freshdesk(fd, 250, now=now(), closed_every=5)
    env = env_for(tmp_path, fd=fd)
    fd.after_next("GET", "/api/v2/tickets",
                  lambda: fd.after_next("GET", "/api/v2/tickets",
                                        lambda: fd.slow_next(1, seconds=30, method="GET", path="/api/v2/tickets")))
    proc, master = start(["backfill", "freshdesk", "--apply", "--format", "csv"], env)
    checkpoint = tmp_path / "data" / "backfill-freshdesk.checkpoint.json"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (checkpoint.exists() and json.loads(checkpoint.read_text())["pages"] == 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    code, _, terminal = finish(proc, master)
    assert code == 130, terminal
    first = _drain(env)                                   # the worker writes what was queued so far
    assert first > 0
    code, out, terminal = run(["backfill", "freshdesk", "--apply", "--format", "csv"], env)
    assert code == 0 and "resuming at page 3" in terminal, terminal
    code, out, terminal = run(["backfill", "freshdesk", "--apply", "--restart", "--format", "csv"], env)
    assert code == 0, terminal
    rows = [line.split(",") for line in out.splitlines()[1:]]
    actions = [row[-1] for row in rows if row[2] == "True"]
    assert actions and set(actions) <= {"already noted", "already queued"}
    _drain(env)
    owed = {int(row[0]) for row in rows if row[2] == "True"}
    for n, ticket in fd.tickets.items():
        notes = [c for c in fd.notes(n) if "empathy-cues ref:" in c["body"]]
        assert len(notes) == (1 if n in owed else 0), n
        if ticket["status"] == 5:
            assert n not in owed and not notes                  # closed tickets are left alone


@pytest.mark.slow
def test_backfill_without_apply_is_a_dry_run(tmp_path, zendesk_standin):
    zd = zendesk_standin
    seed_zendesk(zd, 40, now=now())
    zd.reset_calls()
    code, out, terminal = run(["backfill", "zendesk", "--since", "7d"], env_for(tmp_path, zd=zd))
    assert code == 0 and "dry run: nothing will be queued" in terminal
    assert "notes would be queued (dry run)" in out and "Would be tagged and noted:" in out
    assert not [c for c in zd.calls if c.method in WRITES] and not zd.calls_to("GET", "/api/v2/tickets/1/comments")
    assert not (tmp_path / "data" / "queue.sqlite3").exists()


# -- the pure parts --------------------------------------------------------------------------------

def test_since_reads_a_number_and_a_unit():
    moment = datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert parse_since("7d", moment) == moment - timedelta(days=7)
    assert parse_since("12h", moment) == moment - timedelta(hours=12)
    assert parse_since("2w", moment) == moment - timedelta(weeks=2)
    for bad in ("", "7", "d", "-1d", "0d", "7y", "seven days"):
        with pytest.raises(InputError):
            parse_since(bad, moment)


ROWS = [
    {"id": "1", "open": True, "apology": True, "priority": True, "note": True, "situation": "order_delivery",
     "severity": 2, "cues": ["problem"], "tags": ["empathy_apology", "empathy_priority"]},
    {"id": "2", "open": False, "apology": False, "priority": False, "note": False, "situation": "praise",
     "severity": 0, "cues": ["positive_tone"], "tags": []},
    {"id": "<3>", "open": True, "apology": True, "priority": False, "note": True, "situation": "order_delivery",
     "severity": 1, "cues": ["problem", "struggle"], "tags": ["empathy_apology"], "action": "queued"},
]


def test_summary_counts_per_situation_severity_and_cue():
    s = Summary.of(ROWS)
    assert (s.tickets, s.notes, s.apology, s.priority) == (3, 2, 2, 1)
    assert s.situations == {"order_delivery": 2, "praise": 1}
    assert s.severities == {"2": 1, "0": 1, "1": 1} and s.cues["problem"] == 2


def test_reports_in_three_formats():
    text = table(ROWS, "Preview")
    assert "Tickets read: 3    would get a note: 2    apology: 2    priority: 1" in text
    assert "  order_delivery            2" in text and "  queued                    1" in text
    assert as_csv(ROWS).splitlines()[0] == "id,open,note,apology,priority,situation,severity,cues,tags,action"
    assert as_csv(ROWS).splitlines()[3].endswith(",problem struggle,empathy_apology,queued")
    page = as_html(ROWS, "Preview <all>")
    assert "&lt;3&gt;" in page and "<3>" not in page and "Preview &lt;all&gt;" in page


def test_a_helpdesk_that_is_not_configured_is_one_line_and_exit_2(tmp_path):
    from click.testing import CliRunner

    from empathy_cues.cli import main

    env = {"EMPATHY_DATA_DIR": str(tmp_path / "data")}
    for name in ("SUBDOMAIN", "EMAIL", "API_TOKEN", "WEBHOOK_SECRET"):
        env[f"EMPATHY_ZENDESK_{name}"] = ""
    result = CliRunner().invoke(main, ["preview", "zendesk"], env=env, standalone_mode=False)
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == "Zendesk is not configured: set its EMPATHY_ZENDESK_* variables"


def test_a_saved_run_resumes_only_with_the_same_since(tmp_path):
    from empathy_cues.look_back.scan import Checkpoint

    moment = datetime(2024, 5, 1, tzinfo=timezone.utc)
    saved = Checkpoint.open(tmp_path, "zendesk", "preview", "7d", moment, fresh=False)
    saved.position, saved.pages, saved.rows = "abc", 2, ROWS[:1]
    saved.save()
    again = Checkpoint.open(tmp_path, "zendesk", "preview", "7d", moment + timedelta(hours=1), fresh=False)
    assert (again.position, again.pages, again.rows, again.since) == ("abc", 2, ROWS[:1], moment.isoformat())
    with pytest.raises(InputError, match="give --since 7d to resume it, or --restart"):
        Checkpoint.open(tmp_path, "zendesk", "preview", "2w", moment, fresh=False)
    assert Checkpoint.open(tmp_path, "zendesk", "preview", "2w", moment, fresh=True).pages == 0


@pytest.mark.slow
def test_zendesk_backfill_queues_open_tickets_once_and_skips_noted_ones(tmp_path, zendesk_standin):
    zd = zendesk_standin
    zd.rate_limit_total = 1_000_000
    seed_zendesk(zd, 32, now=now())
    for n in (5, 6):
        zd.tickets[n]["status"] = "solved"
    env = env_for(tmp_path, zd=zd)
    code, out, terminal = run(["backfill", "zendesk", "--apply", "--format", "csv"], env)
    assert code == 0, terminal
    rows = [line.split(",") for line in out.splitlines()[1:]]
    owed = {int(row[0]) for row in rows if row[2] == "True"}
    assert owed and {row[-1] for row in rows if row[2] == "True"} == {"queued"}
    assert not {5, 6} & {int(row[0]) for row in rows}                 # solved tickets are left alone
    assert _drain(env) == len(owed)
    code, out, terminal = run(["backfill", "zendesk", "--apply", "--format", "csv"], env)
    assert code == 0, terminal
    again = [line.split(",") for line in out.splitlines()[1:]]
    assert {row[-1] for row in again if row[2] == "True"} == {"already noted"}
    assert len({row[0] for row in again}) == len(again)                # a ticket our note changed is listed once
    for n in zd.tickets:
        notes = [c for c in zd.notes(n) if "empathy-cues ref:" in c["body"]]
        assert len(notes) == (1 if n in owed else 0), n
