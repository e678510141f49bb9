import pytest

from empathy_cues.errors import HelpdeskNotEnabled, PayloadTooLarge, QueueUnavailable, SignatureError
from empathy_cues.core.event import AuthorRole, EventKind
from empathy_cues.core.guard import guard
from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign
from empathy_cues.service.intake import Intake
from empathy_cues.service.settings import Settings
from empathy_cues.durable.sqlite_state import SqliteStore

from .conftest import FRESHDESK_SECRET, ZENDESK_SECRET, sample_bytes, service_env


def signed(raw: bytes) -> dict:
    ts = format_timestamp()
    return {"X-Zendesk-Webhook-Signature": sign(ZENDESK_SECRET, ts, raw), "X-Zendesk-Webhook-Signature-Timestamp": ts}


@pytest.fixture
def queued():
    return []


@pytest.fixture
def intake(intake_settings, tmp_path, queued):
    return Intake(intake_settings, SqliteStore(tmp_path / "state.sqlite3"), queued.append)


def test_signed_trigger_is_queued_as_plain_dict(intake, queued):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    status, body = intake.receive("zendesk", raw, signed(raw))
    assert status == 202 and body["queued"] is True and body["ticket_id"] == "1001"
    assert len(queued) == 1 and queued[0]["ticket_id"] == "1001" and queued[0]["kind"] == "comment_added"


def test_same_delivery_twice_is_queued_once(intake, queued):
    raw = sample_bytes("zendesk", "event_comment_added.json")
    intake.receive("zendesk", raw, signed(raw))
    status, body = intake.receive("zendesk", raw, signed(raw))
    assert (status, body) == (202, {"ignored": "duplicate"}) and len(queued) == 1


def test_same_comment_with_another_delivery_id_is_a_duplicate(intake, queued):
    raw = sample_bytes("zendesk", "event_comment_added.json")
    other = raw.replace(b"cbe4028c-7239-495d-b020-f22348516046", b"another-delivery-id")
    intake.receive("zendesk", raw, signed(raw))
    assert intake.receive("zendesk", other, signed(other))[1] == {"ignored": "duplicate"}
    assert len(queued) == 1


@pytest.mark.parametrize("name,reason", [("own_note_echo.json", "own_note"),
                                         ("unknown_event.json", "event_type:ticket.priority_changed")])
def test_echoes_and_unknown_kinds_are_dropped_before_queueing(intake, queued, name, reason):
    raw = sample_bytes("zendesk", name)
    assert intake.receive("zendesk", raw, signed(raw)) == (202, {"ignored": reason})
    assert queued == []


def test_a_public_agent_reply_is_queued_for_qa_scoring(intake, queued):
    raw = sample_bytes("zendesk", "agent_comment.json")
    assert intake.receive("zendesk", raw, signed(raw))[1]["queued"] is True
    assert queued[0]["author_role"] == "agent"


def test_agent_replies_are_dropped_when_qa_scoring_is_off(tmp_path, queued):
    config = tmp_path / "settings.toml"
    config.write_text("[qa]\nscore_replies = false\n")
    settings = Settings.from_env(service_env(tmp_path / "data", EMPATHY_CONFIG=str(config)))
    intake = Intake(settings, SqliteStore(tmp_path / "state.sqlite3"), queued.append)
    raw = sample_bytes("zendesk", "agent_comment.json")
    assert intake.receive("zendesk", raw, signed(raw)) == (202, {"ignored": "agent_comment"}) and queued == []


def test_forged_signature_is_refused_and_nothing_queued(intake, queued):
    raw = sample_bytes("zendesk", "trigger_comment.json")
    headers = signed(raw)
    headers["X-Zendesk-Webhook-Signature"] = sign("forged", headers["X-Zendesk-Webhook-Signature-Timestamp"], raw)
    with pytest.raises(SignatureError):
        intake.receive("zendesk", raw, headers)
    assert queued == []


def test_freshdesk_needs_the_shared_secret(intake, queued):
    raw = sample_bytes("freshdesk", "reply.json")
    with pytest.raises(SignatureError):
        intake.receive("freshdesk", raw, {})
    status, body = intake.receive("freshdesk", raw, {"X-Empathy-Secret": FRESHDESK_SECRET})
    assert status == 202 and body["ticket_id"] == "2001" and len(queued) == 1


def test_disabled_helpdesk(tmp_path, queued):
    settings = Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path)})
    intake = Intake(settings, SqliteStore(tmp_path / "s.sqlite3"), queued.append)
    with pytest.raises(HelpdeskNotEnabled) as err:
        intake.receive("zendesk", b"{}", {})
    assert err.value.status == 404


def test_oversized_body(intake):
    with pytest.raises(PayloadTooLarge):
        intake.receive("zendesk", b" " * (1024 * 1024 + 1), {})


def test_queue_failure_is_not_acknowledged_and_frees_the_keys(intake_settings, tmp_path, queued):
    def broken(_event):
        raise OSError("disk full")

    store = SqliteStore(tmp_path / "state.sqlite3")
    raw = sample_bytes("zendesk", "trigger_comment.json")
    with pytest.raises(QueueUnavailable) as err:
        Intake(intake_settings, store, broken).receive("zendesk", raw, signed(raw))
    assert err.value.status == 503
    # The helpdesk's redelivery must be accepted now.
    assert Intake(intake_settings, store, queued.append).receive("zendesk", raw, signed(raw))[0] == 202
    assert len(queued) == 1


def test_guard_reasons(intake):
    from empathy_cues.helpdesks.zendesk.normalize import normalize

    base = normalize(sample_bytes("zendesk", "event_comment_added.json"), {}, account="acme")
    import dataclasses

    assert guard(base) is None
    assert guard(base, own_user_id="382") == "own_update"
    assert guard(dataclasses.replace(base, comment_public=False)) == "private_comment"
    assert guard(dataclasses.replace(base, author_role=AuthorRole.SYSTEM)) == "system_comment"
    assert guard(dataclasses.replace(base, kind=EventKind.UPDATED)) == "update_without_comment"
