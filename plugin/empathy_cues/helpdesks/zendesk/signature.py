"""Zendesk webhook signatures: pure functions over raw bytes, with an injectable clock.

Zendesk signs every webhook request: ``X-Zendesk-Webhook-Signature`` is
``base64(HMAC-SHA256(key=signing_secret, msg=TIMESTAMP + BODY))`` where TIMESTAMP is the value of
``X-Zendesk-Webhook-Signature-Timestamp`` (ISO-8601, e.g. ``2024-04-17T17:18:10Z``) concatenated with
the raw body, no separator; the digest is binary, then base64 (not hex). Bodiless requests sign the
timestamp alone. Zendesk leaves rejecting stale timestamps (replay) to the receiver.
Source: https://developer.zendesk.com/documentation/webhooks/verifying/
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timezone

from ...errors import SignatureError

SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature"
TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp"


def sign(secret: str, timestamp: str, raw_body: bytes) -> str:
    """The signature Zendesk would send for this timestamp and body (tests and `replay` reuse it)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + raw_body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def format_timestamp(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(timestamp: str) -> datetime:
    """ISO-8601 as Zendesk sends it; a bare epoch number is accepted too (defensive, costs nothing)."""
    text = timestamp.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), timezone.utc)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


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
    expected = sign(secret, timestamp, raw_body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace")):
        raise SignatureError("the Zendesk webhook signature does not match", code="bad_signature")
    try:
        sent = parse_timestamp(timestamp)
    except ValueError:
        raise SignatureError("the Zendesk signature timestamp is not a date", code="stale_timestamp") from None
    current = now or datetime.now(timezone.utc)
    if abs((current - sent).total_seconds()) > tolerance:
        raise SignatureError(
            f"the Zendesk signature timestamp is more than {tolerance}s away from now", code="stale_timestamp"
        )
