"""Which events must not be analysed, decided from the event alone: our own echoes, agents, private notes.

The web intake asks before queueing (what it can tell from the webhook), and the worker asks again once
the comment is fetched and the plugin's own API user is known; so both read it here, from neither's module.
"""
from __future__ import annotations

from .events import AuthorRole, EventKind, TicketEvent
from .plan import contains_marker

# What logs and metric labels may say about an ignored event: a fixed set. The reasons the normalisers
# give ("kind:<the body's kind>") carry text from the body: one request with "\ud800" in a label broke
# every /metrics scrape, and 2,000 distinct kinds made 2,000 series.
IGNORED_CODES = frozenset({"own_note", "own_update", "agent_comment", "system_comment", "private_comment",
                           "update_without_comment", "duplicate", "kind", "event_type", "event"})


def ignored_code(reason: str) -> str:
    code = reason.partition(":")[0]
    return code if code in IGNORED_CODES else "other"


def guard(event: TicketEvent, *, own_user_id: str | None = None) -> str | None:
    """Why this event must not be analysed (our own echo, an agent, a private note), or None."""
    # Our marker counts only in a comment the customer did not write: a customer who types (or pastes)
    # the marker's words is still a customer, and was never analysed.
    if contains_marker(event.comment_text) and event.author_role is not AuthorRole.END_USER:
        return "own_note"
    if own_user_id and event.author_id and event.author_id == own_user_id:
        return "own_update"
    if event.author_role is AuthorRole.AGENT:
        return "agent_comment"   # agents' words go to QA scoring, not to customer-cue analysis
    if event.author_role is AuthorRole.SYSTEM:
        return "system_comment"
    if not event.comment_public:
        return "private_comment"
    if event.kind is EventKind.UPDATED:
        return "update_without_comment"
    return None


def is_agent_reply(event: TicketEvent, *, own_user_id: str | None = None) -> bool:
    """A public reply written by an agent (not by the plugin): what agent empathy QA scores."""
    # The text may come later: the worker fetches it when the webhook carried only ids.
    return (event.author_role is AuthorRole.AGENT and event.comment_public and event.kind is not EventKind.UPDATED
            and not contains_marker(event.comment_text) and not (own_user_id and event.author_id == own_user_id))


def learns_from(event: TicketEvent, reason: str | None, *, feedback_tags: frozenset[str] = frozenset(),
                score_replies: bool = False) -> bool:
    """An event the analysis skips (``reason``) that still teaches, so the intake queues it: a ticket
    carrying a feedback tag (an agent's macro; the latest comment is then often our own note, so its
    reason does not count), or a public agent reply to score. Votes are counted once per ticket and tag,
    so the same tag seen again costs one look-up."""
    if feedback_tags.intersection(event.tags):
        return True
    return score_replies and reason not in ("own_note", "own_update") and is_agent_reply(event)
