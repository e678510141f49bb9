"""`empathy-cues preview | backfill`: what the plugin would have done on the tickets of the last days.

``preview`` changes nothing: it reads (``look_back.run``) and reports. ``backfill --apply`` queues the
same events the webhooks would have for OPEN tickets that owe a note, through the normal durable queue
(claimed like a webhook, so a ticket is queued once however often the command runs), and skips a ticket
that already carries a note of ours; a running worker (`serve` or `worker`) then writes them. Without
``--apply`` it is a preview of the open tickets and says so.

Pace: every call this command makes, and every note it queues (counted at the calls a worker spends on
one), is charged to a budget of ``[backfill] rate_fraction`` of the account's rate limit, so the rest
stays for agents and other integrations.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone

import click

from ..errors import HelpdeskError, InputError, PermanentHelpdeskError
from ..helpdesks.registry import REGISTRY

# Calls a worker spends on one queued note at most (Freshdesk: read, tag, list notes, post, re-read; and
# the requester's history): what backfill charges its budget per note it queues.
CALLS_PER_NOTE = 6
FORMATS = ("table", "csv", "html")


def _options(command):
    command = click.option("--restart", is_flag=True, help="Ignore a saved checkpoint and start again.")(command)
    command = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                           help="table for people, csv for spreadsheets, html for a page to share.")(command)
    command = click.option("--limit", type=click.IntRange(min=1), help="Stop after N tickets.")(command)
    command = click.option("--since", default="7d", show_default=True,
                           help="How far back: tickets updated in the last 30m, 12h, 7d, 2w ...")(command)
    return click.argument("helpdesk", type=click.Choice(REGISTRY.names()))(command)


@click.command()
@_options
def preview(helpdesk: str, since: str, limit: int | None, fmt: str, restart: bool) -> None:
    """What would have been tagged and noted on HELPDESK's recent tickets. Changes nothing.

    \b
    Examples:
      empathy-cues preview zendesk --since 7d
      empathy-cues preview freshdesk --since 2w --limit 500 --format csv > preview.csv
    """
    job = _Job(helpdesk, "preview", since, restart)
    job.run(limit, on_ticket=None)
    _report(job, fmt, f"Preview of {job.spec.title} tickets updated in the last {since} (nothing was changed)")


@click.command()
@_options
@click.option("--apply", "apply_", is_flag=True, help="Queue the notes (without it: a preview of open tickets).")
def backfill(helpdesk: str, since: str, limit: int | None, fmt: str, restart: bool, apply_: bool) -> None:
    """Tag and note HELPDESK's OPEN tickets of the last days that owe a note (with --apply).

    \b
    Examples:
      empathy-cues backfill zendesk --since 7d            # dry run: what would be queued
      empathy-cues backfill zendesk --since 7d --apply    # queue the notes; `serve` or `worker` writes them
    """
    job = _Job(helpdesk, "backfill" if apply_ else "backfill-dry-run", since, restart)
    if not apply_:
        click.echo("empathy-cues: dry run: nothing will be queued (add --apply to queue the notes)", err=True)
    queue = job.queue() if apply_ else None

    def on_ticket(record, row):
        if not record.is_open:
            return None
        if queue is not None and row["note"]:
            row["action"] = job.queue_note(queue, record)
        return row

    job.run(limit, on_ticket=on_ticket)
    verb = "queued" if apply_ else "would be queued (dry run)"
    _report(job, fmt, f"Backfill of open {job.spec.title} tickets updated in the last {since}: notes {verb}")


class _Job:
    """Settings, client, budget and checkpoint of one preview or backfill run."""

    def __init__(self, helpdesk: str, command: str, since: str, restart: bool) -> None:
        from .service import load_settings, private_files
        from ..policy_file import PluginConfig
        from ..helpdesks.ratelimit import OutboundRateLimiter
        from ..look_back.scan import Checkpoint, parse_since

        self.settings = load_settings()
        self.spec = REGISTRY[helpdesk]
        self.section = self.settings.helpdesks.get(helpdesk)
        if self.section is None:
            raise InputError(f"{self.spec.title} is not configured: set its EMPATHY_{helpdesk.upper()}_* variables")
        private_files(self.settings)
        config = PluginConfig.load(self.settings.config_path)
        self.policy = config.policy
        per_minute, _ = self.spec.rate_limits(self.section)
        self.pace = max(1, int(per_minute * config.backfill_rate_fraction))
        # A long max_wait: this command waits its turn rather than failing (the worker hands waits to the queue).
        self.limiter = OutboundRateLimiter(self.pace, limits=self.spec.listing_limits(), max_wait=300.0)
        self.client = self.spec.client(self.section, limiter=self.limiter)
        moment = parse_since(since, datetime.now(timezone.utc))
        self.checkpoint = Checkpoint.open(self.settings.data_dir, helpdesk, command, since, moment, fresh=restart)
        self.store = None
        where = (f"resuming at page {self.checkpoint.pages + 1}" if self.checkpoint.resumed
                 else f"reading tickets updated since {self.checkpoint.since}")
        click.echo(f"empathy-cues: {command} {helpdesk}: {where}; at most {self.pace} calls a minute "
                   f"({config.backfill_rate_fraction:g} of {per_minute}); checkpoint {self.checkpoint.path}", err=True)

    def run(self, limit: int | None, on_ticket) -> bool:
        from ..look_back.scan import run

        progress = _Progress(limit)
        try:
            done = run(self.spec, self.client, self.checkpoint, self.policy, limit=limit, on_ticket=on_ticket,
                       on_page=progress.update)
        except KeyboardInterrupt:
            progress.close()
            click.echo(f"empathy-cues: interrupted after page {self.checkpoint.pages}; run the same command "
                       "again to resume", err=True)
            sys.exit(130)
        except HelpdeskError as exc:
            progress.close()
            raise InputError(f"{exc}; stopped after page {self.checkpoint.pages}, run the same command again "
                             "to resume") from None
        progress.close()
        if done or (limit is not None and len(self.checkpoint.rows) >= limit):
            self.checkpoint.finish()
            return True
        return False

    def queue(self):
        from ..durable.queue import build_queue
        from ..durable.state import open_store

        self.store = open_store(self.settings)
        return build_queue(self.settings, self.store)

    def queue_note(self, queue, record) -> str:
        """Queue the event a webhook would have brought for this ticket's first message; what was done."""
        from ..look_back.scan import with_retries

        try:
            if with_retries(lambda: self.spec.has_our_note(self.client, record.ticket_id)):
                return "already noted"
        except PermanentHelpdeskError as exc:    # deleted or hidden since it was listed: not ours to stop on
            return f"skipped ({exc.status or 'error'})"
        event = event_for(self.spec.name, self.spec.account(self.section), record)
        keys = [f"delivery:{event.helpdesk}:{event.delivery_id}", f"event:{event.dedupe_key}"]
        data = event.to_dict()
        if not self.store.claim(keys, event.dedupe_key, data):
            return "already queued"
        try:
            queue.enqueue_event(data)
        except Exception:
            self.store.release(keys, event.dedupe_key)   # not stored: the next run queues it
            raise
        for _ in range(CALLS_PER_NOTE):                  # the worker's calls for it, from our budget
            self.limiter.acquire(self.client.session.account, "QUEUE", "/backfill")
        return "queued"


def event_for(helpdesk: str, account: str, record):
    """The ``TicketEvent`` a ticket-created webhook would carry for this ticket's first message."""
    from ..core.event import AuthorRole, Channel, EventKind, TicketEvent

    return TicketEvent(helpdesk=helpdesk, account=account, ticket_id=record.ticket_id, kind=EventKind.CREATED,
                       channel=Channel.parse(record.channel), subject=record.subject, comment_text=record.text,
                       comment_is_html=record.is_html, comment_id="description", author_id=record.requester_id,
                       author_role=AuthorRole.END_USER, comment_public=True, requester_name=None,
                       requester_id=record.requester_id, tags=record.tags, delivery_id=f"backfill-{record.ticket_id}")


class _Progress:
    """A progress bar on stderr when it is a terminal (a bar with --limit, a running count without)."""

    def __init__(self, limit: int | None) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = None
        if self.tty and limit:
            self.bar = click.progressbar(length=limit, label="tickets", file=sys.stderr, show_pos=True)
            self.bar.__enter__()

    def update(self, checkpoint) -> None:
        if self.bar is not None:
            self.bar.update(min(self.bar.length, len(checkpoint.rows)) - self.bar.pos)
        elif self.tty:
            click.echo(f"\rtickets: {len(checkpoint.rows)}  pages: {checkpoint.pages}", err=True, nl=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        elif self.tty:
            click.echo("", err=True)


def _report(job: _Job, fmt: str, heading: str) -> None:
    from ..look_back.report import as_csv, as_html, table

    rows = job.checkpoint.rows
    if fmt == "csv":
        click.echo(as_csv(rows), nl=False)
    elif fmt == "html":
        click.echo(as_html(rows, heading), nl=False)
    else:
        click.echo(table(rows, heading))


def register(main: click.Group) -> None:
    for command in (preview, backfill):
        main.add_command(command)
