"""GET /healthz: is the process up, what is enabled, can the queue be reached."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from ..settings import setup_hint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    settings = current_app.config["EMPATHY_SETTINGS"]
    queue = current_app.extensions["empathy_queue"]
    body: dict = {"status": "ok", "helpdesks": list(settings.enabled_helpdesks), "dry_run": settings.dry_run,
                  "queue": {"backend": "redis" if settings.uses_redis else "sqlite"}}
    try:
        body["queue"]["pending"] = queue.pending_count()
    except Exception as exc:  # the queue is down: say so, with 503, so a load balancer stops sending
        body["status"] = "degraded"
        body["queue"]["error"] = type(exc).__name__
        return jsonify(body), 503
    if not settings.enabled_helpdesks:
        body["setup"] = setup_hint()
    return jsonify(body), 200
