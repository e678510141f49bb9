"""The private note an agent sees: why the ticket was flagged, and a suggested reply to adapt.

``compose_note(analysis, ticket_id=..., customer_name=...)`` is pure: the cue engine's
:class:`~empathy_cues.core.decision.Analysis` and a template set (``phrase_packs/templates/en.yaml``,
loaded once, with the spelling dictionary) in, a :class:`Note` out. No I/O after they load.

plan (``plan.py``: situation x severity x asks x channel x tone -> parts) -> words (one phrasing per
part, chosen by a stable hash of the ticket id, the message text and the part's key) -> fit to the
channel (``fit.py``) -> render the note (``render.py``). ``checks.py`` holds the checks every reply
must pass; the tests run them over real messages.

Escaping: the customer's words reach templates only as variables. The plain-text note backslash-
escapes Markdown and HTML characters in quoted cues; the HTML note is rendered with autoescaping
and then sanitised with nh3. The reply itself only ever holds customer words that passed the
clause checks (``restate.py``: a character allow-list, the dictionary) and a name that passed
:func:`clean_name`.

When the analysis owes neither an apology nor a priority follow-up, ``compose_note`` does not raise:
it returns a short note saying so, with an empty ``reply`` (the worker posts no note in that case).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from itertools import chain

from ..core.decision import Analysis
from .clause_span import mask
from .fit import Choices, Part, count_sentences, fit_reply
from .plan import ReplyPlan, plan_reply
from .render import render_note
from .restate import wait_minutes
from .spelling import load_dictionary
from .template_file import load_builtin_templates
from .templates import SINGULAR_THING, TemplateSet, Variant, mentions, phrases_pattern
from .tone import FORMAL, NEUTRAL

# A loss told beside a trip or an order (a flight home from a funeral cancelled, a fee to change a flight after
# a death): the booking or the order is what finds the case, not the account of the one who died.
_TRIP_OR_ORDER_IN_GRIEF = frozenset({("bereavement", "travel_disruption"), ("bereavement", "order_delivery")})
# A funeral to get to ("we would miss the funeral"): the journey to it is what finds the case.
_FUNERAL_TRIP = re.compile(r"\b(?:miss(?:ed|ing)?|make|get\s+to|fly(?:ing)?\s+(?:to|home\s+for)|"
                           r"travel(?:l?ing)?\s+to)\s+(?:the|a|her|his|my|our)\s+(?:\w+'s\s+)?(?:funeral|memorial)\b",
                           re.IGNORECASE)
_ONLINE = frozenset({"website", "app"})
_PAID_FOR_A_TRIP = re.compile(r"\b(?:flights?|tickets?|fares?|airfares?|boarding pass|baggage|luggage|checked bags?|"
                              r"seat (?:fee|upgrade)|upgrades?|itinerary|reservation|booking)\b", re.IGNORECASE)
# Things found by a number of their own, whatever they were paid or earned on (points: the membership number).
_FOUND_BY_ITS_OWN_NUMBER = frozenset({"points", "card", "loan", "credit"})
_ACCOUNT_NAMED = re.compile(r"\b(?:account|card|subscription|membership|direct debit|bank)\b", re.IGNORECASE)

_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\-. ]){0,39}$")

__all__ = ["Note", "compose_note", "clean_name", "count_sentences"]


# An action that already promises to keep them informed.
_UPDATES_PROMISED = re.compile(r"\bkeep (?:you|them) (?:posted|updated|informed)\b")


@dataclass(frozen=True)
class Note:
    """A composed note. ``text`` for Zendesk (Markdown), ``html`` for Freshdesk, ``reply`` the reply alone."""

    text: str
    html: str
    reply: str
    tone: str = NEUTRAL
    paraphrase: str | None = None        # the customer's clause, turned around (None: not said back)
    options: tuple[str, ...] = ()        # the options offered in the reply
    life_event: str | None = None        # the serious kind the reply leads with care for
    dropped: tuple[str, ...] = ()        # optional parts left out to fit the channel's limit
    situation: str = "other"
    severity: int = 0
    answered: tuple[str, ...] = ()       # the customer's asks the reply answers (contact included)
    parts: tuple[str, ...] = ()          # keys of the template variants used, in reply order


def compose_note(analysis: Analysis, *, ticket_id: str, customer_name: str | None = None,
                 templates: TemplateSet | None = None) -> Note:
    """The note for one analysed message (see the module docstring for what it contains)."""
    ts = templates or load_builtin_templates(_language_of(analysis))
    if not (analysis.apology or analysis.priority):
        return _quiet_note()
    dictionary = load_dictionary()
    masked = mask(analysis.text)
    plan = plan_reply(analysis, ts, dictionary, masked)
    pick = _Picker(str(ticket_id), analysis.text)
    name_full, name_first = clean_name(customer_name)
    name = name_full if plan.tone == FORMAL else name_first
    when, minutes_text = _when(analysis.respond_within_minutes)
    sooner = _before_departure(minutes_to_departure(analysis.text), analysis.respond_within_minutes)
    if not sooner and plan.kind == _CONNECTION_AT_STAKE_KIND:
        # "Will I make my connection?": an answer within the hour may come after it has gone.
        sooner = _before_departure(_CONNECTION_LEAD, analysis.respond_within_minutes)
    if sooner:
        # "Doors close in 2 minutes, flight leaves in 17": an answer within the hour comes after it.
        when = sooner
    words = _Words(ts, plan, pick, analysis.understanding.objects, name=name, when=when, text=analysis.text)
    action_parts, option_texts = words.actions()
    parts = _said_once(words.opening() + action_parts + words.closing(), ts)
    if plan.apology_refused:
        parts = _without_apology(parts, words)
    greeting_named = words.choices("greeting", "named") if name else Choices()
    greeting = greeting_named + words.choices("greeting", "unnamed")
    # A tweet or a chat line opens with its greeting ("Hi there, I'm sorry ..."), never a letter's line.
    fitted = fit_reply(greeting, parts, ts.limit(analysis.channel), inline_greeting=plan.short)
    used = {p.key for p in fitted.parts}
    answered = tuple(a for a in analysis.understanding.asks if _answered(a, plan, used))
    text, html = render_note(analysis, ts, plan, fitted.paragraphs, pick, minutes_text)
    return Note(text=text, html=html, reply=fitted.reply, tone=plan.tone,
                paraphrase=plan.restatement.clause if any(
                    p.variant.startswith(("parts.restate_clause", "parts.restate_question", "parts.restate_wait"))
                    for p in fitted.parts)
                else None,
                options=tuple(option_texts) if "options" in used else (), life_event=plan.care,
                dropped=fitted.dropped, situation=plan.understood, severity=plan.severity, answered=answered,
                parts=tuple(p.variant for p in fitted.parts))


class _Words:
    """Turns a reply plan into parts: the opening (care or the problem said back, acknowledgements),
    the actions (answers to the asks, or options), and the close (contact, next step, closing)."""

    def __init__(self, ts: TemplateSet, plan: ReplyPlan, pick, objects, *, name, when, text: str = "") -> None:
        self.ts, self.plan, self.pick, self.objects, self.text = ts, plan, pick, objects, text
        thing = plan.restatement.thing
        if plan.for_someone and thing and thing.startswith("your "):
            thing = "the " + thing[len("your "):]    # their son's flight: "the flight", not "your flight"
        # What finds the case: for a serious matter, what finds that (where an assault happened, not an
        # order number); else by the kind of situation when it has its own entry, else the situation.
        care = plan.care if plan.care_leads and (plan.care, plan.situation) not in _TRIP_OR_ORDER_IN_GRIEF and not (
            plan.care == "bereavement" and (_PAID_FOR_A_TRIP.search(text) or _FUNERAL_TRIP.search(text))) else None
        # A website or an app down for everyone: nothing finds it but a way to tell them it's back.
        online_down = f"{plan.situation}_online" if plan.restatement.object in _ONLINE else None
        # A fault worked out from trouble words alone ("still not fixed") may be an airline's or a bank's:
        # an account email and a screenshot would be a guess.
        trip_paid = _paid_for_a_journey(plan, ts, text)
        self.needs_key = next((k for k in (care, trip_paid, plan.kind, online_down) if k and k in ts.contact_needs),
                              "default" if plan.guessed and plan.situation == "product_fault" else plan.situation)
        if self.needs_key == "service_conduct_unanswered" and _MET_ON_A_JOURNEY.search(text) \
                and not _A_WAY_TO_REACH_US.search(text):
            # Left without word by the people at the gate or on board ("poor to no communication from gate
            # agents on 1171"): the journey finds the case, not an email or a number they never used.
            self.needs_key = "travel_disruption"
        elif (self.needs_key.startswith("travel_disruption")
              and "booking" in " ".join(ts.contact_needs.get(self.needs_key, ()))
              and _A_COMMUTE.search(text) and not _BOOKED_TRAVEL.search(text)):
            # A metro line down, commuters stranded: nobody books the tube; the line and the time find it.
            self.needs_key = _COMMUTE_NEEDS
        elif self.needs_key == "product_fault_food" and _MET_ON_A_JOURNEY.search(text):
            # Food served on a journey ("the food served on AA2402 was vile"): the booking finds the flight it
            # was served on, not a shop or a batch code.
            self.needs_key = "travel_disruption_on_board"
        elif self.needs_key.startswith("order_delivery") and _A_MEAL.search(text) and not _A_PARCEL.search(text):
            # A sandwich without its egg, a meal an hour late: the restaurant and the time find it, not a
            # tracking number.
            self.needs_key = _MEAL_NEEDS
        elif (self.needs_key in _VISITED_KEYS and _a_visit(text) and not _A_PARCEL.search(text)
              and not _BOUGHT_AWAY.search(text)):
            # "Went to my local KFC ... short changed me by ten pound", "your Trowbridge branch ... the order was
            # wrong": the branch and the time find it, not a tracking number or an account email.
            self.needs_key = _CONDUCT_VISIT_NEEDS if self.needs_key == "service_conduct" else _VISIT_NEEDS
        elif self.needs_key == "service_conduct_unanswered" and plan.said_as in _ANSWERED_ALREADY:
            # Left without word from us, with no call or message of theirs: no email or number they used to
            # reach us to ask for, only what finds the matter.
            self.needs_key = "service_conduct"
        elif self.needs_key == "service_conduct_cut_off" and any(o and o.split()[0] in _CALLED_ABOUT for o in objects) \
                and not _TO_BOOK.search(text):
            # Hung up on while calling about a flight or an order ("no conf # for Thursday's flight, and I was
            # hung up on"): the booking finds what the call was for, which is what to help with.
            self.needs_key = "service_conduct"
        elif self.needs_key == "service_conduct_unanswered" and _MET_IN_PERSON.search(text) \
                and not _A_WAY_TO_REACH_US.search(text):
            # Kept waiting in a shop or a queue ("waiting over an hour for my layaway to be found in the
            # back"): where and when it happened finds it.
            self.needs_key = "service_conduct"
        # A serious matter's own entry outranks the thing named ("her phone contract" after a death).
        # So does a kind's own entry (a card that never came: not its last four digits).
        self.needs_thing = (None if self.needs_key in (plan.care, trip_paid, plan.kind, online_down, _MEAL_NEEDS,
                                                       _COMMUTE_NEEDS, _VISIT_NEEDS, _CONDUCT_VISIT_NEEDS,
                                                       "travel_disruption_on_board")
                            else plan.restatement.object)
        needs = ts.needs_for(self.needs_key, self.needs_thing, objects)
        if needs == ts.needs_by_object.get("order") and _A_MEAL.search(text) and not _A_PARCEL.search(text):
            # Treated badly over a meal ("the location refused a cup of water with my order"): the restaurant
            # and the time find it, not a tracking number and a postcode.
            self.needs_key, self.needs_thing = _MEAL_NEEDS, None
            needs = ts.needs_for(self.needs_key, self.needs_thing, objects)
        if needs == ts.needs_by_object.get("device") and _BOUGHT_IT.search(text) and ts.contact_needs.get(_BOUGHT):
            # A device they bought that fails ("my new headphones won't charge", "bought it in May"): the shop or
            # the order finds it, not an account they may not have.
            self.needs_key, self.needs_thing = _BOUGHT, None
            needs = ts.needs_for(self.needs_key, self.needs_thing, objects)
        self.needs = pick(_askable(needs, text, ts), "needs")
        offered = _offered_identifier(text, ts)
        if offered and plan.contact == "private":
            # "Can you help if I provide my conf code?": what they offered is what finds it.
            self.needs = offered
        self.known = frozenset(({"thing"} | (set() if plan.restatement.plural else {SINGULAR_THING}))
                               if thing else ()) | ({"times"} if plan.times else frozenset())
        self.variables = dict(name=name, thing=thing, clause=plan.restatement.clause, needs=self.needs, when=when,
                              times=plan.times, missed=plan.missed[0] if plan.missed else None)
        # What phrasings may say only when told (template file: only_if_told), and the customer did not tell.
        self.untold = _Untold(ts.only_if_told, text)
        self.pick = pick = pick.avoiding(self.untold)

    @cached_property
    def wait_counted(self) -> float | None:
        """The wait they counted, in minutes, or None (read only when a phrasing needs it)."""
        return wait_minutes(self.text)

    @property
    def short_wait(self) -> bool:
        """The wait they told of lasted under an hour by their own count."""
        if self.wait_counted is not None:
            return self.wait_counted < 60
        return bool(_MINUTES_TOLD.search(self.text)) and not _LONGER_TOLD.search(self.text)

    @property
    def long_wait_told(self) -> bool:
        """They told of a wait of an hour or more, or of waiting long in words ("all day", "forever")."""
        if self.wait_counted is not None:
            return self.wait_counted >= 60
        return bool(_LONGER_TOLD.search(self.text) or _LONG_IN_WORDS.search(self.text))

    def choices(self, part: str, *keys: str) -> Choices:
        """Every usable phrasing of a part, the hashed choice first."""
        variants = [v for v in self.ts.leaf(part, *keys, tone=self.plan.tone) if v.usable(self.known)]
        if self.plan.calm:
            # No anger shown: no phrasing that says they are fed up or upset.
            variants = [v for v in variants if not mentions(v.source, self.ts.heated_feelings)] or variants
        else:
            # Anger or sarcasm shown: no thanks for the news, as if they had reported it calmly.
            variants = [v for v in variants if not mentions(v.source, self.ts.calm_only)] or variants
        if self.plan.own_doing or self.plan.situation == "how_to":
            # "I dropped my phone": help and care, but no "that's not good enough" for what they did; nor
            # for a setting they cannot find, which is not something of ours that broke.
            variants = [v for v in variants if not mentions(v.source, self.ts.our_failing)] or variants
        if part == "restate" and self.plan.for_someone:
            # Their wife or son is the one delayed: nothing that says it happened to them.
            variants = [v for v in variants if not _SAID_TO_THEM.search(v.source)] or variants
        if part == "restate" and not self.plan.recurring:
            # Said once: no phrasing that says it keeps happening.
            variants = [v for v in variants if not mentions(v.source, self.ts.recurring_words)] or variants
        long_wait = [v for v in variants if mentions(v.source, self.ts.long_wait_words)]
        if long_wait and not self.long_wait_told:
            # "Delayed 30 minutes", or no wait told at all ("moved to 16A on standby"): no "a long wait like
            # this is exhausting".
            variants = [v for v in variants if v not in long_wait] or variants
        # "Sorry this has broken down on you" to someone whose tax sum came out wrong: no phrasing that
        # says what they never told.
        variants = [v for v in variants if not self.untold.said_by(v.source)] or variants
        clause = self.variables.get("clause")
        if clause:
            # "Sorry that that is not what happened": no phrasing whose word before the clause is the
            # clause's own first word.
            first = clause.split(maxsplit=1)[0].lower()
            variants = [v for v in variants
                        if not re.search(rf"\b{re.escape(first)}\s*\{{\{{\s*clause\s*\}}\}}", v.source, re.IGNORECASE)
                        ] or variants
        # What the customer named makes the sentence specific: prefer the phrasings that use it (or, for a
        # pattern, that say it recurs: below).
        named = [v for v in variants if v.needs & self.known]
        if (named and part == "restate" and self.plan.habitual
                and not any(_SAYS_IT_RECURS.search(v.source) for v in named)):
            named += [v for v in variants if _SAYS_IT_RECURS.search(v.source)]
        variants = named or variants
        if part == "restate":
            # "You're disappointed" only to a customer who said so; the feeling they named, in our words.
            variants = [v for v in variants
                        if _attributed_feeling(v.source, self.ts) in ("", self.plan.feeling)] or variants
            if self.plan.feeling:
                variants = [v for v in variants if self.plan.feeling in v.source.lower()] or variants
            elif self.plan.situation == "other":
                # Nothing named of what went wrong: a feeling shown in their words is named back ("that's
                # disappointing to hear"); none is guessed when none shows.
                named = [v for v in variants if _NAMES_A_FEELING.search(v.source)]
                variants = (named if self.plan.felt else [v for v in variants if v not in named]) or variants
            if self.plan.habitual:
                # "They are almost always delayed": a pattern is said back as one, not as "this delay"
                # (over the phrasings that name the thing, which would make it one).
                variants = [v for v in variants if _SAYS_IT_RECURS.search(v.source)] or variants
        first = self.pick(variants, ".".join((part,) + keys))
        ordered = [first] + [v for v in variants if v is not first]
        return Choices([(v.key, partial(v.render, **self.variables)) for v in ordered])

    def opening(self) -> list[Part]:
        plan, choices = self.plan, self.choices
        parts: list[Part] = []
        paragraph = 1   # short replies stay one paragraph: a tweet or a chat line
        if plan.care_leads:
            parts.append(Part("care", choices("care", plan.care), paragraph, required=True))
            if not plan.short and plan.care != DANGER and not plan.settled:
                # (A danger now is no paperwork to take off their hands: what to do to be safe says it all;
                # thanks for help already given leaves nothing to take off their hands either.)
                parts.append(Part("restate", choices("restate_after_care"), paragraph))
        else:
            short_wait = plan.restatement.kind == "wait" and self.short_wait
            restate = _restate_choices(plan, self.ts, choices, short_wait=short_wait)
            if plan.missed and plan.short:
                # A tweet has no room for one more sentence: what it cost them ("missed wedding") takes the
                # place of the feeling we would have named, which it says better.
                missed = min((text for _, text in choices("missed_ack", plan.missed[1])),
                             key=len)
                restate = restate.mapped(partial(_second_half, missed))
            parts.append(Part("restate", restate, paragraph, required=True))
            if plan.care:
                # A small trouble beside a happy event is said as small, the event with joy.
                light = f"{plan.care}_light"
                care = light if plan.band == "minor" and self.ts.has("care_after_problem", light) else plan.care
                parts.append(Part("care", choices("care_after_problem", care), paragraph))
        if plan.missed and not plan.short and not plan.care_leads:
            # "Flight cancelled, missed wedding": what it cost them, heard, after what went wrong.
            parts.append(Part("missed_ack", choices("missed_ack", plan.missed[1]),
                              paragraph))
        if not plan.short and plan.history:
            # Their earlier tickets are on record: say we can see them rather than "more than once".
            parts.append(Part("history_ack", choices("history_ack"), paragraph))
        elif plan.repeat:
            # (In a chat line or a tweet too, where there is room: having to ask again is often what they
            # stressed most; where there is not, the ownership among the actions says it.)
            parts.append(Part("repeat_ack", choices("repeat_ack"), paragraph))
        if plan.untold:
            # "Cancelled my flight and didn't tell me", "no announcements at the gate", "cancelled, then two
            # hours on hold": being left to find out, or unable to reach us, is a grievance of its own.
            parts.append(Part("untold_ack", choices("untold_ack", plan.untold), paragraph))
        if plan.leaving:
            # "Never flying with you again": heard, and answered with the wish to earn them back.
            parts.append(Part("leaving_ack", choices("leaving_ack"), paragraph))
        if not plan.short and plan.info_given:
            parts.append(Part("info_ack", choices("info_ack"), paragraph))
        if plan.praised:
            # (Kept whatever the room when nothing is left to put right: the thanks is then half the reply.)
            parts.append(Part("praise_ack", choices("praise_ack"), paragraph, required=plan.settled))
        elif plan.reported:
            parts.append(Part("report_ack", choices("report_ack"), paragraph))
        return parts

    def actions(self) -> tuple[list[Part], list[str]]:
        """The action parts, and the options offered (their texts)."""
        plan = self.plan
        paragraph = 1 if plan.short else 2
        actions, option_texts = self._what_we_do()
        parts: list[Part] = []
        if actions:
            parts.append(Part("actions", self._actions_sentence(actions), paragraph, required=True))
        if option_texts and not plan.short:
            sentence = _raw_choices(self.ts, self.pick, "options_sentence", plan.tone, self.known)
            parts.append(Part("options", _render_with(sentence, self.variables, options=_join(option_texts, "or")),
                              paragraph))
        if plan.how_to and not plan.short and not plan.care:
            parts.append(Part("tip", self.choices("tip", "how_to"), paragraph))
        return parts, option_texts

    def _what_we_do(self) -> tuple[list[str], list[str]]:
        """The actions promised (an answer per ask, or one short action) and the options offered."""
        ts, plan, pick = self.ts, self.plan, self.pick
        actions = [_act(ts, pick, ask, plan.situation, plan, self.variables, self.known) for ask in plan.asks]
        option_texts: list[str] = []
        worded = plan.kind if plan.kind in ts.options else plan.situation
        if plan.options and plan.short:
            # With care leading, the one thing I'll do is about the serious matter, not the order or trip,
            # unless the kind is what they asked us for (a payment plan).
            # (A kind of trouble of ours, "lost my bag on the way to the funeral", is still what I'll do; an
            # assault on a plane is the matter itself, whatever the trip.)
            short = plan.care if (plan.care_leads and ts.has("short_action", plan.care)
                                  and plan.kind not in _ASKED_KINDS
                                  and not (plan.care in PERSON_CARE and plan.fault
                                           and plan.situation not in _CARE_OWNS
                                           and ts.has("short_action", worded))) else worded
            if not actions:
                actions = [pick(ts.leaf("short_action", short), f"short_action.{short}").render()]
        elif plan.options:
            option_set = pick(ts.options.get(worded) or ts.options["default"], f"options.{worded}")
            # Never offer what they turned down ("a replacement, not a refund").
            option_texts = [v.render() for v in option_set if not mentions(v.source, plan.refused)]
            if plan.kind in ts.all_owed_kinds:
                # Every remedy is owed (money taken after they cancelled): do them all, offer no choice.
                actions = actions + [o for o in option_texts if not any(_repeats(o, a) for a in actions)]
                option_texts = []
            # An option that says again what an answer already promised ("make the change") is dropped;
            # a single one left is no choice, so it becomes one more thing I'll do (unless the money
            # mentioned with the change is dealt with below: one word about money is enough).
            deeds = frozenset().union(*(ts.ask_deeds.get(ask, ()) for ask in plan.asks))
            redone = [o for o in option_texts if actions and mentions(o, deeds)]
            fresh = [o for o in option_texts if not any(_repeats(o, a) for a in actions) and o not in redone]
            if redone:
                # The remedy is promised; what is left ("tell you when the money will reach you") follows
                # from it rather than being a choice: the first of it becomes one more thing I'll do.
                option_texts = []
                actions = actions + fresh[:1]
            elif len(fresh) < len(option_texts):
                option_texts = fresh if len(fresh) > 1 else []
                actions = actions + fresh[:1] if len(fresh) == 1 and not plan.money_too else actions
        if not actions and not option_texts and plan.care_leads and not plan.short and not plan.settled:
            # Care leads an email and nothing was asked: still say the one thing I'll do for them (and what
            # they came for, when the kind is a request such as a payment plan).
            actions = [pick(ts.leaf("short_action", plan.care), f"short_action.{plan.care}").render()]
            if plan.kind in _ASKED_KINDS and ts.has("short_action", plan.kind):
                actions = [pick(ts.leaf("short_action", plan.kind), f"short_action.{plan.kind}").render()] + actions
        if plan.settled and not actions and not plan.praised:
            # (With praise, the thanks passed on to the team is what I'll do: no second "pass this on".)
            actions = [pick(ts.leaf("settled_action"), "settled_action").render()]
        if plan.money_too:
            actions = actions + [pick(ts.leaf("money_too"), "money_too").render()]
        if plan.ending in _CONFIRMED_ENDINGS and not plan.short and "change" in plan.asks:
            actions = actions + [pick(ts.leaf("ending_confirmation"), "ending_confirmation").render()]
        if plan.repeat and (actions or plan.short or plan.history):
            # They have chased us before: whoever picks this up keeps it (said even with nothing asked
            # when their earlier tickets show it), last, after what will be done.
            # ("Chase lost property and keep you posted" promises the updates already: only "follow it
            # through myself" then, never "keep you posted, and keep you updated myself".)
            promised = any(_UPDATES_PROMISED.search(a) for a in actions)
            owned = [v for v in ts.leaf("ownership") if not (promised and _UPDATES_PROMISED.search(v.render()))]
            if owned:
                actions = actions + [pick(owned, "ownership").render()]
        return actions, option_texts

    def _actions_sentence(self, actions: list[str]) -> Choices:
        sentence = _raw_choices(self.ts, self.pick, "actions_sentence", self.plan.tone, self.known)
        if len(actions) > 2 and any("," in a for a in actions[:-1]):
            # "raise this with a supervisor, who will review it, see what we can put right, take care of the
            # cancellation, and ...": past two things, one with its own comma, the rest get a sentence of
            # their own.
            also = _raw_choices(self.ts, self.pick, "actions_also", self.plan.tone, self.known)
            first = _render_with(sentence, self.variables, actions=actions[0])
            rest = _render_with(also, self.variables, actions=_join(actions[1:], "and"))
            full = first.mapped(lambda text: f"{text} {rest[0][1]}")
        else:
            full = _render_with(sentence, self.variables, actions=_join(actions, "and"))
        if self.plan.asks:
            # The short form of each answer is there for fitting a short channel (ownership gives way
            # there before the line that says what we need).
            short = [min((v.render() for v in self.ts.leaf("act_short", self._short_key(ask))), key=len)
                     for ask in self.plan.asks]
            full = full + _render_with(sentence, self.variables, actions=_join(short, "and"))
        return full

    def _short_key(self, ask: str) -> str:
        """The short form's key: a serious matter with its own words says them ("take care of it for you"
        after a death, never "cancel it"); a change that ends something says what it ends ("cancel it"); a
        kind with its own short answer says it ("stop the payments and refund them"); else the ask's."""
        keys = [f"{ask}_{self.plan.care}" if self.plan.care else "",
                f"{ask}_ending_{self.plan.ending}" if ask == "change" and self.plan.ending else "",
                f"{ask}_{self.plan.kind}" if self.plan.kind else ""]
        return next((k for k in keys if k and self.ts.has("act_short", k)), ask)

    def closing(self) -> list[Part]:
        plan, choices = self.plan, self.choices
        if plan.short:
            return [self._short_close()]
        paragraph = 3
        parts: list[Part] = []
        if plan.contact == "callback":
            parts.append(Part("contact", choices("contact", "callback_long"), paragraph, required=True))
        elif plan.contact == "long" and not plan.settled:
            parts.append(Part("contact", choices("contact", "long"), paragraph))
        step = ("urgent" if plan.care == DANGER
                else "status" if plan.status and not plan.urgent
                else "settled" if plan.care and plan.settled else "care" if plan.care
                else "urgent" if plan.urgent and not plan.settled else "status" if plan.status
                else "how_to" if plan.how_to else "settled" if plan.settled else "long")
        parts.append(Part("next_step", choices("next_step", step), paragraph, required=True))
        if plan.care != DANGER:
            # (No "don't worry" or thanks for patience after telling them to get out of the house.)
            parts.append(Part("closing", choices("closing_serious") if plan.care else choices("closing"), paragraph))
        return parts

    def _short_close(self) -> Part:
        plan, choices = self.plan, self.choices
        if plan.contact == "callback" and plan.channel == "chat":
            # In a live chat the number is asked for in the chat, never by a DM.
            return Part("contact", choices("contact", "callback_chat"), 1, required=True)
        if plan.contact in ("callback", "given", "dm_sent", "dm_blocked", "dm_them"):
            return Part("contact", choices("contact", plan.contact), 1, required=True)
        if plan.contact == "private":
            # Every way of naming what is needed is a phrasing too: fitting may take the shortest.
            key = "settled" if plan.settled else "short"
            private = choices("contact", key)
            for other in _askable(self.ts.needs_for(self.needs_key, self.needs_thing, self.objects),
                                  self.text, self.ts):
                if other != self.needs:
                    private = private + choices("contact", key).mapped(
                        lambda text, other=other: text.replace(self.needs, other))
            return Part("contact", private, 1, fallback=choices("next_step", key))
        step = "how_to" if plan.how_to and not plan.care else "settled" if plan.settled else "short"
        if step == "short" and plan.channel and self.ts.has("next_step", plan.channel):
            step = plan.channel    # a live chat: they are waiting on the other end
        return Part("next_step", choices("next_step", step), 1, required=True)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
_SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)


def _without_apology(parts: list[Part], words: "_Words") -> list[Part]:
    """The parts with every "sorry" taken out, for a customer who said an apology is worth nothing to them:
    a phrasing without one where the part has it; else the part given up, and the restatement (which
    always says sorry) replaced by words that take them at their word."""
    kept = []
    for part in parts:
        plain = Choices([(k, (lambda t=t: t)) for k, t in part.choices if not _SORRY.search(t)])
        if plain:
            kept.append(Part(part.key, plain, part.paragraph, part.required, part.fallback))
        elif part.key == "restate":
            kept.append(Part("refused_ack", words.choices("refused_ack"), part.paragraph, required=True))
        elif not part.required:
            continue
        else:
            kept.append(part)
    return kept


# Situations a serious matter's own action answers (closing a late parent's account is the change itself).
_CARE_OWNS = frozenset({"change_or_cancel", "other", "information", "how_to"})
# Changes that end something and are confirmed in writing (an unsubscribe just stops the mail).
_CONFIRMED_ENDINGS = frozenset({"cancel", "close"})
# Kinds that are what the customer came to ask for: said even when care for their circumstances leads.
_ASKED_KINDS = frozenset({"billing_payment_payment_plan"})


def _second_half(second: str, restatement: str) -> str:
    """``restatement`` with ``second`` as its second half ("I'm so sorry your flight was cancelled; missing
    the wedding because of it makes this so much worse."), or after it when it has no halves."""
    first, semicolon, _ = restatement.partition(";")
    if not semicolon:
        return f"{restatement} {second}"
    return f"{first}; {second[:1].lower()}{second[1:]}" if not second.startswith("I ") else f"{first}; {second}"


def _said_once(parts: list[Part], ts: TemplateSet) -> list[Part]:
    """The parts with no word of ``ts.said_once`` ("urgent", "priority") said twice: a later part keeps
    only its phrasings without a word already said ("I'm treating it as urgent. This puts real pressure
    on you, so I'll treat it as urgent" reads as a form), and an optional part left with none gives way."""
    said: set[str] = set()
    kept = []
    for part in parts:
        if said:     # (rare: most replies say none of these words, and need no phrasing rendered twice)
            choices = list(part.choices)
            fresh = [(key, text) for key, text in choices if not (said & _words_in(text, ts.said_once))]
            if fresh and len(fresh) < len(choices):
                part.choices = Choices([(key, (lambda text=text: text)) for key, text in fresh])
                part.chosen = 0
            elif not fresh and not part.required:
                continue
        said |= _words_in(part.text, ts.said_once)
        kept.append(part)
    return kept


# A wait told but not counted as one measured wait: minutes named ("sat on the plane for 20 minutes"), a
# longer span named ("for hours", "overnight"), or a long wait said in words ("forever", "still waiting").
_MINUTES_TOLD = re.compile(r"\b\d{1,2}\s*(?:minutes?|mins?)\b|\bhalf\s+(?:an\s+)?(?:hour|hr)\b", re.IGNORECASE)
# (Half an hour is minutes: "arriving half hour late".)
_LONGER_TOLD = re.compile(r"(?<!half )(?<!half an )\b(?:hours?|hrs?|hr)\b|\b(?:days?|weeks?|months?|overnight|"
                          r"all (?:day|night|morning|afternoon))\b|\d\s*h\b", re.IGNORECASE)
_LONG_IN_WORDS = re.compile(r"\b(?:forever|ages|so long|this long|long wait|still waiting|still stuck|still sitting)\b",
                            re.IGNORECASE)


def _words_in(text: str, words: frozenset[str]) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w in words}


# A sum of money the customer wrote ("$550", "£40.99", "550 dollars"), and a need that asks for one.
_SUM_GIVEN = re.compile(r"[$£€]\s?\d|\b\d[\d,.]*\s?(?:dollars|pounds|euros|bucks|usd|gbp|eur)\b", re.IGNORECASE)
_AMOUNT_ASKED = re.compile(r"(?:\s+and\s+the\s+amount\s+(?:of\s+the\s+refund|you're\s+(?:owed|expecting\s+back))"
                           r"|(\bdate)\s+and\s+amount\b)")

# Which order or booking it is, unknown to them: "the email doesn't tell me which order it's relating to".
_WHICH_UNKNOWN = re.compile(r"\b(?:doesn'?t|does\s+not|don'?t|do\s+not|didn'?t|did\s+not|not\s+sure|no\s+idea)\s+"
                            r"(?:(?:tell|say|show|know|mention)\s+(?:me\s+|us\s+)?)?which\s+"
                            r"(order|booking|account|flight|parcel|package|delivery)\b", re.IGNORECASE)
# A UK postcode ("CV32 4HN", "sw1a 1aa") or a zip code named as one, and the ways a need asks for it.
_POSTCODE_GIVEN = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\b(?:post\s?code|zip(?:\s?code)?)\W{0,3}\w*\d",
                             re.IGNORECASE)
# ... or a US ZIP code after its town ("in Buffalo 14220", "Austin, TX 78701"), looked for beside five digits only.
_FIVE_DIGITS = re.compile(r"(?<!\d)\d{5}(?!\d)")
_ZIP_AFTER_ITS_TOWN = re.compile(r"\b[A-Z][a-z]+,?\s+(?:[A-Z]{2}\s+)?$")
# Where the customer writes from, when their message says it: pounds, a UK handle ("@BootsUK", "@KFC_UKI"), British
# words; or dollars, a US handle ("@SamsungMobileUS"), American ones. A need then asks for a "postcode" or a "ZIP
# code", not both. (A handle's or a hashtag's country is its last part in capitals, after a small letter or "_":
# "#hermesUK", not "@ASUS".)
_WRITES_FROM_UK = re.compile(r"£|\b(?:postcode|whilst|fortnight|mum|colour|favourite|cheers|royal mail|hermes|evri|"
                             r"yodel|dpd)\b"
                             r"|(?-i:(?<![\w@#])[@#]\w*?(?:(?:[a-z]|_)(?:UK|UKI|IE)|_(?:uk|ie))\b)", re.IGNORECASE)
_WRITES_FROM_US = re.compile(r"\$\s?\d|\b(?:zip|usps|mom|color|favorite)\b"
                             r"|(?-i:(?<![\w@#])[@#]\w*?(?:[a-z]|_)(?:US|USA)\b)", re.IGNORECASE)
_POSTCODE_ASKED = re.compile(r"\s+and\s+(?:(?:your\s+)?postcode(?:\s+or\s+ZIP\s+code)?|where you are)\b")
# A device's model: a name and a model code ("Lenovo K8", "Galaxy S21", "iPhone 13", "Note 10").
_MODEL_GIVEN = re.compile(r"\b(?:[A-Z][a-z]+|i[A-Z][a-z]+)\s+"
                          r"(?:[A-Z]{1,3}\d{1,4}[A-Za-z]*|\d{1,2}(?:\s?(?:plus|pro|max|mini))?)"
                          r"\b(?!\s?(?:am|pm|hours?|hrs?|mins?|minutes?|days?|weeks?|months?|years?|%|th|st|nd|rd))"
                          # ... or run together: "the Oneplus5", "my HP7525", "OnePlus5T"
                          r"|\b[A-Z][A-Za-z]+\d{1,4}(?:[A-Za-z]{0,2}|[Pp]lus|[Pp]ro|[Mm]ax|[Mm]ini)\b")
# The app or the website named as what fails: "the app keeps crashing".
_APP_NAMED = re.compile(r"\b(?:the|your|ur|this|my)\s+(?:[\w-]+\s+){0,2}?(?:app|website|site)\b", re.IGNORECASE)
# The page named as what fails: "your online outage reporting page does not work", "the login page".
_PAGE_NAMED = re.compile(r"\b(?:the|your|ur|this|my)\s+(?:[\w-]+\s+){0,3}?(?:page|web ?page|form)\b", re.IGNORECASE)
# A device told of as bought or new, or taken for repair under its warranty.
_BOUGHT = "device_bought"
_BOUGHT_IT = re.compile(r"\b(?:bought|brought|purchas\w*|brand\s+new|new\s+(?:\w+\s+)?(?:phone|printer|laptop|tv|"
                        r"headphones|earbuds|speaker|camera|console|dishwasher|fridge|washer|microwave|oven)|warranty|"
                        r"guarantee|service\s+cent(?:er|re)|repair\w*)\b", re.IGNORECASE)
# When it happened ("today", "15 minutes ago", "last night") and where (a branch, a store), said in their message.
_WHEN_GIVEN = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|yesterday|last night|just now|"
                         r"\d+\s*(?:min(?:ute)?s?|hours?|hrs?)\s+ago)\b", re.IGNORECASE)
_WHERE_GIVEN = re.compile(r"\b(?:branch|store|restaurant|drive[- ]?(?:thru|through))\b"
                          # an airport by its code: "your people at SFO"
                          r"|\b(?:at|in)\s+(?-i:[A-Z]{3})\b", re.IGNORECASE)
# ... or an airport or a station by its name ("Jacksonville airport", "Leeds station"), looked for only where the
# word stands.
_NAMED_PLACE = re.compile(r"\b[A-Z][a-z]+\s+(?:[Aa]irport|[Ss]tation)\b")
_WHEN_ASKED = re.compile(r" and roughly (?:when it happened|when the call was|what time it was)$")
# A trip under way now, today or tomorrow: its date goes without asking ("we're on AA1401, landed but
# waiting for a gate").
_TRAVELLING_NOW = re.compile(r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening)|right now|at the gate|"
                             r"on the (?:plane|tarmac|runway|train)|on board|onboard|stuck (?:at|on|in)|"
                             r"waiting (?:for|on) (?:a|the|our) gate|just landed|"
                             r"(?:i'?m|we'?re|i am|we are) (?:now |still )?on (?:flight |flt )?#?(?:[a-z]{2})?\s?\d{2,4})\b",
                             re.IGNORECASE)
# A service named by its number, or by its time and where it runs ("the 0015 from Liverpool Street", "the 7:10
# service to Leeds").
_TRAIN_GIVEN = re.compile(r"\btrain\s*(?:no\.?|number|#)?\s*\d{3,5}\b|"
                          r"\bthe\s+(?:[01]?\d|2[0-3])[:.]?[0-5]\d\b(?:\s*(?:am|pm))?(?:\s+\w+){0,2}?\s+(?:from|to)\s+\w",
                          re.IGNORECASE)
_FLIGHT_GIVEN = re.compile(r"\b(?:flight|flt|fl)\s*#?\s*\d{2,4}\b|\b(?:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?\d{2,4}\b")


# Where a journey's staff are met: at the gate, the desk, on board; or a flight named by its number.
_MET_ON_A_JOURNEY = re.compile(r"\b(?:gate|gates|airport|terminal|on board|onboard|flight attendants?|crew|pilot|"
                               r"check-?in desk|counter|platform|station)\b|" + _FLIGHT_GIVEN.pattern)
_MEAL_NEEDS = "order_delivery_meal"
# A booking still to make ("so I can book a ticket"): no reference yet to find it by.
_TO_BOOK = re.compile(r"\b(?:book|buy|purchase)(?:ing)?\s+(?:a|an|one|another|new)\s+(?:\w+\s+)?"
                      r"(?:ticket|flight|seat|trip)", re.IGNORECASE)
# What a call cut off was about, when named: the matter the booking or the order finds.
_CALLED_ABOUT = frozenset({"flight", "booking", "order", "train"})
# A visit made to a branch, a shop or a restaurant: where and when find what happened there. (Not one planned,
# "I don't want to have to go to the store", nor what "the future has in store".)
_VISIT_NEEDS = "in_person_visit"
# Ways of our answering said apart in which no way they used to reach us needs asking for: left without word
# from us, or answered by rote (their tweet or message is on record).
_ANSWERED_ALREADY = frozenset({"service_conduct_not_informed", "service_conduct_canned"})
_CONDUCT_VISIT_NEEDS = "service_conduct_visit"    # how they were served there: no receipt to ask for
_VISITED_KEYS = frozenset({"order_delivery", "order_delivery_wrong", "billing_payment", "product_fault", "default",
                           "service_conduct"})
_A_VISIT = re.compile(r"\b(?i:(?:went|been|came|popped)\s+(?:in)?to\s+(?:my\s+local|your|the|a)\s+"
                      r"(?:[\w']+\s+){0,2}?(?:branch|store|shop|restaurant|outlet))|"
                      r"\b(?i:your|the|my\s+local|in|at)\s+[A-Z][\w']+\s+(?i:branch|store|shop)\b|"
                      r"\b(?i:in-store|at\s+the\s+(?:till|checkout|counter)|short[- ]?changed|"
                      r"drive[- ]?th(?:ru|rough))\b")
_VISIT_WORDS = ("branch", "store", "shop", "restaurant", "outlet", "till", "checkout", "counter", "changed", "drive")


def _a_visit(text: str) -> bool:
    """A visit told (``_A_VISIT``); the plain words are looked for first, as most messages name no shop."""
    low = text.lower()
    return any(w in low for w in _VISIT_WORDS) and _A_VISIT.search(text) is not None


# Bought or ordered away from the counter: the order or the account finds it ("my collect in store order").
_BOUGHT_AWAY = re.compile(r"\b(?:online|app|website|site|collect|click|tracking|delivery|delivered|pre-?order|"
                          r"order\s+(?:number|no)|job)\b", re.IGNORECASE)
# A journey on public transport that nobody books (a metro, a tram, commuters), and words of one that is booked.
_COMMUTE_NEEDS = "travel_disruption_commute"
_A_COMMUTE = re.compile(r"\b(?:metro(?!\s+areas?\b)|subway|underground|tube|trams?|streetcar|light rail|commuters?|"
                        r"commute)\b", re.I)
_BOOKED_TRAVEL = re.compile(r"\b(?:flights?|plane|airport|airlines?|fly|flying|flew|gate|booking|booked|reservation|"
                            r"ticket|seat|train\s+\d+)\b", re.I)
# An offer named by what it gives or its code: "10% off", "£5 off", "buy one get one", "free fries", "code SAVE20".
_OFFER_NAMED = re.compile(r"\b\d{1,3}\s?%\s?off\b|[£$€]\s?\d+(?:\.\d\d)?\s?off\b|\bbogo\b|\bbuy one get one\b|"
                          r"\bfree(?:\s+\w+){1,2}\s+(?:offer|deal|promo|promotion)\b|"
                          r"\b(?:promo|discount|voucher)\s+code\s+[A-Z0-9]{3,}\b", re.IGNORECASE)
# A meal from a restaurant or a takeaway, not a parcel.
_A_MEAL = re.compile(r"\b(?:sandwich|sandwiches|burger|burgers|pizza|pizzas|fries|chips|nuggets|wrap|meal|meals|"
                     r"breakfast|lunch|dinner|takeaway|take-?out|drive[- ]?th(?:ru|rough)|milkshake|"
                     r"mcflurry|whopper|big mac|wings|sub|salad|restaurant|cup of water|cup of coffee|"
                     # an order taken at a counter: "10 mins to take my order"
                     r"t(?:ake|ook|aking)\s+(?:my|our)\s+order)\b",
                     re.IGNORECASE)
_A_PARCEL = re.compile(r"\b(?:parcel|package|tracking|shipped|shipping|courier|dispatched|delivery date)\b",
                       re.IGNORECASE)
# Where staff are met in person away from a journey: a shop, a branch, a desk, a queue.
_MET_IN_PERSON = re.compile(r"\b(?:store|shop|branch|in\s+the\s+back|till|checkout|counter|desk|in\s+person|"
                            r"in\s+line|queue|queuing|queueing)\b", re.IGNORECASE)
# The ways of reaching us that an unanswered customer may have tried.
_A_WAY_TO_REACH_US = re.compile(r"\b(?:phone|phones|call|called|calling|calls|rang|email|e-mail|emailed|emails|dm|dms|"
                                r"dmed|message|messaged|messages|chat|hold|line|tweet|tweeted|tweets|reply|replied|"
                                r"respond|responded|response|website|online|app|number)\b", re.IGNORECASE)


# An order or a booking the customer could not place, or has yet to make: "can not submit the order", "error
# when trying to purchase a flight", "won't let me book", "I haven't booked a flight yet", "looking to book".
# Nothing was placed, so no number of it exists to ask for. (Not "I need to book the next flight out": a
# cancelled booking stands behind that.)
_NOT_PLACED = re.compile(
    r"\b(?:can'?t|cannot|can not|couldn'?t|could not|unable to|not able to|won'?t let me|wouldn'?t let me|"
    r"trying to|tryin to|tryna|tried to|try to|fails? to|failed to|failing to)\s+(?:\w+\s+){0,2}?"
    r"(?:(?:submit|place|complete|finish|finalise|finalize|make)\s+(?:the\s+|my\s+|an?\s+|our\s+)?"
    r"(?:order|purchase|booking|reservation)|purchase|buy|book|check\s?out)\b"
    # (not "I'm not booked on the 1:30 return": a journey they should be on)
    r"|\b(?:haven'?t|have not|not)(?:\s+yet)?\s+(?:booked|bought|purchased)\b(?!\s+(?:on|onto|in)\b)"
    r"|\b(?:looking|hoping|planning)\s+to\s+(?:book|buy|purchase)\b"
    # held waiting for the line that would take the booking: "on hold for 1hour since sun. to book 1-way flt"
    r"|\bon\s+hold\b[^.!?\n]{0,40}?\bto\s+(?:book|buy|purchase)\b", re.IGNORECASE)
_A_NUMBER_OF_IT = ("order or tracking number", "tracking number", "booking reference", "order number")


# A reference the customer offers to give or says they have: "if I provide my conf code", "I have a case
# number", "here is my order number" (not one they cannot find: the template list ``cannot_find``).
_OFFERED = re.compile(r"\b(?:provide|send|give|giving|have|got|here(?:'s| is)|share|dm|dming)\s+(?:you\s+|u\s+)?"
                      r"(?:my|our|the|a|an)?\s*(?P<what>conf(?:irmation)?\s+(?:code|number|#)|record\s+locator|"
                      r"booking\s+(?:reference|ref|number)|order\s+(?:number|#)|tracking\s+(?:number|#)|"
                      r"case\s+(?:number|#|reference|ref)|reference\s+number|ticket\s+number|claim\s+number)(?!\w)",
                      re.IGNORECASE)
_OFFERED_SAID = {"conf code": "confirmation code", "conf number": "confirmation number", "conf #": "confirmation number",
                 "booking ref": "booking reference", "order #": "order number", "tracking #": "tracking number",
                 "case #": "case number", "case ref": "case reference"}


# How far before a reference (in characters, about five words) the words of not having it may stand.
_NOT_HAD_REACH = 30
_BOOKING_REFERENCE_SAID = re.compile(r"\b(?:conf(?:irmation)?\s*(?:code|number|no\b|#)|record\s+locator|"
                                     r"booking\s+(?:ref\b|number|code))", re.IGNORECASE)


def _said_not_had(low: str, start: int, cannot: re.Pattern) -> bool:
    """Whether the words of not having something stand just before ``start``, in its sentence."""
    before = low[max(0, start - _NOT_HAD_REACH):start]
    if start > _NOT_HAD_REACH:
        before = before.partition(" ")[2]          # not the tail of a word cut in two
    before = re.split(r"[.!?]\s", before)[-1]
    return cannot.search(before) is not None


def _offered_identifier(text: str, ts: TemplateSet) -> str | None:
    """The reference the customer offers ("if I provide conf code"), said as "your ...", or None."""
    m = _OFFERED.search(text)
    if not m:
        return None
    sentence = text[max(text.rfind(".", 0, m.start()), 0):m.end()]
    if mentions(sentence, ts.cannot_find):
        return None
    what = " ".join(m.group("what").lower().split())
    return "your " + _OFFERED_SAID.get(what, what)


# Words enough to have told what happened: a message this long is asked for details, not for its story again.
_TOLD_AT_LENGTH = 12
_WORD_RUN = re.compile(r"[A-Za-z']+")


def _askable(needs: tuple[str, ...], text: str, ts: TemplateSet) -> tuple[str, ...]:
    """The ways of saying what is needed, less those asking for something the customer said they cannot
    find or do not have (template lists ``identifiers`` and ``cannot_find``), and less a card's digits when
    they paid another way (``paid_without_card``: "my direct debit went up"), and less the number of an order
    or a booking they could not place."""
    low = text.lower()
    if _NOT_PLACED.search(text) and any(n in need for need in needs for n in _A_NUMBER_OF_IT):
        needs = tuple(need for need in needs if not any(n in need for n in _A_NUMBER_OF_IT)) \
            or ts.contact_needs.get("not_placed") or ts.contact_needs["default"]
    if mentions(low, ts.paid_without_card) and not re.search(r"\bcard\b", low):
        needs = tuple(n for n in needs if "card" not in n) or ts.contact_needs["default"]
    if _SUM_GIVEN.search(text):
        # "charging us $550": the amount is in their message; asking for it again reads as not reading it.
        needs = tuple(_AMOUNT_ASKED.sub(lambda m: m.group(1) or "", n) for n in needs)
    if _FLIGHT_GIVEN.search(text):
        # "flight 1219", "UA276": the flight is named; their booking finds them on it.
        needs = tuple(n.replace(" and flight number", "").replace("your flight number and the date you flew",
                                                                   "your booking reference")
                      for n in needs)
    if _TRAIN_GIVEN.search(text):
        # "train 16127, 26th December, coach S4": the service is named; its ticket finds them on it.
        needs = tuple("your ticket or booking reference" if "departure time" in n or "time of the service" in n
                      else n for n in needs)
    if _TRAVELLING_NOW.search(text):
        needs = tuple(n.replace(" and the date of travel", "") for n in needs)    # "stuck at the gate", "today"
    if _APP_NAMED.search(text):
        needs = tuple(n.replace(" and the app or website you're using", "") for n in needs)   # "the app keeps crashing"
    if _PAGE_NAMED.search(text):
        needs = tuple(n.replace(" and the page you were on", "") for n in needs)   # "your outage reporting page"
    if _POSTCODE_GIVEN.search(text) or any(_ZIP_AFTER_ITS_TOWN.search(text, max(0, m.start() - 30), m.start())
                                           for m in _FIVE_DIGITS.finditer(text)):
        needs = tuple(_POSTCODE_ASKED.sub("", n) for n in needs)     # "still no 4g in CV32 4HN"
    if any("postcode or ZIP code" in n for n in needs):
        uk, us = _WRITES_FROM_UK.search(text) is not None, _WRITES_FROM_US.search(text) is not None
        if uk != us:
            needs = tuple(n.replace("postcode or ZIP code", "postcode" if uk else "ZIP code") for n in needs)
    if _OFFER_NAMED.search(text):
        # "10% off at checkout", "a free fries offer", "code SAVE20": the offer is in their message.
        needs = tuple(n.replace(" and which offer it was", "").replace(" and the code or offer you used", "")
                      for n in needs)
    when = _WHEN_GIVEN.search(text) is not None
    where = _WHERE_GIVEN.search(text) is not None or (
        ("airport" in low or "station" in low) and _NAMED_PLACE.search(text) is not None)
    if when or where:
        # "Drove through 15 minutes ago", "your Leeds branch today": when or where it happened is in their message.
        both = " and roughly when and where it happened"
        said = "" if when and where else " and where it happened" if when else " and roughly when it happened"
        needs = tuple(n.replace(both, said) for n in needs)
        if when:
            needs = tuple(_WHEN_ASKED.sub("", n) for n in needs)
    if _MODEL_GIVEN.search(text):
        needs = tuple(n.replace("the model and ", "") for n in needs)  # "my Lenovo K8", "iPhone 13"
    if len(_WORD_RUN.findall(text)) >= _TOLD_AT_LENGTH:
        # What happened is in their message ("brakes and tyres done on Friday and now the engine light is on"):
        # asking for "details of what happened" reads as not having read it.
        needs = tuple(n.replace(" of what happened", "") for n in needs)
    which = _WHICH_UNKNOWN.search(text) if "which" in low else None
    if which:
        # "The email doesn't tell me which order it's about": its number is what they cannot give.
        thing = which.group(1).lower()
        needs = tuple(n for n in needs if thing not in n) or ts.contact_needs.get("which_unknown") \
            or ts.contact_needs["default"]
    # A booking's reference goes by other names ("no conf #", "lost my confirmation number").
    if "conf" in low or "locator" in low or "booking" in low:
        low = _BOOKING_REFERENCE_SAID.sub("booking reference", low)
    named = [i for i in ts.identifiers if i in low]
    if not named:
        return needs
    # Missing when the words of not having it come just before it ("no conf #", "I can't find my order
    # number"), not anywhere in its sentence ("got an email with my confirmation number but now an error
    # says no active flight"; "record locator AB12CD, we couldn't be rebooked").
    cannot = phrases_pattern(ts.cannot_find)
    missing = {i for i in named if any(_said_not_had(low, m.start(), cannot) for m in re.finditer(re.escape(i), low))}
    if not missing:
        return needs
    kept = tuple(n for n in needs if not any(i in n for i in missing))
    if not kept and "booking reference" in missing:
        # Without it, the booking is found by whose it is and when they travel.
        kept = ts.contact_needs.get("no_booking_reference", ())
    return kept or ts.contact_needs["default"]


def _repeats(option: str, action: str) -> bool:
    """Whether an option repeats three words running of an action already promised."""
    a, b = option.lower().split(), action.lower().split()
    runs = {tuple(b[i:i + 3]) for i in range(len(b) - 2)}
    return any(tuple(a[i:i + 3]) in runs for i in range(len(a) - 2))


def _restate_choices(plan: ReplyPlan, ts: TemplateSet, choices, *, short_wait: bool = False) -> Choices:
    r = plan.restatement
    if r.kind == "question":
        return choices("restate_question")
    # A kind without words of its own is said back as its situation is.
    said_as = plan.said_as or plan.kind
    worded = said_as if said_as and ts.has("restate", said_as) else plan.situation
    if not ts.has("restate", worded) and plan.only_asking and ts.has("restate", UNTROUBLED):
        # A question, with nothing named as gone wrong and no clear feeling shown ("is the weather looking
        # ok or problematic for tomorrow?"): no "that's disappointing" for a disappointment nobody told of.
        worded = UNTROUBLED
    if r.kind == "clause":
        return choices("restate_clause", plan.band) + choices("restate", worded, plan.band)
    if r.kind == "wait":
        # Half an hour late is said back as the annoyance it is, however much else weighs ("delayed 30
        # minutes; will I make my connection?").
        band = "minor" if short_wait and plan.band == "significant" else plan.band
        return choices("restate_wait", band) + choices("restate", worded, plan.band)
    return choices("restate", worded, plan.band)


def _paid_for_a_journey(plan: ReplyPlan, ts: TemplateSet, text: str) -> str | None:
    """The contact-needs entry of money paid for a journey ("the ticket cost $200 more", "the fee for my
    bag"): found by the booking, not by an account the customer may never have opened; None otherwise.
    A kind with its own entry keeps it unless it has a journey's own, and a thing found by a number of its
    own keeps that (points: the membership number, whatever they were earned on)."""
    if (plan.situation != "billing_payment" or not _PAID_FOR_A_TRIP.search(text) or _ACCOUNT_NAMED.search(text)
            or plan.restatement.object in _FOUND_BY_ITS_OWN_NUMBER):
        return None
    keys = [f"{plan.kind}_trip"]
    if plan.kind not in ts.contact_needs:
        keys += [f"{plan.situation}_{plan.restatement.object}_trip", f"{plan.situation}_trip"]
    return next((k for k in keys if k in ts.contact_needs), None)


UNTROUBLED = "untroubled"   # the restatement's words where nothing is told as gone wrong
_NAMES_A_FEELING = re.compile(r"disappoint|frustrat|fed up|upset|annoy", re.IGNORECASE)
_SAYS_IT_RECURS = re.compile(r"\bkeeps?\b(?! you waiting)|\bagain\b", re.IGNORECASE)   # not "kept waiting"
_SAID_TO_THEM = re.compile(r"\byou've been\b|\byou were\b|\byou wanted\b|\byour day\b|\byou planned\b|"
                           r"\byou paid\b|\byou're (?:stuck|stranded|still)\b|\byour (?:plans|journey|trip)\b|"
                           r"\byou getting there\b")
_YOU_FEEL = re.compile(r"\byou're (?:so |really )?([a-z]+)")


def _attributed_feeling(source: str, ts: TemplateSet) -> str:
    """The stem of a feeling a phrasing says the customer has ("why you're disappointed"), or ""."""
    for word in _YOU_FEEL.findall(source.lower()):
        for stem, words in ts.feelings.items():
            if word in words:
                return stem
    return ""


def _act(ts: TemplateSet, pick, ask: str, situation: str, plan: ReplyPlan, variables: dict, known) -> str:
    # "Why?" in a situation with words of its own asks what caused the trouble; "how do I?", an answer.
    key = situation if ask != "explain" or situation == "how_to" or (plan.why and ts.has("act", ask, situation)) \
        else "default"
    kind = plan.kind if plan.kind and ts.has("act", ask, plan.kind) else None
    key = kind or key
    ending = f"ending_{plan.ending}" if ask == "change" and plan.ending else ""
    key = ending if ending and ts.has("act", ask, ending) else key
    care = plan.care if plan.care and ts.has("act", ask, plan.care) else None
    if care and key == ending and care not in _CARE_WORDS_THE_ENDING:
        care = None   # "cancel my membership, I've lost my job": cancelled, in their word, with the care said above
    if care and care in PERSON_CARE and plan.fault and ask == "fix" and key != "default" and ts.has("act", ask, key):
        # Hard times are the person's, a double debit is ours to fix: say both, the fix first.
        return f"{_one_act(ts, pick, ask, key, plan, variables, known)} and " \
               f"{_one_act(ts, pick, ask, care, plan, variables, known)}"
    return _one_act(ts, pick, ask, care or key, plan, variables, known)


# Serious kinds whose own words for a change are the better ones ("make whatever changes are needed" after a
# death), even when the change asked ends something.
_CARE_WORDS_THE_ENDING = frozenset({"bereavement"})
# Serious kinds about the person's circumstances, not about what went wrong: the reply still fixes
# what went wrong. (An assault, fraud, a safety matter or a danger now *is* what went wrong: its own act
# replaces.)
PERSON_CARE = frozenset({"hardship", "illness", "new_baby", "expecting", "bereavement", "vulnerable"})
# A danger now (gas, fumes, fire, live electrics): safety first, and the fastest honest next step.
DANGER = "danger"


def _one_act(ts: TemplateSet, pick, ask: str, key: str, plan: ReplyPlan, variables: dict, known) -> str:
    variants = [v for v in ts.leaf("act", ask, key, tone=plan.tone) if v.usable(known)]
    # The restatement already named the thing; saying "your flight to Denver" twice reads as a script.
    variants = [v for v in variants if not v.needs & known] or variants
    return pick(variants, f"act.{ask}.{key}").render(**variables)


def _raw_choices(ts: TemplateSet, pick, part: str, tone: str, known) -> list[tuple[str, Variant]]:
    variants = [v for v in ts.leaf(part, tone=tone) if v.usable(known)]
    first = pick(variants, part)
    return [(first.key, first)] + [(v.key, v) for v in variants if v is not first]


def _render_with(choices, variables: dict, **extra) -> Choices:
    return Choices([(key, partial(variant.render, **variables, **extra)) for key, variant in choices])


def _answered(ask: str, plan: ReplyPlan, used: set[str]) -> bool:
    if ask == "contact":
        return "contact" in used or plan.info_given or "next_step" in used
    if ask == "callback":
        return "contact" in used if plan.contact == "callback" else "actions" in used
    if ask == "status":
        return "actions" in used or "next_step" in used
    if ask == "explain" and plan.how_to:
        return "actions" in used or "options" in used
    if ask in plan.covered:
        # Another ask's action answers it ("where is it?" tells what happened), or the options do ("what
        # are my options?").
        return "actions" in used or (ask == "explain" and "options" in used)
    return ask in plan.asks and "actions" in used


def _join(items: list[str], word: str) -> str:
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        # "get this corrected and find out the details and explain them": a comma keeps the two apart.
        comma = "," if any(f" {word} " in item for item in items) else ""
        return f"{items[0]}{comma} {word} {items[1]}"
    return ", ".join(items[:-1]) + f", {word} {items[-1]}"


class _Untold:
    """What a phrasing says happened without the customer's words for it (template file: only_if_told:
    "broken down" to someone who told of nothing failing). Their message is searched for a phrasing's
    words only when a phrasing that says it comes up, and once."""

    def __init__(self, only_if_told, text: str) -> None:
        self.only_if_told, self.text = only_if_told, text
        self.phrasings = frozenset(only_if_told)
        self.told: dict[str, bool] = {}

    def said_by(self, source: str) -> bool:
        """Whether the phrasing ``source`` says something the customer did not tell."""
        for said in _phrasings_in(source, self.phrasings):
            told = self.told.get(said)
            if told is None:
                told = self.told[said] = mentions(self.text, self.only_if_told[said])
            if not told:
                return True
        return False


@lru_cache(maxsize=4096)
def _phrasings_in(source: str, phrasings: frozenset[str]) -> tuple[str, ...]:
    """The only_if_told phrasings a template variant holds (variants are few: each is searched once)."""
    if not phrasings:
        return ()
    return tuple({m.group(0).lower() for m in phrases_pattern(phrasings).finditer(source)})


class _Picker:
    """Chooses a variant from a stable hash of ticket id, message text and part key.

    The text is part of the hash so that two messages previewed under one ticket id (``scan --note``)
    read differently; never ``hash()``, which is salted per process.
    """

    def __init__(self, ticket_id: str, text: str) -> None:
        self.seed = f"{ticket_id}|{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}|"
        self.untold: _Untold | None = None

    def avoiding(self, untold: _Untold) -> "_Picker":
        """The same choices, never a variant that says what the customer did not tell while another is
        left (an action that says "the fault" to someone who told of none)."""
        picker = _Picker.__new__(_Picker)
        picker.seed, picker.untold = self.seed, untold
        return picker

    def __call__(self, variants, key: str):
        if self.untold is not None:
            variants = [v for v in variants if not self.untold.said_by(getattr(v, "source", ""))] or variants
        return variants[zlib.crc32((self.seed + key).encode("utf-8", "surrogatepass")) % len(variants)]



def clean_name(name: str | None) -> tuple[str | None, str | None]:
    """(full name, first name) fit to greet someone with, or (None, None).

    Helpdesk requester names are free text: e-mail addresses, "Customer", handles, all caps. Only a
    plain name of letters, spaces, hyphens, apostrophes and dots is used.
    """
    if not name:
        return None, None
    name = " ".join(name.split())
    if not _NAME.match(name) or name.lower() in {"customer", "user", "unknown", "guest", "anonymous", "n/a"}:
        return None, None
    if name.isupper() or name.islower():
        name = " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    first = name.split(" ")[0].rstrip(".")
    if len(first) < 2 or not first.isalpha():
        return (name if len(name.split()) > 1 else None), None
    return name, first


def _language_of(analysis: Analysis) -> str:
    return "en"  # one template set so far; Understanding.language says when a message is in another


def _quiet_note() -> Note:
    text = "**Empathy cues** — no apology or priority follow-up owed; no suggested reply."
    html = "<p><strong>Empathy cues</strong> — no apology or priority follow-up owed; no suggested reply.</p>"
    return Note(text=text, html=html, reply="")


def _when(minutes: int) -> tuple[str, str]:
    """('the next 6 hours', '6 hours') for 360; ('the next hour', '60 minutes') for 60."""
    if minutes == 60:
        return "the next hour", "60 minutes"
    if minutes >= 120 and minutes % 60 == 0:
        hours = minutes // 60
        return f"the next {hours} hours", f"{hours} hours"
    return f"the next {minutes} minutes", f"{minutes} minutes"


# A departure the customer says is minutes or hours away: "flight leaves in 17 minutes", "boarding in 20
# mins", "doors close in 10 min", "my train goes in half an hour".
# ... or said as a time from now: "the last flight is at 8:20, 5 mins from now".
_FROM_NOW = re.compile(r"\b(?P<n>\d{1,3})\s*(?P<unit>minutes?|mins?)\s+from\s+now\b", re.IGNORECASE)
_DEPARTS_IN = re.compile(
    r"\b(?:leav(?:es|ing)|depart(?:s|ing)|board(?:s|ing)|takes off|taking off|close(?:s)?|closing|goes|going|"
    r"flight|train|bus|ferry|coach)\s+(?:\w+\s+)?in\s+(?:about\s+|around\s+|like\s+|just\s+|only\s+|under\s+|"
    r"less\s+than\s+)?(?P<n>\d{1,3}|an|a|one|two|three|half\s+an)\s*(?P<unit>minutes?|mins?|hours?|hrs?|hr)\b",
    re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}


_CONNECTION_AT_STAKE_KIND = "travel_disruption_connection_at_stake"
_CONNECTION_LEAD = 60   # minutes a connection at stake is taken to be away, when they do not say


def _before_departure(left: int | None, target: int) -> str | None:
    """How soon to promise an answer when the departure comes before the response target, or None."""
    if left is None or left > target:
        return None
    # (the departure's lead, the answer promised, that answer in minutes)
    for lead, said, minutes in ((45, "the next few minutes", 10), (90, "the next half hour", 30),
                                (240, "the next hour", 60)):
        if left <= lead:
            return said if minutes < target else None
    return None


def minutes_to_departure(text: str) -> int | None:
    """How many minutes away the customer says their departure is, the soonest they name, or None."""
    soonest = None
    # ("from now" is looked for first: few messages say it.)
    for m in chain(_DEPARTS_IN.finditer(text), _FROM_NOW.finditer(text) if "from now" in text.lower() else ()):
        n = " ".join(m.group("n").lower().split())
        minutes = 30 if n == "half an" else int(n) if n.isdigit() else _NUMBER_WORDS[n]
        if m.group("unit").lower().startswith("h") and n != "half an":
            minutes *= 60
        soonest = minutes if soonest is None else min(soonest, minutes)
    return soonest
