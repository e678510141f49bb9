"""The same customer words on the same ticket, delivered twice: one key for every delivery of them. Pure.

Why a second key beside ``TicketEvent.dedupe_key`` (ticket + comment id): a Zendesk messaging
conversation (Web Widget, mobile SDKs, WhatsApp, Messenger) reaches us through a webhook subscribed to
``messaging_ticket.message_added``, keyed by the message id, while our ticket trigger ("ticket created /
updated with a public comment by an end user") may run on the ticket the conversation belongs to and send
the same words in a trigger body, which carries no comment id. What Zendesk documents about that overlap:

- Ticket triggers run "any time a ticket is created or updated", and "tickets are also created for live
  chats, messaging conversations, and calls" (About Zendesk triggers,
  https://support.zendesk.com/hc/en-us/articles/4408822236058).
- A messaging ticket is created when the AI agent hands the conversation off to a group or a live agent
  (Messaging triggers conditions and actions reference, firing events note,
  https://support.zendesk.com/hc/en-us/articles/8015292388378); with "AI agent tickets" turned on, a
  read-only ticket exists from the customer's first message and becomes a regular, editable ticket at
  escalation (https://support.zendesk.com/hc/en-us/articles/9204149016346).
- ``messaging_ticket.message_added`` fires for "a chat message added by an end user, agent, or trigger";
  ``event.actor.type`` says which; ``detail`` holds only the ticket id
  (https://developer.zendesk.com/api-reference/webhooks/event-types/messaging-events).
- The Conversation Log API lists a ticket's messaging messages as ``Messaging::ConversationMessage``
  records, apart from its ``Comment`` records (early access,
  https://developer.zendesk.com/api-reference/ticketing/tickets/conversation_log); for chat tickets the
  List Comments endpoint shows no transcript, and a public transcript, when turned on, is added as one
  comment after the conversation ends (https://support.zendesk.com/hc/en-us/articles/5384481026714).
- Third-party report, not Zendesk's word: on WhatsApp tickets the messages show up in the audits as
  the history of a ``ChatStartedEvent``, not as comments (https://github.com/facetoe/zenpy/issues/663).

The only vendor sample of this event we hold is Zendesk's documented one (a bot's message,
tests/samples/zendesk/recorded/event_messaging_message_added_docs.json); no trigger body recorded on a
messaging ticket. Not documented anywhere we found: whether each customer message is a ticket update that runs ticket
triggers, and what ``{{ticket.latest_comment}}`` renders on such a ticket. So the plugin does not rely
on either: whatever arrives twice is recognised here by its words.

The key is account + ticket + a digest of the words as read (HTML to text, quoted history dropped,
case, punctuation and Markdown marks ignored, Zendesk's rendered "name, date" comment header dropped).
Two deliveries of one key are one message when they reached the intake within
``SAME_WORDS_WINDOW_SECONDS`` of each other (``same_message``). The window: both webhooks fire on the
same Zendesk action, seconds apart, and Zendesk retries a timed-out delivery within minutes; fifteen
minutes covers both. A customer who writes the very same words again later ("hello?" an hour after the
first) is writing a new message, and it is analysed again. Inside the window a repeat is not: the note
for the first is on the ticket already and would say the same.
"""
from __future__ import annotations

import hashlib
import re

from .text import clean_text

SAME_WORDS_WINDOW_SECONDS = 15 * 60

# Zendesk renders a comment placeholder as a rule, the author's name and the time, then the text:
# "----------------------------------------------\n\nLewis, 29 Sept 2023, 23:01\n\ntest" (a recorded trigger
# body, ../shared/reference/vendor-recordings/zendesk/trigger_body_captured_patchworks.json). A message
# event carries the text alone.
_RENDERED_HEADER = re.compile(r"\A\s*-{10,}[ \t]*\n(?:\s*\n)*(?:[^\n]{1,120}\b\d{1,2}:\d{2}[^\n]{0,16}\n)?")
_WORD = re.compile(r"\w+")


def words_of(text: str, *, html: bool | None = None) -> str:
    """The words of a message as both webhooks would carry them: lower case, one space between words,
    no punctuation or Markdown marks. A message of symbols only (emoji) keeps its symbols."""
    if not text:
        return ""
    text = _RENDERED_HEADER.sub("", text, count=1)
    cleaned = clean_text(text, html=html).casefold()
    words = _WORD.findall(cleaned)
    return " ".join(words) if words else " ".join(cleaned.split())


def same_words_key(helpdesk: str, account: str, ticket_id: str, text: str, *, html: bool | None = None) -> str | None:
    """``words:<helpdesk>:<account>:<ticket>:<digest>``, or None when the message has no words to compare."""
    words = words_of(text, html=html)
    if not words:
        return None
    digest = hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]
    return f"words:{helpdesk}:{account}:{ticket_id}:{digest}"


def same_message(first_received_at: float, received_at: float, window: float = SAME_WORDS_WINDOW_SECONDS) -> bool:
    """Two deliveries of the same words on one ticket are one message when the intake received them
    within ``window`` seconds of each other, in either order."""
    return abs(received_at - first_received_at) <= window
