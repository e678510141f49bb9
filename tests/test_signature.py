from datetime import datetime, timedelta, timezone

import pytest

from empathy_cues.errors import SignatureError
from empathy_cues.helpdesks.freshdesk import signature as fd
from empathy_cues.helpdesks.zendesk import signature as zd

SECRET = "dGVzdC1zZWNyZXQ="
BODY = b'{"ticket_id": "1001", "latest_comment": "it still does not work"}'
NOW = datetime(2026, 11, 23, 20, 0, 0, tzinfo=timezone.utc)
TS = "2026-11-23T20:00:00Z"


def test_sign_matches_zendesk_recipe_known_vector():
    # base64(HMAC-SHA256(secret, timestamp + body)), computed independently with openssl:
    # printf "%s" "2024-04-17T17:18:10Z{}" | openssl dgst -sha256 -hmac secret -binary | base64
    assert zd.sign("secret", "2024-04-17T17:18:10Z", b"{}") == "3YV6Avm/tESEWw8ED2jKelhw90voJIU2usiN8o2ZurQ="


def test_valid_signature_passes():
    zd.verify(SECRET, zd.sign(SECRET, TS, BODY), TS, BODY, now=NOW)


def test_empty_body_is_signed_over_timestamp_alone():
    zd.verify(SECRET, zd.sign(SECRET, TS, b""), TS, b"", now=NOW)


@pytest.mark.parametrize("mutate", [
    lambda b: b + b" ",
    lambda b: b.replace(b"1001", b"1002"),
])
def test_any_change_to_the_body_fails(mutate):
    with pytest.raises(SignatureError) as err:
        zd.verify(SECRET, zd.sign(SECRET, TS, BODY), TS, mutate(BODY), now=NOW)
    assert err.value.code == "bad_signature" and err.value.status == 401


def test_wrong_secret_fails():
    with pytest.raises(SignatureError, match="does not match"):
        zd.verify(SECRET, zd.sign("other", TS, BODY), TS, BODY, now=NOW)


def test_hex_digest_is_not_accepted():
    import hashlib
    import hmac

    hexsig = hmac.new(SECRET.encode(), TS.encode() + BODY, hashlib.sha256).hexdigest()
    with pytest.raises(SignatureError):
        zd.verify(SECRET, hexsig, TS, BODY, now=NOW)


@pytest.mark.parametrize("signature,timestamp", [(None, TS), ("abc", None), ("", "")])
def test_missing_headers(signature, timestamp):
    with pytest.raises(SignatureError) as err:
        zd.verify(SECRET, signature, timestamp, BODY, now=NOW)
    assert err.value.code == "missing_signature"


@pytest.mark.parametrize("offset", [timedelta(seconds=301), timedelta(seconds=-301), timedelta(days=2)])
def test_stale_or_future_timestamp_fails_even_when_signed(offset):
    ts = zd.format_timestamp(NOW + offset)
    with pytest.raises(SignatureError) as err:
        zd.verify(SECRET, zd.sign(SECRET, ts, BODY), ts, BODY, now=NOW)
    assert err.value.code == "stale_timestamp"


def test_timestamp_within_tolerance_passes():
    ts = zd.format_timestamp(NOW - timedelta(seconds=299))
    zd.verify(SECRET, zd.sign(SECRET, ts, BODY), ts, BODY, now=NOW)


def test_unparseable_timestamp_is_rejected():
    with pytest.raises(SignatureError) as err:
        zd.verify(SECRET, zd.sign(SECRET, "yesterday", BODY), "yesterday", BODY, now=NOW)
    assert err.value.code == "stale_timestamp"


def test_timestamp_is_read_field_by_field_and_impossible_dates_are_refused():
    assert zd.parse_timestamp("2024-02-29T23:59:59Z") == datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc)
    for impossible in ("2023-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-04-31T10:00:00Z",
                       "2026-11-23T24:00:00Z", "2026-11-23T20:60:00Z", "2026-11-23T20:00:61Z", "0000-01-01T00:00:00Z"):
        with pytest.raises(ValueError):
            zd.parse_timestamp(impossible)
        with pytest.raises(SignatureError) as err:
            zd.verify(SECRET, zd.sign(SECRET, impossible, BODY), impossible, BODY, now=NOW)
        assert err.value.code == "stale_timestamp"


def test_a_timestamp_read_before_is_still_judged_against_the_clock_and_refusals_are_not_remembered():
    ts = zd.format_timestamp(NOW)
    signature = zd.sign(SECRET, ts, BODY)
    zd.verify(SECRET, signature, ts, BODY, now=NOW)
    zd.verify(SECRET, signature, ts, BODY, now=NOW)          # the same second again (parsed once)
    with pytest.raises(SignatureError) as err:
        zd.verify(SECRET, signature, ts, BODY, now=NOW + timedelta(seconds=301))
    assert err.value.code == "stale_timestamp"
    for _ in range(2):
        with pytest.raises(ValueError):
            zd.parse_timestamp("2026-13-01T10:00:00Z")


def test_freshdesk_secret_header_and_basic_auth():
    import base64

    fd.verify("s3cret-s3cret-s3cret", {"X-Empathy-Secret": "s3cret-s3cret-s3cret"})
    token = base64.b64encode(b"empathy:s3cret-s3cret-s3cret").decode()
    fd.verify("s3cret-s3cret-s3cret", {"Authorization": f"Basic {token}"})


@pytest.mark.parametrize("headers,code", [
    ({}, "missing_signature"),
    ({"X-Empathy-Secret": "wrong"}, "bad_signature"),
    ({"Authorization": "Basic !!!notbase64"}, "missing_signature"),
    ({"Authorization": "Bearer s3cret-s3cret-s3cret"}, "missing_signature"),
])
def test_freshdesk_refusals(headers, code):
    with pytest.raises(SignatureError) as err:
        fd.verify("s3cret-s3cret-s3cret", headers)
    assert err.value.code == code
