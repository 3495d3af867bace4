"""Safe fetching against a real loopback server: address checks, redirects, limits, ETags."""

from __future__ import annotations

import gzip

import pytest
from test_web_support import LoopbackServer, Reply

from unspin.config import FetchConfig
from unspin.live.fetch import BlockedURL, FetchError, FetchPolicy, check_url, fetch

LOOPBACK_OK = FetchPolicy(allow_hosts=("127.0.0.1",), max_bytes=100_000, timeout=2.0, max_redirects=3)


@pytest.fixture(scope="module")
def server():
    with LoopbackServer() as srv:
        srv.routes["/ok"] = lambda h: Reply(200, b"<html>hello</html>", {"Content-Type": "text/html; charset=UTF-8"})
        srv.routes["/big"] = lambda h: Reply(200, b"x" * 200_000)
        srv.routes["/big-chunked"] = lambda h: Reply(200, b"x" * 200_000, chunked=True)
        bomb = gzip.compress(b"\0" * 5_000_000)
        srv.routes["/bomb"] = lambda h: Reply(200, bomb, {"Content-Encoding": "gzip"})
        srv.routes["/slow"] = lambda h: Reply(200, b"late", delay=3.0)
        srv.routes["/to-ok"] = lambda h: Reply(302, b"", {"Location": "/ok"})
        srv.routes["/to-metadata"] = lambda h: Reply(302, b"", {"Location": "http://169.254.169.254/latest/"})
        srv.routes["/to-file"] = lambda h: Reply(301, b"", {"Location": "file:///etc/passwd"})
        srv.routes["/loop"] = lambda h: Reply(302, b"", {"Location": "/loop"})
        srv.routes["/missing"] = lambda h: Reply(404, b"gone")

        def etag(handler):
            if handler.headers.get("If-None-Match") == '"v1"':
                return Reply(304, b"", {"ETag": '"v1"'})
            return Reply(200, b"feed", {"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

        srv.routes["/etag"] = etag
        yield srv


def test_loopback_refused_by_default(server):
    with pytest.raises(BlockedURL, match="loopback"):
        fetch(server.url("/ok"), FetchPolicy(timeout=2.0))
    assert not any(path == "/ok" for path, _ in server.hits)  # refused before any connection


def test_loopback_allowed_explicitly(server):
    result = fetch(server.url("/ok"), LOOPBACK_OK)
    assert result.status == 200
    assert result.content == b"<html>hello</html>"
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/x", "only http and https"),
        ("gopher://127.0.0.1/", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://user:pw@example.org/", "credentials"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        # IPv6 forms that carry an IPv4 address are judged by that address
        ("http://[::127.0.0.1]/", "loopback"),  # IPv4-compatible
        ("http://[::ffff:7f00:1]/", "loopback"),  # mapped, written in hex
        ("http://[64:ff9b::7f00:1]/", "loopback"),  # NAT64 well-known prefix
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 to the cloud metadata address
        ("http://[64:ff9b:1::808:808]/", "local-use NAT64"),  # NAT64 local-use prefix
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4
        ("http://[2002:c0a8:1::1]/", "private"),  # 6to4 of 192.168.0.1
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "loopback"),  # Teredo client 127.0.0.1
        ("http://[::10.0.0.1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://localhost/", "loopback"),
    ],
)
def test_refused_urls(url, reason):
    with pytest.raises(BlockedURL, match=reason):
        check_url(url, FetchPolicy())
    with pytest.raises(BlockedURL, match=reason):
        fetch(url, FetchPolicy(timeout=1.0))


def test_allow_hosts_by_network_and_name():
    FetchPolicy(allow_hosts=("10.0.0.0/8",)).check_address("intranet", "10.4.5.6")
    FetchPolicy(allow_hosts=("intranet",)).check_address("intranet", "10.4.5.6")
    with pytest.raises(BlockedURL):
        FetchPolicy(allow_hosts=("10.0.0.0/8",)).check_address("intranet", "192.168.1.1")
    FetchPolicy().check_address("example.org", "93.184.216.34")  # public: always fine
    # an IPv6 form of an allowed IPv4 network is allowed, and of a public address is public
    FetchPolicy(allow_hosts=("10.0.0.0/8",)).check_address("intranet", "::ffff:10.4.5.6")
    FetchPolicy().check_address("example.org", "64:ff9b::5db8:d822")
    FetchPolicy().check_address("example.org", "2002:5db8:d822::1")
    FetchPolicy().check_address("example.org", "2606:4700::1111")


def test_refusal_names_the_address_reached():
    with pytest.raises(BlockedURL, match=r"64:ff9b::7f00:1 \(which reaches 127\.0\.0\.1\), a loopback"):
        FetchPolicy().check_address("evil.example", "64:ff9b::7f00:1")


def test_redirect_followed_and_each_hop_checked(server):
    result = fetch(server.url("/to-ok"), LOOPBACK_OK)
    assert result.final_url == server.url("/ok") and result.redirects == [server.url("/to-ok")]
    with pytest.raises(BlockedURL, match="link-local"):
        fetch(server.url("/to-metadata"), LOOPBACK_OK)
    with pytest.raises(BlockedURL, match="only http and https"):
        fetch(server.url("/to-file"), LOOPBACK_OK)
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(server.url("/loop"), LOOPBACK_OK)


@pytest.mark.parametrize("path", ["/big", "/big-chunked", "/bomb"])
def test_size_limit(server, path):
    with pytest.raises(FetchError, match="over the limit"):
        fetch(server.url(path), LOOPBACK_OK)


def test_time_limit(server):
    policy = FetchPolicy(allow_hosts=("127.0.0.1",), timeout=0.5)
    with pytest.raises(FetchError, match="within 0.5 s"):
        fetch(server.url("/slow"), policy)


def test_http_error_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.url("/missing"), LOOPBACK_OK)


def test_conditional_get(server):
    first = fetch(server.url("/etag"), LOOPBACK_OK)
    assert first.etag == '"v1"' and first.last_modified and first.content == b"feed"
    second = fetch(server.url("/etag"), LOOPBACK_OK, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert server.hits[-1][1].get("if-modified-since") == first.last_modified


def test_policy_from_config():
    policy = FetchPolicy.from_config(FetchConfig(allow_hosts=["127.0.0.1"], max_bytes=10, timeout=3))
    assert policy.allow_hosts == ("127.0.0.1",) and policy.max_bytes == 10 and policy.timeout == 3
