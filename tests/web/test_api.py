"""The REST API on a real uvicorn server (loopback) over a real SQLite file: auth on writes,
a valid OpenAPI schema, clear 4xx errors for bad input, and a full submit -> job -> analysis
-> story -> comparison round trip through the background worker."""

from __future__ import annotations

import httpx
import jsonschema
import pytest
from test_web_support import HARBOUR_TABLOID, HARBOUR_WIRE, AppServer, shared_pipeline, sign_in, wait_for_job

from unspin.config import Config, FetchConfig, WebConfig
from unspin.live.ingest import Ingestor
from unspin.store.db import Store
from unspin.web.app import create_app

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _server(tmp_path, **web) -> AppServer:
    config = Config(db=str(tmp_path / "web.sqlite"), seed_examples=False,
                    web=WebConfig(**{"api_token": TOKEN, "max_body_bytes": 50_000, **web}),
                    fetch=FetchConfig(timeout=3))
    store = Store(config.db)
    return AppServer(create_app(config, store=store, ingestor=Ingestor(store, pipeline=shared_pipeline())))


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with _server(tmp_path_factory.mktemp("api")) as server, httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


def test_openapi_schema_is_valid(api):
    schema = api.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/stories",
                 "/api/v1/stories/{story_id}/comparison", "/api/v1/jobs/{job_id}"):
        assert path in schema["paths"], path
    assert "security" in schema["paths"]["/api/v1/articles"]["post"]
    for component in schema["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(component)  # each model is a valid JSON Schema
    # Responses are described by their models, e.g. the analysis carries findings with spans.
    analysis = schema["components"]["schemas"]["Analysis"]
    assert {"article", "findings", "sentences"} <= set(analysis["properties"])


@pytest.mark.parametrize("headers, status, words", [
    ({}, 401, "API token is required"),
    ({"Authorization": "Bearer wrong"}, 401, "not valid"),
    ({"Authorization": "Basic dXNlcjpwdw=="}, 401, "API token is required"),
])
def test_writes_need_the_token(api, headers, status, words):
    response = api.post("/api/v1/articles", json={"text": HARBOUR_WIRE}, headers=headers)
    assert response.status_code == status and words in response.json()["detail"]
    assert response.headers.get("www-authenticate") == "Bearer"


def test_writes_disabled_without_a_configured_token(tmp_path):
    with _server(tmp_path, api_token=None) as server:
        response = httpx.post(f"{server.base}/api/v1/articles", json={"text": HARBOUR_WIRE}, headers=AUTH)
    assert response.status_code == 403 and "no API token is configured" in response.json()["detail"]


def test_reads_can_require_the_token(tmp_path):
    with _server(tmp_path, read_requires_token=True) as server, httpx.Client(base_url=server.base) as client:
        assert client.get("/api/v1/stories").status_code == 401
        assert client.get("/").status_code == 401  # pages too
        assert client.get("/api/v1/stories", headers=AUTH).status_code == 200
        sign_in(client, TOKEN)
        assert client.get("/").status_code == 200  # the sign-in cookie opens the pages


def test_oversized_body_is_413(api):
    big = {"text": "word " * 20_000}
    response = api.post("/api/v1/articles", json=big, headers=AUTH)
    assert response.status_code == 413 and "over the limit" in response.json()["detail"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 10_000

    response = api.post("/api/v1/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_wrong_content_type_is_415(api):
    response = api.post("/api/v1/articles", content=HARBOUR_WIRE, headers={**AUTH, "Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/json" in response.json()["detail"]
    response = api.post("/api/v1/articles/file", json={"text": "x"}, headers=AUTH)
    assert response.status_code == 415 and "multipart/form-data" in response.json()["detail"]


@pytest.mark.parametrize("body, words", [
    ({"html": "<html><body><nav><a href='/'>Home</a> <a href='/login'>Log in</a></nav></body></html>"}, "no article"),
    ({"html": "<html><body><ul><li>Home</li><li>Sport</li><li>Weather</li><li>Contact us</li></ul>"
              "<p>Sign in to continue.</p></body></html>"}, "article"),
    ({"text": "   "}, "empty"),
    ({}, "exactly one"),
    ({"text": "a", "url": "https://example.org/"}, "exactly one"),
    ({"text": HARBOUR_WIRE, "colour": "red"}, "colour"),
    ({"url": "ftp://example.org/x"}, "only http and https"),
    ({"url": "http://127.0.0.1:9/x"}, "loopback"),
    ({"url": "http://169.254.169.254/latest/meta-data"}, "link-local"),
])
def test_bad_input_is_a_clear_422(api, body, words):
    response = api.post("/api/v1/articles", json=body, headers=AUTH)
    assert response.status_code == 422, response.text
    assert words in response.text


def test_malformed_json_is_422(api):
    response = api.post("/api/v1/articles", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/api/v1/articles/nope", "/api/v1/stories/nope", "/api/v1/stories/nope/comparison",
                                  "/api/v1/jobs/nope"])
def test_unknown_ids_are_404(api, path):
    response = api.get(path)
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_unknown_ids_on_pages_are_readable_404(api):
    response = api.get("/stories/nope")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "no story" in response.text


def test_submit_analyse_group_compare_round_trip(api):
    first = api.post("/api/v1/articles", json={"text": HARBOUR_WIRE, "outlet": "Nordwire"}, headers=AUTH)
    assert first.status_code == 202
    job = first.json()
    assert job["status"] in ("queued", "running", "done") and job["links"]["self"] == f"/api/v1/jobs/{job['id']}"
    done = wait_for_job(api, job["id"])
    assert done["status"] == "done" and done["progress"] == 1.0, done
    article_id, story_id = done["article_ids"][0], done["story_ids"][0]

    analysis = api.get(f"/api/v1/articles/{article_id}").json()
    original = analysis["article"]["original"]
    assert analysis["article"]["outlet"] == "Nordwire" and analysis["status"] == "analysed"
    spans = [f for f in analysis["findings"] if f["start"] is not None]
    assert spans and all(original[f["start"]:f["end"]] == f["text"] for f in spans)
    assert any(f["kind"] == "quote" and "rest rules" in f["text"] for f in spans)

    # A second outlet's take on the same event joins the story; the comparison covers both.
    tabloid = api.post("/api/v1/articles/file", files={"file": ("clarion.txt", HARBOUR_TABLOID.encode(), "text/plain")},
                       data={"outlet": "Daily Clarion"}, headers=AUTH)
    assert tabloid.status_code == 202
    done2 = wait_for_job(api, tabloid.json()["id"])
    assert done2["status"] == "done" and done2["story_ids"] == [story_id]

    story = api.get(f"/api/v1/stories/{story_id}").json()
    assert set(story["article_ids"] if "article_ids" in story else [m["article_id"] for m in story["members"]]) == {
        article_id, done2["article_ids"][0]}
    comparison = api.get(f"/api/v1/stories/{story_id}/comparison").json()
    assert comparison["story"]["id"] == story_id
    assert {f["article_id"] for f in comparison["findings"]} <= {article_id, done2["article_ids"][0]}

    listed = api.get("/api/v1/stories", params={"outlet": "Daily Clarion"}).json()
    assert [s["id"] for s in listed] == [story_id]
    assert api.get("/api/v1/stories", params={"q": "Vellmar"}).json()[0]["id"] == story_id
    assert api.get("/api/v1/stories", params={"q": "no such words anywhere"}).json() == []
    outlets = {o["name"] for o in api.get("/api/v1/outlets").json()}
    assert {"Nordwire", "Daily Clarion"} <= outlets


def test_a_failing_url_job_reports_why(tmp_path):
    # Loopback is allowed for this server, but nothing listens on port 9: the job fails with a reason.
    config = Config(db=str(tmp_path / "w.sqlite"), seed_examples=False, web=WebConfig(api_token=TOKEN),
                    fetch=FetchConfig(allow_hosts=["127.0.0.1"], timeout=2))
    store = Store(config.db)
    with AppServer(create_app(config, store=store, ingestor=Ingestor(store, pipeline=shared_pipeline()))) as server, \
            httpx.Client(base_url=server.base) as client:
        job = client.post("/api/v1/articles", json={"url": "http://127.0.0.1:9/story"}, headers=AUTH).json()
        done = wait_for_job(client, job["id"])
    assert done["status"] == "failed" and "could not fetch" in done["error"]
