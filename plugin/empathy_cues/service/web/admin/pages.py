"""The reading pages of the admin blueprint: Recent decisions (with replay), Cues and QA."""
from __future__ import annotations

import logging
import time

from flask import abort, current_app, redirect, render_template, request, url_for

from ....deadletters import requeue
from ....helpdesks.registry import REGISTRY
from ....records.decisions import recent_decisions
from .forms import ReplayForm
from .blueprint import bp, plugin_config

log = logging.getLogger("empathy_cues.admin")

RECENT = 50                     # decisions on the Recent decisions page
STATUS_LABELS = {"applied": "applied", "retrying": "retrying", "dead_letter": "dead letter",
                 "nothing_owed": "nothing owed", "dry_run": "dry run"}


def records():
    """The decision log, votes and QA scores (records/store.py), opened at first use by this worker."""
    found = current_app.extensions.get("empathy_admin_records")
    if found is None:
        from ....records.store import open_records

        found = current_app.extensions["empathy_admin_records"] = open_records(current_app.config["EMPATHY_SETTINGS"])
    return found


def ticket_link(helpdesk: str, account: str, ticket_id: str) -> str | None:
    return REGISTRY[helpdesk].ticket_url(account, ticket_id) if helpdesk in REGISTRY and account else None


def when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def decision_rows(decisions, letters) -> list[dict]:
    """One row per decision, newest first, with the dead letter to replay where its event has one."""
    letter_by_key = {letter.key: letter for letter in letters}
    rows = []
    for d in decisions:
        letter = letter_by_key.get(d.key)
        rows.append({"when": when(d.at), "helpdesk": d.helpdesk, "ticket_id": d.ticket_id,
                     "link": ticket_link(d.helpdesk, d.account, d.ticket_id), "cues": d.cue_ids, "tags": d.tags,
                     "situation": d.situation, "severity": d.severity,
                     "status": d.status, "status_label": STATUS_LABELS.get(d.status, d.status),
                     "letter": letter.id if letter is not None else None,
                     "reason": letter.reason if letter is not None else ""})
    return rows


def letter_rows(letters, shown_keys: set[str]) -> list[dict]:
    """Dead letters whose decision is not among the rows shown (older, or from before the log)."""
    rows = []
    for letter in sorted(letters, key=lambda d: d.created_at, reverse=True):
        if letter.key in shown_keys:
            continue
        event = letter.event if isinstance(letter.event, dict) else {}
        rows.append({"id": letter.id, "helpdesk": letter.helpdesk, "ticket_id": letter.ticket_id,
                     "link": ticket_link(letter.helpdesk, str(event.get("account", "")), letter.ticket_id),
                     "when": when(letter.created_at), "reason": letter.reason})
    return rows


@bp.get("/decisions")
def decisions():
    letters = current_app.extensions["empathy_store"].dead_letters()
    recent = recent_decisions(records(), RECENT)
    replayed = request.args.get("replayed", "")
    return render_template("admin/decisions.html", rows=decision_rows(recent, letters),
                           dead=letter_rows(letters, {d.key for d in recent}), limit=RECENT,
                           replayed=replayed if replayed.isdigit() else None)


@bp.post("/decisions/replay")
def replay():
    form = ReplayForm()
    if not form.validate():
        abort(400, "no dead letter was named")
    store = current_app.extensions["empathy_store"]
    letter = store.dead_letter(form.letter.data)
    if letter is None:
        abort(404, f"dead letter {form.letter.data} is not there any more (replayed or purged)")
    requeue(store, current_app.extensions["empathy_queue"], letter)
    log.info("dead letter replayed from the admin page",
             extra={"helpdesk": letter.helpdesk, "ticket_id": letter.ticket_id})
    return redirect(url_for("admin.decisions", replayed=letter.id), code=303)


@bp.get("/cues")
def cues():
    from ....feedback.overrides import load_overrides, overrides_path
    from ....feedback.report import build_feedback_report
    from ....feedback.votes import votes_since
    from ....records.decisions import cue_matches
    from .cues import WEEK, cues_view, period, week_label

    now = time.time()
    since, starts = period(now)
    config = plugin_config()
    thresholds = config.data["feedback"]
    feedback = build_feedback_report(votes_since(records(), since, now), min_votes=thresholds["candidate_min_votes"],
                                     max_rate=thresholds["candidate_max_rate"])
    overrides = load_overrides(overrides_path(config))
    view = cues_view(cue_matches(records(), since=since, bucket_seconds=WEEK), starts, feedback=feedback,
                     disabled=overrides.disabled)
    from ....qa.svg import line_chart_svg

    weeks = [week_label(s) for s in starts]
    totals = view.weekly_totals
    chart = line_chart_svg(list(zip(weeks, totals)), title="Cue matches per week, all cues",
                           y_max=float(max(max(totals, default=0), 1)))
    return render_template("admin/cues.html", view=view, weeks=weeks, chart=chart,
                           overrides_file=overrides.source, min_votes=thresholds["candidate_min_votes"])


PERIODS = {"7d": ("7 days", 7 * 86400), "30d": ("30 days", 30 * 86400), "90d": ("90 days", 90 * 86400)}


@bp.get("/qa")
def qa():
    """The agent QA report (qa/report.py) for a period and, optionally, one agent; drawn with the report's
    own charts (qa/render.py, inline SVG). Query parameters are a period code and an agent id, never text."""
    from ....qa.render import LABELS, agents_chart_html, qa_charts_html
    from ....qa.report import build_report
    from ....qa.score import CRITERIA
    from ....qa.scores import qa_since

    chosen = request.args.get("since", "30d")
    chosen = chosen if chosen in PERIODS else "30d"
    now = time.time()
    since = now - PERIODS[chosen][1]
    report = build_report(qa_since(records(), since, now), since=since, until=now)
    agent = request.args.get("agent", "")
    focus = next((a for a in report.agents if a.agent_id == agent), None)
    return render_template("admin/qa.html", report=report, focus=focus, chosen=chosen,
                           periods={code: label for code, (label, _) in PERIODS.items()},
                           charts=qa_charts_html(focus) if focus else qa_charts_html(report.team) + agents_chart_html(report),
                           criteria=CRITERIA, labels=LABELS,
                           period=f"{when(since)[:10]} to {when(now)[:10]}")
