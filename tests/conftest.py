# ==== webhook intake / queue fixtures (issue 4) ====
# Other engineers: add your fixtures in your own clearly named section below.
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
def intake_settings(tmp_path):
    from empathy_cues.settings import Settings

    return Settings.from_env(service_env(tmp_path / "data"))


@pytest.fixture
def redis_url():
    """The real Redis on 127.0.0.1:6379 (db 15). Skips only off CI when Redis is unreachable."""
    import redis

    url = os.environ.get("EMPATHY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI=true but {url} is unreachable")
        pytest.skip(f"Redis not reachable at {url} (set CI=true to make this a failure)")
    client.flushdb()
    yield url
    client.flushdb()
# ==== end of webhook intake / queue fixtures ====

# ==== helpdesk clients + stand-in helpdesks (issue 4) ====
from tests.fixtures_helpdesks import (  # noqa: E402,F401  (fixtures, registered by import)
    freshdesk_client,
    freshdesk_standin,
    refused_url,
    zendesk_client,
    zendesk_standin,
)
# ==== end of helpdesk clients fixtures ====
