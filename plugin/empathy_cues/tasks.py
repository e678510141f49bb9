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

import dataclasses
import logging
import threading
import time
from typing import Any

from huey.exceptions import RetryTask

from .errors import PermanentHelpdeskError, RetryableHelpdeskError
from .core.event import AuthorRole, TicketEvent
from .core.guard import guard
from .helpdesks.registry import REGISTRY
from .retry import DEAD_LETTER, THROTTLED, next_step

log = logging.getLogger("empathy_cues.worker")

RETRIES = 12       # default of settings.retries (EMPATHY_RETRIES)
RETRY_BACKOFF = 2        # 2, 4, 8 ... 512 s, then settings.retry_max_seconds (900): about an hour in all
PURGE_EVERY_SECONDS = 600   # sweep(): expired dedupe records are purged at most this often


def build_client(helpdesk: str, settings, *, limiter=None, timeout=None) -> Any:
    """The helpdesk API client for one helpdesk, from its settings section (through its registry spec).

    ``limiter``: an ``OutboundRateLimiter`` shared by every client of the process (None: the client's own).
    """
    spec, section = _configured(helpdesk, settings)
    return spec.client(section, limiter=limiter, timeout=timeout)


def _configured(helpdesk: str, settings):
    spec = REGISTRY.get(helpdesk)
    section = settings.helpdesks.get(helpdesk) if spec is not None else None
    if section is None:
        raise PermanentHelpdeskError(f"{helpdesk} is not configured on this worker", helpdesk=helpdesk)
    return spec, section


class Runtime:
    """What a worker needs: settings, the store, clients per thread, our own API user ids (cached)."""

    def __init__(self, settings, store, *, client_factory=None, composer=None) -> None:
        self.settings = settings
        self.store = store
        self.next_purge_at = 0.0          # sweep(): when expired records are next purged (monotonic)
        self._client_factory = client_factory or self._build_client
        self._composer = composer
        self._local = threading.local()
        self._own_ids: dict[str, str | None] = {}
        self._limiters: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _build_client(self, helpdesk: str, settings) -> Any:
        """build_client with one rate limiter per helpdesk for all of this process's threads; in the
        scale-out mode its state is in Redis, shared by every worker process (helpdesks/limits.py)."""
        from .helpdesks.limits import build_limiter

        _configured(helpdesk, settings)
        with self._lock:
            if helpdesk not in self._limiters:
                self._limiters[helpdesk] = build_limiter(helpdesk, settings)
            limiter = self._limiters[helpdesk]
        timeout = (3.05, getattr(settings, "helpdesk_timeout", 10.0))
        return build_client(helpdesk, settings, limiter=limiter, timeout=timeout)

    @property
    def policy(self):
        """Tag names and response targets from the settings file (EMPATHY_CONFIG), read once."""
        policy = getattr(self, "_policy", None)
        if policy is None:
            from .policy_file import PluginConfig

            policy = self._policy = PluginConfig.load(getattr(self.settings, "config_path", None)).policy
        return policy

    @property
    def history(self):
        """The requester-history lookup (history_lookup.py), with the settings file's [history], built once."""
        from .policy_file import PluginConfig
        from .history_lookup import HistoryLookup

        with self._lock:      # one lookup (and one cache) for all of this process's worker threads
            lookup = getattr(self, "_history", None)
            if lookup is None:
                settings = PluginConfig.load(getattr(self.settings, "config_path", None)).history
                lookup = self._history = HistoryLookup(settings, self.client)
        return lookup

    def warm_up(self) -> None:
        """Load the settings file, phrase pack and templates and run one message through analysis and
        composing, before the first event: a worker started just before a burst would otherwise spend
        its first events' time (about half a second of CPU, taken from the web processes on a small machine)
        parsing YAML, compiling templates and importing the helpdesk clients (zenpy alone takes about
        0.1 s). Raises what a broken pack or settings file raises; makes no network call."""
        from . import analyze

        sample = "I tried twice and it still does not work, which is frustrating."
        self.compose(analyze(sample, policy=self.policy), ticket_id="0", customer_name=None)
        from .reply import compose_note
        from .reply.spelling import load_dictionary

        self.journal.check()        # a bad cue overrides file or QA pack stops the worker here, naming the fault
        if self._composer is compose_note:
            load_dictionary().warm()   # the spelling index, built once here rather than inside a budget
        for helpdesk in self.settings.enabled_helpdesks:
            REGISTRY[helpdesk].prepare()

    def compose(self, analysis, *, ticket_id: str, customer_name: str | None):
        """The note for an analysis: reply.compose_note unless a composer was injected."""
        if self._composer is None:
            from .reply import compose_note

            self._composer = compose_note
        return self._composer(analysis, ticket_id=ticket_id, customer_name=customer_name)

    @property
    def journal(self):
        """The decision log and what agents' updates teach (records/journal.py), opened at first use."""
        journal = getattr(self, "_journal", None)
        if journal is None:
            from .records.journal import open_journal

            with self._lock:
                journal = self._journal = getattr(self, "_journal", None) or open_journal(self.settings)
        return journal

    def client(self, helpdesk: str) -> Any:
        clients = self._local.__dict__.setdefault("clients", {})
        if helpdesk not in clients:
            clients[helpdesk] = self._client_factory(helpdesk, self.settings)
        return clients[helpdesk]

    def own_user_id(self, helpdesk: str) -> str | None:
        """The plugin's API user (its notes and tag changes are authored by it), asked once."""
        with self._lock:
            if helpdesk in self._own_ids:
                return self._own_ids[helpdesk]
        try:
            value = str(self.client(helpdesk).whoami())
        except Exception as exc:   # a helpdesk that is down must not block the guard's other checks
            log.warning("whoami failed; own-user guard relies on markers for now",
                        extra={"helpdesk": helpdesk, "error": type(exc).__name__})
            return None
        with self._lock:
            self._own_ids[helpdesk] = value
        return value


def _complete(runtime: Runtime, event: TicketEvent) -> TicketEvent:
    """Fill in the comment from the API when the webhook carried only ids (see normalize.py).

    The clients answer ``ticket_comment`` in one shape (``helpdesks.spec.Helpdesk.client``); ``incoming``
    is Freshdesk's word for who wrote it, which its webhooks do not say."""
    if event.comment_text:
        return event
    data = runtime.client(event.helpdesk).ticket_comment(event.ticket_id, event.comment_id) or {}
    html = data.get("html_body") or ""
    text = data.get("body") or ""
    public = data.get("public")
    role = event.author_role
    if isinstance(data.get("incoming"), bool):
        role = AuthorRole.END_USER if data["incoming"] else AuthorRole.AGENT
    author = data.get("author_id")
    return dataclasses.replace(
        event,
        comment_text=text or html,
        comment_is_html=bool(html) and not text,
        comment_id=event.comment_id or (str(data["id"]) if data.get("id") is not None else None),
        author_id=str(author) if author is not None else event.author_id,
        author_role=role,
        comment_public=event.comment_public if public is None else bool(public),
    )


def plan_for(runtime: Runtime, event: TicketEvent, history=None):
    """Analysis and note for one customer message -> WritePlan or None. No I/O but what ``history``
    (a ``history_lookup.HistoryLookup``: the worker passes its own) does: one read of the requester's
    recent tickets, once the message owes something. Without it (replay, checks) nothing is read."""
    return draft_for(runtime, event, history=history).plan


@dataclasses.dataclass(frozen=True)
class Draft:
    """What the worker made of one customer message: the analysis, the note and the plan (None: nothing
    owed). The decision log (records/decisions.py) is written from it."""

    analysis: Any
    note: Any
    plan: Any


def draft_for(runtime: Runtime, event: TicketEvent, history=None) -> Draft:
    """plan_for, keeping the analysis and note it was built from."""
    from . import analyze
    from .bounds import MAX_SUBJECT_CHARS, capped, cut_notice, over_budget_note, within_budget
    from .core.write_plan import build_plan

    # Any customer can send a megabyte: the worker reads a bounded part of it (bounds.py).
    text, html, cut = capped(event.comment_text, html=event.comment_is_html or None)
    analysis = analyze(text, subject=event.subject[:MAX_SUBJECT_CHARS], channel=event.channel.value,
                       html=html, policy=runtime.policy,
                       pack=runtime.journal.overrides.pack_for(event.account))   # per-account cue overrides
    from .metrics import CUES_MATCHED

    for cue in analysis.cues:
        CUES_MATCHED.labels(cue.category).inc()
    if history is not None:
        from .history_lookup import with_requester_history

        analysis = with_requester_history(history, event, analysis, runtime.policy)
    note = within_budget(lambda: runtime.compose(analysis, ticket_id=event.ticket_id,
                                                 customer_name=event.requester_name))
    if note is None:
        log.warning("composing ran out of time; note without a suggested reply",
                    extra={"helpdesk": event.helpdesk, "ticket_id": event.ticket_id})
        note = over_budget_note(analysis)
    if cut:
        note = cut_notice(note)
    return Draft(analysis, note, build_plan(event, analysis, note))


def handle(runtime: Runtime, event_dict: dict, task=None) -> str:
    """Process one event; returns what happened (for logs and tests). Raises only to ask for a retry."""
    from . import metrics

    helpdesk = str(event_dict.get("helpdesk", ""))
    started = time.perf_counter()
    outcome = "retry"
    try:
        outcome = _handle(runtime, event_dict, task)
        return outcome
    finally:
        runtime.journal.outcome(event_dict, outcome)      # the decision log (records/journal.py)
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
    from . import metrics

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
        event = _complete(runtime, event)      # the event parked in a dead letter is the completed one
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
    from . import metrics

    store = runtime.store
    runtime.journal.learn(event, runtime.own_user_id(event.helpdesk), runtime.client)   # feedback, agent QA
    reason = guard(event, own_user_id=runtime.own_user_id(event.helpdesk))
    if reason:
        log.info("dropped: %s", reason, extra=ctx)
        store.finish(key)
        return reason
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


def _retry_or_park(runtime: Runtime, event: TicketEvent, key: str, ctx: dict, exc: RetryableHelpdeskError,
                   task) -> str:
    """A failure worth another try: wait out a throttle, retry with backoff, or park it once retries
    are spent. Raises for huey to retry; returns "dead_letter" when parked."""
    from . import metrics

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
