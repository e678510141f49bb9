"""Review benchmark for the suggested replies: 40 dev messages, each note read and scored by a person.

Run from the repository root:  python -m tests.benchmarks.notes_review   (needs ../shared/eval)

It picks 40 messages from ``../shared/eval`` with a fixed seed (30 that owe an apology, 10 that do not,
by ``dev_labels.jsonl``), composes each note as the worker would, and writes the replies to
``notes.md`` beside this file: our generated replies only, each under the message's id, never the
message itself (the eval data's licence keeps it out of the repository). ``scores.yaml`` holds the
scores a person wrote after reading each note (rubric: ``shared/eval/NOTES-RUBRIC.md``), each with a
hash of the reply it judged. Every run regenerates the notes and reports which scored replies changed
since they were read, so a stale score shows instead of counting.

"Handled right" = a note scored X 2 on its current reply, or a message that rightly got no note.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parents[3] / "shared" / "eval"
NOTES = HERE / "notes.md"
SCORES = HERE / "scores.yaml"
SEED = 13
OWED, NOT_OWED = 30, 10
RUBRIC = ("D", "P", "F", "A", "O", "N", "T", "L", "X")


@dataclass(frozen=True)
class Reviewed:
    id: str
    channel: str
    apology_label: bool
    priority_label: bool
    apology: bool
    priority: bool
    situation: str
    severity: int
    asks: tuple[str, ...]
    reply: str

    @property
    def reply_hash(self) -> str:
        return hashlib.sha1(self.reply.encode("utf-8")).hexdigest()[:10]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chosen_ids(eval_dir: Path = EVAL) -> list[str]:
    labels = _jsonl(eval_dir / "dev_labels.jsonl")
    owed = sorted(r["id"] for r in labels if r["apology"])
    not_owed = sorted(r["id"] for r in labels if not r["apology"])
    rng = random.Random(SEED)
    return sorted(rng.sample(owed, OWED)) + sorted(rng.sample(not_owed, NOT_OWED))


def review(eval_dir: Path = EVAL) -> list[Reviewed]:
    from empathy_cues import analyze
    from empathy_cues.reply import compose_note

    messages = {m["id"]: m for m in _jsonl(eval_dir / "messages.jsonl")}
    labels = {r["id"]: r for r in _jsonl(eval_dir / "dev_labels.jsonl")}
    out = []
    for mid in chosen_ids(eval_dir):
        m = messages[mid]
        a = analyze(m["text"], channel=m["channel"])
        note = compose_note(a, ticket_id=mid)
        out.append(Reviewed(mid, m["channel"], labels[mid]["apology"], labels[mid]["priority"], a.apology,
                            a.priority, a.situation, a.severity, tuple(a.asks), note.reply))
    return out


@dataclass
class Summary:
    handled: int = 0
    right_notes: int = 0
    right_quiet: int = 0
    offensive: int = 0
    ungrammatical: int = 0
    current: int = 0
    stale: list[str] = field(default_factory=list)
    unscored: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: {k: 0 for k in RUBRIC})


def summarise(rows: list[Reviewed], scores: dict) -> Summary:
    """Count what the scores say, only for scores written against the reply as it is now."""
    s = Summary()
    for r in rows:
        score = scores.get(r.id)
        if not score:
            s.unscored.append(r.id)
            continue
        if str(score.get("hash")) != r.reply_hash:   # (YAML reads a hash of digits alone as a number)
            s.stale.append(r.id)
            continue
        s.current += 1
        flags = set(score.get("flags") or ())
        s.offensive += "offensive" in flags
        s.ungrammatical += "ungrammatical" in flags
        if not r.reply:
            s.right_quiet += not r.apology_label
        else:
            s.right_notes += score.get("X") == 2
            for k in RUBRIC:
                s.totals[k] += int(score.get(k, 0))
    s.handled = s.right_notes + s.right_quiet
    return s
