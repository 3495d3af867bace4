"""Fetch a URL from the open web without becoming a way into the private network.

Rules: only ``http``/``https``; every address a host resolves to must be public (not private,
loopback, link-local, multicast, reserved ...) unless the host or network is in
``FetchPolicy.allow_hosts``; the check runs when the socket connects, on the very address it
connects to (so DNS cannot change its answer between check and use), and again on every
redirect hop; the body is streamed and cut at ``max_bytes`` (after decompression); the whole
fetch must finish within ``timeout`` seconds.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from unspin.config import FetchConfig
from unspin.errors import UnspinError

_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(UnspinError):
    """A fetch failed; ``reason`` is one sentence a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BlockedURL(FetchError):
    """The URL's scheme or address is not allowed."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_hosts: tuple[str, ...] = ()  # host names, IPs or CIDRs allowed although not public
    max_bytes: int = 5_000_000
    timeout: float = 20.0
    max_redirects: int = 5
    user_agent: str = "unspin/0.1"

    @classmethod
    def from_config(cls, config: FetchConfig) -> FetchPolicy:
        return cls(
            allow_hosts=tuple(config.allow_hosts),
            max_bytes=config.max_bytes,
            timeout=config.timeout,
            max_redirects=config.max_redirects,
            user_agent=config.user_agent,
        )

    def _allowed_networks(self) -> list[_IPNetwork]:
        nets = []
        for entry in self.allow_hosts:
            try:
                nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue  # a host name, matched by name
        return nets

    def _allowed_names(self) -> set[str]:
        return {e.lower().rstrip(".") for e in self.allow_hosts}

    def check_address(self, host: str, address: str) -> None:
        """Raise ``BlockedURL`` unless ``address`` (one that ``host`` resolved to) may be fetched."""
        written = ipaddress.ip_address(address.split("%", 1)[0])
        ip = carried_ipv4(written)
        if ip.is_global and not ip.is_multicast and ip not in _LOCAL_NAT64:
            return
        if host.lower().rstrip(".") in self._allowed_names():
            return
        if any(ip in net or written in net for net in self._allowed_networks()):
            return
        raise BlockedURL(
            f"refused to fetch {host}: it resolves to {written}"
            + (f" (which reaches {ip})" if ip != written else "")
            + f", a {_address_kind(ip)} address "
            "(allow it with fetch.allow_hosts if this is intended)"
        )


# IPv6 prefixes whose last 32 bits are an IPv4 address that the host itself or a gateway
# reaches: IPv4-compatible (deprecated) and the well-known NAT64 prefix (RFC 6052).
_IPV4_IN_LOW_BITS = (ipaddress.IPv6Network("::/96"), ipaddress.IPv6Network("64:ff9b::/96"))
# RFC 8215's local-use NAT64 prefix translates into a site's own network: never public.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def carried_ipv4(ip: _IPAddress) -> _IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo client),
    else ``ip`` itself. Such an address reaches that IPv4 host, so it is judged as that host:
    ``[::ffff:127.0.0.1]``, ``[::127.0.0.1]``, ``[64:ff9b::7f00:1]`` and ``[2002:7f00:1::]`` are
    all loopback."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # (server, client): the client is the host packets reach
    if int(ip) > 1 and any(ip in net for net in _IPV4_IN_LOW_BITS):  # :: and ::1 are IPv6's own
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return ip


def _address_kind(ip: _IPAddress) -> str:
    if ip in _LOCAL_NAT64:
        return "local-use NAT64"
    for attr, name in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return name
    return "non-public"


def check_url_syntax(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of ``url``; raise ``BlockedURL`` for anything but http(s) with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BlockedURL(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"only http and https URLs are fetched, not {scheme or 'a relative URL'!r}: {url}")
    if not parts.hostname:
        raise BlockedURL(f"URL has no host: {url}")
    if parts.username or parts.password:
        raise BlockedURL(f"URLs with credentials are not fetched: {parts.hostname}")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


def check_url(url: str, policy: FetchPolicy) -> None:
    """Check a URL up front (e.g. when a user submits one): syntax, then every resolved address.
    ``fetch`` checks again when it connects."""
    _, host, port = check_url_syntax(url)
    for addr in resolve(host, port):
        policy.check_address(host, addr)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, checks every address, then connects to a checked address."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        for addr in addresses:  # all of them: a mix of public and private answers is refused
            self.policy.check_address(host, addr)
        last_error: Exception | None = None
        for addr in addresses:
            try:
                return super().connect_tcp(addr, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        raise last_error or FetchError(f"cannot connect to {host}")


def make_client(policy: FetchPolicy) -> httpx.Client:
    """An httpx client whose every connection goes through the address check."""
    transport = httpx.HTTPTransport(retries=0)
    # httpx takes no network backend argument; the pool it builds is swapped for one that uses ours.
    transport._pool = httpcore.ConnectionPool(network_backend=_GuardedBackend(policy), retries=0)
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,  # followed by hand so each hop is checked
        trust_env=False,  # no proxies from the environment: they would bypass the address check
        headers={"User-Agent": policy.user_agent},
    )


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content: bytes = b""
    content_type: str = ""  # media type only, lower case, e.g. "text/html"
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` under ``policy``. Conditional when ``etag``/``last_modified`` are given
    (a 304 comes back with ``not_modified``). Raises ``FetchError`` (or ``BlockedURL``) with a
    reason for refusals, network errors, HTTP errors (>= 400), oversize or slow responses."""
    own_client = client is None
    client = client or make_client(policy)
    deadline = time.monotonic() + policy.timeout
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    if accept:
        headers["Accept"] = accept
    current, hops = url, list[str]()
    try:
        while True:
            check_url_syntax(current)
            try:
                with client.stream("GET", current, headers=headers) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        if len(hops) >= policy.max_redirects:
                            raise FetchError(f"too many redirects (more than {policy.max_redirects}) from {url}")
                        hops.append(current)
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"{current} answered HTTP {response.status_code}")
                    body = b"" if response.status_code == 304 else _read_limited(response, policy, deadline)
                    media, charset = _content_type(response.headers.get("content-type", ""))
                    return FetchResult(
                        url=url,
                        final_url=current,
                        status=response.status_code,
                        content=body,
                        content_type=media,
                        charset=charset,
                        etag=response.headers.get("etag"),
                        last_modified=response.headers.get("last-modified"),
                        redirects=hops,
                    )
            except httpx.TimeoutException:
                raise FetchError(f"{current} did not answer within {policy.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"could not fetch {current}: {exc}") from None
    finally:
        if own_client:
            client.close()


def _read_limited(response: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"response is {int(declared)} bytes, over the limit of {policy.max_bytes}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():  # decoded bytes: a gzip bomb is cut at the limit too
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"response is over the limit of {policy.max_bytes} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"fetch took longer than {policy.timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return media.strip().lower(), charset
