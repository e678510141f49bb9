"""GET /healthz: liveness — the process is up (always 200 while it answers), with what is enabled and
the queue's state for a human reading it. Readiness (queue reachable, packs, credentials) is /readyz."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    settings = current_app.config["EMPATHY_SETTINGS"]
    queue = current_app.extensions["empathy_queue"]
    body: dict = {"status": "ok", "helpdesks": list(settings.enabled_helpdesks), "dry_run": settings.dry_run,
                  "queue": {"backend": "redis" if settings.uses_redis else "sqlite"}}
    try:
        body["queue"]["pending"] = queue.pending_count()
    except Exception as exc:  # the queue is down: reported here, but /readyz is what takes the node out
        body["queue"]["error"] = type(exc).__name__
    if not settings.enabled_helpdesks:
        body["setup"] = settings.setup_hint()
    return jsonify(body), 200
