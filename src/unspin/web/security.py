"""What every response of the web app carries, and which Host names it answers to.

- Headers: a Content-Security-Policy that lets a page load only the app's own scripts, styles
  and images (no inline script, no framing, forms post only to the app), plus ``nosniff``,
  ``X-Frame-Options: DENY`` and a same-origin referrer policy. Article text is escaped by the
  templates; the policy is the second line of defence if an escape is ever missed.
- Host: requests whose ``Host`` header is not an allowed name get 400 (Starlette's
  ``TrustedHostMiddleware``). A web page on an attacker's domain cannot rebind its name to
  127.0.0.1 and read the app, because the browser then sends the attacker's name as Host.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # same-origin, not no-referrer: browsers then send a real Origin on the app's own form posts,
    # which the CSRF check reads; other sites still learn nothing of the app's URLs.
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")


class SecurityHeadersMiddleware:
    """Add ``HEADERS`` to every HTTP response that does not already set them."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_name(address: str) -> str:
    """An address to listen on as it appears in a Host header: IPv6 literals in brackets."""
    try:
        if isinstance(ipaddress.ip_address(address.strip("[]")), ipaddress.IPv6Address):
            return f"[{address.strip('[]')}]"
    except ValueError:
        pass
    return address.lower()


def allowed_hosts(served_on: str | None, configured: Iterable[str]) -> list[str]:
    """The Host names the app answers to: the local names, the address it listens on (unless a
    wildcard such as 0.0.0.0, which names no host) and the configured ``web.server_names``
    (``*.example.org`` patterns and a lone ``*`` for any, as Starlette reads them)."""
    names = list(LOCAL_NAMES)
    if served_on and served_on not in ("0.0.0.0", "::", "[::]"):
        names.append(host_name(served_on))
    names.extend(host_name(name) if name != "*" else name for name in configured)
    return list(dict.fromkeys(names))
