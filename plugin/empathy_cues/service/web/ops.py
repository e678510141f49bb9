"""GET /readyz (can this node take webhooks now?) and GET /metrics (Prometheus).

``/healthz`` (health.py) says the process is up; ``/readyz`` says it is *useful*: the queue answers, the
phrase packs load, and every enabled helpdesk has its credentials. A load balancer or Kubernetes
readiness probe should use ``/readyz`` and a liveness probe ``/healthz``, so a node whose Redis is
unreachable stops getting traffic without being restarted in a loop.
"""
from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, current_app, jsonify

from ...helpdesks.registry import REGISTRY

bp = Blueprint("ops", __name__)


def _checks() -> dict[str, str]:
    settings = current_app.config["EMPATHY_SETTINGS"]
    checks: dict[str, str] = {}
    try:
        current_app.extensions["empathy_queue"].pending_count()
        checks["queue"] = "ok"
    except Exception as exc:
        checks["queue"] = f"unreachable: {type(exc).__name__}"
    checks["packs"] = _packs_state()
    if not settings.enabled_helpdesks:
        checks["helpdesks"] = "none configured"
    for name in settings.enabled_helpdesks:
        cfg = settings.helpdesks[name]
        missing = [f for f in REGISTRY[name].readiness_fields if not getattr(cfg, f, "")]
        checks[name] = "ok" if not missing else "missing " + ", ".join(missing)
    return checks


@lru_cache(maxsize=1)
def _packs_state() -> str:
    """Load and validate the built-in pack once per process (the web node never matches, the workers do)."""
    try:
        from ...core.packs import load_builtin_pack

        pack = load_builtin_pack("en")
        return "ok" if pack.cues else "empty"
    except Exception as exc:
        return f"failed: {type(exc).__name__}"


@bp.get("/readyz")
def readyz():
    checks = _checks()
    ready = all(v == "ok" for v in checks.values())
    body: dict = {"ready": ready, "checks": checks}
    # Webhooks refused for their signature/secret: reported, but the node stays ready (refusals.py).
    from ..refusals import warnings

    found = warnings(current_app.config["EMPATHY_SETTINGS"].enabled_helpdesks,
                     since=current_app.config.get("EMPATHY_STARTED", 0.0))
    if found:
        body["warnings"] = found
    return jsonify(body), 200 if ready else 503


@bp.get("/metrics")
def metrics():
    from prometheus_client import CONTENT_TYPE_LATEST

    from ...metrics import render

    body = render(current_app.extensions["empathy_queue"], current_app.extensions["empathy_store"])
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
