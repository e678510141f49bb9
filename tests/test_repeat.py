"""The queue worker's background duties log one line when a step starts failing and one when it works
again, never one a round (worker/repeat.py)."""
from __future__ import annotations

import logging

import pytest

from empathy_cues.worker.repeat import repeat


def test_a_failing_step_is_logged_once_and_its_recovery_once(caplog):
    outcomes = iter([None, OSError("disk gone"), OSError("disk gone"), OSError("disk gone"), None, None,
                     ValueError("bad"), None])
    rounds = []

    def step():
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 8:
            raise SystemExit

    log = logging.getLogger("test.repeat")
    with caplog.at_level(logging.WARNING, logger="test.repeat"), pytest.raises(SystemExit):
        repeat(step, every=3, what="sweep", log=log, sleep=sleep)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [("ERROR", "sweep failed: OSError: disk gone"), ("WARNING", "sweep works again"),
                     ("ERROR", "sweep failed: ValueError: bad"), ("WARNING", "sweep works again")]
    assert rounds == [3] * 8
