"""`empathy-cues replay | deadletters`: look at what the worker would do with a saved payload, and inspect,
replay or purge the events that failed for good. Every command names the data directory (or Redis) it
reads and never creates a store."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from ..helpdesks.registry import REGISTRY
from ..logs import configure_logging
from ..service.settings import Settings
from .service import existing_data_file, load_settings


@click.command()
@click.argument("payload", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--helpdesk", type=click.Choice(REGISTRY.names()), required=True)
@click.option("--apply", "apply_", is_flag=True, help="Really write to the helpdesk (default: dry run).")
def replay(payload: Path, helpdesk: str, apply_: bool) -> None:
    """Feed a saved webhook payload through normalise -> guard -> analyse -> plan (dry run by default)."""
    from ..core.event import Ignored
    from ..core.guard import guard
    from ..worker.draft import complete_event, plan_for
    from ..worker.runtime import Runtime

    configure_logging("WARNING")
    settings = load_settings()
    raw = payload.read_bytes()
    spec = REGISTRY[helpdesk]
    cfg = settings.helpdesks.get(helpdesk)
    account = spec.account(cfg) if cfg else "replay"
    try:
        result = spec.normalize(raw, {}, account=account)
    except Exception as exc:
        raise click.ClickException(f"{payload}: {getattr(exc, 'code', type(exc).__name__)}: {exc}") from None
    if isinstance(result, Ignored):
        click.echo(json.dumps({"ignored": result.reason}))
        return
    # The plan needs no queue state: replay reads nothing from, and creates nothing in, the data dir.
    runtime = Runtime(settings, None)
    event = result
    if not event.comment_text:
        if cfg is None:
            raise click.ClickException("the payload carries no comment text; configure the helpdesk to fetch it")
        event = complete_event(runtime, event)
    reason = guard(event)
    if reason:
        click.echo(json.dumps({"ignored": reason, "ticket_id": event.ticket_id}))
        return
    plan = plan_for(runtime, event)
    out: dict = {"ticket_id": event.ticket_id, "delivery_id": event.delivery_id, "dry_run": not apply_}
    if plan is None:
        out["plan"] = None
    else:
        out["plan"] = {"add_tags": list(plan.add_tags), "priority": plan.priority, "marker": plan.marker,
                       "note_text": plan.note_text}
        if apply_:
            if cfg is None:
                raise click.ClickException(f"--apply needs {helpdesk} configured")
            runtime.client(helpdesk).apply(plan)
            out["applied"] = True
    # Notes are read by people: their words as written, not \u escapes.
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


def admin_store(settings: Settings):
    """The store an admin command reads, named on stderr; never created here."""
    from ..durable.state import open_store

    existing_data_file(settings, "state.sqlite3", "state")
    return open_store(settings)


@click.group()
def deadletters() -> None:
    """Inspect, replay or purge events that failed for good."""


def _as_json(flag: bool) -> bool:
    """JSON lines when asked or when piped (scripts), a table on a terminal (people)."""
    return flag or not sys.stdout.isatty()


@deadletters.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line (the default when piped).")
def deadletters_list(as_json: bool) -> None:
    """Every dead letter: id, helpdesk, ticket, when, and why."""
    letters = admin_store(load_settings()).dead_letters()
    if _as_json(as_json):
        for letter in letters:
            click.echo(json.dumps(letter.summary()))
        return
    if not letters:
        click.echo("No dead letters.")
        return
    click.echo(f"{'ID':>5}  {'HELPDESK':<9}  {'TICKET':<10}  {'WHEN (UTC)':<19}  REASON")
    for letter in letters:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(letter.created_at))
        click.echo(f"{letter.id:>5}  {letter.helpdesk:<9}  {letter.ticket_id:<10}  {when:<19}  {letter.reason[:100]}")
    click.echo(f"{len(letters)} dead letter(s). `empathy-cues deadletters show ID` for one, "
               "`replay ID` or `replay --all` to queue again once the cause is fixed.")


@deadletters.command("show")
@click.argument("letter_id")
def deadletters_show(letter_id: str) -> None:
    letter = admin_store(load_settings()).dead_letter(letter_id)
    if letter is None:
        raise click.ClickException(f"no dead letter {letter_id}")
    click.echo(json.dumps({**letter.summary(), "event": letter.event}, indent=2))


@deadletters.command("replay")
@click.argument("letter_id", required=False)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
def deadletters_replay(letter_id: str | None, replay_all: bool) -> None:
    """Put the event back on the queue (a running worker picks it up) and drop the dead letter."""
    from ..deadletters import requeue
    from ..durable.queue import build_queue

    if bool(letter_id) == replay_all:
        raise click.UsageError("give one dead-letter ID or --all")
    settings = load_settings()
    store = admin_store(settings)
    letters = store.dead_letters() if replay_all else [store.dead_letter(letter_id)]
    if letters == [None]:
        raise click.ClickException(f"no dead letter {letter_id}")
    queue = build_queue(settings, store)
    for letter in letters:
        requeue(store, queue, letter)
        click.echo(json.dumps({"requeued": letter.id, "ticket_id": letter.ticket_id}))
    if replay_all and not letters:
        click.echo(json.dumps({"requeued": None, "count": 0}))


@deadletters.command("purge")
@click.option("--yes", is_flag=True, help="Do not ask first.")
def deadletters_purge(yes: bool) -> None:
    """Delete every dead letter (asks first)."""
    from ..errors import InputError

    store = admin_store(load_settings())
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("deadletters purge asks first: give --yes when not at a terminal")
        # Declining is an answer, not an interruption: exit 0 with nothing deleted (not 130, which says
        # the command was killed by Ctrl-C).
        if not click.confirm("Delete every dead letter?", default=False):
            click.echo("Nothing purged.")
            return
    click.echo(json.dumps({"purged": store.purge_dead_letters()}))


def register(main: click.Group) -> None:
    for command in (replay, deadletters):
        main.add_command(command)
