"""Zendesk webhook signatures: pure functions over raw bytes, with an injectable clock.

Zendesk signs every webhook request: ``X-Zendesk-Webhook-Signature`` is
``base64(HMAC-SHA256(key=signing_secret, msg=TIMESTAMP + BODY))`` where TIMESTAMP is the value of
``X-Zendesk-Webhook-Signature-Timestamp`` (ISO-8601, e.g. ``2024-04-17T17:18:10Z``) concatenated with
the raw body, no separator; the digest is binary, then base64 (not hex). Bodiless requests sign the
timestamp alone. Zendesk leaves rejecting stale timestamps (replay) to the receiver.
Source: https://developer.zendesk.com/documentation/webhooks/verifying/
"""
from __future__ import annotations

import binascii
import functools
import hmac
import re
from datetime import datetime, timezone

from ...errors import SignatureError

SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature"
TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp"


def sign(secret: str, timestamp: str, raw_body: bytes) -> str:
    """The signature Zendesk would send for this timestamp and body (tests and `replay` reuse it)."""
    return _signature(secret, timestamp, raw_body).decode("ascii")


def _signature(secret: str, timestamp: str, raw_body: bytes) -> bytes:
    # hmac.digest: one call into OpenSSL, no HMAC object (https://docs.python.org/3/library/hmac.html#hmac.digest)
    mac = hmac.digest(secret.encode("utf-8"), timestamp.encode("utf-8") + raw_body, "sha256")
    return binascii.b2a_base64(mac, newline=False)


def format_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Exactly the form Zendesk sends, "2024-04-17T17:18:10Z", and nothing else. The signed message is the
# timestamp followed by the body with no separator, so a lenient parser lets the boundary move: a header
# cut to "2024-04-17T17:18" with ":10Z" moved to the front of the body kept the HMAC valid and handed us a
# different body. (A bare epoch number, accepted before, also overflowed datetime at 30 digits: a 500.)
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


@functools.lru_cache(maxsize=64)
def parse_timestamp(timestamp: str) -> datetime:
    """The header's moment; ``ValueError`` unless it is exactly ``YYYY-MM-DDTHH:MM:SSZ``.

    Cached (a refusal is not): the webhooks of one second share one timestamp, and only a timestamp
    whose signature matched is parsed at all, so nobody but the helpdesk chooses what is cached."""
    if not _TIMESTAMP.fullmatch(timestamp):
        raise ValueError("not a timestamp of the form YYYY-MM-DDTHH:MM:SSZ")
    # The pattern fixed every field's place; datetime() still refuses month 13 or a 31st of April.
    # Read by position rather than strptime, which interprets its format string on every webhook.
    return datetime(int(timestamp[0:4]), int(timestamp[5:7]), int(timestamp[8:10]), int(timestamp[11:13]),
                    int(timestamp[14:16]), int(timestamp[17:19]), tzinfo=timezone.utc)


def verify(
    secret: str,
    signature: str | None,
    timestamp: str | None,
    raw_body: bytes,
    *,
    now: datetime | None = None,
    tolerance: int = 300,
) -> None:
    """Raise ``SignatureError`` unless the signature matches and the timestamp is fresh."""
    if not signature or not timestamp:
        raise SignatureError("the Zendesk signature headers are missing", code="missing_signature")
    # Compare first, in constant time, so a forger learns nothing from which check failed first.
    expected = _signature(secret, timestamp, raw_body)
    if not hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace")):
        raise SignatureError("the Zendesk webhook signature does not match", code="bad_signature")
    try:
        sent = parse_timestamp(timestamp)
    except ValueError:
        raise SignatureError("the Zendesk signature timestamp is not of the form YYYY-MM-DDTHH:MM:SSZ",
                             code="stale_timestamp") from None
    current = now or datetime.now(timezone.utc)
    if abs((current - sent).total_seconds()) > tolerance:
        raise SignatureError(
            f"the Zendesk signature timestamp is more than {tolerance}s away from now", code="stale_timestamp"
        )
