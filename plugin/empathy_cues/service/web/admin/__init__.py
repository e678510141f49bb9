"""The admin page under ``/admin``: Try it, Recent decisions, Cues and QA, server-rendered.

Off unless ``EMPATHY_ADMIN_PAGE_TOKEN`` (or ``_FILE``) is set: every ``/admin`` URL then answers 404 with
a page that says how to turn it on. On, every page but the sign-in form needs a session:

* sign-in with the token (access.py: held as hashes, compared in constant time), at most a few tries a
  minute per client and overall, counted where every web worker sees them (throttle.py);
* the session is a signed cookie (Flask's, keyed by an HMAC of the token) limited to ``/admin``,
  HttpOnly, SameSite=Lax, Secure whenever the request came over TLS (gunicorn sets the scheme from the
  proxy's X-Forwarded-Proto for the addresses in ``forwarded_allow_ips``), and valid for 8 hours;
* every POST carries a CSRF token (Flask-WTF) and, when the browser sends an Origin, comes from this
  origin; customer text travels only in POST bodies and never reaches a log line.

Registered by ``app.create_app`` with one call to :func:`register`.
"""
from __future__ import annotations

from datetime import timedelta

PREFIX = "/admin"
SESSION_HOURS = 8


def register(app) -> None:
    """Add the admin blueprint to the Flask ``app``; when the page is on, the session and CSRF settings
    it needs. (Imports happen here: settings.py imports this package for access.py alone.)"""
    from . import pages, views  # noqa: F401  (their routes, on the blueprint)
    from .blueprint import bp
    from .session import AdminSessionInterface

    settings = app.config["EMPATHY_SETTINGS"]
    access = settings.admin_page
    if access is not None:
        from flask_wtf.csrf import CSRFProtect

        from .throttle import SignInThrottle, counter_for

        app.secret_key = access.session_key
        app.session_interface = AdminSessionInterface()
        app.config.update(
            SESSION_COOKIE_NAME="empathy_admin",
            SESSION_COOKIE_PATH=PREFIX,
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
            # The admin blueprint checks CSRF itself (views.py), so the webhooks are never touched.
            WTF_CSRF_CHECK_DEFAULT=False,
            WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        )
        app.extensions["empathy_admin_csrf"] = CSRFProtect(app)
        app.extensions["empathy_admin_throttle"] = SignInThrottle(counter_for(settings))
    app.register_blueprint(bp)
