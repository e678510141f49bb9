"""`empathy-cues serve | worker`: the service side of the command line (``deadletters.py`` holds
`replay` and `deadletters`).

Embedded mode (`serve`): gunicorn, a real WSGI server, runs the Flask app in a child process, and the
huey consumer runs in this process. SIGTERM/SIGINT stop the consumer gracefully (in-flight tasks finish)
and then gunicorn. The child asks Linux to kill it if this process dies (PR_SET_PDEATHSIG), so a SIGKILL
of `serve` leaves no orphan holding the port; queued events are in SQLite and are picked up on restart.
"""
from __future__ import annotations

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
from ..logs import configure_logging
from ..service.parent_death import die_with_parent
from ..service.settings import Settings

log = logging.getLogger("empathy_cues.cli")


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def existing_data_file(settings: Settings, name: str, what: str) -> None:
    """Say on stderr what an admin command reads, and refuse when that is a SQLite file (``name`` in the
    data directory) that does not exist: a mistyped or missing EMPATHY_DATA_DIR must not answer from a
    new, empty database ("No dead letters", an empty month)."""
    from ..errors import InputError

    click.echo(f"empathy-cues: reading {settings.describe_storage()}", err=True)
    if not settings.uses_redis:
        path = Path(settings.data_dir) / name
        if not path.is_file():
            raise InputError(f"no empathy-cues {what} in {settings.data_dir} ({name} is missing): set "
                             "EMPATHY_DATA_DIR to the data directory of the server")


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
    # SQLite mode: WAL checkpoints here, off the webhooks' writer turn (durable/checkpointer.py).
    from ..durable import checkpointer

    files = checkpointer.sqlite_files(store, queue.huey)
    if files:
        threading.Thread(target=checkpointer.run, args=(files,), daemon=True, name="checkpointer").start()
    consumer.run()


def _reclaim_loop(queue, store, owner: str) -> None:
    """Beat (Redis: this worker is alive) and take back the events of leases whose owner is gone, at
    start and every few seconds: a restarted worker finds its dead predecessor's event at once."""
    from ..owners import HEARTBEAT_SECONDS, RECLAIM_EVERY_SECONDS, gone_here

    from ..worker.repeat import repeat

    def reclaim() -> None:
        store.heartbeat(owner, HEARTBEAT_SECONDS)
        events = store.take_orphaned(gone_here)
        for event in events:
            queue.enqueue_event(event)
        if events:
            log.warning("took back %d event(s) whose worker is gone", len(events))

    # One line when it starts failing; the queue's own outage line says more.
    repeat(reclaim, every=RECLAIM_EVERY_SECONDS, what="taking back orphaned events", log=log)


def _sweep_loop(queue, every: float) -> None:
    """Sweep 2 s after start (let the consumer drain what is queued first), then every ``every`` seconds
    (half the grace, at most a minute): a lost event waits about one grace, not a grace plus a minute."""
    from ..worker.repeat import repeat

    time.sleep(2)
    # One line when it starts failing (the queue's own outage line says why), not one a minute.
    repeat(queue.sweep_pending, every=every, what="sweep", log=log)


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
        click.echo(settings.setup_hint(), err=True)
    private_files(settings)     # before gunicorn starts: its workers inherit the umask
    metrics_dir(settings)       # the web workers and this consumer add up their metrics on /metrics
    if early.signum is not None:
        return                  # stopped before anything started
    # The production gunicorn settings (service/gunicorn_conf.py, also used by deploy/); bind and workers from here.
    cmd = [sys.executable, "-m", "gunicorn", "--config", "python:empathy_cues.service.gunicorn_conf",
           "--bind", f"{host}:{port}", "--workers", str(web_workers), "empathy_cues.service.app:from_env()"]
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


def register(main: click.Group) -> None:
    for command in (serve, worker):
        main.add_command(command)
