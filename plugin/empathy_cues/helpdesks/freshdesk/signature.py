"""Freshdesk webhook authentication: a shared secret, compared in constant time.

Freshdesk does not sign webhook requests (no HMAC header; the "Trigger webhook" action of an
automation rule offers only basic auth / API key and custom headers). So the rule carries a shared
secret, either in a custom header ``X-Empathy-Secret: <secret>`` or as the basic-auth password.
Source: https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules
"""
from __future__ import annotations

import base64
import binascii
import hmac
from typing import Mapping

from ...errors import SignatureError

SECRET_HEADER = "X-Empathy-Secret"


def _basic_auth_password(authorization: str | None) -> str | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, _, password = decoded.partition(":")
    return password


def verify(secret: str, headers: Mapping[str, str]) -> None:
    """Raise ``SignatureError`` unless the secret header or the basic-auth password equals ``secret``."""
    candidates = [headers.get(SECRET_HEADER), _basic_auth_password(headers.get("Authorization"))]
    offered = [c for c in candidates if c]
    if not offered:
        raise SignatureError(
            f"the Freshdesk shared secret is missing (set the {SECRET_HEADER} header or basic auth on the rule)",
            code="missing_signature",
        )
    expected = secret.encode("utf-8")
    # Check every candidate, so the time taken does not tell which one was present.
    matches = [hmac.compare_digest(expected, c.strip().encode("utf-8")) for c in offered]
    if not any(matches):
        raise SignatureError("the Freshdesk shared secret does not match", code="bad_signature")
