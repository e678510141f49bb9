"""Webhook intake: verify -> normalise -> drop echoes and duplicates -> store on the queue.

Pure apart from the dedupe store and the enqueue callable it is given; never imports Flask.

Crash window, and why this order: the dedupe keys are claimed (with the event recorded as *pending*)
*before* the enqueue, both committed before we answer 202. If the process dies between the two, the
helpdesk gets no 2xx and redelivers, but the redelivery finds the keys and is dropped as a duplicate —
so the pending record is what saves the event: the worker's sweeper re-enqueues pending events that
nobody touched for a while. Claiming *after* the enqueue would instead let two concurrent deliveries
both enqueue. The task itself is idempotent too (a ``done`` key, and the client's marker in the note),
so a re-enqueued event that had in fact been processed costs one read, not a second note.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Mapping, NamedTuple

from ..errors import (BadPayload, HelpdeskNotEnabled, PayloadTooLarge, QueueUnavailable, SignatureError,
                     WebhookError)
from ..core.event import Ignored
from ..core.guard import guard, ignored_code, learns_from
from ..helpdesks.registry import REGISTRY

log = logging.getLogger("empathy_cues.intake")

MAX_BODY_BYTES = 1024 * 1024


class _Helpdesk(NamedTuple):
    spec: object            # helpdesks.spec.Helpdesk
    section: object         # its part of Settings
    account: str
    received: object        # its counters (metrics.EVENTS_*)
    verified: object
    queued: object


class Intake:
    """One per app. ``enqueue(event_dict)`` must have stored the event durably when it returns.

    ``accept(keys, pending_key, event) -> bool``, when given, does claim + enqueue in one step (the group commit's
    group commit): True once stored durably, False for a duplicate, an exception when not stored.
    """

    def __init__(self, settings, store, enqueue: Callable[[dict], None],
                 accept: Callable[[list, str, dict], bool] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.enqueue = enqueue
        self.accept = accept
        from .refusals import RefusalLog

        self.refusals = RefusalLog()
        self.learning = _learning(settings)
        self._helpdesks: dict[str, _Helpdesk] = {}
        self.clock = time.time              # when a webhook was received (epoch seconds)
        # Bound here, when the app is built: metrics must not be imported at import time (metrics.py says
        # why), and an import statement in a function runs again on every call.
        from .. import metrics

        self.metrics = metrics

    def _enabled(self, helpdesk: str) -> "_Helpdesk":
        """What the intake needs of one helpdesk (its spec, section, account and counters), looked up once
        by name, not per webhook; HelpdeskNotEnabled when the server has no section for it."""
        spec = REGISTRY.get(helpdesk)
        section = self.settings.helpdesks.get(helpdesk) if spec is not None else None
        if section is None:
            raise HelpdeskNotEnabled(
                f"{helpdesk} is not enabled on this server: set its EMPATHY_{helpdesk.upper()}_* variables",
            )
        m = self.metrics
        desk = self._helpdesks[helpdesk] = _Helpdesk(spec, section, spec.account(section),
                                                     m.EVENTS_RECEIVED.labels(helpdesk),
                                                     m.EVENTS_VERIFIED.labels(helpdesk),
                                                     m.EVENTS_QUEUED.labels(helpdesk))
        return desk

    def receive(self, helpdesk: str, raw: bytes, headers: Mapping[str, str]) -> tuple[int, dict]:
        """(status, JSON body) for one webhook request. Raises WebhookError subclasses for refusals."""
        metrics = self.metrics
        desk = self._helpdesks.get(helpdesk)
        (desk.received if desk is not None else metrics.EVENTS_RECEIVED.labels(helpdesk)).inc()
        started = time.perf_counter()
        try:
            if len(raw) > MAX_BODY_BYTES:
                raise PayloadTooLarge(f"the body is larger than {MAX_BODY_BYTES} bytes")
            if desk is None:
                desk = self._enabled(helpdesk)
            status, body = self._receive(desk, raw, headers)
        except WebhookError as exc:
            if isinstance(exc, BadPayload):          # the signature held; the body did not
                desk.verified.inc()
                self.refusals.verified(helpdesk)
            metrics.EVENTS_REJECTED.labels(helpdesk, exc.code).inc()
            if isinstance(exc, SignatureError):
                self.refusals.refused(helpdesk, exc.code)
            raise
        desk.verified.inc()
        self.refusals.verified(helpdesk)
        if "ignored" in body:
            metrics.EVENTS_IGNORED.labels(helpdesk, ignored_code(body["ignored"])).inc()
        else:
            desk.queued.inc()
            metrics.ACK_SECONDS.observe(time.perf_counter() - started)
        return status, body

    def refuse(self, helpdesk: str, exc: WebhookError):
        """Count a request refused before its body could be read (too large), then raise ``exc``."""
        self.metrics.EVENTS_RECEIVED.labels(helpdesk).inc()
        self.metrics.EVENTS_REJECTED.labels(helpdesk, exc.code).inc()
        raise exc

    def _receive(self, desk: "_Helpdesk", raw: bytes, headers: Mapping[str, str]) -> tuple[int, dict]:
        spec = desk.spec
        helpdesk = spec.name
        spec.verify(desk.section, raw, headers, tolerance=self.settings.signature_tolerance)
        result = _normalised(spec.normalize, raw, headers, desk.account)
        if isinstance(result, Ignored):
            log.info("ignored: %s", ignored_code(result.reason), extra={"helpdesk": helpdesk})
            return 202, {"ignored": result.reason}
        event = result
        ctx = {"helpdesk": helpdesk, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id}
        reason = guard(event)
        if reason and not learns_from(event, reason, **self.learning):
            log.info("ignored: %s", reason, extra=ctx)
            return 202, {"ignored": reason}
        keys = [f"delivery:{helpdesk}:{event.delivery_id}", f"event:{event.dedupe_key}"]
        # The same signed request seen again is a replay, whatever its unsigned headers say: a key for the
        # signature itself, kept as long as dedupe records (a week), far longer than the timestamp
        # tolerance after which the signature is refused anyway. None for a helpdesk that signs nothing.
        replay = spec.replay_key(headers)
        if replay:
            keys.append(replay)
        data = event.to_dict()
        data["received_at"] = self.clock()     # the same-words window counts from here (core/same_words.py)
        if self.accept is not None:
            try:
                stored = self.accept(keys, event.dedupe_key, data)
            except Exception as exc:
                log.error("queue unavailable: %s", type(exc).__name__, extra=ctx)
                raise QueueUnavailable("the event could not be queued; try again") from exc
            if not stored:
                log.info("ignored: duplicate", extra=ctx)
                return 202, {"ignored": "duplicate"}
            log.info("queued", extra=ctx)
            return 202, {"queued": True, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id}
        if not self.store.claim(keys, event.dedupe_key, data):
            log.info("ignored: duplicate", extra=ctx)
            return 202, {"ignored": "duplicate"}
        try:
            self.enqueue(data)
        except Exception as exc:
            # Not stored -> not acknowledged: free the keys so the helpdesk's redelivery is accepted.
            self.store.release(keys, event.dedupe_key)
            log.error("queue unavailable: %s", type(exc).__name__, extra=ctx)
            raise QueueUnavailable("the event could not be queued; try again") from exc
        log.info("queued", extra=ctx)
        return 202, {"queued": True, "ticket_id": event.ticket_id, "delivery_id": event.delivery_id}


def _learning(settings) -> dict:
    """What the intake queues beside customer messages: tickets with a feedback tag, public agent replies
    (settings file: [workflow_tags] helped / not_helped, [qa] score_replies)."""
    from ..policy_file import PluginConfig

    config = PluginConfig.load(getattr(settings, "config_path", None))
    tags = config.workflow_tags()
    return {"feedback_tags": frozenset({tags["helped"], tags["not_helped"]}),
            "score_replies": bool(config.data["qa"]["score_replies"])}


def _normalised(normalize, raw: bytes, headers: Mapping[str, str], account: str):
    """The normaliser's answer; a body it cannot read is a 400 with a reason, never a 500.

    The signature held, so this is the helpdesk or someone with its secret; still, no body may take
    the web worker down or answer 500 (which the helpdesk retries, and no metric counted)."""
    try:
        return normalize(raw, headers, account=account)
    except WebhookError:
        raise
    except Exception as exc:
        log.warning("unreadable payload: %s", type(exc).__name__)
        raise BadPayload("the payload could not be read", code="unreadable_payload") from None
