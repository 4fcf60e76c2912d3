"""The Sync API event stream (recorded pages) and Live Preview derived clients."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import httpx
import pytest

from contentstack_client import AsyncStack, Stack
from contentstack_client._generated.cda.models import SyncItem
from contentstack_client._sync import (
    AssetDeleted,
    AssetPublished,
    AssetUnpublished,
    ContentTypeDeleted,
    EntryDeleted,
    EntryPublished,
    EntryUnpublished,
    SyncCursor,
    UnknownSyncEvent,
    sync_event,
)

from .conftest import Recorder, load_payload

FIRST = load_payload("cda_sync_initial_with_pagination_token.json")
LAST = load_payload("cda_sync_last_page_with_sync_token.json")
MIXED = load_payload("cda_sync_mixed_event_types.json")
NO_CHANGES = load_payload("cda_sync_subsequent_no_changes.json")


def sync_server(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    if params.get("init") == "true":
        return httpx.Response(200, json=FIRST)
    if params.get("pagination_token") == FIRST["pagination_token"]:
        return httpx.Response(200, json=LAST)
    if params.get("sync_token") == LAST["sync_token"]:
        return httpx.Response(200, json=MIXED)
    return httpx.Response(422, json={"error_message": "bad token", "error_code": 141})


def uids(events: list[Any]) -> list[str]:
    out = []
    for event in events:
        if isinstance(event, EntryPublished):
            out.append(event.entry.uid)
        elif isinstance(event, AssetPublished):
            out.append(event.asset.uid)
        else:
            out.append(getattr(event, "uid", event.type))
    return out


def all_uids() -> list[str]:
    return [item["data"]["uid"] for item in FIRST["items"] + LAST["items"]]


@pytest.fixture
def synced() -> tuple[Stack, Recorder]:
    recorder = Recorder(sync_server)
    return Stack("key", "token", "production", transport=recorder.transport()), recorder


def test_stream_follows_pagination_tokens_to_the_sync_token(synced: tuple[Stack, Recorder]) -> None:
    stack, rec = synced
    stream = stack.iter_sync(content_type_uid="blog", locale="en-us")
    assert stream.sync_token is None
    events = list(stream)
    assert uids(events) == all_uids()
    assert {type(e) for e in events} == {EntryPublished, AssetPublished}
    assert stream.sync_token == "uid_116" and stream.total_count == 129
    assert stream.cursor == SyncCursor(sync_token="uid_116")
    first, second = rec.requests
    assert dict(first.url.params) == {
        "environment": "production",
        "init": "true",
        "content_type_uid": "blog",
        "locale": "en-us",
    }
    # The filters belong to the initial request only: the token carries them.
    assert dict(second.url.params) == {"environment": "production", "pagination_token": "uid_101"}


def test_delta_sync_gives_every_event_type(synced: tuple[Stack, Recorder]) -> None:
    stack, _ = synced
    stream = stack.iter_sync(sync_token="uid_116")
    events = list(stream)
    kinds = [type(e) for e in events]
    assert kinds == [
        EntryPublished,
        AssetPublished,
        ContentTypeDeleted,
        EntryDeleted,
        AssetDeleted,
        EntryUnpublished,
        AssetUnpublished,
    ]
    deleted = events[3]
    assert isinstance(deleted, EntryDeleted)
    assert (deleted.content_type_uid, deleted.uid, deleted.locale) == (
        "a",
        "blt6aa83e702326fc65",
        "es-es",
    )
    assert deleted.event_at == datetime.datetime(
        2019, 1, 8, 15, 20, 17, 873000, tzinfo=datetime.UTC
    )
    assert isinstance(events[2], ContentTypeDeleted) and events[2].content_type_uid == "del"
    assert stream.sync_token == "mixed-token"


def test_interrupted_stream_resumes_from_its_cursor_with_nothing_lost_or_repeated(
    synced: tuple[Stack, Recorder],
) -> None:
    stack, _ = synced
    seen: list[str] = []
    saved: dict[str, Any] | None = None
    # Stop in the middle of the first page, then in the middle of the second, then finish.
    for stop_at in (37, 112, None):
        cursor = None if saved is None else SyncCursor.from_dict(saved)
        stream = stack.iter_sync(cursor=cursor)
        for event in stream:
            seen.extend(uids([event]))
            saved = stream.cursor.to_dict()  # what a consumer stores after handling an event
            if len(seen) == stop_at:
                break
    assert seen == all_uids()
    assert stream.cursor == SyncCursor(sync_token="uid_116")
    # A cursor saved after the last event but before the stream noticed the end resumes to
    # nothing more, and still ends with the sync token.
    assert saved == {"pagination_token": "uid_101", "sync_token": None, "offset": 29}
    tail = stack.iter_sync(cursor=SyncCursor.from_dict(saved))
    assert list(tail) == [] and tail.sync_token == "uid_116"


def test_cursor_and_tokens_are_checked(synced: tuple[Stack, Recorder]) -> None:
    stack, rec = synced
    with pytest.raises(ValueError, match="not both"):
        SyncCursor(pagination_token="a", sync_token="b")
    with pytest.raises(ValueError, match="offset"):
        SyncCursor(offset=-1)
    with pytest.raises(ValueError, match="only apply to an initial sync"):
        stack.iter_sync(sync_token="uid_116", locale="en-us")
    with pytest.raises(ValueError, match="a cursor or a token"):
        stack.iter_sync(cursor=SyncCursor(), sync_token="x")
    assert rec.requests == []


def test_unknown_event_types_are_kept_whole() -> None:
    item = SyncItem.from_dict(
        {"type": "entry_archived", "content_type_uid": "blog", "data": {"uid": "b1", "x": 1}}
    )
    event = sync_event(item)
    assert isinstance(event, UnknownSyncEvent)
    assert (event.type, event.content_type_uid, event.data) == (
        "entry_archived",
        "blog",
        {"uid": "b1", "x": 1},
    )


async def test_async_stream_and_resume() -> None:
    recorder = Recorder(sync_server)

    async def handler(request: httpx.Request) -> httpx.Response:
        return recorder(request)

    async with AsyncStack(
        "key", "token", "production", transport=httpx.MockTransport(handler)
    ) as stack:
        stream = stack.iter_sync()
        seen: list[str] = []
        async for event in stream:
            seen.extend(uids([event]))
            if len(seen) == 50:
                break
        resumed = stack.iter_sync(cursor=stream.cursor)
        seen.extend([u async for e in resumed for u in uids([e])])
        assert seen == all_uids()
        assert resumed.sync_token == "uid_116"
        delta = stack.iter_sync(sync_token=resumed.sync_token)
        assert len([e async for e in delta]) == 7


# -- Live Preview ---------------------------------------------------------------------------------


def echo(request: httpx.Request) -> httpx.Response:
    entry = {"uid": "blt1", "title": request.url.host}
    return httpx.Response(
        200, json={"entry": entry} if "/entries/" in request.url.path else {"entries": [entry]}
    )


def test_preview_client_goes_to_the_preview_host_with_the_preview_context() -> None:
    recorder = Recorder(echo)
    stack = Stack(
        "key", "delivery-secret", "production", region="eu", transport=recorder.transport()
    )
    preview = stack.preview(
        "hash-123",
        preview_token="preview-secret",
        release_id="rel_1",
        preview_timestamp=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    )
    entry = preview.fetch_entry("blog", "blt1")
    request = recorder.last
    assert entry.title == "eu-rest-preview.contentstack.com"
    assert str(request.url).startswith(
        "https://eu-rest-preview.contentstack.com/v3/content_types/blog/entries/blt1?"
    )
    assert request.headers["host"] == "eu-rest-preview.contentstack.com"
    assert request.headers["preview_token"] == "preview-secret"
    assert request.headers["live_preview"] == "hash-123"
    assert request.headers["release_id"] == "rel_1"
    assert request.headers["preview_timestamp"] == "2026-01-02T03:04:05.000Z"
    assert "access_token" not in request.headers
    assert request.url.params["environment"] == "production"
    # The parent is untouched, and closing the preview client leaves the shared pool open.
    preview.close()
    stack.fetch_entry("blog", "blt1")
    assert recorder.last.url.host == "eu-cdn.contentstack.com"
    assert recorder.last.headers["access_token"] == "delivery-secret"
    assert "live_preview" not in recorder.last.headers
    assert "preview-secret" not in repr(preview)


def test_preview_clients_are_safe_under_concurrency() -> None:
    seen: list[tuple[str, str | None]] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            seen.append((request.url.params["locale"], request.headers.get("live_preview")))
        return echo(request)

    stack = Stack("key", "token", "production", transport=httpx.MockTransport(handler))
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        client = stack.preview(f"hash-{n}", preview_token="p") if n % 2 else stack
        barrier.wait()
        for _ in range(20):
            client.fetch_entry("blog", "blt1", locale=f"l{n}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 160
    for locale, hash_ in seen:
        n = int(locale[1:])
        assert hash_ == (f"hash-{n}" if n % 2 else None)


async def test_async_preview_and_bad_preview_input() -> None:
    recorder = Recorder(echo)

    async def handler(request: httpx.Request) -> httpx.Response:
        return recorder(request)

    async with AsyncStack(
        "key", "token", "production", transport=httpx.MockTransport(handler)
    ) as stack:
        preview = stack.preview("h", preview_token="p", host="http://127.0.0.1:8123")
        await preview.query("blog").find_one()
        assert str(recorder.last.url).startswith(
            "http://127.0.0.1:8123/v3/content_types/blog/entries?"
        )
        with pytest.raises(ValueError, match="preview_token must be a non-empty string"):
            stack.preview("h", preview_token="")
        with pytest.raises(ValueError, match="CR, LF"):
            stack.preview("h\r\nx: 1", preview_token="p")
        with pytest.raises(ValueError, match="time zone"):
            stack.preview("h", preview_token="p", preview_timestamp=datetime.datetime(2026, 1, 1))
        with pytest.raises(ValueError, match="host must be"):
            stack.preview("h", preview_token="p", host="ftp://x/y")
