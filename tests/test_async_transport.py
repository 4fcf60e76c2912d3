"""AsyncStack's default transport (aiohttp under httpx) against a real loopback server.

Every failure a server or network can cause must come out as it does through httpx's own
transport: retried under the policy, then raised as APIConnectionError/APITimeoutError
(never as an aiohttp exception, and never a refused connection reported as a timeout).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import warnings
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest

from contentstack_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncStack,
    InternalServerError,
    NotFoundError,
    RetryEvent,
    RetryPolicy,
)
from contentstack_client._aiohttp import AiohttpTransport, _httpx_error
from contentstack_client._base import DEFAULT_LIMITS
from contentstack_client._retry import AsyncRetryTransport

from .conftest import load_payload

ENTRY = load_payload("cda_entry_single.json")


class Server:
    """An HTTP/1.1 server on 127.0.0.1 whose behaviour is chosen by the content type in the path."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode().split("?")[0]
                parts = path.strip("/").split("/")
                behaviour = parts[2] if path.startswith("/v3/content_types/") else parts[-1]
                self.hits[behaviour] += 1
                if not await self.respond(behaviour, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def respond(self, behaviour: str, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False closes the connection."""
        if behaviour == "hangup":  # read the request, close without a word
            return False
        if behaviour == "slow":
            await asyncio.sleep(5)
        if behaviour == "truncated":  # promise 1000 bytes, send 10, hang up
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b'{"entry": ')
            await writer.drain()
            return False
        if behaviour == "garbage":
            writer.write(b"NOT HTTP AT ALL\r\n\r\n")
            await writer.drain()
            return False
        if behaviour == "flaky" and self.hits[behaviour] == 1:
            writer.write(_response(503, b"", "text/plain"))
        elif behaviour == "missing":
            body = json.dumps({"error_message": "not found", "error_code": 141}).encode()
            writer.write(_response(404, body))
        elif behaviour == "proxy_html":
            writer.write(_response(502, b"<html>Bad Gateway</html>", "text/html"))
        elif behaviour == "gzip":
            body = gzip.compress(json.dumps(ENTRY).encode())
            writer.write(_response(200, body, extra=b"Content-Encoding: gzip\r\n"))
        else:
            writer.write(_response(200, json.dumps(ENTRY).encode()))
        await writer.drain()
        return True


def _response(
    status: int, body: bytes, content_type: str = "application/json", extra: bytes = b""
) -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n".encode()
        + extra
        + b"\r\n"
        + body
    )


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    srv.server = await asyncio.start_server(srv.handle, "127.0.0.1", 0)
    yield srv
    srv.server.close()
    await srv.server.wait_closed()


def _stack(url: str, retries: int = 2, **kwargs: Any) -> tuple[AsyncStack, list[RetryEvent]]:
    events: list[RetryEvent] = []
    policy = RetryPolicy(max_retries=retries, on_retry=events.append)
    return AsyncStack("key", "token", "production", host=url, retry=policy, **kwargs), events


async def test_the_default_transport_is_aiohttp_and_parses_typed_entries(server: Server) -> None:
    stack, events = _stack(server.url)
    async with stack:
        entries = await asyncio.gather(*(stack.fetch_entry("ok", "e1") for _ in range(20)))
        transport = stack.http_client._transport
        assert isinstance(transport, AsyncRetryTransport)
        assert isinstance(transport.inner, AiohttpTransport)
    assert {e.uid for e in entries} == {ENTRY["entry"]["uid"]}
    assert server.hits["ok"] == 20 and events == []


async def test_a_compressed_body_is_decoded(server: Server) -> None:
    stack, _ = _stack(server.url)
    async with stack:
        assert (await stack.fetch_entry("gzip", "e1")).uid == ENTRY["entry"]["uid"]


async def test_status_retries_and_typed_status_errors(server: Server, sleeps: list[float]) -> None:
    stack, events = _stack(server.url)
    async with stack:
        assert (await stack.fetch_entry("flaky", "e1")).uid == ENTRY["entry"]["uid"]
        with pytest.raises(NotFoundError) as info:
            await stack.fetch_entry("missing", "e1")
        with pytest.raises(InternalServerError):
            await stack.fetch_entry("proxy_html", "e1")
    assert info.value.error_code == 141
    assert server.hits["flaky"] == 2 and [e.status_code for e in events][:1] == [503]
    assert server.hits["missing"] == 1  # 4xx is never retried


async def test_a_refused_connection_is_a_connection_error_not_a_timeout(
    sleeps: list[float],
) -> None:
    # A port that was just free: nothing listens there.
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    stack, events = _stack(f"http://127.0.0.1:{port}")
    async with stack:
        with pytest.raises(APIConnectionError, match="ConnectError") as info:
            await stack.fetch_entry("ok", "e1")
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(events) == 2 and all(isinstance(e.error, httpx.ConnectError) for e in events)


@pytest.mark.parametrize("behaviour", ["hangup", "truncated", "garbage"])
async def test_a_dropped_or_broken_response_is_retried_then_typed(
    server: Server, sleeps: list[float], behaviour: str
) -> None:
    stack, events = _stack(server.url)
    async with stack:
        with pytest.raises(APIConnectionError) as info:
            await stack.fetch_entry(behaviour, "e1")
    assert not isinstance(info.value, APITimeoutError)
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError), info.value.__cause__
    assert not isinstance(info.value.__cause__.__cause__, httpx.HTTPError)
    assert len(events) == 2
    # Three attempts; aiohttp itself also resends an idempotent request once when the
    # server drops the connection before answering (RFC 9112, 9.3.1).
    assert server.hits[behaviour] in (3, 6)


async def test_a_slow_response_is_a_timeout(server: Server, sleeps: list[float]) -> None:
    stack, events = _stack(server.url, retries=1, timeout=httpx.Timeout(0.2))
    async with stack:
        with pytest.raises(APITimeoutError, match="ReadTimeout"):
            await stack.fetch_entry("slow", "e1")
    assert server.hits["slow"] == 2 and len(events) == 1


async def test_a_post_whose_connection_drops_after_sending_is_not_retried(
    server: Server, sleeps: list[float]
) -> None:
    # httpx-aiohttp alone reports this as ConnectTimeout, which would mean "never sent"
    # and make the retry wrapper send the POST again.
    transport = AsyncRetryTransport(AiohttpTransport(DEFAULT_LIMITS), RetryPolicy(max_retries=3))
    async with httpx.AsyncClient(transport=transport, base_url=server.url) as client:
        with pytest.raises(APIConnectionError, match="RemoteProtocolError"):
            await client.post("/hangup", json={"a": 1})
    assert server.hits["hangup"] == 1


async def test_your_own_transport_or_client_is_used_instead(server: Server) -> None:
    mock = httpx.MockTransport(lambda r: httpx.Response(200, json=ENTRY))
    async with AsyncStack("key", "token", "production", host=server.url, transport=mock) as stack:
        await stack.fetch_entry("ok", "e1")
        assert stack.http_client._transport.inner is mock  # type: ignore[attr-defined]
    async with (
        httpx.AsyncClient() as own,
        AsyncStack("key", "token", "production", host=server.url, http_client=own) as stack,
    ):
        await stack.fetch_entry("ok", "e1")
    assert server.hits["ok"] == 1


async def test_closing_the_stack_closes_aiohttps_session(server: Server) -> None:
    stack, _ = _stack(server.url)
    await stack.fetch_entry("ok", "e1")
    transport = stack.http_client._transport.inner  # type: ignore[attr-defined]
    session = transport._inner.client
    assert isinstance(session, aiohttp.ClientSession) and not session.closed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await stack.aclose()
    assert session.closed


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError("short"), httpx.RemoteProtocolError),
        (aiohttp.ClientConnectionResetError("reset"), httpx.ReadError),
        (aiohttp.ClientOSError(104, "reset"), httpx.ReadError),
        (TimeoutError(), httpx.ReadTimeout),
    ],
)
def test_aiohttp_errors_map_to_what_httpcore_raises(
    error: Exception, expected: type[httpx.TransportError]
) -> None:
    request = httpx.Request("GET", "http://127.0.0.1/v3/assets")
    # Raised by aiohttp directly, or already (mis)mapped by httpx-aiohttp and chained.
    wrapped = httpx.ConnectTimeout("mapped", request=request)
    wrapped.__cause__ = error
    for raised in (error, wrapped):
        mapped = _httpx_error(raised, request)
        assert type(mapped) is expected
        assert isinstance(mapped, httpx.TransportError) and mapped.request is request
    other = ValueError("not a transport error")
    assert _httpx_error(other, request) is other
