"""`preview` and `backfill`: what the plugin would have done on past tickets, page by page, resumable.

``run(...)`` reads the helpdesk's tickets updated since a moment, one page at a time (``Helpdesk.ticket_page``:
Zendesk's cursor-based incremental export, Freshdesk's paged ticket list), analyses each ticket's first
customer message exactly as the worker would (``analyze`` with the same bounds and policy) and hands
each result to ``on_ticket``. After every page a checkpoint file in the data directory names where the
next page starts and holds the rows so far (ids, flags, tags, situation, severity and cue categories:
never the customer's words), so a run stopped by Ctrl-C, a crash or a helpdesk that kept failing
resumes where it stopped. A 429 or a helpdesk error is waited out (``Retry-After``) and the same page is
asked again, a few times, before the run stops with its checkpoint kept.

The rows are summed by ``Summary`` (pure): tickets read, notes owed, apology, priority, and counts per
situation, severity and cue category - the figures ``scan --jsonl`` gives on the same texts.
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, TypeVar

from ..bounds import MAX_SUBJECT_CHARS, capped
from ..errors import InputError, RetryableHelpdeskError
from ..helpdesks.records import TicketRecord

ATTEMPTS_PER_PAGE = 6          # a page that failed this many times in a row stops the run (checkpoint kept)
T = TypeVar("T")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: datetime) -> datetime:
    """"7d", "12h", "90m", "2w" -> the moment that long before ``now``."""
    value = (text or "").strip().lower()
    number, unit = value[:-1], value[-1:]
    if unit not in _UNITS or not number.isdigit() or int(number) <= 0:
        raise InputError(f"--since must be a number and a unit (m, h, d or w), such as 7d, not {text!r}")
    return now - timedelta(seconds=int(number) * _UNITS[unit])


def row_for(record: TicketRecord, analysis) -> dict:
    """One ticket's outcome, without its words (checkpoint files and reports hold only this)."""
    return {
        "id": record.ticket_id,
        "open": record.is_open,
        "apology": analysis.apology,
        "priority": analysis.priority,
        "note": bool(analysis.apology or analysis.priority),
        "situation": analysis.situation,
        "severity": analysis.severity,
        "cues": sorted({c.category for c in analysis.cues}),
        "tags": list(analysis.tags),
    }


def analyse(record: TicketRecord, policy):
    """The analysis the worker would make of this ticket's first message."""
    from ..analyzer import analyze

    text, html, _ = capped(record.text, html=record.is_html or None)
    return analyze(text, subject=record.subject[:MAX_SUBJECT_CHARS], channel=record.channel, html=html, policy=policy)


@dataclass
class Summary:
    """Counts over rows (pure): what preview and backfill report."""

    tickets: int = 0
    notes: int = 0
    apology: int = 0
    priority: int = 0
    situations: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    cues: Counter = field(default_factory=Counter)
    tags: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, rows) -> "Summary":
        summary = cls()
        for row in rows:
            summary.tickets += 1
            summary.notes += row["note"]
            summary.apology += row["apology"]
            summary.priority += row["priority"]
            summary.situations[row["situation"]] += 1
            summary.severities[str(row["severity"])] += 1
            summary.cues.update(row["cues"])
            summary.tags.update(row["tags"])
        return summary


@dataclass
class Checkpoint:
    """Where a run stands; one JSON file per helpdesk and command in the data directory."""

    path: Path
    helpdesk: str
    command: str
    since: str                      # ISO-8601, fixed at the first run: a resumed run reads the same span
    since_arg: str = ""             # as given ("7d"): a resumed run must be asked for the same
    position: str | None = None     # where the next page starts (None: the first page)
    pages: int = 0
    rows: list[dict] = field(default_factory=list)

    @classmethod
    def open(cls, data_dir: Path, helpdesk: str, command: str, since_arg: str, since: datetime, *,
             fresh: bool) -> "Checkpoint":
        path = Path(data_dir) / f"{command}-{helpdesk}.checkpoint.json"
        if not fresh and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                saved = cls(path, helpdesk, command, data["since"], data["since_arg"], data.get("position"),
                            int(data.get("pages", 0)), list(data.get("rows") or []))
            except (ValueError, KeyError, TypeError):
                raise InputError(f"{path} is not a checkpoint this version can read: delete it or use --restart") from None
            if saved.since_arg != since_arg:
                raise InputError(f"an unfinished {command} of {helpdesk} with --since {saved.since_arg} is saved in "
                                 f"{path}: give --since {saved.since_arg} to resume it, or --restart")
            return saved
        return cls(path, helpdesk, command, since.astimezone(timezone.utc).isoformat(), since_arg)

    @property
    def resumed(self) -> bool:
        return self.pages > 0

    def save(self) -> None:
        """Atomically: a crash mid-write leaves the previous checkpoint, never half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"helpdesk": self.helpdesk, "command": self.command, "since": self.since,
                                   "since_arg": self.since_arg, "position": self.position, "pages": self.pages, "rows": self.rows}),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def run(spec, client, checkpoint: Checkpoint, policy, *, limit: int | None = None,
        on_ticket: Callable[[TicketRecord, dict], dict | None] | None = None,
        on_page: Callable[[Checkpoint], None] | None = None, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Read pages from the checkpoint's position until the last one (or ``limit`` rows); True when done.

    ``on_ticket(record, row)`` may return the row to keep (changed) or None to leave the ticket out
    (backfill keeps open tickets only). The checkpoint is saved after every page."""
    since = datetime.fromisoformat(checkpoint.since)
    # An export ordered by update lists a ticket again once it changes (backfill's own notes do): once is enough.
    read = {row["id"] for row in checkpoint.rows}
    while limit is None or len(checkpoint.rows) < limit:
        position = checkpoint.position
        page = with_retries(lambda: spec.ticket_page(client, since, position), sleep)
        for record in page.tickets:
            if limit is not None and len(checkpoint.rows) >= limit:
                break
            if record.ticket_id in read:
                continue
            read.add(record.ticket_id)
            row = row_for(record, analyse(record, policy))
            row = on_ticket(record, row) if on_ticket is not None else row
            if row is not None:
                checkpoint.rows.append(row)
        checkpoint.position, checkpoint.pages = page.next_position, checkpoint.pages + 1
        checkpoint.save()
        if on_page is not None:
            on_page(checkpoint)
        if page.next_position is None:
            return True
    return False


def with_retries(call: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, asked again after a retryable failure (a 429, a 5xx, no answer), a few times."""
    for attempt in range(1, ATTEMPTS_PER_PAGE + 1):
        try:
            return call()
        except RetryableHelpdeskError as exc:
            if attempt == ATTEMPTS_PER_PAGE:
                raise
            # Retry-After when the helpdesk said it (a 429), else 1, 2, 4 ... seconds.
            sleep(min(120.0, exc.retry_after if exc.retry_after else 2.0 ** (attempt - 1)))
    raise AssertionError("unreachable")
