"""Fault injection against a real loopback server: every failure is retried or typed.

Each scenario runs through ``Stack`` (httpx's sync transport), ``AsyncStack`` with its
default transport (aiohttp) and ``AsyncStack`` over ``httpx.AsyncHTTPTransport``, with real
client calls. The outcome is either success after a known number of attempts, or one typed
exception whose message names the cause and carries no credential.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from types import TracebackType
from typing import Any, Self

import httpx
import pytest

from contentstack_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncStack,
    ContentstackError,
    InternalServerError,
    RateLimitError,
    ResponseDecodeError,
    RetryEvent,
    RetryPolicy,
    Stack,
    SyncCursor,
    SyncEvent,
)

from ..conftest import load_payload
from .server import FaultServer, Reply, Seen, fault_server, free_port

API_KEY = "blt_fault_api_key_5f3e2d1c0b"
TOKEN = "cs_fault_delivery_token_9a8b7c6d5e"
ENTRY = load_payload("cda_entry_single.json")
ENTRY_UID = ENTRY["entry"]["uid"]
ENTRY_PATH = f"/v3/content_types/session/entries/{ENTRY_UID}"
OK = Reply.json(ENTRY)

VARIANTS = ["sync", "async-aiohttp", "async-httpx"]
FAST = RetryPolicy(max_retries=2, backoff_initial=0.01, backoff_max=0.02)


def fast(retries: int = 2, **kwargs: Any) -> RetryPolicy:
    """A policy with back-off in hundredths of a second."""
    return RetryPolicy(max_retries=retries, backoff_initial=0.01, backoff_max=0.02, **kwargs)


class Client:
    """One stack of the variant under test, with awaitable calls whatever the variant."""

    def __init__(
        self,
        variant: str,
        url: str,
        *,
        retry: RetryPolicy = FAST,
        timeout: float | httpx.Timeout = 5.0,
    ) -> None:
        self.variant = variant
        self.events: list[RetryEvent] = []
        policy = RetryPolicy(
            max_retries=retry.max_retries,
            backoff_initial=retry.backoff_initial,
            backoff_max=retry.backoff_max,
            max_elapsed=retry.max_elapsed,
            max_retry_after=retry.max_retry_after,
            on_retry=self._on_retry if retry.on_retry is None else retry.on_retry,
        )
        args = (API_KEY, TOKEN, "production")
        self.sync: Stack | None = None
        self.aio: AsyncStack | None = None
        if variant == "sync":
            self.sync = Stack(*args, host=url, retry=policy, timeout=timeout)
        else:
            transport = httpx.AsyncHTTPTransport() if variant == "async-httpx" else None
            self.aio = AsyncStack(
                *args, host=url, retry=policy, timeout=timeout, transport=transport
            )

    def _on_retry(self, event: RetryEvent) -> None:
        self.events.append(event)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.sync is not None:
            self.sync.close()
        if self.aio is not None:
            await self.aio.aclose()

    async def fetch_entry(self) -> str:
        """Fetch the recorded entry; its uid."""
        if self.sync is not None:
            return self.sync.fetch_entry("session", ENTRY_UID).uid
        assert self.aio is not None
        return (await self.aio.fetch_entry("session", ENTRY_UID)).uid

    async def find_entries(self) -> int:
        """Find entries; how many came back."""
        if self.sync is not None:
            return len(self.sync.find_entries("session").entries)
        assert self.aio is not None
        return len((await self.aio.find_entries("session")).entries)

    async def post(self, path: str) -> httpx.Response:
        """A POST through the stack's own httpx client (the CDA has none of its own)."""
        if self.sync is not None:
            return self.sync.http_client.post(path, json={"a": 1})
        assert self.aio is not None
        return await self.aio.http_client.post(path, json={"a": 1})

    async def sync_events(
        self, cursor: SyncCursor | None, events: list[SyncEvent], stop_at: int | None = None
    ) -> tuple[SyncCursor, str | None, ContentstackError | None]:
        """Append Sync API events until done, failed or ``stop_at`` events are in ``events``.

        Returns the stream's cursor, its final token and the error that stopped it.
        """
        if self.sync is not None:
            stream = self.sync.iter_sync(cursor=cursor)
            try:
                for event in stream:
                    events.append(event)
                    if len(events) == stop_at:
                        break
            except ContentstackError as exc:
                return stream.cursor, None, exc
            return stream.cursor, stream.sync_token, None
        assert self.aio is not None
        astream = self.aio.iter_sync(cursor=cursor)
        try:
            async for event in astream:
                events.append(event)
                if len(events) == stop_at:
                    break
        except ContentstackError as exc:
            return astream.cursor, None, exc
        return astream.cursor, astream.sync_token, None


@asynccontextmanager
async def client(variant: str, url: str, **kwargs: Any) -> AsyncIterator[Client]:
    async with Client(variant, url, **kwargs) as c:
        yield c


def assert_no_secret(exc: BaseException) -> None:
    """Neither credential appears in the error, its repr or anything it was raised from."""
    seen: BaseException | None = exc
    while seen is not None:
        for text in (str(seen), repr(seen), repr(seen.args)):
            assert API_KEY not in text and TOKEN not in text, text
        seen = seen.__cause__ or seen.__context__


# -- 429 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
async def test_429_with_retry_after_is_waited_for_then_succeeds(variant: str) -> None:
    with fault_server(
        Reply.json(
            {"error_message": "slow down", "error_code": 429}, 429, headers=[("Retry-After", "1")]
        ),
        OK,
    ) as server:
        async with client(variant, server.url) as c:
            started = time.monotonic()
            assert await c.fetch_entry() == ENTRY_UID
            elapsed = time.monotonic() - started
    assert len(server.requests) == 2
    assert [(e.status_code, e.delay) for e in c.events] == [(429, 1.0)]
    assert 0.95 <= elapsed < 1.6
    assert server.requests[1].headers["access_token"] == TOKEN  # same request, resent


@pytest.mark.parametrize("variant", VARIANTS)
async def test_429_without_retry_after_backs_off_then_raises_rate_limit_error(
    variant: str,
) -> None:
    limited = Reply.json({"error_message": "Too many requests", "error_code": 429}, 429)
    with fault_server(handler=lambda r: limited) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(RateLimitError) as info:
                await c.fetch_entry()
    assert len(server.requests) == 3
    assert all(e.status_code == 429 and e.delay <= 0.02 for e in c.events)
    message = str(info.value)
    assert message.startswith("429 Too Many Requests: Too many requests")
    assert ENTRY_PATH in message and info.value.status_code == 429
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_retry_after_beyond_the_cap_raises_at_once(variant: str) -> None:
    with fault_server(Reply.json({}, 429, headers=[("Retry-After", "3600")])) as server:
        async with client(variant, server.url) as c:
            started = time.monotonic()
            with pytest.raises(RateLimitError):
                await c.fetch_entry()
    assert time.monotonic() - started < 0.5
    assert len(server.requests) == 1


# -- 5xx -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_burst_of_5xx_is_retried_then_succeeds(variant: str) -> None:
    with fault_server(
        Reply(503, b"", "text/plain"), Reply.json({"error_message": "boom"}, 500), Reply(504), OK
    ) as server:
        async with client(variant, server.url, retry=fast(3)) as c:
            assert await c.fetch_entry() == ENTRY_UID
    assert [e.status_code for e in c.events] == [503, 500, 504]
    assert len(server.requests) == 4


@pytest.mark.parametrize("variant", VARIANTS)
async def test_5xx_beyond_the_retries_raises_the_last_status(variant: str) -> None:
    with fault_server(Reply(500), Reply(502), Reply.json({"error_message": "down"}, 503)) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(InternalServerError) as info:
                await c.fetch_entry()
    assert len(server.requests) == 3
    assert info.value.status_code == 503
    assert str(info.value).startswith("503 Service Unavailable: down")
    assert f"GET {server.url}{ENTRY_PATH}?environment=production" in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_an_html_502_from_a_proxy_is_a_typed_error(variant: str) -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with fault_server(handler=lambda r: Reply(502, html, "text/html")) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(InternalServerError) as info:
                await c.fetch_entry()
    assert len(server.requests) == 3
    assert info.value.error_code is None and info.value.status_code == 502
    assert "502 Bad Gateway: non-JSON error body (text/html): <html><head><title>502" in str(
        info.value
    )
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_the_total_budget_stops_retries(variant: str) -> None:
    busy = Reply(503, headers=[("Retry-After", "0.3")])
    with fault_server(handler=lambda r: busy) as server:
        async with client(variant, server.url, retry=fast(10, max_elapsed=1.0)) as c:
            started = time.monotonic()
            with pytest.raises(InternalServerError):
                await c.fetch_entry()
            elapsed = time.monotonic() - started
    # Waits of 0.3 s fit three times into 1 s; the fourth would pass it.
    assert len(server.requests) == 4
    assert 0.9 <= elapsed < 1.0 + 0.3


# -- bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
async def test_invalid_json_with_200_is_a_decode_error_not_retried(variant: str) -> None:
    with fault_server(Reply(200, b"<html>maintenance</html>", "application/json")) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(ResponseDecodeError) as info:
                await c.fetch_entry()
    assert len(server.requests) == 1
    assert "response body is not valid JSON" in str(info.value)
    assert f"{ENTRY_PATH}?environment=production -> 200]" in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_truncated_json_with_honest_framing_is_a_decode_error(variant: str) -> None:
    body = json.dumps(ENTRY).encode()[:200]
    with fault_server(Reply(200, body)) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(ResponseDecodeError, match="is not valid JSON"):
                await c.fetch_entry()
    assert len(server.requests) == 1


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_body_shorter_than_its_content_length_is_retried(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    truncated = Reply(200, body, send_bytes=len(body) // 2, end="close")
    with fault_server(truncated, OK) as server:
        async with client(variant, server.url) as c:
            assert await c.fetch_entry() == ENTRY_UID
    assert len(server.requests) == 2
    assert len(c.events) == 1 and isinstance(c.events[0].error, httpx.RemoteProtocolError)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_body_always_truncated_raises_a_connection_error(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    truncated = Reply(200, body, send_bytes=100, end="close")
    with fault_server(handler=lambda r: truncated) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(APIConnectionError) as info:
                await c.fetch_entry()
    assert not isinstance(info.value, APITimeoutError)
    assert len(server.requests) == 3
    assert str(info.value).startswith("RemoteProtocolError: ")
    assert f"[GET {server.url}{ENTRY_PATH}?environment=production]" in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_reset_mid_body_is_retried(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    with fault_server(Reply(200, body, send_bytes=len(body) // 2, end="reset"), OK) as server:
        async with client(variant, server.url) as c:
            assert await c.fetch_entry() == ENTRY_UID
    assert len(server.requests) == 2
    assert len(c.events) == 1 and isinstance(c.events[0].error, httpx.TransportError)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_reset_mid_body_every_time_raises_a_connection_error(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    reset = Reply(200, body, send_bytes=len(body) // 2, end="reset")
    with fault_server(handler=lambda r: reset) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(APIConnectionError) as info:
                await c.fetch_entry()
    assert not isinstance(info.value, APITimeoutError)
    assert len(server.requests) == 3
    assert re.match(r"(ReadError|RemoteProtocolError): ", str(info.value)), str(info.value)
    assert ENTRY_PATH in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_very_large_response_is_parsed(variant: str) -> None:
    entries = [dict(ENTRY["entry"], uid=f"entry_{i}", body="x" * 6000) for i in range(5000)]
    body = json.dumps({"entries": entries}).encode()
    assert len(body) > 30_000_000
    with fault_server(Reply(200, body, chunk_size=1 << 20)) as server:
        async with client(variant, server.url) as c:
            assert await c.find_entries() == 5000
    assert len(server.requests) == 1


# -- time ------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
async def test_slow_headers_time_out_within_the_budget(variant: str) -> None:
    slow = Reply.json(ENTRY, header_delay=2.0)
    with fault_server(handler=lambda r: slow) as server:
        async with client(variant, server.url, retry=fast(1), timeout=0.2) as c:
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as info:
                await c.fetch_entry()
            elapsed = time.monotonic() - started
    assert len(server.requests) == 2
    assert elapsed < 0.2 * 2 + 0.3
    assert re.match(r"ReadTimeout: .*(timed out|Timeout)", str(info.value), re.IGNORECASE)
    assert ENTRY_PATH in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_slow_body_within_the_read_timeout_succeeds(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    slow = Reply(200, body, header_delay=0.1, chunk_size=len(body) // 4 + 1, chunk_delay=0.1)
    with fault_server(slow) as server:
        async with client(variant, server.url, timeout=0.5) as c:
            assert await c.fetch_entry() == ENTRY_UID
    assert len(server.requests) == 1 and c.events == []


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_body_stalling_past_the_read_timeout_is_a_timeout(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    stall = Reply(200, body, chunk_size=len(body) // 2 + 1, chunk_delay=1.0)
    with fault_server(handler=lambda r: stall) as server:
        async with client(variant, server.url, retry=fast(1), timeout=0.2) as c:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await c.fetch_entry()
            elapsed = time.monotonic() - started
    assert len(server.requests) == 2
    assert elapsed < 0.2 * 2 + 0.3


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_trickling_body_does_not_hold_the_caller_past_the_budget(variant: str) -> None:
    # Every piece comes within the read timeout, so no single read times out; the whole
    # body would take 4 s. The retry policy's total budget (1 s) bounds the call.
    body = json.dumps(ENTRY).encode()
    trickle = Reply(200, body, chunk_size=len(body) // 40 + 1, chunk_delay=0.1)
    with fault_server(handler=lambda r: trickle) as server:
        async with client(variant, server.url, retry=fast(2, max_elapsed=1.0), timeout=0.5) as c:
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as info:
                await c.fetch_entry()
            elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 0.5
    assert len(server.requests) == 1
    assert "budget" in str(info.value)
    assert_no_secret(info.value)


# -- connections -----------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_kept_alive_connection_closed_by_the_server_is_replaced(variant: str) -> None:
    # The server closes each connection after one response, without ``Connection: close``.
    with fault_server(handler=lambda r: OK, close_after=1) as server:
        async with client(variant, server.url) as c:
            for _ in range(3):
                assert await c.fetch_entry() == ENTRY_UID
                await asyncio.sleep(0.05)  # let the FIN arrive before the next call
    assert len(server.requests) == 3
    assert [r.connection for r in server.requests] == [0, 1, 2]


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_kept_alive_connection_dropped_as_the_next_request_arrives(variant: str) -> None:
    # The classic keep-alive race: the client reuses the connection, the server reads the
    # request and closes it without answering. The GET is resent on a fresh connection.
    with fault_server(OK, Reply(hangup="close"), OK) as server:
        async with client(variant, server.url) as c:
            assert await c.fetch_entry() == ENTRY_UID
            assert await c.fetch_entry() == ENTRY_UID
    assert len(server.requests) == 3
    assert [r.connection for r in server.requests] == [0, 0, 1]


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_post_is_not_resent_once_it_was_sent(variant: str) -> None:
    with fault_server(OK, Reply(hangup="close"), OK) as server:
        async with client(variant, server.url) as c:
            await c.fetch_entry()  # a kept-alive connection for the POST to reuse
            with pytest.raises(APIConnectionError) as info:
                await c.post("/v3/anything")
    assert [r.method for r in server.requests] == ["GET", "POST"]
    assert not isinstance(info.value, APITimeoutError)
    assert str(info.value).startswith("RemoteProtocolError: ")
    assert "[POST " in str(info.value)
    assert_no_secret(info.value)


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_post_is_not_resent_after_a_reset_mid_response(variant: str) -> None:
    body = json.dumps(ENTRY).encode()
    with fault_server(Reply(200, body, send_bytes=50, end="reset"), OK) as server:
        async with client(variant, server.url) as c:
            with pytest.raises(APIConnectionError):
                await c.post("/v3/anything")
    assert [r.method for r in server.requests] == ["POST"]


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_post_is_resent_when_the_connection_was_refused(variant: str) -> None:
    port = free_port()
    servers: list[FaultServer] = []
    with ExitStack() as cleanup:

        def start_server(event: RetryEvent) -> None:
            # Nothing listened during the first attempt; the server is up before the retry.
            assert isinstance(event.error, httpx.ConnectError), event.error
            servers.append(cleanup.enter_context(fault_server(Reply.json({"ok": True}), port=port)))

        async with client(
            variant, f"http://127.0.0.1:{port}", retry=fast(2, on_retry=start_server)
        ) as c:
            response = await c.post("/v3/anything")
        assert response.status_code == 200 and response.json() == {"ok": True}
        assert [r.method for r in servers[0].requests] == ["POST"]
        assert servers[0].requests[0].body == b'{"a":1}'


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_refused_connection_is_a_typed_connection_error(variant: str) -> None:
    async with client(variant, f"http://127.0.0.1:{free_port()}") as c:
        with pytest.raises(APIConnectionError) as info:
            await c.fetch_entry()
    assert not isinstance(info.value, APITimeoutError)
    assert str(info.value).startswith("ConnectError: ")
    assert len(c.events) == 2
    assert_no_secret(info.value)


# -- the Sync API, interrupted ---------------------------------------------------------------


def sync_pages() -> list[dict[str, Any]]:
    """Three pages of recorded sync items: 40, 40 and 49 events."""
    items = (
        load_payload("cda_sync_initial_with_pagination_token.json")["items"]
        + load_payload("cda_sync_last_page_with_sync_token.json")["items"]
    )
    pages: list[dict[str, Any]] = []
    for number, start in enumerate((0, 40, 80), start=1):
        end = start + 40 if number < 3 else len(items)
        page: dict[str, Any] = {"items": items[start:end], "skip": start, "limit": 40}
        page["total_count"] = len(items)
        if number < 3:
            page["pagination_token"] = f"page{number + 1}"
        else:
            page["sync_token"] = "final_sync_token"
        pages.append(page)
    return pages


PAGES = sync_pages()


def sync_server_handler(failures: list[Reply]) -> Any:
    """Serve the pages by token; page 2 answers with ``failures`` first."""
    bodies = {
        None: json.dumps(PAGES[0]).encode(),
        "page2": json.dumps(PAGES[1]).encode(),
        "page3": json.dumps(PAGES[2]).encode(),
    }

    def handler(request: Seen) -> Reply:
        token = request.query.get("pagination_token")
        if token == "page2" and failures:
            return failures.pop(0)
        return Reply(200, bodies[token])

    return handler


def event_keys(events: list[SyncEvent]) -> list[tuple[str, str | None, Any]]:
    keys: list[tuple[str, str | None, Any]] = []
    for event in events:
        uid = getattr(event, "uid", None)
        for attribute in ("entry", "asset"):
            model = getattr(event, attribute, None)
            if model is not None:
                uid = model.uid
        keys.append((event.type, uid, event.event_at))
    return keys


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fault", ["reset mid-body", "500 burst"])
async def test_an_interrupted_sync_resumes_from_its_cursor(variant: str, fault: str) -> None:
    page2 = json.dumps(PAGES[1]).encode()
    failure = (
        Reply(200, page2, send_bytes=len(page2) // 2, end="reset")
        if fault == "reset mid-body"
        else Reply.json({"error_message": "sync backend down"}, 500)
    )
    retries = 1
    failures = [failure] * (retries + 1)
    expected = event_keys([e for page in PAGES for e in _events_of(page)])
    with fault_server(handler=sync_server_handler(failures)) as server:
        async with client(variant, server.url, retry=fast(retries)) as c:
            events: list[SyncEvent] = []
            cursor, token, error = await c.sync_events(None, events)
            assert len(events) == 40 and token is None
            assert cursor == SyncCursor(pagination_token="page2", offset=0)
            stored = SyncCursor.from_dict(json.loads(json.dumps(cursor.to_dict())))
            final_cursor, token, again = await c.sync_events(stored, events)
    assert isinstance(
        error, APIConnectionError if fault == "reset mid-body" else InternalServerError
    )
    assert_no_secret(error)
    assert again is None
    assert len(events) == len(expected) == 129
    assert event_keys(events) == expected  # nothing lost, nothing repeated
    assert token == "final_sync_token" and final_cursor.sync_token == "final_sync_token"
    tokens = [r.query.get("pagination_token") for r in server.requests]
    assert tokens == [None, *["page2"] * (retries + 1), "page2", "page3"]


@pytest.mark.parametrize("variant", VARIANTS)
async def test_a_sync_stopped_mid_page_resumes_at_its_offset(variant: str) -> None:
    # The consumer stops 10 events into page 2 (a crash after storing the cursor); the
    # next run asks for page 2 again and skips exactly the 10 it already handled.
    expected = event_keys([e for page in PAGES for e in _events_of(page)])
    with fault_server(handler=sync_server_handler([])) as server:
        async with client(variant, server.url) as c:
            events: list[SyncEvent] = []
            cursor, token, error = await c.sync_events(None, events, stop_at=50)
            assert cursor == SyncCursor(pagination_token="page2", offset=10)
            assert token is None and error is None
            _, token, error = await c.sync_events(cursor, events)
    assert error is None and token == "final_sync_token"
    assert event_keys(events) == expected
    tokens = [r.query.get("pagination_token") for r in server.requests]
    assert tokens == [None, "page2", "page2", "page3"]


def _events_of(page: dict[str, Any]) -> list[SyncEvent]:
    from contentstack_client._generated.cda.models import SyncItem
    from contentstack_client._sync import sync_event

    return [sync_event(SyncItem.from_dict(item)) for item in page["items"]]


async def test_peak_memory_of_a_large_response_is_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = json.dumps({"entry": dict(ENTRY["entry"], body="y" * 30_000_000)}).encode()
    with fault_server(Reply(200, body, chunk_size=1 << 20)) as server:
        async with client("sync", server.url) as c:
            tracemalloc.start()
            try:
                assert await c.fetch_entry() == ENTRY_UID
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    with capsys.disabled():
        print(f"\n30 MB entry: peak traced memory {peak / 1e6:.0f} MB")
    # Bodies this large are parsed with json, not orjson (which peaks at ~15x the body while
    # building its own tree first: 420 MB here before). Measured: ~3x for the whole call.
    assert peak < 5 * len(body)
