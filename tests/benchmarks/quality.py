"""Detection quality on the labelled real customer messages in ../shared/eval.

    python -m tests.benchmarks.quality [--eval-dir PATH] [--errors apology|priority] [--external]

Prints precision, recall, F1 and MCC for apology and priority, the recall on politely worded struggles
(apology owed while VADER's compound score is above -0.05), and the same figures for two baselines in
the same run: VADER (flag when compound < -0.05) and "always yes". Read the figures together: two thirds
of the messages owe an apology, so F1 alone flatters a detector that flags too much (eval/README.md).
The evaluation data is never copied into this repository (its licences forbid redistribution).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from empathy_cues import analyze

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def scores(truth: list[bool], predicted: list[bool]) -> dict[str, float]:
    tp = sum(t and p for t, p in zip(truth, predicted))
    fp = sum((not t) and p for t, p in zip(truth, predicted))
    fn = sum(t and (not p) for t, p in zip(truth, predicted))
    tn = sum((not t) and (not p) for t, p in zip(truth, predicted))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    mcc = (tp * tn - fp * fn) / denominator if denominator else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "mcc": mcc, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def line(name: str, s: dict[str, float]) -> str:
    return (f"  {name:<22} P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}  MCC {s['mcc']:.2f}"
            f"   (tp {s['tp']}, fp {s['fp']}, fn {s['fn']}, tn {s['tn']})")


def load(eval_dir: Path) -> tuple[list[dict], dict[str, dict]]:
    messages = [json.loads(x) for x in (eval_dir / "messages.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    labels = {}
    for raw in (eval_dir / "dev_labels.jsonl").read_text(encoding="utf-8").splitlines():
        if raw.strip():
            item = json.loads(raw)
            labels[item["id"]] = item
    return [m for m in messages if m["id"] in labels], labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--errors", choices=["apology", "priority"], help="list the messages this detector gets wrong")
    parser.add_argument("--external", action="store_true", help="also score the complaints corpus (../external)")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "messages.jsonl").is_file():
        print(f"quality: no evaluation data at {args.eval_dir} (expected messages.jsonl and dev_labels.jsonl)",
              file=sys.stderr)
        return 2
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("quality: vaderSentiment is needed for the baseline: pip install '.[test]'", file=sys.stderr)
        return 2
    vader = SentimentIntensityAnalyzer()
    messages, labels = load(args.eval_dir)

    truth_a, truth_p, ours_a, ours_p, vader_flag, polite = [], [], [], [], [], []
    by_source: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    wrong: list[tuple[str, bool, bool, str, list[str]]] = []
    for m in messages:
        label = labels[m["id"]]
        analysis = analyze(m["text"], channel=m.get("channel", "email"))
        compound = vader.polarity_scores(m["text"])["compound"]
        truth_a.append(label["apology"])
        truth_p.append(label["priority"])
        ours_a.append(analysis.apology)
        ours_p.append(analysis.priority)
        vader_flag.append(compound < -0.05)
        polite.append(label["apology"] and compound > -0.05)
        by_source[m["source"]].append((label["apology"], analysis.apology))
        if args.errors:
            truth = label[args.errors]
            got = getattr(analysis, args.errors)
            if truth != got:
                wrong.append((m["id"], truth, got, m["text"], [f"{c.cue_id}:{c.matched}" for c in analysis.cues]))

    n = len(messages)
    print(f"empathy-cues detection quality on {n} labelled messages ({args.eval_dir})")
    print("apology owed")
    print(line("empathy-cues", scores(truth_a, ours_a)))
    print(line("VADER compound < -0.05", scores(truth_a, vader_flag)))
    print(line("always yes", scores(truth_a, [True] * n)))
    print("priority follow-up owed")
    print(line("empathy-cues", scores(truth_p, ours_p)))
    print(line("VADER compound < -0.05", scores(truth_p, vader_flag)))
    print(line("always yes", scores(truth_p, [True] * n)))
    polite_total = sum(polite)
    polite_found = sum(p and o for p, o in zip(polite, ours_a))
    print(f"politely worded struggle: recall {polite_found / polite_total:.2f} ({polite_found} of {polite_total});"
          " VADER 0.00 by construction")
    print("apology by source (empathy-cues):")
    for source, pairs in sorted(by_source.items()):
        s = scores([t for t, _ in pairs], [p for _, p in pairs])
        print(f"  {source:<11} n {len(pairs):>3}  P {s['precision']:.2f}  R {s['recall']:.2f}  F1 {s['f1']:.2f}"
              f"  MCC {s['mcc']:.2f}")
    if args.external:
        external(args.eval_dir / "external" / "complaints.jsonl", vader)
        airline(args.eval_dir / "external" / "airline_sentiment.jsonl")
    for mid, truth, got, text, cues in wrong:
        print(f"\n[{'FN' if truth else 'FP'}] {mid}: {text[:300]!r}\n      cues: {cues}")
    return 0


def external(path: Path, vader) -> None:
    """The complaints corpus (Preotiuc-Pietro et al., 2019): their 'complaint' is close to, not the same as, ours."""
    if not path.is_file():
        return
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    truth = [bool(i["complaint"]) for i in items]
    ours = [analyze(i["text"], channel="social").apology for i in items]
    vader_flag = [vader.polarity_scores(i["text"])["compound"] < -0.05 for i in items]
    print(f"external: complaints corpus ({len(items)} tweets), 'complaint' vs our apology")
    print(line("empathy-cues", scores(truth, ours)))
    print(line("VADER compound < -0.05", scores(truth, vader_flag)))


def airline(path: Path) -> None:
    """Twitter US Airline Sentiment (crowd labels): how often an apology is flagged per sentiment."""
    if not path.is_file():
        return
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            item = json.loads(raw)
            a = analyze(item["text"], channel="social")
            row = counts[item["sentiment"]]
            row[0] += 1
            row[1] += a.apology
            row[2] += a.priority
    print("external: airline sentiment tweets, share flagged by empathy-cues")
    for sentiment in ("negative", "neutral", "positive"):
        n, apology, priority = counts[sentiment]
        if n:
            print(f"  {sentiment:<9} n {n:>5}  apology {apology / n:.2f}  priority {priority / n:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
