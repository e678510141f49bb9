"""Crash safety: SIGKILL the web server and the workers at random moments while webhooks
arrive; afterwards every event that warranted a note has exactly one. The small version of
tests/benchmarks/crash_soak.py (10,000 events), both modes, real processes, real SQLite, real Redis."""
from __future__ import annotations

import pytest

from tests.ops_harness import run_crash_soak

# SIGKILLs a real deployment again and again: soak-like, the outer loop.
pytestmark = pytest.mark.slow


def check(result: dict) -> None:
    assert result["answers"]["failed"] == 0, result
    assert result["answers"]["retries"] > 0, "no webhook met a dead server: the kills missed the sending"
    assert result["lost"] == 0 and result["duplicated"] == 0 and result["unwarranted_notes"] == 0, result
    assert result["notes"] == result["warranted"] > 0


def test_embedded_mode_loses_and_duplicates_nothing_through_sigkills(tmp_path):
    result = run_crash_soak(tmp_path, events=300, kills=8, per_second=40, max_seconds=120, seed=3)
    assert result["kills"] == {"web": 4, "worker": 4}
    check(result)


def test_redis_mode_with_three_workers_loses_and_duplicates_nothing_through_sigkills(tmp_path, redis_url):
    # redis_url: a db leased by this test session and emptied around the test (conftest.py).
    result = run_crash_soak(tmp_path, events=300, kills=8, per_second=40, max_seconds=120, seed=5,
                            redis_url=redis_url, workers=3)
    assert result["kills"] == {"web": 4, "worker": 4}
    check(result)
