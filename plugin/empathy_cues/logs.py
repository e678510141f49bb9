"""Structured logs: one JSON object a line on stderr, for the web workers and the queue worker alike.

Each line carries the ids that tie it to a ticket and a delivery (``helpdesk``, ``ticket_id``,
``delivery_id``) when the caller passes them as ``extra``; never the customer's text, emails or secrets
(log calls pass ids and reason codes only; tests/test_ops_endpoints.py greps a full run for leaks).
"""
from __future__ import annotations

import json
import logging
import sys


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the ids that tie a log line to a ticket. Never the message text."""

    FIELDS = ("helpdesk", "ticket_id", "delivery_id", "error")
    # Ids are validated before they are logged; the caps are the backstop against a field that was not
    # (one 200 KB body field once made a 200,236-character line).
    MAX_FIELD = 128
    MAX_MSG = 2000

    def format(self, record: logging.LogRecord) -> str:
        try:
            msg = record.getMessage()
        except Exception:        # a library's bad format string (gunicorn's own warnings): say so, go on
            msg = f"{record.msg!s} (unformattable arguments)"
        data = {"ts": round(record.created, 3), "level": record.levelname, "logger": record.name,
                "msg": msg[:self.MAX_MSG]}
        for name in self.FIELDS:
            if hasattr(record, name):
                value = getattr(record, name)
                data[name] = value[:self.MAX_FIELD] if isinstance(value, str) else value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data)


def configure_logging(level: str = "INFO") -> None:
    """Route every logger of the process (ours, huey's, werkzeug's) through one JSON handler on stderr."""
    # Our lines carry no caller, thread or process fields, so logging need not gather them: the
    # settings of the logging HOWTO's "Optimization" section, since the web workers write one line per
    # acknowledged webhook (https://docs.python.org/3/howto/logging.html#optimization).
    # Process ids stay on: gunicorn's own formatter prints %(process)d, and without it every gunicorn
    # warning ("Invalid request from ...") became a "--- Logging error ---" traceback on stderr.
    logging._srcfile = None
    logging.logThreads = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries that log request and response bodies at DEBUG (zenpy logs each API call's payload: our
    # note, which quotes the customer): never below WARNING, whatever EMPATHY_LOG_LEVEL says.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


QUIET_LOGGERS = ("zenpy",)
