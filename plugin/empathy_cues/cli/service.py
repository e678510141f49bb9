"""`empathy-cues serve | worker | replay | deadletters`: the service side of the command line.

Embedded mode (`serve`): gunicorn, a real WSGI server, runs the Flask app in a child process, and the
huey consumer runs in this process. SIGTERM/SIGINT stop the consumer gracefully (in-flight tasks finish)
and then gunicorn. The child asks Linux to kill it if this process dies (PR_SET_PDEATHSIG), so a SIGKILL
of `serve` leaves no orphan holding the port; queued events are in SQLite and are picked up on restart.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

from ..errors import ConfigError, PackError
from ..helpdesks.registry import REGISTRY
from ..logs import configure_logging
from ..settings import Settings, setup_hint

log = logging.getLogger("empathy_cues.cli")


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def die_with_parent() -> None:
    """In the gunicorn child: be killed when `serve` dies, however it dies (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG
    except Exception:
        pass


def metrics_dir(settings: Settings) -> None:
    """prometheus-client multiprocess mode for this process and its children (metrics.py): a directory
    emptied at start, as its docs require. Must run before anything imports prometheus_client. An
    operator's own PROMETHEUS_MULTIPROC_DIR is respected (and not emptied)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    import shutil

    path = Path(settings.data_dir) / "metrics"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


class EarlyStop:
    """SIGTERM/SIGINT caught from the first moment of `serve`/`worker`, not only once huey's consumer has
    installed its handlers (in ``Consumer.run``): a stop that comes while the worker warms up (loading
    packs and templates takes about half a second) would otherwise kill the process with the default
    action (exit 143) and leave the web server to die later. Until the consumer exists the signal is
    remembered; then it is handed to the consumer, which stops gracefully at its first loop."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.consumer = None
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum, frame) -> None:
        if self.consumer is not None:
            self.consumer._handle_signal(signum, frame)     # huey's own handler: graceful stop
        else:
            self.signum = signum

    def adopt(self, consumer) -> None:
        self.consumer = consumer
        if self.signum is not None:
            consumer._handle_signal(self.signum, None)


def private_files(settings: Settings) -> None:
    """Files we create are the service user's alone (0600, directories 0700): the queue and state hold
    customers' words. The data directory and the SQLite files in it are tightened too, in case an earlier
    version created them 0755/0644."""
    os.umask(0o077)
    data = Path(settings.data_dir)
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(data, 0o700)
        for path in data.glob("*.sqlite3*"):
            os.chmod(path, 0o600)
    except OSError as exc:          # not ours to change (a shared directory): say so, carry on
        log.warning("could not tighten the permissions of %s: %s", data, type(exc).__name__)


def run_consumer(settings: Settings, workers: int, early: EarlyStop | None = None) -> None:
    from huey.consumer import Consumer

    from ..durable.queue import build_queue
    from ..durable.state import open_store

    store = open_store(settings)
    queue = build_queue(settings, store)
    if settings.uses_redis:
        from ..durable.queue import redis_outage

        for handler in logging.getLogger().handlers:
            handler.addFilter(redis_outage())
    try:
        queue.runtime.warm_up()
    except (ConfigError, PackError) as exc:
        raise click.ClickException(f"cannot start the worker: {exc}") from None
    if settings.metrics_port:
        from ..metrics import start_worker_server

        start_worker_server(settings.metrics_port, queue, store, addr=settings.metrics_host)
        log.info("worker metrics on %s:%d", settings.metrics_host, settings.metrics_port)
    # SIGTERM is the graceful signal (what process managers send); tasks in flight finish first.
    if early is not None and early.signum is not None:
        return                          # stopped while warming up: no consumer to start
    consumer = Consumer(queue.huey, workers=workers, worker_type="thread", graceful_signal="TERM",
                        shutdown_timeout=20, check_worker_health=True, initial_delay=0.05, max_delay=0.5)
    if early is not None:
        early.adopt(consumer)
    # Events claimed but never enqueued/finished before a crash: this thread is the sweep's one scheduler.
    every = max(1.0, min(60.0, settings.sweep_grace_seconds / 2))
    threading.Thread(target=_sweep_loop, args=(queue, every), daemon=True).start()
    # Events whose worker died mid-attempt: taken back at once, not after the grace (owners.py).
    from .. import owners

    queue.runtime.owner = owners.this_process()
    threading.Thread(target=_reclaim_loop, args=(queue, store, queue.runtime.owner), daemon=True).start()
    consumer.run()


def _reclaim_loop(queue, store, owner: str) -> None:
    """Beat (Redis: this worker is alive) and take back the events of leases whose owner is gone, at
    start and every few seconds: a restarted worker finds its dead predecessor's event at once."""
    from ..owners import HEARTBEAT_SECONDS, RECLAIM_EVERY_SECONDS, gone_here

    failing = False
    while True:
        try:
            store.heartbeat(owner, HEARTBEAT_SECONDS)
            events = store.take_orphaned(gone_here)
            for event in events:
                queue.enqueue_event(event)
            if events:
                log.warning("took back %d event(s) whose worker is gone", len(events))
            if failing:
                log.warning("taking back orphaned events works again")
            failing = False
        except Exception as exc:
            if not failing:      # one line; the queue's own outage line says more
                log.error("taking back orphaned events failed: %s: %s", type(exc).__name__, str(exc)[:200])
            failing = True
        time.sleep(RECLAIM_EVERY_SECONDS)


def _sweep_loop(queue, every: float) -> None:
    """Sweep 2 s after start (let the consumer drain what is queued first), then every ``every`` seconds
    (half the grace, at most a minute): a lost event waits about one grace, not a grace plus a minute."""
    time.sleep(2)
    failing = False
    while True:
        try:
            queue.sweep_pending()
        except Exception as exc:
            # One line when it starts failing (the queue's own outage line says why), not one a minute.
            if not failing:
                log.error("sweep failed: %s: %s", type(exc).__name__, str(exc)[:200])
            failing = True
        else:
            if failing:
                log.warning("sweep works again")
            failing = False
        time.sleep(every)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--web-workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--workers", default=None, type=int, help="Queue worker threads (default EMPATHY_WORKERS or 2).")
def serve(host: str, port: int, web_workers: int, workers: int | None) -> None:
    """Run the web server (gunicorn) and a queue worker together: the embedded mode."""
    early = EarlyStop()
    settings = load_settings()
    configure_logging(settings.log_level)
    click.echo(f"empathy-cues serving on http://{host}:{port} ({settings.describe()})", err=True)
    if not settings.enabled_helpdesks:
        click.echo(setup_hint(), err=True)
    private_files(settings)     # before gunicorn starts: its workers inherit the umask
    metrics_dir(settings)       # the web workers and this consumer add up their metrics on /metrics
    if early.signum is not None:
        return                  # stopped before anything started
    # The production gunicorn settings (gunicorn_conf.py, also used by deploy/); bind and workers from here.
    cmd = [sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.gunicorn_conf",
           "--bind", f"{host}:{port}", "--workers", str(web_workers), "empathy_cues.app:from_env()"]
    web = subprocess.Popen(cmd, preexec_fn=die_with_parent)
    # The queue worker yields the CPU to the web workers (nice 5, set after gunicorn started so it keeps
    # the normal priority): acknowledging a burst of webhooks quickly matters more than analysing them a
    # few milliseconds sooner, and the helpdesk's rate limit paces the worker anyway.
    try:
        os.nice(5)
    except OSError:
        pass
    stopping = threading.Event()
    web_failed = threading.Event()

    def watch_web() -> None:
        web.wait()
        if not stopping.is_set():
            # gunicorn exits 0 only when told to stop (a SIGTERM to the process group, as systemd or a
            # terminal's Ctrl-C sends): then this is a stop, not a failure.
            if web.returncode != 0:
                web_failed.set()
                log.error("web server exited with %s; stopping", web.returncode)
            os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch_web, daemon=True).start()
    try:
        run_consumer(settings, workers or settings.workers, early)
    finally:
        stopping.set()
        if web.poll() is None:
            web.terminate()
            try:
                web.wait(timeout=15)
            except subprocess.TimeoutExpired:
                web.kill()
    if web_failed.is_set():
        raise click.ClickException("the web server stopped (is the port already in use?)")


@click.command()
@click.option("--workers", default=None, type=int, help="Worker threads (default EMPATHY_WORKERS or 2).")
def worker(workers: int | None) -> None:
    """Run queue workers only (scale-out: several hosts on one Redis queue)."""
    early = EarlyStop()
    settings = load_settings()
    configure_logging(settings.log_level)
    click.echo(f"empathy-cues worker ({settings.describe()})", err=True)
    private_files(settings)
    run_consumer(settings, workers or settings.workers, early)


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
    """The store an admin command reads, named on stderr; never created here. A mistyped or missing
    EMPATHY_DATA_DIR must not answer "No dead letters" from a new, empty database."""
    from ..errors import InputError
    from ..durable.state import open_store

    click.echo(f"empathy-cues: reading {settings.describe_storage()}", err=True)
    if not settings.uses_redis:
        path = Path(settings.data_dir) / "state.sqlite3"
        if not path.is_file():
            raise InputError(f"no empathy-cues state in {settings.data_dir} ({path.name} is missing): set "
                             "EMPATHY_DATA_DIR to the data directory of the server")
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
    for command in (serve, worker, replay, deadletters):
        main.add_command(command)
