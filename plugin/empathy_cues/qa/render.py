"""Draw a QaReport (report.py) as a table, CSV, JSON or a self-contained HTML page (inline CSS and SVG
charts from svg.py; no script, no external asset)."""
from __future__ import annotations

import csv
import io
import json
import time
from html import escape

from .report import QaReport, Summary
from .score import CRITERIA
from .svg import bar_chart_svg, line_chart_svg

FORMATS = ("table", "csv", "json", "html")
LABELS = {"acknowledge": "acknowledges", "restate": "restates", "apology": "apology owed given",
          "options": "offers options", "next_step": "next step + time", "close": "caring close",
          "tone": "tone matched"}


def render_report(report: QaReport, fmt: str) -> str:
    return {"table": render_table, "csv": render_csv, "json": render_json, "html": render_html}[fmt](report)


def _day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _within(s: Summary) -> str:
    return f"{s.within_target}/{s.flagged_tickets}" if s.flagged_tickets else "-"


def render_json(report: QaReport) -> str:
    return json.dumps(report.to_dict(), indent=2)


def render_csv(report: QaReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["agent", "replies", "average", *CRITERIA, "apology_missing", "asks_unanswered",
                     "process_first", "flagged_tickets", "within_target"])
    for s in (report.team, *report.agents):
        writer.writerow([s.agent_id, s.replies, s.average, *("" if s.rates[c] is None else s.rates[c] for c in CRITERIA),
                         s.apology_missing, s.asks_unanswered, s.process_first, s.flagged_tickets, s.within_target])
    return out.getvalue()


def render_table(report: QaReport) -> str:
    heads = ["agent", "replies", "avg", *(c[:7] for c in CRITERIA), "no-apol", "asks", "within"]
    rows = [[s.agent_id, str(s.replies), f"{s.average:.1f}", *(_rate(s.rates[c]) for c in CRITERIA),
             str(s.apology_missing), str(s.asks_unanswered), _within(s)] for s in (report.team, *report.agents)]
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    lines = [f"Agent empathy QA, {_day(report.since)} to {_day(report.until)}", "", line(heads), *map(line, rows)]
    if report.team.weekly:
        lines += ["", "Weekly (team): " + "  ".join(f"{_day(w.start)} {w.average:.1f} ({w.replies})"
                                                    for w in report.team.weekly)]
    return "\n".join(lines)


_CSS = """body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;max-width:60rem}
table{border-collapse:collapse;margin:1rem 0;font-size:14px}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left}.chart text{font:12px system-ui,sans-serif;fill:#1d1d1f}
.chart .title{font-weight:600}.bar{fill:#3a6ea5}.line{fill:none;stroke:#3a6ea5;stroke-width:2}.point{fill:#3a6ea5}
.grid{stroke:#ddd}.scroll{overflow-x:auto}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}svg{max-width:100%;height:auto}"""


def qa_charts_html(summary: Summary) -> str:
    """The two charts of one summary (team or agent): criterion rates and the weekly average."""
    bars = bar_chart_svg([(LABELS[c], summary.rates[c]) for c in CRITERIA],
                         title=f"Criteria met ({summary.agent_id})")
    trend = line_chart_svg([(_day(w.start)[5:], w.average) for w in summary.weekly],
                           title=f"Weekly average score ({summary.agent_id})")
    return f'<div class="charts">{bars}{trend}</div>'


def agents_chart_html(report: QaReport) -> str:
    """Each agent's average score (as a share of 100), one bar each; nothing for a single agent."""
    if len(report.agents) < 2:
        return ""
    return bar_chart_svg([(a.agent_id, a.average) for a in report.agents], title="Average score per agent",
                         scale=100, unit="")


def render_html(report: QaReport) -> str:
    heads = "".join(f"<th>{escape(h)}</th>" for h in ["Agent", "Replies", "Average", *(LABELS[c] for c in CRITERIA),
                                                      "Owed apology missing", "Asks unanswered",
                                                      "Flagged tickets answered in target"])
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
        s.agent_id, s.replies, f"{s.average:.1f}", *(_rate(s.rates[c]) for c in CRITERIA), s.apology_missing,
        s.asks_unanswered, _within(s))) + "</tr>" for s in (report.team, *report.agents))
    period = f"{_day(report.since)} to {_day(report.until)}"
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Agent empathy QA, {period}</title><style>{_CSS}</style></head><body>"
            f"<h1>Agent empathy QA</h1><p>{period}: {report.team.replies} replies scored.</p>"
            f"{qa_charts_html(report.team)}{agents_chart_html(report)}<div class=\"scroll\"><table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table></div>"
            "</body></html>")
