"""The admin page's session: Flask's signed cookie, opened only under /admin, Secure over TLS."""
from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface

from . import PREFIX


class AdminSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened only under /admin (the webhooks never pay for it) and
    marked Secure whenever the request itself came over TLS."""

    def open_session(self, app, request_):
        if not request_.path.startswith(PREFIX):
            return None          # Flask then uses a null session: nothing read, nothing written
        return super().open_session(app, request_)

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure
