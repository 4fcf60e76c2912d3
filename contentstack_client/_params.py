"""Keyword parameters of the delivery methods, declared once for the sync and async clients.

Each TypedDict lists what one kind of call accepts; its keys are the generated functions'
parameter names, except where a friendlier form is converted (``query`` as a mapping,
``include_embedded_items`` as a boolean, ``variants`` as a sequence, ``sync_types``).
Values are checked before anything is sent: a wrong type or an out-of-range number is a
clear error, never a silently dropped condition.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypedDict

from ._base import CallOptions, ParamValue, check_header_value, encode_params

SyncType = Literal[
    "entry_published",
    "entry_unpublished",
    "entry_deleted",
    "asset_published",
    "asset_unpublished",
    "asset_deleted",
    "content_type_deleted",
]
"""The event types of the Sync API."""


class CommonParams(TypedDict, total=False):
    """Accepted by every delivery call."""

    branch: str
    """Branch for this call, overriding the client's."""
    extra_params: Mapping[str, ParamValue]
    """Query parameters the typed arguments do not cover (e.g. ``only[author][]``)."""


class PageParams(CommonParams, total=False):
    """Pagination of list calls."""

    skip: int
    """Items to skip (offset)."""
    limit: int
    """Page size, 1 to 100."""
    include_count: bool
    """Add the total number of matches as ``count``."""


class LocalizedParams(CommonParams, total=False):
    """Locale selection."""

    locale: str
    """Locale code, e.g. ``en-us``; the master locale when omitted."""
    include_fallback: bool
    """Fall back along the locale chain where ``locale`` has no content."""
    include_branch: bool
    """Add ``_branch`` to every item."""


class SchemaParams(CommonParams, total=False):
    """Content type and global field calls."""

    include_global_field_schema: bool
    """Expand global field schemas inside content type schemas."""
    include_branch: bool
    """Add ``_branch`` to every item."""


class GlobalFieldsParams(SchemaParams, PageParams, total=False):
    """Listing global fields."""


class SchemaListParams(SchemaParams, PageParams, total=False):
    """Listing content types or global fields."""

    query: Mapping[str, Any]
    """Filter, as a mapping serialised to one JSON document."""
    asc: str
    """Field to sort by, ascending."""
    desc: str
    """Field to sort by, descending."""


class _EntryCommon(LocalizedParams, total=False):
    include: Sequence[str]
    """Reference fields to resolve inline (nested paths allowed)."""
    include_reference_content_type_uid: bool
    """Add ``_content_type_uid`` to referenced entries."""
    only_base: Sequence[str]
    """Return only these fields."""
    except_base: Sequence[str]
    """Leave these fields out."""
    include_embedded_items: bool
    """Add ``_embedded_items`` for rich text embeds."""
    include_metadata: bool
    """Add ``_metadata``."""
    include_publish_details: bool
    """Publish details for every environment."""
    asset_fields: Sequence[str]
    """Extra asset fields: user_defined_fields, embedded_metadata, ai_generated_metadata, visual_markups."""
    variants: Sequence[str]
    """Entry variant UIDs or aliases to apply."""


class EntryParams(_EntryCommon, total=False):
    """Fetching one entry."""

    version: int
    """A specific version."""


class EntriesParams(_EntryCommon, PageParams, total=False):
    """Listing the entries of a content type.

    ``include_content_type`` is offered here, where the page carries the content type; a
    single fetch returns only the entry, so it does not accept a parameter whose answer it
    would drop.
    """

    include_content_type: bool
    """Add the content type as ``content_type`` on the page."""
    include_global_field_schema: bool
    """Expand global fields in the included content type."""
    query: Mapping[str, Any]
    """Filter, as a mapping serialised to one JSON document."""
    include_schema: bool
    """Add the content type's schema as ``schema``."""
    tags: Sequence[str]
    """Entries tagged with these tags."""
    typeahead: str
    """Prefix search."""
    asc: str
    """Field to sort by, ascending."""
    desc: str
    """Field to sort by, descending."""


class AssetParams(LocalizedParams, total=False):
    """Fetching one asset."""

    include_dimension: bool
    """Add the pixel size of images."""
    relative_urls: bool
    """Return URLs without host."""
    include_metadata: bool
    """Add ``_metadata``."""
    include_publish_details: bool
    """Publish details for every environment."""
    asset_fields: Sequence[str]
    """Extra asset fields."""
    version: int
    """A specific version."""


class AssetsParams(AssetParams, PageParams, total=False):
    """Listing assets."""

    query: Mapping[str, Any]
    """Filter, as a mapping serialised to one JSON document."""
    only_base: Sequence[str]
    """Return only these fields."""
    except_base: Sequence[str]
    """Leave these fields out."""
    asc: str
    """Field to sort by, ascending."""
    desc: str
    """Field to sort by, descending."""


class TaxonomyParams(LocalizedParams, total=False):
    """Fetching one taxonomy."""


class TaxonomiesParams(LocalizedParams, PageParams, total=False):
    """Listing taxonomies."""


class TermParams(LocalizedParams, total=False):
    """Fetching one term."""

    depth: int
    """Levels of the hierarchy to return."""


class TermsParams(TermParams, PageParams, total=False):
    """Listing the terms of a taxonomy."""


class TermRelativesParams(CommonParams, total=False):
    """Listing a term's ancestors or descendants."""

    locale: str
    """Locale code."""
    include_fallback: bool
    """Fall back along the locale chain."""
    include_count: bool
    """Add ``count``."""
    depth: int
    """Levels of the hierarchy to return."""
    skip: int
    """Items to skip."""
    limit: int
    """Page size, 1 to 100."""


class TermLocalesParams(CommonParams, total=False):
    """Listing a term's locales."""

    skip: int
    """Items to skip."""
    limit: int
    """Page size, 1 to 100."""


class TaxonomyEntriesParams(CommonParams, total=False):
    """Listing entries by taxonomy terms."""

    locale: str
    """Locale code."""
    include_fallback: bool
    """Fall back along the locale chain."""
    resolve_terms: bool
    """Return taxonomy values as ``{uid, name, depth, order}``."""
    skip: int
    """Items to skip."""
    limit: int
    """Page size, 1 to 100."""
    include_count: bool
    """Add ``count``."""


class SyncParams(CommonParams, total=False):
    """Filters of an initial sync."""

    content_type_uid: str
    """Only entries of this content type."""
    locale: str
    """Only this locale."""
    start_from: datetime.datetime | str
    """Only items changed since this date-time."""
    sync_types: Sequence[SyncType]
    """Only these event types."""


_BOOL = frozenset(
    {
        "include_count",
        "include_fallback",
        "include_branch",
        "include_global_field_schema",
        "include_reference_content_type_uid",
        "include_content_type",
        "include_metadata",
        "include_publish_details",
        "include_schema",
        "include_dimension",
        "relative_urls",
        "resolve_terms",
        "include_embedded_items",
    }
)
_STR = frozenset({"locale", "asc", "desc", "typeahead", "content_type_uid"})
_SEQ = frozenset({"include", "only_base", "except_base", "asset_fields"})
_INT_MIN = {"skip": 0, "limit": 1, "depth": 1, "version": 1}
MAX_LIMIT = 100
"""The most items the API returns per page."""


def _check_str(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a string, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{key} must not be empty")
    return value


def _check_seq(key: str, value: object) -> list[str]:
    # A bare string is a sequence of characters; treating it as one would send one
    # parameter per character.
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"{key} must be a sequence of strings, got {type(value).__name__}")
    return [_check_str(f"{key}[{i}]", v) for i, v in enumerate(value)]


def _check_int(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{key} must be an int, got {type(value).__name__}")
    if value < _INT_MIN[key]:
        raise ValueError(f"{key} must be >= {_INT_MIN[key]}, got {value}")
    if key == "limit" and value > MAX_LIMIT:
        raise ValueError(f"limit must be <= {MAX_LIMIT} (the API's page size cap), got {value}")
    return value


def _query_json(value: object) -> str:
    if not isinstance(value, Mapping):
        raise TypeError(f"query must be a mapping, got {type(value).__name__}")
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"query is not serialisable as JSON: {exc}") from exc


def _start_from(value: object) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        result = value
    elif isinstance(value, str):
        try:
            result = datetime.datetime.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"start_from is not an ISO 8601 date-time: {value!r}") from exc
    else:
        raise TypeError(
            f"start_from must be a datetime or an ISO string, got {type(value).__name__}"
        )
    if result.tzinfo is None:
        raise ValueError("start_from must carry a time zone (naive date-times are ambiguous)")
    return result


def to_kwargs(
    params: Mapping[str, object], accepted: frozenset[str]
) -> tuple[dict[str, Any], CallOptions | None]:
    """Check ``params`` and convert them to generated-function keyword arguments.

    Returns the arguments and the extra per-call options (``extra_params``).
    """
    unknown = set(params) - accepted
    if unknown:
        raise TypeError(
            f"unexpected parameter(s) {', '.join(sorted(unknown))}; accepted: {', '.join(sorted(accepted))}"
        )
    kwargs: dict[str, Any] = {}
    options: CallOptions | None = None
    for key, value in params.items():
        if value is None:
            continue
        if key in _BOOL:
            if not isinstance(value, bool):
                raise TypeError(f"{key} must be a bool, got {type(value).__name__}")
            if key == "include_embedded_items":
                if value:
                    kwargs[key] = ["BASE"]
                continue
            kwargs[key] = value
        elif key in _STR:
            kwargs[key] = _check_str(key, value)
        elif key in _SEQ:
            kwargs[key] = _check_seq(key, value)
        elif key in _INT_MIN:
            kwargs[key] = _check_int(key, value)
        elif key == "query":
            kwargs[key] = _query_json(value)
        elif key == "branch":
            kwargs[key] = check_header_value("branch", _check_str(key, value))
        elif key == "variants":
            kwargs["x_cs_variant_uid"] = check_header_value(
                "variants", ",".join(_check_seq(key, value))
            )
        elif key == "tags":
            kwargs[key] = ",".join(_check_seq(key, value))
        elif key == "sync_types":
            kwargs["type_"] = ",".join(_check_seq(key, value))
        elif key == "start_from":
            kwargs[key] = _start_from(value)
        elif key == "extra_params":
            if not isinstance(value, Mapping):
                raise TypeError(f"extra_params must be a mapping, got {type(value).__name__}")
            options = CallOptions(params=encode_params(value))
        else:  # pragma: no cover - every accepted key is handled above
            raise AssertionError(f"unhandled parameter {key}")
    if "asc" in kwargs and "desc" in kwargs:
        raise ValueError("asc and desc cannot be combined: the API sorts by one field")
    return kwargs, options


@functools.cache
def accepted(params_type: type) -> frozenset[str]:
    """The keys a params TypedDict declares (computed once per type)."""
    keys: frozenset[str] = params_type.__optional_keys__ | params_type.__required_keys__  # type: ignore[attr-defined]
    return keys
