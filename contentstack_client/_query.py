"""Immutable, typed query builders for the Content Delivery API.

Every builder method returns a new object, so a base query can be shared and refined
freely (also across threads). Conditions become the ``query`` parameter, one JSON
document; modifiers become the flat parameters the API reference documents. Arguments are
checked where they are given: a condition is never silently dropped or rewritten.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, Self, TypeAlias

from ._base import ParamValue, check_header_value
from ._params import MAX_LIMIT, _check_int, _check_seq, _check_str

Scalar: TypeAlias = str | int | float | bool | datetime.date
"""A value a field can be compared with; dates and aware date-times are sent as ISO 8601."""

TaxonomyOperator = Literal["$above", "$below", "$eq_above", "$eq_below"]
"""Hierarchy operators of taxonomy fields."""

_REGEX_OPTIONS = frozenset("imsx")
MAX_TAXONOMY_LEVELS = 10
"""The deepest ``levels`` the taxonomy operators accept (also their default)."""


def _field(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"field must be a string, got {type(name).__name__}")
    # "$..." keys are operators; empty dot segments address nothing. Either would change
    # the meaning of the query document instead of naming a field.
    if not name or name.startswith("$") or "" in name.split(".") or name != name.strip():
        raise ValueError(
            f"field must be a field uid or a dot path such as 'author.name', got {name!r}"
        )
    return name


def _scalar(field: str, operator: str, value: object) -> str | int | float | bool:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{operator} on {field!r}: {value} is not a finite number")
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(
                f"{operator} on {field!r}: naive date-times are ambiguous; give a time zone"
            )
        # The API stores date-times as UTC with milliseconds and a Z (as JavaScript writes
        # them); sending the same form keeps string and instant comparisons consistent.
        return (
            value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(
        f"{operator} on {field!r} needs a scalar (str, int, float, bool, date or datetime), "
        f"got {type(value).__name__}"
    )


def _scalars(field: str, operator: str, values: object) -> list[str | int | float | bool]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise TypeError(
            f"{operator} on {field!r} needs a collection of values, got {type(values).__name__}"
        )
    result = [_scalar(field, operator, v) for v in values]
    if not result:
        # An empty $in matches nothing and an empty $nin everything: almost always a bug
        # upstream, so say so rather than send it.
        raise ValueError(f"{operator} on {field!r} needs at least one value")
    return result


def _json_value(where: str, value: object) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} is not serialisable as JSON: {exc}") from exc
    return value


def _merge(conditions: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """Build the ``query`` document, keeping every condition.

    Operators on one field share an object (``{"n": {"$gt": 1, "$lt": 5}}``, the form the
    reference uses); a condition that would overwrite another moves into ``$and``.
    """
    document: dict[str, Any] = {}
    overflow: list[dict[str, Any]] = []
    for key, value in conditions:
        if key not in document:
            document[key] = value
            continue
        current = document[key]
        if key == "$and":
            document[key] = [*current, *value]
        elif (
            isinstance(current, dict)
            and isinstance(value, dict)
            and not current.keys() & value.keys()
        ):
            document[key] = {**current, **value}
        else:
            overflow.append({key: value})
    if overflow:
        document["$and"] = [*document.get("$and", []), *overflow]
    return document


# Wire names the typed methods own; sending them twice would make the API pick one.
_MANAGED = frozenset(
    {
        "query",
        "skip",
        "limit",
        "include_count",
        "asc",
        "desc",
        "locale",
        "include_fallback",
        "include_branch",
    }
    | {
        "include",
        "include[]",
        "tags",
        "typeahead",
        "environment",
        "asset_fields",
        "asset_fields[]",
    }
    | {
        "include_embedded_items",
        "include_embedded_items[]",
        "include_content_type",
        "include_schema",
    }
    | {
        "include_metadata",
        "include_dimension",
        "relative_urls",
        "version",
        "resolve_terms",
        "include_publish_details",
    }
)


class _Builder:
    """Immutable state shared by all builders: conditions, typed params, raw params."""

    # _stack and _target bind a query to the client and resource it runs against; a
    # Filter leaves them None. Kept here so every builder has one slot layout.
    __slots__ = ("_conditions", "_params", "_raw", "_stack", "_target")
    _conditions: tuple[tuple[str, Any], ...]
    _params: Mapping[str, object]
    _raw: Mapping[str, ParamValue]
    _stack: Any
    _target: str
    _slot_names: ClassVar[dict[type, tuple[str, ...]]] = {}

    def __init__(self, stack: object = None, target: str = "") -> None:
        object.__setattr__(self, "_conditions", ())
        object.__setattr__(self, "_params", {})
        object.__setattr__(self, "_raw", {})
        object.__setattr__(self, "_stack", stack)
        object.__setattr__(self, "_target", target)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable: every method returns a new query"
        )

    @classmethod
    def _slots(cls) -> tuple[str, ...]:
        names = _Builder._slot_names.get(cls)
        if names is None:
            names = tuple(n for klass in cls.__mro__ for n in getattr(klass, "__slots__", ()))
            _Builder._slot_names[cls] = names
        return names

    def _replace(self, **changes: object) -> Self:
        new = object.__new__(type(self))
        for name in self._slots():
            object.__setattr__(new, name, changes[name] if name in changes else getattr(self, name))
        return new

    def _condition(self, key: str, value: Any) -> Self:
        return self._replace(_conditions=(*self._conditions, (key, value)))

    def _set(self, key: str, value: object) -> Self:
        return self._replace(_params={**self._params, key: value})

    def _drop(self, *keys: str) -> Self:
        return self._replace(_params={k: v for k, v in self._params.items() if k not in keys})

    def _append(self, key: str, values: Iterable[str]) -> Self:
        current = self._params.get(key, ())
        assert isinstance(current, tuple)
        added = tuple(v for v in _check_seq(key, list(values)) if v not in current)
        return self._set(key, (*current, *added))

    def _flag(self, key: str, enabled: bool) -> Self:
        if not isinstance(enabled, bool):
            raise TypeError(f"{key} takes a bool, got {type(enabled).__name__}")
        return self._set(key, True) if enabled else self._drop(key)

    def to_query(self) -> dict[str, Any]:
        """The ``query`` document these conditions send (empty when there are none)."""
        return _merge(self._conditions)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Builder)
        return (
            self._stack is other._stack
            and self._target == other._target
            and self._conditions == other._conditions
            and self._params == other._params
            and self._raw == other._raw
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = [f"{self._target!r}"] if self._target else []
        parts += [f"query={self.to_query()!r}"] if self._conditions else []
        parts += [f"{k}={v!r}" for k, v in self._params.items()]
        parts += [f"{k!r}: {v!r}" for k, v in self._raw.items()]
        return f"{type(self).__name__}({', '.join(parts)})"


class _Conditions(_Builder):
    """The operators of the ``query`` parameter."""

    __slots__ = ()

    def where(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` equals ``value`` (for a multiple field: contains it)."""
        name = _field(field)
        return self._condition(name, _scalar(name, "where", value))

    def not_equal(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` differs from ``value`` (``$ne``)."""
        name = _field(field)
        return self._condition(name, {"$ne": _scalar(name, "$ne", value)})

    def in_(self, field: str, values: Iterable[Scalar]) -> Self:
        """Match where ``field`` is one of ``values`` (``$in``)."""
        name = _field(field)
        return self._condition(name, {"$in": _scalars(name, "$in", values)})

    def not_in(self, field: str, values: Iterable[Scalar]) -> Self:
        """Match where ``field`` is none of ``values`` (``$nin``)."""
        name = _field(field)
        return self._condition(name, {"$nin": _scalars(name, "$nin", values)})

    def _compare(self, operator: str, field: str, value: Scalar) -> Self:
        name = _field(field)
        if isinstance(value, bool):
            raise TypeError(
                f"{operator} on {name!r} compares numbers, dates or strings, not booleans"
            )
        return self._condition(name, {operator: _scalar(name, operator, value)})

    def lt(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` is less than ``value`` (numbers, dates; ``$lt``)."""
        return self._compare("$lt", field, value)

    def lte(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` is at most ``value`` (``$lte``)."""
        return self._compare("$lte", field, value)

    def gt(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` is greater than ``value`` (``$gt``)."""
        return self._compare("$gt", field, value)

    def gte(self, field: str, value: Scalar) -> Self:
        """Match where ``field`` is at least ``value`` (``$gte``)."""
        return self._compare("$gte", field, value)

    def exists(self, field: str, exists: bool = True) -> Self:
        """Match where ``field`` is present (or, with ``exists=False``, absent)."""
        name = _field(field)
        if not isinstance(exists, bool):
            raise TypeError(f"exists on {name!r} takes a bool, got {type(exists).__name__}")
        return self._condition(name, {"$exists": exists})

    def regex(self, field: str, pattern: str, options: str = "") -> Self:
        """Match ``field`` against a regular expression; ``options`` from ``imsx`` (``i``: ignore case)."""
        name = _field(field)
        if not isinstance(pattern, str) or not pattern:
            raise ValueError(f"regex on {name!r} needs a non-empty pattern string")
        if (
            not isinstance(options, str)
            or set(options) - _REGEX_OPTIONS
            or len(set(options)) != len(options)
        ):
            raise ValueError(
                f"regex options on {name!r} must be distinct letters of 'imsx', got {options!r}"
            )
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"regex on {name!r} does not compile: {exc}") from exc
        body: dict[str, str] = {"$regex": pattern}
        if options:
            body["$options"] = options
        return self._condition(name, body)

    def _group(self, operator: str, filters: Sequence[Filter | Mapping[str, Any]]) -> Self:
        if not filters:
            raise ValueError(f"{operator} needs at least one filter")
        documents = []
        for i, item in enumerate(filters):
            document = (
                item.to_query()
                if isinstance(item, Filter)
                else _raw_document(f"{operator}[{i}]", item)
            )
            if not document:
                # An empty branch matches everything, which would void an $or.
                raise ValueError(f"{operator}[{i}] has no conditions")
            documents.append(document)
        return self._condition(operator, documents)

    def or_(self, *filters: Filter | Mapping[str, Any]) -> Self:
        """Match entries satisfying any of ``filters`` (``$or``)."""
        return self._group("$or", filters)

    def and_(self, *filters: Filter | Mapping[str, Any]) -> Self:
        """Match entries satisfying all of ``filters`` (``$and``)."""
        return self._group("$and", filters)

    def _reference(self, operator: str, field: str, filter: Filter | Mapping[str, Any]) -> Self:
        name = _field(field)
        document = (
            filter.to_query() if isinstance(filter, Filter) else _raw_document(operator, filter)
        )
        if not document:
            raise ValueError(f"{operator} on {name!r} needs a filter with conditions")
        return self._condition(name, {operator: document})

    def reference_in(self, field: str, filter: Filter | Mapping[str, Any]) -> Self:
        """Match entries whose reference ``field`` points to an entry matching ``filter`` (``$in_query``)."""
        return self._reference("$in_query", field, filter)

    def reference_not_in(self, field: str, filter: Filter | Mapping[str, Any]) -> Self:
        """Match entries whose reference ``field`` points to no entry matching ``filter`` (``$nin_query``)."""
        return self._reference("$nin_query", field, filter)

    def _taxonomy(
        self, operator: TaxonomyOperator, field: str, term: str, levels: int | None
    ) -> Self:
        name = _field(field)
        body: dict[str, Any] = {operator: _check_str(f"{operator} term", term)}
        if levels is not None:
            if isinstance(levels, bool) or not isinstance(levels, int):
                raise TypeError(f"levels must be an int, got {type(levels).__name__}")
            if not 1 <= levels <= MAX_TAXONOMY_LEVELS:
                raise ValueError(
                    f"levels must be between 1 and {MAX_TAXONOMY_LEVELS}, got {levels}"
                )
            body["levels"] = levels
        return self._condition(name, body)

    def above(self, field: str, term: str, *, levels: int | None = None) -> Self:
        """Match entries tagged with an ancestor of ``term`` (``$above``), up to ``levels`` (default 10)."""
        return self._taxonomy("$above", field, term, levels)

    def below(self, field: str, term: str, *, levels: int | None = None) -> Self:
        """Match entries tagged with a descendant of ``term`` (``$below``), down to ``levels``."""
        return self._taxonomy("$below", field, term, levels)

    def eq_above(self, field: str, term: str, *, levels: int | None = None) -> Self:
        """Like :meth:`above`, including ``term`` itself (``$eq_above``)."""
        return self._taxonomy("$eq_above", field, term, levels)

    def eq_below(self, field: str, term: str, *, levels: int | None = None) -> Self:
        """Like :meth:`below`, including ``term`` itself (``$eq_below``)."""
        return self._taxonomy("$eq_below", field, term, levels)

    def where_raw(self, conditions: Mapping[str, Any]) -> Self:
        """Add conditions written as a raw ``query`` document (the escape hatch for new operators)."""
        document = _raw_document("where_raw", conditions)
        new = self
        for key, value in document.items():
            new = new._condition(key, value)
        return new


def _raw_document(where: str, document: object) -> dict[str, Any]:
    if not isinstance(document, Mapping):
        raise TypeError(f"{where} needs a Filter or a mapping, got {type(document).__name__}")
    for key in document:
        if not isinstance(key, str) or not key:
            raise ValueError(f"{where}: keys must be non-empty strings, got {key!r}")
    return dict(_json_value(where, dict(document)))


class Filter(_Conditions):
    """Conditions without a target, for ``or_``/``and_`` branches and reference sub-queries.

    ``Filter().where("title", "Hello").gt("rating", 3)`` has the same operators as a query.
    """

    __slots__ = ()

    def __init__(self) -> None:
        """An empty filter; add conditions with the operator methods."""
        super().__init__()


class _Paging(_Builder):
    """Pagination and counting of list calls."""

    __slots__ = ()

    def skip(self, count: int) -> Self:
        """Skip the first ``count`` matches."""
        return self._set("skip", _check_int("skip", count))

    def limit(self, count: int) -> Self:
        """Return at most ``count`` items per page (1 to 100)."""
        return self._set("limit", _check_int("limit", count))

    def include_count(self, enabled: bool = True) -> Self:
        """Report the total number of matches on the page."""
        return self._flag("include_count", enabled)


class _Sorting(_Paging):
    """Ordering by one field."""

    __slots__ = ()

    def asc(self, field: str) -> Self:
        """Sort by ``field``, ascending (replaces an earlier ordering: the API sorts by one field)."""
        return self._drop("desc")._set("asc", _field(field))

    def desc(self, field: str) -> Self:
        """Sort by ``field``, descending (replaces an earlier ordering)."""
        return self._drop("asc")._set("desc", _field(field))


class _Localized(_Builder):
    """Locale selection."""

    __slots__ = ()

    def locale(self, code: str, *, fallback: bool | None = None) -> Self:
        """Read the ``code`` locale; ``fallback=True`` follows the fallback chain where it has no content."""
        new = self._set("locale", _check_str("locale", code))
        return new if fallback is None else new._flag("include_fallback", fallback)

    def include_fallback(self, enabled: bool = True) -> Self:
        """Fall back along the locale chain where the locale has no content."""
        return self._flag("include_fallback", enabled)


class _Raw(_Builder):
    """The raw-parameter escape hatch."""

    __slots__ = ()

    def param(self, key: str, value: ParamValue) -> Self:
        """Send a raw query parameter the typed methods do not cover (e.g. a new API option)."""
        key = _check_str("param key", key)
        check_header_value("param key", key)
        if key in _MANAGED or key.split("[", 1)[0] in ("only", "except"):
            raise ValueError(
                f"{key!r} has a typed method on {type(self).__name__}; use it instead of param()"
            )
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            if not isinstance(value, str | int | float | bool):
                raise TypeError(
                    f"param {key!r} must be a str, int, float, bool or a sequence of str"
                )
        else:
            value = _check_seq(key, value)
        return self._replace(_raw={**self._raw, key: value})


class _Branch(_Builder):
    """Branch metadata on items."""

    __slots__ = ()

    def include_branch(self, enabled: bool = True) -> Self:
        """Add ``_branch`` to every item."""
        return self._flag("include_branch", enabled)


class _Projection(_Builder):
    """only/except projections, for the base item and per reference field."""

    __slots__ = ()

    def only(self, *fields: str, reference: str | None = None) -> Self:
        """Return only ``fields`` (``uid`` always comes back); with ``reference``, project that referenced field."""
        return self._project("only", fields, reference)

    def except_(self, *fields: str, reference: str | None = None) -> Self:
        """Leave ``fields`` out; with ``reference``, of that referenced field."""
        return self._project("except", fields, reference)

    def _project(self, kind: str, fields: tuple[str, ...], reference: str | None) -> Self:
        if not fields:
            raise ValueError(f"{kind} needs at least one field")
        names = [_field(f) for f in fields]
        if reference is None:
            return self._append(f"{kind}_base", names)
        key = f"{kind}[{_field(reference)}][]"
        current = self._raw.get(key, ())
        assert isinstance(current, list | tuple)
        merged = [*current, *(n for n in names if n not in current)]
        return self._replace(_raw={**self._raw, key: merged})


class _Extras(_Builder):
    """Optional extra data on entries and assets."""

    __slots__ = ()

    def include_metadata(self, enabled: bool = True) -> Self:
        """Add ``_metadata``."""
        return self._flag("include_metadata", enabled)

    def include_publish_details(self, enabled: bool = True) -> Self:
        """Add publish details for every environment."""
        return self._flag("include_publish_details", enabled)

    def asset_fields(self, *names: str) -> Self:
        """Extra asset fields: ``user_defined_fields``, ``embedded_metadata``, ``ai_generated_metadata``, ``visual_markups``."""
        if not names:
            raise ValueError("asset_fields needs at least one name")
        return self._append("asset_fields", names)


class _EntryModifiers(_Projection, _Localized, _Branch, _Extras, _Raw):
    """Modifiers of entry calls (single fetch and lists)."""

    __slots__ = ()

    def include(self, *paths: str) -> Self:
        """Resolve these reference fields inline; dot paths reach nested references (``author.books``)."""
        if not paths:
            raise ValueError("include needs at least one reference field path")
        return self._append("include", [_field(p) for p in paths])

    def include_reference_content_type_uid(self, enabled: bool = True) -> Self:
        """Add ``_content_type_uid`` to resolved references."""
        return self._flag("include_reference_content_type_uid", enabled)

    def include_embedded_items(self, enabled: bool = True) -> Self:
        """Add ``_embedded_items`` for the entries and assets embedded in rich text."""
        return self._flag("include_embedded_items", enabled)

    def variants(self, *uids: str) -> Self:
        """Apply these entry variants (UIDs or Personalize aliases), sent as ``x-cs-variant-uid``."""
        if not uids:
            raise ValueError("variants needs at least one variant uid or alias")
        for uid in uids:
            check_header_value("variants", _check_str("variants", uid))
            if "," in uid:
                raise ValueError(f"variant {uid!r} contains a comma, the header's separator")
        return self._append("variants", uids)


class _EntryListModifiers(_EntryModifiers, _Conditions, _Sorting):
    """Modifiers only a list of entries accepts."""

    __slots__ = ()

    def include_content_type(
        self, enabled: bool = True, *, global_field_schema: bool = False
    ) -> Self:
        """Add the content type to the page (``.response.content_type``), optionally with global field schemas."""
        new = self._flag("include_content_type", enabled)
        return new._flag("include_global_field_schema", global_field_schema and enabled)

    def include_schema(self, enabled: bool = True) -> Self:
        """Add the content type's schema to the page (``.response.schema``)."""
        return self._flag("include_schema", enabled)

    def tags(self, *tags: str) -> Self:
        """Match entries carrying any of ``tags``."""
        if not tags:
            raise ValueError("tags needs at least one tag")
        for tag in tags:
            if "," in _check_str("tags", tag):
                raise ValueError(f"tag {tag!r} contains a comma, the parameter's separator")
        return self._append("tags", tags)

    def search(self, prefix: str) -> Self:
        """Typeahead search: match entries whose text starts with ``prefix``."""
        return self._set("typeahead", _check_str("search", prefix))


def page_params(
    params: Mapping[str, object], raw: Mapping[str, ParamValue], query: Mapping[str, Any]
) -> dict[str, object]:
    """Assemble the keyword parameters of one list call from a builder's state."""
    result: dict[str, object] = dict(params)
    if query:
        result["query"] = query
    if raw:
        result["extra_params"] = raw
    return result


def check_limit(page_size: int | None, default: object) -> int:
    """The page size of an iteration: ``page_size``, else the query's limit, else 100."""
    if page_size is not None:
        return _check_int("limit", page_size)
    return default if isinstance(default, int) else MAX_LIMIT
