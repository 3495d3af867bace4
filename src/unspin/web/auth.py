"""API token checks. Writes always need the token (and are refused outright when none is
configured); reads need it only when ``web.read_requires_token`` is set. Pages accept the token
from the ``unspin_token`` cookie that the sign-in page sets."""

from __future__ import annotations

import secrets

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from unspin.web.services import Services, services

COOKIE = "unspin_token"
bearer = HTTPBearer(auto_error=False, description="The API token (config web.api_token or UNSPIN_API_TOKEN)")


def _presented(request: Request, creds: HTTPAuthorizationCredentials | None) -> str | None:
    if creds is not None:
        return creds.credentials
    return request.cookies.get(COOKIE)


def token_ok(svc: Services, presented: str | None) -> bool:
    expected = svc.config.web.api_token
    return bool(expected and presented and secrets.compare_digest(presented.encode(), expected.encode()))


def _check(svc: Services, presented: str | None) -> None:
    if not svc.config.web.api_token:
        raise HTTPException(403, "writing is disabled: no API token is configured (set UNSPIN_API_TOKEN)")
    if not presented:
        raise HTTPException(401, "an API token is required: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(svc, presented):
        raise HTTPException(401, "the API token is not valid", headers={"WWW-Authenticate": "Bearer"})


def require_write(
    request: Request,
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    svc: Services = Depends(services),
) -> None:
    _check(svc, _presented(request, creds))


def require_read(
    request: Request,
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    svc: Services = Depends(services),
) -> None:
    if svc.config.web.read_requires_token:
        _check(svc, _presented(request, creds))
