"""The whole error tree of empathy-cues, on one screen.

    EmpathyCuesError                  base of everything we raise on purpose
    ├── PackError                     a phrase pack or template file is invalid (names file and cue)
    ├── InputError                    a caller gave us unusable input (CLI / API), exit code 2
    ├── ConfigError                   settings missing or invalid at start-up (names the variable)
    ├── WebhookError                  a webhook request is refused; carries ``status`` and ``code``
    │   ├── SignatureError            401 bad_signature / stale_timestamp / missing_signature
    │   ├── PayloadTooLarge           413 payload_too_large
    │   ├── BadPayload                400 invalid_json / missing_field (names the field)
    │   └── HelpdeskNotEnabled        404 helpdesk_not_enabled
    └── HelpdeskError                 a call to a helpdesk API failed; carries helpdesk, ticket_id,
        │                             status and retry_after
        ├── RetryableHelpdeskError    429 / 409 / 5xx / timeout / connection: try again later
        └── PermanentHelpdeskError    other 4xx: dead letter with the reason

``WebhookError.status`` is the one map to HTTP status; ``isinstance(e, RetryableHelpdeskError)``
is the one retry decision.
"""
from __future__ import annotations


class EmpathyCuesError(Exception):
    """Base class of every error empathy-cues raises on purpose."""

    def __reduce__(self):
        # Our constructors take keyword-only or differently shaped arguments than ``args`` holds, so
        # Exception's default (call the class with ``args``) would fail or lose fields when an error
        # crosses a process boundary (a multiprocessing pool of ``analyze`` calls) or is copied.
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


def _rebuilt(cls: type, args: tuple, state: dict) -> EmpathyCuesError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class PackError(EmpathyCuesError):
    """A phrase pack (or template pack) failed validation.

    The message always names the file, and the cue when one is at fault.
    """

    def __init__(self, path: str, message: str, *, cue_id: str | None = None) -> None:
        self.path = path
        self.cue_id = cue_id
        where = f"{path}: cue {cue_id!r}" if cue_id else path
        super().__init__(f"{where}: {message}")


class InputError(EmpathyCuesError):
    """Unusable input from a caller (a CLI argument, a JSONL line)."""


class ConfigError(EmpathyCuesError):
    """Settings are missing or invalid; the message names the variable."""


class WebhookError(EmpathyCuesError):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def to_json(self) -> dict:
        return {"error": self.code, "message": self.message}


class SignatureError(WebhookError):
    status = 401
    code = "bad_signature"


class PayloadTooLarge(WebhookError):
    status = 413
    code = "payload_too_large"


class BadPayload(WebhookError):
    status = 400
    code = "invalid_payload"


class HelpdeskNotEnabled(WebhookError):
    status = 404
    code = "helpdesk_not_enabled"


class HelpdeskError(EmpathyCuesError):
    def __init__(
        self,
        message: str,
        *,
        helpdesk: str,
        ticket_id: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.helpdesk = helpdesk
        self.ticket_id = ticket_id
        self.status = status
        self.retry_after = retry_after


class RetryableHelpdeskError(HelpdeskError):
    """429, 409, 5xx, timeouts and connection errors: the same call may succeed later."""


class PermanentHelpdeskError(HelpdeskError):
    """Any other 4xx: retrying cannot help; the event goes to the dead-letter list."""


class MissingField(BadPayload):
    """A required field is absent or empty; ``field`` names it (dotted path in the vendor payload)."""

    code = "missing_field"

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(message or f"the payload has no usable {field!r} field")
        self.field = field

    def to_json(self) -> dict:
        return {**super().to_json(), "field": self.field}


class QueueUnavailable(WebhookError):
    """The event could not be stored, so it is not acknowledged: the helpdesk will deliver it again."""

    status = 503
    code = "queue_unavailable"
