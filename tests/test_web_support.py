"""Helpers shared by the web/live tests (no tests here): a loopback HTTP server in a thread
whose routes a test sets as plain functions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False  # send without Content-Length, in pieces
    delay: float = 0.0  # seconds to wait before answering
    stall_after: int | None = None  # bytes of the body sent before the server stalls ...
    stall: float = 0.0  # ... for this many seconds, mid-body


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up early (size/time limit tests) are expected


Route = Callable[[BaseHTTPRequestHandler], Reply]


class LoopbackServer:
    """``http.server`` on 127.0.0.1, a free port, in a daemon thread. ``routes[path] = fn``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server naming)
                path = self.path.split("?", 1)[0]
                server.hits.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(path)
                reply = route(self) if route else Reply(404, b"not found")
                if reply.delay:
                    threading.Event().wait(reply.delay)
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if reply.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(reply.body), 65536):
                        piece = reply.body[i : i + 65536]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                elif reply.stall_after is not None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body[: reply.stall_after])
                    self.wfile.flush()
                    threading.Event().wait(reply.stall)
                    try:
                        self.wfile.write(reply.body[reply.stall_after :])
                    except OSError:
                        pass  # the client gave up, as it should
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- invented articles (our own words) for the live tests ---------------------------------------
HARBOUR_WIRE = """Ferry strike halts traffic across Vellmar harbour

VELLMAR, March 3 - Ferry crews in the port city of Vellmar stopped work on Monday, halting all
passenger crossings to the Osterholm islands, the harbour authority said.

The Vellmar Seafarers Union said about 400 crew members joined the strike after talks on pay and
rest periods broke down late on Sunday.

"We will not sail until the rest rules are written into the contract," union chair Mira Kallenberg
told reporters at the terminal.

The harbour authority said freight services were running normally and that a mediator would meet
both sides on Wednesday. Around 9,000 passengers use the crossings on a normal weekday.
"""

HARBOUR_TABLOID = """CHAOS AT THE DOCKS: Greedy union bosses strand thousands

Furious commuters were left stranded on Monday as militant union bosses brought Vellmar harbour
to a standstill in a shameless power grab.

Union chief Mira Kallenberg boasted that crews "will not sail" until they get their way, leaving
families and workers trapped on the Osterholm islands.

According to the Vellmar Gazette, around 9,000 passengers rely on the ferries every weekday. One
stranded mother said the strike was a disgrace and that the union was holding the islands hostage.

The harbour authority said a mediator would meet both sides on Wednesday, but insiders fear the
chaos could drag on for weeks.
"""

ORCHARD_WIRE = """Frost damages apple orchards in the Dallen valley

DALLEN, April 12 - A late frost damaged apple blossoms across the Dallen valley overnight, growers
said on Tuesday, with early estimates putting losses at a third of the expected harvest.

Temperatures fell to minus four degrees Celsius before dawn, the regional weather office said.
Growers used wind machines and small fires to protect some orchards, but many blossoms froze.

"It is too early to give a final number, but this is the worst frost in twenty years," said Tomas
Reinholt, who heads the valley growers' cooperative. The regional council will discuss emergency
support for growers at its meeting next week.
"""


def article_page(title: str, body: str, site: str) -> bytes:
    """A small HTML page around ``body`` (paragraphs split on blank lines), as a news site serves it."""
    from html import escape

    paras = "".join(f"<p>{escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<meta property='og:site_name' content='{escape(site)}'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{paras}</article>"
        f"<footer>Copyright {escape(site)}</footer></body></html>"
    ).encode()


def split_title(text: str) -> tuple[str, str]:
    title, _, body = text.partition("\n\n")
    return title.strip(), body.strip()


def rss(items: list[dict], title: str = "Test feed") -> bytes:
    """An RSS 2.0 document; each item: id, title, link, summary, date (RFC 822)."""
    from html import escape

    parts = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(title)}</title>"
             "<link>http://127.0.0.1/</link><description>test</description>"]
    for it in items:
        parts.append(
            "<item>"
            f"<guid isPermaLink='false'>{escape(it['id'])}</guid><title>{escape(it['title'])}</title>"
            + (f"<link>{escape(it['link'])}</link>" if it.get("link") else "")
            + f"<description>{escape(it.get('summary', ''))}</description>"
            + (f"<pubDate>{it['date']}</pubDate>" if it.get("date") else "")
            + "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


_PIPELINE = None


def shared_pipeline():
    """The real default pipeline, loaded once per test session (spaCy is the slow part)."""
    global _PIPELINE
    if _PIPELINE is None:
        from unspin.analyse.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE


class AppServer:
    """A FastAPI app under a real uvicorn server on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> AppServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def wait_for_job(client, job_id: str, timeout: float = 60.0) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s: {job}")
        time.sleep(0.1)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, step: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; that value, or None on timeout."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:  # the server may not be up yet
            value = None
        if value:
            return value
        time.sleep(step)
    return None


class FeedSite:
    """A news site on loopback: a feed whose items can be added over time, and their pages.
    The feed answers 304 to a matching If-None-Match, like a well-behaved server."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.items: list[dict] = []
        self.version = 0
        server.routes["/feed.xml"] = self._feed

    def _feed(self, handler) -> Reply:
        etag = f'"v{self.version}"'
        if handler.headers.get("If-None-Match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, rss(list(reversed(self.items))), {"Content-Type": "application/rss+xml", "ETag": etag})

    def publish(self, slug: str, text: str, site: str, date: str, with_page: bool = True, link: str | None = None) -> None:
        title, body = split_title(text)
        page = article_page(title, body, site)
        if with_page:
            self.server.routes[f"/news/{slug}"] = lambda h: Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        self.items.append({"id": f"urn:test:{slug}", "title": title, "link": link or self.server.url(f"/news/{slug}"),
                           "summary": body, "date": date})
        self.version += 1

    @property
    def url(self) -> str:
        return self.server.url("/feed.xml")


def same_origin(client) -> dict[str, str]:
    """The Origin header a browser sends with a form posted from one of the app's own pages."""
    return {"Origin": str(client.base_url).rstrip("/")}


def sign_in(client, token: str) -> None:
    response = client.post("/login", data={"token": token}, headers=same_origin(client), follow_redirects=False)
    assert response.status_code == 303, response.text


def csrf_token(client) -> str:
    """The CSRF token of this client's session, as the submit page's form carries it."""
    import re

    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/submit").text)
    assert found, "the submit page has no form (is the client allowed to submit?)"
    return found.group(1)


def post_submit(client, data: dict, **kwargs):
    """Post the submit form as the page would: same origin, with the session's CSRF token."""
    return client.post("/submit", data={**data, "csrf": csrf_token(client)}, headers=same_origin(client), **kwargs)


def run_all(threads) -> float:
    """Start every thread, wait for them all; the seconds it took (the load benchmarks' clock)."""
    import time

    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started
