"""``create_app(settings)``: builds the store, the queue and the intake; no work at import time."""
from __future__ import annotations

import time

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from .intake import MAX_BODY_BYTES, Intake
from .settings import Settings


def create_app(settings: Settings, *, queue=None, store=None) -> Flask:
    from ..durable.queue import build_queue
    from ..durable.state import open_store

    app = Flask("empathy_cues")
    # Werkzeug refuses a larger body while reading it (413) instead of buffering it all.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["EMPATHY_SETTINGS"] = settings
    app.config["EMPATHY_STARTED"] = time.time()
    store = store if store is not None else open_store(settings)
    queue = queue if queue is not None else build_queue(settings, store)
    app.extensions["empathy_queue"] = queue
    app.extensions["empathy_store"] = store
    from ..durable.group_commit import GroupCommitter

    # Group commit (durable/group_commit.py): claims and enqueues of concurrent webhooks share transactions.
    accept = GroupCommitter(store, queue).accept if hasattr(queue, "enqueue_many") else None
    intake = app.extensions["empathy_intake"] = Intake(settings, store, queue.enqueue_event, accept=accept)

    from .web import health, ops, webhooks

    app.register_blueprint(health.bp)
    app.register_blueprint(ops.bp)
    webhooks.serve_in_front(app, intake)     # POST /webhooks/<helpdesk> is answered before Flask sees it
    from .web import admin

    admin.register(app)          # /admin: off (404) unless EMPATHY_ADMIN_PAGE_TOKEN is set
    _register_error_handlers(app)
    return app


def _register_error_handlers(app: Flask) -> None:
    """Errors as JSON, worded as the webhook receiver words them (web/json_errors.py); a refused webhook
    (WebhookError) never reaches Flask."""
    from .web.json_errors import http_error, unexpected_error

    def answer(status: int, body: bytes) -> Response:
        return Response(body, status=status, mimetype="application/json")

    @app.errorhandler(HTTPException)
    def http_error_answer(exc: HTTPException):
        return answer(*http_error(exc))

    @app.errorhandler(Exception)
    def unexpected_error_answer(exc: Exception):
        return answer(*unexpected_error())


def from_env() -> Flask:
    """Entry point for a WSGI server: ``gunicorn 'empathy_cues.service.app:from_env()'``. Logs as JSON lines at
    EMPATHY_LOG_LEVEL, like the queue worker (gunicorn configures only its own loggers)."""
    from ..logs import configure_logging

    import os

    os.umask(0o077)      # run straight under gunicorn (systemd, Docker): the SQLite files are 0600 too
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    return create_app(settings)
