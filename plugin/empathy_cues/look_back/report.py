"""The reports of `preview` and `backfill`: a table for people, CSV for spreadsheets, one HTML page.

Pure: rows (``look_back.row_for``: ids, flags, tags, situation, severity, cue categories - never the
customer's words) and a heading in, text out.
"""
from __future__ import annotations

import csv
import html
import io
from collections import Counter

from .scan import Summary

CSV_FIELDS = ("id", "open", "note", "apology", "priority", "situation", "severity", "cues", "tags", "action")


def _counts(counter) -> list[tuple[str, int]]:
    """Most frequent first; severities (0-3) in their own order."""
    if all(name.isdigit() for name in counter):
        return sorted(counter.items())
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def table(rows: list[dict], heading: str) -> str:
    s = Summary.of(rows)
    lines = [heading,
             f"Tickets read: {s.tickets}    would get a note: {s.notes}    apology: {s.apology}    "
             f"priority: {s.priority}", ""]
    for title, counter in (("By situation", s.situations), ("By severity", s.severities), ("By cue", s.cues)):
        lines.append(f"{title}:")
        lines += [f"  {name:<20} {count:>6}" for name, count in _counts(counter)] or ["  (none)"]
        lines.append("")
    actions = Counter(r["action"] for r in rows if r.get("action"))
    if actions:
        lines += ["Backfill:"] + [f"  {name:<20} {count:>6}" for name, count in _counts(actions)] + [""]
    noted = [r for r in rows if r["note"]]
    lines.append("Would be tagged and noted:" if noted else "No ticket would get a note.")
    lines += [f"  #{r['id']:<10} {'priority' if r['priority'] else 'apology':<9} {' '.join(r['tags'])}"
              + (f"  ({r['action']})" if r.get("action") else "") for r in noted]
    return "\n".join(lines)


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "cues": " ".join(row["cues"]), "tags": " ".join(row["tags"])})
    return out.getvalue()


def as_html(rows: list[dict], heading: str) -> str:
    s = Summary.of(rows)
    e = html.escape

    def counts(title: str, counter) -> str:
        body = "".join(f"<tr><td>{e(name)}</td><td>{count}</td></tr>" for name, count in _counts(counter))
        return f"<h2>{e(title)}</h2><table><tr><th>{e(title.split()[-1])}</th><th>tickets</th></tr>{body}</table>"

    tickets = "".join(
        f"<tr><td>{e(r['id'])}</td><td>{'yes' if r['apology'] else 'no'}</td><td>{'yes' if r['priority'] else 'no'}</td>"
        f"<td>{e(r['situation'])}</td><td>{r['severity']}</td><td>{e(' '.join(r['tags']))}</td></tr>"
        for r in rows if r["note"])
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>empathy-cues report</title></head><body>"
            f"<h1>{e(heading)}</h1>"
            f"<p>Tickets read: {s.tickets}; would get a note: {s.notes}; apology: {s.apology}; "
            f"priority: {s.priority}</p>"
            + counts("By situation", s.situations) + counts("By severity", s.severities) + counts("By cue", s.cues)
            + "<h2>Would be tagged and noted</h2><table><tr><th>ticket</th><th>apology</th><th>priority</th>"
              f"<th>situation</th><th>severity</th><th>tags</th></tr>{tickets}</table></body></html>\n")
