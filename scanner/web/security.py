"""Request limits and access control for the web API.

* ``BodySizeLimit``: an ASGI middleware refusing request bodies over the limit (413),
  by the declared Content-Length first and by counting the bytes actually received
  (chunked uploads), so an oversized upload is never read into memory whole.
* ``is_loopback``: whether a bind address only accepts local connections; any other
  address requires an API token (``require_token``).
* ``token_ok``: constant-time comparison of the ``Authorization: Bearer`` or
  ``X-Govscan-Token`` header with the configured token.
"""
from __future__ import annotations

import hmac
import ipaddress
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; False for 0.0.0.0, :: and real addresses."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: may resolve to anything


def token_ok(headers, token: str) -> bool:
    supplied = headers.get("x-govscan-token")
    if supplied is None:
        auth = headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer":
            supplied = value.strip()
    if not supplied:
        return False
    return hmac.compare_digest(supplied.encode("utf-8"), token.encode("utf-8"))


class _TooLarge(Exception):
    pass


def _error_body(status: int, error: str, detail: str) -> bytes:
    return json.dumps({"error": error, "detail": detail}, ensure_ascii=False).encode("utf-8")


class BodySizeLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413 and a one-line reason."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _detail(self) -> str:
        return f"请求体超过上限 {self.max_bytes / 2**20:g} MB：文件过大，请压缩图片或分篇后再试"

    async def _reject(self, send: Send) -> None:
        body = _error_body(413, "too_large", self._detail())
        await send({
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > self.max_bytes:
                    await self._reject(send)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(send)
