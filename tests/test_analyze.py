"""The cue engine end to end through the public API: analyze(text) -> Analysis."""
import pytest

from empathy_cues import Policy, analyze


def cue_ids(analysis):
    return [c.cue_id for c in analysis.cues]


def categories(analysis):
    return {c.category for c in analysis.cues}


def test_the_readme_example_owes_an_apology_and_shows_both_cues():
    a = analyze("Love the app! I tried to export my data but can't seem to find where")
    assert a.apology and not a.priority
    matched = [c.matched for c in a.cues if c.apology]
    assert matched == ["I tried to", "can't seem to"]
    assert a.polite  # "Love" is noticed, and does not cancel the apology
    assert "empathy_apology" in a.tags and "empathy_cue_struggle" in a.tags and "empathy_polite" in a.tags


@pytest.mark.parametrize(
    "text, category, priority",
    [
        ("I've been trying to reset my password all morning", "struggle", False),
        ("I cant seem to find the invoice page", "struggle", False),  # missing apostrophe
        ("I can't figure out how to add a user", "struggle", False),
        ("The new dashboard is really confusing", "confusion", False),
        ("Honestly I don't understand the new billing", "confusion", False),
        ("This is so frustating", "frustration", False),  # typo
        ("I'm a bit confusd by the settings", "confusion", False),  # typo
        ("This is absolutely ridiculous", "frustration", True),
        ("Totally unacceptable service", "frustration", True),
        ("This is the third time I'm writing about this", "repeat_contact", True),
        ("I already told you my order number", "repeat_contact", True),
        ("No one replied to my email last week", "repeat_contact", True),
        ("Urgent: our business is down", "urgency", True),
        ("I have a flight tomorrow and can't check in", "urgency", True),
        ("I want to cancel my subscription", "churn_risk", True),
        ("I'm switching to a competitor", "churn_risk", True),
        ("I will file a chargeback", "churn_risk", True),
        ("My father passed away last month", "life_event", True),
        ("I'm in hospital after surgery and missed the payment", "life_event", True),
        ("We just had a new baby so I could not reply", "life_event", True),
    ],
)
def test_each_category_is_found_and_decided(text, category, priority):
    a = analyze(text)
    assert category in categories(a), (text, cue_ids(a))
    assert a.apology
    assert a.priority is priority, (text, cue_ids(a), a.reasons)
    assert f"empathy_cue_{category}" in a.tags


@pytest.mark.parametrize(
    "text",
    [
        "This is not confusing at all, thanks!",
        "I never had a problem with you",
        "No issues so far, great job",
        "Problem solved - thanks a lot",
        "What are your opening hours on Saturday?",
        "Do you ship to Canada?",
        "Thank you so much, it works now",
        "I have never worked out how people fit so much in a suitcase",
        "I've never worked with such a friendly bunch",
        "Thanks, that would have helped!",
        "The crew were brilliant and made the trip not totally suck",
        "Is Sam leaving the company or moving to a new role?",
        "Six weeks in and I've lost 4lbs, so pleased with the plan",
        "@skyair thank you Priya at the Oslo desk for amazing help! Found my son's suitcase lost on SK22. Made his day",
        "@skyair we're through security now, see you on board",
        "@skyair thank you for taking care of us with snacks as the screens weren't working, great crew",
        "@skyair thanks! flight 22 will wait for us, phew",
        "@cheeseco trying to plan my week, is the advent offer the same in every store?",
        "@appco I switched to the new app layout yesterday, really like it",
        "@skyair thanks so much for help us today, you are amazing!",
    ],
)
def test_no_apology_without_struggle(text):
    a = analyze(text)
    assert not a.apology and not a.priority, (text, cue_ids(a))
    assert a.tags == ()


def test_negation_is_reported_in_the_reasons():
    a = analyze("This is not confusing at all")
    assert any("negated by \"is not\"" in r for r in a.reasons), a.reasons


def test_negator_that_governs_another_verb_does_not_negate():
    assert analyze("I can't fix the problem").apology
    assert analyze("I can't believe how frustrating this is").apology


def test_no_cue_inside_a_longer_word():
    a = analyze("The stillness of the lake was against the rules of the island")
    assert not any(c.matched.lower() in ("still", "again") for c in a.cues)


def test_handles_and_links_are_not_words():
    a = analyze("@FC_Help can you confirm my order status https://example.com/help please")
    assert not any(c.cue_id.startswith("struggle.need_help") for c in a.cues)


def test_quoted_text_is_not_judged():
    text = ("Thanks, that worked!\n\nOn Mon, Nov 2, 2026 at 10:00 AM Support <help@acme.com> wrote:\n"
            "> I'm sorry this is so frustrating and confusing.\n")
    a = analyze(text)
    assert not a.apology
    assert "frustrating" not in a.text


def test_html_is_cleaned_and_spans_index_the_cleaned_text():
    a = analyze("<p>Hi,</p><p>I&#39;ve been trying to log in for <b>days</b>.</p>")
    assert a.apology
    for c in a.cues:
        assert a.text[c.start:c.end] == c.matched


def test_shouting_and_exclamations_raise_priority_only_beside_a_problem():
    assert analyze("WHERE IS MY PACKAGE!!! It never arrived").priority
    calm_praise = analyze("HUGE THANKS to the team!!! Amazing service")
    assert not calm_praise.apology and not calm_praise.priority


def test_subject_cues_count_and_keep_their_own_spans():
    a = analyze("Please see below.", subject="Still broken after the update")
    assert a.apology
    subject_cues = [c for c in a.cues if c.source == "subject"]
    assert subject_cues and all(a.subject[c.start:c.end] == c.matched for c in subject_cues)


@pytest.mark.parametrize("channel, minutes, tag", [("social", 60, "empathy_respond_60m"),
                                                    ("email", 360, "empathy_respond_6h"),
                                                    ("chat", 60, "empathy_respond_60m"),
                                                    ("carrier-pigeon", 360, "empathy_respond_6h")])
def test_response_target_comes_from_the_channel(channel, minutes, tag):
    a = analyze("It still doesn't work", channel=channel)
    assert a.respond_within_minutes == minutes
    assert tag in a.tags


def test_tag_names_and_targets_are_configurable():
    policy = Policy.from_mapping({"tags": {"apology": "ec_sorry", "cue": "ec_{category}", "respond": "ec_sla_{target}"},
                                  "response_minutes": {"web": 120}})
    a = analyze("I tried to upload it but it keeps failing", channel="web", policy=policy)
    assert a.tags[0] == "ec_sorry"
    assert "ec_struggle" in a.tags and "ec_sla_2h" in a.tags
    assert a.respond_within_minutes == 120


def test_bad_policy_settings_are_rejected_with_the_key():
    with pytest.raises(ValueError, match="unknown tag setting"):
        Policy.from_mapping({"tags": {"sorry": "x"}})
    with pytest.raises(ValueError, match="response_minutes.email"):
        Policy.from_mapping({"response_minutes": {"email": -5}})


def test_analysis_serialises_to_plain_json_types():
    import json

    data = analyze("Still waiting for my refund, third time asking!").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["priority"] is True and {c["category"] for c in data["cues"]} >= {"repeat_contact", "churn_risk"}


def test_a_state_that_should_have_moved_on_is_a_trouble_however_politely_asked():
    a = analyze("Hello! I paid the bill on Monday but my account still shows it as unpaid. Can you check it "
                "went through? Thanks :)", channel="chat")
    assert a.apology and a.situation == "billing_payment" and "status" in a.asks
    assert any(c.cue_id == "problem.still_shows" for c in a.cues)
    # "still shows" of something as it should be is no trouble.
    calm = analyze("The app still shows my old photos from last year, which is lovely", channel="chat")
    assert not any(c.cue_id == "problem.still_shows" for c in calm.cues)
    assert analyze("my transfer is still pending after four days", channel="chat").apology


def test_a_credit_asked_for_and_a_regulator_named_are_asks():
    a = analyze("You charged me twice for March. I want the second payment credited back and if it isn't, "
                "I'll be reporting this to Ofcom.", channel="email")
    assert {"refund", "escalate"} <= set(a.asks)


def test_an_appliance_that_will_not_stop_heating_is_a_safety_matter():
    a = analyze("our new toaster won't switch off on its own, the sides get too hot to touch", channel="chat")
    assert a.severity == 3 and a.priority and a.understanding.serious_kind == "safety"
    # A phone that will not turn off is a fault, not a danger.
    assert analyze("my phone won't turn off, the screen is frozen", channel="chat").severity < 3


def test_a_renewal_price_up_from_last_year_is_billing_and_no_claim_is_told_of():
    a = analyze("My car insurance renewal quote is £540, up from £390. We haven't made a claim and haven't moved "
                "house. Why the jump?", channel="email")
    assert a.situation == "billing_payment" and a.apology
    assert not any(e.why == "billing_payment.claim" for e in a.understanding.situation_evidence)
    assert not any(c.cue_id == "problem.not_moved" for c in a.cues)
    assert any(c.cue_id == "problem.not_moved"
               for c in analyze("the tracking hasn't moved since Monday", channel="chat").cues)


def test_a_remedy_passed_over_is_no_ask_and_a_date_is_no_repeat_contact():
    a = analyze("The boots I ordered are a size too big. Can I exchange them for a smaller pair rather than "
                "get a refund?", channel="email")
    assert "refund" not in a.asks
    b = analyze("I bought the blender three weeks ago and the lid has already cracked", channel="chat")
    assert not any(c.category == "repeat_contact" for c in b.cues)


def test_someone_vulnerable_told_of_in_praise_is_no_serious_matter():
    a = analyze("Thanks for a smooth trip. The staff were lovely with my disabled son. The only downside was "
                "that the seat-back screen didn't work.", channel="email")
    assert a.severity < 3 and a.understanding.serious_kind is None
    b = analyze("My disabled son was left on the plane for an hour with nobody to help him off.", channel="email")
    assert b.severity == 3


def test_a_feature_asked_for_is_feedback():
    a = analyze("Hello, could you add a way to print a whole month of statements at once? I really miss that "
                "from the old site. Thanks", channel="email")
    assert a.situation == "feedback"


def test_a_hire_car_unsafe_on_the_road_is_a_safety_matter():
    a = analyze("@hireco the van you gave me has the engine warning light on and the brakes are grinding, I'm "
                "on the motorway now", channel="social")
    assert a.severity == 3 and a.priority
    assert analyze("the car's steering is a bit stiff, could you look at it at the next service",
                   channel="email").severity < 3


def test_a_health_condition_at_stake_makes_a_customer_vulnerable():
    a = analyze("my shopping never came and I'm type 1 diabetic, I've nothing in to eat tonight", channel="chat")
    assert a.severity == 3 and a.priority


@pytest.mark.parametrize("text", [
    "@skyair is the 0740 to Leeds delayed?",
    "@skyair are morning departures from Bristol heavily delayed? I'm flying on Friday",
    "@skyair if my flight is delayed, how late can I check in?",
])
def test_a_delay_asked_about_or_supposed_alone_is_no_delay_to_say_sorry_for(text):
    a = analyze(text, channel="social")
    assert not a.apology, a.reasons


@pytest.mark.parametrize("text", [
    "@skyair do you know why the 7.40 to Leeds is delayed?",
    "@skyair is it normal that my flight is delayed again?",
    "@skyair they rebooked us onto the evening flight, is that one delayed too?",
])
def test_a_delay_whose_reason_is_asked_or_told_beside_a_trouble_is_still_one(text):
    a = analyze(text, channel="social")
    assert a.apology and a.situation == "travel_disruption", a.reasons


def test_overbooking_asked_about_is_no_bumping_to_say_sorry_for():
    a = analyze("@skyair is the 6pm to Dallas overbooked? I have seat 14C and kids with me", channel="social")
    assert not a.apology, a.reasons
    # With another reason to reply, the overbooking asked about is still not read as their trouble.
    a = analyze("@skyair is my flight tonight oversold? I am travelling to a funeral and must be on it",
                channel="social")
    assert a.severity == 3 and not any("bump" in c.cue_id for c in a.cues)
    assert not any(h.words.lower() == "oversold" for h in a.understanding.situation_evidence)
    a = analyze("@skyair the flight was overbooked and they bumped me onto tomorrow", channel="social")
    assert a.apology and a.priority and a.situation == "travel_disruption"


@pytest.mark.parametrize("text", [
    "@skyair you sure know how to ruin a weekend away, nice one",
    "@skyair you really know how to leave a family stranded overnight. Props to the team.",
])
def test_a_knack_praised_for_the_trouble_is_sarcasm_not_a_how_to_or_a_thanks(text):
    a = analyze(text, channel="social")
    assert a.apology and a.understanding.rude and a.situation != "how_to", a.reasons


def test_a_how_to_that_knows_no_trouble_is_still_a_question():
    a = analyze("@skyair do you really know how to get from the airport to the old town by bus?", channel="social")
    assert not a.understanding.rude and a.situation == "how_to"


@pytest.mark.parametrize("text", [
    "@skyair well done, you've taken the fun out of flying for my kids",
    "@burgerco the new menu stinks",
    "@burgerco ordered the chicken wrap tonight #nothinglikethephoto",
    "@skyair again I ask, who do I speak to about my seat?",
    "@skyair your Leeds office is not taking calls this week",
    "@skyair the hotel voucher you gave us was fake",
    "@skyair your check-in app really needs work",
    "@skyair sent you DM yesterday, could you check please? thanks",
    "@carco my car is still in the shop and the loan car letter was not mailed",
    "@skyair so I'm penalized for travelling with one small bag?",
    "@skyair I left my daughter's blue school jumper on flight 88 last night, any way of finding it?",
    "@skyair just booked a flight with you and I'm already reconsidering that decision",
    "@railco what are you playing at?",
    "@bankco so the transfer takes a month?",
    "@skyair the wifi on flight 40 never worked",
    "@skyair we should have been offered a drink at least",
    "@skyair a blanket or two might have made it a bit better",
    "@skyair telling us at the gate would have helped, not an email after we left",
    "@skyair can you answer the phone so I can rebook my trip",
    "@skyair lovely flight on Sunday. Any way you can correct my bill?",
    "@skyair found my bag yet? it's been four days",
    "@skyair so glad I found my wallet myself, your lost property desk is the worst",
    "@skyair I found my card was charged twice, thanks",
    "@skyair thanks, but your last reply doesn't address my question",
    "@railco ok, thank you. Just not how we planned to spend our anniversary!",
    "@skyair burned so much time on the phone sorting this rebooking out, hopefully we get home tomorrow",
])
def test_plain_words_of_a_grievance_owe_an_apology(text):
    assert analyze(text, channel="social").apology, text


def test_a_wait_written_in_hours_with_an_h_is_read_as_hours():
    a = analyze("@skyair stuck in Lisbon for 26h now, still no new flight", channel="social")
    assert a.priority and any(c.cue_id == "problem.day_of_hours" for c in a.cues), a.reasons


def test_choking_is_read_only_as_written_never_from_a_word_one_letter_away():
    a = analyze("@skyair rude agent at gate B4 this morning, chking her phone the whole time", channel="social")
    assert a.severity < 3 and not any(c.cue_id == "urgency.choking" for c in a.cues), a.reasons
    a = analyze("@burgerco my son was choking on a bone in his chicken burger", channel="social")
    assert a.severity == 3 and a.understanding.serious_kind == "safety"


@pytest.mark.parametrize("text", [
    "@parcelco hi, are there any delays in Lyon because of the snow?",
    "@skyair will you cancel flight 22 tonight because of the fog?",
    # only heard of: a rumour is no cancellation to be sorry for
    "@skyair hearing rumours that flight 22 to Oslo has been cancelled, anyone know?",
    "@skyair I heard flight 22 was cancelled, is this true?",
])
def test_delays_or_a_cancellation_asked_about_before_they_happen_owe_nothing(text):
    assert not analyze(text, channel="social").apology, text
    # ... while one told by our people is so
    assert analyze("@skyair the gate agent just told us flight 22 is cancelled", channel="social").apology


@pytest.mark.parametrize("text", ["@skyair flight 22 to Oslo: missing crew.", "@skyair our plane to Oslo has no pilot"])
def test_a_flight_without_its_crew_is_held_up(text):
    assert any(c.cue_id == "problem.delay" for c in analyze(text, channel="social").cues), text


def test_being_told_the_wrong_thing_owes_an_apology():
    assert analyze("@skyair the desk told us the wrong gate number", channel="social").apology


def test_hours_and_minutes_run_together_are_a_wait_and_a_time_of_day_is_not():
    a = analyze("@skyair 3hr30min on this plane now", channel="social")
    assert any(c.matched == "3hr" for c in a.cues), a.cues
    a = analyze("@skyair can I check in before 12h30 for the afternoon flight?", channel="social")
    assert not a.apology, a.reasons


def test_a_trouble_gone_on_for_a_day_of_hours_is_a_priority():
    for text in ("@skyair my case went missing 30 hours ago and still no word",
                 "@skyair you delayed us by 27 hours and then lost the pushchair"):
        a = analyze(text, channel="social")
        assert a.apology and a.priority, (text, a.reasons)
    for text in ("@skyair can I check in 24 hours before the flight?", "@skyair I land 12 hours after my brother, can we sit together on the way back?"):
        a = analyze(text, channel="social")
        assert not a.priority, (text, a.reasons)


def test_nobody_answering_is_a_contact_gone_unanswered():
    a = analyze("@skyair no one is answering the baggage line and I've tried all morning", channel="social")
    assert a.apology and a.priority and any(c.cue_id == "repeat_contact.no_response" for c in a.cues)
    b = analyze("@boxco could you look at case 4417? We're not getting any response to it.", channel="social")
    assert b.priority and b.situation == "service_conduct", (b.situation, cue_ids(b))


def test_a_thing_no_longer_working_or_falling_short_owes_an_apology():
    a = analyze("@gadgetco my speaker is no longer charging", channel="social")
    assert a.apology and a.situation == "product_fault"
    b = analyze("@hotelco lovely rooms but the front desk is not living up to your name", channel="social")
    assert b.apology


def test_a_number_the_sentiment_lexicon_reads_as_slang_is_only_a_number():
    for text in ("@skyair flight 86 to Dublin, can I take a pram?", "@skyair 4Q results are out, nice one"):
        a = analyze(text, channel="social")
        assert not a.apology, (text, a.reasons)


@pytest.mark.parametrize("text", [
    "@gadgetco hi, my headphones are falling apart at the seams. How do I get this repaired?",
    "@gadgetco the sole of my trainers came off after a week. How can I get them replaced?",
])
def test_something_broken_asked_how_to_repair_is_a_fault(text):
    a = analyze(text, channel="social")
    assert a.apology and a.situation == "product_fault", a.situation


def test_where_they_write_from_is_not_what_went_wrong():
    a = analyze("@railco no one is answering the helpline and I'm on a train to Leeds", channel="social")
    assert a.situation == "service_conduct", a.situation
    b = analyze("@railco I'm on the train to Leeds and it has been sat outside York for an hour", channel="social")
    assert b.situation == "travel_disruption", b.situation


def test_how_to_that_our_people_did_not_know_is_no_question_of_theirs():
    a = analyze("@bankco your agents had no idea how to unlock my card, useless", channel="social")
    assert a.situation != "how_to", a.situation
    assert analyze("@bankco I don't know how to unlock my card in the app?", channel="social").situation == "how_to"


def test_a_supply_back_before_the_time_promised_and_praised_owes_nothing():
    a = analyze("@powerco the whole street lost power, you said 6pm, at 5:40 we're back. Legends!", channel="social")
    assert not a.apology, a.reasons
    b = analyze("@powerco the whole street lost power, you said 6pm, it's 9pm and we're back to candles", channel="social")
    assert b.apology, b.reasons


def test_cloth_that_tore_is_a_fault():
    a = analyze("@clothesco bought a parka in March, worn it twice and the lining has ripped", channel="social")
    assert a.apology and a.situation == "product_fault", (a.situation, a.reasons)


def test_hours_of_a_day_count_beside_a_trouble_whatever_common_words_stand_in_the_sentence():
    a = analyze("@skyair lost our dog's crate, kept him waiting 28 hrs for a 3 hr flight", channel="social")
    assert a.priority, a.reasons


def test_weighing_up_whether_to_stay_is_a_customer_at_risk():
    a = analyze("@skyair honestly, time to reevaluate my airline for the London route", channel="social")
    assert a.apology and a.priority and any(c.category == "churn_risk" for c in a.cues), a.reasons
    b = analyze("@skyair can I reconsider my seat choice before check-in?", channel="social")
    assert not any(c.category == "churn_risk" for c in b.cues), b.reasons


def test_sent_away_at_the_door_is_treated_badly():
    a = analyze("@skyair paid for lounge access and was turned away at the door", channel="social")
    assert a.apology and a.priority, a.reasons


def test_mourning_someone_is_no_grievance_and_a_rip_off_or_a_rip_in_a_coat_still_is():
    assert not analyze("@newsdesk The loss of a legend. RIP Marty.", channel="social").apology
    assert analyze("@skyair what a rip off, 40 quid for a sandwich", channel="social").apology
    a = analyze("@shopco the new coat has a rip in the lining already", channel="social")
    assert a.apology and a.situation == "product_fault", (a.reasons, a.situation)
    # A death of their own is still heard.
    assert analyze("@bankco my dad passed away last week, RIP dad, how do I close his account?",
                   channel="social").understanding.serious_kind == "bereavement"


def test_thanks_for_the_vouchers_after_a_trouble_is_a_trouble_put_right():
    a = analyze("@skyair thank you for the vouchers after the long wait on the tarmac last night! Really appreciate it",
                channel="social")
    assert not a.apology, a.reasons
    b = analyze("@skyair thanks for the vouchers, but I'm still waiting for my bag", channel="social")
    assert b.apology, b.reasons


@pytest.mark.parametrize("text", ["@skyair you've screwed me over on that refund, thanks",
                                  "@skyair 20 mins out from the airport, please wait for me!",
                                  "@insureco I switched to @rivalco last month and saved 40%. How about that?",
                                  "@newsco 40 minutes to change my plan online. I was this close to cancelling altogether.",
                                  "@shopco spoke a couple of times to your team and emailed, still no dispatch date",
                                  "@skyair Lost my case twice this year. Lesson learned. We are through.",
                                  "@paperco I've complained a dozen times and the paper still lands in the hedge",
                                  "@skyair my husband has called several times this week about the refund, nothing",
                                  "@rail the 9:10 to York is running late by more than 3 hours, no explanation",
                                  "@skyair my 8:40 is delayed again, can you get me on the 11:15 instead?"])
def test_a_customer_cheated_lost_nearly_lost_chasing_us_or_running_for_a_departure_is_a_priority(text):
    a = analyze(text, channel="social")
    assert a.apology and a.priority, (text, cue_ids(a))


def test_a_phone_nobody_answers_sworn_at_is_a_priority_about_reaching_us():
    a = analyze("@telco ANSWER THE BLOODY PHONE!", channel="social")
    assert a.apology and a.priority and a.situation == "service_conduct", (a.situation, cue_ids(a))
    assert not analyze("how do I answer the phone on my new watch?").apology


def test_come_on_is_frustration_as_an_exclamation_not_as_something_due_to_come():
    a = analyze("@shopco come on, three days and still no parcel", channel="social")
    assert "frustration.come_on" in cue_ids(a), cue_ids(a)
    for text in ("my new sofa was meant to come on Friday, can you confirm the slot?",
                 "the heating won't come on after your engineer's visit",
                 "@skyair can my dog come on board in a carrier?"):
        assert "frustration.come_on" not in cue_ids(analyze(text, channel="social")), text


@pytest.mark.parametrize("text, owed", [
    ("@skyair it's amazing how hard it is to get anyone on the phone", True),
    ("@shopco funny how none of your replies ever answer my question", True),
    ("@skyair crazy how every airline got out of Boston tonight except you", True),
    ("@skyair amazing how fast you sorted my seat, thanks!", False),
    ("@shopco crazy how much the high street has changed since the nineties", False),
])
def test_marvelling_at_a_failing_of_ours_is_frustration(text, owed):
    a = analyze(text, channel="social")
    assert a.apology is owed, (text, cue_ids(a))


@pytest.mark.parametrize("text", [
    "@skyair your gate agent was rude to me when I said I was carrying medical equipment",
    "@skyair my daughter flew as an unaccompanied minor and nobody met her at the gate for an hour"])
def test_trouble_for_someone_travelling_with_health_needs_or_a_child_alone_is_serious(text):
    a = analyze(text, channel="social")
    assert a.apology and a.priority and a.severity == 3, (a.severity, cue_ids(a))


def test_a_question_about_travelling_with_medical_equipment_owes_nothing():
    a = analyze("@skyair can I bring my cpap machine on board as well as a carry-on?", channel="social")
    assert not a.apology and a.severity == 0, (a.severity, cue_ids(a))


def test_nothing_but_praise_is_praise_and_nothing_but_excuses_is_not():
    a = analyze("@skyair first trip with you next month, I've heard nothing but good things!", channel="social")
    assert not a.apology, cue_ids(a)
    b = analyze("@skyair I've had nothing but excuses from your team for three weeks", channel="social")
    assert b.apology, cue_ids(b)


@pytest.mark.parametrize("text, priority", [
    ("@skyair I am shaking with rage after how your agent spoke to me", True),
    ("@skyair okay, the file ref is ab12345. Find our luggage.", False),
    ("@skyair who can I call? No more faith in you at all.", False),
])
def test_rage_a_bag_to_find_and_faith_gone_owe_an_apology(text, priority):
    a = analyze(text, channel="social")
    assert a.apology and a.priority is priority, cue_ids(a)


@pytest.mark.parametrize("text, owed", [
    ("@skyair you answered my friend within minutes but you can't respond to me?", True),
    ("@skyair please stall the flight to Boston, our connection is landing now", True),
    ("@skyair two hours from the airport and I sure would like to talk to someone", True),
    ("@giftco it sure would be nice to win this! :)", False),
])
def test_ignored_held_for_or_wishing_to_reach_us(text, owed):
    assert analyze(text, channel="social").apology is owed


@pytest.mark.parametrize("text, priority", [
    ("@skyair here we go again. Delayed in Denver and nobody at the desk", True),
    ("@skyair here we go again, third trip to Lisbon this spring! #lovetravel", False),
])
def test_here_we_go_again_beside_trouble_is_trouble_come_round_again(text, priority):
    assert analyze(text, channel="social").priority is priority


@pytest.mark.parametrize("text", ["@skyair I only want to be heard and to talk through the many issues on my trip",
                                  "@skyair the sun is out here. What's the real reason?",
                                  "@cafeco members only in the garden room now? Came with my mum for years. Felt very "
                                  "awkward", "@skyair hello? Have you just given up?"])
def test_wanting_to_be_heard_a_reason_doubted_troubles_counted_or_us_given_up_owe_an_apology(text):
    assert analyze(text, channel="social").apology
