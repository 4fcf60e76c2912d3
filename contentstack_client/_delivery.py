"""Delivery clients: :class:`Stack` (sync) and :class:`AsyncStack`, one per stack.

Both are thin: each method checks its arguments, then calls the generated endpoint
function with a pooled httpx client that carries the stack's headers, retries and typed
errors. The planning of a call is shared (``_plans.Plans``); only running it differs.
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

import attrs
import httpx

from ._base import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    AsyncPool,
    CallOptions,
    EventHooks,
    HTTPSettings,
    LazyAsyncClient,
    LazySyncClient,
    SyncPool,
    Views,
    achecked,
    call_options,
    check_header_value,
    checked,
    event_hooks_of,
    features_of,
    host_url,
    non_empty_header,
    retry_of,
    timeout_of,
)
from ._params import (
    AssetParams,
    AssetsParams,
    EntriesParams,
    EntryParams,
    GlobalFieldsParams,
    SchemaListParams,
    SchemaParams,
    SyncParams,
    TaxonomiesParams,
    TaxonomyEntriesParams,
    TaxonomyParams,
    TermLocalesParams,
    TermParams,
    TermRelativesParams,
    TermsParams,
)
from ._plans import Plan, Plans, _uid
from ._regions import Region, resolve_region
from ._results import (
    AssetQuery,
    AsyncAssetQuery,
    AsyncEntryQuery,
    AsyncTaxonomyQuery,
    EntryQuery,
    TaxonomyQuery,
)
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._secrets import mask
from ._sync import AsyncSyncStream, SyncCursor, SyncStream, start_cursor

if TYPE_CHECKING:
    from ._generated.cda.client import Client as GeneratedClient
    from ._generated.cda.models import (
        Asset,
        AssetsResponse,
        ContentType,
        ContentTypesResponse,
        EntriesResponse,
        Entry,
        GlobalField,
        GlobalFieldsResponse,
        SyncResponse,
        TaxonomiesResponse,
        Taxonomy,
        Term,
        TermsResponse,
    )

R = TypeVar("R")
T = TypeVar("T")


@attrs.frozen(repr=False)
class DeliveryConfig:
    """Settings of a delivery client; ``repr`` never shows the credentials."""

    api_key: str
    """The stack's API key (a credential: never shown)."""
    delivery_token: str
    """The delivery token (a credential: never shown)."""
    environment: str
    """Environment whose published content is read."""
    region: Region
    """Region whose hosts are used."""
    host: str | None
    """Host overriding the region's delivery host."""
    branch: str | None
    """Branch sent with every request."""
    early_access: tuple[str, ...]
    """Early-access features, sent as ``x-header-ea``."""
    timeout: httpx.Timeout
    """Connect, read, write and pool timeouts."""
    retry: RetryPolicy
    """When and how requests are retried."""

    @property
    def base_url(self) -> str:
        """Scheme and host of the delivery API, without the ``/v3`` prefix."""
        host = self.host or self.region.cda
        return host.rstrip("/") if "://" in host else f"https://{host}"

    def http_settings(self) -> HTTPSettings:
        """What the httpx client needs: base URL, auth headers, ``environment`` parameter."""
        headers = {
            "api_key": self.api_key,
            "access_token": self.delivery_token,
            "user-agent": USER_AGENT,
            "x-user-agent": USER_AGENT,
        }
        if self.branch:
            headers["branch"] = self.branch
        if self.early_access:
            headers["x-header-ea"] = ",".join(self.early_access)
        return HTTPSettings(
            base_url=self.base_url,
            headers=headers,
            params={"environment": self.environment},
            timeout=self.timeout,
            retry=self.retry,
        )

    def __repr__(self) -> str:
        return (
            f"DeliveryConfig(api_key={mask(self.api_key)}, delivery_token={mask(self.delivery_token)}, "
            f"environment={self.environment!r}, region={self.region.name!r}, base_url={self.base_url!r}, "
            f"branch={self.branch!r})"
        )


def _config(
    api_key: str,
    delivery_token: str,
    environment: str,
    region: str | Region,
    host: str | None,
    branch: str | None,
    early_access: Collection[str],
    timeout: float | httpx.Timeout,
    retry: RetryPolicy | int,
) -> DeliveryConfig:
    for name, value in (
        ("api_key", api_key),
        ("delivery_token", delivery_token),
        ("environment", environment),
    ):
        non_empty_header(name, value)
    if host is not None:
        host_url(host, "host")
    if branch is not None:
        check_header_value("branch", branch)
    return DeliveryConfig(
        api_key=api_key,
        delivery_token=delivery_token,
        environment=environment,
        region=resolve_region(region),
        host=host,
        branch=branch,
        early_access=features_of(early_access),
        timeout=timeout_of(timeout),
        retry=retry_of(retry),
    )


def _preview_options(
    config: DeliveryConfig,
    live_preview: str,
    preview_token: str,
    release_id: str | None,
    preview_timestamp: datetime.datetime | str | None,
    host: str | None,
) -> CallOptions:
    """Per-call options that send a call to the preview host with the preview context."""
    headers: list[tuple[str, str]] = []
    for name, value in (("live_preview", live_preview), ("preview_token", preview_token)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
        headers.append((name, check_header_value(name, value)))
    if release_id is not None:
        headers.append(
            ("release_id", check_header_value("release_id", _uid("release_id", release_id)))
        )
    if preview_timestamp is not None:
        if isinstance(preview_timestamp, datetime.datetime):
            if preview_timestamp.tzinfo is None:
                raise ValueError("preview_timestamp must carry a time zone")
            stamp = preview_timestamp.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
            preview_timestamp = stamp.replace("+00:00", "Z")
        headers.append(
            ("preview_timestamp", check_header_value("preview_timestamp", preview_timestamp))
        )
    # The delivery token stays home: the preview service authenticates the preview token.
    return CallOptions(
        headers=tuple(headers),
        drop_headers=("access_token",),
        origin=host_url(host or config.region.preview, "host"),
    )


class _Views(Views):
    """Derived views of a delivery client, plus the preview view."""

    config: DeliveryConfig

    def preview(
        self,
        live_preview: str,
        *,
        preview_token: str,
        release_id: str | None = None,
        preview_timestamp: datetime.datetime | str | None = None,
        host: str | None = None,
    ) -> Self:
        """A client for one Live Preview request: the same stack read through the preview host.

        It shares this client's connection pool; every call it makes carries the preview
        token and context, and calls made through ``self`` are unaffected, so a preview
        client per incoming request is safe under concurrency.

        Args:
            live_preview: The ``live_preview`` hash from the preview iframe's URL.
            preview_token: A preview token of the stack (sent instead of the delivery token).
            release_id: Timeline: preview as if this release were deployed.
            preview_timestamp: Timeline: preview content as of this time.
            host: The preview host, when not the region's (``rest-preview.contentstack.com``).

        """
        return self._derive(
            _preview_options(
                self.config, live_preview, preview_token, release_id, preview_timestamp, host
            )
        )


class Stack(_Views, SyncPool):
    """Read published content of one stack through the Content Delivery API.

    Construction does no I/O; the pooled HTTP client is created on the first request and
    closed by :meth:`close` or by leaving a ``with`` block.
    """

    def __init__(
        self,
        api_key: str,
        delivery_token: str,
        environment: str,
        *,
        region: str | Region = "na",
        host: str | None = None,
        branch: str | None = None,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; nothing is sent or opened until the first call.

        Args:
            api_key: The stack's API key.
            delivery_token: A delivery token of ``environment``.
            environment: The environment to read published content from.
            region: ``na`` (default), ``eu``, ``au``, ``azure-na``, ``azure-eu``, ``gcp-na``,
                ``gcp-eu``, or an alias such as ``us`` or ``aws-eu``.
            host: A host name or ``scheme://host[:port]`` overriding the region's CDA host.
            branch: Branch UID or alias for every request (``main`` when omitted).
            early_access: Early-access feature names, sent as ``x-header-ea``.
            timeout: Seconds, or an ``httpx.Timeout`` for connect/read/write/pool.
            retry: Retries after the first attempt, or a full :class:`RetryPolicy`.
            transport: An httpx transport to send through (a mock, or the testing kit's).
            http_client: Your own ``httpx.Client`` to send through (its pool, proxies, TLS).
            event_hooks: ``{"request": [...], "response": [...]}`` callables given every
                httpx request and response (failed ones included), e.g. for metrics.

        """
        self.config = _config(
            api_key, delivery_token, environment, region, host, branch, early_access, timeout, retry
        )
        settings = attrs.evolve(
            self.config.http_settings(), event_hooks=event_hooks_of(event_hooks)
        )
        self._http = LazySyncClient(lambda: settings.sync_client(transport, http_client))
        self._generated: GeneratedClient | None = None
        self._defaults: CallOptions | None = None
        self._owns_http = True

    def __repr__(self) -> str:
        return f"Stack({self.config!r})"

    @property
    def generated_client(self) -> GeneratedClient:
        """A generated-package client bound to this stack, to call ``_generated.cda.api`` functions directly."""
        client = self._generated
        if client is None:
            from ._generated.cda.client import Client

            client = Client(base_url=self.config.base_url)
            client.set_httpx_client(self._http.get())
            self._generated = client
        return client

    def _run(self, plan: Plan[R, T]) -> T:
        client = self.generated_client

        def call() -> Any:
            return plan.endpoint.sync_detailed(*plan.args, client=client, **plan.kwargs)

        options = plan.options if self._defaults is None else self._defaults.merged(plan.options)
        if options is None:
            return plan.unwrap(checked(call, plan.expected))
        with call_options(options):
            return plan.unwrap(checked(call, plan.expected))

    def query(self, content_type_uid: str) -> EntryQuery:
        """A query on the entries of a content type: add conditions and modifiers, then ``find``/``iter``."""
        return EntryQuery(self, _uid("content_type_uid", content_type_uid))

    def asset_query(self) -> AssetQuery:
        """A query on published assets."""
        return AssetQuery(self)

    def taxonomy_query(self) -> TaxonomyQuery:
        """A query on entries of every content type by taxonomy terms."""
        return TaxonomyQuery(self)

    def iter_sync(
        self,
        *,
        cursor: SyncCursor | None = None,
        sync_token: str | None = None,
        pagination_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> SyncStream:
        """Every Sync API event, page after page; ``.sync_token`` once done, ``.cursor`` to resume.

        Without a token it runs an initial sync (optionally filtered); with ``sync_token`` the
        changes since; with ``cursor`` it resumes exactly where a stream stopped.
        """
        return SyncStream(self, start_cursor(cursor, pagination_token, sync_token), filters)

    def fetch_content_type(self, uid: str, **params: Unpack[SchemaParams]) -> ContentType:
        """Get one content type with its schema."""
        return self._run(Plans.fetch_content_type(uid, params))

    def find_content_types(self, **params: Unpack[SchemaListParams]) -> ContentTypesResponse:
        """Get a page of content types (``.content_types``, ``.count`` with ``include_count``)."""
        return self._run(Plans.find_content_types(params))

    def fetch_global_field(self, uid: str, **params: Unpack[SchemaParams]) -> GlobalField:
        """Get one global field."""
        return self._run(Plans.fetch_global_field(uid, params))

    def find_global_fields(self, **params: Unpack[GlobalFieldsParams]) -> GlobalFieldsResponse:
        """Get a page of global fields."""
        return self._run(Plans.find_global_fields(params))

    def fetch_entry(self, content_type_uid: str, uid: str, **params: Unpack[EntryParams]) -> Entry:
        """Get one published entry; custom fields are read as ``entry["field_uid"]``."""
        return self._run(Plans.fetch_entry(content_type_uid, uid, params))

    def find_entries(
        self, content_type_uid: str, **params: Unpack[EntriesParams]
    ) -> EntriesResponse:
        """Get a page of entries (``.entries``, ``.count``, ``.content_type``)."""
        return self._run(Plans.find_entries(content_type_uid, params))

    def fetch_asset(self, uid: str, **params: Unpack[AssetParams]) -> Asset:
        """Get one published asset."""
        return self._run(Plans.fetch_asset(uid, params))

    def find_assets(self, **params: Unpack[AssetsParams]) -> AssetsResponse:
        """Get a page of assets."""
        return self._run(Plans.find_assets(params))

    def find_taxonomies(self, **params: Unpack[TaxonomiesParams]) -> TaxonomiesResponse:
        """Get the published taxonomies."""
        return self._run(Plans.find_taxonomies(params))

    def fetch_taxonomy(self, uid: str, **params: Unpack[TaxonomyParams]) -> Taxonomy:
        """Get one published taxonomy."""
        return self._run(Plans.fetch_taxonomy(uid, params))

    def find_terms(self, taxonomy_uid: str, **params: Unpack[TermsParams]) -> TermsResponse:
        """Get a page of the published terms of a taxonomy."""
        return self._run(Plans.find_terms(taxonomy_uid, params))

    def fetch_term(self, taxonomy_uid: str, uid: str, **params: Unpack[TermParams]) -> Term:
        """Get one published term."""
        return self._run(Plans.fetch_term(taxonomy_uid, uid, params))

    def fetch_term_locales(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermLocalesParams]
    ) -> list[Term]:
        """Get a term once per locale it is published in."""
        return self._run(Plans.fetch_term_locales(taxonomy_uid, uid, params))

    def fetch_term_ancestors(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the ancestors of a term."""
        return self._run(Plans.fetch_term_relatives(taxonomy_uid, uid, "ancestors", params))

    def fetch_term_descendants(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the descendants of a term."""
        return self._run(Plans.fetch_term_relatives(taxonomy_uid, uid, "descendants", params))

    def find_taxonomy_entries(
        self, query: Mapping[str, Any], **params: Unpack[TaxonomyEntriesParams]
    ) -> EntriesResponse:
        """Get entries of any content type by taxonomy terms, e.g. ``{"taxonomies.color": "red"}``."""
        return self._run(Plans.find_taxonomy_entries(query, params))

    def sync(
        self,
        *,
        pagination_token: str | None = None,
        sync_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> SyncResponse:
        """Get one page of the Sync API: an initial sync, the next page, or changes since a sync token."""
        return self._run(Plans.sync(pagination_token, sync_token, filters))


class AsyncStack(_Views, AsyncPool):
    """Async twin of :class:`Stack`: the same methods, awaited."""

    def __init__(
        self,
        api_key: str,
        delivery_token: str,
        environment: str,
        *,
        region: str | Region = "na",
        host: str | None = None,
        branch: str | None = None,
        early_access: Collection[str] = (),
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int = DEFAULT_RETRY,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: EventHooks | None = None,
    ) -> None:
        """Configure a client; the arguments are :class:`Stack`'s, with async transports (and async hooks)."""
        self.config = _config(
            api_key, delivery_token, environment, region, host, branch, early_access, timeout, retry
        )
        settings = attrs.evolve(
            self.config.http_settings(), event_hooks=event_hooks_of(event_hooks)
        )
        self._http = LazyAsyncClient(lambda: settings.async_client(transport, http_client))
        self._generated: GeneratedClient | None = None
        self._defaults: CallOptions | None = None
        self._owns_http = True

    def __repr__(self) -> str:
        return f"AsyncStack({self.config!r})"

    @property
    def generated_client(self) -> GeneratedClient:
        """A generated-package client bound to this stack, to call ``_generated.cda.api`` functions directly."""
        client = self._generated
        if client is None:
            from ._generated.cda.client import Client

            client = Client(base_url=self.config.base_url)
            client.set_async_httpx_client(self._http.get())
            self._generated = client
        return client

    async def _run(self, plan: Plan[R, T]) -> T:
        client = self.generated_client

        def call() -> Awaitable[Any]:
            return plan.endpoint.asyncio_detailed(*plan.args, client=client, **plan.kwargs)  # type: ignore[no-any-return]

        options = plan.options if self._defaults is None else self._defaults.merged(plan.options)
        if options is None:
            return plan.unwrap(await achecked(call, plan.expected))
        with call_options(options):
            return plan.unwrap(await achecked(call, plan.expected))

    def query(self, content_type_uid: str) -> AsyncEntryQuery:
        """A query on the entries of a content type; ``await q.find()`` or ``async for e in q``."""
        return AsyncEntryQuery(self, _uid("content_type_uid", content_type_uid))

    def asset_query(self) -> AsyncAssetQuery:
        """A query on published assets."""
        return AsyncAssetQuery(self)

    def taxonomy_query(self) -> AsyncTaxonomyQuery:
        """A query on entries of every content type by taxonomy terms."""
        return AsyncTaxonomyQuery(self)

    def iter_sync(
        self,
        *,
        cursor: SyncCursor | None = None,
        sync_token: str | None = None,
        pagination_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> AsyncSyncStream:
        """Every Sync API event: ``async for event in stack.iter_sync()``; see :meth:`Stack.iter_sync`."""
        return AsyncSyncStream(self, start_cursor(cursor, pagination_token, sync_token), filters)

    async def fetch_content_type(self, uid: str, **params: Unpack[SchemaParams]) -> ContentType:
        """Get one content type with its schema."""
        return await self._run(Plans.fetch_content_type(uid, params))

    async def find_content_types(self, **params: Unpack[SchemaListParams]) -> ContentTypesResponse:
        """Get a page of content types."""
        return await self._run(Plans.find_content_types(params))

    async def fetch_global_field(self, uid: str, **params: Unpack[SchemaParams]) -> GlobalField:
        """Get one global field."""
        return await self._run(Plans.fetch_global_field(uid, params))

    async def find_global_fields(
        self, **params: Unpack[GlobalFieldsParams]
    ) -> GlobalFieldsResponse:
        """Get a page of global fields."""
        return await self._run(Plans.find_global_fields(params))

    async def fetch_entry(
        self, content_type_uid: str, uid: str, **params: Unpack[EntryParams]
    ) -> Entry:
        """Get one published entry."""
        return await self._run(Plans.fetch_entry(content_type_uid, uid, params))

    async def find_entries(
        self, content_type_uid: str, **params: Unpack[EntriesParams]
    ) -> EntriesResponse:
        """Get a page of entries."""
        return await self._run(Plans.find_entries(content_type_uid, params))

    async def fetch_asset(self, uid: str, **params: Unpack[AssetParams]) -> Asset:
        """Get one published asset."""
        return await self._run(Plans.fetch_asset(uid, params))

    async def find_assets(self, **params: Unpack[AssetsParams]) -> AssetsResponse:
        """Get a page of assets."""
        return await self._run(Plans.find_assets(params))

    async def find_taxonomies(self, **params: Unpack[TaxonomiesParams]) -> TaxonomiesResponse:
        """Get the published taxonomies."""
        return await self._run(Plans.find_taxonomies(params))

    async def fetch_taxonomy(self, uid: str, **params: Unpack[TaxonomyParams]) -> Taxonomy:
        """Get one published taxonomy."""
        return await self._run(Plans.fetch_taxonomy(uid, params))

    async def find_terms(self, taxonomy_uid: str, **params: Unpack[TermsParams]) -> TermsResponse:
        """Get a page of the published terms of a taxonomy."""
        return await self._run(Plans.find_terms(taxonomy_uid, params))

    async def fetch_term(self, taxonomy_uid: str, uid: str, **params: Unpack[TermParams]) -> Term:
        """Get one published term."""
        return await self._run(Plans.fetch_term(taxonomy_uid, uid, params))

    async def fetch_term_locales(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermLocalesParams]
    ) -> list[Term]:
        """Get a term once per locale it is published in."""
        return await self._run(Plans.fetch_term_locales(taxonomy_uid, uid, params))

    async def fetch_term_ancestors(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the ancestors of a term."""
        return await self._run(Plans.fetch_term_relatives(taxonomy_uid, uid, "ancestors", params))

    async def fetch_term_descendants(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the descendants of a term."""
        return await self._run(Plans.fetch_term_relatives(taxonomy_uid, uid, "descendants", params))

    async def find_taxonomy_entries(
        self, query: Mapping[str, Any], **params: Unpack[TaxonomyEntriesParams]
    ) -> EntriesResponse:
        """Get entries of any content type by taxonomy terms."""
        return await self._run(Plans.find_taxonomy_entries(query, params))

    async def sync(
        self,
        *,
        pagination_token: str | None = None,
        sync_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> SyncResponse:
        """Get one page of the Sync API."""
        return await self._run(Plans.sync(pagination_token, sync_token, filters))
