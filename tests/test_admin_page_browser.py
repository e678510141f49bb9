"""The admin page in real headless Chromium against the real server: gunicorn with two gevent web
workers and a queue worker (tests/ops_harness.Cluster), the Zendesk stand-in on loopback behind them.

Each page is screenshotted to tests/artifacts/admin-*.png (ignored by git) for a person to look at."""
from __future__ import annotations

import json

import pytest
import requests

from .test_e2e import wait_for
from .admin_helpers import TOKEN, csrf_of, inside_one_sign_in_window, signed_in
from .browser import chrome, require_chromium, screenshot
from .ops_harness import Cluster, FlakyZendesk, webhook

pytestmark = pytest.mark.slow

DEAD_TICKET = 7301          # not in the stand-in at first: its event fails for good (404) -> a dead letter
APPLIED_TICKET = 7302
COMPLAINT = "I have tried three times to update my card and it still fails. This is so frustrating."




@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    standin = FlakyZendesk().start()
    cluster = Cluster(root=tmp_path_factory.mktemp("admin-site"), standin=standin, workers=1,
                      env_extra={"EMPATHY_ADMIN_PAGE_TOKEN": TOKEN, "EMPATHY_RETRIES": "0"})
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        standin.stop()


@pytest.fixture
def browser():
    driver = chrome()
    try:
        yield driver
    finally:
        driver.quit()


def on_page(predicate):
    """``predicate`` for wait_for over a page that may be replaced while it is read (a form's submit, a
    redirect): an element gone stale, or not there yet, means "not yet", and the next poll reads again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    def check():
        try:
            return predicate()
        except (StaleElementReferenceException, NoSuchElementException):
            return False
    return check


def sign_in(driver, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/admin/try")
    assert "/admin/sign-in" in driver.current_url
    screenshot(driver, "admin-sign-in")
    driver.find_element(By.ID, "token").send_keys(TOKEN)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    # The URL changes when the redirect commits, before the new page's elements are there to read:
    # wait for the page itself.
    assert wait_for(on_page(lambda: driver.current_url.endswith("/admin/try") and [
        h for h in driver.find_elements(By.TAG_NAME, "h1") if h.text == "Try it"]), 10)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 10)


def agent_reply(ticket_id: int, text: str, *, tags: str, minute: int, agent: str = "512") -> bytes:
    """The trigger body of a public agent reply on a ticket that now carries ``tags`` (a macro's tag)."""
    return json.dumps({"kind": "comment_added", "ticket_id": str(ticket_id), "via": "Web form",
                       "updated_at": f"2026-11-24T09:{minute:02d}:00Z", "current_user_id": agent,
                       "author_role": "agent", "comment_public": "true", "requester_id": "381",
                       "requester_name": "Dana", "tags": tags, "subject": "Thanks", "latest_comment": text}).encode()


def post_webhook(site, ticket_id: int, text: str, body: bytes | None = None) -> None:
    from .ops_harness import SECRET
    from empathy_cues.helpdesks.zendesk.signature import format_timestamp, sign

    body = body or webhook(ticket_id, text)
    stamp = format_timestamp()
    answer = requests.post(f"{site.url}/webhooks/zendesk", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Zendesk-Webhook-Signature": sign(SECRET, stamp, body),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp})
    assert answer.status_code == 202, answer.text


def test_pages_refused_without_a_session_on_the_real_server(site):
    for path in ("/admin/", "/admin/try", "/admin/decisions", "/admin/cues", "/admin/qa"):
        answer = requests.get(site.url + path, allow_redirects=False, timeout=10)
        assert answer.status_code == 303 and answer.headers["Location"].startswith("/admin/sign-in"), path
    for path in ("/admin/try", "/admin/decisions/replay", "/admin/sign-out"):
        assert requests.post(site.url + path, data={"letter": "1"}, allow_redirects=False,
                             timeout=10).status_code == 401, path


def test_behind_tls_the_cookie_is_secure_and_the_referrer_checked(site):
    """gunicorn takes the scheme from the proxy's X-Forwarded-Proto (forwarded_allow_ips: loopback)."""
    tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.50"}
    page = requests.get(f"{site.url}/admin/sign-in", headers=tls, timeout=10)
    assert "Secure" in page.headers["Set-Cookie"]
    # requests keeps a Secure cookie from plain http://, as it should: the proxy's side is sent by hand.
    cookie = "empathy_admin=" + page.cookies["empathy_admin"]
    form = {"csrf_token": csrf_of(page.text), "token": TOKEN}
    host = site.url.removeprefix("http://")
    answer = requests.post(f"{site.url}/admin/sign-in", data=form, allow_redirects=False, timeout=10,
                           headers={**tls, "Cookie": cookie, "Referer": "https://evil.example/"})
    assert answer.status_code == 400                       # Flask-WTF's strict referrer check over TLS
    answer = requests.post(f"{site.url}/admin/sign-in", data=form, allow_redirects=False, timeout=10,
                           headers={**tls, "Cookie": cookie, "Referer": f"https://{host}/admin/sign-in"})
    assert answer.status_code == 303
    assert "Secure" in answer.headers["Set-Cookie"] and "HttpOnly" in answer.headers["Set-Cookie"]


def test_sign_in_rate_limit_holds_across_web_workers(site):
    """Two gunicorn workers, a fresh connection per try: the count lives in the data dir, not a process."""
    inside_one_sign_in_window()
    page = requests.get(f"{site.url}/admin/sign-in", timeout=10)
    cookies, token = page.cookies, csrf_of(page.text)
    statuses = []
    for _ in range(8):
        answer = requests.post(f"{site.url}/admin/sign-in", data={"csrf_token": token, "token": "not-the-token"},
                               cookies=cookies, headers={"X-Forwarded-For": "203.0.113.9", "Connection": "close"},
                               allow_redirects=False, timeout=10)
        statuses.append(answer.status_code)
    assert statuses == [401] * 5 + [429] * 3


def test_try_it_shows_the_highlighted_cues_and_the_note(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    sign_in(browser, site.url)
    browser.find_element(By.ID, "text").send_keys(
        "Love the app! I tried to export my data but can't seem to find where. Third time asking.")
    Select(browser.find_element(By.ID, "channel")).select_by_value("social")
    browser.find_element(By.CSS_SELECTOR, ".try-form button[type=submit]").click()
    marks = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#highlighted mark.cue"), 30)
    assert browser.current_url.endswith("/admin/try")            # the message went in the POST body only
    texts = [m.text for m in marks]
    assert any(t.startswith("I tried to") for t in texts) and any(t.startswith("can't seem to") for t in texts)
    assert "struggle" in browser.find_element(By.CSS_SELECTOR, "mark.cat-struggle").text.lower()
    tags = browser.find_element(By.ID, "tags").text
    assert "empathy_apology" in tags and "empathy_respond_60m" in tags
    assert "within the next hour" in browser.find_element(By.ID, "note").text
    assert "en.v" in browser.find_element(By.CSS_SELECTOR, ".decision").text
    screenshot(browser, "admin-try-it")
    browser.set_window_size(390, 844)                            # a phone
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(browser, "admin-try-it-phone")


def test_keyboard_reaches_the_skip_link_and_the_form(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, site.url)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Skip to content" and active.is_displayed()
    active.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    labels = {el.get_attribute("for") for el in browser.find_elements(By.CSS_SELECTOR, "label")}
    assert {"text", "subject", "channel"} <= labels
    outline = browser.execute_script(
        "const b = document.querySelector('.try-form button'); b.focus(); return getComputedStyle(b).outlineStyle;")
    assert outline == "solid"


def test_recent_decisions_and_replay_of_a_dead_letter(site, browser):
    from selenium.webdriver.common.by import By

    site.standin.add_ticket(APPLIED_TICKET, tags=["vip"])
    post_webhook(site, APPLIED_TICKET, COMPLAINT)
    post_webhook(site, DEAD_TICKET, COMPLAINT)         # 404 from the helpdesk: a dead letter
    sign_in(browser, site.url)

    def row_status(ticket_id):
        browser.get(f"{site.url}/admin/decisions")
        for row in browser.find_elements(By.CSS_SELECTOR, "#decisions tbody tr"):
            if f"#{ticket_id}" in row.text:
                return row.find_element(By.CSS_SELECTOR, ".status").text
        return None

    assert wait_for(lambda: row_status(DEAD_TICKET) == "dead letter", 60)
    assert wait_for(lambda: row_status(APPLIED_TICKET) == "applied", 30)
    link = browser.find_element(By.LINK_TEXT, f"#{APPLIED_TICKET}").get_attribute("href")
    assert link == f"https://acme.zendesk.com/agent/tickets/{APPLIED_TICKET}"
    screenshot(browser, "admin-decisions")

    site.standin.add_ticket(DEAD_TICKET, tags=["vip"])          # the cause fixed: the ticket is there now
    browser.find_element(By.CSS_SELECTOR, f"button[aria-label$='(ticket {DEAD_TICKET})']").click()
    status = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "p.done[role=status]"), 10)
    assert "is on the queue again" in status[0].text
    assert wait_for(lambda: site.standin.notes(DEAD_TICKET), 60)   # the worker posted the note after all
    assert wait_for(lambda: row_status(DEAD_TICKET) == "applied", 30)
    screenshot(browser, "admin-decisions-replayed")


def test_a_post_without_csrf_is_refused_by_the_real_server(site):
    http = signed_in(site.url, **{"X-Forwarded-For": "192.0.2.60"})
    answer = http.post(f"{site.url}/admin/try", data={"text": COMPLAINT, "channel": "email"}, timeout=10)
    assert answer.status_code == 400 and "could not be accepted" in answer.text
    logs = site.log_text()
    for secret in ("update my card", "export my data", "card update kept failing", TOKEN):
        assert secret not in logs, secret                        # no customer, agent or token text
    assert '"admin signed in"' in logs and "admin sign-in refused: too many attempts" in logs


GOOD_REPLY = ("Hi Dana, I'm so sorry the card update kept failing after three tries, that is frustrating. "
              "I have reset the payment form on your account; you can retry now or I can take the payment by "
              "phone, whichever suits you. I will check back with you by 5pm today. Take care.")


def cue_cell(browser, base: str, cue_id: str) -> str:
    from selenium.webdriver.common.by import By

    browser.get(f"{base}/admin/cues")
    rows = browser.find_elements(By.ID, "cue-" + cue_id.replace(".", "-"))
    return rows[0].find_element(By.CSS_SELECTOR, "td.helpful").text if rows else ""


def test_feedback_marked_on_a_ticket_changes_the_helpful_rate_and_the_qa_charts(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    first, second = 7310, 7311
    for ticket in (first, second):
        site.standin.add_ticket(ticket, tags=["vip"])
        post_webhook(site, ticket, COMPLAINT)
    assert wait_for(lambda: site.standin.notes(first) and site.standin.notes(second), 60)
    sign_in(browser, site.url)
    before = cue_cell(browser, site.url, "struggle.tried")
    # The agent answers and presses the "helpful" macro (its tag arrives with the update)...
    post_webhook(site, first, "", agent_reply(first, GOOD_REPLY, tags="vip empathy_feedback_helpful", minute=1))
    assert wait_for(lambda: cue_cell(browser, site.url, "struggle.tried") != before, 60)
    helped = cue_cell(browser, site.url, "struggle.tried")
    # ... and on the second ticket the "not helpful" one: the rate falls.
    post_webhook(site, second, "", agent_reply(second, "We have received your request.",
                                               tags="vip empathy_feedback_unhelpful", minute=2, agent="513"))
    assert wait_for(lambda: cue_cell(browser, site.url, "struggle.tried") not in (before, helped), 60)
    after = cue_cell(browser, site.url, "struggle.tried")
    assert helped.startswith("100%") and after.startswith("50%") and "of 2" in after, (before, helped, after)
    screenshot(browser, "admin-cues")

    browser.get(f"{site.url}/admin/qa")
    charts = browser.find_elements(By.CSS_SELECTOR, "#qa-charts svg")
    labels = [c.get_attribute("aria-label") for c in charts]
    assert labels == ["Criteria met (team)", "Weekly average score (team)", "Average score per agent"]
    team = browser.find_element(By.CSS_SELECTOR, "#qa-table tr.total").text
    assert team.split()[:2] == ["team", "2"]                      # both agent replies were scored
    screenshot(browser, "admin-qa")
    Select(browser.find_element(By.ID, "agent")).select_by_value("512")
    browser.find_element(By.CSS_SELECTOR, ".filters button").click()
    assert wait_for(on_page(lambda: "Agent 512" in browser.find_element(By.ID, "charts-heading").text), 10)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#qa-charts svg")) == 2      # one agent: no per-agent bars
    browser.set_window_size(390, 844)                            # a phone: tables scroll inside their box
    for path, name in (("/admin/qa", "admin-qa-phone"), ("/admin/cues", "admin-cues-phone"),
                       ("/admin/decisions", "admin-decisions-phone")):
        browser.get(site.url + path)
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), path
        screenshot(browser, name)
