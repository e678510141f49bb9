"""The admin blueprint: the gate every request passes (page on? signed in? CSRF? same origin?), sign-in
and sign-out, and Try it. The reading pages are in pages.py."""
from __future__ import annotations

import logging
from ipaddress import ip_address
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from . import PREFIX
from .blueprint import bp, plugin_config
from .forms import SignInForm, TryForm

log = logging.getLogger("empathy_cues.admin")


OPEN_ENDPOINTS = {"admin.sign_in", "admin.static"}     # reachable without a session
NAV = (("admin.try_it", "Try it"), ("admin.decisions", "Recent decisions"), ("admin.cues", "Cues"),
       ("admin.qa", "QA"))

# Sent with every admin response: no script at all, styles only from our own file, not framed, not
# cached (the pages show customers' words), no referrer beyond this origin.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _access():
    return current_app.config["EMPATHY_SETTINGS"].admin_page


@bp.before_request
def gate():
    if _access() is None:
        return render_template("admin/off.html"), 404
    signed_in = bool(session.get("admin"))
    if request.endpoint not in OPEN_ENDPOINTS and not signed_in:
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("admin.sign_in", next=request.path), code=303)
        abort(401)
    if request.method == "POST":
        _same_origin()
        current_app.extensions["empathy_admin_csrf"].protect()     # CSRFError (400) when missing or wrong


def _same_origin() -> None:
    """A browser names the page a POST comes from (Origin); one from another site is refused outright,
    before its CSRF token is even read."""
    origin = request.headers.get("Origin")
    here = f"{request.scheme}://{request.host}"
    if origin and origin != here:
        # Behind a TLS proxy whose X-Forwarded-Proto gunicorn does not trust, every form lands here: say so.
        abort(403, f"this form was sent from {origin[:100]}, not from {here} (behind a TLS proxy, list the proxy's "
                   "address in FORWARDED_ALLOW_IPS so the server knows it is reached over https)")


@bp.after_request
def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


@bp.errorhandler(HTTPException)
def error_page(exc: HTTPException):
    if _access() is None:
        return render_template("admin/off.html"), 404
    response = current_app.make_response((render_template("admin/error.html", error=exc), exc.code))
    if exc.code == 429 and getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.app_context_processor
def page_globals():
    if not request.blueprint == "admin":
        return {}
    return {"nav": [(e, label) for e, label in NAV if e in current_app.view_functions],
            "signed_in": bool(session.get("admin"))}


@bp.get("/")
def home():
    return redirect(url_for("admin.try_it"), code=303)


def client_address() -> str:
    """The address sign-in attempts are counted against. Behind the TLS proxy (on this host, or in the
    compose network) every request comes from the proxy, so its X-Forwarded-For (the last entry: the
    address the proxy saw) names the client; from a public peer the peer itself does, whatever the
    headers claim. A made-up header from a private network still meets the overall limit (throttle.py)."""
    peer = request.remote_addr or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        address = ip_address(peer)
        from_proxy = bool(forwarded) and (address.is_loopback or address.is_private)
    except ValueError:
        from_proxy = False
    return forwarded.split(",")[-1].strip()[:64] if from_proxy else peer


class TooManyAttempts(HTTPException):
    code = 429
    description = "Too many sign-in attempts: wait a minute and try again."

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    target = _safe_next(request.args.get("next"))
    if request.method == "POST":
        allowed, wait = current_app.extensions["empathy_admin_throttle"].allow(client_address())
        if not allowed:
            log.warning("admin sign-in refused: too many attempts")
            raise TooManyAttempts(wait)
        if form.validate_on_submit() and _access().matches(form.token.data):
            session.clear()                       # a fresh session: nothing from before sign-in carries over
            session.permanent = True
            session["admin"] = True
            log.info("admin signed in")
            return redirect(target, code=303)
        log.info("admin sign-in failed")
        return render_template("admin/sign_in.html", form=form, failed=True), 401
    if session.get("admin"):
        return redirect(target, code=303)
    return render_template("admin/sign_in.html", form=form, failed=False)


def _safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this admin page only (never another site)."""
    parts = urlsplit(value or "")
    if value and not parts.scheme and not parts.netloc and parts.path.startswith(PREFIX + "/") \
            and "\\" not in value:
        return parts.path
    return url_for("admin.try_it")


@bp.post("/sign-out")
def sign_out():
    session.clear()
    return redirect(url_for("admin.sign_in"), code=303)


@bp.route("/try", methods=["GET", "POST"])
def try_it():
    """The result is the answer to the POST itself: the message never travels in a URL."""
    form = TryForm()
    outcome = None
    if request.method == "POST" and form.validate():
        from .tryit import try_message

        outcome = try_message(form.text.data, subject=form.subject.data or "", channel=form.channel.data,
                              policy=_policy())
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template("admin/try.html", form=form, outcome=outcome), status


def _policy():
    """Tag names and response targets, as the worker reads them."""
    return plugin_config().policy

