"""The Cues page's data (service/web/admin/cues.py): matches per cue per week from the decision log's buckets, the
feedback report's helpful rate and candidates, and the accounts whose overrides turn a cue off."""
from __future__ import annotations

from empathy_cues.feedback.report import build_feedback_report
from empathy_cues.feedback.votes import HELPFUL, UNHELPFUL, Vote
from empathy_cues.records.decisions import Decision, cue_matches, record_decision
from empathy_cues.records.store import SqliteRecords
from empathy_cues.service.web.admin.cues import WEEK, cues_view, period

NOW = 1_796_000_000.0


def vote(n: int, kind: str, cues: tuple[str, ...]) -> Vote:
    return Vote(key=f"v{n}", at=NOW - 3600, helpdesk="zendesk", account="acme", ticket_id=str(n), agent_id="7",
                vote=kind, decision_key=f"zendesk:acme:{n}:1", cue_ids=cues)


def test_weeks_line_up_with_the_decision_logs_buckets(tmp_path):
    records = SqliteRecords(tmp_path / "records.sqlite3")
    since, starts = period(NOW, weeks=3)
    for n, at in enumerate((NOW - 60, NOW - 120, NOW - WEEK - 60, NOW - 5 * WEEK)):   # the last: before the period
        record_decision(records, Decision(key=f"k{n}", helpdesk="zendesk", account="acme", ticket_id=str(n),
                                          delivery_id=f"d{n}", at=at, first_at=at, channel="email", apology=True,
                                          priority=False, status="applied", cue_ids=("struggle.tried",)))
    view = cues_view(cue_matches(records, since=since, bucket_seconds=WEEK), starts)
    (row,) = view.rows
    assert row.cue_id == "struggle.tried" and row.category == "struggle"
    assert row.weekly == (0, 1, 2) and row.total == 3 and row.helpful_rate is None


def test_helpful_rate_candidates_and_overrides():
    votes = [vote(1, HELPFUL, ("struggle.tried", "frustration.mild"))] + \
            [vote(n, UNHELPFUL, ("frustration.mild",)) for n in range(2, 8)]
    report = build_feedback_report(votes, min_votes=5, max_rate=0.5)
    _, starts = period(NOW, weeks=2)
    view = cues_view({"struggle.tried": {int(starts[-1]): 4}}, starts, feedback=report,
                     disabled={"acme": frozenset({"frustration.mild"}), "beta": frozenset({"frustration.mild"})})
    rows = {r.cue_id: r for r in view.rows}
    assert rows["struggle.tried"].helpful_rate == 1.0 and not rows["struggle.tried"].candidate
    mild = rows["frustration.mild"]
    assert (mild.helpful, mild.unhelpful, mild.candidate) == (1, 6, True)
    assert mild.disabled_for == ("acme", "beta") and mild.total == 0
    assert [r.cue_id for r in view.rows] == ["struggle.tried", "frustration.mild"]     # most matched first
    assert (view.votes, view.helpful) == (7, 1)
    assert view.weekly_totals == (0, 4)
