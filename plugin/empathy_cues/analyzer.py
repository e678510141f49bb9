"""The public entry point: ``analyze(text)`` cleans, matches and decides. Pure after the pack loads."""
from __future__ import annotations

from functools import lru_cache

from .core.decision import Analysis, Policy, Thresholds, decide
from .core.event import Channel
from .core.language import detect_language
from .core.matches import MatchResult
from .core.matching import Matcher
from .core.packs import Pack, load_builtin_pack
from .core.text import clean_text
from .core.understand import Hit

_DEFAULT_POLICY = Policy()


@lru_cache(maxsize=8)
def matcher_for(pack: Pack | None = None) -> Matcher:
    """The compiled matcher of a pack (the built-in English pack when None), built once."""
    return Matcher(pack if pack is not None else load_builtin_pack("en"))


def pack_version() -> str:
    """The cue pack the decisions are made with: language and the pack file's ``version``."""
    return f"en.v{matcher_for(None).pack.version}"


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
    # Cues of role "cue" are the signs of struggle shown to agents; the rest feed the understanding.
    by_id = matcher.cue_by_id
    cues, hits = [], []
    for c in result.cues:
        cue = by_id[c.cue_id]
        if cue.role == "cue":
            cues.append(c)
            if cue.serious:
                hits.append(Hit(c.cue_id, "severity", cue.serious, cue.strength, c.matched, c.start, c.end, c.source))
            if cue.rude:
                hits.append(Hit(c.cue_id, "tone", "rude", cue.strength, c.matched, c.start, c.end, c.source))
        else:
            hits.append(Hit(c.cue_id, cue.role, cue.tag, cue.strength, c.matched, c.start, c.end, c.source))
    language, covered = detect_language(cleaned if not subject_clean else subject_clean + "\n" + cleaned,
                                        matcher.vocabulary)
    return decide(MatchResult(tuple(cues), result.negated), text=cleaned, subject=subject_clean,
                  channel=channel_name, policy=policy or _DEFAULT_POLICY, hits=tuple(hits),
                  language=language, language_covered=covered,
                  thresholds=Thresholds(p.apology_at, p.priority_at, p.distress_at))


def _merge_subject(body, subject):
    from .core.matches import MatchResult

    body_ids = {c.cue_id for c in body.cues}
    extra = tuple(c._replace(source="subject") for c in subject.cues if c.cue_id not in body_ids)
    if not extra:
        return body
    return MatchResult(body.cues + extra, body.negated + subject.negated)
