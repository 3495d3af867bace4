"""Browser sessions for the pages: a signed cookie, ``<nonce>.<signed-in 0|1>.<signature>``
(HMAC-SHA256), and the CSRF token that belongs to it. Nothing is kept on the server.

The key is derived from the API token, so changing the token signs every browser out; with no
token configured it is random per process (sessions then only carry the CSRF token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Session:
    nonce: str
    signed_in: bool


class Sessions:
    """Signs and checks session cookies and the CSRF token that goes with each session."""

    def __init__(self, api_token: str | None) -> None:
        self._key = (
            hashlib.sha256(b"unspin session key\0" + api_token.encode()).digest()
            if api_token else secrets.token_bytes(32)
        )

    def _sign(self, message: str) -> str:
        digest = hmac.new(self._key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def new(self, signed_in: bool = False) -> tuple[Session, str]:
        """A fresh session and its cookie value (a new nonce on every sign-in: no fixation)."""
        session = Session(secrets.token_urlsafe(18), signed_in)
        body = f"{session.nonce}.{int(signed_in)}"
        return session, f"{body}.{self._sign(body)}"

    def read(self, cookie: str | None) -> Session | None:
        if not cookie or cookie.count(".") != 2:
            return None
        nonce, flag, signature = cookie.split(".")
        if flag not in ("0", "1") or not hmac.compare_digest(signature.encode(), self._sign(f"{nonce}.{flag}").encode()):
            return None
        return Session(nonce, flag == "1")

    def csrf(self, session: Session) -> str:
        return self._sign(f"csrf.{session.nonce}")

    def csrf_ok(self, session: Session | None, presented: str) -> bool:
        return session is not None and bool(presented) and hmac.compare_digest(
            presented.encode(), self.csrf(session).encode()
        )
