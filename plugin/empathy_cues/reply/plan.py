"""What the reply will say, decided before any words are chosen.

``plan_reply(analysis, ...)`` reads the understanding (situation, severity, asks, objects, what the
customer already gave), the channel and the customer's tone, and returns a :class:`ReplyPlan`: which
parts the reply holds, in which order, at which strength. Rendering (``compose.py``) only turns a
plan into words. Pure: no I/O.

- **Care first** for severity 3, only with evidence (``severity_evidence``) and a known kind: a
  bereavement, an illness, hardship... leads with care, never with process.
- **The problem said back** by situation and the object named (``restate.py``); the customer's own
  clause only when it passes every check.
- **The asks answered**, each by its own action: a call when a call was asked, who it goes to when
  escalation was asked, an honest "when" for status. Details already given are acknowledged, not asked
  for again.
- **Options that fit the situation** when nothing in particular was asked; tips "for next time" only
  for a how-to question.
- **The private-contact line** names what is needed for the situation (booking reference, order
  number, account email, the last four digits of a card).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.decision import Analysis
from ..core.understand import CANT_REACH_US, CHASING_TO_COME, only_asks_for_help
from .clause_span import sentence_at, sentence_finder
from .restate import (Restatement, clause_problem, contact_count, contacts_counted, measured_wait, missed_occasion,
                      occasion_ahead,
                      object_phrase, quoted_clause, unresolved_for, wait_minutes)
from .spelling import Dictionary
from .templates import CARE_AFTER_PROBLEM, CARE_IS_THE_PROBLEM, TemplateSet, mentions
from .tone import CASUAL, FORMAL, NEUTRAL, detect_tone

BANDS = ("minor", "minor", "significant", "serious")
# The order asks are answered in: what changes the customer's situation most comes first.
ASK_ORDER = ("escalate", "callback", "refund", "fix", "change", "status", "explain")
# Situations whose restatement is specific enough without the customer's words.
SPECIFIC_SITUATIONS = frozenset({"account_access", "billing_payment", "order_delivery", "travel_disruption",
                                 "product_fault", "service_outage", "service_conduct", "change_or_cancel"})
# Categories whose cue words are worth saying back (feelings and threats are not the problem).
_CLAUSE_CATEGORIES = {"struggle": 0, "problem": 1, "confusion": 2, "urgency": 3, "repeat_contact": 4}
_MONEY = frozenset({"charge", "payment", "refund", "bill"})
_STRUGGLING = frozenset({"struggle", "confusion"})
_HEATED = frozenset({"frustration.strong", "intensity.shouting", "intensity.punctuation_many"})
# Cue categories that show how the customer feels (anger, emphasis, gloom).
_FEELINGS = frozenset({"frustration", "intensity", "negative_wording"})
_FELT = frozenset({"frustration", "intensity"})


@dataclass(frozen=True)
class ReplyPlan:
    situation: str               # the situation the reply is worded for
    understood: str              # the situation the analysis found (shown in the note)
    severity: int
    band: str                    # minor | significant | serious
    care: str | None             # the serious kind the reply leads with, or None
    asks: tuple[str, ...]        # asks answered by an action part, in order
    options: bool                # offer situation options (nothing in particular was asked)
    contact: str                 # private | given | dm_sent | dm_blocked | dm_them | callback | long | none
    status: bool                 # the customer asked when: the next step answers it honestly
    info_given: bool
    repeat: bool                 # they contacted us before about this
    tone: str
    short: bool
    restatement: Restatement
    money_too: bool = False      # a change or cancellation that mentions a charge: deal with it as well
    history: bool = False        # their earlier tickets show they contacted us before (core/history.py)
    settled: bool = False        # nothing is left to put right and nothing was asked: no options, no fix
    kind: str = ""               # a kind of the situation worded apart ("service_conduct_unanswered"), or ""
    said_as: str = ""            # the kind said back when another kind acts (a cancellation, its trip over)
    calm: bool = False           # no feeling shown: the reply names none the customer did not show
    felt: bool = False           # a feeling shown in the customer's own words (not a lexicon's general sign)
    fault: bool = False          # a problem on our side is named ("taken twice"), not only hard times
    recurring: bool = False      # the trouble keeps coming back, in the customer's words or their contacts
    habitual: bool = False       # told as a pattern ("always delayed"): said back as one that keeps happening
    feeling: str = ""            # the stem of the feeling the customer named ("disappoint"), or ""
    own_doing: bool = False      # the customer says it was their own doing: no "that's not good enough"
    why: bool = False            # they asked what caused it ("why?", "what happened?"), not how to do something
    covered: tuple[str, ...] = ()  # asks the action for another ask answers ("where is it?" tells what happened)
    praised: bool = False        # they end on warm words for us ("a long delay, but the crew were wonderful")
    reported: bool = False       # they tell us of a fault as news for us ("FYI, your check-in links are broken")
    only_asking: bool = False    # a question, with nothing named as gone wrong nor a clear feeling about it
    ending: str = ""             # the change asked ends something: "cancel", "close" or "unsubscribe", or ""
    refused: frozenset[str] = frozenset()   # words of options offering a remedy they turned down
    channel: str = ""            # where the reply goes: a live chat is answered while they wait
    urgent: bool = False         # they told of a deadline or asked for speed ("ASAP", "presentation at 2pm")
    times: str | None = None     # how often they contacted us, in their count ("call us four times"), or None
    # The occasion at stake ("the wedding") and how: "missed" already, "missing" about to be, or "ahead", the
    # occasion a journey in trouble is taking them to (the keys of the templates' missed_ack).
    missed: tuple[str, str] | None = None
    for_someone: bool = False    # the one travelling is someone else ("my wife and daughter are on AA3195")
    leaving: bool = False        # they say this will make them leave us ("never flying with you again")
    # Nobody told them: "told", of what happened ("cancelled my flight and didn't tell me"); "updates", of how it
    # stands ("no announcements at the gate", "stopped giving updates"); or "".
    untold: str = ""
    guessed: bool = False        # no word names the situation; only the kind of trouble the cues show does
    apology_refused: bool = False  # they said an apology is worth nothing to them ("Don't apologize. Do something")

    @property
    def how_to(self) -> bool:
        return self.situation == "how_to"

    @property
    def care_leads(self) -> bool:
        """Care opens the reply, before anything about process; for circumstances that only make a
        problem weigh more (CARE_AFTER_PROBLEM), the problem is said back first and the care follows."""
        return bool(self.care) and not _problem_leads(self.care, self.situation, self.fault)


def plan_reply(analysis: Analysis, ts: TemplateSet, dictionary: Dictionary, masked: str) -> ReplyPlan:
    u = analysis.understanding
    situation = _worded_for(analysis)
    severity, care = _severity_and_care(u)
    # Help asked for someone else who is ill ("can you help with flights for a 2 year old battling
    # cancer?"): an appeal to pass to the right team, not the writer's own illness nor a booking to sort.
    appeal = _an_appeal(analysis, care)
    if appeal:
        care = None
    band = BANDS[severity]
    if care in ("new_baby", "expecting"):
        # A baby, new or on the way, makes the matter weigh more for the family, not the fault any graver: a
        # blank meter display is said back as the hassle it is, not as "serious for you".
        weighty = u.situation in _WEIGHTY_ANYWAY or any(c.priority and c.category != "life_event" for c in analysis.cues)
        band = "significant" if weighty else "minor"
    elif band == "minor" and analysis.priority:
        band = "significant"   # a priority follow-up is never "a minor hassle"
    short = analysis.channel in ts.short_channels
    asks, contact = _asks_and_contact(analysis, ts, care if care in ts.contact_needs else situation, short)
    answered_by_others = _answered_by_other_asks(asks, analysis, masked, situation if not care else care)
    asks = [a for a in asks if a not in answered_by_others]
    # With care leading, an email stays on what was asked (no menu of options); a short reply still
    # says the one thing I'll do.
    # "What's done is done", "sorted it myself": rebooking or fixing would contradict them.
    # Praise after a trouble that needs no follow-up ("Delayed 2 hrs but easily the best flight I've had",
    # "Although a long delay, I appreciate your prompt response!"): nothing is left to put right either; the
    # reply is sorry for the trouble and thanks them, with no trip to check or fault to fix.
    praised = _ends_on_praise(analysis)
    conceded = praised and _conceded(analysis) and not asks and not care and not any(
        c.apology and c.weight >= 1.0 and c.category in _FELT_STRONGLY | {"urgency"} for c in analysis.cues)
    # Thanks for help given in hard times ("my father passed away & you helped me get home today! Thanks"):
    # sympathy and the thanks passed on, with nothing to sort out and no details to ask for.
    thankful = bool(care) and not asks and _thanked_for_help(analysis)
    praised = praised or thankful
    settled = (bool(u.settled) and not asks) or conceded or thankful
    if conceded:
        band = "minor"    # set against the praise by the customer themselves: said back as they weighed it
    fault = any(c.category == "problem" and c.apology for c in analysis.cues)
    care_leads = bool(care) and not _problem_leads(care, situation, fault)
    ending = _ending_asked(analysis, masked) if "change" in asks and situation != "how_to" else ""
    # "Cancel it please": doing what they asked is the answer, not a menu beside it.
    options = (not asks or (not short and len(asks) == 1)) and not (care_leads and not short) and not settled \
        and not ending
    if asks == ["explain"] and situation != "how_to" and not any(
            c.apology and c.category in _TROUBLE_TOLD for c in analysis.cues):
        # A question with nothing gone wrong, only confusion ("which plan includes the reports?"), wants
        # its answer, not a menu of fixes for a fault it never reported.
        options = False
    if options and situation == "how_to" and "explain" in asks:
        asks.remove("explain")   # the how-to options (a call, written steps) are the answer: say them once
    elif options and "explain" in asks and _asks_for_options(analysis, masked):
        # "It arrived cracked. What are my options?": the options offered are the answer.
        asks.remove("explain")
        answered_by_others += ("explain",)
    kind = APPEAL if appeal else _kind(analysis, situation, ts)
    # A cancellation beside a charge gone wrong ("charged for it, and when I go to cancel it fails"): the
    # money too, unless a kind of the charge already puts it back. (A price named as the reason to leave,
    # "I can't justify £45 a month", is nothing taken wrongly.)
    charged_wrongly = any(c.category in _WRONG_TOLD and c.apology and c.weight >= 1.0 for c in analysis.cues)
    # (A fee as our rules set it, "a $200 charge just to change flights", is nothing taken wrongly either.)
    money_too = charged_wrongly and (situation == "change_or_cancel" and bool(set(u.objects) & _MONEY)
                           or situation == "billing_payment" and ending == "cancel" and not kind) and not (
        {"refund", "fix"} & set(asks)) and not (_FEE_IN_OUR_RULES.search(analysis.text)
                                                 and not _TAKEN_FROM_THEM.search(analysis.text))
    if situation == "change_or_cancel" and ending == "unsubscribe":
        kind = "change_or_cancel_unsubscribe"   # off a mailing list: no customer leaving us
    if not kind and situation == "service_conduct" and _HOW_TO_REACH_US.search(analysis.text) and any(
            c.apology and c.category in ("struggle", "repeat_contact") for c in analysis.cues):
        # "How do I contact customer care? Totally stumped, been trying all week": we are hard to reach, not
        # help that was given badly.
        kind = "service_conduct_unanswered"
    said_as = ""
    if kind == "billing_payment_price_rise" and _FARES.search(analysis.text):
        # A fare gone up: no plan to move them to or account to check, only how the fare was set and
        # whether another date or time costs less.
        kind = "billing_payment_fare"
    if kind in ("", "billing_payment_fee") and situation in ("billing_payment", "travel_disruption") \
            and _FEE_IN_OUR_RULES.search(analysis.text) and not _TAKEN_FROM_THEM.search(analysis.text):
        # A fee as our rules set it ("a $400 change fee. Ridiculous.", "you charge $30 a bag!!"): nothing taken
        # wrongly to check, only what the fee is for, whether it must apply to them, and the feedback heard.
        kind = "billing_payment_fee_policy"
    if not kind or kind in _TRIP_KINDS:
        # A journey that is over is about what went wrong and what is owed, however it went wrong; a
        # cancellation or a delay is still said back as what it was ("your flight was cancelled").
        trouble = kind
        kind = _trip_over(analysis, ts, situation) or kind
        said_as = trouble if kind != trouble else ""
    elif kind == "service_conduct_unanswered" and not _REACHED_FOR.search(analysis.text) and _only_news_asked(
            [e.words for e in u.situation_evidence] + [c.matched for c in analysis.cues if c.cue_id in _NEWS_CUES]):
        # "Any update?", "still no update": news asked for, with no call, email or DM told of; no "it's been hard
        # to get hold of us" for tries never made.
        said_as = "service_conduct_update"
    elif (situation == "service_conduct" and _WITNESSED.search(analysis.text)
          and not _TREATED_THEM.search(analysis.text)):
        # "Makes me sad to see cust needing assistance treated so poorly": someone else's treatment, seen.
        said_as = "service_conduct_witnessed"
    elif kind == "service_outage_down" and _OUTAGE_ASKED.search(analysis.text):
        # "Is your site down?": asked, not yet known; what they meet is said, not "sorry for the outage".
        said_as = "service_outage_asked"
    elif kind == "travel_disruption_seat_apart" and _APART_FEARED.search(analysis.text):
        # "Don't want to be separated from my brother": seats to put together, not yet a split to be sorry for.
        said_as = "travel_disruption_seat_apart_feared"
    elif kind == "travel_disruption_stay" and _BOOKING_FAILED.search(analysis.text):
        # "Trying to book a hotel and got cut off twice": no stay yet to be sorry for, only a booking to make.
        kind = ""
    elif kind == "travel_disruption_stay" and _stay_over(analysis, ts):
        # A stay that is over: no other room to find, only what went wrong and what is owed for it.
        kind = "travel_disruption_stay_past"
    if situation == "service_conduct" and kind in ("", "service_conduct_unanswered", "service_conduct_treatment") \
            and not said_as and not _REACHED_FOR.search(analysis.text) \
            and _only_not_informed([e.words for e in u.situation_evidence if e.why in _CONDUCT_CUES]):
        # "No communication is something that should never happen", "#nocommunication": left without word
        # from us, with no call or message of theirs told of; no "hard to get hold of us".
        said_as = "service_conduct_not_informed"
    elif situation == "service_conduct" and kind in ("", "service_conduct_unanswered") and not said_as \
            and _only_canned([e.words for e in u.situation_evidence if e.why in _CANNED_CUES]):
        # "Thanks for the canned response", "form letters": answered, but by rote; not us hard to reach.
        said_as = "service_conduct_canned"
    elif situation == "service_conduct" and kind in ("", "service_conduct_unanswered") and not said_as \
            and _only_call_awaited([e.words for e in u.situation_evidence if e.why in _AWAITED_CUES]):
        # "No call till now", "nobody called me back": a call of ours awaited, not us hard to reach.
        said_as = "service_conduct_call_awaited"
    if (said_as or kind) == "travel_disruption_cancelled" and _CANCELLED_AGAIN.search(analysis.text):
        # "Two cancellations in 24 hours", "cancelled again": more than one, said as more than one.
        said_as = "travel_disruption_cancelled_again"
    elif (said_as or kind) == "travel_disruption_delay" and _DELAYED_AGAIN.search(analysis.text):
        # "I've been delayed 3 times", "delayed again": not "this delay".
        said_as = "travel_disruption_delay_again"
    # The one travelling is someone else ("my wife and daughter are on AA3195"): nothing is said to have
    # happened to the customer.
    for_someone = situation == "travel_disruption" and bool(_SOMEONE_ELSE_TRAVELS.search(masked))
    if for_someone and kind in ("travel_disruption_stranded", "travel_disruption_connection",
                                "travel_disruption_connection_at_stake"):
        kind = ""    # "She is stranded": the stranded wording is all about the one writing; say it of the trip
    restatement = _restatement(analysis, ts, dictionary, masked, situation, _thing_of(situation, said_as or kind),
                               bool(said_as or kind) and ts.has("restate", said_as or kind), kind=said_as or kind,
                               for_someone=for_someone)
    # (They counted their calls, "I made three pointless phone calls": contacting us again.)
    repeat = bool(analysis.repeat_history) or _contacted_before(analysis, ts, masked) or contacts_counted(masked)
    return ReplyPlan(
        money_too=money_too, settled=settled,
        situation=situation, understood=u.situation, severity=severity, band=band, care=care,
        asks=tuple(asks), covered=answered_by_others, options=options, contact=contact, status="status" in u.asks,
        info_given=bool(u.info_given),
        repeat=repeat,
        times=contact_count(masked),
        missed=None if care else _occasion_at_stake(analysis.text, situation),
        for_someone=for_someone,
        history=bool(analysis.repeat_history), tone=_reply_tone(analysis, care), short=short,
        restatement=restatement,
        kind=kind, said_as=said_as,
        calm=not (analysis.understanding.rude or any(c.category in _FEELINGS for c in analysis.cues)),
        felt=analysis.understanding.rude or any(c.category in _FELT for c in analysis.cues),
        fault=fault,
        feeling=_feeling_named(analysis, ts),
        why="explain" in u.asks and mentions(analysis.text, ts.why_words),
        own_doing=bool(u.own_doing),
        praised=praised,
        reported=_reports_a_fault(analysis, ts),
        only_asking="?" in analysis.text and not (fault or analysis.understanding.rude or any(
            c.apology and c.weight >= 1.0 and c.category in _TROUBLE_FELT for c in analysis.cues)),
        ending=ending,
        refused=_refused(analysis.text, ts, refund_asked="refund" in u.asks),
        channel=analysis.channel,
        urgent=any(c.category == "urgency" and c.weight >= 1.0 and c.source == "body" for c in analysis.cues),
        recurring=(bool(analysis.repeat_history) or any(c.category == "repeat_contact" for c in analysis.cues)
                   or mentions(analysis.text, ts.recurring_words) or mentions(analysis.text, ts.habitual_words)),
        habitual=mentions(analysis.text, ts.habitual_words),
        leaving=situation != "change_or_cancel" and not care and _says_leaving(analysis),
        untold=_untold(analysis, said_as, restatement, situation, kind, repeat),
        guessed=_guessed(u),
        apology_refused=_APOLOGY_REFUSED.search(analysis.text) is not None,
    )


# An apology turned down before it is made: "Don't apologize. Do something about it", "sorry doesn't help",
# "spare me the apologies". Said to them anyway, "I'm sorry" reads as not having read them.
_APOLOGY_REFUSED = re.compile(
    r"\b(?:don'?t|do\s+not|stop|quit|spare\s+me|save)\s+(?:the\s+|your\s+)?(?:apologi[sz]ing|apologi[sz]e|apologies|"
    r"sorrys?|saying\s+sorry)\b"
    r"|\b(?:apologies|sorry|an\s+apology)\s+(?:doesn'?t|does\s+not|don'?t|isn'?t|is\s+not|won'?t|will\s+not|means?)\s+"
    r"(?:help|cut\s+it|fix\s+(?:it|this|anything)|enough|nothing|good\s+enough|change\s+anything)\b"
    r"|\bwords\s+mean\s+nothing\b|\b(?:don'?t|do\s+not)\s+want\s+(?:an|your)\s+apology\b",
    re.IGNORECASE)


def _guessed(u) -> bool:
    """The situation was worked out from the kind of trouble alone ("still not fixed", "you have yet to
    respond"), with no word of its own ("app", "flight", "charge") in the message."""
    evidence = u.situation_evidence
    return bool(evidence) and not any(e.why.startswith(f"{u.situation}.") for e in evidence)


# Leaving said as an outcome of the trouble ("never flying with you again", "taking my business elsewhere"),
# in the words of leaving: a word of loyalty ("a customer for 12 years") tells what is at stake, and "the
# other company" may be one they were sent to, not one they go to.
_LEAVING_CUES = frozenset({"churn_risk.switch", "churn_risk.switch_to", "churn_risk.no_longer",
                          "churn_risk.reconsider", "churn_risk.through"})
_LEAVING_WORDS = re.compile(r"\b(?:never|won't|will not|no longer|elsewhere|done with|last time|stay away|avoid|"
                            r"switch\w*|leave|leaving|lost|former|move to|take my business|taking my business|"
                            r"re-?evaluat\w*|reconsider\w*|rethink\w*|find a new|through)\b",
                            re.IGNORECASE)
# Said of us, not of them ("don't offer it if you won't use it"), or held out on a condition ("if I miss
# the Oscars I'll never fly you again"): nothing to win back yet.
_NOT_THEIR_LEAVING = re.compile(r"\b(?:you|u|they|it)\s*$|\bif\b", re.IGNORECASE)


def _says_leaving(analysis: Analysis) -> bool:
    text = analysis.text
    return any(c.cue_id in _LEAVING_CUES and c.apology and c.source == "body" and _LEAVING_WORDS.search(c.matched)
               and not _NOT_THEIR_LEAVING.search(text[sentence_at(text, c.start)[0]:c.start])
               for c in analysis.cues)


def _reports_a_fault(analysis: Analysis, ts: TemplateSet) -> bool:
    """A fault told as news for us ("Do you know your check-in links are broken?", "FYI the map is down"),
    calmly: the reply thanks them for the heads-up as well as saying sorry. Not when they are angry or
    sarcastic ("did you know your app is a joke?"), which is no favour done us."""
    if analysis.priority or analysis.understanding.rude or any(c.cue_id in _SARCASM for c in analysis.cues):
        return False
    return any(c.category == "problem" and c.apology for c in analysis.cues) and mentions(analysis.text,
                                                                                          ts.heads_up_words)


def _ends_on_praise(analysis: Analysis) -> bool:
    """Warm words for us after the last word of trouble ("Although a long delay, I appreciate your prompt
    response!", "a mess at the gate, but your staff were great"): the reply thanks them as well as saying
    sorry. Not praise before the trouble ("most of the time amazing; today unacceptable": a concession),
    nor anything rude or sarcastic ("great job losing my bag"), nor praise of someone else named in the
    same sentence ("I hear @rivalbank has great cards"), nor a word of praise standing alone after the
    trouble ("Great. Just great.", "Wonderful!"): said flat of nothing, it is sarcasm. Praise of a thing of
    ours right after the trouble is sarcasm too ("On hold two hours and it timed out. Great system you got
    there."), unless it is set against the trouble ("but", "though"), given to a person ("loved the agent")
    or given with thanks."""
    if analysis.understanding.rude or any(c.cue_id in _SARCASM for c in analysis.cues):
        return False
    text = analysis.text
    sentence = sentence_finder(text)
    trouble = [c.start for c in analysis.cues if c.apology and c.source == "body" and c.category in _TROUBLE_TELLING]

    def for_us(c) -> bool:
        start, _ = sentence(c.start)
        return not _HANDLE.search(text, max(start, 1), c.start)

    def said_of_something(c) -> bool:
        start, end = sentence(c.start)
        words = set(_WORDS.findall(text[start:end].lower())) - set(_WORDS.findall(c.matched.lower()))
        return bool(words - _FLAT)

    def meant(c) -> bool:
        start, end = sentence(c.start)
        before = text[max(0, start - 12):start].lower()
        words = set(_WORDS.findall(text[start:end].lower()))
        # (A name is a person's, not the company's own: "Excellent service United is offering" to @united.)
        handles = " ".join(_HANDLE.findall(text)).lower()
        named = any(m.group(0).split()[0].lower() not in handles for m in _NAMED_PERSON.finditer(text, start, end))
        return bool(words & _PRAISE_MEANT or _BUT.search(before) or named or _PRAISE_OF_YOU.search(text, start, end))

    def asked(c) -> bool:
        # "Is that the best answer you have?", "when to book to get the best rate?": a question praises nothing.
        _, end = sentence(c.start)
        return text[end:end + 1] == "?" or text[c.start:end].rstrip().endswith("?")

    # Words, not a smiley: "😊" softens a question, it thanks nobody for anything.
    return bool(trouble) and any((c.cue_id in _WARM or _APPRECIATED.match(text, c.start)) and c.source == "body"
                                 and c.start > max(trouble)
                                 and not _NOT_MEANT_AS_PRAISE.search(text, max(0, c.start - 30), c.start)
                                 and not asked(c) and _WORD.search(c.matched) and for_us(c) and said_of_something(c)
                                 and meant(c) for c in analysis.cues)


# A word of praise turned down, only wished for or said of someone else's effort, within its clause: "doesn't
# seem like a great way", "would sure be nice if", "just trying to do her best".
_NOT_MEANT_AS_PRAISE = re.compile(r"(?:\b(?:not|never|no|would|could|should)|n't|'d)(?:\s+[\w']+){0,3}\s+$"
                                  r"|\b(?:my|her|his|our|their)\s+$", re.IGNORECASE)


def _thanked_for_help(analysis: Analysis) -> bool:
    """Thanks for help someone of ours gave ("you helped me get home", "the crew looked after us"), with no
    trouble felt, chased or threatened over, nothing rude or sarcastic."""
    if analysis.understanding.rude or any(c.cue_id in _SARCASM for c in analysis.cues):
        return False
    helped = [m.end() for m in _HELP_GIVEN.finditer(analysis.text)]
    # (What the help was for is no urgency left: "you rebooked me so I could get home".)
    if not helped or any(c.apology and c.weight >= 1.0 and c.category in _TROUBLE_FELT | {"urgency"}
                         and not (c.category == "urgency" and any(0 <= c.start - h <= 60 for h in helped))
                         for c in analysis.cues):
        return False
    return any(c.cue_id in _THANKS_OR_WARM and c.source == "body" for c in analysis.cues)


# Help given by us, told as done: "you helped me get home", "your team rebooked me for free", "the crew
# looked after us".
_HELP_GIVEN = re.compile(r"\b(?:you|you\s+guys|your\s+(?:\w+\s+)?(?:team|staff|crew|agent|people)|the\s+(?:\w+\s+)?"
                         r"(?:team|staff|crew|agent|agents)|they|she|he)\s+(?:[\w@]+\s+){0,4}?"
                         r"(?:helped|got\s+(?:me|us)|rebooked|took\s+(?:such\s+|great\s+|good\s+)?care|looked\s+after|"
                         r"went\s+out\s+of|made\s+sure|waived|sorted|"
                         r"were\s+(?:so\s+)?(?:kind|helpful|wonderful|amazing))\b",
                         re.IGNORECASE)
_THANKS_OR_WARM = frozenset({"positive_tone.thanks", "positive_tone.warm", "positive_tone.kind"})


def _conceded(analysis: Analysis) -> bool:
    """The customer set the trouble against praise themselves ("Delayed 2 hrs but easily the best flight",
    "Although a long delay, I appreciate your prompt response"): a contrast between the last trouble and the
    praise after it, or a concession before the trouble."""
    text = analysis.text
    # (A faint word, "honestly", "2 hrs", is no trouble of its own to set praise against.)
    trouble = [c for c in analysis.cues if c.apology and c.source == "body" and c.category in _TROUBLE_TELLING
               and c.weight >= 1.0]
    if not trouble:
        return False
    last_end = max(c.end for c in trouble)
    first = min(c.start for c in trouble)
    praise = [c.start for c in analysis.cues if c.source == "body" and c.start >= last_end
              and (c.cue_id in _WARM or _APPRECIATED.match(text, c.start))]
    return bool(praise) and bool(_CONTRAST.search(text, last_end, min(praise))
                                 or _CONCESSION.search(text, max(0, first - 25), first))


_CONTRAST = re.compile(r"\b(?:but|though|although|however|still|yet|nevertheless|regardless)\b", re.IGNORECASE)
_CONCESSION = re.compile(r"\b(?:although|though|despite|in spite of|even with)\b(?:\W+\w+){0,2}\W*$", re.IGNORECASE)


# What makes praise after trouble meant: a contrast, a person praised, thanks given.
_PRAISE_MEANT = frozenset({"but", "though", "although", "however", "still", "otherwise", "despite", "thanks",
                           "thank", "thx", "ty", "appreciate", "appreciated", "agent", "agents", "staff", "crew",
                           "team", "rep", "reps", "pilot", "pilots", "attendant", "attendants", "captain", "she",
                           "he", "her", "him", "they", "employee", "employees", "manager", "person", "lady", "guy",
                           "gentleman", "woman", "man", "steward", "stewardess", "supervisor", "driver",
                           "drivers", "engineer", "technician", "kudos", "fan"})
# Praise said of us as people ("you guys are awesome", "love you guys", "you rock"), not of a thing of ours.
_PRAISE_OF_YOU = re.compile(r"\b(?:you|u|y'all)(?:\s+(?:guys|all|folks|lot))?\s+(?:are|r|rock|were)\b|"
                            r"\b(?:love|luv)\s+(?:you|u|y'all)\b|\bi\s+(?:love|luv)\b", re.IGNORECASE)
_BUT = re.compile(r"\b(?:but|though|although|however)\W*$")
# A person named with a capital inside the sentence ("the awesome Marcos"), not its first word unless a place
# of work follows it ("Marcus at the desk", "Nicole from the Quito office").
_NAMED_PERSON = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b|\b[A-Z][a-z]{2,}\s+(?:at|from)\s")


_SARCASM = frozenset({"frustration.sarcasm", "frustration.sarcasm_near", "frustration.so_much_for",
                      "frustration.flat_praise"})
_HANDLE = re.compile(r"@\w+")
# Words of praise, not a smiley or thanks; and thanks for something of ours ("I appreciate your prompt response").
_WARM = frozenset({"positive_tone.warm", "positive_tone.kind", "positive_tone.best", "positive_tone.nothing_but"})
_APPRECIATED = re.compile(r"appreciate\s+(?:your|the|all\s+(?:your|the))\s+\w+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words that only stress a word of praise: "just great", "oh, how wonderful", "really, truly lovely".
# (With them, the bare verdicts said after a trouble: "Great customer service.", "Nice job.", "Great experience.")
_FLAT = frozenset({"just", "so", "really", "truly", "simply", "absolutely", "oh", "how", "very", "well",
                   "that's", "thats", "its", "it's", "totally", "customer", "service", "job", "work", "experience"})
# What went wrong and how it felt, not what they ask for after it ("..., can I claim compensation?").
_TROUBLE_TELLING = frozenset({"problem", "struggle", "frustration", "repeat_contact", "confusion", "negative_wording"})


def _feeling_named(analysis: Analysis, ts: TemplateSet) -> str:
    """The stem of the first feeling the customer named in a cue that owes the apology, or ""."""
    for c in sorted(analysis.cues, key=lambda c: c.start):
        if c.apology and c.source == "body":
            for stem, words in ts.feelings.items():
                if mentions(c.matched, words):
                    return stem
    return ""


def _problem_leads(care: str, situation: str, fault: bool) -> bool:
    """Something of ours went wrong (a problem named, or how staff treated them) for a customer whose
    circumstances make it weigh more; asking for help with hard times is not that."""
    if care in CARE_IS_THE_PROBLEM:
        return situation in SPECIFIC_SITUATIONS
    return (care in CARE_AFTER_PROBLEM and situation in SPECIFIC_SITUATIONS and situation != "change_or_cancel"
            and (fault or situation == "service_conduct"))


# Kinds of a situation a reply words apart, named by the pack cues that show them
# (``service_conduct.treatment``), with the object a kind is about when it has one: being treated badly
# is not being left without an answer, a wrong entry on a credit file is not a payment to chase, and a
# missing suitcase needs tracing, not another flight.
_KINDS: dict[str, dict[str, str | None]] = {
    "service_conduct": {"treatment": None, "unanswered": None, "no_show": None, "damage": None, "unwanted": None,
                        "cut_off": None},
    "billing_payment": {"credit_report": "credit report", "refund": "refund", "offer": "offer", "twice": "charge",
                        "declined": None, "unauthorised": None, "price_rise": None, "claim": None, "claim_denied": None,
                        "refund_refused": None, "card_retained": None, "payment_plan": None, "card_delivery": None,
                        "card_lost": None, "after_cancel": None, "fee": None, "points": "points"},
    "travel_disruption": {"bags": "bag", "cancelled": "flight", "delay": "flight", "bumped": "flight",
                          "overbooked": "flight", "bags_wait": None,
                          "left_behind": None, "stranded": None, "stay": "booking", "details": None,
                          "refund_chase": None, "seat": "booking", "seat_apart": "booking",
                          "damaged": "bag", "theft": "bag", "connection": None, "connection_at_stake": None,
                          "on_board": "cabin",
                          "schedule": "flight"},
    "product_fault": {"software": "app", "data_lost": None, "food": None, "on_board": None},
    "service_outage": {"slow": None, "down": None},
    "account_access": {"closed": "account", "frozen": "account", "compromised": None, "verification": None,
                       "signed_out": None, "impersonated": None},
    "order_delivery": {"wrong": "order", "damaged": "order", "return": "order", "return_refund": None,
                       "cancelled": "order", "not_mine": None},
    "information": {"stock": None},
}
# Trouble cues that tell of a thing that failed or was left dirty ("isn't working", "toilets very dirty").
_BROKE_OR_DIRTY = frozenset({"problem.not_working", "problem.gave_way", "problem.stated", "problem.bad_state"})
# Trouble cues that show a kind of the situation they stand in, beside its own situation words.
_KIND_CUES = {"travel_disruption": {"problem.delay": "delay", "problem.delay_stuck": "delay",
                                    "problem.delay_still": "delay", "problem.day_late": "delay",
                                    "problem.hours_late": "delay", "problem.hours_delayed": "delay",
                                    "struggle.stuck": "delay",
                                    "problem.bag_missing": "bags", "problem.bag_needed": "bags",
                                    "problem.bag_without": "bags", "problem.bag_theft": "theft",
                                    "problem.bag_damaged": "damaged"},
              "order_delivery": {"problem.cancelled": "cancelled", "problem.not_mine": "not_mine"},
              "service_conduct": {"problem.unwanted_contact": "unwanted", "problem.unwanted_sent": "unwanted",
                                  "struggle.cant_dm": "unanswered"},
              "billing_payment": {"problem.not_mine": "unauthorised", "problem.price_rise": "price_rise",
                                  "problem.price_rise_named": "price_rise", "problem.price_rise_from": "price_rise"}}
# Kind cues that show the kind only in some of their words: stuck, not struggling.
_HELD_UP_ONLY = {"struggle.stuck": re.compile(r"\bstuck\b", re.IGNORECASE)}
# Cue categories that tell of something gone wrong or a struggle, beyond confusion or feelings.
_TROUBLE_TOLD = frozenset({"problem", "struggle", "repeat_contact", "urgency", "churn_risk"})
_DELAY_OVER_CONNECTION = 180   # minutes of delay that say more than a connection missed because of it
# Kinds of a trip still under way: once it is over, what went wrong and what is owed come first.
_TRIP_KINDS = frozenset({"travel_disruption_cancelled", "travel_disruption_delay", "travel_disruption_connection",
                         "travel_disruption_connection_at_stake"})
# Someone else's treatment, seen: "to see cust needing assistance treated so poorly", "watched your agent
# yell at an elderly passenger".
_WITNESSED = re.compile(r"\b(?:see|seeing|saw|seen|watch|watched|watching|witness|witnessed|witnessing)\s+"
                        r"(?:your\s+\w+\s+(?:\w+\s+)?(?:treat|yell|shout|scream|speak|talk|be\s+rude)\w*\s+"
                        r"(?:at\s+|to\s+)?)?"
                        r"(?:an?|another|other|the|that|this|these|those|some)?\s*(?:\w+\s+){0,2}?"
                        r"(?:cust|customers?|passengers?|pax|people|person|man|woman|lady|guy|family|mother|father|"
                        r"mom|mum|dad|girl|boy|child|kid|couple|traveller|traveler|shopper|guest)\b"
                        r"[^.!?\n]{0,40}?\b(?:treated|yelled|screamed|shouted|spoken|talked|rude|mistreated|humiliated|"
                        r"ignored|refused|kicked|thrown|dragged|pushed|harassed|abused|belittled|mocked)\b",
                        re.IGNORECASE)
# ... and not theirs too: "rude to me", "treated us like criminals".
_TREATED_THEM = re.compile(r"\b(?:to|at|with)\s+(?:me|us)\b"
                           r"|\b(?:treated|spoke\s+to|talked\s+to|yelled\s+at)\s+(?:me|us)\b",
                           re.IGNORECASE)
# An outage asked about, not told: "is there an outage in Dayton?", "is your site down?", "any outages?"
_OUTAGE_ASKED = re.compile(r"\b(?:is|are)\s+there\s+(?:an?\s+|any\s+)?(?:known\s+)?(?:outages?|problems?|issues?)\b"
                           r"[^.!]*\?"
                           r"|\bany\s+(?:known\s+)?(?:outages?|problems|issues)\b[^.!]*\?"
                           r"|\b(?:is|are)\s+(?:\w+\s+){0,3}?(?:down|out)\b[^.!?]*\?", re.IGNORECASE)
# Seats apart only feared or wished against ("don't want to be separated", "worried we won't sit together").
_APART_FEARED = re.compile(r"\b(?:(?:do|does)\s*n[o']?t\s+want|worried|worry|afraid|scared|hope|hoping|make\s+sure|"
                           r"avoid|(?:will|would|going\s+to)\s+be)\b(?:\s+\S+){0,3}?\s+"
                           r"(?:separated|split\s+up|seated\s+apart|sat\s+apart|sit\s+together|seated\s+together)",
                           re.IGNORECASE)
# Kinds a journey's words go with rather than against ("share my seat with another passenger on this flight").
_ON_A_JOURNEY = _TRIP_KINDS | {"travel_disruption_seat", "travel_disruption_seat_apart"}
# Kinds that are the trouble itself: they outrank a kind that names the remedy ("you took my payment twice,
# can you refund one?" is a double charge to reverse, not a refund to chase), a missed visit outranks
# the waiting that came with it, and something left on the plane outranks the flight it was left on; a
# bill they cannot pay in full is the matter, whatever charge or credit is named beside it; points or
# miles the pack reads as owed and not there are the matter, whatever was paid to earn them.
_TROUBLE_KINDS = ("unauthorised", "not_mine", "twice", "no_show", "theft", "left_behind", "bumped", "connection",
                  "connection_at_stake", "stranded", "declined", "damage", "cut_off",
                  "details", "impersonated", "compromised", "price_rise", "claim_denied", "refund_refused", "claim",
                  "card_retained", "damaged",
                  "payment_plan", "card_delivery", "card_lost", "slow", "refund_chase", "after_cancel", "data_lost",
                  "return_refund", "fee", "verification", "food", "points", "signed_out", "bags_wait")
# Objects that are the journey itself, never a thing carried on it.
_JOURNEY_OBJECTS = frozenset({"flight", "train", "connection"})
# Objects a kind treats alike: a website that fails is software, as an app is.
_SAME_THING = {"website": "app"}
# Pack cues that show a kind in words of their own ("nobody came" is a missed visit).
_SAID_AS = {"no_show_said": "no_show", "hung_up": "cut_off", "luggage_damaged": "damaged", "arrived_state": "damaged",
            "update": "software", "software_application": "software", "game": "software", "case": "bags",
            "belongings": "bags", "room": "stay", "food_object": "food", "food_short": "food",
            "unauthorised_money": "unauthorised",
            "kept_waiting": "unanswered", "unreachable": "unanswered", "waiting": "unanswered",
            "phone_unanswered": "unanswered",
            "our_reply": "unanswered", "canned": "unanswered", "points_missing": "points", "points_lost": "points",
            "credit_report_told": "credit_report", "offer_named": "offer",
            "cancelled_flight": "cancelled", "lost_property": "left_behind", "hours_late": "delay",
            "hours_delayed": "delay",
            "hours_counted": "unanswered"}
# A journey's own words ("train", "flight", "gate"): they say what a delay or a cancellation happened to, so
# they never outweigh the one word that says which ("train cancelled"). Beside a stay, they say the matter
# may be the journey and not the stay, and count as before.
_JOURNEY_CUES = frozenset({"travel_disruption.travel", "travel_disruption.train", "travel_disruption.arrival",
                           "travel_disruption.journey_broken", "travel_disruption.assistance"})
# A wait told in plain words (a pack cue), and the words of a message that make it a wait for us to answer.
_WAITED = frozenset({"waiting"})
_HOLD_WORDS = frozenset({"hold", "holding", "queue", "line", "helpline", "agent", "callback", "back", "support",
                         "update", "updates", "news", "word", "status", "someone", "somebody", "anyone", "come",
                         "through", "hanging", "help", "pick"})
# Kinds named by a thing that says them only when the words beside it tell of it going wrong (a bag).
_TOLD_OF_TROUBLE = frozenset({"bags"})
# News asked for ("any update?", "no updates"), and the ways of reaching us a customer may have tried.
_NEWS_ASKED = re.compile(r"\b(?:updates?|news)\b", re.IGNORECASE)
_NEWS_CUES = frozenset({"problem.waiting", "problem.hours_counted"})


def _only_news_asked(told: list[str]) -> bool:
    """Everything that made it a matter of our answering is news asked for ("any update?"), not a wait told."""
    return bool(told) and all(_NEWS_ASKED.search(w) for w in told)


# Words of being left without word from us ("no communication", "poor communication"), and the conduct
# cues whose words they may be.
_NOT_INFORMED = re.compile(r"\b(?:no|lack\s+of|poor|bad|terrible|awful|zero)\s*communication\b", re.IGNORECASE)
_CONDUCT_CUES = frozenset({"service_conduct.unanswered", "service_conduct.treatment"})


# Words of a call of ours that has not come ("no call till now", "nobody called me back", "said they would
# call me"), and the cues whose words they may be.
_CALL_AWAITED = re.compile(r"\b(?:no|still\s+no)\s+call(?:\s*back)?\b|\bno\s+callback\b|"
                           r"\b(?:never|nobody|no\s+one)\s+(?:called|rang|phoned)\b|"
                           r"\b(?:would|will|to)\s+call\s+(?:me|us)\b|\bpromised\s+(?:me\s+|us\s+)?a\s+call",
                           re.IGNORECASE)
_AWAITED_CUES = _CONDUCT_CUES | {"repeat_contact.repeated", "problem.waiting"}


# Told of trouble nobody told them of: "cancelled my flight and didn't tell me", "never notified us", "no one
# told me my flight was cancelled" (not "didn't tell me why": an explanation owed, said by the act; nor "if
# not, tell us now").
_NOT_TOLD = re.compile(r"\b(?<!\bif\s)(?:(?:didn'?t|did\s+not|never|not|without)\s+(?:bother(?:ing)?\s+to\s+)?"
                       r"(?:inform(?:ing|ed)?|notif(?:y|ying|ied)|tell(?:ing)?|told|let(?:ting)?\s+(?:me|us)\s+know)|"
                       r"(?:nobody|no\s+one|noone)\s+(?:told|informed|notified|let\s+(?:me|us)\s+know)|"
                       r"(?:wasn'?t|weren'?t|was\s+not|were\s+not)\s+(?:told|informed|notified))"
                       r"\b(?!(?:\s+(?:me|us))?\s+(?:why|where|what|how|when|who|which|anything)\b)", re.IGNORECASE)
# ... or left without word of how it stands: "no announcements at the gate", "40 minutes with no info", "you
# stopped giving updates", "kept in the dark" (not asked about: "no update yet on my refund?").
_NO_UPDATES = re.compile(r"\b(?:no|zero|without\s+(?:any\s+)?|not\s+(?:one|a\s+single|any))\s*"
                         r"(?:updates?|info(?:rmation)?|announcements?)\b(?![^.!?\n]*\?)"
                         r"|\bstopped\s+(?:giving|sending|posting)\s+(?:us\s+|me\s+)?(?:any\s+)?updates\b"
                         r"|\bstopped\s+updating\b|\b(?:kept|keeping|left|leaving)\s+(?:us|me|everyone|people|"
                         r"passengers)\s+in\s+the\s+dark\b", re.IGNORECASE)


def _untold(analysis: Analysis, said_as: str, restatement: Restatement, situation: str, kind: str,
            repeat: bool) -> str:
    """How we left them without word, unless the reply already says it: nobody told them ("told"), no word
    of how it stands ("updates"), or no way through to us while the matter was something else ("unreached":
    a cancelled flight, then two hours on hold). Being left without word from us is the whole matter when
    said as service_conduct_not_informed, "there's still no update" said back needs no second sorry, and
    calls already heard as contacting us again need no third."""
    if said_as in ("service_conduct_not_informed", "service_conduct_update"):
        return ""
    if _NOT_TOLD.search(analysis.text):
        return "told"
    if _SAID_BACK_AS_NEWS.search(restatement.clause or ""):
        return ""
    if _NO_UPDATES.search(analysis.text):
        return "updates"
    if (not repeat and situation != "service_conduct" and not (said_as or kind).startswith("service_conduct")
            and _COULD_NOT_REACH.search(analysis.text) and not _REACHED_FOR.search(restatement.clause or "")):
        return "unreached"
    return ""


# Tried to reach us and could not: "two hours on hold", "can't get through", "cannot get a human", "nobody
# answers the phone" (not "hold my bag", nor "on hold" said of a booking: "put my reservation on hold").
_COULD_NOT_REACH = re.compile(
    r"\b(?:(?:been|was|were|sat|sitting|waiting|wait|waited|still|hours?|hrs?|minutes?|mins?)\s+"
    r"(?:\w+\s+){0,2}?on\s+hold"
    r"|on\s+hold\s+(?:for|since)|hold\s+(?:time|music)"
    r"|(?:can'?t|cannot|could\s*n'?t|couldnt|unable\s+to|not\s+able\s+to|impossible\s+to)\s+"
    r"(?:get\s+(?:through|a\s+(?:human|person|real\s+person|hold\s+of)|hold\s+of|anyone|anybody|someone)"
    r"|reach\s+(?:you|anyone|anybody|someone|a\s+(?:human|person))|get\s+an?\s+answer)"
    r"|(?:nobody|no\s+one|noone)\s+(?:is\s+)?(?:answer(?:s|ing)?|pick(?:s|ing)?\s+up)"
    r"|\bhung\s+up\s+on|busy\s+signal)\b"
    # ... or a call cut off: "on hold, then disconnected" (not "my internet was cut off")
    r"|\b(?:call|calls|phone|hold|line|agent|rep)\b[^.!?\n]{0,40}?\b(?:cut\s+off|disconnected|dropped)\b",
    re.IGNORECASE)


# News words in a clause said back ("there's still no update"): the wait for news is said already.
_SAID_BACK_AS_NEWS = re.compile(r"\b(?:updates?|info(?:rmation)?|news|announcements?|word)\b", re.IGNORECASE)


# More than one cancellation: "two cancellations in 24hrs", "cancelled again", "both my flights cancelled".
_CANCELLED_AGAIN = re.compile(r"\bcancell?ations\b|\bcancell?ed\s+(?:twice|again|both|two|three|all)\b"
                              r"|\b(?:two|2|three|3|both|multiple|several)\s+(?:of\s+)?(?:my\s+|our\s+|the\s+)?"
                              r"(?:\w+\s+)?flights\s+(?:\w+\s+){0,2}?cancell?ed\b"
                              r"|\b(?:second|2nd|third|3rd|another)\s+cancell?ation\b", re.IGNORECASE)


# Asking how to reach us at all: "how do I contact customer service?", "what do I need to do to speak to someone?"
_HOW_TO_REACH_US = re.compile(r"\b(?:how|where)\s+(?:do|can|should|would)\s+(?:i|we|one)\s+(?:\w+\s+)?"
                              r"(?:contact|reach|call|speak\s+to|talk\s+to|get\s+(?:hold\s+of|through\s+to|in\s+touch))"
                              r"|\bwhat\s+do\s+(?:i|we)\s+(?:need|have)\s+to\s+do\s+to\s+"
                              r"(?:contact|reach|speak|talk|get)", re.IGNORECASE)


# More than one delay: "delayed 3 times", "delayed again", "the third delay".
_DELAYED_AGAIN = re.compile(r"\bdelayed\s+(?:again|twice|(?:\d+|two|three|four|five|multiple|several|many)\s+times)\b"
                            r"|\b(?:second|third|fourth|2nd|3rd|4th|another)\s+delay\b", re.IGNORECASE)


# Words of an answer given by rote ("canned response", "form letters", "copy and paste"), and the cues whose
# words they may be.
_CANNED = re.compile(r"\b(?:canned|impersonal|scripted|generic|boilerplate|templated?|"
                     r"form\s+(?:letters?|repl(?:y|ies)|responses?)|copy(?:\s+and\s+|\s*/\s*|\s+)?paste)",
                     re.IGNORECASE)
_CANNED_CUES = frozenset({"service_conduct.canned", "service_conduct.our_reply", "service_conduct.unanswered"})


def _only_canned(told: list[str]) -> bool:
    """Everything that made it a matter of how we answered is an answer given by rote."""
    return bool(told) and all(_CANNED.search(w) for w in told)


def _only_call_awaited(told: list[str]) -> bool:
    """Everything that made it a matter of how we answered is a call of ours that has not come."""
    return bool(told) and all(_CALL_AWAITED.search(w) for w in told)


def _only_not_informed(told: list[str]) -> bool:
    """Everything that made it a matter of how we served them is being left without word from us."""
    return bool(told) and all(_NOT_INFORMED.search(w) for w in told)


_REACHED_FOR = re.compile(r"\b(?:phone[sd]?|call(?:s|ed|ing)?|rang|ring(?:ing)?|e-?mail(?:s|ed)?|dm(?:s|ed)?|"
                          r"message[sd]?|messaging|chat|hold|tweet(?:s|ed)?|repl(?:y|ied|ies)|respon(?:d|ded|se)|"
                          r"answer(?:s|ed)?|contact(?:ed)?|reach(?:ed)?|wrote|written|letter)\b", re.IGNORECASE)
# A connection named in a trouble or urgency cue: "missed my connection", "make my connecting flight".
# (An onward flight gone before they landed is a connection missed, named or not.)
_CONNECTION = re.compile(r"\bconnect(?:ion|ions|ing)\b|\bbefore\s+(?:we|i)\s+(?:even\s+)?landed\b", re.IGNORECASE)
# Cues of a connection missed, and of one still at stake ("will I make my connection?", "about to miss my
# connection"). (Not a connection only named: "my connecting flight", "my connection is delayed too so I'll make it".)
_CONNECTION_MISSED = frozenset({"problem.bumped"})
_STILL_TO_COME = re.compile(r"\b(?:about\s+to|going\s+to|gonna|will|'ll|might|may|could|would|likely\s+to|"
                            r"scheduled\s+to|set\s+to|bound\s+to|sure\s+to|"
                            r"don'?t|do\s+not|won'?t|not)\s+"
                            r"(?:probably\s+|definitely\s+|now\s+)?$", re.IGNORECASE)
_CONNECTION_AT_STAKE = frozenset({"urgency.travel", "urgency.connection_at_stake", "urgency.catching"})
_TRAVEL_AT_STAKE = frozenset({"urgency.travel"})    # a connection only when it names one ("miss my connection")
# A journey broken in the pack's situation words: cancelled, delayed, a connection missed, stranded.
_JOURNEY_BROKEN = frozenset({"travel_disruption.cancelled", "travel_disruption.delay",
                             "travel_disruption.journey_broken", "travel_disruption.stranded",
                             "travel_disruption.bumped"})
# Where a journey ended told plainly: "it was cancelled", "then got cancelled" (not "delays and cancellations").
_ENDED_CANCELLED = re.compile(r"\b(?:was|were|got|has\s+been|have\s+been|is\s+now|now)\s+"
                              r"(?:just\s+|then\s+|also\s+)?$", re.IGNORECASE)
# A cancellation told of as having happened (a pack cue), not one asked about.
_CANCELLATION_TOLD = frozenset({"problem.cancelled"})
_BESIDE = 10   # words either side, within the sentence
# Where a fault was met on a journey: on the plane or the train, in a seat, in the cabin.
_ON_BOARD = re.compile(r"\b(?:on\s+(?:the\s+|my\s+|our\s+|this\s+|your\s+)?(?:flight|plane|aircraft|train|bus|coach|ferry)"
                       r"|on\s?board|in-?flight|in\s+(?:the\s+|my\s+)?cabin|seat\s+\d{1,2}[a-k]?)\b", re.IGNORECASE)
# Things that say the fault was met booking or paying online, not on board.
_BOOKED_ONLINE = frozenset({"website", "app", "payment", "offer"})


def _told_beside(analysis: Analysis, e, sentence) -> str:
    """The words either side of evidence ``e`` within its sentence ("you lost customers because your staff
    wouldn't let us take our carry-on": "lost" is too far from the bag to be said of it). ``sentence``: a
    ``sentence_finder`` of the body (many are asked of one message)."""
    text = analysis.text if e.source == "body" else analysis.subject
    if e.source != "body":
        start, end = 0, len(text)
    else:
        start, end = sentence(e.start)
    # (Words are read from a stretch of characters around it, not the whole sentence: a run-on message of
    # thousands of words is one sentence.)
    reach = _BESIDE * 24
    before = text[max(start, e.start - reach):e.start].split()
    after = text[e.end:min(end, e.end + reach)].split()
    if e.start - reach > start:
        before = before[1:]     # (the first may be cut in half)
    if e.end + reach < end:
        after = after[:-1]
    return " ".join(before[-_BESIDE:] + [e.words] + after[:_BESIDE])


# A wait of minutes, or an hour or two, for what came in the end: "a 30 minute wait for checked bags".
_SHORT_WAIT = re.compile(r"\b(?:\d{1,3}|an?|one|two)[\s-]*(?:minutes?|mins?|hours?|hrs?)\+?\s+"
                         r"(?:wait|waiting|to\s+wait)\b|"
                         r"\b(?:waited|wait|waiting)\s+(?:for\s+)?(?:over\s+|almost\s+|nearly\s+)?"
                         r"(?:a\s+full\s+|(?:\d{1,3}|an?|one|two)\s*(?:full\s+)?)"
                         r"(?:minutes?|mins?|hours?|hrs?)\b|"
                         # "waiting for my luggage at carousel 5 for 40 minutes": the length told after the place.
                         r"\b(?:waited|waiting)\b[^.!?]{1,60}?\bfor\s+(?:over\s+|almost\s+|nearly\s+|about\s+)?"
                         r"(?:\d{1,3}\s*(?:minutes?|mins?)|(?:an?|one|two|[12])\s*(?:hours?|hrs?))\b",
                         re.IGNORECASE)
# Bags being loaded or waited on to load: the plane is held, no bag is lost ("waiting for someone to load
# the baggage"). (A bag "never loaded" is lost, and says so in the past.)
_LOADING = re.compile(r"\b(?:to (?:be )?load(?:ed)?|loading)\b", re.IGNORECASE)
# Bags waited for where they come off the plane ("standing at the carousel", "still waiting for our bags") ...
_AT_THE_BELT = re.compile(r"\b(?:waiting|wait|waited|standing|stood)\s+(?:for|on|at|by)\b|"
                          r"\b(?:carousel|belt|baggage\s+claim|bag\s+claim)\b", re.IGNORECASE)
# ... unless the message tells of them gone or late in days: lost, missing, to be delivered, "since yesterday".
_BAG_GONE = re.compile(r"\b(?:lost|missing|deliver\w*|days?|yesterday|weeks?|never|didn't|did\s+not|hasn't|"
                       r"(?:not|wasn't|weren't)\s+(?:placed|put|loaded)|"
                       r"has\s+not|haven't|where|find|found|trace\w*|left\s+behind|sent\s+to|ended\s+up|"
                       r"damaged|broken|stolen|file[ds]?|report\w*|another\s+flight|next\s+flight)\b",
                       re.IGNORECASE)
# What a bag is allowed or costs, or where it is handed over: "no bag allowance on an international flight?"
# asks about the rules, "bag drop is backed up" is a queue, no bag gone missing.
_BAG_RULES = re.compile(r"\b(?:allowance|allowances|allowed|drop|drops|check-in)\b", re.IGNORECASE)
# Kinds worded as another: an account frozen is reviewed as a closed one is.
_WORDED_AS = {"account_access_frozen": "account_access_closed"}


def _trip_over(analysis: Analysis, ts: TemplateSet, situation: str) -> str:
    """``travel_disruption_past`` when the journey is over by the customer's words and nothing says it
    is still under way, else ""."""
    if situation != "travel_disruption":
        return ""
    over = mentions(analysis.text, ts.trip_over) and not mentions(analysis.text, ts.trip_ongoing)
    # "Now having to book a flight on another airline while at the airport": however much is still under
    # way, their journey is no longer ours to check or rebook.
    low = analysis.text.lower()
    went = _WENT_ELSEWHERE.search(analysis.text) if ("airline" in low or "carrier" in low) else None
    if went and _NOT_DONE_BEFORE.search(analysis.text, max(0, went.start() - 20), went.start()):
        went = None     # "they won't book us with another airline": still ours, and still stuck
    return "travel_disruption_past" if over or went else ""


_NOT_DONE_BEFORE = re.compile(r"\b(?:won'?t|wouldn'?t|can'?t|cannot|couldn'?t|didn'?t|refused? to|not)\s+(?:\w+\s+)?$",
                              re.IGNORECASE)
_WENT_ELSEWHERE = re.compile(r"\b(?:book(?:ed|ing)?|bought|buy(?:ing)?|purchas(?:e|ed|ing)|fl(?:y|ying|ew)|"
                             r"tak(?:e|ing)|took|switch(?:ed|ing)?)\b[^.!?\n]{0,30}?\b(?:on|with|to)\s+"
                             r"(?:an?other|a\s+different|different)\s+"
                             r"(?:airline|carrier)\b", re.IGNORECASE)


# Cues that tell a trouble still weighs on them: felt, chased, threatened over, or a life event.
_FELT_STRONGLY = frozenset({"frustration", "repeat_contact", "churn_risk", "struggle", "life_event"})
# Cues that tell a trouble was felt, chased or threatened over, beyond a faint word read as negative.
_TROUBLE_FELT = frozenset({"frustration", "repeat_contact", "churn_risk", "struggle"})
# Fares for a journey, not the price of a plan or a policy.
_FARES = re.compile(r"\b(?:fares?|airfares?|flights?|plane tickets?|train tickets?|ticket prices?)\b", re.IGNORECASE)
# A fee named as our rule: "a $200 change fee", "the fee to change", "you charge $8 for tv", "charging for bags".
_FEE_IN_OUR_RULES = re.compile(r"(?:\$\s?\d+|\b\d+\s?(?:dollars?|usd|bucks))(?:\s+[a-z]+){0,2}?\s+fees?\b|"
                               r"\b(?:change|changing|baggage|bag|checked bag|seat|seating|rebooking|reservation|"
                               r"cancellation|upgrade|booking)\s+fees?\b|\bfees?\s+(?:to|for)\s+(?:change|changing|"
                               r"bags?|checked|seats?|sit|use|rebook)\b|"
                               r"\b(?:you|u|they|airlines?)\s+(?:now\s+|still\s+)?charg(?:e|es|ing)\s+"
                               r"(?:\$|£|€|\d|for|extra|to)"
                               # "a $200 charge just 2 change flights"
                               r"|(?:\$\s?\d+|\b\d+\s?(?:dollars?|usd|bucks))\s+charge\s+(?:just\s+)?(?:to|2)\s+"
                               r"(?:change|changing|check|add|move|switch|rebook|cancel)\b", re.IGNORECASE)
# Money already taken from them, or owed back: a payment to check, not a rule to explain.
_TAKEN_FROM_THEM = re.compile(r"\b(?:charged|billed|debited|took|taken|deducted)\s+(?:me|us|my|our|an?\s+additional|"
                              r"twice|double)\b|\b(?:i|we)\s+(?:was|were|got|have\s+been|'ve\s+been|am|are)\s+"
                              r"(?:being\s+)?(?:charged|billed|debited)\b|\bon\s+my\s+(?:card|account|statement|bill)\b|"
                              r"\brefund|\breimburs|\bpaid\b", re.IGNORECASE)


# A booking they tried and failed to make: "trying to book", "couldn't book", "unable to reserve".
_BOOKING_FAILED = re.compile(r"\b(?:try|trying|tried|attempting|attempted|can't|cant|cannot|couldn't|couldnt|"
                             r"unable to|not able to)\s+(?:to\s+)?(?:book|reserve)\b", re.IGNORECASE)


# A hotel wanted for a journey, however it went wrong ("no offers to provide us with a hotel for a flight 19 hours
# away", "need a free hotel stay"): the journey's remedy, not a stay that went wrong.
_HOTEL_WANTED = re.compile(r"\bno\s+(?:offers?\s+(?:of|to)\s+(?:\w+\s+){0,3})?(?:a\s+)?hotels?\b|"
                           r"\bprovide\s+(?:us|me)\s+(?:with\s+)?(?:a\s+)?hotel|\bneed\s+(?:a\s+)?(?:free\s+)?hotel|"
                           r"\bhotel\s+vouchers?\b|\bput\s+(?:us|me)\s+up\b", re.IGNORECASE)


def _stay_over(analysis: Analysis, ts: TemplateSet) -> bool:
    """The stay is over by the customer's words ("we stayed", "during our stay") and nothing says they are
    still there ("we're here till Sunday", "tonight"). (A towel "still" in the wardrobe is no stay still
    under way, so the journey's words for going on are not the ones read.)"""
    return mentions(analysis.text, ts.trip_over) and not mentions(analysis.text, ts.stay_ongoing)


def _leaving_unhappy(analysis: Analysis) -> bool:
    """Leaving because of how the service went (feelings, or a problem away from the change: "cancel my
    membership, the classes keep getting cancelled"), with no trouble with the change itself ("I can't
    cancel", "the cancel button doesn't work") and no charge to deal with."""
    owed = [c for c in analysis.cues if c.apology and c.source == "body"]
    evidence = [e for e in analysis.understanding.situation_evidence if e.source == "body"]
    if not _ends_something(analysis):
        return False     # a change that is no leaving ("where do I change my address?")
    change = [(e.start, e.end) for e in evidence]

    def at_the_change(c) -> bool:
        return any(_words_between(analysis.text, c, span) <= _NEAR_WORDS for span in change)

    if set(analysis.understanding.objects) & _MONEY or any(
            c.category in _CHANGE_TROUBLE and at_the_change(c) for c in owed):
        return False     # a charge to put right, or trouble making the change itself
    return any(c.category in _FEELINGS or c.category in _CHANGE_TROUBLE for c in owed)


def _just_leaving(analysis: Analysis) -> bool:
    """Nothing owes the apology but the wish to leave ("please cancel my contract, I'm moving abroad"):
    no struggle to be sorry for, only a customer to see off well. The change must end something: "change
    my whole schedule, can we get a refund?" is no customer leaving."""
    owed = [c for c in analysis.cues if c.apology]
    return bool(owed) and all(c.category == "churn_risk" for c in owed) and _ends_something(analysis)


def _ends_something(analysis: Analysis) -> bool:
    """The words that show the change end something (cancel, close, leave), not move or alter it."""
    return any(_LEAVING.search(e.words) for e in analysis.understanding.situation_evidence if e.source == "body")


_CHANGE_TROUBLE = frozenset({"problem", "repeat_contact", "struggle", "confusion"})
# Cues that tell of something gone wrong, plainly ("overcharged") or in general words ("the fee looks wrong").
_WRONG_TOLD = frozenset({"problem", "negative_wording"})
# Words of a change that ends something: leaving us, not changing an address or a seat.
_LEAVING = re.compile(r"\b(?:cancel|cancell?(?:ing|ation)|clos(?:e|ing)|terminat|leav|end my|unsubscrib|delet|"
                      r"stop my|opt out|shut down|switch(?:ing)? to)", re.I)
_NEAR_WORDS = 2


def _words_between(text: str, cue, span: tuple[int, int]) -> int | float:
    """Words between a cue and a span of the text (0 when they touch or overlap; infinite across a
    sentence end: "close my account. You've lost my trust" is no trouble with closing it)."""
    a, b = sorted(((cue.start, cue.end), span))
    if b[0] <= a[1]:
        return 0
    between = text[a[1]:b[0]]
    return float("inf") if re.search(r"[.!?]\s", between) else len(between.split())


def _kind(analysis: Analysis, situation: str, ts: TemplateSet) -> str:
    """``<situation>_<kind>`` when one kind clearly shows, else "" (the situation's own wording).

    Kinds about a thing: the one whose thing the message is most about (named first) and whose words
    are there, else one whose words are as many as all the situation's other words. Kinds about no
    thing: the one with more words, unless tied."""
    if situation in ("other", "information") and _only_asking_for_help(analysis):
        # "Please help", "can you help me?": nothing said yet of what is wrong; no fault assumed.
        return "other_help"
    if situation == "change_or_cancel" and _leaving_unhappy(analysis):
        # Leaving because of how it went: the bad experience is what to say sorry for, not the change.
        return "change_or_cancel_unhappy"
    if situation == "change_or_cancel" and _just_leaving(analysis):
        return "change_or_cancel_leaving"
    kinds = _KINDS.get(situation)
    if not kinds:
        return ""
    u = analysis.understanding
    counts = dict.fromkeys(kinds, 0)
    others = journey_words = 0
    sentence = sentence_finder(analysis.text)
    asked = [(e.start, e.end, e.source) for e in u.evidence_for("refund")]
    journey_broken = situation == "travel_disruption" and (
        any(e.why in _JOURNEY_BROKEN for e in u.situation_evidence)
        or any(c.cue_id in _KIND_CUES["travel_disruption"] or c.cue_id in _CANCELLATION_TOLD for c in analysis.cues))
    # (Read once: a run-on message may name its bags hundreds of times.)
    bags_gone = situation == "travel_disruption" and _BAG_GONE.search(analysis.text) is not None
    for e in u.situation_evidence:
        said = e.why.rpartition(".")[2]
        kind = _SAID_AS.get(said, said)
        if said in _WAITED and not mentions(analysis.text, ts.contact_words | _HOLD_WORDS):
            # "Make people wait for their food", "kept us waiting for a gate": a wait, not an answer from us
            # that never came.
            others += 1
            continue
        if kind == "refund" and any(a <= e.start and e.end <= b and e.source == src for a, b, src in asked):
            # "Could you refund the difference?": a refund asked for now is the remedy the ask answers,
            # not a refund that is owed and late.
            continue
        # (The words beside it, not its own: a "baggage claim" is a place, no claim for a bag.)
        beside = _told_beside(analysis, e, sentence).replace(e.words, " ", 1) if kind in _TOLD_OF_TROUBLE else ""
        if (kind in _TOLD_OF_TROUBLE and _AT_THE_BELT.search(beside) and not bags_gone
                and not _SHORT_WAIT.search(beside) and not _LOADING.search(beside)):
            # "Still waiting for our bags, landed an hour ago": slow off the plane, to chase at the airport, not
            # a bag to trace (a wait measured in minutes is said back as the wait it is, below).
            counts["bags_wait"] += 1
            continue
        if kind in _TOLD_OF_TROUBLE and (not mentions(beside, ts.bag_trouble) or _SHORT_WAIT.search(beside)
                                         or _LOADING.search(beside) or _BAG_RULES.search(beside)):
            # ("A 30 minute wait for our bags": slow off the plane, not lost; nothing to trace.)
            # A bag named without anything gone wrong with it is a word of the journey.
            others += 1
            journey_words += 1
            continue
        told_beside = _told_beside(analysis, e, sentence) if kind == "stay" else ""
        if kind == "stay" and ((journey_broken and mentions(told_beside, ts.stay_as_remedy))
                               or ("flight" in u.objects and _HOTEL_WANTED.search(told_beside))):
            # "Cancelled, and now I have to pay for a hotel", "no hotel vouchers": the hotel is what the broken
            # journey cost them, a word of the journey, not a stay that went wrong.
            others += 1
            journey_words += 1
            continue
        if kind == "cancelled" and not any(c.cue_id in _CANCELLATION_TOLD for c in analysis.cues):
            # "Will it be cancelled tomorrow?", "clear or cancelled?": a cancellation asked about before it
            # happens is a word of the journey, none to say sorry for.
            others += 1
            continue
        if kind in counts:
            counts[kind] += 1
        else:
            others += 1
            journey_words += e.why in _JOURNEY_CUES
    if "connection" in counts:
        # A connection missed ("miss connection by 2 minutes") or at stake ("will I make my connection?"). A delay
        # measured in hours says more than the connection it cost ("delayed 8 hours, missed my connection").
        told = [(c.start, c.source) for c in analysis.cues if c.apology and c.cue_id in _CONNECTION_MISSED
                and _CONNECTION.search(c.matched)]
        told += [(e.start, e.source) for e in u.situation_evidence
                 if e.why in _JOURNEY_BROKEN and _CONNECTION.search(e.words)]
        # ("About to miss my connection", "will miss connection to Cancun", "hope I don't miss my connection":
        # still to come.)
        to_come = sum(1 for at, src in told
                      if src == "body" and _STILL_TO_COME.search(analysis.text, max(0, at - 24), at))
        # (The wait is measured only when a connection was missed: most trips name none.)
        # (A delay of hours says more than the connection it cost; a shorter one, "the inbound was 90 minutes
        # late", is what made them miss it, and the missed connection is the harm.)
        long_wait = (wait_minutes(analysis.text) or 0) >= _DELAY_OVER_CONNECTION
        counts["connection"] += len(told) - to_come if len(told) > to_come and not long_wait else 0
        counts["connection_at_stake"] += 0 if counts["connection"] else to_come + sum(
            1 for c in analysis.cues if c.apology and c.cue_id in _CONNECTION_AT_STAKE
            and (c.cue_id not in _TRAVEL_AT_STAKE or _CONNECTION.search(c.matched)))
    if "unanswered" in counts and any(c.category == "repeat_contact" and c.weight >= 1.0 for c in analysis.cues):
        counts["unanswered"] += 1     # chased before: left without an answer (not "fail again")
    for cue_id, kind in _KIND_CUES.get(situation, {}).items():
        # A trip held up says so in words of trouble too ("stuck on the tarmac for two hours"); trouble
        # had in doing something ("having some trouble checking in") holds up nothing.
        counts[kind] += sum(1 for c in analysis.cues if c.cue_id == cue_id and c.apology
                            and (cue_id not in _HELD_UP_ONLY or _HELD_UP_ONLY[cue_id].search(c.matched)))
    if counts.get("delay") and counts.get("cancelled") and any(
            c.cue_id in _CANCELLATION_TOLD and c.source == "body"
            and _ENDED_CANCELLED.search(analysis.text, max(0, c.start - 24), c.start) for c in analysis.cues):
        # "Delayed? No, it was cancelled", "delayed twice, then cancelled": where it ended is what to say.
        counts["delay"] = 0
    if counts.get("credit_report") and counts.get("unauthorised"):
        counts["unauthorised"] = 0    # accounts on a credit file "that are not mine": an entry to correct
    about = {kind: thing for kind, thing in kinds.items() if thing}
    leading = next((k for k in _TROUBLE_KINDS if counts.get(k)), None)
    # "Hung up on after 48 minutes on hold": the wait measured says it, with the call that ended it; "very rude
    # and hung up on me": how they were spoken to says more.
    waited_then_cut_off = "cut_off" in counts and bool(measured_wait(analysis.text))
    if leading == "cut_off" and (counts.get("treatment") or waited_then_cut_off):
        leading = None
    if leading in ("connection", "connection_at_stake") and (
            counts.get("cancelled") or counts.get("bags") or counts.get("bags_wait") or "bag" in u.objects):
        # "Cancelled, so I missed my connection": the cancellation says what happened; "our bag will sit in New
        # Jersey because of a missed connection": the bag is what to put right.
        leading = None
    if leading == "stranded" and (counts.get("cancelled") or counts.get("delay")):
        # "Cancelled, and now we're stuck at the airport", "six hours stuck at the airport, delayed again":
        # the cancellation or the delay says what happened; being stuck is what it did to them.
        leading = None
    if not leading and situation == "product_fault" and u.objects[:1] == ("food",) and "food" in counts:
        leading = "food"    # "expired beer", "the milk was off": food gone wrong, whatever the fault word
    if (not leading and situation == "product_fault" and _ON_BOARD.search(analysis.text)
            and not any(o in _BOOKED_ONLINE for o in u.objects)):
        # "The tv in seat 6F didn't work", "no heating on the train": the journey's equipment let them down;
        # the seat and the journey find it, not a model number or an account.
        leading = "on_board"
    if (not leading and situation == "travel_disruption" and "cabin" in u.objects[:2] and not journey_broken
            and not counts.get("bags") and any(c.cue_id in _BROKE_OR_DIRTY and c.apology for c in analysis.cues)):
        # "Toilets very dirty on train 12358", "the seatback screen never worked": what failed aboard is reported
        # and made up for, not a journey to rebook. (Not the legroom or the bins: how the cabin is, no fault.)
        return "travel_disruption_on_board"
    if leading:
        return _WORDED_AS.get(f"{situation}_{leading}", f"{situation}_{leading}")
    if about:
        # The first thing named that one of the kinds is about ("a refund for my cancelled flight": the
        # refund is an ask of a trip, the flight says which kind of trip trouble).
        things = set(about.values())
        first = next((t for t in (_SAME_THING.get(o, o) for o in u.objects) if t in things), None)
        rest = others + sum(counts.values())

        def against(kind: str) -> int:
            return rest - counts[kind] - (journey_words if f"{situation}_{kind}" in _ON_A_JOURNEY else 0)

        chosen = next((k for k, thing in about.items() if counts[k] and thing == first), None) or next(
            (k for k in about if counts[k] and counts[k] >= against(k)), None)
        return _WORDED_AS.get(f"{situation}_{chosen}", f"{situation}_{chosen}") if chosen else ""
    ranked = sorted(counts.items(), key=lambda kv: -kv[1]) + [("", 0)]   # (a situation of one kind ranks it alone)
    if ranked[0][0] == "cut_off" and waited_then_cut_off:
        return ""
    return f"{situation}_{ranked[0][0]}" if ranked[0][1] > ranked[1][1] else ""


def _only_asking_for_help(analysis: Analysis) -> bool:
    """The only thing told is a call for help ("Please help", "can someone help me? it's urgent"), in a
    few words with nothing named: a longer message has said what is wrong, even in words we do not read."""
    told = [c for c in analysis.cues if c.apology and c.source == "body"]
    words = [w for w in analysis.text.split() if not w.startswith(("@", "#", "http"))]
    return (len(words) <= _FEW_WORDS and not analysis.understanding.objects
            and any(only_asks_for_help(c) for c in told)
            and all(only_asks_for_help(c) or c.category == "urgency" for c in told))


_FEW_WORDS = 10


def _worded_for(analysis: Analysis) -> str:
    """The situation the reply is worded for."""
    situation = analysis.understanding.situation
    evidence = analysis.understanding.situation_evidence
    if situation == "product_fault" and evidence and all(e.why.startswith("confusion.") for e in evidence):
        # Only a question of why or what is going on ("could someone explain what is going on?"): no fault
        # named, none to be sorry for.
        return "other"
    if (situation == "how_to" and "explain" not in analysis.understanding.asks and "?" not in analysis.text
            and not any(c.category in _STRUGGLING for c in analysis.cues)):
        # Teaching ("I'll walk you through it") answers a question or a struggle; with neither, say less.
        return "other"
    return situation


def _severity_and_care(u) -> tuple[int, str | None]:
    """Severity 0-3, and the serious kind the reply leads with care for: only with the words that show
    it, never condolences or alarm on a guess."""
    severity = max(0, min(3, u.severity))
    if severity == 3 and u.serious_kind and u.severity_evidence:
        return 3, u.serious_kind
    return (2 if severity == 3 else severity), None


def _asks_and_contact(analysis: Analysis, ts: TemplateSet, needs_key: str, short: bool) -> tuple[list[str], str]:
    """The asks answered by an action part, in order, and how the reply continues the conversation
    (``needs_key``: the serious kind or the situation whose private-contact line names what is needed)."""
    u = analysis.understanding
    asks = [a for a in ASK_ORDER if a in u.asks]
    if "callback" in asks:
        if _PHONE_GIVEN.search(analysis.text):
            return asks, "given"      # "call me on the number on our account": never ask for it again
        if short:
            asks.remove("callback")   # the callback line answers it
        return asks, "callback"
    if analysis.channel == "social" and (_DM_BLOCKED.search(analysis.text)
                                         or any(c.cue_id in CANT_REACH_US for c in analysis.cues)):
        return asks, "dm_blocked"     # "I can't send you a DM": asking for one again would fail again
    if analysis.channel == "social" and (_DM_THEM.search(analysis.text) or _OUR_NUMBER_ASKED.search(analysis.text)):
        # "pls dm me": we write first, nothing asked of them; "is there a number I can call?": the number
        # is ours to send them.
        return asks, "dm_them"
    if analysis.channel == "social" and _DM_SENT.search(analysis.text):
        return asks, "dm_sent"        # "no response to my DM": the answer goes there, no new DM asked for
    if u.info_given:
        return asks, "given"
    if analysis.channel == "social":
        return asks, "private"
    if not short and needs_key in ts.contact_needs:
        return asks, "long"
    return asks, "none"


# A private message already sent to us ("no reply to my DM", "I DMed you yesterday", "check your inbox").
_DM_SENT = re.compile(r"\b(?:(?:my|our)\s+(?:tweets?\s+(?:and|&)\s+)?(?:dm|dms|direct message|direct messages|pm|"
                      r"inbox message)"
                      r"|(?:dm'?e?d|messaged|pm'?e?d)\s+(?:you|u|y'all|you guys)"
                      r"|sent\s+(?:you\s+|u\s+)?(?:a\s+|the\s+)?(?:dm|direct message|pm|private message)"
                      r"|check\s+(?:your\s+|ur\s+|you\s+)?(?:dms|dm|inbox)|in\s+(?:your|ur)\s+(?:dms|inbox)"
                      # "still waiting on a DM response"
                      r"|waiting\s+(?:on|for)\s+(?:a\s+|the\s+|your\s+)?(?:dm|direct message|pm)\s+"
                      r"(?:response|reply|answer|back)"
                      # "was asked to take this further through private message", "sent it all via DM"
                      r"|(?:took|taken|sent|raised|contacted|wrote|written|(?:asked|told) to (?:take|send))\b"
                      r"[^.!?\n]{0,30}?\b(?:through|via|by|over|in)\s+(?:a\s+)?"
                      r"(?:private messages?|direct messages?|dms?|pms?))\b", re.I)
# A private message asked of us ("plz dm me", "send me a DM", "you need to follow me to receive DM"), not
# refused ("don't DM me") nor told of ("why did you DM me").
_DM_THEM = re.compile(r"(?<!don't )(?<!dont )(?<!not )(?<!never )(?<!did you )(?<!why )"
                      r"\b(?:dm|pm|direct message|private message|inbox)\s+me\b(?!\s+(?:back|again)\b)"
                      r"|\bsend me (?:a\s+)?(?:dm|pm|direct message|private message)\b"
                      r"|\bfollow me (?:so|to|and)\b[^.!?\n]{0,30}?\b(?:dm|pm|message)", re.IGNORECASE)
# Our phone number or email asked for ("is there a direct number to call?", "what is your customer service phone
# number?", "give me a number to call"), not theirs given.
_OUR_NUMBER_ASKED = re.compile(r"\b(?:is there|are there|do you have|do u have|give (?:me|us)|send (?:me|us)|"
                               r"what(?:'s| is)|can i (?:get|have)|need|provide)\s+(?:(?!my\b|our\b)[\w-]+\s+){0,4}?"
                               r"(?:phone number|telephone number|contact number|number to (?:call|ring)|"
                               r"number (?:i|we) can (?:call|ring)|number to reach|email address to)\b"
                               # "who can I call to get this fixed?", "phone number please"
                               r"|\b(?:who|what number|which number) (?:can|do|should|could) (?:i|we) "
                               r"(?:call|ring|phone)\b"
                               r"|\b(?:phone|contact|telephone) number,? (?:please|pls|plz)\b", re.IGNORECASE)
# A private message the customer cannot send, as said here ("I can't DM you", "are you following me?"), or
# as the pack words it (CANT_REACH_US: "my DMs aren't going through").
_DM_BLOCKED = re.compile(r"\b(?:(?:can'?t|cannot|unable to|not able to|won'?t let me|doesn'?t let me|"
                         r"(?:is\s+)?not letting me|isn'?t letting me|won'?t allow me to|doesn'?t allow me to)\s+"
                         r"(?:send\s+)?(?:you\s+|u\s+)?(?:a\s+)?(?:dm|direct message|pm|message you)"
                         r"|(?:are|r) (?:you|u) following me|follow (?:me )?back|follow me so"
                         r"|(?:you're|you are|ur|you) not following me|(?:you )?(?:don't|do not) follow me"
                         # ... or one they will not send: "to DM you I have to follow you and I'm not doing that"
                         r"|(?:have|need|got) to follow (?:you|u)\b[^.!?]{0,40}\bnot\b"
                         r"|(?:not|never|won'?t|refuse to)\s+(?:going to\s+|gonna\s+)?follow(?:ing)? (?:you|u))\b",
                         re.I)
# A phone number given or already held: "call me on 07700 900123", "the number on our account".
_PHONE_GIVEN = re.compile(r"\b(?:call me on|(?:phone |mobile )?number (?:on|in) (?:my|our|the) account|number on file"
                          r"|number you have|my (?:phone |mobile )?(?:number|mobile) is)\b|\+?\d[\d ]{8,}\d", re.I)


def _answered_by_other_asks(asks: list[str], analysis: Analysis, masked: str, situation: str) -> tuple[str, ...]:
    """The asks another ask's action answers, so the reply says each thing once:
    - an explanation asked in the same sentence as a status or a change ("Can you tell me where it is?":
      telling them where it is answers it; "find out where your order is, and find out the details and
      explain them" says one thing twice; "can I freeze my membership?" is answered by freezing it);
    - how to make a change ("walk you through making that change" is the how; with care leading, "keep
      what we need from you to a minimum" is more than the how, and stays);
    - a plain "please help" beside a particular ask ("I need to close his account, please help"): the
      help is that ask, not a fault to fix."""
    u = analysis.understanding
    covered = []
    def sentences(ask: str) -> set[tuple[int, int]]:
        return {sentence_at(masked, e.start) if e.source == "body" else (-1, -1) for e in u.evidence_for(ask)}

    if "explain" in asks and "change" in asks and situation == "how_to":
        covered.append("explain")
    elif "explain" in asks and ({"status", "change"} & set(asks)) and any(
            sentences("explain") <= sentences(other) for other in ("status", "change") if other in asks):
        # "Is it possible to freeze my membership?": making the change answers whether it can be made.
        covered.append("explain")
    if "fix" in asks and set(asks) & _DOING_ASKS and all(
            e.words.lower() in _PLAIN_HELP for e in u.evidence_for("fix")):
        covered.append("fix")
    return tuple(covered)


def _refused(text: str, ts: TemplateSet, *, refund_asked: bool = False) -> frozenset[str]:
    """Words of the options offering a remedy the customer turned down ("a replacement, not a refund"), or
    a lesser one than they asked for: asked for their money back, no credit or voucher offered instead."""
    words: set[str] = set()
    if refund_asked:
        words |= ts.remedy_words.get("credit", frozenset()) | ts.remedy_words.get("voucher", frozenset())
    for match in _TURNED_DOWN.finditer(text):
        words |= ts.remedy_words.get(match.group(1).lower(), frozenset())
    return frozenset(words)


_TURNED_DOWN = re.compile(r"\b(?:not|no|don'?t want|do not want|rather not have|instead of|without|rather than)\s+"
                          r"(?:(?:get|getting|have|having)\s+)?(?:a|an|the|any|my)?\s*(\w+?)s?\b", re.I)


def _ending_asked(analysis: Analysis, masked: str) -> str:
    """What the change asked for ends, by the words that ask it ("cancel my membership", "close my
    account", "unsubscribe me"): "cancel", "close", "unsubscribe", or "" for another change."""
    for e in analysis.understanding.evidence_for("change"):
        if e.source != "body":
            continue
        words = masked[e.start:sentence_at(masked, e.start)[1]]
        for ending, pattern in _ENDINGS:
            if pattern.match(words):
                return ending
    return ""


_ENDINGS = (("unsubscribe", re.compile(r"(?:unsubscrib|opt(?:ing)? out|take me off|remove me from)", re.I)),
            ("close", re.compile(r"(?:clos(?:e|ing)|delet(?:e|ing)|deactivat)\w*\s+(?:my|our|the|this)\s+account",
                                 re.I)),
            ("cancel", re.compile(r"(?:cancel|terminat|end my|clos(?:e|ing))", re.I)))


def _asks_for_options(analysis: Analysis, masked: str) -> bool:
    """Every explanation asked for is a question what the customer can do ("what are my options?",
    "what can I do now?"), not why something happened."""
    found = [e for e in analysis.understanding.evidence_for("explain") if e.source == "body"]
    return bool(found) and all(_OPTIONS_QUESTION.search(masked[slice(*sentence_at(masked, e.start))]) for e in found)


_OPTIONS_QUESTION = re.compile(r"\bwhat (?:are|r) (?:my|our|the) options|\bwhat (?:can|should|do) (?:i|we) do\b|"
                               r"\bwhat do you (?:suggest|recommend|advise)|\bwhat (?:are|r) my choices", re.I)


# Words that ask for help in general, not for a fault to be fixed, and the asks that are that help
# when they stand beside them (an explanation is not: "I need assistance, where do I go?" needs both).
_PLAIN_HELP = frozenset({"help", "help me", "assistance", "assist"})
_DOING_ASKS = frozenset({"change", "refund", "callback", "escalate", "status"})


def _reply_tone(analysis: Analysis, care: str | None) -> str:
    tone = detect_tone(analysis.text)
    heated = analysis.understanding.rude or any(c.cue_id in _HEATED for c in analysis.cues)
    if tone == CASUAL and (heated or care):
        return NEUTRAL    # no breezy "Hey!" to an angry or grieving customer
    if tone == FORMAL and heated:
        return NEUTRAL
    return tone


def _occasion_at_stake(text: str, situation: str) -> tuple[str, str] | None:
    """The occasion the trouble costs them, missed or about to be, or the one their journey is for."""
    missed = missed_occasion(text)
    if missed:
        return missed
    ahead = occasion_ahead(text) if situation == "travel_disruption" else None
    return (ahead, "ahead") if ahead else None


def _thing_of(situation: str, kind: str) -> str | None:
    """The object a kind of the situation is about ("offer" for billing_payment_offer), or None."""
    prefix = f"{situation}_"
    return _KINDS.get(situation, {}).get(kind[len(prefix):]) if kind.startswith(prefix) else None


def _restatement(analysis: Analysis, ts: TemplateSet, dictionary: Dictionary, masked: str,
                 situation: str, kind_thing: str | None = None, worded_by_kind: bool = False, *,
                 kind: str | None = None, for_someone: bool = False) -> Restatement:
    u = analysis.understanding
    # The kind's own thing first: an offer on a credit card is about the offer, not "your card". A refund
    # asked for now is the remedy, not what went wrong ("cancel it and refund last month's charge": the
    # charge), unless a refund owed is the kind.
    objects = u.objects
    if "refund" in u.asks and kind_thing != "refund":
        objects = sorted(objects, key=lambda o: o.split()[0] == "refund")
    own_words = dict(zip(u.objects, u.object_words))
    if kind_thing:
        objects = sorted(objects, key=lambda o: o.split()[0] != kind_thing)
        if kind_thing == "bag":
            # A bag's trouble is never the journey's: "the handle of my case broke on the flight" is no
            # flight that came back damaged; without a bag named, the luggage is said in general.
            objects = [o for o in objects if o.split()[0] not in _JOURNEY_OBJECTS]
        # A thing another kind of the situation is about, told apart from this kind's trouble, is not what
        # it happened to: "Always delayed. Always lose my bag." is no delay to a bag ("the bag delay" is).
        elsewhere = {t for t in _KINDS.get(situation, {}).values() if t and t != kind_thing}
        if kind and any(o.split()[0] in elsewhere for o in objects):
            told = _sentences_of_kind(analysis, situation, kind)
            objects = [o for o in objects if o.split()[0] not in elsewhere
                       or _said_in(analysis.text, own_words.get(o, o), told)]
    named = object_phrase(objects, situation, analysis.text, ts, dictionary, [own_words.get(o, o) for o in objects])
    thing, normal, plural = named if named else (None, None, False)
    if for_someone and thing and thing.startswith("your "):
        # "My wife's flight is delayed again": the flight is hers, not the writer's.
        thing = "the " + thing[len("your "):]
    if situation == "how_to":
        # What they asked says it better than where they looked ("how to add a second driver", not
        # "your app").
        asked = _quoted(analysis, ts, dictionary, masked)
        if asked is not None and asked.kind == "question":
            return asked
        # A how-to question said back as a complaint ("you're still paying on your phone; that shouldn't
        # happen") misreads it: without the question or a struggle with it ("you can't find the export
        # button"), say it in the how-to's own words.
        if not any(c.apology and c.category in _HOW_TO_TROUBLE for c in analysis.cues):
            return Restatement("situation", thing=thing, object=normal, plural=plural)
    waited = None if for_someone else _waited(analysis, ts, dictionary, situation, kind,
                                              thing if normal == "flight" else None)
    if waited:
        return Restatement("wait", thing=thing, clause=waited, object=normal, plural=plural)
    if (situation in _TOLD_SITUATIONS and (not worded_by_kind or kind in _TOLD_OVER_KIND)
            and not _feeling_named(analysis, ts)):
        # A situation without words for its kind says little ("the trouble with your order"): what the
        # customer told of themselves says it better ("your parcel was left in the rain"), when it is safe;
        # a feeling they named ("so disappointed") is said back by the situation's own words instead.
        told = _quoted(analysis, ts, dictionary, masked, told_of_self=True)
        if told is not None and told.kind == "clause":
            return Restatement("clause", thing=thing, clause=told.clause, object=normal, plural=plural)
    if thing or (situation in SPECIFIC_SITUATIONS and situation != "how_to"):
        return Restatement("situation", thing=thing, object=normal, plural=plural)
    return _quoted(analysis, ts, dictionary, masked) or Restatement("situation")


def _sentences_of_kind(analysis: Analysis, situation: str, kind: str) -> set[tuple[int, int]]:
    """The sentences (bounds) holding a word that shows ``kind`` of the situation (evidence or cue)."""
    short = kind[len(situation) + 1:] if kind.startswith(f"{situation}_") else kind
    text = analysis.text
    spans = [e.start for e in analysis.understanding.situation_evidence if e.source == "body"
             and _SAID_AS.get(e.why.rpartition(".")[2], e.why.rpartition(".")[2]) == short]
    spans += [c.start for c in analysis.cues if c.source == "body"
              and _KIND_CUES.get(situation, {}).get(c.cue_id) == short]
    return {sentence_at(text, at) for at in spans}


def _said_in(text: str, words: str, sentences: set[tuple[int, int]]) -> bool:
    """Whether ``words`` occur inside one of ``sentences`` of the text."""
    low, target = text.lower(), words.lower()
    return any(target in low[a:b] for a, b in sentences)


# The one on the trip is someone else: "my wife & infant daughter are on AA3195", "my son's flight", "the
# flight's been delayed several times for my parents".
_KIN = (r"(?:wife|husband|partner|son|daughter|kids|children|mum|mom|mother|dad|father|parents|grandmother|"
        r"grandma|grandfather|grandpa|grandparents|friend|boyfriend|girlfriend|sister|sis|brother|bro|family|nephew|"
        r"niece|cousin|aunt|uncle|fiance|fianc[eé]e|in-laws)")
_SOMEONE_ELSE_TRAVELS = re.compile(
    rf"\b(?:my\s+)?{_KIN}'s\s+(?:[\w:]+\s+){{0,2}}?(?:flight|train|plane|trip|connection)\b|"
    rf"\bmy\s+{_KIN}(?:'s|\s+(?:&|and)\s+\w+(?:\s+\w+)?)?"
    r"\s+(?:is|are|was|were|flight|train|plane|has|have|had|got|been|stranded|stuck|bumped|diverted)\b"
    rf"|\b(?:flight|train|plane|delayed|cancell?ed|canceled|diverted)\b[^.!?\n]{{0,40}}\bfor my\s+{_KIN}\b"
    # "sis and 16 month old nephew are [on it]": two of them named, no "my"
    rf"|\b{_KIN}\s+(?:&|and)\s+(?:[\w-]+\s+){{0,4}}?{_KIN}\s+(?:is|are|was|were)\b"
    # "7 hours for my friend to rebook his trip": theirs, told by whose it is.
    rf"|\bmy\s+{_KIN}\b[^.!?\n]{{0,40}}\b(?:his|her|their)\s+(?:[\w-]+\s+)?(?:trip|flight|train|connection|booking)\b"
    # "She is stranded but I have friends to help": told of someone else, by a pronoun.
    r"|\b(?:she|he|they)(?:'s|'re|\s+is|\s+was|\s+are|\s+were|\s+has been|\s+have been|\s+got)\s+"
    r"(?:stranded|stuck|delayed|bumped|left at)\b"
    # The travelling public at large: "leaving commuters stranded", "passengers stuck for hours", "what about
    # those who are stranded?"
    r"|\b(?:commuters|passengers|riders|travell?ers|customers|people|everyone|those|others|folks)\s+"
    r"(?:who\s+(?:are|were|got)\s+)?(?:\w+\s+){0,2}?(?:stranded|stuck)\b",
    re.IGNORECASE)


APPEAL = "appeal"
# The writer, or someone of theirs, just before the words of an illness: "my son is battling cancer".
_THEIR_OWN = re.compile(rf"\b(?:i|i'm|im|me|my|our|we|we're|us|{_KIN})\b(?:\W+\w+){{0,3}}\W*$", re.IGNORECASE)
_HELP_ASKED = frozenset({"struggle.need_help", "struggle.help_me"})
# Someone not yet known to us, named as such: "a 2y old", "this little girl", "a family".
_A_STRANGER = re.compile(r"\b(?:a|an|this|these)\s+(?:[\w-]+\s+){0,2}?(?:old|girl|boy|child|kid|baby|family|families|"
                         r"woman|man|lady|teenager|toddler|patient|veteran|student|mother|father|mum|mom|dad)\b",
                         re.IGNORECASE)


def _an_appeal(analysis: Analysis, care: str | None) -> bool:
    """Help asked for someone ill who is not the writer nor one of theirs ("can u help with flights to get a
    2y old battling cancer to treatment?"), with nothing of ours gone wrong."""
    if care not in ("illness", "vulnerable") or not any(c.cue_id in _HELP_ASKED for c in analysis.cues):
        return False
    if any(c.category == "problem" and c.apology for c in analysis.cues):
        return False
    text = analysis.text
    serious = [e for e in analysis.understanding.severity_evidence if e.source == "body"]
    return bool(serious) and bool(_A_STRANGER.search(text)) and not any(
        _THEIR_OWN.search(text, max(0, e.start - 40), e.start) for e in serious)


def _waited(analysis: Analysis, ts: TemplateSet, dictionary: Dictionary, situation: str, kind: str | None,
            trip: str | None) -> str | None:
    """How long the customer waited, said back ("you've been on hold for over an hour"), when the wait is
    the matter: a delayed journey, an answer or an order they wait for; never beside a trouble of
    another kind (a lost bag, a cancelled flight, a locked account), whose own words come first, unless
    it has gone unsorted for days or longer, in their count ("this still hasn't been sorted after 20
    months"): then how long it has dragged on is what they stressed, whatever the trouble."""
    if not analysis.apology or analysis.understanding.serious_kind:
        return None     # a death, hard times, a danger: what they are going through comes before the wait
    if (kind or None) not in _WAIT_KINDS.get(situation, ()):
        clause = unresolved_for(analysis.text)
        return clause if clause and clause_problem(clause, analysis.text, ts, dictionary,
                                                   told_trouble="waited")[0] is None else None
    clause = measured_wait(analysis.text, trip=trip)
    for said in (clause, clause.split(" for your ")[0] if clause and " for your " in clause else None):
        # (Our own clause of a wait states the trouble: "waited" marks it so for the checks.)
        if said and clause_problem(said, analysis.text, ts, dictionary, told_trouble="waited")[0] is None:
            return said
    return None


# The situations (and kinds of them) in which a wait is the matter itself.
_WAIT_KINDS = {"travel_disruption": (None, "travel_disruption_delay", "travel_disruption_past"),
               "service_conduct": (None, "service_conduct_unanswered"),
               "order_delivery": (None,),
               # nothing else named ("Waiting 1 hour on phone, 2 hours on Twitter"): the wait is what they told
               "other": (None,)}
_HOW_TO_TROUBLE = frozenset({"struggle", "confusion"})
# Cues whose words, of more than one word, tell a thing's failure ("turns itself off", "has yet to arrive",
# "is hazy"): a clause of the customer's that holds them states the problem. A single word may mean
# something else ("study breaks"), and what they were told or expected is no failure said.
_FAILURE_TOLD = frozenset({"problem.not_working", "problem.not_received", "problem.forgot", "problem.bad_state",
                           "problem.gave_way"})
# Situations that weigh on anyone however calmly told: money, a journey, no access, no service.
_WEIGHTY_ANYWAY = frozenset({"billing_payment", "travel_disruption", "account_access", "service_outage"})
# Situations of something gone wrong whose generic wording a clause of the customer's can beat.
_TOLD_SITUATIONS = frozenset({"account_access", "billing_payment", "order_delivery", "travel_disruption",
                              "product_fault", "service_outage", "service_conduct"})
_TOLD_CATEGORIES = frozenset({"problem", "struggle", "repeat_contact"})
# Kinds whose own words only name the thing ("sorry about the toilets"): what the customer told of it says more
# ("the toilets were filthy the whole flight"), when it is safe to say back.
_TOLD_OVER_KIND = frozenset({"travel_disruption_on_board"})
# Trying is the effort, not what went wrong ("I even tried deleting the app").
_TOLD_NOT = frozenset({"struggle.tried"})


def _quoted(analysis: Analysis, ts: TemplateSet, dictionary: Dictionary, masked: str, *,
            told_of_self: bool = False) -> Restatement | None:
    """The customer's own question or clause, turned around, when one passes every check; never from a
    sarcastic message, whose words mean their opposite ("I love waiting 15 minutes for ice cream")."""
    if any(c.cue_id in _SARCASM for c in analysis.cues) or analysis.understanding.rude:
        return None
    if told_of_self:
        # Only around a clear word of what went wrong, and never beside warm words, which may be irony
        # ("big thanks for taking £90 for a policy I cancelled").
        if any(c.category == "positive_tone" and c.cue_id != "positive_tone.courtesy"
               and not _THANKED_FOR_REPLYING.match(analysis.text, c.end) for c in analysis.cues):
            return None
        spans = [(c.start, c.end) for c in sorted(analysis.cues, key=lambda c: -c.weight)
                 if c.source == "body" and c.apology and c.weight >= 1.0 and c.category in _TOLD_CATEGORIES
                 and c.cue_id not in _TOLD_NOT]
    else:
        spans = _clause_spans(analysis)
    trouble = [(c.start, c.end) for c in analysis.cues
               if c.source == "body" and c.apology and c.cue_id in _FAILURE_TOLD and " " in c.matched.strip()]
    clause, question = quoted_clause(analysis.text, masked, spans, ts, dictionary, told_of_self=told_of_self,
                                     trouble=trouble) if spans else (None, False)
    if clause and question:
        return Restatement("question", clause=clause)
    if clause:
        return Restatement("clause", clause=clause)
    return None


# Thanks for answering them ("thanks for replying, but the link doesn't work"): said to the agent, no irony.
_THANKED_FOR_REPLYING = re.compile(r"\s+(?:you\s+)?for\s+(?:the\s+|your\s+)?(?:quick\s+|fast\s+|prompt\s+)?"
                                   r"(?:reply|replying|response|responding|getting\s+back|coming\s+back|"
                                   r"following\s+up|follow[\s-]up)\b", re.IGNORECASE)


def _clause_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Where the problem is stated, best first: the situation's evidence, then the cues that show it."""
    u = analysis.understanding
    spans = [(e.start, e.end) for e in u.situation_evidence if e.source == "body"]
    cues = sorted((c for c in analysis.cues if c.source == "body" and c.category in _CLAUSE_CATEGORIES
                   and (c.apology or c.priority)),
                  key=lambda c: (-c.weight, _CLAUSE_CATEGORIES[c.category], c.start))
    return spans + [(c.start, c.end) for c in cues]


def _contacted_before(analysis: Analysis, ts: TemplateSet, masked: str) -> bool:
    """A clear repeat-contact cue stands in a sentence about contacting us (not "it still won't open")."""
    for c in analysis.cues:
        if c.category != "repeat_contact" or c.weight < 1.0 or c.cue_id in CHASING_TO_COME:
            continue
        if _COULD_NOT_REACH.match(f"{c.matched} up"):
            # "Nobody is answering the phone": a call that went nowhere (heard as that), not a second contact.
            # (A cue may end before the "up" of "no one picking up".)
            continue
        if c.source == "subject":
            near = told_before = analysis.subject
        else:
            start, end = sentence_at(masked, c.start)
            told_before = analysis.text[start:c.start]
            # The contact words close to it ("emailed you three times"), not anywhere in the sentence
            # ("reset my password three times and the reset email never arrives").
            before = re.findall(r"[A-Za-z']+", analysis.text[start:c.start])[-_CONTACT_NEAR:]
            after = re.findall(r"[A-Za-z']+", analysis.text[c.end:end])[:_CONTACT_NEAR]
            near = " ".join(before + [c.matched] + after)
        # ("Still haven't received the email with the details": an email of ours awaited, not one of theirs.)
        near = _AWAITED_FROM_US.sub(" ", near)
        if set(re.findall(r"[a-z]+", near.lower())) & ts.contact_words and (
                c.cue_id not in _HOW_LONG_ONLY or set(re.findall(r"[a-z]+", told_before.lower())) & _TRYING):
            return True
    return False


_CONTACT_NEAR = 3   # words either side of a repeat cue that may say it was us they contacted
# A message of ours they are waiting to receive: "haven't received the email", "never got a call" (not "no reply to my
# email": theirs, unanswered).
_AWAITED_FROM_US = re.compile(r"\b(?:receiv\w*|got|gotten|get)\s+(?:a|an|the|any|that|this|their|your)?\s*"
                              r"(?:e-?mails?|calls?|letters?|texts?|messages?|sms)\b", re.IGNORECASE)
# A repeat cue that tells only how long it has gone on ("waiting for a week for a response"): one long wait
# is not having to contact us again; trying for days is ("I've been trying to call you for days").
_HOW_LONG_ONLY = frozenset({"repeat_contact.duration"})
_TRYING = frozenset({"trying", "tried", "attempting", "attempted", "calling", "called", "phoning", "ringing",
                     "emailing", "emailed", "messaging", "holding", "chasing", "chased"})
