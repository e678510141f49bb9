"""Agent empathy QA scoring on replies written for these tests (good, poor, stock-phrase-stuffed, missing the
owed apology, ignoring a callback request, ...), each with the criteria it must get and its score."""
import pytest

from empathy_cues.errors import PackError
from empathy_cues.qa import Context, load_qa_pack, score_reply
from empathy_cues.qa.pack import parse_qa_pack
from empathy_cues.qa.score import STOCK_CAP

BILLING = Context(apology_owed=True, severity=2, situation="billing_payment", asks=("refund",), objects=("charge",),
                  customer_words=frozenset({"charged", "twice", "subscription"}))
CALLBACK = Context(apology_owed=True, severity=2, situation="account_access", asks=("callback",),
                   objects=("account",), customer_words=frozenset({"locked", "account", "call"}))
BEREAVED = Context(apology_owed=True, severity=3, situation="change_or_cancel", asks=("change",),
                   objects=("account",), customer_words=frozenset({"close", "father's", "account"}))
HOW_TO = Context(apology_owed=False, severity=1, situation="how_to", objects=("export",),
                 customer_words=frozenset({"export", "data", "csv"}))
DELIVERY = Context(apology_owed=True, severity=2, situation="order_delivery", asks=("status",),
                   objects=("order", "parcel"), customer_words=frozenset({"parcel", "arrived", "week"}))
CONDUCT = Context(apology_owed=True, severity=2, situation="service_conduct", asks=("escalate",),
                  customer_words=frozenset({"rude", "staff", "manager"}))
INVOICE = Context(situation="other", customer_words=frozenset({"invoice", "vat", "number", "missing"}))
TWO_ASKS = Context(apology_owed=True, severity=2, situation="billing_payment", asks=("refund", "callback"),
                   objects=("charge",))

T, F, NA = True, False, None
ALL = dict(acknowledge=T, restate=T, apology=T, options=T, next_step=T, close=T, tone=T)

# (name, context, reply, expected criteria (subset), (lowest, highest) score, expected flags)
CASES = [
    # -- good replies --------------------------------------------------------------------------
    ("billing good", BILLING,
     "Hi Sam, I'm so sorry you were charged twice for your subscription; I can see why that's frustrating. "
     "I've asked our billing team to refund the duplicate charge and you'll receive it within 3 business days. "
     "If you'd rather, I can also add it as a credit to your account. Let me know if there's anything else I can do.",
     ALL, (100, 100), ()),
    ("callback good", CALLBACK,
     "Hi Priya, I'm sorry you've been locked out of your account - that must be frustrating when you need it for work. "
     "I'll give you a call today at 3pm on the number we have to get you back in. If you'd rather I call at another "
     "time, just reply with it. I'm here if you need anything before then.",
     ALL, (100, 100), ()),
    ("bereavement good", BEREAVED,
     "I'm so sorry for the loss of your father. I can only imagine how hard this time is. I will close his account "
     "for you today, and you won't need to send anything else. Please take care, and let me know if there's anything "
     "more I can do.",
     dict(ALL, options=F), (90, 90), ()),
    ("how-to good", HOW_TO,
     "Hi Lee, I can see why the export option is hard to find - it's tucked away. You can either go to Settings > "
     "Data and choose Export as CSV, or if you prefer, I'll send you the file myself today. Happy to help if anything "
     "else comes up.",
     dict(ALL, apology=NA), (100, 100), ()),
    ("delivery good", DELIVERY,
     "Hi Jo, I'm sorry your parcel still hasn't arrived after a week - I understand how worrying that is. I've checked "
     "the tracking: it's held at the depot, and I'll have it sent out today so you'll get it by Friday. If you'd prefer "
     "a full refund instead, just say the word. Thank you for your patience.",
     ALL, (100, 100), ()),
    ("formal good", BILLING,
     "Dear Ms Grant, please accept our apologies for charging your subscription twice. I understand how inconvenient "
     "this is. We will refund the duplicate charge within 2 working days, or, if you prefer, credit it to your next "
     "invoice. Please let me know if I can help further.",
     ALL, (100, 100), ()),
    ("escalation answered", CONDUCT,
     "I'm really sorry about how our staff treated you - that's not the experience you should have had. I've "
     "escalated this to my manager, and you'll hear from her by tomorrow noon. Take care.",
     dict(ALL, options=F), (90, 90), ()),
    ("chat reply, short and complete", DELIVERY,
     "So sorry your parcel is late, Jo! I'll have it sent out today - you'll get it by Friday, or I can refund you if "
     "you prefer. Anything else, I'm here.",
     dict(ALL, acknowledge=F), (85, 85), ()),
    ("acknowledges, restates, next step", HOW_TO,
     "I can see why that's confusing - the export button moved last week. It's now under Settings > Data. I'll add "
     "a note to the guide today too.",
     dict(acknowledge=T, restate=T, apology=NA, options=F, next_step=T, close=F, tone=T), (76, 77), ()),
    ("no apology owed, none given", HOW_TO,
     "Hi Lee, to export your data as CSV, open Settings > Data and press Export. I'll also email you a short guide "
     "today. Let me know if you get stuck.",
     dict(acknowledge=F, restate=T, apology=NA, next_step=T, close=T), (70, 71), ()),
    ("apology not owed but given", HOW_TO,
     "Sorry for the confusion! You can either export from Settings or I'll send you the CSV today. Happy to help.",
     dict(acknowledge=F, restate=T, apology=NA, options=T, next_step=T, close=T), (82, 83), ()),
    ("own words of the customer restated", INVOICE,
     "I'm sorry the VAT number is missing from your invoice. I'll send a corrected invoice today.",
     dict(restate=T, apology=NA, next_step=T), (58, 59), ()),
    ("curly apostrophes", BILLING,
     "I\u2019m sorry you were charged twice. I\u2019ll refund it by tomorrow.",
     dict(apology=T, restate=T, next_step=T, acknowledge=F), (65, 65), ()),
    ("clock time is a time", BILLING,
     "I'll call you at 4:30 about the charge.",
     dict(next_step=T, restate=T, apology=F), (40, 40), ("apology_missing", "ask_unanswered")),
    ("process asked first, but not a serious case", BILLING,
     "Please confirm your account number. I'm sorry for the double charge, I'll refund it today.",
     dict(apology=T, next_step=T), (65, 65), ()),
    # -- poor replies --------------------------------------------------------------------------
    ("two words", BILLING, "Refund processed.",
     dict(acknowledge=F, restate=T, apology=F, options=F, next_step=F, close=F, tone=T), (30, 30), ("apology_missing",)),
    ("process only", BILLING,
     "Please provide your order number and the last four digits of your card so we can look into it.",
     dict(acknowledge=F, apology=F, next_step=F), (20, 20), ("apology_missing", "ask_unanswered")),
    ("blames the customer", DELIVERY,
     "As I already said, the parcel was delivered to the address you gave us. You should have checked the address "
     "before ordering.",
     dict(tone=F, apology=F, restate=T), (20, 20), ("apology_missing",)),
    ("shouting", BILLING, "I'M SORRY BUT THERE IS NOTHING WE CAN DO ABOUT YOUR CHARGE.",
     dict(tone=F, apology=T, restate=T), (25, 25), ("ask_unanswered",)),
    ("talks down", BILLING, "Obviously the refund takes time. Calm down, I'll process it today.",
     dict(tone=F, next_step=T, apology=F), (40, 40), ("apology_missing",)),
    ("next step without a time", BILLING, "I'll look into your charge and get back to you.",
     dict(next_step=F, restate=T), (20, 20), ("apology_missing", "ask_unanswered")),
    ("caring words only at the start", BILLING,
     "Let me know if you need anything. I'm sorry about the charge; I'll refund it today. Your refund will show "
     "within 5 days. It is now processed.",
     dict(close=F, apology=T, next_step=T), (65, 65), ()),
    ("options without substance", HOW_TO, "You can either use the web app or the desktop app to export.",
     dict(options=T, restate=T, next_step=F, apology=NA), (47, 47), ()),
    ("one word", BILLING, "Thanks.",
     dict(acknowledge=F, restate=F, apology=F, next_step=F, close=F, tone=T), (0, 0), ("apology_missing", "ask_unanswered")),
    # -- stock phrases stuffed ----------------------------------------------------------------
    ("stock, billing", BILLING,
     "I understand how frustrating this must be. I'm so sorry for the inconvenience. We truly value you as a customer. "
     "Thank you for your patience. Please let me know if there is anything else I can help with.",
     dict(acknowledge=T, apology=T, close=T, restate=F, next_step=F), (0, STOCK_CAP), ("ask_unanswered",)),
    ("stock, delivery", DELIVERY,
     "I'm sorry to hear that. I can imagine how you feel. We apologise for any inconvenience caused. Rest assured we "
     "are here for you. Thanks for your patience.",
     dict(apology=T, acknowledge=T, restate=F, next_step=F), (0, STOCK_CAP), ("ask_unanswered",)),
    ("stock, callback", CALLBACK,
     "I completely understand. I'm really sorry. Would you like anything else? Don't hesitate to reach out. Take care.",
     dict(restate=F, next_step=F, options=T), (0, STOCK_CAP), ("ask_unanswered",)),
    ("stock, nothing known of the ticket", Context(),
     "I hear you and I'm sorry. That sounds really frustrating. Thank you for your patience, we're here for you.",
     dict(restate=NA, next_step=F, apology=NA, acknowledge=T), (0, STOCK_CAP), ()),
    ("stock, how-to", HOW_TO,
     "I understand how confusing this can be. I can imagine it's frustrating. I hear you. Totally understand. Let me "
     "know if you need anything else. Happy to help!",
     dict(acknowledge=T, restate=F, next_step=F, close=T), (0, STOCK_CAP), ()),
    ("stock with time words but no commitment", BILLING,
     "I'm sorry, I understand, today is a busy day and hours and minutes matter to us. Thank you for your patience.",
     dict(next_step=F, restate=F), (0, STOCK_CAP), ("ask_unanswered",)),
    ("stock, conduct", CONDUCT, "Sorry about that. We'll look at the feedback.",
     dict(restate=F, next_step=F, apology=T), (15, 15), ("ask_unanswered",)),
    # -- the owed apology missing -------------------------------------------------------------
    ("no apology, billing", BILLING,
     "Hi Sam, I can see you were charged twice for your subscription. I've refunded the second charge and you'll see "
     "it within 5 business days. Let me know if anything else comes up.",
     dict(apology=F, restate=T, next_step=T, close=T), (60, 60), ("apology_missing",)),
    ("no apology, delivery", DELIVERY, "Your parcel is on its way and will arrive by Friday.",
     dict(apology=F, restate=T, next_step=F), (30, 30), ("apology_missing",)),
    ("no apology, callback", CALLBACK,
     "I'll give you a call at 2pm today about your account. Let me know if another time works better.",
     dict(apology=F, restate=T, next_step=T, close=T), (60, 60), ("apology_missing",)),
    ("bereavement, breezy", BEREAVED, "No worries! I'll close the account today. Cheers!",
     dict(tone=F, apology=F, next_step=T, restate=T), (40, 40), ("apology_missing",)),
    ("bereavement, exclamations", BEREAVED, "So sorry for your loss!! I'll cancel the account today!!",
     dict(tone=F, apology=T, next_step=T), (55, 55), ()),
    # -- process first on a serious case --------------------------------------------------------
    ("bereavement, process first", BEREAVED,
     "Please provide a copy of the death certificate and the account number so we can process this. Sorry for your "
     "loss.",
     dict(apology=T, acknowledge=F), (20, 20), ("ask_unanswered", "process_first")),
    ("bereavement, care first then process", BEREAVED,
     "I'm so sorry for your loss. When you feel ready, please send a copy of the certificate and I'll close the "
     "account within a day of receiving it. Take care.",
     dict(apology=T, next_step=T, close=T), (75, 75), ()),
    ("breezy to a formal customer", Context(tone="formal", severity=1, situation="how_to", objects=("export",)),
     "No worries! I'll send you the export today. Cheers!",
     dict(tone=F, next_step=T, restate=T), (47, 47), ()),
    ("breezy to a casual customer", Context(tone="casual", severity=1, situation="how_to", objects=("export",)),
     "No worries! I'll send you the export today. Cheers!",
     dict(tone=T, next_step=T, restate=T), (59, 59), ()),
    # -- asks not answered ------------------------------------------------------------------------
    ("callback request ignored, otherwise good", CALLBACK,
     "Hi Priya, I'm sorry you're locked out of your account, I understand how frustrating that is. I've reset your "
     "password and you'll get an email within 10 minutes. Let me know if it doesn't arrive.",
     dict(acknowledge=T, restate=T, apology=T, next_step=T, close=T), (80, 80), ("ask_unanswered",)),
    ("callback request ignored, link sent", CALLBACK,
     "Please follow the steps in our help article to unlock your account.",
     dict(apology=F, next_step=F), (20, 20), ("apology_missing", "ask_unanswered")),
    ("callback asked, identity check first", CALLBACK, "Please verify your identity first. Then we can call you.",
     dict(restate=F, next_step=F, apology=F), (10, 10), ("apology_missing",)),
    ("status not given", DELIVERY,
     "I'm sorry about the wait, I understand how annoying that is. I'll look into it. Thanks for your patience.",
     dict(next_step=F, restate=F), (0, STOCK_CAP), ("ask_unanswered",)),
    ("refund not mentioned", BILLING,
     "I'm sorry you were charged twice, I can see why that's annoying. I'll look into the duplicate charge today and "
     "write back by 5pm. Let me know if you have questions.",
     dict(ALL, options=F), (80, 80), ("ask_unanswered",)),
    ("one of two asks answered", TWO_ASKS, "I'm sorry about the double charge. I've refunded it today.",
     dict(apology=T, restate=T), (0, 100), ("ask_unanswered",)),
]


@pytest.fixture(scope="module")
def pack():
    return load_qa_pack("en")


def test_there_are_at_least_forty_replies():
    assert len(CASES) >= 40 and len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name,ctx,reply,criteria,bounds,flags", CASES, ids=[c[0] for c in CASES])
def test_reply_scores(pack, name, ctx, reply, criteria, bounds, flags):
    card = score_reply(reply, ctx, pack)
    got = {k: card.criteria[k] for k in criteria}
    assert got == criteria, name
    low, high = bounds
    assert low <= card.score <= high, (name, card.score)
    assert card.flags == flags, name


def test_the_unanswered_ask_is_named(pack):
    card = score_reply("I'm sorry about the double charge. I've refunded it today.", TWO_ASKS, pack)
    assert card.asks_unanswered == ("callback",)


def test_stock_phrases_score_below_any_good_reply(pack):
    good = [score_reply(r, c, pack).score for n, c, r, *_ in CASES if n.endswith("good")]
    stock = [score_reply(r, c, pack).score for n, c, r, *_ in CASES if n.startswith("stock")]
    assert max(stock) <= STOCK_CAP < min(good)


def test_a_scorecard_holds_no_text(pack):
    card = score_reply(CASES[0][2], BILLING, pack)
    assert set(card.to_dict()) == {"criteria", "apology_missing", "asks_unanswered", "process_first", "score"}
    assert all(isinstance(v, (bool, type(None))) for v in card.criteria.values())


@pytest.mark.parametrize("data,message", [
    ({"language": "en"}, "missing required field 'version'"),
    ({"language": "en", "version": 1, "criteria": {"acknowledge": []}, "asks": {}, "situations": {},
      "stopwords": []}, "criteria must be exactly"),
])
def test_a_broken_qa_pack_is_refused_naming_the_problem(data, message, tmp_path):
    with pytest.raises(PackError, match=message):
        parse_qa_pack(data, "qa.yaml")


def test_a_phrase_list_of_the_wrong_type_is_named(pack):
    import yaml

    from empathy_cues.resources import data_path

    data = yaml.safe_load((data_path("phrase_packs") / "qa" / "en.yaml").read_text())
    data["criteria"]["close"] = "let me know"
    with pytest.raises(PackError, match="criteria.close must be a list of phrases"):
        parse_qa_pack(data, "qa.yaml")
