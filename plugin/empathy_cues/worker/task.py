"""The worker's task: one stored event -> analysis -> plan -> helpdesk client, exactly once in effect.

Retry policy is declared once, on the task: up to ``RETRIES`` retries, ``settings.retry_base_seconds``
(EMPATHY_RETRY_BASE_SECONDS, default 2) doubling each time (huey ``retries``/``retry_delay``/
``retry_backoff``); what follows an error (again later, throttled, or a dead letter) is ``retry.next_step``.
Whether an error is worth retrying is decided by the client (``RetryableHelpdeskError`` vs
``PermanentHelpdeskError``); permanent errors and exhausted retries go to the dead-letter list with the
reason and the whole event.

Clients are built per worker thread at first use (huey's advice on shared resources), never at import;
the threads' clients of one helpdesk share one outbound rate limiter, so a 429 seen by one thread
holds back the others too.

Lost events: huey takes a task off the queue when a worker starts it, so a process killed mid-task
loses the task. The event's *pending* row (written at intake) survives; each attempt stamps it, and
the sweep re-enqueues a row untouched for ``settings.sweep_grace_seconds`` (the worker's sweep thread
runs it soon after start-up, then every half grace up to a minute, when the queue is idle). Stamping the attempt, not only the intake, keeps an event that waited
long in a backlog from being re-enqueued while it is being processed.
"""
from __future__ import annotations

import logging
import time

from huey.exceptions import RetryTask

from ..core.event import TicketEvent
from ..core.guard import guard
from ..errors import PermanentHelpdeskError, RetryableHelpdeskError
from .draft import complete_event, draft_for
from .retry import DEAD_LETTER, THROTTLED, next_step
from .runtime import Runtime

log = logging.getLogger("empathy_cues.worker")

RETRIES = 12       # default of settings.retries (EMPATHY_RETRIES)
RETRY_BACKOFF = 2        # 2, 4, 8 ... 512 s, then settings.retry_max_seconds (900): about an hour in all
PURGE_EVERY_SECONDS = 600   # sweep(): expired dedupe records are purged at most this often


def handle(runtime: Runtime, event_dict: dict, task=None) -> str:
    """Process one event; returns what happened (for logs and tests). Raises only to ask for a retry."""
    from .. import metrics

    helpdesk = str(event_dict.get("helpdesk", ""))
    started = time.perf_counter()
    outcome = "retry"
    try:
        outcome = _handle(runtime, event_dict, task)
        return outcome
    finally:
        runtime.journal.outcome(event_dict, outcome)      # the decision log (worker/journal.py)
        metrics.TASK_OUTCOMES.labels(helpdesk, outcome).inc()
        metrics.PROCESSING_SECONDS.labels(helpdesk, outcome).observe(time.perf_counter() - started)


class ThrottledRetry(RetryTask, RetryableHelpdeskError):
    """huey's ``RetryTask`` (re-run after ``delay`` without using up a retry) that is still the helpdesk
    error it came from, for callers that catch ``RetryableHelpdeskError``."""

    def __init__(self, exc: RetryableHelpdeskError, delay: float) -> None:
        RetryableHelpdeskError.__init__(self, str(exc), helpdesk=exc.helpdesk, ticket_id=exc.ticket_id,
                                        status=exc.status, retry_after=exc.retry_after)
        self.eta, self.delay = None, delay


def _handle(runtime: Runtime, event_dict: dict, task=None) -> str:
    from .. import metrics

    event = TicketEvent.from_dict(event_dict)
    key = event.dedupe_key
    ctx = {"helpdesk": event.helpdesk, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id}
    store = runtime.store
    # One attempt at a time per event, even across hosts: the pending row is stamped (atomically, in the
    # store) for the sweeper's grace; a second copy of the event (a sweep racing a slow attempt, a
    # retry already scheduled) finds it taken and stops. The sweeper's grace counts from here.
    state = store.begin_attempt(key, event_dict, runtime.settings.sweep_grace_seconds,
                                owner=getattr(runtime, "owner", None))
    if state == "done":
        log.info("already processed", extra=ctx)
        return "already_done"
    if state == "busy":
        log.info("another attempt holds this event; dropping this copy", extra=ctx)
        return "duplicate_copy"
    try:
        event = complete_event(runtime, event)      # the event parked in a dead letter is the completed one
        return _process(runtime, event, key, ctx)
    except RetryableHelpdeskError as exc:
        return _retry_or_park(runtime, event, key, ctx, exc, task)
    except PermanentHelpdeskError as exc:
        metrics.DEAD_LETTERS.labels(event.helpdesk, "permanent").inc()
        store.add_dead_letter(key, event.to_dict(), f"permanent error: {exc}")
        log.error("dead letter: %s", exc, extra=ctx)
        return "dead_letter"
    except Exception as exc:  # a bug must not loop forever nor lose the event: park it for an admin
        log.exception("dead letter: unexpected %s", type(exc).__name__, extra=ctx)
        metrics.DEAD_LETTERS.labels(event.helpdesk, "unexpected").inc()
        store.add_dead_letter(key, event.to_dict(), f"unexpected error: {type(exc).__name__}: {exc}")
        return "dead_letter"


def _process(runtime: Runtime, event: TicketEvent, key: str, ctx: dict) -> str:
    """One attempt on a completed event: learn from it, guard, draft, and apply the plan."""
    from .. import metrics

    store = runtime.store
    runtime.journal.learn(event, runtime.own_user_id(event.helpdesk), runtime.client)   # feedback, agent QA
    reason = guard(event, own_user_id=runtime.own_user_id(event.helpdesk))
    if reason:
        log.info("dropped: %s", reason, extra=ctx)
        store.finish(key)
        return reason
    holder = _words_held_by(runtime, event, key)
    if holder is not None:
        # Never the words at INFO: only whose event handles them (ids, no text).
        metrics.DUPLICATE_MESSAGES.labels(event.helpdesk).inc()
        log.info("duplicate: the same words on this ticket are handled by event %s", holder, extra=ctx)
        store.finish(key)
        return "duplicate_message"
    draft = draft_for(runtime, event, history=runtime.history)
    runtime.journal.drafted(event, draft)
    plan = draft.plan
    if plan is None:
        log.info("no apology or priority owed; nothing to write", extra=ctx)
        store.finish(key)
        return "nothing_owed"
    if runtime.settings.dry_run:
        log.info("dry run: would add tags %s and a %d-character note", ",".join(plan.add_tags),
                 len(plan.note_text), extra=ctx)
        store.finish(key)
        return "dry_run"
    result = runtime.client(event.helpdesk).apply(plan)
    store.finish(key)
    for tag in getattr(result, "tags_added", ()) or ():
        metrics.TAGS_APPLIED.labels(event.helpdesk, tag).inc()
    if getattr(result, "note_posted", False):
        metrics.NOTES_POSTED.labels(event.helpdesk).inc()
    log.info("applied: tags %s, note posted", ",".join(plan.add_tags), extra=ctx)
    return "applied"


def _words_held_by(runtime: Runtime, event: TicketEvent, key: str) -> str | None:
    """The key of another event that handles this message's words on this ticket (the same words
    delivered through a second webhook, core/same_words.py), or None when this event is to handle them.

    Claimed after the guard (an agent's or our own words claim nothing) and before the analysis, in the
    store, atomically: of two deliveries processed at once by two workers, one analyses and writes. The
    holder's retries and its sweep after a crash find the words still theirs; its note stays exactly-once
    through the client's marker. Should the holder end in the dead letters, so do its words: replaying
    it writes the note."""
    from ..core.same_words import SAME_WORDS_WINDOW_SECONDS, same_words_key

    words_key = same_words_key(event.helpdesk, event.account, event.ticket_id, event.comment_text,
                               html=event.comment_is_html or None)
    if words_key is None:
        return None
    received_at = event.received_at if event.received_at is not None else time.time()
    return runtime.store.claim_words(words_key, key, received_at, SAME_WORDS_WINDOW_SECONDS)


def _retry_or_park(runtime: Runtime, event: TicketEvent, key: str, ctx: dict, exc: RetryableHelpdeskError,
                   task) -> str:
    """A failure worth another try: wait out a throttle, retry with backoff, or park it once retries
    are spent. Raises for huey to retry; returns "dead_letter" when parked."""
    from .. import metrics

    store = runtime.store
    step = next_step(exc, retries_left=None if task is None else task.retries,
                     last_delay=None if task is None else task.retry_delay,
                     base=runtime.settings.retry_base_seconds,
                     cap=getattr(runtime.settings, "retry_max_seconds", 900.0))
    if step.action == THROTTLED:
        store.schedule(key, time.time() + step.delay)
        metrics.RETRIES.labels(event.helpdesk, "throttled").inc()
        task.retry_delay = max(float(task.retry_delay or 0), step.delay)
        log.info("throttled; again in %.0fs", step.delay, extra=ctx)
        raise ThrottledRetry(exc, step.delay) from exc
    if step.action == DEAD_LETTER:
        metrics.DEAD_LETTERS.labels(event.helpdesk, "retries_exhausted").inc()
        store.add_dead_letter(key, event.to_dict(), f"retries exhausted: {exc}")
        log.error("dead letter: retries exhausted (%s)", exc, extra=ctx)
        return "dead_letter"
    # huey schedules the retry task.retry_delay seconds from now (and doubles it for the next one).
    task.retry_delay = step.delay
    store.schedule(key, time.time() + task.retry_delay)
    metrics.RETRIES.labels(event.helpdesk, "error").inc()
    log.warning("retrying in %.0fs (%d left): %s", task.retry_delay, task.retries, exc, extra=ctx)
    raise exc


def sweep(runtime: Runtime, queue_idle: bool, enqueue) -> int:
    """Re-enqueue events claimed at intake but never finished (crash windows). Returns how many.
    Every ``PURGE_EVERY_SECONDS`` it also drops expired dedupe, done and lease records (they would
    otherwise pile up in the state file for good); the webhook path never pays for that scan."""
    if time.monotonic() >= runtime.next_purge_at:
        runtime.next_purge_at = time.monotonic() + PURGE_EVERY_SECONDS
        purged = runtime.store.purge_expired()
        runtime.journal.purge()      # decisions, votes and QA scores past [records] retention_days
        if purged:
            log.info("purged %d expired dedupe record(s)", purged)
    if not queue_idle:
        return 0     # a backlog would look "stale"; the sweep waits until the queue is drained
    # take_stale stamps what it returns, so sweepers on several workers never re-enqueue one event twice.
    events = runtime.store.take_stale(time.time() - runtime.settings.sweep_grace_seconds)
    for event in events:
        enqueue(event)
    if events:
        log.warning("re-enqueued %d event(s) left pending by a crash", len(events))
    return len(events)


def checkpoint(huey, store) -> None:
    """SQLite mode, queue drained: truncate the WAL files of the queue and the state. Finished events'
    rows are deleted (their text zeroed: secure_delete), but older copies of those pages stay in the WAL
    until a checkpoint truncates it. Redis mode: nothing to do."""
    for owner in (huey.storage, store):
        try:
            owner.checkpoint()
        except Exception as exc:        # busy or locked now: the next sweep tries again
            log.warning("WAL checkpoint failed: %s", type(exc).__name__)


def register(huey, runtime: Runtime):
    """Declare the task on ``huey``; returns (process_event, sweep_pending).

    ``sweep_pending()`` is a plain function: the worker's sweep thread (cli.service.run_consumer) is its
    one scheduler, at a pace set by the grace (a huey periodic task could only say "every minute")."""

    @huey.task(retries=getattr(runtime.settings, "retries", RETRIES), retry_delay=runtime.settings.retry_base_seconds, retry_backoff=RETRY_BACKOFF,
               context=True,
               name="process_event")
    def process_event(event: dict, task=None) -> str:
        return handle(runtime, event, task)

    def sweep_pending() -> int:
        idle = huey.pending_count() == 0
        count = sweep(runtime, idle, process_event)
        if idle:
            checkpoint(huey, runtime.store)
        return count

    return process_event, sweep_pending
