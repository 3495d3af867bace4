"""The server-rendered pages over a real store: story list with filters, story side-by-side
view, article highlights with explanations, outlet charts, the submit form and job progress."""

from __future__ import annotations

import re

import httpx
import pytest
from test_web_support import (
    HARBOUR_TABLOID,
    HARBOUR_WIRE,
    ORCHARD_WIRE,
    AppServer,
    post_submit,
    same_origin,
    shared_pipeline,
    sign_in,
    wait_for_job,
)

from unspin.config import Config, WebConfig
from unspin.live.ingest import Ingestor
from unspin.read.text import read_text
from unspin.store.db import Store
from unspin.web.app import create_app

HOSTILE = """Council row over harbour fees <script>alert(1)</script>

The council of Vellmar voted on harbour fees on Thursday. <img src=x onerror=alert(2)> Members argued
for hours about the plan, which would raise fees for ferry operators by a tenth from next spring.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pages")
    config = Config(db=str(tmp / "pages.sqlite"), seed_examples=False, web=WebConfig(api_token="t"))
    store = Store(config.db)
    ingestor = Ingestor(store, pipeline=shared_pipeline())
    ids = {}
    for name, text, outlet in (("wire", HARBOUR_WIRE, "Nordwire"), ("tabloid", HARBOUR_TABLOID, "Daily Clarion"),
                               ("frost", ORCHARD_WIRE, "Nordwire"), ("hostile", HOSTILE, "AP/Gazette")):
        ids[name] = ingestor.ingest(read_text(text, f"test:{name}", outlet=outlet))
    with AppServer(create_app(config, store=store, ingestor=ingestor)) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
        yield client, ids


def test_story_list_and_filters(site):
    client, ids = site
    page = client.get("/").text
    assert page.count('class="story-item"') == 3
    assert f'/stories/{ids["wire"].story_id}' in page and "Daily Clarion" in page
    by_outlet = client.get("/", params={"outlet": "Daily Clarion"}).text
    assert by_outlet.count('class="story-item"') == 1 and ids["wire"].story_id in by_outlet
    by_text = client.get("/", params={"q": "orchards"}).text
    assert by_text.count('class="story-item"') == 1 and ids["frost"].story_id in by_text
    assert "No story matches" in client.get("/", params={"q": "zeppelin"}).text
    assert client.get("/", params={"since": "not-a-date"}).status_code == 400
    assert client.get("/", params={"since": "2999-01-01"}).text.count('class="story-item"') == 0


def test_undated_stories_and_articles_say_so(site):
    """The fixture's articles carry no dates: stories read "undated" (never the day they were
    read) and the outlet's charts count them under "undated", not under this month."""
    from datetime import UTC, datetime

    client, _ = site
    page = client.get("/").text
    assert page.count("undated") >= 3 and "published" not in page
    outlet = client.get("/outlets/Nordwire").text
    assert "undated" in outlet and datetime.now(UTC).strftime("%Y-%m") not in outlet


def test_a_story_is_dated_by_publication_only(tmp_path):
    """An undated article joining a dated story leaves its span alone; it moves `updated`."""
    from datetime import UTC, datetime

    store = Store(str(tmp_path / "dated.sqlite"))
    ingestor = Ingestor(store, pipeline=shared_pipeline())
    dated = read_text(HARBOUR_WIRE, "test:dated", outlet="Nordwire")
    dated.published = datetime(2025, 3, 12, 8, 0, tzinfo=UTC)
    first = ingestor.ingest(dated)
    second = ingestor.ingest(read_text(HARBOUR_TABLOID, "test:undated", outlet="Daily Clarion"))
    assert first.story_id == second.story_id
    story = store.get_story(first.story_id)
    assert story.first_seen.replace(tzinfo=UTC) == story.last_seen.replace(tzinfo=UTC) == dated.published
    assert story.updated.date() == datetime.now(UTC).date()
    store.close()


def test_story_page_is_the_side_by_side_view(site):
    client, ids = site
    page = client.get(f"/stories/{ids['wire'].story_id}").text
    assert page.count('class="outlet"') == 2  # one column per article (the report's partial)
    assert "Nordwire" in page and "Daily Clarion" in page
    assert "Quote fidelity" in page and "Only here" in page


def test_article_page_highlights_with_explanations(site):
    client, ids = site
    page = client.get(f"/articles/{ids['tabloid'].article_id}").text
    assert re.search(r'<mark class="hl[^"]*"', page)  # spans drawn in the text
    assert 'id="findings"' in page and "rule:" in page  # each finding listed with its source
    assert f'/stories/{ids["tabloid"].story_id}' in page


def test_article_text_is_escaped(site):
    client, ids = site
    page = client.get(f"/articles/{ids['hostile'].article_id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_outlet_page_has_charts(site):
    client, _ = site
    page = client.get("/outlets/Nordwire").text
    assert page.count("<svg") >= 3 and "2 articles" in page
    assert client.get("/outlets/Nobody").status_code == 404
    assert "Daily Clarion" in client.get("/outlets").text


def test_an_outlet_with_a_slash_has_a_working_page(site):
    """ "AP/Gazette" is linked as /outlets/AP/Gazette (the slash kept by urlencode) and that
    page is the outlet's, not a 404."""
    client, _ = site
    assert 'href="/outlets/AP/Gazette"' in client.get("/outlets").text
    page = client.get("/outlets/AP/Gazette")
    assert page.status_code == 200 and "<h1>AP/Gazette</h1>" in page.text
    assert client.get("/outlets/AP%2FGazette").status_code == 200


def test_submit_form_runs_a_job_with_progress(site):
    client, _ = site
    sign_in(client, "t")  # a token is configured: the form needs a signed-in session
    response = post_submit(client, {"mode": "text", "title": "Harbour talks resume",
                                    "text": HARBOUR_WIRE.split("\n\n", 1)[1], "outlet": "Form Outlet"},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    job_id = response.headers["location"].rsplit("/", 1)[1]
    assert '<progress id="job-progress"' in client.get(f"/jobs/{job_id}").text
    done = wait_for_job(client, job_id)
    assert done["status"] == "done"
    page = client.get(f"/jobs/{job_id}").text
    assert f"/articles/{done['article_ids'][0]}" in page
    # A finished job's page says what was found, not just where to look.
    summary = page.split('id="job-summary"', 1)[1].split("</section>", 1)[0]
    assert "Form Outlet" in summary and "<dt>genre</dt>" in summary and "<dt>quotes</dt>" in summary
    assert f"/stories/{done['story_ids'][0]}" in summary and "article" in summary
    empty = post_submit(client, {"mode": "text", "text": ""})
    assert empty.status_code == 422 and "Paste the text of an article to analyse." in empty.text
    blocked = post_submit(client, {"mode": "url", "url": "http://10.0.0.1/x"})
    assert blocked.status_code == 422 and "private" in blocked.text


def test_static_files_are_local(site):
    client, _ = site
    page = client.get("/").text
    assert "http://" not in re.sub(r'href="http[^"]*"', "", page.split("<main")[0])  # no CDN in the head
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/report-static/report.css").status_code == 200


def _one_article(tmp_path, text: str, source: str, outlet: str | None = None):
    """A fresh database holding one ingested article: (config, store, ingestor, what ingest returned)."""
    config = Config(db=str(tmp_path / "one.sqlite"), seed_examples=False)
    store = Store(config.db)
    ingestor = Ingestor(store, pipeline=shared_pipeline())
    return config, store, ingestor, ingestor.ingest(read_text(text, source, outlet=outlet))


def test_untitled_article_is_named_by_its_opening_words(tmp_path):
    from unspin.web.queries import display_name

    text = ("VELLMAR, 4 May. The harbour council voted on Thursday to raise ferry fees by a tenth from next "
            "spring, officials said, after a debate that lasted most of the afternoon.\n")
    config, store, ingestor, done = _one_article(tmp_path, text, "/srv/feeds/untitled-report.txt")
    assert store.get_analysis(done.article_id).article.title is None
    with AppServer(create_app(config, store=store, ingestor=ingestor)) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
        listing = client.get("/").text
        assert f'">{done.article_id[:10]}</a>' not in listing  # not a bare hash
        assert "VELLMAR, 4 May. The harbour council voted on Thursday to raise ferry\u2026" in listing
        story = client.get(f"/stories/{done.story_id}").text
        assert "VELLMAR, 4 May. The harbour council" in story and "— untitled-report<" in story
        article = client.get(f"/articles/{done.article_id}").text
        assert '<div class="outlet-name">untitled-report</div>' in article
    assert display_name("", "  ", "abcdef0123456789") == "abcdef0123"
    assert display_name("Headline", "Body", "x") == "Headline"


def test_story_page_cache_follows_the_story(tmp_path):
    """A story page is served from the page cache until the story changes: an article joining it
    (or a new analysis of a member) shows once the story has been compared again."""
    config = Config(db=str(tmp_path / "cache.sqlite"), seed_examples=False)
    store = Store(config.db)
    ingestor = Ingestor(store, pipeline=shared_pipeline())
    wire = ingestor.ingest(read_text(HARBOUR_WIRE, "test:wire", outlet="Nordwire"))
    app = create_app(config, store=store, ingestor=ingestor)
    with AppServer(app) as server, httpx.Client(base_url=server.base, timeout=30) as client:
        first = client.get(f"/stories/{wire.story_id}").text
        assert "Nordwire" in first and "Daily Clarion" not in first
        assert client.get(f"/stories/{wire.story_id}").text == first
        assert len(app.state.services.pages._items) == 1  # the second request was a cache hit
        tabloid = ingestor.ingest(read_text(HARBOUR_TABLOID, "test:tabloid", outlet="Daily Clarion"))
        assert tabloid.story_id == wire.story_id
        # While the story is compared again in the background, a reader gets the page it had,
        # marked stale; once done, the new article shows.
        during = client.get(f"/stories/{wire.story_id}")
        assert during.headers.get("x-unspin-stale") or "Daily Clarion" in during.text
        assert app.state.services.warmer.wait_idle(60)
        second = client.get(f"/stories/{wire.story_id}").text
        assert "Daily Clarion" in second and second.count('class="outlet"') == 2
        assert client.get("/stories/story:nope").status_code == 404


def test_article_page_checks_the_headline_against_its_own_body(tmp_path):
    text = ("Warmongering council doubles harbour fees\n\nThe harbour council of Vellmar voted on Thursday to raise "
            "ferry fees by a tenth from next spring, officials said.\n")
    config, store, ingestor, done = _one_article(tmp_path, text, "test:headline", outlet="Gazette")
    with AppServer(create_app(config, store=store, ingestor=ingestor)) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
        page = client.get(f"/articles/{done.article_id}").text
    flag = re.search(r'<div class="flag headline-flag">(.*?)</div>', page, re.DOTALL)
    assert flag and "judging words (&#39;Warmongering&#39;)" in flag.group(1)


def test_submit_errors_read_as_sentences_and_keep_what_was_typed(site):
    """An empty submit says what to do (not pydantic's text and link) and keeps the title and
    outlet typed; an over-long paste gets a readable 413 page; the API keeps its JSON 413."""
    client, _ = site
    sign_in(client, "t")
    empty = post_submit(client, {"mode": "text", "title": "My half-typed title", "text": "", "outlet": "Kept Outlet"})
    assert empty.status_code == 422
    page = empty.text
    assert "Paste the text of an article to analyse." in page and "pydantic" not in page
    assert 'value="My half-typed title"' in page and 'value="Kept Outlet"' in page
    no_url = post_submit(client, {"mode": "url", "url": "", "outlet": ""})
    assert no_url.status_code == 422 and "Enter the address of a web page" in no_url.text
    assert re.search(r'value="url" checked', no_url.text)

    huge = "word " * 500_000  # 2.5 MB, over the 2 MB default limit
    big = client.post("/submit", data={"mode": "text", "text": huge, "csrf": "x"},
                      headers={**same_origin(client), "Accept": "text/html,application/xhtml+xml"})
    assert big.status_code == 413 and big.headers["content-type"].startswith("text/html")
    assert "Too large to analyse" in big.text and "2,000,000 bytes" in big.text and "{" not in big.text
    assert "content-security-policy" in big.headers  # still behind the security headers
    api = client.post("/api/v1/articles", json={"text": huge}, headers={"Authorization": "Bearer t"})
    assert api.status_code == 413 and api.json()["detail"].startswith("request body is over the limit")


def test_outlet_charts_count_narratives_by_month_but_not_their_absence():
    """The narratives chart counts what an outlet's articles tell; "none" (neither topic of the
    taxonomy) is a finding too, but it is not charted."""
    from unspin.web.charts import outlet_charts
    from unspin.web.queries import OutletStats

    stats = OutletStats(outlet="Wire", articles=[], periods=["2025-01", "2025-02"],
                        totals={"narrative": [("none", 5), ("URW: Discrediting Ukraine", 2)]},
                        over_time={"narrative": {"none": {"2025-01": 5},
                                                 "URW: Discrediting Ukraine": {"2025-01": 1, "2025-02": 1}}})
    svg = outlet_charts(stats)["narrative"]
    assert "Narratives by month" in svg and "URW: Discrediting Ukraine" in svg and ">none<" not in svg


def test_outlet_page_charts_roles_per_entity_and_titles_every_kind(tmp_path):
    """A role means nothing without whom it is given to: the outlet page counts "Russia:
    antagonist", never a bare "Antagonist", leaves out roles under their display level, and
    every charted kind has its own heading in the totals (narratives and roles too)."""
    from _articles import make_article

    from unspin.types import Analysis, Finding

    store = Store(tmp_path / "roles.sqlite")
    for n, (entity, role, hidden) in enumerate([("Russia", "Antagonist", False), ("Russia", "Antagonist", False),
                                                ("Ukraine", "Innocent", False), ("NATO", "Protagonist", True)]):
        article = make_article(f"Report {n}\n\nOfficials in the capital said on day {n} that talks would go on.")
        article.outlet = "Eastwire"
        attrs = {"entity": entity, "fine": [], **({"below_display": True} if hidden else {})}
        store.save_analysis(Analysis(article=article, findings=[
            Finding(kind="role", label=role, start=0, end=6, text=article.original[:6], confidence=0.7,
                    source="model:test", explanation="test", attrs=attrs),
            Finding(kind="narrative", label="URW: Blaming the war on others", confidence=0.8, source="model:test",
                    explanation="test")]))
    config = Config(db=str(tmp_path / "roles.sqlite"), seed_examples=False)
    with AppServer(create_app(config, store=store, start_worker=False, warm_on_start=0)) as server, \
            httpx.Client(base_url=server.base, timeout=30) as client:
        page = client.get("/outlets/Eastwire").text
    chart = page.split('class="chart-role"')[1].split("</figure>")[0]
    assert "Entity roles by month" in chart and "Russia: antagonist" in chart and "Ukraine: innocent" in chart
    assert "NATO" not in chart and ">Antagonist<" not in chart
    totals = page.split('class="totals-role"')[1].split("</section>")[0]
    assert "<h2>Entity roles</h2>" in totals and "Russia: antagonist" in totals and "×2" in totals
    assert "<h2>Narratives</h2>" in page.split('class="totals-narrative"')[1]
    store.close()
