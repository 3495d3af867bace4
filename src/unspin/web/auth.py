"""Who may read and write.

- API writes take the bearer token only (``Authorization: Bearer <token>``): a browser attaches
  cookies to requests other sites make, so a cookie never authorises an API write.
- Reads need the token only when ``web.read_requires_token`` is set; then a signed-in session
  cookie (from ``/login``) works for them as well as the bearer token.
- The pages' forms (``/submit``, ``/login``, ``/logout``) are guarded against cross-site posts:
  the request's ``Origin`` (else ``Referer``) must be this server, and ``/submit`` must carry the
  CSRF token of the browser's session. With a token configured, ``/submit`` also needs a
  signed-in session.

Sessions are signed cookies (``unspin.web.sessions``); the token itself never goes into one.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.responses import Response

from unspin.web.services import Services, services
from unspin.web.sessions import Session

COOKIE = "unspin_session"
bearer = HTTPBearer(auto_error=False, description="The API token (config web.api_token or UNSPIN_API_TOKEN)")


def set_session_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        path="/")


def current_session(request: Request, svc: Services) -> Session | None:
    return svc.sessions.read(request.cookies.get(COOKIE))


def token_ok(svc: Services, presented: str | None) -> bool:
    expected = svc.config.web.api_token
    return bool(expected and presented and secrets.compare_digest(presented.encode(), expected.encode()))


def _check_bearer(svc: Services, creds: HTTPAuthorizationCredentials | None) -> None:
    if not svc.config.web.api_token:
        raise HTTPException(403, "writing is disabled: no API token is configured (set UNSPIN_API_TOKEN)")
    if creds is None:
        raise HTTPException(401, "an API token is required: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(svc, creds.credentials):
        raise HTTPException(401, "the API token is not valid", headers={"WWW-Authenticate": "Bearer"})


def require_write(
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    svc: Services = Depends(services),
) -> None:
    _check_bearer(svc, creds)


def require_read(
    request: Request,
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    svc: Services = Depends(services),
) -> None:
    if not svc.config.web.read_requires_token:
        return
    session = current_session(request, svc)
    if creds is None and session is not None and session.signed_in:
        return
    _check_bearer(svc, creds)


def same_origin(request: Request) -> None:
    """Refuse a form post that another site's page made: its ``Origin`` (or, where a browser
    sends none, its ``Referer``) must name this very server."""
    here = (request.url.scheme, request.headers.get("host", "").lower())
    origin = request.headers.get("origin")
    if origin is None:
        origin = request.headers.get("referer")
    if origin is None:
        raise HTTPException(403, "this form post names no Origin or Referer; post it from the page itself")
    try:
        parts = urlsplit(origin)
    except ValueError:  # "http://[": not a URL, so not this server
        parts = urlsplit("")
    if (parts.scheme, parts.netloc.lower()) != here:
        raise HTTPException(403, "this form was posted from another site; open the page on this server and post it there")


def check_form(request: Request, svc: Services, csrf: str) -> Session:
    """The checks a state-changing form post passes: same origin, then the session's CSRF token."""
    same_origin(request)
    session = current_session(request, svc)
    if not svc.sessions.csrf_ok(session, csrf):
        raise HTTPException(403, "this form has expired or did not come from this server; reload the page and try again")
    assert session is not None
    return session


def may_submit(svc: Services, session: Session | None) -> bool:
    """Whether the pages may queue analyses for this browser: with a token configured (or the
    submit page locked by ``submit_requires_token``) only a signed-in session may."""
    web = svc.config.web
    if web.api_token or web.submit_requires_token:
        return session is not None and session.signed_in and bool(web.api_token)
    return True
