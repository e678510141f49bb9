"""Text cleaning: only the customer's newest words, in a form the matcher can read.

Steps, in order: HTML to text (quoted blocks dropped first), quoted earlier messages and signatures
removed (mail-parser-reply handles Gmail, Outlook, Apple Mail and '>' quoting in many languages),
unicode quotes, apostrophes and dashes folded to ASCII, whitespace normalised. Pure functions.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from lxml import html as lxml_html
from mailparser_reply import EmailReplyParser

from .references import CODE_GIVEN

_HTML_HINT = re.compile(
    r"<(?:p|div|br|span|a|b|i|u|em|strong|html|body|table|tr|td|blockquote|ul|ol|li|h[1-6]|font)(?:\s[^>]*)?/?>"
    r"|&(?:nbsp|amp|lt|gt|quot|#\d+);",
    re.IGNORECASE,
)
# Containers that mail clients use for the quoted earlier message: Gmail (gmail_quote), Outlook
# (divRplyFwdMsg, appendonsend), Thunderbird (moz-cite-prefix), Yahoo (yahoo_quoted), Apple (blockquote).
_QUOTE_XPATH = (
    "//blockquote | //*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]"
    " | //*[@id='divRplyFwdMsg'] | //*[contains(@class, 'yahoo_quoted')]"
    " | //*[contains(@class, 'moz-cite-prefix')] | //script | //style | //head"
)
# Outlook puts the quoted thread after an <hr> or a div#appendonsend: drop everything from there on.
_CUT_XPATH = "//*[@id='appendonsend'] | //hr[@id='stopSpelling']"

_FOLD = (
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-", "\u2014": " - ", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
        # Bidi controls reorder what the agent sees ("\u202e" turns the rest of a line around): a
        # customer's are dropped, so a quote in the note reads as written.
        "\u200e": None, "\u200f": None, "\u061c": None, "\u202a": None, "\u202b": None, "\u202c": None,
        "\u202d": None, "\u202e": None, "\u2066": None, "\u2067": None, "\u2068": None, "\u2069": None,
        "\u2026": "...",
    }
)
_FOLD_PATTERN = re.compile("[" + "".join(_FOLD) + "]")
# Control characters XML forbids: lxml parses them into text nodes but refuses to write them back
# ("All strings must be XML compatible"), and none of them is visible text.
_XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SPACES = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
# Only text that looks like an email thread goes through the reply parser: it is the slow step,
# and a tweet has no quoted thread to strip.
_THREAD_HINT = re.compile(
    r"^\s*>|^\s*(?:on .{0,120}wrote:|from:\s|-----\s*original message|sent from my|--\s*$|"
    r"(?:best|kind|warm)?\s*regards,?\s*$|thanks,?\s*$|cheers,?\s*$|sincerely,?\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


# A post quoted from another account, as a retweet with comment quotes it: '"@Airline: See you soon!"'.
# (Unicode quotes are folded to '"' before text is read.) Bounded, so linear on any input.
QUOTED_POST = re.compile(r'"\s*@\w{1,30}\s*:[^"\n]{0,400}"')


def quoted_post_spans(text: str) -> list[tuple[int, int]]:
    """Where posts quoted from other accounts stand in ``text``."""
    return [m.span() for m in QUOTED_POST.finditer(text)] if '"' in text else []


# Links, handles and e-mail addresses, blanked (same length, offsets kept) before text is read as words
# or quoted back. Linear on any input: each alternative opens with a literal, except the e-mail one,
# which may start only where a run of non-spaces (or an '@'-separated part of one) starts and whose
# repeats are possessive. The former ``\S+@\S+\.\w+`` was tried at every position of a long run
# without spaces and backtracked over every '@' in it: 10 KB of "a@a@..." took 100 s.
LINKS = re.compile(QUOTED_POST.pattern + r"|https?://\S+|www\.\S+|(?<![^\s@])[^\s@]++@[\w-]++(?:\.[\w-]++)+|@\w+")


def blank_links(text: str) -> str:
    """``text`` with links, e-mail addresses and @handles replaced by as many spaces."""
    if "@" in text or "http" in text or "www." in text:
        return LINKS.sub(lambda m: " " * len(m.group()), text)
    return text


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML message, without the quoted earlier messages mail clients embed."""
    markup = _XML_INCOMPATIBLE.sub("", markup)
    parser = lxml_html.HTMLParser()
    try:
        tree = lxml_html.fromstring(markup, parser=parser)
    except (ValueError, lxml_html.etree.ParserError):
        return markup
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops building the tree 256 elements deep and the text below is lost: a message
        # wrapped in 255 <div>s read as empty. Such markup is no mail client's: its text, tags dropped.
        return strip_tags(markup)
    for cut in tree.xpath(_CUT_XPATH):
        parent = cut.getparent()
        if parent is None:
            continue
        for sibling in list(cut.itersiblings()):
            parent.remove(sibling)
        parent.remove(cut)
    for node in tree.xpath(_QUOTE_XPATH):
        parent = node.getparent()
        if parent is not None:
            node.drop_tree()
    return get_text(lxml_html.tostring(tree, encoding="unicode"), _INSCRIPTIS_CONFIG)


_INSCRIPTIS_CONFIG = ParserConfig(display_links=False, display_images=False)
_NOT_SHOWN = ("script", "style", "head", "blockquote")


def strip_tags(markup: str) -> str:
    """Text of markup without a parser: what ``<script>``, ``<style>``, ``<head>`` and ``<blockquote>``
    hold is dropped, every other tag becomes a space, entities are decoded. Linear: str.find only."""
    import html

    lower = markup.lower()
    out: list[str] = []
    pos = 0
    while True:
        start = markup.find("<", pos)
        if start < 0:
            out.append(markup[pos:])
            break
        out.append(markup[pos:start])
        end = markup.find(">", start)
        if end < 0:
            break                       # an unclosed tag at the end: drop it
        name = lower[start + 1:end].split(None, 1)[0].rstrip("/") if end > start + 1 else ""
        pos = end + 1
        if name in _NOT_SHOWN:
            close = lower.find(f"</{name}", pos)
            pos = len(markup) if close < 0 else (lower.find(">", close) + 1 or len(markup))
        out.append(" ")
    return html.unescape("".join(out))


@lru_cache(maxsize=1)
def _reply_parser() -> EmailReplyParser:
    return EmailReplyParser(languages=["en", "de", "fr", "es", "it", "nl"])


def newest_reply(text: str) -> str:
    """The newest message of an email thread, without quoted history and signature."""
    if not _THREAD_HINT.search(text):
        return text
    replies = _reply_parser().read(text).replies
    # The parser's signature cut is not trusted: it cuts at any "Thanks," line, and the customer may go
    # on after one ("Thanks,\nThe box was crushed..."). strip_signature decides instead.
    body = _without_disclaimers(replies[0]) if replies else text
    body = body if body.strip() else text
    if ">" in body:
        # '>' lines quote someone else (often our agent's last reply); the reply parser drops them only
        # under an "On ... wrote:" header. Unless the message is nothing but quotes, they are not read.
        unquoted = _QUOTED_LINE.sub("", body)
        if unquoted.strip():
            return unquoted
    return body


_QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)


def _without_disclaimers(reply) -> str:
    body = reply.full_body
    for disclaimer in reply.disclaimers:
        body = body.replace(disclaimer, "")
    return body.strip()


def fold_unicode(text: str) -> str:
    """Curly quotes, primes and dashes to ASCII; compatibility forms (full-width, ligatures) folded."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _FOLD_PATTERN.sub(lambda m: _FOLD[m.group()] or "", text)


def normalise_whitespace(text: str) -> str:
    # The `in` checks skip regex scans that find nothing in most messages (a hot path).
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or "\t" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = _BLANK_LINES.sub("\n\n", _LINE_EDGES.sub("\n", text))
    return text.strip()


# A closing line on its own ("Many thanks,", "Kind regards"), the name that follows one ("Sarah Jones",
# "J. Smith"), and the legal notices mail servers append: what comes after a sign-off is a signature,
# and a confidentiality notice ("received this email in error", "unauthorised use", "loss or damage")
# is nobody's complaint.
_SIGN_OFF = re.compile(
    r"^(?:many thanks|thanks(?: again| so much| in advance| a lot)?|thank you(?: so much| again| in advance)?|"
    r"thx|cheers|best|best wishes|all the best|(?:kind|best|warm|warmest|many)? ?regards|sincerely|"
    r"yours(?: sincerely| faithfully| truly)?|br|take care|talk soon)\s*[,.!]*$",
    re.IGNORECASE,
)
_NAME_LINE = re.compile(r"^[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}$")
_PS_LINE = re.compile(r"^\s*p\.?\s?s\b", re.IGNORECASE)
# The standard signature delimiter ("-- " on its own line) and phone mail footers.
_SIGNATURE_START = re.compile(r"^(?:--\s*|sent from my [\w ]{2,30}|get outlook for \w+)$", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"intended (?:solely |only )?for the (?:use of the )?(?:addressee|named|individual|recipient)|"
    r"intended recipient|received this (?:e-?mail|message|communication) in error|"
    r"(?:e-?mail|message) and any (?:files|attachments)|confidentiality notice",
    re.IGNORECASE,
)


def strip_signature(text: str) -> str:
    """The message without its signature block and legal notices.

    A notice paragraph goes wherever it stands. After the last sign-off line, when a name follows it,
    the rest (name, title, phone, company) goes too; the sign-off itself stays (it is part of the
    tone), and so does a "P.S." line. A "Thanks," followed by more words of the message is not a
    sign-off, and nothing is cut from a message of fewer than three words before it."""
    if "\n" not in text:
        return text
    if _DISCLAIMER.search(text):
        kept = [p for p in text.split("\n\n") if not _DISCLAIMER.search(p)]
        if kept:
            text = "\n\n".join(kept)
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if _SIGNATURE_START.match(lines[i].strip()) and len(" ".join(lines[:i]).split()) >= 3:
            lines = lines[:i]
            break
    for i in range(len(lines) - 1, 0, -1):
        if not _SIGN_OFF.match(lines[i].strip()):
            continue
        after = [line.strip() for line in lines[i + 1:] if line.strip()]
        if len(" ".join(lines[:i]).split()) >= 3 and after and _NAME_LINE.match(after[0]):
            # A P.S. is still the message, and so is a reference signed under the name ("Account 0771 552
            # 904"): a reply must not ask for what the customer already gave.
            postscript = [line for line in lines[i + 1:] if _PS_LINE.match(line) or CODE_GIVEN.search(line)]
            return "\n".join(lines[:i + 1] + postscript).strip()
        break
    return "\n".join(lines).strip()


def clean_text(raw: str, *, html: bool | None = None) -> str:
    """The customer's newest words as plain text. ``html=None`` detects HTML by its tags."""
    if not raw:
        return ""
    text = raw
    if html or (html is None and looks_like_html(text)):
        text = html_to_text(text)
    text = normalise_whitespace(fold_unicode(text))
    reply = newest_reply(text)
    # Whitespace is normalised once more only when the reply parser cut something out.
    text = text if reply is text else normalise_whitespace(reply)
    return strip_signature(text)
