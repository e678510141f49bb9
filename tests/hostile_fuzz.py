"""Hostile webhook requests for property tests: shared by tests/test_hostile_fuzz.py (a few hundred
examples, in every run) and tests/benchmarks/hostile_fuzz.py (10,000+ against the real `serve`).

A request is (helpdesk, auth, body): auth is a valid signature/secret, a forged one, none, or (Zendesk) a
valid signature over a stale or malformed timestamp. Bodies are raw bytes, JSON of any shape, or
payloads shaped like the real ones (tests/samples) whose fields take hostile values: ids that are not
ids, lone surrogates, deep nesting, huge numbers, bidi overrides, markup, the note's marker.
The properties (``check_answer``): never a 5xx; a JSON body with a reason; a refused request stores
nothing; the server stays healthy.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

from .conftest import FRESHDESK_SECRET, ZENDESK_SECRET, sample_json

SURROGATE = "\ud800"     # replaced by its JSON escape after json.dumps (see _dumps)

HOSTILE_STRINGS = [
    "", " ", "0", "-5", "1_030", "\uff11\uff10\uff13\uff10", "9" * 64, "9" * 30, "nan", "NaN", "1e3", "abc",
    "{{ticket.id}}", SURROGATE, "a" + SURROGATE + "b", "\u202eevil\u202c", "<script>alert(1)</script>",
    "empathy-cues ref: ec-0000", "\x00\x1f", "\r\n\r\n", "x" * 5000, "@" * 300, "a@" * 200, "\ufeff", "😩" * 10,
    "2024-04-17T17:18:10Z", "zen:event-type:ticket.comment_added", "zen:event-type:ticket.created",
    "comment_added", "created", "updated", "end_user", "agent", "true", "false",
]
HOSTILE_VALUES = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(),
    st.lists(st.sampled_from(HOSTILE_STRINGS), max_size=4),
    st.dictionaries(st.sampled_from(["id", "body", "author", "is_public", "is_staff"]),
                    st.sampled_from(HOSTILE_STRINGS), max_size=3),
)
JUNK_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                         lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=10), c, max_size=4),
                         max_leaves=12)


def _dumps(value) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass").replace(b"\xed\xa0\x80", b"\\ud800")


def _shaped(base: dict, mutations: list[tuple[str, object]]) -> bytes:
    data = json.loads(json.dumps(base))
    for path, value in mutations:
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[leaf] = value
    return _dumps(data)


_ZD_TRIGGER = ["ticket_id", "kind", "via", "updated_at", "current_user_id", "author_role", "comment_public",
               "requester_id", "tags", "requester_name", "subject", "latest_comment", "latest_comment_html",
               "comment_id"]
_ZD_EVENT = ["id", "type", "subject", "detail.id", "detail.via.channel", "detail.description", "detail.tags",
             "detail.requester_id", "detail.submitter_id", "event.comment.id", "event.comment.body",
             "event.comment.is_public", "event.comment.author.id", "event.comment.author.is_staff", "event.comment"]
_FD = ["ticket_id", "event", "kind", "source", "tags", "requester_email", "requester_name", "subject", "description",
       "latest_public_comment", "comment_id", "author_id"]


@st.composite
def bodies(draw, helpdesk: str) -> bytes:
    kind = draw(st.sampled_from(["shaped", "shaped", "shaped", "junk", "bytes", "deep", "truncated"]))
    if helpdesk == "zendesk":
        base_name, fields = draw(st.sampled_from([("trigger_comment.json", _ZD_TRIGGER),
                                                  ("event_comment_added.json", _ZD_EVENT)]))
        base = sample_json("zendesk", base_name)
    else:
        base, fields = sample_json("freshdesk", draw(st.sampled_from(["reply.json", "created.json"]))), _FD
    if kind == "shaped":
        mutations = draw(st.lists(st.tuples(st.sampled_from(fields), HOSTILE_VALUES), min_size=1, max_size=4))
        return _shaped(base, mutations)
    if kind == "junk":
        return _dumps(draw(JUNK_JSON))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "deep":
        depth = draw(st.integers(min_value=100, max_value=200_000))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        return b'{"ticket_id": "5", "x": ' + opener * depth + b"1" + closer * depth + b"}"
    whole = _shaped(base, [])
    return whole[:draw(st.integers(min_value=0, max_value=len(whole)))]


@dataclass(frozen=True)
class Request:
    helpdesk: str
    auth: str
    body: bytes

    def headers(self) -> dict[str, str]:
        h = {"Content-Type": "application/json"}
        if self.helpdesk == "freshdesk":
            if self.auth == "valid":
                h["X-Empathy-Secret"] = FRESHDESK_SECRET
            elif self.auth == "forged":
                h["X-Empathy-Secret"] = "not-the-secret-0000000"
            return h
        ts = format_timestamp()
        if self.auth == "stale":
            ts = format_timestamp(datetime.now(timezone.utc) - timedelta(hours=2))
        elif self.auth == "bad_timestamp":
            ts = "9" * 30
        if self.auth != "missing":
            secret = ZENDESK_SECRET if self.auth != "forged" else "forged-secret"
            h["X-Zendesk-Webhook-Signature"] = sign(secret, ts, self.body)
            h["X-Zendesk-Webhook-Signature-Timestamp"] = ts
        return h


@st.composite
def requests_(draw) -> Request:
    helpdesk = draw(st.sampled_from(["zendesk", "freshdesk"]))
    auths = ["valid", "valid", "valid", "forged", "missing"] + (["stale", "bad_timestamp"] if helpdesk == "zendesk" else [])
    return Request(helpdesk, draw(st.sampled_from(auths)), draw(bodies(helpdesk)))


def check_answer(req: Request, status: int, body: dict | None, stored_before: int, stored_after: int) -> None:
    """The properties every answer must have. ``stored_*``: dedupe keys in the state before and after."""
    assert status < 500, (status, body, req.auth, req.body[:200])
    assert isinstance(body, dict) and ("error" in body or "queued" in body or "ignored" in body), (status, body)
    if req.auth != "valid":
        assert status in (401, 404, 413), (status, body, req.auth)   # 413: too large is refused unread
    if status >= 400:
        assert stored_after == stored_before, ("a refused request stored something", status, body)
