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
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        # A browser's form post gets a page it can read; API clients get JSON.
        as_page = not scope.get("path", "").startswith("/api/") and b"text/html" in headers.get(b"accept", b"")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reply_413(send, self.max_bytes, as_page)
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
                await _reply_413(send, self.max_bytes, as_page)


_TOO_LARGE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Too large to analyse · unspin</title>
<link rel="stylesheet" href="/report-static/report.css"><link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>Too large to analyse</h1>
<p class="error" role="alert">What you sent is over this server's limit of {limit:,} bytes (about {words:,} words of
text), so it was not read. One news article is far smaller: paste a single article, or split a
corpus into smaller files.</p>
<p><a href="/submit">Back to the form</a></p></main></body></html>
"""


async def _reply_413(send, limit: int, as_page: bool = False) -> None:
    if as_page:
        # The body was never read, so the form cannot be refilled: the page says what to do.
        body, kind = _TOO_LARGE_PAGE.format(limit=limit, words=limit // 6).encode(), b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": f"request body is over the limit of {limit:,} bytes"}).encode()
        kind = b"application/json"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
