"""Who may open the admin page: one token, set by the operator, held in this process only as hashes.

``EMPATHY_ADMIN_PAGE_TOKEN`` (or ``EMPATHY_ADMIN_PAGE_TOKEN_FILE``: settings.py reads the file and
refuses a placeholder, as for every other secret) turns the admin page on; unset, the page is off and
says so. At start-up the token becomes two values and is then dropped:

* ``digest``: SHA-256 of the token, what a sign-in is compared against with ``hmac.compare_digest``
  (a constant-time comparison of equal-length digests: the time it takes says nothing about the token).
  A plain hash is enough because the token must be long and random (``MIN_TOKEN_CHARS``): there is no
  dictionary to try, and sign-in is rate limited besides (throttle.py).
* ``session_key``: an HMAC of the token, the key that signs the session cookie and the CSRF tokens.
  Every web worker derives the same key, so a cookie signed by one is valid on the others, and a new
  token ends every session signed with the old one.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Mapping

from ....errors import ConfigError

TOKEN_VARIABLE = "EMPATHY_ADMIN_PAGE_TOKEN"
MIN_TOKEN_CHARS = 24          # e.g. `python3 -c "import secrets; print(secrets.token_urlsafe(32))"`
_SESSION_LABEL = b"empathy-cues admin page session key"


@dataclass(frozen=True)
class AdminAccess:
    digest: bytes = field(repr=False)
    session_key: bytes = field(repr=False)

    @classmethod
    def from_token(cls, token: str) -> "AdminAccess":
        raw = token.encode("utf-8")
        return cls(hashlib.sha256(raw).digest(), hmac.new(raw, _SESSION_LABEL, hashlib.sha256).digest())

    def matches(self, candidate: str) -> bool:
        """Whether ``candidate`` is the token, in time that does not depend on how much of it is right."""
        given = hashlib.sha256(candidate.encode("utf-8", "surrogatepass")).digest()
        return hmac.compare_digest(given, self.digest)


def from_env(env: Mapping[str, str]) -> AdminAccess | None:
    """The admin page's access from the environment (secret files already read), or None: page off."""
    token = (env.get(TOKEN_VARIABLE) or "").strip()
    if not token:
        return None
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"{TOKEN_VARIABLE} must be at least {MIN_TOKEN_CHARS} characters of random text "
                          "(e.g. the output of `python3 -c \"import secrets; print(secrets.token_urlsafe(32))\"`)")
    return AdminAccess.from_token(token)
