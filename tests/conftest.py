# ==== webhook intake / queue fixtures ====
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"
ZENDESK_SECRET = "dGVzdC1zaWduaW5nLXNlY3JldC1mb3ItemVuZGVzaw=="
FRESHDESK_SECRET = "fd-shared-secret-0123456789"


def sample_bytes(helpdesk: str, name: str) -> bytes:
    return (SAMPLES / helpdesk / name).read_bytes()


def sample_json(helpdesk: str, name: str) -> dict:
    return json.loads(sample_bytes(helpdesk, name))


def service_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment with both helpdesks configured against loopback stand-ins (or nothing, if unset)."""
    env = {
        "EMPATHY_DATA_DIR": str(data_dir),
        "EMPATHY_ZENDESK_SUBDOMAIN": "acme",
        "EMPATHY_ZENDESK_EMAIL": "bot@acme.test",
        "EMPATHY_ZENDESK_API_TOKEN": "zd-token",
        "EMPATHY_ZENDESK_WEBHOOK_SECRET": ZENDESK_SECRET,
        "EMPATHY_FRESHDESK_DOMAIN": "acme",
        "EMPATHY_FRESHDESK_API_KEY": "fd-key",
        "EMPATHY_FRESHDESK_WEBHOOK_SECRET": FRESHDESK_SECRET,
    }
    env.update(extra)
    return env


@pytest.fixture
def app(tmp_path):
    """The real Flask app (SQLite queue, no worker running) with both helpdesks configured."""
    from empathy_cues.service.app import create_app
    from empathy_cues.service.settings import Settings

    return create_app(Settings.from_env(service_env(tmp_path / "data")))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def intake_settings(tmp_path):
    from empathy_cues.service.settings import Settings

    return Settings.from_env(service_env(tmp_path / "data"))


_REDIS_BASE = "redis://127.0.0.1:6379"
_REDIS_DBS = (15, 14, 11, 10, 9, 8)     # 13 is the rate-limiter tests' db (test_ops_ratelimit_redis.py)


@pytest.fixture(scope="session")
def _redis_db():
    """A Redis db of our own for this test session: (url, None) or (None, why it is unusable).

    Several test sessions may share one Redis (parallel runs on one machine); each flushes its db, so
    each leases one: ``SET NX EX`` on a lease key in db 0, released at the end. EMPATHY_TEST_REDIS_URL
    overrides the choice.
    """
    import uuid

    import redis

    fixed = os.environ.get("EMPATHY_TEST_REDIS_URL")
    leases = redis.Redis.from_url(_REDIS_BASE + "/0")
    try:
        leases.ping()
    except redis.exceptions.ConnectionError:
        yield None, f"Redis not reachable at {fixed or _REDIS_BASE}"
        return
    if fixed:
        yield fixed, None
        return
    token = uuid.uuid4().hex
    for db in _REDIS_DBS:
        if leases.set(f"empathy-cues:test-lease:{db}", token, nx=True, ex=1800):
            break
    else:
        yield None, f"every test db {_REDIS_DBS} of {_REDIS_BASE} is leased by another test session"
        return
    try:
        yield f"{_REDIS_BASE}/{db}", None
    finally:
        if leases.get(f"empathy-cues:test-lease:{db}") == token.encode():
            leases.delete(f"empathy-cues:test-lease:{db}")


@pytest.fixture
def redis_url(_redis_db):
    """The real Redis on 127.0.0.1:6379, a db leased for this session and emptied around each test.
    Skips only off CI when Redis is unreachable."""
    import redis

    url, problem = _redis_db
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI=true: {problem}")
        pytest.skip(f"{problem} (set CI=true to make this a failure)")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
# ==== end of webhook intake / queue fixtures ====

# ==== helpdesk clients + stand-in helpdesks ====
from tests.fixtures_helpdesks import (  # noqa: E402,F401  (fixtures, registered by import)
    freshdesk_client,
    freshdesk_standin,
    refused_url,
    zendesk_client,
    zendesk_standin,
)
# ==== end of helpdesk clients fixtures ====
