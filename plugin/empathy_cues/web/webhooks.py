"""Webhook endpoints: raw bytes and headers in, the intake's answer out. Nothing else happens here."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request

bp = Blueprint("webhooks", __name__)


@bp.post("/webhooks/<any(zendesk, freshdesk):helpdesk>")
def receive(helpdesk: str):
    # The raw bytes, never request.json first: the signature covers the exact bytes sent.
    raw = request.get_data(cache=False)
    status, body = current_app.extensions["empathy_intake"].receive(helpdesk, raw, request.headers)
    # A small flat dict of strings: json.dumps straight into a Response costs a fifth of jsonify, which
    # goes through Flask's JSON provider (sorting, app-context look-ups) on the busiest path we have.
    return Response(json.dumps(body, separators=(",", ":")), status=status, mimetype="application/json")
