"""Static types of the public API, checked by mypy --strict (assert_type is a no-op at run time)."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, assert_type

from contentstack_client import (
    AssetQuery,
    AsyncEntryQuery,
    AsyncStack,
    AsyncSyncStream,
    EntryQuery,
    Filter,
    Page,
    RetryPolicy,
    Stack,
    SyncCursor,
    SyncEvent,
    SyncStream,
    TaxonomyQuery,
)
from contentstack_client._generated.cda.models import (
    Asset,
    AssetsResponse,
    ContentType,
    ContentTypesResponse,
    EntriesResponse,
    Entry,
    SyncResponse,
    Term,
)
from contentstack_client._generated.cda.types import Unset
from contentstack_client.testing import InMemoryStack


def test_sync_results_are_precisely_typed() -> None:
    kit = InMemoryStack.demo()
    with kit.stack(retry=RetryPolicy(max_retries=0)) as stack:
        assert_type(stack, Stack)
        entry = stack.fetch_entry("blog_post", "blt_post_01", include=["author"])
        assert_type(entry, Entry)
        assert_type(entry.uid, str)
        assert_type(entry.title, str | Unset)
        assert_type(entry.updated_at, datetime.datetime | Unset)
        assert_type(entry["body"], Any)
        page = stack.find_entries("blog_post", limit=2, include_count=True)
        assert_type(page, EntriesResponse)
        assert_type(page.entries, list[Entry])
        assert_type(page.count, int | Unset)
        assert_type(stack.fetch_asset("blt_asset_hero"), Asset)
        assert_type(stack.find_assets(), AssetsResponse)
        assert_type(stack.fetch_content_type("blog_post"), ContentType)
        assert_type(stack.find_content_types(), ContentTypesResponse)
        assert_type(stack.find_terms("topics").terms, list[Term])
        # Unset narrows away on truthiness, so optional fields read naturally.
        title = entry.title or ""
        assert_type(title, str)
        assert title == "Typed clients make refactoring safe"


async def test_async_results_are_precisely_typed() -> None:
    kit = InMemoryStack.demo()
    async with kit.async_stack() as stack:
        assert_type(stack, AsyncStack)
        entry = await stack.fetch_entry("blog_post", "blt_post_01")
        assert_type(entry, Entry)
        assert_type(await stack.find_entries("author"), EntriesResponse)


def test_query_builder_is_precisely_typed() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        query = stack.query("blog_post").where("title", "x").gt("n", 1).include("author").limit(2)
        assert_type(query, EntryQuery)
        assert_type(Filter().where("a", 1).or_(Filter().lt("n", 2)), Filter)
        assert_type(stack.asset_query().include_dimension(), AssetQuery)
        assert_type(stack.taxonomy_query().eq_below("taxonomies.c", "t"), TaxonomyQuery)
        assert_type(query.find, Callable[[], Page[Entry, EntriesResponse]])
        assert_type(query.find_one, Callable[[], Entry | None])
        fetch: Callable[[str], Entry] = query.fetch
        assert callable(fetch)
        assert_type(query.iter(), Iterator[Entry])
        assert_type(stack.asset_query().find, Callable[[], Page[Asset, AssetsResponse]])
        stream = stack.iter_sync(content_type_uid="blog_post")
        assert_type(stream, SyncStream)
        assert_type(iter(stream), Iterator[SyncEvent])
        assert_type(stream.cursor, SyncCursor)
        assert_type(stream.sync_token, str | None)
        assert_type(stack.preview("hash", preview_token="p"), Stack)


async def test_async_query_builder_is_precisely_typed() -> None:
    kit = InMemoryStack.demo()
    async with kit.async_stack() as stack:
        query = stack.query("blog_post").locale("en-us", fallback=True)
        assert_type(query, AsyncEntryQuery)
        assert_type(query.iter(), AsyncIterator[Entry])
        assert_type(stack.iter_sync(), AsyncSyncStream)
        assert_type(stack.preview("hash", preview_token="p"), AsyncStack)


def typed_only(stack: Stack) -> SyncResponse:
    """Never called: mypy checks these signatures and their errors."""
    stack.find_entries("blog_post", limit="10")  # type: ignore[arg-type]
    stack.find_entries("blog_post", not_a_parameter=True)  # type: ignore[call-arg]
    stack.fetch_entry("blog_post", "uid", skip=1)  # type: ignore[call-arg]
    stack.query("blog_post").limit("10")  # type: ignore[arg-type]
    stack.query("blog_post").in_("tags", 3)  # type: ignore[arg-type]
    stack.asset_query().include("author")  # type: ignore[attr-defined]
    stack.taxonomy_query().asc("title")  # type: ignore[attr-defined]
    return stack.sync(sync_types=["entry_published"])


def test_management_api_is_precisely_typed() -> None:
    from contentstack_client import ManagementStack, pages
    from contentstack_client._generated.cma import models as cma
    from contentstack_client._generated.cma.types import Unset as CmaUnset

    kit = InMemoryStack.demo()
    with kit.management_stack() as stack:
        assert_type(stack, ManagementStack)
        body = stack.api.entries.get_entry("blog_post", "blt_post_01", locale="en-us")
        assert_type(body, cma.EntryResponse)
        assert_type(body.entry, cma.Entry | CmaUnset)
        page_iter = pages(stack.api.entries.get_entries, "blog_post", page_size=2)
        assert_type(page_iter, Iterator[cma.EntriesResponse])
        assert_type(stack.api.environments.get_environments(), cma.EnvironmentsResponse)
        published = stack.publish_entry(
            "blog_post", "blt_post_01", environments=[kit.environment], locales=["en-us"]
        )
        assert_type(published, cma.EntryPublishResponse)
        asset = stack.upload_asset(__file__, title="Itself")
        assert_type(asset, cma.Asset)


def management_typed_only(stack: Any) -> None:
    """Never called: mypy checks these calls against the generated signatures."""
    from contentstack_client import ManagementStack

    typed: ManagementStack = stack
    typed.api.entries.get_entries("blog", limit="10")  # type: ignore[arg-type]
    typed.api.entries.get_entries("blog", not_a_parameter=1)  # type: ignore[call-arg]
    typed.api.entries.create_entry("blog")  # type: ignore[call-arg]
    typed.publish_entry("blog", "uid", environments=["p"])  # type: ignore[call-arg]
