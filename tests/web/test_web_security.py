"""The web app probed as an attacker would, on a real uvicorn server over loopback: form posts
from other sites, cookies used against the API, foreign Host headers, framing, and what every
response carries."""

from __future__ import annotations

import re
import shutil
import time

import httpx
import pytest
from _paths import CHROMIUM, CHROMIUM_ARGS, ROOT
from test_web_support import (
    HARBOUR_WIRE,
    AppServer,
    csrf_token,
    post_submit,
    same_origin,
    shared_pipeline,
    sign_in,
)

from unspin.config import Config, WebConfig
from unspin.live.ingest import Ingestor
from unspin.read.text import read_text
from unspin.store.db import Store
from unspin.web.app import create_app
from unspin.web.security import allowed_hosts
from unspin.web.sessions import Sessions

TOKEN = "s3cret-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
EVIL = {"Origin": "http://evil.example"}
TEXT = {"mode": "text", "title": "Harbour talks", "text": HARBOUR_WIRE.split("\n\n", 1)[1]}


def _app(tmp_path, name: str, **web):
    config = Config(db=str(tmp_path / f"{name}.sqlite"), seed_examples=False, web=WebConfig(**web))
    store = Store(config.db)
    ingestor = Ingestor(store, pipeline=shared_pipeline())
    return create_app(config, store=store, ingestor=ingestor), ingestor


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    """A server with an API token: the form needs a signed-in session."""
    app, ingestor = _app(tmp_path_factory.mktemp("locked"), "locked", api_token=TOKEN, server_names=["news.example"])
    ingestor.ingest(read_text(HARBOUR_WIRE, "test:wire", outlet="Nordwire"))
    with AppServer(app) as server:
        yield server


@pytest.fixture(scope="module")
def open_site(tmp_path_factory):
    """A server with no token: anyone who reaches it may use the form, but only from its pages."""
    app, _ = _app(tmp_path_factory.mktemp("open"), "open")
    with AppServer(app) as server:
        yield server


def _client(server, **kwargs) -> httpx.Client:
    return httpx.Client(base_url=server.base, timeout=30, follow_redirects=False, **kwargs)


# -- 1. writes: the form needs a session and its CSRF token; the API needs the bearer token ----

def test_anonymous_form_post_stores_nothing_when_a_token_is_configured(locked):
    with _client(locked) as client:
        page = client.get("/submit").text
        assert "Recent analyses" not in page and 'href="/login"' in page and "<textarea" not in page
        # no session at all (a cross-site post, or a script without the page)
        assert client.post("/submit", data=TEXT, headers=same_origin(client)).status_code == 403
        # a session, but not signed in
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is None  # the form is not even offered
        client.get("/login")
        response = client.post("/submit", data={**TEXT, "csrf": "forged"}, headers=same_origin(client))
        assert response.status_code == 403
    with _client(locked) as client:
        assert client.get("/api/v1/health").json()["counts"]["articles"] == 1  # nothing was stored


def test_signed_in_form_post_needs_same_origin_and_the_csrf_token(locked):
    with _client(locked) as client:
        sign_in(client, TOKEN)
        assert "Recent analyses" in client.get("/submit").text or "<textarea" in client.get("/submit").text
        csrf = csrf_token(client)
        assert client.post("/submit", data={**TEXT, "csrf": csrf}, headers=EVIL).status_code == 403
        assert client.post("/submit", data={**TEXT, "csrf": csrf}).status_code == 403  # no Origin, no Referer
        assert client.post("/submit", data=TEXT, headers=same_origin(client)).status_code == 403  # no CSRF token
        assert client.post("/submit", data={**TEXT, "csrf": csrf + "x"}, headers=same_origin(client)).status_code == 403
        referer = {"Referer": f"{locked.base}/submit"}  # a browser that sends no Origin
        assert client.post("/submit", data={**TEXT, "csrf": csrf}, headers=referer).status_code == 303
        assert post_submit(client, TEXT).status_code == 303
        assert "Recent analyses" in client.get("/submit").text


def test_a_forged_or_stale_session_cookie_is_refused(locked):
    with _client(locked) as client:
        sign_in(client, TOKEN)
        cookie = client.cookies.get("unspin_session")
        nonce, flag, signature = cookie.split(".")
        assert flag == "1" and TOKEN not in cookie  # the token itself never goes into a cookie
    with _client(locked) as forged:
        _, anonymous = Sessions(TOKEN).new(signed_in=False)
        a_nonce, _, a_sig = anonymous.split(".")
        forged.cookies.set("unspin_session", f"{a_nonce}.1.{a_sig}")  # flip the flag, keep the signature
        assert "<textarea" not in forged.get("/submit").text
    # another key (a changed token) signs every browser out
    assert Sessions("another-token").read(cookie) is None and Sessions(TOKEN).read(cookie).signed_in


def test_sign_in_and_out_only_from_this_site(locked):
    with _client(locked) as client:
        assert client.post("/login", data={"token": TOKEN}, headers=EVIL).status_code == 403
        assert "unspin_session" not in client.cookies
        sign_in(client, TOKEN)
        assert client.post("/logout", headers=EVIL).status_code == 403
        assert client.post("/logout", headers=same_origin(client)).status_code == 303
        client.cookies.clear()  # the response deleted it
        assert "<textarea" not in client.get("/submit").text


def test_api_writes_take_the_bearer_token_not_the_cookie(locked):
    with _client(locked) as client:
        sign_in(client, TOKEN)
        assert client.post("/api/v1/articles", json={"text": HARBOUR_WIRE}).status_code == 401
        files = {"file": ("wire.txt", HARBOUR_WIRE.encode(), "text/plain")}
        assert client.post("/api/v1/articles/file", files=files).status_code == 401
        assert client.post("/api/v1/articles/file", files=files, headers=BEARER).status_code == 202


def test_an_open_server_still_refuses_cross_site_form_posts(open_site):
    with _client(open_site) as client:
        assert client.post("/submit", data=TEXT, headers=EVIL).status_code == 403
        csrf = csrf_token(client)  # the first visit gives the browser a session
        assert client.post("/submit", data={**TEXT, "csrf": csrf}, headers=EVIL).status_code == 403
        assert post_submit(client, TEXT).status_code == 303
    with _client(open_site) as other:  # another browser's CSRF token does not fit this session
        other.get("/submit")
        assert other.post("/submit", data={**TEXT, "csrf": csrf}, headers=same_origin(other)).status_code == 403


# -- 2. headers on every response; Host names on an allow-list ----------------------------------

@pytest.mark.parametrize("path", ["/", "/submit", "/login", "/outlets", "/api/v1/stories", "/api/v1/health",
                                  "/api/v1/openapi.json", "/static/app.js", "/stories/nope", "/api/v1/jobs/nope"])
def test_every_response_carries_the_security_headers(locked, path):
    with _client(locked) as client:
        response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


def test_foreign_host_headers_are_refused(locked):
    with _client(locked) as client:
        port = locked.port
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io", "[::2]"):
            response = client.get("/api/v1/stories", headers={"Host": host})
            assert response.status_code == 400, host
            assert response.headers["x-frame-options"] == "DENY"  # refusals carry the headers too
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "news.example", f"[::1]:{port}"):
            assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200, host


def test_allowed_hosts_from_the_listen_address_and_config():
    assert allowed_hosts("10.0.0.5", []) == ["localhost", "127.0.0.1", "[::1]", "10.0.0.5"]
    assert allowed_hosts("0.0.0.0", ["News.Example", "*.example.org"]) == [
        "localhost", "127.0.0.1", "[::1]", "news.example", "*.example.org"]
    assert allowed_hosts("::", ["fd00::1"])[-1] == "[fd00::1]"




@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists() or shutil.which("chromium") is None, reason="no /usr/bin/chromium")
def test_pages_work_in_a_browser_under_the_policy_and_cannot_be_framed(locked, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{locked.base}/")
        story = page.locator("a[href^='/stories/']").first.get_attribute("href")
        page.goto(f"{locked.base}{story}")
        page.wait_for_load_state("load")
        assert page.locator(".side-by-side").count() == 1
        # The column count reaches the grid through an attribute, not a (blocked) inline style.
        columns = page.evaluate("getComputedStyle(document.querySelector('.side-by-side')).gridTemplateColumns")
        articles = page.locator(".side-by-side > article").count()
        assert len(columns.split()) == min(articles, 4) >= 1  # a column per article
        page.goto(f"{locked.base}/outlets/Nordwire")  # charts: SVG with presentation attributes
        assert page.locator("svg").count() >= 1
        page.goto(f"{locked.base}/api/v1/docs")
        assert page.locator("section.api-op").count() >= 8
        # Sign in and submit through the real form.
        page.goto(f"{locked.base}/login")
        page.fill("input[name=token]", TOKEN)
        page.click("button[type=submit]")
        page.goto(f"{locked.base}/submit")
        page.fill("textarea[name=text]", TEXT["text"])
        page.click("form.submit button[type=submit]")
        page.wait_for_url(re.compile(r".*/jobs/.*"))
        # When the job is done the page becomes the summary of what was found (script + reload).
        summary = page.wait_for_selector("#job-summary", timeout=90_000)
        assert "techniques" in summary.inner_text() and "story" in summary.inner_text()
        page.screenshot(path=str(ROOT / "artifacts" / "job-summary.png"))
        assert violations == [], violations[:3]  # every page works under the policy
        # A page of another origin cannot frame the app.
        frame_host = tmp_path / "frame.html"
        frame_host.write_text(f'<iframe id="f" src="{locked.base}/"></iframe>', encoding="utf-8")
        page.goto(frame_host.as_uri())
        page.wait_for_timeout(500)
        framed = page.frame_locator("#f").locator("nav.top")
        assert framed.count() == 0
        assert len(violations) == 1 and "frame-ancestors" in violations[0]
        browser.close()


# -- 3. the API reference is drawn here, from the schema; nothing comes from outside ------------

def test_api_docs_are_served_from_the_app_itself(locked):
    with _client(locked) as client:
        response = client.get("/api/v1/docs")
        schema = client.get("/api/v1/openapi.json").json()
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    # every operation and model of the schema is on the page, with its parameters
    for path, item in schema["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in page, (method, path)
    assert 'id="model-Finding"' in page and "<code>since</code>" in page and "needs the API token" in page
    # nothing the page loads names another host: no script or style but the app's own
    loaded = re.findall(r'(?:src|href)="([^"#]*)"', page)
    assert loaded and all(url.startswith("/") for url in loaded), [u for u in loaded if not u.startswith("/")]
    assert "cdn" not in page.lower() and "<script>" not in page


# -- 8. an error never echoes a client's input at length -----------------------------------------

def test_errors_echo_at_most_a_few_hundred_characters_of_input(locked):
    huge_title = "T" * 1_500_000
    huge_id = "x" * 60_000  # httpx sends URLs up to 64 kB
    with httpx.Client(base_url=locked.base, timeout=60) as client:
        # the body limit (2 MB here) lets the title through to validation, which refuses it
        invalid = client.post("/api/v1/articles", json={"text": "Some words.", "title": huge_title}, headers=BEARER)
        assert invalid.status_code == 422 and len(invalid.content) < 2_000
        assert "1000" in invalid.text  # still says what is wrong
        for path in (f"/api/v1/jobs/{huge_id}", f"/api/v1/articles/{huge_id}", f"/api/v1/stories/{huge_id}",
                     f"/stories/{huge_id}", f"/jobs/{huge_id}", f"/outlets/{huge_id}"):
            response = client.get(path)
            assert response.status_code == 404 and len(response.content) < 5_000, path
            assert "60,000 characters" in response.text, path
        bad_date = client.get("/", params={"since": "9" * 50_000})
        assert bad_date.status_code == 400 and len(bad_date.content) < 5_000
        bad_limit = client.get("/api/v1/stories", params={"limit": "9" * 50_000})
        assert bad_limit.status_code == 422 and len(bad_limit.content) < 2_000


def test_an_origin_that_is_not_a_url_is_refused_not_a_crash(open_site):
    with _client(open_site) as client:
        csrf = csrf_token(client)
        response = client.post("/submit", data={**TEXT, "csrf": csrf}, headers={"Origin": "http://["})
        assert response.status_code == 403


# -- 11. under load: a busy story is compared once per version, not once per reader ------------

def test_concurrent_readers_share_one_computation():
    import threading

    from unspin.web.services import LruCache

    cache = LruCache(4)
    calls = []
    gate = threading.Event()

    def slow():
        calls.append(1)
        gate.wait(2)
        return "page"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute(("story", 1), slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join()
    assert results == ["page"] * 8 and len(calls) == 1
    assert cache._computing == {}  # no lock left behind
    with pytest.raises(ValueError):  # a failure reaches every caller and caches nothing
        cache.get_or_compute(("story", 2), lambda: (_ for _ in ()).throw(ValueError("boom")))
    assert cache.get(("story", 2)) is None and cache._computing == {}
