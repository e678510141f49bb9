"""The worker's journal of the records: what it decided for each event (the decision log), and what the
agents' updates teach (feedback votes, QA scores of public replies).

Writing a record must never cost an event: a failure here is logged (no text, only the error's type)
and the event goes on as if nothing had been recorded.
"""
from __future__ import annotations

import logging
import threading
import time

from ..analyzer import pack_version
from ..records.decisions import (APPLIED, DEAD_LETTER, DRY_RUN, DUPLICATE, NOTHING_OWED, RETRYING, decision_from,
                                 record_decision)

log = logging.getLogger("empathy_cues.records")

# handle()'s outcome -> the decision's status; other outcomes (dropped by the guard, a duplicate copy,
# already done) decide nothing and are not logged as decisions.
_STATUS = {"applied": APPLIED, "retry": RETRYING, "dead_letter": DEAD_LETTER, "nothing_owed": NOTHING_OWED,
           "dry_run": DRY_RUN, "duplicate_message": DUPLICATE}


class Journal:
    """One per worker process. ``records`` is a ``records.store.Records``; ``config`` the PluginConfig."""

    def __init__(self, records, config=None, *, clock=time.time) -> None:
        self.records = records
        self.config = config
        self.clock = clock
        self._drafts = threading.local()

    @property
    def overrides(self):
        """Per-account cue overrides (feedback/overrides.py), loaded and checked once."""
        found = getattr(self, "_overrides", None)
        if found is None:
            from ..feedback.overrides import NO_OVERRIDES, load_overrides, overrides_path

            found = self._overrides = (load_overrides(overrides_path(self.config)) if self.config is not None
                                       else NO_OVERRIDES)
        return found

    def check(self) -> None:
        """Load what the journal reads (cue overrides, the QA pack) now: a ConfigError or PackError names
        the file and the fault at start-up instead of at the first event."""
        from ..qa.pack import load_qa_pack

        self.overrides  # noqa: B018 - loads and validates
        if self._qa_on():
            load_qa_pack("en")

    def purge(self) -> int:
        """Retention ([records] retention_days): drop decisions, votes and QA scores older than that."""
        from ..records.decisions import purge_old

        try:
            return purge_old(self.records, _retention_days(self.config), now=self.clock())
        except Exception as exc:     # the next sweep tries again
            log.warning("records not purged: %s", type(exc).__name__)
            return 0

    def learn(self, event, own_user_id: str | None = None, client_for=None) -> str | None:
        """What an event teaches besides its analysis: the feedback votes its tags carry, and the QA score
        of a public agent reply. ``client_for(helpdesk)``: the helpdesk client, for the optional tag on a
        ticket whose owed apology was not given ([qa] missing_apology_tag). Returns "scored" when a reply
        was scored (for logs and tests)."""
        from ..core.guard import is_agent_reply

        ctx = {"helpdesk": event.helpdesk, "ticket_id": event.ticket_id}
        try:
            self._record_votes(event)
            if self._qa_on() and is_agent_reply(event, own_user_id=own_user_id):
                event = _with_author(event, client_for)
            if self._qa_on() and is_agent_reply(event, own_user_id=own_user_id) and event.comment_text.strip():
                card = self._score(event)
                log.info("agent reply scored: %d", card.score, extra=ctx)
                _count_scored(event.helpdesk, card.flags)
                self._tag_missing_apology(event, card, client_for)
                return "scored"
        except Exception as exc:     # what agents teach must never cost the event
            log.warning("feedback or QA not recorded: %s", type(exc).__name__, extra=ctx)
        return None

    def _qa_on(self) -> bool:
        return self.config is None or bool(self.config.data["qa"]["score_replies"])

    def _record_votes(self, event) -> None:
        from ..feedback.votes import record_votes

        tags = self.config.workflow_tags() if self.config is not None else {}
        if not tags:
            return
        for vote in record_votes(self.records, event, helpful_tag=tags["helped"], unhelpful_tag=tags["not_helped"],
                                 now=self.clock()):
            log.info("feedback vote recorded: %s", vote.vote, extra={"helpdesk": event.helpdesk,
                                                                      "ticket_id": event.ticket_id})
            from .. import metrics

            metrics.FEEDBACK_VOTES.labels(event.helpdesk, vote.vote).inc()

    def _tag_missing_apology(self, event, card, client_for) -> None:
        tag = self.config.data["qa"]["missing_apology_tag"] if self.config is not None else ""
        if tag and card.apology_missing and client_for is not None and tag not in event.tags:
            client_for(event.helpdesk).add_tags(event.ticket_id, (tag,))

    def _score(self, event):
        from ..bounds import capped
        from ..qa.pack import load_qa_pack
        from ..qa.score import score_reply
        from ..qa.scores import context_for, qa_record_from, record_qa
        from ..core.text import clean_text
        from ..records.decisions import decision_for_ticket

        text, html, _ = capped(event.comment_text, html=event.comment_is_html or None)
        pack = load_qa_pack("en")
        decision = decision_for_ticket(self.records, event.helpdesk, event.ticket_id, account=event.account)
        card = score_reply(clean_text(text, html=html), context_for(decision, event.subject, pack), pack)
        hours = float(self.config.data["qa"]["first_reply_hours"]) if self.config is not None else 0.0
        record_qa(self.records, qa_record_from(event, card, decision, now=self.clock(),
                                               target_minutes=int(hours * 60)))
        return card

    def drafted(self, event, draft) -> None:
        """Remember what the worker made of ``event`` until its outcome is known (same thread)."""
        self._drafts.value = ((event.helpdesk, event.account, event.ticket_id), event, draft)

    def outcome(self, event_dict: dict, outcome: str) -> None:
        """Log the decision for an event whose attempt ended with ``outcome`` (worker.task.handle's result)."""
        held = getattr(self._drafts, "value", None)
        self._drafts.value = None
        status = _STATUS.get(outcome)
        if status is None:
            return
        try:
            from ..core.event import TicketEvent

            event = TicketEvent.from_dict(event_dict)
            key = event.dedupe_key          # the store's key: the event as queued, before its comment was fetched
            draft = None
            if held and held[0] == (event.helpdesk, event.account, event.ticket_id):
                event, draft = held[1], held[2]
            decision = decision_from(event, getattr(draft, "analysis", None), getattr(draft, "note", None),
                                     getattr(draft, "plan", None), status, pack_version=pack_version(),
                                     now=self.clock(), key=key)
            record_decision(self.records, decision)
        except Exception as exc:     # the log is for people; the event must go on
            log.warning("decision not logged: %s", type(exc).__name__,
                        extra={"helpdesk": event_dict.get("helpdesk"), "ticket_id": event_dict.get("ticket_id")})


def _count_scored(helpdesk: str, flags: tuple[str, ...]) -> None:
    from .. import metrics

    for flag in flags or ("none",):
        metrics.QA_REPLIES_SCORED.labels(helpdesk, flag).inc()


def _with_author(event, client_for):
    """The reply's author, asked of the helpdesk when the webhook did not say (Freshdesk's rules have no
    placeholder for who replied; its conversations list does: ``user_id``, and ``incoming`` false for
    an agent - https://developers.freshdesk.com/api/#list_all_ticket_notes)."""
    if event.author_id or client_for is None:
        return event
    import dataclasses

    from ..core.event import AuthorRole

    data = client_for(event.helpdesk).ticket_comment(event.ticket_id, event.comment_id) or {}
    if data.get("incoming") is True:      # the latest conversation is the customer's: not an agent's reply
        return dataclasses.replace(event, author_role=AuthorRole.END_USER)
    return dataclasses.replace(event, author_id=str(data["author_id"]) if data.get("author_id") else None,
                               comment_text=event.comment_text or data.get("body") or "")


def _retention_days(config) -> float:
    return float(config.data["records"]["retention_days"]) if config is not None else 90.0


def open_journal(settings) -> Journal:
    """The worker's journal: records from ``settings`` (records/store.py), the settings file's policy."""
    from ..policy_file import PluginConfig
    from ..records.store import open_records

    return Journal(open_records(settings), PluginConfig.load(getattr(settings, "config_path", None)))
