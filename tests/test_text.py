"""Text cleaning: only the customer's newest words reach the matcher."""
from empathy_cues.core.text import blank_links, clean_text, fold_unicode, looks_like_html, normalise_whitespace


def test_html_becomes_text_with_entities_and_breaks():
    html = "<div>I tried to <b>export</b> my data but can&#8217;t seem to find where.<br>Thanks!</div>"
    assert clean_text(html) == "I tried to export my data but can't seem to find where.\nThanks!"


def test_gmail_quoted_block_is_dropped():
    html = ('<div dir="ltr">Still broken, sorry.</div><div class="gmail_quote">'
            '<div class="gmail_attr">On Mon, Nov 2, 2026 Support wrote:</div>'
            "<blockquote>Have you tried turning it off and on? Frustrating, we know.</blockquote></div>")
    assert clean_text(html) == "Still broken, sorry."


def test_outlook_html_thread_after_appendonsend_is_dropped():
    html = ('<div>It still does not work.</div><div id="appendonsend"></div><hr>'
            "<div><b>From:</b> Support<br><b>Sent:</b> Monday</div><div>This is confusing, sorry</div>")
    assert clean_text(html) == "It still does not work."


def test_outlook_plain_text_header_starts_the_quote():
    text = ("Still not working, third time asking.\n\nFrom: Acme Support <help@acme.com>\n"
            "Sent: Monday, November 2, 2026 10:00 AM\nTo: Bob\nSubject: RE: ticket\n\nHave you tried restarting?")
    assert clean_text(text) == "Still not working, third time asking."


def test_angle_bracket_quoting_and_on_wrote_line_are_dropped():
    text = ("The export button is gone again.\n\nOn Mon, Nov 2, 2026 at 10:00 AM Support <help@acme.com> wrote:\n"
            "> Thanks for contacting us.\n> This should be fixed.\n")
    assert clean_text(text) == "The export button is gone again."


def test_signature_is_dropped():
    text = "Hi,\n\nI can't log in since the update.\n\nBest regards,\nAnna Smith\nHead of Ops, Acme"
    cleaned = clean_text(text)
    assert "log in" in cleaned
    assert "Anna" not in cleaned and "Head of Ops" not in cleaned


def test_a_confidentiality_notice_is_nobodys_complaint():
    text = ("Hi team,\n\nCould you send me the invoice for November?\n\nMany thanks,\nSarah Jones\n"
            "Finance Manager | Acme Ltd\n\nThis email and any attachments are confidential and intended solely "
            "for the addressee. If you have received this email in error, please notify the sender immediately. "
            "Any unauthorised use is prohibited. We accept no liability for loss or damage caused by viruses.")
    cleaned = clean_text(text)
    assert cleaned.endswith("Many thanks,") and "invoice" in cleaned
    assert "error" not in cleaned and "Sarah" not in cleaned


def test_words_after_a_thanks_line_that_are_not_a_signature_are_kept():
    text = "Order 123 arrived broken.\n\nThanks,\nThe box was crushed, so please refund me."
    assert "please refund me" in clean_text(text)
    assert clean_text("Where is my order?\n\nCheers\nTom\nPS the tracking link is broken too") == (
        "Where is my order?\n\nCheers\nPS the tracking link is broken too")


def test_a_signature_delimiter_and_phone_footers_end_the_message():
    assert clean_text("The app keeps crashing on login.\n\n--\nJane Doe\n+1 555 0100") == (
        "The app keeps crashing on login.")
    assert clean_text("The app keeps crashing on login.\n\nSent from my iPhone") == "The app keeps crashing on login."


def test_unicode_quotes_dashes_and_spaces_are_folded():
    assert fold_unicode("can\u2019t \u201cfix\u201d it\u2014now\u00a0ok \ufb01ne") == "can't \"fix\" it - now ok fine"


def test_whitespace_is_normalised_but_paragraphs_kept():
    assert normalise_whitespace("a \t b   c\r\n  d\n\n\n\n e ") == "a b c\nd\n\ne"


def test_plain_text_with_a_less_than_sign_is_not_html():
    assert not looks_like_html("I paid <5 dollars and a<b")
    assert looks_like_html("<p>hi</p>")


def test_empty_and_whitespace_only_input():
    assert clean_text("") == ""
    assert clean_text("   \n\t ") == ""


def test_html_with_control_characters_is_cleaned_not_refused():
    # Found by the compose property test: lxml parses \x1f into a text node, then refuses to move it
    # when a <script> is dropped ("All strings must be XML compatible").
    assert clean_text("0<SCRIPT></SCRIPT>&LT;\x1f") == "0<"
    assert clean_text("<p>I can\x00\x07t log in</p>\x1f") == "I cant log in"


def test_a_reference_signed_under_the_name_stays_with_the_message():
    raw = ("My bill has roaming charges although I bought the travel add-on.\n\nThanks,\nOwen Hughes\n"
           "Account 0771 552 904\nSent from the office")
    cleaned = clean_text(raw)
    assert "Account 0771 552 904" in cleaned and "Owen Hughes" not in cleaned


def test_links_handles_and_posts_quoted_from_other_accounts_are_blanked_in_place():
    text = clean_text('“@ShopCo: We have sent it today!” Never came. See https://x.co/a or ask @Sam')
    blanked = blank_links(text)
    assert len(blanked) == len(text)
    assert "sent it today" not in blanked and "ShopCo" not in blanked and "x.co" not in blanked
    assert "Never came." in blanked and "Sam" not in blanked
    # An open quote with no end is the customer's own words, never blanked to the end of the message.
    assert "still broken" in blank_links('"@ShopCo: sorry about that... still broken')


def test_a_mark_inside_a_number_is_no_sentence_break():
    from empathy_cues.core.words import Words

    text = "the 7:40 train cost 1,500 and took 3.5 hours. Then: nothing"
    words = Words(text)
    breaks = [text[words.starts[k]:words.ends[k]] for k in range(1, len(words.norms)) if words.sentence_start(k)]
    clauses = [text[words.starts[k]:words.ends[k]] for k in range(1, len(words.norms)) if words.clause_start(k)]
    assert breaks == ["Then", "nothing"] and clauses == ["Then", "nothing"]
