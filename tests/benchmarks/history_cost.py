"""What the requester's history costs the worker, beyond the one API call.

Run from the repository root:  python -m tests.benchmarks.history_cost
For a message that owes a note, the worker reads every earlier ticket in the answer (at most 100, one page)
with the understanding to find those about the same matter. Prints the median and p99 in milliseconds of
``find_repeat`` + ``with_history`` over 10, 50 and 100 earlier tickets (invented messages), on one core.
The worker remembers each earlier ticket's situation (history_lookup.HistoryLookup.remembered), so this
is paid once per earlier ticket, not once per message; the last line is a second message of the requester.
"""
from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone

from empathy_cues import analyze
from empathy_cues.core.decision import Policy
from empathy_cues.core.history import EarlierTicket, HistorySettings, find_repeat, with_history
from tests.look_back_helpers import MESSAGES

ROUNDS = 20


def main() -> None:
    now = datetime.now(timezone.utc)
    current = analyze("My order hasn't arrived and it was due last Tuesday.", subject="Late order")
    policy, settings = Policy(), HistorySettings()

    def situation_of(ticket: EarlierTicket) -> str:
        return analyze(ticket.text, subject=ticket.subject, policy=policy).situation

    for count in (10, 50, 100):
        earlier = [EarlierTicket(str(n), now - timedelta(hours=n), *MESSAGES[n % len(MESSAGES)]) for n in range(count)]
        samples = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            with_history(current, find_repeat(current, "x", earlier, now=now, settings=settings,
                                              situation_of=situation_of), policy)
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        print(f"{count:>4} earlier tickets: median {statistics.median(samples):6.1f} ms, "
              f"p99 {samples[int(len(samples) * 0.99) - 1]:6.1f} ms")
    known = {t.ticket_id: situation_of(t) for t in earlier}
    samples = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        with_history(current, find_repeat(current, "x", earlier, now=now, settings=settings,
                                          situation_of=lambda t: known[t.ticket_id]), policy)
        samples.append((time.perf_counter() - t0) * 1000)
    print(f" 100 earlier tickets, situations remembered: median {statistics.median(samples):6.2f} ms")


if __name__ == "__main__":
    main()
