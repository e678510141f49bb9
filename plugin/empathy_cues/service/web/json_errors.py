"""Errors as JSON answers, for the Flask app and for the webhook receiver in front of it (webhooks.py).

Both answer with these bytes, so a client cannot tell which of the two refused its request: the keys
sorted, no spaces, a newline at the end, the format of Flask's ``jsonify`` that clients have always been
given.
"""
from __future__ import annotations

import json
import logging

from werkzeug.exceptions import HTTPException

log = logging.getLogger("empathy_cues.web")

_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large",
               415: "unsupported_media_type"}
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode


def error_body(error: dict) -> bytes:
    """``{"error": code, "message": ...}`` (and any other keys) as the JSON bytes of an error answer."""
    return (_encode(error) + "\n").encode()


def http_error(exc: HTTPException) -> tuple[int, bytes]:
    """(status, body) for werkzeug's HTTP errors: 404 for an unknown path, 405, a client gone mid-body (400)."""
    return exc.code, error_body({"error": _HTTP_CODES.get(exc.code or 500, "http_error"), "message": exc.description})


def unexpected_error() -> tuple[int, bytes]:
    """(500, body) for an exception nobody expected; logs it with its traceback. Call it in an ``except``."""
    log.exception("unexpected error")
    return 500, error_body({"error": "internal_error", "message": "unexpected server error"})
