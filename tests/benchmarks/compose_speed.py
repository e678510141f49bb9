"""How much composing the note adds to analysing a message (the budget: at most 0.2 ms median).

Run from the repository root:  python -m tests.benchmarks.compose_speed
Prints median and p99 in microseconds for analyze() alone and analyze() + compose_note() on ~1 KB
messages built from the golden cases, and the difference of the medians.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from empathy_cues import analyze
from empathy_cues.reply import compose_note

ROUNDS = 30


def messages() -> list[tuple[str, str]]:
    cases = yaml.safe_load((Path(__file__).parent.parent / "golden" / "compose_cases.yaml").read_text("utf-8"))
    out = []
    for i, case in enumerate(cases):
        # Pad each message to about 1 KB with neighbouring cases' text, as a long email would be.
        text = case["text"]
        j = i
        while len(text) < 1000:
            j = (j + 1) % len(cases)
            text += "\n\n" + cases[j]["text"]
        out.append((text[:1024], case["channel"]))
    return out


def measure(fn, items) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for n, (text, channel) in enumerate(items):
            t0 = time.perf_counter_ns()
            fn(text, channel, n)
            samples.append((time.perf_counter_ns() - t0) / 1000)
    return samples


def main() -> None:
    items = messages()

    def analyse_only(text, channel, n):
        analyze(text, channel=channel)

    def analyse_and_compose(text, channel, n):
        compose_note(analyze(text, channel=channel), ticket_id=str(n), customer_name="Sam Lee")

    for _ in range(3):  # warm up: pack, templates, memo caches
        measure(analyse_and_compose, items[:5])
    alone = measure(analyse_only, items)
    both = measure(analyse_and_compose, items)
    # The composer alone, on analyses computed beforehand.
    analyses = [analyze(t, channel=c) for t, c in items]
    compose_only = []
    for _ in range(ROUNDS):
        for n, a in enumerate(analyses):
            t0 = time.perf_counter_ns()
            compose_note(a, ticket_id=str(n), customer_name="Sam Lee")
            compose_only.append((time.perf_counter_ns() - t0) / 1000)

    def line(label, xs):
        xs = sorted(xs)
        p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
        print(f"{label:<32} median {statistics.median(xs):8.1f} µs   p99 {p99:8.1f} µs   (n={len(xs)})")

    print(f"{len(items)} messages of ~{sum(len(t) for t, _ in items) // len(items)} characters, {ROUNDS} rounds")
    line("analyze()", alone)
    line("analyze() + compose_note()", both)
    line("compose_note() alone", compose_only)
    added = statistics.median(both) - statistics.median(alone)
    print(f"composing adds {added:.1f} µs median (budget 200 µs)")


if __name__ == "__main__":
    main()
