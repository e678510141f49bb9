"""gunicorn settings for the webhook receiver, used by `empathy-cues serve` and by deploy/.

    gunicorn --config python:empathy_cues.service.gunicorn_conf --bind 0.0.0.0:8080 'empathy_cues.service.app:from_env()'

Settings reference: https://docs.gunicorn.org/en/stable/settings.html
* gevent workers: an open connection costs a greenlet, not a thread. With gthread each connection that
  had not yet sent its request held one of the 16 threads (gunicorn 27 gives it up after 5 s, then the
  next idle one takes it): 30 idle TCP connections made /healthz time out, 200 answered nothing for
  20 s -- anyone who can reach the port could do it. A greenlet per connection keeps the idle ones
  waiting in the event loop; ``worker_connections`` caps them per process. The request work itself (the
  signature, the durable commit of durable/group_commit.py) runs on a greenlet too: SQLite and the writer lock block the
  process while they run, as a thread would hold the GIL, and waiting requests still share one commit.
  A process per core (2 here) sidesteps the GIL for the signature and JSON work.
* Graceful shutdown: on SIGTERM gunicorn stops accepting, lets requests in flight finish for up to
  ``graceful_timeout`` seconds, then exits (https://docs.gunicorn.org/en/stable/signals.html). A request
  cut off before its 202 was either stored or not; the helpdesk redelivers what got no 2xx, and dedupe
  drops what was stored. ``timeout`` restarts a worker stuck for 30 s.
* ``max_requests`` with jitter recycles workers now and then, bounding any slow memory growth.
* No ``preload_app``: each worker builds its app after the fork (SQLite connections and threads must
  not cross a fork).
* ``child_exit`` tells prometheus-client a worker died (multiprocess mode, metrics.py).
"""
bind = "127.0.0.1:8080"          # --bind overrides (serve's --host/--port, deploy/ units)
workers = 2                      # --workers overrides; one per core is a good start
worker_class = "gevent"
worker_connections = 2000        # open connections per process, idle ones included
graceful_timeout = 20
timeout = 30
keepalive = 5
max_requests = 20000
max_requests_jitter = 2000
loglevel = "warning"
accesslog = None                 # our own JSON logs carry ticket and delivery ids; no per-request line
# gunicorn's own lines (start, stop, "Invalid request from ...") as JSON too, one format on stderr.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "empathy_cues.logs.JsonFormatter"}},
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {"gunicorn.error": {"level": "WARNING", "handlers": ["json"], "propagate": False},
                "gunicorn.access": {"level": "WARNING", "handlers": ["json"], "propagate": False}},
    "root": {"level": "WARNING", "handlers": ["json"]},
}
# Behind a reverse proxy (nginx, a load balancer) that sets X-Forwarded-*: list its address here, or in
# FORWARDED_ALLOW_IPS (gunicorn's own variable; the compose file sets it for the Caddy container). The
# proxy's X-Forwarded-Proto is what marks the admin page's session cookie Secure.
import os as _os

forwarded_allow_ips = _os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    from empathy_cues.metrics import mark_process_dead

    mark_process_dead(worker.pid)


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    # The ack writer thread (durable/group_commit.py) must get the GIL back quickly when its commit returns, or every
    # waiting request waits with it: a 1 ms switch interval instead of CPython's 5 ms.
    import sys

    sys.setswitchinterval(0.001)
    # A worker dies with its arbiter, however the arbiter dies (SIGKILL, OOM): an orphaned worker would
    # hold the listening port for seconds until it noticed (Linux only; elsewhere a no-op).
    from empathy_cues.service.parent_death import die_with_parent

    die_with_parent()
