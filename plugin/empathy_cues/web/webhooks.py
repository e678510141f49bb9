"""Webhook endpoints: raw bytes and headers in, the intake's answer out. Nothing else happens here."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

bp = Blueprint("webhooks", __name__)


@bp.post("/webhooks/<any(zendesk, freshdesk):helpdesk>")
def receive(helpdesk: str):
    # The raw bytes, never request.json first: the signature covers the exact bytes sent.
    raw = request.get_data(cache=False)
    status, body = current_app.extensions["empathy_intake"].receive(helpdesk, raw, request.headers)
    return jsonify(body), status
