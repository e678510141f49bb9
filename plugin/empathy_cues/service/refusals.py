"""Webhooks refused for their signature or secret: visible, never silent.

A wrong secret (a leftover variable, a rotated secret in one place only) makes every webhook a 401 while
the server looks healthy. So each refusal of authenticity is
* counted (``empathy_events_rejected_total{reason=...}``) and time-stamped per helpdesk in gauges that
  add up across processes (``empathy_webhook_last_refused_timestamp_seconds``,
  ``empathy_webhook_last_verified_timestamp_seconds``), which ``/readyz`` reads to explain itself;
* logged as ONE line a minute per helpdesk and reason, "N webhooks refused: bad signature since ...",
  not one line per request (a forger or a misconfigured helpdesk must not flood the log).
``/readyz`` stays 200 on refusals: every node shares the same secret, so taking nodes out of the load
balancer cannot help, and a forger must not be able to take the service down by sending bad requests.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

log = logging.getLogger("empathy_cues.intake")

AUTH_REASONS = ("bad_signature", "stale_timestamp", "missing_signature")
_WORDS = {"bad_signature": "bad signature", "stale_timestamp": "stale timestamp (clock skew?)",
          "missing_signature": "missing signature", "bad_secret": "wrong shared secret",
          "missing_secret": "missing shared secret"}
LOG_EVERY = 60.0
RECENT_SECONDS = 600.0       # a refusal this recent is reported even when other webhooks were accepted
_STAMP_EVERY = 1.0           # the verified-at gauge is written at most once a second per process


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RefusalLog:
    """Per process: counts refusals per (helpdesk, reason) and logs them at most once a ``LOG_EVERY``."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._open: dict[tuple[str, str], list] = {}       # key -> [count, since, last_logged]
        self._stamped: dict[str, float] = {}

    def refused(self, helpdesk: str, reason: str) -> None:
        from .. import metrics

        now = self.clock()
        metrics.WEBHOOK_LAST_REFUSED.labels(helpdesk, reason).set(now)
        with self._lock:
            entry = self._open.setdefault((helpdesk, reason), [0, None, 0.0])
            entry[0] += 1
            if entry[1] is None:
                entry[1] = now
            if now - entry[2] < LOG_EVERY:
                return
            count, since = entry[0], entry[1]
            entry[:] = [0, None, now]
        log.warning("%d webhooks refused: %s since %s", count, _WORDS.get(reason, reason), iso(since),
                    extra={"helpdesk": helpdesk, "error": reason})

    def verified(self, helpdesk: str) -> None:
        now = self.clock()
        if now - self._stamped.get(helpdesk, 0.0) >= _STAMP_EVERY:
            from .. import metrics

            self._stamped[helpdesk] = now
            metrics.WEBHOOK_LAST_VERIFIED.labels(helpdesk).set(now)


def warnings(helpdesks: tuple[str, ...], *, since: float = 0.0, now: float | None = None) -> dict[str, str]:
    """For /readyz: per helpdesk, a sentence while webhooks are being refused: none accepted since, or a
    refusal within the last ``RECENT_SECONDS`` even though others were accepted (a helpdesk may send
    through two webhooks, Zendesk's trigger and messaging ones, and only one may hold a stale secret).
    Refusals before ``since`` (this app's start) are not this server's concern."""
    refused, last_refused, last_verified = _refusal_samples()
    out: dict[str, str] = {}
    for helpdesk in helpdesks:
        last = last_refused.get(helpdesk, 0.0)
        ok = last_verified.get(helpdesk, 0.0)
        if last < since or not last:
            continue
        if ok >= last and (time.time() if now is None else now) - last > RECENT_SECONDS:
            continue
        counts = ", ".join(f"{int(n)} {_WORDS[r]}" for (h, r), n in sorted(refused.items()) if h == helpdesk and n)
        accepted = f"the last accepted at {iso(ok)}" if ok else "none accepted since this server started"
        out[helpdesk] = (f"webhooks refused ({counts}), the last at {iso(last)}; {accepted}. "
                         f"Check EMPATHY_{helpdesk.upper()}_WEBHOOK_SECRET(_FILE) and the server's clock")
    return out


def _refusal_samples():
    """From the metrics every process writes: refusals per (helpdesk, reason), and per helpdesk the time
    of the last refusal and of the last accepted webhook."""
    from ..metrics import registry

    refused: dict[tuple[str, str], float] = {}
    last_refused: dict[str, float] = {}
    last_verified: dict[str, float] = {}
    for family in registry().collect():
        for sample in family.samples:
            helpdesk = sample.labels.get("helpdesk")
            if sample.name == "empathy_events_rejected_total" and sample.labels.get("reason") in _WORDS:
                refused[(helpdesk, sample.labels["reason"])] = sample.value
            elif sample.name == "empathy_webhook_last_refused_timestamp_seconds":
                last_refused[helpdesk] = max(last_refused.get(helpdesk, 0.0), sample.value)
            elif sample.name == "empathy_webhook_last_verified_timestamp_seconds":
                last_verified[helpdesk] = max(last_verified.get(helpdesk, 0.0), sample.value)
    return refused, last_refused, last_verified
