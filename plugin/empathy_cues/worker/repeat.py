"""The queue worker's background duties (the sweep, taking back orphaned events, WAL checkpoints): one
step every few seconds, forever, with one log line when a step starts failing and one when it works
again, never one a round (a store that is down for an hour would otherwise log hundreds of tracebacks)."""
from __future__ import annotations

import logging
import time
from typing import Callable


def repeat(step: Callable[[], None], *, every: float, what: str, log: logging.Logger,
           level: int = logging.ERROR, sleep: Callable[[float], None] = time.sleep) -> None:
    """Run ``step`` every ``every`` seconds for as long as the process lives. A failure is logged at
    ``level`` ("<what> failed: <kind>: <why>") when it starts, and its end with "<what> works again"."""
    failing = False
    while True:
        try:
            step()
        except Exception as exc:
            if not failing:
                log.log(level, "%s failed: %s: %s", what, type(exc).__name__, str(exc)[:200])
            failing = True
        else:
            if failing:
                log.warning("%s works again", what)
            failing = False
        sleep(every)
