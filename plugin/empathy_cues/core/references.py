"""References a customer writes out: an identifier after the word for it ("order #A77120")."""
from __future__ import annotations

import re

# An identifier written out after the word for it ("order #A77120", "return ref RT-5531", "booking
# ABC123X", "order (no. 229174)", "booking reference QX7PLM", "PNR 2720822708", "PNR-6705392817", "order is 50770571",
# "record locator BSUXLU", a bag's "file loc:TJYCQH"):
# the pack's phrases find the plain ones ("order 44821"); a code like these is no word a phrase can name.
CODE_GIVEN = re.compile(
    r"\b(?:order|ref|reference|booking|case|ticket|confirmation|tracking|return|claim|invoice|policy|account|"
    r"membership|member|customer|agreement|contract|reservation|serial|pnr|record locator|locator|incident|"
    r"complaint|request|file loc|file ref|res|rez|conf)"
    r"(?:\s+(?:no\.?|number|ref|reference|id|code))?(?:\s+(?:is|was))?\s*[:#(-]?\s*(?:no\.?\s*|#\s*)?"
    r"(?:(?=[A-Za-z0-9-]*\d)([A-Za-z]{1,4}-?\d{3,}[A-Za-z0-9]*)|(?<=[\s(:#.-])(\d{5,})"
    # a number written in groups, as account numbers are: "Account 0771 552 904"
    r"|(?<=[\s(:#.])(\d{3,5}(?: \d{3,5}){1,3})"
    # a booking code of capitals, as airlines and hotels give them: "booking reference QX7PLM"
    r"|(?-i:(?=[A-Z]*\d)[A-Z0-9]{6,8})|(?<=ref |nce |tor |pnr |loc:|loc |ref:|ef: |oc: )(?-i:[A-Z]{6}))\b", re.I)

# A booking code alone, as airline customers post them ("can I get some help? 8HH4P2"): six capitals and digits,
# both, and not a flight's number ("UA3782", "AWE474"); read only beside words of a journey (core/understand.py).
BOOKING_CODE_ALONE = re.compile(r"(?<![\w#@/.-])(?-i:(?![A-Z]{2,3}\d{3,4}\b)(?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)"
                                r"[A-Z0-9]{6})(?![\w/.-])")
A_JOURNEY = re.compile(r"\b(?:flights?|flt|plane|airport|gate|connection|booking|trip|seat|rebook\w*|delayed|"
                       r"cancel\w*|hotel|reservation)\b", re.IGNORECASE)
