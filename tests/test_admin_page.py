"""The admin page's gate over real HTTP (werkzeug on loopback, requests as the client): off without a
token, every page refused without a session, CSRF and origin checks on every form, sign-in rate
limited in a counter every worker shares, Try it and dead-letter replay, and no customer text in a
URL or a log line. The browser tests (test_admin_page_browser.py) drive the same pages in Chromium."""
from __future__ import annotations

import logging

import pytest
import requests

from empathy_cues.errors import ConfigError
from empathy_cues.service.settings import Settings
from empathy_cues.service.web.admin.access import AdminAccess, MIN_TOKEN_CHARS
from empathy_cues.service.web.admin.throttle import RedisCounter, SignInThrottle, SqliteCounter

from .admin_helpers import TOKEN, csrf_of, inside_one_sign_in_window, served, signed_in

PAGES = ("/admin/", "/admin/try", "/admin/decisions", "/admin/cues", "/admin/qa")
POSTS = ("/admin/try", "/admin/decisions/replay", "/admin/sign-out")
MESSAGE = "I tried to update my card three times and it still fails. Zebrafinch order 4471."


def make_app(tmp_path, **extra):
    from empathy_cues.service.app import create_app

    env = {"EMPATHY_DATA_DIR": str(tmp_path / "data"), "EMPATHY_ADMIN_PAGE_TOKEN": TOKEN, **extra}
    return create_app(Settings.from_env({k: v for k, v in env.items() if v is not None}))


@pytest.fixture
def base(tmp_path):
    with served(make_app(tmp_path)) as url:
        yield url


# -- the token ------------------------------------------------------------------------------------

def test_token_is_held_as_hashes_and_compared_whole():
    access = AdminAccess.from_token(TOKEN)
    assert access.matches(TOKEN)
    assert not access.matches(TOKEN[:-1]) and not access.matches(TOKEN + "x") and not access.matches("")
    assert TOKEN.encode() not in access.digest + access.session_key
    assert TOKEN not in repr(access)


def test_token_from_a_file_and_refusals(tmp_path):
    secret = tmp_path / "admin-token"
    secret.write_text(TOKEN + "\n")
    settings = Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ADMIN_PAGE_TOKEN_FILE": str(secret)})
    assert settings.admin_page.matches(TOKEN)
    assert Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path)}).admin_page is None
    with pytest.raises(ConfigError, match="EMPATHY_ADMIN_PAGE_TOKEN.*placeholder"):
        Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ADMIN_PAGE_TOKEN": "change-me-" + "x" * 30})
    with pytest.raises(ConfigError, match=f"at least {MIN_TOKEN_CHARS}"):
        Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ADMIN_PAGE_TOKEN": "short-token"})
    with pytest.raises(ConfigError, match="both set"):
        Settings.from_env({"EMPATHY_DATA_DIR": str(tmp_path), "EMPATHY_ADMIN_PAGE_TOKEN": TOKEN,
                           "EMPATHY_ADMIN_PAGE_TOKEN_FILE": str(secret)})


# -- off, refused, CSRF, origin ---------------------------------------------------------------------

def test_without_a_token_the_page_is_off_and_says_so(tmp_path):
    with served(make_app(tmp_path, EMPATHY_ADMIN_PAGE_TOKEN=None)) as url:
        for path in (*PAGES, "/admin/sign-in"):
            answer = requests.get(url + path, allow_redirects=False, timeout=10)
            assert answer.status_code == 404 and "The admin page is off" in answer.text, path
            assert "Set-Cookie" not in answer.headers
        answer = requests.post(url + "/admin/sign-in", data={"token": TOKEN}, allow_redirects=False, timeout=10)
        assert answer.status_code == 404 and "Set-Cookie" not in answer.headers
        assert requests.get(url + "/healthz", timeout=10).status_code == 200


def test_every_page_refuses_without_a_session(base):
    for path in PAGES:
        answer = requests.get(base + path, allow_redirects=False, timeout=10)
        assert answer.status_code == 303, path
        assert answer.headers["Location"].startswith("/admin/sign-in"), path
        assert "<table" not in answer.text and "Try it" not in answer.text
    for path in POSTS:
        answer = requests.post(base + path, data={"text": MESSAGE, "letter": "1"}, allow_redirects=False, timeout=10)
        assert answer.status_code == 401, path
        assert "Zebrafinch" not in answer.text


def test_a_forged_session_cookie_is_refused(base):
    http = requests.Session()
    http.cookies.set("empathy_admin", "eyJhZG1pbiI6dHJ1ZX0.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", path="/admin")
    assert http.get(base + "/admin/try", allow_redirects=False, timeout=10).status_code == 303


def test_session_cookie_flags_and_security_headers(base):
    http = requests.Session()
    page = http.get(f"{base}/admin/sign-in", timeout=10)
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert page.headers["Cache-Control"] == "no-store" and page.headers["X-Frame-Options"] == "DENY"
    answer = http.post(f"{base}/admin/sign-in", data={"csrf_token": csrf_of(page.text), "token": TOKEN},
                       allow_redirects=False, timeout=10)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie          # plain HTTP on loopback; over TLS it is Secure (browser test)
    assert http.get(f"{base}/healthz", timeout=10).headers.get("Set-Cookie") is None


def test_wrong_token_is_refused(base):
    http = requests.Session()
    page = http.get(f"{base}/admin/sign-in", timeout=10)
    answer = http.post(f"{base}/admin/sign-in", data={"csrf_token": csrf_of(page.text), "token": TOKEN + "0"},
                       allow_redirects=False, timeout=10)
    assert answer.status_code == 401 and "That is not the admin token" in answer.text
    assert http.get(f"{base}/admin/try", allow_redirects=False, timeout=10).status_code == 303


def test_posts_without_csrf_or_from_another_origin_are_refused(base):
    http = signed_in(base)
    bare = requests.Session()
    page = bare.get(f"{base}/admin/sign-in", timeout=10)
    assert bare.post(f"{base}/admin/sign-in", data={"token": TOKEN}, allow_redirects=False,
                     timeout=10).status_code == 400          # no CSRF token: not even a sign-in
    answer = http.post(f"{base}/admin/try", data={"text": MESSAGE, "channel": "email"}, timeout=10)
    assert answer.status_code == 400 and "could not be accepted" in answer.text
    assert "Zebrafinch" not in answer.text
    token = csrf_of(http.get(f"{base}/admin/try", timeout=10).text)
    answer = http.post(f"{base}/admin/try", data={"csrf_token": token, "text": MESSAGE, "channel": "email"},
                       headers={"Origin": "https://evil.example"}, timeout=10)
    assert answer.status_code == 403
    answer = http.post(f"{base}/admin/sign-out", data={"csrf_token": "forged"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 400
    assert http.get(f"{base}/admin/try", allow_redirects=False, timeout=10).status_code == 200
    assert csrf_of(page.text)


def test_sign_in_is_rate_limited_per_client(base):
    inside_one_sign_in_window()
    http = requests.Session()
    token = csrf_of(http.get(f"{base}/admin/sign-in", timeout=10).text)

    def attempt(value, client="198.51.100.20"):
        return http.post(f"{base}/admin/sign-in", data={"csrf_token": token, "token": value},
                         headers={"X-Forwarded-For": client}, allow_redirects=False, timeout=10)

    assert [attempt("wrong-token-guess").status_code for _ in range(5)] == [401] * 5
    refused = attempt(TOKEN)                          # even the right token waits out the minute
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert attempt(TOKEN, client="198.51.100.21").status_code == 303      # another client is not held up


def test_sqlite_counter_is_shared_between_connections(tmp_path):
    path = tmp_path / "admin-signin.sqlite3"
    first, second = SqliteCounter(path), SqliteCounter(path)       # as two gunicorn workers open it
    assert [first.hit("client:a", 100), second.hit("client:a", 100), first.hit("client:a", 101)] == [1, 2, 1]
    throttle = SignInThrottle(SqliteCounter(tmp_path / "other.sqlite3"), per_client=2, overall=3, clock=lambda: 6000.0)
    assert [throttle.allow("a")[0], throttle.allow("a")[0], throttle.allow("a")[0]] == [True, True, False]
    assert throttle.allow("b")[0] is False       # the overall limit (3 a minute) is used up by a's tries


def test_redis_counter(redis_url):
    first, second = RedisCounter(redis_url), RedisCounter(redis_url)
    assert [first.hit("client:a", 7), second.hit("client:a", 7), second.hit("client:b", 7)] == [1, 2, 1]
    assert 0 < first.client.ttl("empathy-cues:admin-signin:7:client:a") <= 120


def test_after_sign_in_only_paths_of_the_admin_page(base):
    http = requests.Session()
    page = http.get(f"{base}/admin/sign-in?next=https://evil.example/admin/x", timeout=10)
    answer = http.post(f"{base}/admin/sign-in?next=https://evil.example/admin/x",
                       data={"csrf_token": csrf_of(page.text), "token": TOKEN}, allow_redirects=False, timeout=10)
    assert answer.headers["Location"] == "/admin/try"


# -- Try it, replay, logs --------------------------------------------------------------------------

def test_try_it_posts_the_message_and_logs_none_of_it(base, caplog):
    http = signed_in(base)
    token = csrf_of(http.get(f"{base}/admin/try", timeout=10).text)
    with caplog.at_level(logging.DEBUG):
        answer = http.post(f"{base}/admin/try", data={"csrf_token": token, "text": MESSAGE, "channel": "social"},
                           timeout=30)
    assert answer.status_code == 200 and answer.url == f"{base}/admin/try"
    assert '<mark class="cue cat-struggle"' in answer.text and ">I tried to<" in answer.text
    assert "empathy_apology" in answer.text and "within the next hour" in answer.text   # social: 60 minutes
    assert "Phrase pack" in answer.text and "en.v" in answer.text
    assert "Zebrafinch" not in caplog.text and "tried to update" not in caplog.text


def test_replay_puts_a_dead_letter_back_on_the_queue(tmp_path):
    app = make_app(tmp_path)
    store, queue = app.extensions["empathy_store"], app.extensions["empathy_queue"]
    event = {"helpdesk": "zendesk", "account": "acme", "ticket_id": "321", "delivery_id": "d-1"}
    letter_id = store.add_dead_letter("zendesk:acme:321:c-1", event, "403 forbidden")
    with served(app) as url:
        http = signed_in(url)
        page = http.get(f"{url}/admin/decisions", timeout=10)
        assert 'href="https://acme.zendesk.com/agent/tickets/321"' in page.text
        before = queue.pending_count()
        answer = http.post(f"{url}/admin/decisions/replay", data={"csrf_token": csrf_of(page.text), "letter": letter_id},
                           timeout=10)
        assert answer.status_code == 200 and f"Dead letter {letter_id} is on the queue again" in answer.text
        assert store.dead_letter(letter_id) is None and queue.pending_count() == before + 1
        again = http.post(f"{url}/admin/decisions/replay", data={"csrf_token": csrf_of(page.text), "letter": letter_id},
                          timeout=10)
        assert again.status_code == 404 and "not there any more" in again.text


def test_scale_out_mode_counts_in_redis_and_reads_its_records(tmp_path, redis_url):
    import redis

    with served(make_app(tmp_path, EMPATHY_QUEUE_URL=redis_url)) as url:
        http = signed_in(url)
        for path in PAGES[1:]:
            assert http.get(url + path, timeout=30).status_code == 200, path
        fresh = requests.Session()
        inside_one_sign_in_window()
        token = csrf_of(fresh.get(f"{url}/admin/sign-in", timeout=10).text)
        codes = [fresh.post(f"{url}/admin/sign-in", data={"csrf_token": token, "token": "guess"},
                            headers={"X-Forwarded-For": "198.51.100.99"}, allow_redirects=False, timeout=10).status_code
                 for _ in range(6)]
        assert codes == [401] * 5 + [429]
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("empathy-cues:admin-signin:*")]
    assert any(k.endswith(":client:198.51.100.99") for k in keys)
    assert not (tmp_path / "data" / "admin-signin.sqlite3").exists()


def test_sign_out_ends_the_session(base):
    http = signed_in(base)
    token = csrf_of(http.get(f"{base}/admin/decisions", timeout=10).text)
    answer = http.post(f"{base}/admin/sign-out", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/sign-in"
    assert http.get(f"{base}/admin/decisions", allow_redirects=False, timeout=10).status_code == 303


def test_cues_page_names_the_accounts_an_overrides_file_turns_a_cue_off_for(tmp_path):
    (tmp_path / "overrides.toml").write_text('[accounts.acme]\ndisable = ["struggle.tried"]\n')
    (tmp_path / "settings.toml").write_text('[feedback]\noverrides = "overrides.toml"\n')
    with served(make_app(tmp_path, EMPATHY_CONFIG=str(tmp_path / "settings.toml"))) as url:
        page = signed_in(url).get(f"{url}/admin/cues", timeout=10)
    assert page.status_code == 200 and str(tmp_path / "overrides.toml") in page.text
    row = page.text.split('id="cue-struggle-tried"', 1)[1].split("</tr>", 1)[0]
    assert "<code>acme</code>" in row


def test_qa_page_takes_only_known_periods_and_agent_ids(base):
    http = signed_in(base)
    for query in ("since=7d", "since=90d&agent=381", "since=forever&agent=%3Cscript%3E"):
        page = http.get(f"{base}/admin/qa?{query}", timeout=10)
        assert page.status_code == 200 and "<script" not in page.text, query
        assert "No agent reply was scored in this period." in page.text
    assert '<option value="90d" selected>' in http.get(f"{base}/admin/qa?since=90d", timeout=10).text
