"""Prometheus metrics (prometheus-client): every metric of empathy-cues, declared once, here.

Processes and where their numbers go:
* gunicorn runs several web worker processes, and in the embedded mode the queue worker runs beside them
  on the same machine. prometheus-client's multiprocess mode adds them up: each process writes its
  samples to files in ``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` reads them all
  (https://prometheus.github.io/client_python/multiprocess/). ``empathy-cues serve`` points that
  variable at ``<data dir>/metrics`` and empties it at start, as the docs require; the variable must be
  set before prometheus_client is first imported, which is why nothing imports this module at import
  time of the package.
* A scale-out ``empathy-cues worker`` on its own host serves its metrics on ``EMPATHY_METRICS_PORT``
  (``start_worker_server``); with ``PROMETHEUS_MULTIPROC_DIR`` set on that host too, it adds up every
  worker process there.
Queue depth and the dead-letter count are read from the queue and the store when scraped
(``QueueCollector``), so they are right whichever process enqueued or finished an event.

Labels never carry customer text, ticket ids or secrets: only helpdesk names, reasons, statuses,
categories and tag names (all from small fixed sets), so the series count stays bounded.
"""
from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

EVENTS_RECEIVED = Counter("empathy_events_received", "Webhook requests received", ["helpdesk"])
EVENTS_VERIFIED = Counter("empathy_events_verified", "Webhook requests whose signature or secret checked out",
                          ["helpdesk"])
EVENTS_REJECTED = Counter("empathy_events_rejected", "Webhook requests refused, by reason",
                          ["helpdesk", "reason"])
EVENTS_IGNORED = Counter("empathy_events_ignored", "Verified events dropped before queueing, by reason",
                         ["helpdesk", "reason"])
EVENTS_QUEUED = Counter("empathy_events_queued", "Events stored durably on the queue (acknowledged 202)",
                        ["helpdesk"])
ACK_SECONDS = Histogram("empathy_ack_seconds", "Time from request to durable acknowledgement",
                        buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5))
ACK_BATCH_EVENTS = Histogram("empathy_ack_batch_events", "Webhook events stored by one group commit (durable/group_commit.py)",
                             buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256))
PROCESSING_SECONDS = Histogram("empathy_processing_seconds", "Worker time for one event, by outcome",
                               ["helpdesk", "outcome"],
                               buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30))
TASK_OUTCOMES = Counter("empathy_task_outcomes", "Worker results", ["helpdesk", "outcome"])
HELPDESK_CALLS = Counter("empathy_helpdesk_calls", "Calls to the helpdesk API, by status (or timeout/error)",
                         ["helpdesk", "method", "status"])
RATE_LIMIT_WAITS = Counter("empathy_rate_limit_waits", "Calls held back by the outbound rate limiter",
                           ["helpdesk", "action"])      # action: slept | rescheduled
RETRIES = Counter("empathy_retries", "Event retries scheduled, by reason", ["helpdesk", "reason"])
DEAD_LETTERS = Counter("empathy_dead_letters", "Events moved to the dead-letter list, by kind",
                       ["helpdesk", "kind"])
CUES_MATCHED = Counter("empathy_cues_matched", "Cues found in customer messages, by category", ["category"])
TAGS_APPLIED = Counter("empathy_tags_applied", "Tags added to tickets", ["helpdesk", "tag"])
# When a webhook was last refused for its signature/secret, and last verified (service/refusals.py, /readyz):
# "max" adds the processes up to the latest moment any of them saw.
WEBHOOK_LAST_REFUSED = Gauge("empathy_webhook_last_refused_timestamp_seconds",
                             "Unix time of the last webhook refused for its signature or secret",
                             ["helpdesk", "reason"], multiprocess_mode="max")
WEBHOOK_LAST_VERIFIED = Gauge("empathy_webhook_last_verified_timestamp_seconds",
                              "Unix time of the last webhook whose signature or secret checked out",
                              ["helpdesk"], multiprocess_mode="max")
NOTES_POSTED = Counter("empathy_notes_posted", "Private notes posted (already-present notes not counted)",
                       ["helpdesk"])
DUPLICATE_MESSAGES = Counter("empathy_duplicate_messages",
                             "Customer messages recognised by their words as a second delivery (another "
                             "webhook, another key) of words already being handled on the ticket", ["helpdesk"])
FEEDBACK_VOTES = Counter("empathy_feedback_votes", "Agents' votes on notes recorded (once per ticket and vote)",
                         ["helpdesk", "vote"])
QA_REPLIES_SCORED = Counter("empathy_qa_replies_scored", "Agents' public replies scored for empathy, by flag",
                            ["helpdesk", "flag"])     # flag: none | apology_missing | ask_unanswered | process_first


class QueueCollector:
    """Queue depth and dead letters, read from the queue and the store at scrape time."""

    def __init__(self, queue, store) -> None:
        self.queue, self.store = queue, store

    def collect(self):
        depth = GaugeMetricFamily("empathy_queue_depth", "Events waiting on the queue", labels=["state"])
        try:
            depth.add_metric(["queued"], self.queue.pending_count())
            depth.add_metric(["scheduled"], self.queue.scheduled_count())
        except Exception:       # the queue is down: /readyz says so; the scrape still answers
            pass
        yield depth
        dead = GaugeMetricFamily("empathy_dead_letters_waiting", "Dead letters waiting for an admin")
        try:
            dead.add_metric([], len(self.store.dead_letters()))
        except Exception:
            pass
        yield dead


class _Forward:
    """Exposes another registry's metrics inside a per-scrape registry."""

    def __init__(self, source) -> None:
        self.source = source

    def collect(self):
        return self.source.collect()


def registry(queue=None, store=None) -> CollectorRegistry:
    """The registry to expose: every process's samples in multiprocess mode, this process's otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
    else:
        from prometheus_client import REGISTRY

        reg = CollectorRegistry()
        reg.register(_Forward(REGISTRY))                         # this process's metrics
    if queue is not None:
        reg.register(QueueCollector(queue, store))
    return reg


def render(queue=None, store=None) -> bytes:
    return generate_latest(registry(queue, store))


def start_worker_server(port: int, queue=None, store=None, addr: str = "127.0.0.1") -> None:
    """Serve /metrics for a worker process (scale-out mode) on ``port`` in a daemon thread."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=addr, registry=registry(queue, store))


def mark_process_dead(pid: int) -> None:
    """gunicorn ``child_exit`` hook: drop a dead worker's live-gauge files (multiprocess docs)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
