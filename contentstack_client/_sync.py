"""The Sync API as a typed, resumable event stream.

``for event in stack.iter_sync(): ...`` follows pagination tokens page by page (one page
in memory) and ends with the ``sync_token`` to ask for later changes. ``cursor`` says
exactly where to resume: the token of the page being read and how many of its events were
already delivered, so an interrupted run continues with nothing lost or repeated.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Iterator, Mapping
from http import HTTPStatus
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias, TypeVar

import attrs
import httpx

from ._base import decode_error
from ._exceptions import ContentstackError, ResponseDecodeError
from ._generated.cda.types import UNSET, Response, json_loads
from ._plans import Plan, Plans

if TYPE_CHECKING:
    from ._delivery import AsyncStack, Stack
    from ._generated.cda.models import Asset, Entry, SyncItem

V = TypeVar("V")


@attrs.frozen
class EntryPublished:
    """An entry was published (or republished); ``entry`` is its published state."""

    type: ClassVar[Literal["entry_published"]] = "entry_published"
    content_type_uid: str
    """Content type of the entry."""
    event_at: datetime.datetime | None
    """When it happened."""
    entry: Entry
    """The published entry."""


@attrs.frozen
class EntryUnpublished:
    """An entry was unpublished from the environment (one locale)."""

    type: ClassVar[Literal["entry_unpublished"]] = "entry_unpublished"
    content_type_uid: str
    """Content type of the entry."""
    event_at: datetime.datetime | None
    """When it happened."""
    uid: str
    """The entry's uid."""
    locale: str | None
    """The locale that was unpublished."""


@attrs.frozen
class EntryDeleted:
    """An entry was deleted."""

    type: ClassVar[Literal["entry_deleted"]] = "entry_deleted"
    content_type_uid: str
    """Content type of the entry."""
    event_at: datetime.datetime | None
    """When it happened."""
    uid: str
    """The entry's uid."""
    locale: str | None
    """The locale concerned."""


@attrs.frozen
class AssetPublished:
    """An asset was published; ``asset`` is its published state."""

    type: ClassVar[Literal["asset_published"]] = "asset_published"
    event_at: datetime.datetime | None
    """When it happened."""
    asset: Asset
    """The published asset."""


@attrs.frozen
class AssetUnpublished:
    """An asset was unpublished."""

    type: ClassVar[Literal["asset_unpublished"]] = "asset_unpublished"
    event_at: datetime.datetime | None
    """When it happened."""
    uid: str
    """The asset's uid."""
    locale: str | None
    """The locale concerned."""


@attrs.frozen
class AssetDeleted:
    """An asset was deleted."""

    type: ClassVar[Literal["asset_deleted"]] = "asset_deleted"
    event_at: datetime.datetime | None
    """When it happened."""
    uid: str
    """The asset's uid."""
    locale: str | None
    """The locale concerned."""


@attrs.frozen
class ContentTypeDeleted:
    """A content type was deleted, and with it all its entries."""

    type: ClassVar[Literal["content_type_deleted"]] = "content_type_deleted"
    event_at: datetime.datetime | None
    """When it happened."""
    content_type_uid: str
    """The deleted content type."""


@attrs.frozen
class UnknownSyncEvent:
    """An event type this version does not know yet, kept whole rather than dropped."""

    type: str
    """The event type as sent."""
    event_at: datetime.datetime | None
    """When it happened."""
    content_type_uid: str | None
    """Content type named by the event, if any."""
    data: dict[str, Any]
    """The event's data, untouched."""


SyncEvent: TypeAlias = (
    EntryPublished
    | EntryUnpublished
    | EntryDeleted
    | AssetPublished
    | AssetUnpublished
    | AssetDeleted
    | ContentTypeDeleted
    | UnknownSyncEvent
)
"""One Sync API event; match on the class (``case EntryPublished(entry=entry): ...``)."""


_MODELS: tuple[type[Entry], type[Asset]] | None = None


def _models() -> tuple[type[Entry], type[Asset]]:
    # The generated models are imported on first use (``import contentstack_client`` stays
    # cheap) and then kept: this runs once per event, 50,000 times in a large sync.
    global _MODELS
    if _MODELS is None:
        from ._generated.cda.models import Asset, Entry

        _MODELS = (Entry, Asset)
    return _MODELS


def sync_event(item: SyncItem) -> SyncEvent:
    """Turn a generated ``SyncItem`` (an item of a :meth:`Stack.sync` page) into its typed event."""
    raw = item.data
    data: dict[str, Any] = raw if isinstance(raw, dict) else ({} if raw is UNSET else {"data": raw})
    event_at = item.event_at if isinstance(item.event_at, datetime.datetime) else None
    ct = item.content_type_uid if isinstance(item.content_type_uid, str) else None
    return _event(item.type_, event_at, ct, data)


_fromisoformat = datetime.datetime.fromisoformat


def _raw_event(item: dict[str, Any]) -> SyncEvent:
    # The stream's path: the item as parsed from JSON, read the way ``SyncItem.from_dict``
    # reads it but without building (and then holding) a model per item.
    kind = item["type"]
    raw = item.get("data", UNSET)
    at = item.get("event_at")
    event_at = None if at is None else _fromisoformat(at)
    ct = item.get("content_type_uid")
    if isinstance(raw, dict) and isinstance(raw.get("uid"), str):
        # Published entries and assets first: nearly every event of a large sync is one.
        entry_model, asset_model = _MODELS or _models()
        if kind == "entry_published" and isinstance(ct, str) and ct:
            return EntryPublished(ct, event_at, entry_model.from_dict(raw))
        if kind == "asset_published":
            return AssetPublished(event_at, asset_model.from_dict(raw))
    if not isinstance(kind, str):
        raise TypeError(f"a sync item's type is a string, got {type(kind).__name__}")
    data: dict[str, Any] = raw if isinstance(raw, dict) else ({} if raw is UNSET else {"data": raw})
    return _event(kind, event_at, ct if isinstance(ct, str) else None, data)


def _event(
    kind: str, event_at: datetime.datetime | None, ct: str | None, data: dict[str, Any]
) -> SyncEvent:
    entry_model, asset_model = _MODELS or _models()
    uid = data.get("uid")
    if isinstance(uid, str):
        if kind == "entry_published" and ct:
            return EntryPublished(ct, event_at, entry_model.from_dict(data))
        if kind == "asset_published":
            return AssetPublished(event_at, asset_model.from_dict(data))
        locale = data.get("locale")
        locale = locale if isinstance(locale, str) else None
        if kind in _ENTRY_REMOVALS and ct:
            return _ENTRY_REMOVALS[kind](ct, event_at, uid, locale)
        if kind in _ASSET_REMOVALS:
            return _ASSET_REMOVALS[kind](event_at, uid, locale)
    if kind == "content_type_deleted" and ct:
        return ContentTypeDeleted(event_at, ct)
    # A new event type, or a known one missing what identifies it: keep it whole.
    return UnknownSyncEvent(kind, event_at, ct, dict(data))


_ENTRY_REMOVALS: dict[str, type[EntryUnpublished | EntryDeleted]] = {
    "entry_unpublished": EntryUnpublished,
    "entry_deleted": EntryDeleted,
}
_ASSET_REMOVALS: dict[str, type[AssetUnpublished | AssetDeleted]] = {
    "asset_unpublished": AssetUnpublished,
    "asset_deleted": AssetDeleted,
}


class SyncPage:
    """One page of the Sync API as the stream reads it: the items stay parsed JSON.

    Each item becomes its typed event only when the stream reaches it, and the event is
    gone once the consumer drops it. Holding a page of 100 ``SyncItem`` models instead made
    the garbage collector run ten times as often over a 50,000-event sync (455 young
    collections against 44), most of the gap to raw httpx in ``make bench``.
    """

    __slots__ = ("items", "pagination_token", "response", "sync_token", "total_count")

    def __init__(self, response: httpx.Response) -> None:
        """Read a 2xx Sync API response; a body of another shape raises ``TypeError``/``KeyError``."""
        body = json_loads(response.content)
        if not isinstance(body, dict):
            raise TypeError(f"a sync page is a JSON object, got {type(body).__name__}")
        items = body["items"]
        if not isinstance(items, list):
            raise TypeError(f"items is a list, got {type(items).__name__}")
        self.items: list[dict[str, Any]] = items
        self.pagination_token = _optional(body, "pagination_token", str)
        self.sync_token = _optional(body, "sync_token", str)
        self.total_count = _optional(body, "total_count", int)
        self.response = response  # names the request if an item turns out malformed

    def malformed(self, exc: Exception) -> ResponseDecodeError:
        """The error for an item of this page that is not what the API promises."""
        # Items are checked as they are reached, not all up front: one without a type,
        # with a bad date or an entry field of the wrong kind is the response's fault,
        # reported like a malformed page.
        return decode_error(exc, SyncPage, self.response)


# What building an event from a malformed item raises (a str item has no ``.get``).
_MALFORMED = (ValueError, KeyError, TypeError, AttributeError)


def _itself(page: SyncPage) -> SyncPage:
    return page


def _optional(body: dict[str, Any], key: str, kind: type[V]) -> V | None:
    value = body.get(key)
    if value is None or isinstance(value, kind):
        return value
    raise TypeError(f"{key} is a {kind.__name__}, got {type(value).__name__}")


class SyncPages:
    """The generated Sync endpoint's request, answered with a :class:`SyncPage`.

    Stands in for the generated module in a plan (same ``*_detailed`` calls), so retries,
    hooks, call options and decode errors are those of every other call.
    """

    @staticmethod
    def sync_detailed(*, client: Any, **kwargs: Any) -> Response[SyncPage]:
        """Request one page and read it."""
        response = client.get_httpx_client().request(**_endpoint()._get_kwargs(**kwargs))
        return _answer(response)

    @staticmethod
    async def asyncio_detailed(*, client: Any, **kwargs: Any) -> Response[SyncPage]:
        """Async twin of :meth:`sync_detailed`."""
        request = _endpoint()._get_kwargs(**kwargs)
        response = await client.get_async_httpx_client().request(**request)
        return _answer(response)


def _endpoint() -> ModuleType:
    from ._generated.cda.api.sync import sync

    return sync


def _answer(response: httpx.Response) -> Response[SyncPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=SyncPage(response),
    )


@attrs.frozen
class SyncCursor:
    """Where a sync stream stands: the page's token and how many of its events were delivered.

    With neither token the cursor points into the initial sync (resume it with the same
    filters). Store it (``to_dict``) after handling each event to resume exactly there.
    """

    pagination_token: str | None = None
    """Token of the page being read, when it is not the first or the last."""
    sync_token: str | None = None
    """Token of the delta to ask for (the final token once a stream is exhausted)."""
    offset: int = 0
    """Events of that page already delivered."""

    def __attrs_post_init__(self) -> None:
        if self.pagination_token is not None and self.sync_token is not None:
            raise ValueError("a cursor holds a pagination_token or a sync_token, not both")
        if isinstance(self.offset, bool) or not isinstance(self.offset, int) or self.offset < 0:
            raise ValueError(f"offset must be an int >= 0, got {self.offset!r}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for storing between runs."""
        return {
            "pagination_token": self.pagination_token,
            "sync_token": self.sync_token,
            "offset": self.offset,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SyncCursor:
        """Rebuild a cursor stored with :meth:`to_dict`."""
        return cls(data.get("pagination_token"), data.get("sync_token"), data.get("offset", 0))


class _Progress:
    """Token bookkeeping shared by the sync and async streams."""

    def __init__(self, cursor: SyncCursor, filters: Mapping[str, object]) -> None:
        self.pagination_token = cursor.pagination_token
        self.sync_token_in = cursor.sync_token
        self.offset = cursor.offset
        has_token = cursor.pagination_token is not None or cursor.sync_token is not None
        common = {k: v for k, v in filters.items() if k in ("branch", "extra_params")}
        # A token keeps the filters it was started with; sending filters again is refused
        # by the planner rather than silently ignored, so only the initial request has them.
        self.initial_filters = filters
        self.common = common
        if has_token:
            Plans.sync(
                cursor.pagination_token, cursor.sync_token, filters
            )  # check now, not on first next()
        self.final_token: str | None = None
        self.total_count: int | None = None
        self.next_page: Plan[SyncPage, SyncPage] | None = None

    def plan(self) -> Plan[SyncPage, SyncPage]:
        token = self.pagination_token
        if token is not None and self.next_page is not None:
            # Pages after the first differ only by their token: the rest is checked once.
            self.next_page = Plans.sync_next(self.next_page, token)
            return self.next_page
        if token is None and self.sync_token_in is None:
            plan = Plans.sync(None, None, self.initial_filters)
        else:
            plan = Plans.sync(token, self.sync_token_in, self.common)
        lean = Plan(SyncPages, plan.args, plan.kwargs, plan.options, SyncPage, _itself)
        if token is not None:
            self.next_page = lean
        return lean

    def deliver(self, page: SyncPage) -> Iterator[SyncEvent]:
        """The typed events of ``page`` from the offset on, counting each as delivered."""
        items = page.items
        for index in range(self.offset, len(items)):
            try:
                event = _raw_event(items[index])
            except _MALFORMED as exc:
                raise page.malformed(exc) from exc
            self.offset = index + 1  # delivered, as the cursor counts: resume after it
            yield event

    def advance(self, page: SyncPage) -> bool:
        """Move to the next page; False when the last page was read."""
        if self.total_count is None:
            self.total_count = page.total_count
        self.offset = 0
        if page.pagination_token:
            self.pagination_token, self.sync_token_in = page.pagination_token, None
            return True
        if page.sync_token:
            self.pagination_token, self.sync_token_in = None, page.sync_token
            self.final_token = page.sync_token
            return False
        raise ContentstackError("a sync page carried neither a pagination_token nor a sync_token")

    @property
    def cursor(self) -> SyncCursor:
        return SyncCursor(self.pagination_token, self.sync_token_in, self.offset)


class _Stream:
    """What both streams expose: where they stand and the final token."""

    _progress: _Progress

    @property
    def cursor(self) -> SyncCursor:
        """Where to resume: pass it to ``iter_sync(cursor=...)``."""
        return self._progress.cursor

    @property
    def sync_token(self) -> str | None:
        """The token for the next delta sync, once every event was delivered (else ``None``)."""
        return self._progress.final_token

    @property
    def total_count(self) -> int | None:
        """Events in this sync as the first page reported them."""
        return self._progress.total_count


class SyncStream(_Stream):
    """Iterate Sync API events across pages; see :meth:`Stack.iter_sync`."""

    def __init__(self, stack: Stack, cursor: SyncCursor, filters: Mapping[str, object]) -> None:
        """Use :meth:`Stack.iter_sync`."""
        self._stack = stack
        self._progress = _Progress(cursor, filters)

    def __iter__(self) -> Iterator[SyncEvent]:
        progress = self._progress
        if progress.final_token is not None:
            return
        while True:
            page = self._stack._run(progress.plan())
            yield from progress.deliver(page)
            more = progress.advance(page)
            del page  # freed before the next request: one page in memory, not two
            if not more:
                return


class AsyncSyncStream(_Stream):
    """Async twin of :class:`SyncStream`: ``async for event in stack.iter_sync()``."""

    def __init__(
        self, stack: AsyncStack, cursor: SyncCursor, filters: Mapping[str, object]
    ) -> None:
        """Use :meth:`AsyncStack.iter_sync`."""
        self._stack = stack
        self._progress = _Progress(cursor, filters)

    async def _events(self) -> AsyncIterator[SyncEvent]:
        progress = self._progress
        if progress.final_token is not None:
            return
        while True:
            page = await self._stack._run(progress.plan())
            for event in progress.deliver(page):
                yield event
            more = progress.advance(page)
            del page  # freed before the next request: one page in memory, not two
            if not more:
                return

    def __aiter__(self) -> AsyncIterator[SyncEvent]:
        return self._events()


def start_cursor(
    cursor: SyncCursor | None, pagination_token: str | None, sync_token: str | None
) -> SyncCursor:
    """The cursor a stream starts from: given, or built from one token, or the initial sync."""
    if cursor is not None:
        if pagination_token is not None or sync_token is not None:
            raise ValueError("pass a cursor or a token, not both")
        if not isinstance(cursor, SyncCursor):
            raise TypeError(f"cursor must be a SyncCursor, got {type(cursor).__name__}")
        return cursor
    return SyncCursor(pagination_token, sync_token)
