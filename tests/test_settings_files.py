"""Settings read from files: secrets from NAME_FILE, tag names from EMPATHY_CONFIG, used by the worker."""
import pytest

from empathy_cues.errors import ConfigError
from empathy_cues.core.event import AuthorRole, Channel, EventKind, TicketEvent
from empathy_cues.service.settings import Settings
from empathy_cues.worker.draft import plan_for
from empathy_cues.worker.runtime import Runtime

ZENDESK = {"EMPATHY_ZENDESK_SUBDOMAIN": "acme", "EMPATHY_ZENDESK_EMAIL": "bot@acme.test",
           "EMPATHY_ZENDESK_API_TOKEN": "token"}


def test_webhook_secret_is_read_from_the_file_install_writes(tmp_path):
    secret = tmp_path / "zendesk-webhook-secret"
    secret.write_text("s3cr3t-from-install\n", encoding="utf-8")
    settings = Settings.from_env({**ZENDESK, "EMPATHY_DATA_DIR": str(tmp_path),
                                  "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE": str(secret)})
    assert settings.helpdesks["zendesk"].webhook_secret == "s3cr3t-from-install"


def test_unreadable_secret_file_names_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE: cannot read"):
        Settings.from_env({**ZENDESK, "EMPATHY_DATA_DIR": str(tmp_path),
                           "EMPATHY_ZENDESK_WEBHOOK_SECRET_FILE": str(tmp_path / "absent")})


def test_broken_settings_file_stops_start_up(tmp_path):
    bad = tmp_path / "empathy.toml"
    bad.write_text("[tags\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_CONFIG": str(bad)})


def test_worker_writes_the_tag_names_of_the_settings_file(tmp_path):
    config = tmp_path / "empathy.toml"
    config.write_text('[tags]\napology = "ec_sorry"\n\n[response_minutes]\nemail = 120\n', encoding="utf-8")
    settings = Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_CONFIG": str(config)})
    event = TicketEvent(helpdesk="zendesk", account="acme", ticket_id="7", kind=EventKind.COMMENT_ADDED,
                        channel=Channel.EMAIL, subject="", comment_text="I tried to log in but it keeps failing",
                        comment_is_html=False, comment_id="c1", author_id="5", author_role=AuthorRole.END_USER,
                        comment_public=True, requester_name="Ann", requester_id="5", tags=(), delivery_id="d1")
    plan = plan_for(Runtime(settings, store=None), event)
    assert plan is not None
    assert plan.add_tags[0] == "ec_sorry"
    assert "empathy_respond_2h" in plan.add_tags


def env(tmp_path, **extra):
    return {**ZENDESK, "EMPATHY_ZENDESK_WEBHOOK_SECRET": "secret", "EMPATHY_DATA_DIR": str(tmp_path), **extra}


def test_log_level_is_checked_and_case_insensitive(tmp_path):
    assert Settings.from_env(env(tmp_path)).log_level == "INFO"
    assert Settings.from_env(env(tmp_path, EMPATHY_LOG_LEVEL="warning")).log_level == "WARNING"
    with pytest.raises(ConfigError, match="EMPATHY_LOG_LEVEL"):
        Settings.from_env(env(tmp_path, EMPATHY_LOG_LEVEL="loud"))


def test_worker_warm_up_loads_pack_and_templates_without_calling_the_helpdesk(tmp_path):
    import socket

    from empathy_cues.analyzer import matcher_for
    from empathy_cues.durable.sqlite_state import SqliteStore
    from empathy_cues.reply.template_file import load_builtin_templates

    with socket.socket() as s:          # a port nobody listens on: any API call would fail
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    settings = Settings.from_env(env(tmp_path, EMPATHY_ZENDESK_API_URL=closed))
    matcher_for.cache_clear()
    load_builtin_templates.cache_clear()
    Runtime(settings, SqliteStore(tmp_path / "state.sqlite3")).warm_up()
    assert matcher_for.cache_info().currsize == 1
    assert load_builtin_templates.cache_info().currsize == 1
