"""A helpdesk is one registry entry: a fake one, defined in tests/fakedesk/, goes the whole way.

Registered the way a new helpdesk would be, it takes a signed webhook through the real web view and
intake, the real SQLite queue, the worker's task and its own client against a loopback HTTP stand-in,
and no product file names it.
"""
import json
import time

import pytest

from empathy_cues.service.app import create_app
from empathy_cues.helpdesks.registry import REGISTRY
from empathy_cues.core.write_plan import MARKER_LABEL
from empathy_cues.service.settings import Settings

from .fakedesk import FAKEDESK, SIGNATURE_HEADER, sign
from .fakedesk.standin import FakedeskStandin

SECRET = "fakedesk-webhook-secret-0123456789"


@pytest.fixture
def fakedesk():
    REGISTRY.register(FAKEDESK)
    try:
        with FakedeskStandin(token="fk-token") as standin:
            yield standin
    finally:
        REGISTRY.unregister(FAKEDESK.name)


def _settings(tmp_path, api_url):
    return Settings.from_env({
        "EMPATHY_DATA_DIR": str(tmp_path / "data"),
        "EMPATHY_FAKEDESK_ACCOUNT": "acme",
        "EMPATHY_FAKEDESK_API_TOKEN": "fk-token",
        "EMPATHY_FAKEDESK_WEBHOOK_SECRET": SECRET,
        "EMPATHY_FAKEDESK_API_URL": api_url,
    })


def _drain(huey, seconds=5.0):
    """Run what is queued, as a consumer thread would, until the queue stays empty."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)


def test_a_helpdesk_registered_from_the_tests_is_served_end_to_end(tmp_path, fakedesk):
    settings = _settings(tmp_path, fakedesk.url)
    assert settings.enabled_helpdesks == ("fakedesk",)
    app = create_app(settings)
    web = app.test_client()
    body = json.dumps({"delivery": "d-1", "ticket": 5, "comment": {
        "id": 77, "author": "customer", "author_id": 9, "public": True,
        "body": "I'm stuck, I tried three times and it still does not work. This is so frustrating."}}).encode()

    assert web.post("/webhooks/fakedesk", data=body, content_type="application/json").status_code == 401
    forged = web.post("/webhooks/fakedesk", data=body, content_type="application/json",
                      headers={SIGNATURE_HEADER: sign("wrong", body)})
    assert forged.status_code == 401 and forged.get_json()["error"] == "bad_signature"
    signed = {SIGNATURE_HEADER: sign(SECRET, body)}
    answer = web.post("/webhooks/fakedesk", data=body, content_type="application/json", headers=signed)
    assert answer.status_code == 202 and answer.get_json()["queued"] is True
    again = web.post("/webhooks/fakedesk", data=body, content_type="application/json", headers=signed)
    assert again.get_json() == {"ignored": "duplicate"}

    _drain(app.extensions["empathy_queue"].huey)

    notes = fakedesk.notes["5"]
    assert len(notes) == 1 and notes[0]["private"] is True
    assert MARKER_LABEL in notes[0]["body"]                  # a retry can see the note is there
    assert fakedesk.tags["5"], "the worker's plan added tags through the fake client"
    assert ("GET", "/api/me", None) in fakedesk.calls       # the worker's own-user guard asked who it is
    ready = web.get("/readyz").get_json()
    assert ready["checks"]["fakedesk"] == "ok"


def test_an_unregistered_name_is_not_a_webhook_route(tmp_path):
    app = create_app(_settings(tmp_path, "http://127.0.0.1:9"))
    answer = app.test_client().post("/webhooks/fakedesk", data=b"{}", content_type="application/json")
    assert answer.status_code == 404


def test_the_install_runner_stores_the_secret_the_adapter_says_not_a_guess(tmp_path):
    """A helpdesk that is not Zendesk used to get Freshdesk's flow (a random shared secret) silently."""
    from empathy_cues.policy_file import PluginConfig
    from empathy_cues.install.adapter import AdminBase, SecretToStore
    from empathy_cues.install.runner import Runner
    from empathy_cues.install.state import read_secret

    class FetchesItsSecret(AdminBase):
        helpdesk = "fakedesk"
        secret_variable = "EMPATHY_FAKEDESK_WEBHOOK_SECRET"

        def webhook_secret(self, ids, stored):
            return SecretToStore(f"from-the-api-{ids['webhooks.receiver']}", "Webhook signing secret")

    runner = Runner(FetchesItsSecret(), PluginConfig.load(None), tmp_path, endpoint="https://plugin.test")
    [line] = runner._secret({"webhooks.receiver": 7})
    assert read_secret(tmp_path, "fakedesk") == "from-the-api-7"
    assert "EMPATHY_FAKEDESK_WEBHOOK_SECRET_FILE=" in line

    class SaysNothing(AdminBase):
        helpdesk = "fakedesk"

    with pytest.raises(TypeError, match="webhook_secret"):
        Runner(SaysNothing(), PluginConfig.load(None), tmp_path / "other", endpoint="https://plugin.test")._secret({})
