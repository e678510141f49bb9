"""The public entry point: ``analyze(text)`` cleans, matches and decides. Pure after the pack loads."""
from __future__ import annotations

from functools import lru_cache

from .decide import Analysis, Policy, Thresholds, decide
from .events import Channel
from .matcher import Matcher
from .packs import Pack, load_builtin_pack
from .text import clean_text

_DEFAULT_POLICY = Policy()


@lru_cache(maxsize=8)
def matcher_for(pack: Pack | None = None) -> Matcher:
    """The compiled matcher of a pack (the built-in English pack when None), built once."""
    return Matcher(pack if pack is not None else load_builtin_pack("en"))


def analyze(
    text: str,
    *,
    subject: str = "",
    channel: str = "email",
    pack: Pack | None = None,
    policy: Policy | None = None,
    html: bool | None = None,
) -> Analysis:
    """Read one customer message and decide what the agent should know.

    ``text`` may be plain text or HTML and may carry a quoted thread: only the newest words are
    judged. The subject is read too (a subject often says "Still broken"), but its cues are kept
    apart from the body's spans. Never raises on any string.
    """
    matcher = matcher_for(pack)
    channel_name = Channel.parse(channel).value
    cleaned = clean_text(text or "", html=html)
    subject_clean = clean_text(subject or "", html=False)
    # The subject is matched on its own; its cues are marked source="subject" and their spans index
    # Analysis.subject, so body spans always index Analysis.text.
    result = matcher.find(cleaned)
    if subject_clean:
        subject_result = matcher.find(subject_clean)
        result = _merge_subject(result, subject_result)
    p = matcher.pack
    return decide(result, text=cleaned, subject=subject_clean, channel=channel_name,
                  policy=policy or _DEFAULT_POLICY,
                  thresholds=Thresholds(p.apology_at, p.priority_at, p.distress_at, p.plain_apology_at))


def _merge_subject(body, subject):
    from .matcher import MatchResult

    body_ids = {c.cue_id for c in body.cues}
    extra = tuple(c._replace(source="subject") for c in subject.cues if c.cue_id not in body_ids)
    if not extra:
        return body
    return MatchResult(body.cues + extra, body.negated + subject.negated)
