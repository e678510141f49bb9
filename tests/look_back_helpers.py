"""Helpers for the preview and backfill tests: invented customer messages, seeding the stand-ins, running
the real `empathy-cues` command with its stderr on a pseudo-terminal (so its progress bar shows)."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

EXE = str(Path(sys.executable).with_name("empathy-cues"))

# Invented messages (never from the evaluation data): troubles of every kind, and some that owe nothing.
MESSAGES = [
    ("Order missing", "My order hasn't arrived and it was due on Monday. Where is it?"),
    ("Charged twice", "I was charged twice for the same subscription this month, please refund one."),
    ("Can't log in", "I tried to reset my password three times but the email never comes."),
    ("Thanks!", "Thanks so much, the new dashboard is lovely."),
    ("App crashes", "The app crashes every time I open the camera. So frustrating!!"),
    ("Question", "How do I add a second user to my account?"),
    ("Flight cancelled", "My flight to Lisbon was cancelled and nobody told me. I'm stuck at the airport with two kids."),
    ("Cancel please", "Please cancel my plan, I'm switching to another provider."),
    ("Export", "Love the app! I tried to export my data but can't seem to find where."),
    ("Site down", "Your website has been down all morning and I can't place an order."),
    ("Refund status", "Still waiting for my refund, it's been three weeks. This is the third time I ask."),
    ("Hello", "Just wanted to say the support team was great yesterday."),
    ("Broken lamp", "The lamp arrived cracked and the box was soaked."),
    ("Rude driver", "The delivery driver shouted at me and threw the parcel on the ground."),
    ("Invoice", "Could you send me a copy of my last invoice?"),
    ("Loss", "My father passed away last week and I need to close his account. Please help."),
]


def ticket_text(n: int) -> tuple[str, str]:
    return MESSAGES[n % len(MESSAGES)]


def seed_zendesk(zd, count: int, *, now: datetime) -> None:
    zd.start_clock_at(now)
    for n in range(1, count + 1):
        subject, text = ticket_text(n)
        zd.add_ticket(n, comments=[{"body": text, "author_id": 5000 + n}], subject=subject, requester_id=5000 + n)
        zd.set_times(n, created_at=now - timedelta(hours=1 + n % 48), updated_at=now - timedelta(minutes=count - n + 1))


def seed_freshdesk(fd, count: int, *, now: datetime, closed_every: int = 0) -> None:
    fd.start_clock_at(now)
    for n in range(1, count + 1):
        subject, text = ticket_text(n)
        fd.add_ticket(n, description=f"<div>{text}</div>", subject=subject, requester_id=5000 + n)
        fd.set_times(n, created_at=now - timedelta(hours=1 + n % 48), updated_at=now - timedelta(minutes=count - n + 1))
        if closed_every and n % closed_every == 0:
            fd.tickets[n]["status"] = 5          # Closed


def fail_after(standin, method: str, path: str, calls: int, **fault) -> None:
    """The call after the first ``calls`` matching ones gets ``fault`` (e.g. a 429 halfway through)."""
    seen = {"n": 0}

    def hook() -> None:
        seen["n"] += 1
        if seen["n"] >= calls:
            standin.fail_next(1, method=method, path=path, **fault)
        else:
            standin.after_next(method, path, hook)

    standin.after_next(method, path, hook)


class Terminal:
    """The master side of a pseudo-terminal, read all along (a full terminal buffer would block the writer)."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        self.chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while True:
            try:
                ready = select.select([self.master], [], [], 0.2)[0]
                data = os.read(self.master, 65536) if ready else b""
            except OSError:
                return
            if ready and not data:
                return
            self.chunks.append(data)

    def text(self) -> str:
        self._thread.join(timeout=2)
        return b"".join(self.chunks).decode(errors="replace")


def start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, Terminal]:
    """The command with stdout piped and stderr on a pseudo-terminal; (process, terminal)."""
    terminal = Terminal()
    proc = subprocess.Popen([EXE, *args], env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=terminal.slave,
                            stdin=subprocess.DEVNULL)
    os.close(terminal.slave)
    return proc, terminal


def finish(proc: subprocess.Popen, terminal: Terminal, timeout: float = 120) -> tuple[int, str, str]:
    """(exit code, stdout, what the terminal showed on stderr)."""
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), terminal.text()


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[int, str, str]:
    proc, master = start(args, env)
    return finish(proc, master, timeout)


def scan_figures(tmp_path: Path, count: int) -> dict[str, dict]:
    """`scan --jsonl` on the same texts (the plain words the tickets hold), by ticket id."""
    lines = [json.dumps({"id": str(n), "text": ticket_text(n)[1], "subject": ticket_text(n)[0], "channel": "email"})
             for n in range(1, count + 1)]
    source = tmp_path / "same-texts.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run([EXE, "scan", "--jsonl", str(source)], capture_output=True, text=True, check=True).stdout
    return {row["id"]: row for row in map(json.loads, out.splitlines())}


def compare(csv_text: str, scanned: dict[str, dict]) -> Counter:
    """Every ticket's figures from the preview CSV against `scan --jsonl`'s; returns the preview's counts."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == len(scanned) and {r["id"] for r in rows} == set(scanned)
    counts: Counter = Counter()
    for row in rows:
        theirs = scanned[row["id"]]
        assert row["apology"] == str(theirs["apology"]) and row["priority"] == str(theirs["priority"]), row["id"]
        assert row["situation"] == theirs["situation"] and int(row["severity"]) == theirs["severity"], row["id"]
        assert sorted(row["cues"].split()) == sorted({c["category"] for c in theirs["cues"]}), row["id"]
        assert row["tags"].split() == theirs["tags"], row["id"]
        counts.update({"apology": row["apology"] == "True", "priority": row["priority"] == "True",
                       f"situation:{row['situation']}": 1, f"severity:{row['severity']}": 1})
    return counts


def now() -> datetime:
    return datetime.now(timezone.utc)
