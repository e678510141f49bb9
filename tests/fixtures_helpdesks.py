"""Fixtures for the helpdesk clients: loopback stand-ins and clients pointed at them.

Registered for the whole suite by the helpdesk-clients section of ``tests/conftest.py``.
"""
from __future__ import annotations

import socket
from typing import Iterator

import pytest

from empathy_cues.helpdesks.freshdesk.client import FreshdeskClient
from empathy_cues.helpdesks.zendesk.client import ZendeskClient
from tests.standin import FreshdeskStandin, ZendeskStandin

# Short timeouts keep failure tests fast; the stand-ins answer in milliseconds otherwise.
TEST_TIMEOUT = (0.5, 0.5)


@pytest.fixture
def zendesk_standin() -> Iterator[ZendeskStandin]:
    with ZendeskStandin(subdomain="acme", email="bot@acme.test", api_token="zd-token") as standin:
        yield standin


@pytest.fixture
def freshdesk_standin() -> Iterator[FreshdeskStandin]:
    with FreshdeskStandin(domain="acme", api_key="fd-key") as standin:
        yield standin


@pytest.fixture
def zendesk_client(zendesk_standin: ZendeskStandin) -> ZendeskClient:
    return ZendeskClient(subdomain="acme", email="bot@acme.test", api_token="zd-token",
                         api_url=zendesk_standin.url, timeout=TEST_TIMEOUT)


@pytest.fixture
def freshdesk_client(freshdesk_standin: FreshdeskStandin) -> FreshdeskClient:
    return FreshdeskClient(domain="acme", api_key="fd-key", api_url=freshdesk_standin.url, timeout=TEST_TIMEOUT)


@pytest.fixture
def refused_url() -> str:
    """A loopback URL where nothing listens (the port was just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def timed_out(error: BaseException) -> bool:
    """A requests timeout somewhere in the chain of causes of ``error`` (a client gave up waiting)."""
    import requests

    seen = error
    while seen is not None:
        if isinstance(seen, requests.Timeout):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
