"""How the sync stream reads its pages: raw items made typed one at a time, one page held.

A page is kept as parsed JSON and each item becomes its event when the stream reaches it;
an item that is not what the API promises is a ``ResponseDecodeError`` naming the request,
raised where that item would have been delivered, with the cursor still pointing at it.
"""

from __future__ import annotations

import copy
import gc
from typing import Any

import httpx
import pytest

from contentstack_client import AsyncStack, ResponseDecodeError, Stack
from contentstack_client._generated.cda.models import SyncItem
from contentstack_client._sync import SyncCursor, SyncPage, sync_event

from .conftest import Recorder, load_payload

FIRST = load_payload("cda_sync_initial_with_pagination_token.json")
LAST = load_payload("cda_sync_last_page_with_sync_token.json")
MIXED = load_payload("cda_sync_mixed_event_types.json")


def serving(first: Any) -> Recorder:
    """The recorded two-page initial sync, its first page replaced by ``first``."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("init") == "true":
            return httpx.Response(200, json=first)
        if request.url.params.get("pagination_token") == FIRST["pagination_token"]:
            return httpx.Response(200, json=LAST)
        return httpx.Response(422, json={"error_message": "bad token", "error_code": 141})

    return Recorder(handler)


def stack_for(recorder: Recorder) -> Stack:
    return Stack("key", "token", "production", transport=recorder.transport())


def with_item(index: int, item: Any) -> dict[str, Any]:
    page: dict[str, Any] = copy.deepcopy(FIRST)
    page["items"][index] = item
    return page


def test_events_equal_those_of_the_generated_sync_item() -> None:
    # The stream reads raw items; a page from Stack.sync() holds SyncItem models. Both
    # must give the same events for every recorded item.
    for page in (FIRST, LAST, MIXED):
        with Stack("k", "t", "e", transport=serving(page).transport()) as stack:
            streamed = [event for _, event in zip(page["items"], stack.iter_sync(), strict=False)]
        expected = [sync_event(SyncItem.from_dict(item)) for item in page["items"]]
        assert streamed == expected


BAD_ITEMS = {
    "no type": {"event_at": "2026-01-01T00:00:00Z", "data": {"uid": "x"}},
    "type not a string": {"type": 7, "data": {"uid": "x"}},
    "not an object": "entry_published",
    "bad event_at": {"type": "entry_published", "event_at": "yesterday", "data": {"uid": "x"}},
    "entry with a bad date": {
        "type": "entry_published",
        "content_type_uid": "session",
        "data": {"uid": "x", "created_at": "not a date"},
    },
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_a_malformed_item_is_a_decode_error_where_it_stands(case: str) -> None:
    recorder = serving(with_item(3, BAD_ITEMS[case]))
    stream = stack_for(recorder).iter_sync()
    seen = []
    with pytest.raises(ResponseDecodeError) as info:
        for event in stream:
            seen.append(event)
    assert len(seen) == 3  # the items before it were delivered
    assert "/v3/stacks/sync" in str(info.value) and info.value.status_code == 200
    # Nothing skipped: resuming starts at the bad item again, and fails there again.
    assert stream.cursor == SyncCursor(offset=3)
    again = stack_for(recorder).iter_sync(cursor=stream.cursor)
    with pytest.raises(ResponseDecodeError):
        next(iter(again))


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"items": {"a": 1}, "pagination_token": "p"},
        {"pagination_token": "p"},
        {"items": [], "pagination_token": 5},
        {"items": [], "sync_token": "s", "total_count": "many"},
    ],
)
def test_a_malformed_page_is_a_decode_error_before_any_event(body: Any) -> None:
    stream = stack_for(serving(body)).iter_sync()
    with pytest.raises(ResponseDecodeError, match="does not match SyncPage"):
        next(iter(stream))
    assert stream.cursor == SyncCursor()


def test_a_body_that_is_not_json_is_a_decode_error() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, content=b"<html>"))
    with pytest.raises(ResponseDecodeError, match="is not valid JSON"):
        next(iter(stack_for(recorder).iter_sync()))


def test_one_page_is_held_while_the_next_is_fetched() -> None:
    held: list[int] = []

    def counting(request: httpx.Request) -> httpx.Response:
        gc.collect()
        held.append(sum(isinstance(o, SyncPage) for o in gc.get_objects()))
        return serving(FIRST)(request)

    recorder = Recorder(counting)
    events = sum(1 for _ in stack_for(recorder).iter_sync())
    assert events == len(FIRST["items"]) + len(LAST["items"])
    assert held == [0, 0]


async def test_the_async_stream_reads_pages_the_same_way() -> None:
    recorder = serving(with_item(2, BAD_ITEMS["bad event_at"]))
    async with AsyncStack("key", "token", "production", transport=recorder.transport()) as stack:
        stream = stack.iter_sync()
        seen = []
        with pytest.raises(ResponseDecodeError):
            async for event in stream:
                seen.append(event)
        assert [type(e).__name__ for e in seen] == ["AssetPublished", "EntryPublished"]
        assert stream.cursor == SyncCursor(offset=2)
        good = stack.iter_sync(cursor=SyncCursor(pagination_token=FIRST["pagination_token"]))
        assert len([e async for e in good]) == len(LAST["items"])
        assert good.sync_token == LAST["sync_token"]
