"""Which language a message is written in, so a message no pack covers is said to be uncovered
instead of being read as "no sign of struggle".

English is recognised cheaply (most messages are English): when enough of a message's words are
common English words, no detector runs. Otherwise lingua (``lingua-language-detector``: statistical
models shipped inside its wheel, nothing downloaded) decides among the languages customers most often
write in. Short texts and texts with too few letters say too little to judge: they count as covered.
"""
from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]{2,}")
_NOT_WORDS = re.compile(r"@\w+|#\w+|https?://\S+|www\.\S+")
# Common English words that are not also common words of other languages written in the Latin
# alphabet ("no", "me", "a", "in", "on", "so", "die" are left out): a message of six or more words of
# which at least one in seven are here is English enough for the English pack, whatever else it holds
# (names, brands, typos).
_ENGLISH = frozenset("""
about after again all and any are at be because been before being but by can cant could did didnt
do does doesnt dont for from get got had has have havent he her here him his how if im is isnt it its
ive just know like more my not now of off one only or our out please some still than thank thanks that
thats the their them then there they this too up us very was we were what when where which who why
will with wont would you your youre yes ok hi hello hey help need want
""".split())
_MIN_WORDS = 6
_ENGLISH_SHARE = 0.15
_CONFIDENCE = 0.8
_KNOWN_SHARE = 0.3


def detect_language(text: str, known: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """``(ISO 639-1 code, covered)`` for a cleaned message: ``("en", True)`` for English and for texts
    too short to judge; ``("es", False)`` for a Spanish message. ``known`` are the pack's own words: a
    message that is a third made of them is read by the pack whatever the detector says (tweets full of
    names, codes and abbreviations fool statistical detectors). Never raises."""
    sample = _NOT_WORDS.sub(" ", text[:2000])
    words = [w.lower().replace("'", "") for w in _WORD.findall(sample)]
    # Letters outside the Latin alphabet (Cyrillic, Devanagari, Arabic, Chinese...) are counted apart: a
    # script written without spaces gives few "words", and combining vowel signs split others.
    latin = sum(1 for ch in sample if ord(ch) > 0x024F and ch.isalpha()) < 6
    if latin and (len(words) < _MIN_WORDS or _share(words, _ENGLISH) >= _ENGLISH_SHARE):
        return "en", True
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return "und", True
    code = values[0].language.iso_code_639_1.name.lower()
    if not latin and code != "en":
        # Six or more letters of another script: the English pack cannot read it, whichever of that
        # script's languages it is (Hindi and Marathi share Devanagari, and a short text leaves the
        # detector split between them). Named only when the detector is sure.
        return (code if values[0].value >= _CONFIDENCE else "und"), False
    if code == "en" or values[0].value < _CONFIDENCE:
        return ("en" if code == "en" else "und"), True
    if latin and _share(words, _ENGLISH, known) >= _KNOWN_SHARE:
        return "en", True
    return code, False


def _share(words: list[str], *vocabularies: frozenset[str]) -> float:
    return sum(any(w in v for v in vocabularies) for w in words) / max(len(words), 1)


@lru_cache(maxsize=1)
def _detector():
    """Built once, on the first message that is not plainly English (models load lazily per language)."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.ENGLISH, Language.SPANISH, Language.FRENCH, Language.GERMAN, Language.PORTUGUESE,
                 Language.ITALIAN, Language.DUTCH, Language.SWEDISH, Language.DANISH, Language.BOKMAL,
                 Language.FINNISH, Language.POLISH, Language.TURKISH, Language.INDONESIAN, Language.MALAY,
                 Language.TAGALOG, Language.ROMANIAN, Language.CZECH, Language.HUNGARIAN, Language.RUSSIAN,
                 Language.UKRAINIAN, Language.GREEK, Language.ARABIC, Language.HEBREW, Language.HINDI,
                 Language.JAPANESE, Language.CHINESE, Language.KOREAN, Language.THAI, Language.VIETNAMESE,
                 Language.BENGALI, Language.URDU, Language.PERSIAN, Language.TAMIL, Language.MARATHI]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
