"""Limits on what a request may send and what a response gives back: the request body limit,
enforced before any route reads the body (by the declared length, and by counting the bytes of
chunked bodies that declare none), and a cap on how much of a client's input an error echoes."""

from __future__ import annotations

import json

from fastapi import HTTPException

ECHO_CHARS = 200
DETAIL_CHARS = 1000


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``repr(value)`` for an error message, cut to ``limit`` characters: a 100 kB id must not
    come back as a 100 kB 404."""
    shown = repr(value)
    if len(shown) <= limit:
        return shown
    return f"{shown[: limit - 1]}… ({len(str(value)):,} characters)"


def cap(text: str, limit: int = DETAIL_CHARS) -> str:
    """The last line of defence for any error text that might hold input (an exception's message)."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def capped_validation_errors(errors: list[dict]) -> list[dict]:
    """FastAPI's 422 body echoes each invalid value (``input``) in full; keep a short sketch of it."""
    out = []
    for error in errors:
        error = dict(error)
        if "input" in error:
            value = error["input"]
            if isinstance(value, str):
                error["input"] = value if len(value) <= ECHO_CHARS else value[: ECHO_CHARS - 1] + "…"
            elif len(repr(value)) > ECHO_CHARS:
                error["input"] = echo(value)
        if "msg" in error:
            error["msg"] = cap(str(error["msg"]), ECHO_CHARS * 2)
        if len(repr(error.get("ctx", ""))) > ECHO_CHARS:
            del error["ctx"]
        out.append(error)
    return out


class BodyTooLarge(HTTPException):
    # An HTTPException, so FastAPI's body parsing passes it through instead of calling it a 400.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is over the limit of {limit:,} bytes")


class BodyLimitMiddleware:
    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reply_413(send, self.max_bytes)
            return
        received = 0
        started = False

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _reply_413(send, self.max_bytes)


async def _reply_413(send, limit: int) -> None:
    body = json.dumps({"detail": f"request body is over the limit of {limit:,} bytes"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
