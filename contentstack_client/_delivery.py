"""Delivery clients: :class:`Stack` (sync) and :class:`AsyncStack`, one per stack.

Both are thin: each method checks its arguments, then calls the generated endpoint
function with a pooled httpx client that carries the stack's headers, retries and typed
errors. The planning of a call is shared (``_plan_*``); only running it differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, Unpack
from urllib.parse import urlsplit

import attrs
import httpx

from ._base import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    CallOptions,
    HTTPSettings,
    LazyAsyncClient,
    LazySyncClient,
    achecked,
    call_options,
    check_header_value,
    checked,
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
    accepted,
    to_kwargs,
)
from ._regions import Region, resolve_region
from ._retry import DEFAULT_RETRY, RetryPolicy
from ._secrets import mask

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


@attrs.frozen
class _Plan(Generic[R, T]):
    """A checked call: which generated function, with what, and how to unwrap the body."""

    endpoint: ModuleType
    args: tuple[str, ...]
    kwargs: dict[str, Any]
    options: CallOptions | None
    expected: type[R]
    unwrap: Callable[[R], T]


def _uid(name: str, value: object) -> str:
    # Path segments are percent-encoded by the generated code; an empty value or a dot
    # segment would still change which resource is addressed.
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if value in ("", ".", ".."):
        raise ValueError(f"{name} must be a non-empty uid, got {value!r}")
    return value


def _plan(
    endpoint: ModuleType,
    args: tuple[str, ...],
    params: Mapping[str, object],
    params_type: type,
    expected: type[R],
    unwrap: Callable[[R], T],
) -> _Plan[R, T]:
    kwargs, options = to_kwargs(params, accepted(params_type))
    return _Plan(endpoint, args, kwargs, options, expected, unwrap)


def _same(value: T) -> T:
    return value


def _relatives(body: Any, key: str) -> list[Term]:
    # The reference documents {term: {..., ancestors|descendants: [...]}}; the management
    # API answers the same route with {terms: [...]}. Accept either.
    from ._generated.cda.types import Unset

    if not isinstance(body.terms, Unset):
        return list(body.terms)
    if not isinstance(body.term, Unset):
        related = getattr(body.term, key)
        return [] if isinstance(related, Unset) else list(related)
    return []


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
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
        check_header_value(name, value)
    if host is not None:
        parts = urlsplit(host if "://" in host else f"https://{host}")
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
        ):
            raise ValueError(
                f"host must be a host name or a scheme://host[:port] URL, got {host!r}"
            )
    if branch is not None:
        check_header_value("branch", branch)
    if isinstance(early_access, str):
        raise TypeError("early_access must be a collection of feature names, not one string")
    features = tuple(check_header_value("early_access", f) for f in early_access)
    return DeliveryConfig(
        api_key=api_key,
        delivery_token=delivery_token,
        environment=environment,
        region=resolve_region(region),
        host=host,
        branch=branch,
        early_access=features,
        timeout=timeout
        if isinstance(timeout, httpx.Timeout)
        else httpx.Timeout(timeout, connect=min(5.0, timeout)),
        retry=retry if isinstance(retry, RetryPolicy) else RetryPolicy(max_retries=retry),
    )


class _Plans:
    """The calls of the delivery API, checked and ready to run (shared by both clients)."""

    @staticmethod
    def fetch_content_type(uid: str, params: Mapping[str, object]) -> _Plan[Any, ContentType]:
        from ._generated.cda.api.content_types import get_content_type
        from ._generated.cda.models import ContentTypeResponse

        return _plan(
            get_content_type,
            (_uid("content_type_uid", uid),),
            params,
            SchemaParams,
            ContentTypeResponse,
            lambda r: r.content_type,
        )

    @staticmethod
    def find_content_types(params: Mapping[str, object]) -> _Plan[Any, ContentTypesResponse]:
        from ._generated.cda.api.content_types import get_content_types
        from ._generated.cda.models import ContentTypesResponse

        return _plan(get_content_types, (), params, SchemaListParams, ContentTypesResponse, _same)

    @staticmethod
    def fetch_global_field(uid: str, params: Mapping[str, object]) -> _Plan[Any, GlobalField]:
        from ._generated.cda.api.global_fields import get_global_field
        from ._generated.cda.models import GlobalFieldResponse

        return _plan(
            get_global_field,
            (_uid("global_field_uid", uid),),
            params,
            SchemaParams,
            GlobalFieldResponse,
            lambda r: r.global_field,
        )

    @staticmethod
    def find_global_fields(params: Mapping[str, object]) -> _Plan[Any, GlobalFieldsResponse]:
        from ._generated.cda.api.global_fields import get_global_fields
        from ._generated.cda.models import GlobalFieldsResponse

        return _plan(get_global_fields, (), params, GlobalFieldsParams, GlobalFieldsResponse, _same)

    @staticmethod
    def fetch_entry(
        content_type_uid: str, uid: str, params: Mapping[str, object]
    ) -> _Plan[Any, Entry]:
        from ._generated.cda.api.entries import get_entry
        from ._generated.cda.models import EntryResponse

        args = (_uid("content_type_uid", content_type_uid), _uid("entry_uid", uid))
        return _plan(get_entry, args, params, EntryParams, EntryResponse, lambda r: r.entry)

    @staticmethod
    def find_entries(
        content_type_uid: str, params: Mapping[str, object]
    ) -> _Plan[Any, EntriesResponse]:
        from ._generated.cda.api.entries import get_entries
        from ._generated.cda.models import EntriesResponse

        args = (_uid("content_type_uid", content_type_uid),)
        return _plan(get_entries, args, params, EntriesParams, EntriesResponse, _same)

    @staticmethod
    def fetch_asset(uid: str, params: Mapping[str, object]) -> _Plan[Any, Asset]:
        from ._generated.cda.api.assets import get_asset
        from ._generated.cda.models import AssetResponse

        return _plan(
            get_asset,
            (_uid("asset_uid", uid),),
            params,
            AssetParams,
            AssetResponse,
            lambda r: r.asset,
        )

    @staticmethod
    def find_assets(params: Mapping[str, object]) -> _Plan[Any, AssetsResponse]:
        from ._generated.cda.api.assets import get_assets
        from ._generated.cda.models import AssetsResponse

        return _plan(get_assets, (), params, AssetsParams, AssetsResponse, _same)

    @staticmethod
    def find_taxonomies(params: Mapping[str, object]) -> _Plan[Any, TaxonomiesResponse]:
        from ._generated.cda.api.taxonomies import get_taxonomies
        from ._generated.cda.models import TaxonomiesResponse

        return _plan(get_taxonomies, (), params, TaxonomiesParams, TaxonomiesResponse, _same)

    @staticmethod
    def fetch_taxonomy(uid: str, params: Mapping[str, object]) -> _Plan[Any, Taxonomy]:
        from ._generated.cda.api.taxonomies import get_taxonomy
        from ._generated.cda.models import TaxonomyResponse

        return _plan(
            get_taxonomy,
            (_uid("taxonomy_uid", uid),),
            params,
            TaxonomyParams,
            TaxonomyResponse,
            lambda r: r.taxonomy,
        )

    @staticmethod
    def find_terms(taxonomy_uid: str, params: Mapping[str, object]) -> _Plan[Any, TermsResponse]:
        from ._generated.cda.api.taxonomies import get_terms
        from ._generated.cda.models import TermsResponse

        return _plan(
            get_terms,
            (_uid("taxonomy_uid", taxonomy_uid),),
            params,
            TermsParams,
            TermsResponse,
            _same,
        )

    @staticmethod
    def fetch_term(taxonomy_uid: str, uid: str, params: Mapping[str, object]) -> _Plan[Any, Term]:
        from ._generated.cda.api.taxonomies import get_term
        from ._generated.cda.models import TermResponse

        args = (_uid("taxonomy_uid", taxonomy_uid), _uid("term_uid", uid))
        return _plan(get_term, args, params, TermParams, TermResponse, lambda r: r.term)

    @staticmethod
    def fetch_term_locales(
        taxonomy_uid: str, uid: str, params: Mapping[str, object]
    ) -> _Plan[Any, list[Term]]:
        from ._generated.cda.api.taxonomies import get_term_locales
        from ._generated.cda.models import TermsResponse

        args = (_uid("taxonomy_uid", taxonomy_uid), _uid("term_uid", uid))
        return _plan(
            get_term_locales,
            args,
            params,
            TermLocalesParams,
            TermsResponse,
            lambda r: list(r.terms),
        )

    @staticmethod
    def fetch_term_relatives(
        taxonomy_uid: str, uid: str, key: str, params: Mapping[str, object]
    ) -> _Plan[Any, list[Term]]:
        from ._generated.cda.api.taxonomies import get_term_ancestors, get_term_descendants
        from ._generated.cda.models import TermRelativesResponse

        endpoint = get_term_ancestors if key == "ancestors" else get_term_descendants
        args = (_uid("taxonomy_uid", taxonomy_uid), _uid("term_uid", uid))
        return _plan(
            endpoint,
            args,
            params,
            TermRelativesParams,
            TermRelativesResponse,
            lambda r: _relatives(r, key),
        )

    @staticmethod
    def find_taxonomy_entries(
        query: Mapping[str, Any], params: Mapping[str, object]
    ) -> _Plan[Any, EntriesResponse]:
        from ._generated.cda.api.taxonomies import get_taxonomy_entries
        from ._generated.cda.models import EntriesResponse

        return _plan(
            get_taxonomy_entries,
            (),
            {**params, "query": query},
            _TaxonomyEntriesWithQuery,
            EntriesResponse,
            _same,
        )

    @staticmethod
    def sync(
        pagination_token: str | None, sync_token: str | None, params: Mapping[str, object]
    ) -> _Plan[Any, SyncResponse]:
        from ._generated.cda.api.sync import sync
        from ._generated.cda.models import SyncResponse

        if pagination_token is not None and sync_token is not None:
            raise ValueError("pass pagination_token or sync_token, not both")
        token = pagination_token or sync_token
        filters = set(params) - {"branch", "extra_params"}
        if token is not None and filters:
            raise ValueError(
                f"{', '.join(sorted(filters))} only apply to an initial sync; a token keeps the filters it was started with"
            )
        plan = _plan(sync, (), params, SyncParams, SyncResponse, _same)
        if pagination_token is not None:
            plan.kwargs["pagination_token"] = check_header_value(
                "pagination_token", _uid("pagination_token", pagination_token)
            )
        elif sync_token is not None:
            plan.kwargs["sync_token"] = check_header_value(
                "sync_token", _uid("sync_token", sync_token)
            )
        else:
            plan.kwargs["init"] = True
        return plan


class _TaxonomyEntriesWithQuery(TaxonomyEntriesParams, total=False):
    query: Mapping[str, Any]


class Stack:
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

        """
        self.config = _config(
            api_key, delivery_token, environment, region, host, branch, early_access, timeout, retry
        )
        settings = self.config.http_settings()
        self._http = LazySyncClient(lambda: settings.sync_client(transport, http_client))
        self._generated: GeneratedClient | None = None

    def __repr__(self) -> str:
        return f"Stack({self.config!r})"

    @property
    def http_client(self) -> httpx.Client:
        """The pooled httpx client (created on first access), for generated endpoint functions."""
        return self._http.get()

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

    def _run(self, plan: _Plan[R, T]) -> T:
        client = self.generated_client

        def call() -> Any:
            return plan.endpoint.sync_detailed(*plan.args, client=client, **plan.kwargs)

        if plan.options is None:
            return plan.unwrap(checked(call, plan.expected))
        with call_options(plan.options):
            return plan.unwrap(checked(call, plan.expected))

    def close(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def fetch_content_type(self, uid: str, **params: Unpack[SchemaParams]) -> ContentType:
        """Get one content type with its schema."""
        return self._run(_Plans.fetch_content_type(uid, params))

    def find_content_types(self, **params: Unpack[SchemaListParams]) -> ContentTypesResponse:
        """Get a page of content types (``.content_types``, ``.count`` with ``include_count``)."""
        return self._run(_Plans.find_content_types(params))

    def fetch_global_field(self, uid: str, **params: Unpack[SchemaParams]) -> GlobalField:
        """Get one global field."""
        return self._run(_Plans.fetch_global_field(uid, params))

    def find_global_fields(self, **params: Unpack[GlobalFieldsParams]) -> GlobalFieldsResponse:
        """Get a page of global fields."""
        return self._run(_Plans.find_global_fields(params))

    def fetch_entry(self, content_type_uid: str, uid: str, **params: Unpack[EntryParams]) -> Entry:
        """Get one published entry; custom fields are read as ``entry["field_uid"]``."""
        return self._run(_Plans.fetch_entry(content_type_uid, uid, params))

    def find_entries(
        self, content_type_uid: str, **params: Unpack[EntriesParams]
    ) -> EntriesResponse:
        """Get a page of entries (``.entries``, ``.count``, ``.content_type``)."""
        return self._run(_Plans.find_entries(content_type_uid, params))

    def fetch_asset(self, uid: str, **params: Unpack[AssetParams]) -> Asset:
        """Get one published asset."""
        return self._run(_Plans.fetch_asset(uid, params))

    def find_assets(self, **params: Unpack[AssetsParams]) -> AssetsResponse:
        """Get a page of assets."""
        return self._run(_Plans.find_assets(params))

    def find_taxonomies(self, **params: Unpack[TaxonomiesParams]) -> TaxonomiesResponse:
        """Get the published taxonomies."""
        return self._run(_Plans.find_taxonomies(params))

    def fetch_taxonomy(self, uid: str, **params: Unpack[TaxonomyParams]) -> Taxonomy:
        """Get one published taxonomy."""
        return self._run(_Plans.fetch_taxonomy(uid, params))

    def find_terms(self, taxonomy_uid: str, **params: Unpack[TermsParams]) -> TermsResponse:
        """Get a page of the published terms of a taxonomy."""
        return self._run(_Plans.find_terms(taxonomy_uid, params))

    def fetch_term(self, taxonomy_uid: str, uid: str, **params: Unpack[TermParams]) -> Term:
        """Get one published term."""
        return self._run(_Plans.fetch_term(taxonomy_uid, uid, params))

    def fetch_term_locales(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermLocalesParams]
    ) -> list[Term]:
        """Get a term once per locale it is published in."""
        return self._run(_Plans.fetch_term_locales(taxonomy_uid, uid, params))

    def fetch_term_ancestors(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the ancestors of a term."""
        return self._run(_Plans.fetch_term_relatives(taxonomy_uid, uid, "ancestors", params))

    def fetch_term_descendants(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the descendants of a term."""
        return self._run(_Plans.fetch_term_relatives(taxonomy_uid, uid, "descendants", params))

    def find_taxonomy_entries(
        self, query: Mapping[str, Any], **params: Unpack[TaxonomyEntriesParams]
    ) -> EntriesResponse:
        """Get entries of any content type by taxonomy terms, e.g. ``{"taxonomies.color": "red"}``."""
        return self._run(_Plans.find_taxonomy_entries(query, params))

    def sync(
        self,
        *,
        pagination_token: str | None = None,
        sync_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> SyncResponse:
        """Get one page of the Sync API: an initial sync, the next page, or changes since a sync token."""
        return self._run(_Plans.sync(pagination_token, sync_token, filters))


class AsyncStack:
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
    ) -> None:
        """Configure a client; the arguments are :class:`Stack`'s, with async transports."""
        self.config = _config(
            api_key, delivery_token, environment, region, host, branch, early_access, timeout, retry
        )
        settings = self.config.http_settings()
        self._http = LazyAsyncClient(lambda: settings.async_client(transport, http_client))
        self._generated: GeneratedClient | None = None

    def __repr__(self) -> str:
        return f"AsyncStack({self.config!r})"

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The pooled httpx client (created on first access), for generated endpoint functions."""
        return self._http.get()

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

    async def _run(self, plan: _Plan[R, T]) -> T:
        client = self.generated_client

        def call() -> Awaitable[Any]:
            return plan.endpoint.asyncio_detailed(*plan.args, client=client, **plan.kwargs)  # type: ignore[no-any-return]

        if plan.options is None:
            return plan.unwrap(await achecked(call, plan.expected))
        with call_options(plan.options):
            return plan.unwrap(await achecked(call, plan.expected))

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def fetch_content_type(self, uid: str, **params: Unpack[SchemaParams]) -> ContentType:
        """Get one content type with its schema."""
        return await self._run(_Plans.fetch_content_type(uid, params))

    async def find_content_types(self, **params: Unpack[SchemaListParams]) -> ContentTypesResponse:
        """Get a page of content types."""
        return await self._run(_Plans.find_content_types(params))

    async def fetch_global_field(self, uid: str, **params: Unpack[SchemaParams]) -> GlobalField:
        """Get one global field."""
        return await self._run(_Plans.fetch_global_field(uid, params))

    async def find_global_fields(
        self, **params: Unpack[GlobalFieldsParams]
    ) -> GlobalFieldsResponse:
        """Get a page of global fields."""
        return await self._run(_Plans.find_global_fields(params))

    async def fetch_entry(
        self, content_type_uid: str, uid: str, **params: Unpack[EntryParams]
    ) -> Entry:
        """Get one published entry."""
        return await self._run(_Plans.fetch_entry(content_type_uid, uid, params))

    async def find_entries(
        self, content_type_uid: str, **params: Unpack[EntriesParams]
    ) -> EntriesResponse:
        """Get a page of entries."""
        return await self._run(_Plans.find_entries(content_type_uid, params))

    async def fetch_asset(self, uid: str, **params: Unpack[AssetParams]) -> Asset:
        """Get one published asset."""
        return await self._run(_Plans.fetch_asset(uid, params))

    async def find_assets(self, **params: Unpack[AssetsParams]) -> AssetsResponse:
        """Get a page of assets."""
        return await self._run(_Plans.find_assets(params))

    async def find_taxonomies(self, **params: Unpack[TaxonomiesParams]) -> TaxonomiesResponse:
        """Get the published taxonomies."""
        return await self._run(_Plans.find_taxonomies(params))

    async def fetch_taxonomy(self, uid: str, **params: Unpack[TaxonomyParams]) -> Taxonomy:
        """Get one published taxonomy."""
        return await self._run(_Plans.fetch_taxonomy(uid, params))

    async def find_terms(self, taxonomy_uid: str, **params: Unpack[TermsParams]) -> TermsResponse:
        """Get a page of the published terms of a taxonomy."""
        return await self._run(_Plans.find_terms(taxonomy_uid, params))

    async def fetch_term(self, taxonomy_uid: str, uid: str, **params: Unpack[TermParams]) -> Term:
        """Get one published term."""
        return await self._run(_Plans.fetch_term(taxonomy_uid, uid, params))

    async def fetch_term_locales(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermLocalesParams]
    ) -> list[Term]:
        """Get a term once per locale it is published in."""
        return await self._run(_Plans.fetch_term_locales(taxonomy_uid, uid, params))

    async def fetch_term_ancestors(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the ancestors of a term."""
        return await self._run(_Plans.fetch_term_relatives(taxonomy_uid, uid, "ancestors", params))

    async def fetch_term_descendants(
        self, taxonomy_uid: str, uid: str, **params: Unpack[TermRelativesParams]
    ) -> list[Term]:
        """Get the descendants of a term."""
        return await self._run(
            _Plans.fetch_term_relatives(taxonomy_uid, uid, "descendants", params)
        )

    async def find_taxonomy_entries(
        self, query: Mapping[str, Any], **params: Unpack[TaxonomyEntriesParams]
    ) -> EntriesResponse:
        """Get entries of any content type by taxonomy terms."""
        return await self._run(_Plans.find_taxonomy_entries(query, params))

    async def sync(
        self,
        *,
        pagination_token: str | None = None,
        sync_token: str | None = None,
        **filters: Unpack[SyncParams],
    ) -> SyncResponse:
        """Get one page of the Sync API."""
        return await self._run(_Plans.sync(pagination_token, sync_token, filters))
