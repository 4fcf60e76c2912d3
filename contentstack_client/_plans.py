"""The calls of the delivery API, checked and ready to run (shared by every client).

A plan names the generated endpoint function, its arguments and how to unwrap the typed
body; the sync and async clients only differ in how they run it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._base import CallOptions, check_header_value
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

if TYPE_CHECKING:
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
class Plan(Generic[R, T]):
    """A checked call: which generated function, with what, and how to unwrap the body."""

    endpoint: ModuleType | type[Any]
    """A generated endpoint module, or a class with the same ``*_detailed`` calls."""
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
) -> Plan[R, T]:
    kwargs, options = to_kwargs(params, accepted(params_type))
    return Plan(endpoint, args, kwargs, options, expected, unwrap)


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


class Plans:
    """The calls of the delivery API, checked and ready to run (shared by both clients)."""

    @staticmethod
    def fetch_content_type(uid: str, params: Mapping[str, object]) -> Plan[Any, ContentType]:
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
    def find_content_types(params: Mapping[str, object]) -> Plan[Any, ContentTypesResponse]:
        from ._generated.cda.api.content_types import get_content_types
        from ._generated.cda.models import ContentTypesResponse

        return _plan(get_content_types, (), params, SchemaListParams, ContentTypesResponse, _same)

    @staticmethod
    def fetch_global_field(uid: str, params: Mapping[str, object]) -> Plan[Any, GlobalField]:
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
    def find_global_fields(params: Mapping[str, object]) -> Plan[Any, GlobalFieldsResponse]:
        from ._generated.cda.api.global_fields import get_global_fields
        from ._generated.cda.models import GlobalFieldsResponse

        return _plan(get_global_fields, (), params, GlobalFieldsParams, GlobalFieldsResponse, _same)

    @staticmethod
    def fetch_entry(
        content_type_uid: str, uid: str, params: Mapping[str, object]
    ) -> Plan[Any, Entry]:
        from ._generated.cda.api.entries import get_entry
        from ._generated.cda.models import EntryResponse

        args = (_uid("content_type_uid", content_type_uid), _uid("entry_uid", uid))
        return _plan(get_entry, args, params, EntryParams, EntryResponse, lambda r: r.entry)

    @staticmethod
    def find_entries(
        content_type_uid: str, params: Mapping[str, object]
    ) -> Plan[Any, EntriesResponse]:
        from ._generated.cda.api.entries import get_entries
        from ._generated.cda.models import EntriesResponse

        args = (_uid("content_type_uid", content_type_uid),)
        return _plan(get_entries, args, params, EntriesParams, EntriesResponse, _same)

    @staticmethod
    def fetch_asset(uid: str, params: Mapping[str, object]) -> Plan[Any, Asset]:
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
    def find_assets(params: Mapping[str, object]) -> Plan[Any, AssetsResponse]:
        from ._generated.cda.api.assets import get_assets
        from ._generated.cda.models import AssetsResponse

        return _plan(get_assets, (), params, AssetsParams, AssetsResponse, _same)

    @staticmethod
    def find_taxonomies(params: Mapping[str, object]) -> Plan[Any, TaxonomiesResponse]:
        from ._generated.cda.api.taxonomies import get_taxonomies
        from ._generated.cda.models import TaxonomiesResponse

        return _plan(get_taxonomies, (), params, TaxonomiesParams, TaxonomiesResponse, _same)

    @staticmethod
    def fetch_taxonomy(uid: str, params: Mapping[str, object]) -> Plan[Any, Taxonomy]:
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
    def find_terms(taxonomy_uid: str, params: Mapping[str, object]) -> Plan[Any, TermsResponse]:
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
    def fetch_term(taxonomy_uid: str, uid: str, params: Mapping[str, object]) -> Plan[Any, Term]:
        from ._generated.cda.api.taxonomies import get_term
        from ._generated.cda.models import TermResponse

        args = (_uid("taxonomy_uid", taxonomy_uid), _uid("term_uid", uid))
        return _plan(get_term, args, params, TermParams, TermResponse, lambda r: r.term)

    @staticmethod
    def fetch_term_locales(
        taxonomy_uid: str, uid: str, params: Mapping[str, object]
    ) -> Plan[Any, list[Term]]:
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
    ) -> Plan[Any, list[Term]]:
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
    ) -> Plan[Any, EntriesResponse]:
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
    ) -> Plan[Any, SyncResponse]:
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

    @staticmethod
    def sync_next(previous: Plan[R, T], pagination_token: str) -> Plan[R, T]:
        """``previous``, a plan for a page after the first, with another page's token."""
        kwargs = dict(previous.kwargs)
        kwargs["pagination_token"] = check_header_value(
            "pagination_token", _uid("pagination_token", pagination_token)
        )
        p = previous
        return Plan(p.endpoint, p.args, kwargs, p.options, p.expected, p.unwrap)


class _TaxonomyEntriesWithQuery(TaxonomyEntriesParams, total=False):
    query: Mapping[str, Any]
