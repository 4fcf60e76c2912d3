"""Bound queries and their results: typed pages, single items, lazy iteration over pages.

A query built on a :class:`~contentstack_client.Stack` runs with ``find``/``find_one``/
``fetch``/``count``/``iter``; the same builder made from an ``AsyncStack`` has awaitable
twins and ``async for``. Iteration holds one page at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import attrs

from ._exceptions import ContentstackError
from ._params import _check_int
from ._plans import Plan, Plans
from ._query import (
    _Branch,
    _Conditions,
    _EntryListModifiers,
    _Extras,
    _Localized,
    _Paging,
    _Projection,
    _Raw,
    _Sorting,
    check_limit,
    page_params,
)

if TYPE_CHECKING:
    from ._delivery import AsyncStack, Stack
    from ._generated.cda.models import Asset, AssetsResponse, EntriesResponse, Entry

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class Page(Generic[T, R]):
    """One page of results: the typed ``items``, the total ``count`` when asked for, the raw response."""

    items: list[T]
    """The items of this page."""
    count: int | None
    """Total matches across all pages (only with ``include_count``)."""
    skip: int
    """Items skipped before this page."""
    response: R
    """The whole typed response (e.g. ``content_type`` or ``schema`` of an entries page)."""

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class _Walk:
    """Which page to ask for next while iterating, and when to stop (shared by sync and async)."""

    def __init__(self, start: int, page_size: int, max_items: int | None) -> None:
        if max_items is not None:
            if isinstance(max_items, bool) or not isinstance(max_items, int):
                raise TypeError(f"max_items must be an int, got {type(max_items).__name__}")
            if max_items < 0:
                raise ValueError(f"max_items must be >= 0, got {max_items}")
        self.offset = start
        self.page_size = page_size
        self.left = max_items
        self.total: int | None = None
        self.done = max_items == 0

    def request(self) -> dict[str, object] | None:
        if self.done:
            return None
        limit = self.page_size if self.left is None else min(self.page_size, self.left)
        # The count of the first page tells when to stop, saving the empty last request
        # when the total is a multiple of the page size.
        request: dict[str, object] = {"skip": self.offset, "limit": limit}
        if self.total is None:
            request["include_count"] = True
        return request

    def take(self, items: list[T], count: int | None, asked: int) -> list[T]:
        if self.total is None:
            self.total = count if count is not None else -1
        if self.left is not None:
            items = items[: self.left]
            self.left -= len(items)
        self.offset += len(items)
        self.done = (
            len(items) < asked
            or self.left == 0
            or (self.total is not None and 0 <= self.total <= self.offset)
        )
        return items


class _Pager(Generic[T, R]):
    """Planning of the list call of a bound query (implemented per kind of query)."""

    __slots__ = ()

    def _page_plan(self, overrides: Mapping[str, object]) -> Plan[Any, R]:
        raise NotImplementedError

    def _items(self, response: R) -> list[T]:
        raise NotImplementedError

    def _count(self, response: R) -> int | None:
        count = getattr(response, "count", None)
        return count if isinstance(count, int) else None

    def _page(self, response: R, overrides: Mapping[str, object], skip: object) -> Page[T, R]:
        start = overrides.get("skip", skip)
        return Page(
            self._items(response),
            self._count(response),
            start if isinstance(start, int) else 0,
            response,
        )


def _no_count() -> ContentstackError:
    return ContentstackError("the API answered include_count=true without a count")


class _SyncRunner(_Pager[T, R]):
    """``find``, ``find_one``, ``count`` and ``iter`` on a :class:`Stack`."""

    __slots__ = ()
    _stack: Stack
    _params: Mapping[str, object]

    def find(self) -> Page[T, R]:
        """Run the query: one page (``limit``, default 100 items)."""
        return self._page(self._stack._run(self._page_plan({})), {}, self._params.get("skip"))

    def find_one(self) -> T | None:
        """The first match, or ``None``."""
        items = self._items(self._stack._run(self._page_plan({"limit": 1})))
        return items[0] if items else None

    def count(self) -> int:
        """How many items match (one request for a single item plus the count)."""
        count = self._count(self._stack._run(self._page_plan({"limit": 1, "include_count": True})))
        if count is None:
            raise _no_count()
        return count

    def iter(self, *, page_size: int | None = None, max_items: int | None = None) -> Iterator[T]:
        """Every match, fetched lazily page by page (``page_size`` up to 100, at most ``max_items``).

        Pages are requested with ``skip``; sort on a stable field (``asc("uid")``) when content
        may change during a long iteration.
        """
        walk = _Walk(
            _start(self._params), check_limit(page_size, self._params.get("limit")), max_items
        )
        return self._iterate(walk)

    def _iterate(self, walk: _Walk) -> Iterator[T]:
        while (request := walk.request()) is not None:
            response = self._stack._run(self._page_plan(request))
            asked = request["limit"]
            assert isinstance(asked, int)
            yield from walk.take(self._items(response), self._count(response), asked)

    def __iter__(self) -> Iterator[T]:
        return self.iter()


class _AsyncRunner(_Pager[T, R]):
    """Awaitable ``find``, ``find_one``, ``count`` and ``async for`` on an :class:`AsyncStack`."""

    __slots__ = ()
    _stack: AsyncStack
    _params: Mapping[str, object]

    async def find(self) -> Page[T, R]:
        """Run the query: one page."""
        return self._page(await self._stack._run(self._page_plan({})), {}, self._params.get("skip"))

    async def find_one(self) -> T | None:
        """The first match, or ``None``."""
        items = self._items(await self._stack._run(self._page_plan({"limit": 1})))
        return items[0] if items else None

    async def count(self) -> int:
        """How many items match."""
        response = await self._stack._run(self._page_plan({"limit": 1, "include_count": True}))
        count = self._count(response)
        if count is None:
            raise _no_count()
        return count

    async def iter(
        self, *, page_size: int | None = None, max_items: int | None = None
    ) -> AsyncIterator[T]:
        """Every match, fetched lazily page by page: ``async for item in query.iter()``."""
        walk = _Walk(
            _start(self._params), check_limit(page_size, self._params.get("limit")), max_items
        )
        while (request := walk.request()) is not None:
            response = await self._stack._run(self._page_plan(request))
            asked = request["limit"]
            assert isinstance(asked, int)
            for item in walk.take(self._items(response), self._count(response), asked):
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self.iter()


def _start(params: Mapping[str, object]) -> int:
    skip = params.get("skip", 0)
    return skip if isinstance(skip, int) else 0


_LIST_ONLY = ("skip", "limit", "include_count", "asc", "desc", "tags", "typeahead")


def _single_params(
    query: _Conditions | _Paging | _Localized, drop: tuple[str, ...]
) -> dict[str, object]:
    """The parameters of a single-item fetch made from a list query; refuses list-only state."""
    if query._conditions:
        raise ValueError("fetch(uid) takes no conditions: use find_one() to fetch the first match")
    present = [k for k in (*_LIST_ONLY, *drop) if k in query._params]
    if present:
        raise ValueError(f"fetch(uid) does not apply {', '.join(present)}; they only shape lists")
    return page_params(query._params, query._raw, {})


class _EntryQueryBase(_EntryListModifiers, _Pager["Entry", "EntriesResponse"]):
    __slots__ = ()

    def _page_plan(self, overrides: Mapping[str, object]) -> Plan[Any, EntriesResponse]:
        params = page_params({**self._params, **overrides}, self._raw, self.to_query())
        return Plans.find_entries(self._target, params)

    def _items(self, response: EntriesResponse) -> list[Entry]:
        return response.entries

    def _fetch_plan(self, uid: str) -> Plan[Any, Entry]:
        params = _single_params(
            self, ("include_content_type", "include_global_field_schema", "include_schema")
        )
        return Plans.fetch_entry(self._target, uid, params)


class EntryQuery(_EntryQueryBase, _SyncRunner["Entry", "EntriesResponse"]):
    """Entries of one content type: build with the operator and modifier methods, then run.

    Made by :meth:`Stack.query`; every method returns a new query.
    """

    __slots__ = ()

    def __init__(self, stack: Stack, content_type_uid: str) -> None:
        """Use :meth:`Stack.query`."""
        super().__init__(stack, content_type_uid)

    def fetch(self, uid: str) -> Entry:
        """One entry by uid, with this query's modifiers (include, only, locale, variants, ...)."""
        stack: Stack = self._stack
        return stack._run(self._fetch_plan(uid))


class AsyncEntryQuery(_EntryQueryBase, _AsyncRunner["Entry", "EntriesResponse"]):
    """Async twin of :class:`EntryQuery`, made by :meth:`AsyncStack.query`."""

    __slots__ = ()

    def __init__(self, stack: AsyncStack, content_type_uid: str) -> None:
        """Use :meth:`AsyncStack.query`."""
        super().__init__(stack, content_type_uid)

    async def fetch(self, uid: str) -> Entry:
        """One entry by uid, with this query's modifiers."""
        stack: AsyncStack = self._stack
        return await stack._run(self._fetch_plan(uid))


class _AssetQueryBase(
    _Conditions,
    _Sorting,
    _Projection,
    _Localized,
    _Branch,
    _Extras,
    _Raw,
    _Pager["Asset", "AssetsResponse"],
):
    __slots__ = ()

    def include_dimension(self, enabled: bool = True) -> Self:
        """Add the pixel size of images."""
        return self._flag("include_dimension", enabled)

    def relative_urls(self, enabled: bool = True) -> Self:
        """Return URLs without the host."""
        return self._flag("relative_urls", enabled)

    def _project(self, kind: str, fields: tuple[str, ...], reference: str | None) -> Self:
        if reference is not None:
            raise ValueError(
                f"assets have no reference fields: {kind}(reference=...) does not apply"
            )
        return super()._project(kind, fields, reference)

    def _page_plan(self, overrides: Mapping[str, object]) -> Plan[Any, AssetsResponse]:
        return Plans.find_assets(
            page_params({**self._params, **overrides}, self._raw, self.to_query())
        )

    def _items(self, response: AssetsResponse) -> list[Asset]:
        return response.assets

    def _fetch_plan(self, uid: str, version: int | None) -> Plan[Any, Asset]:
        params = _single_params(self, ("only_base", "except_base"))
        if version is not None:
            params["version"] = _check_int("version", version)
        return Plans.fetch_asset(uid, params)


class AssetQuery(_AssetQueryBase, _SyncRunner["Asset", "AssetsResponse"]):
    """Published assets: conditions, ordering and modifiers; made by :meth:`Stack.asset_query`."""

    __slots__ = ()

    def __init__(self, stack: Stack) -> None:
        """Use :meth:`Stack.asset_query`."""
        super().__init__(stack, "assets")

    def fetch(self, uid: str, *, version: int | None = None) -> Asset:
        """One asset by uid (optionally a given version), with this query's modifiers."""
        stack: Stack = self._stack
        return stack._run(self._fetch_plan(uid, version))


class AsyncAssetQuery(_AssetQueryBase, _AsyncRunner["Asset", "AssetsResponse"]):
    """Async twin of :class:`AssetQuery`."""

    __slots__ = ()

    def __init__(self, stack: AsyncStack) -> None:
        """Use :meth:`AsyncStack.asset_query`."""
        super().__init__(stack, "assets")

    async def fetch(self, uid: str, *, version: int | None = None) -> Asset:
        """One asset by uid."""
        stack: AsyncStack = self._stack
        return await stack._run(self._fetch_plan(uid, version))


class _TaxonomyQueryBase(
    _Conditions, _Paging, _Localized, _Raw, _Pager["Entry", "EntriesResponse"]
):
    __slots__ = ()

    def resolve_terms(self, enabled: bool = True) -> Self:
        """Return taxonomy values as ``{uid, name, depth, order}`` rather than bare uids."""
        return self._flag("resolve_terms", enabled)

    def _page_plan(self, overrides: Mapping[str, object]) -> Plan[Any, EntriesResponse]:
        query = self.to_query()
        if not query:
            raise ValueError(
                "an entries-by-taxonomy query needs at least one condition on a taxonomies.* field"
            )
        params = page_params({**self._params, **overrides}, self._raw, {})
        return Plans.find_taxonomy_entries(query, params)

    def _items(self, response: EntriesResponse) -> list[Entry]:
        return response.entries


class TaxonomyQuery(_TaxonomyQueryBase, _SyncRunner["Entry", "EntriesResponse"]):
    """Entries of every content type by taxonomy terms (``/taxonomies/entries``).

    Conditions name ``taxonomies.<taxonomy_uid>``, e.g.
    ``stack.taxonomy_query().eq_below("taxonomies.color", "red", levels=2)``.
    """

    __slots__ = ()

    def __init__(self, stack: Stack) -> None:
        """Use :meth:`Stack.taxonomy_query`."""
        super().__init__(stack, "taxonomies")


class AsyncTaxonomyQuery(_TaxonomyQueryBase, _AsyncRunner["Entry", "EntriesResponse"]):
    """Async twin of :class:`TaxonomyQuery`."""

    __slots__ = ()

    def __init__(self, stack: AsyncStack) -> None:
        """Use :meth:`AsyncStack.taxonomy_query`."""
        super().__init__(stack, "taxonomies")
