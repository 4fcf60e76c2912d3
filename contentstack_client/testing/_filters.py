"""The ``query`` parameter: MongoDB-style filters with the operators Contentstack documents.

A query is compiled once into a predicate, so an unknown operator or a malformed operand is
refused before any item is looked at (an empty collection must not hide a bad query), and
then evaluated per item against a :class:`Context` that knows about references and
taxonomy hierarchies.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

JSON = dict[str, Any]

#: Levels a taxonomy hierarchy operator reaches when ``levels`` is not given (documented).
DEFAULT_LEVELS = 10

_COMPARISONS = ("$lt", "$lte", "$gt", "$gte")
_HIERARCHY = ("$above", "$below", "$eq_above", "$eq_below")
_REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?\Z")


class QueryError(ValueError):
    """A query the API would reject; the message says which part and why."""


class Context(Protocol):
    """What evaluating a query needs beyond the item itself."""

    def referenced(self, reference: Mapping[str, Any]) -> JSON | None:
        """The entry a reference ``{uid, _content_type_uid}`` points to, or ``None``."""

    def item_terms(self, item: Mapping[str, Any], taxonomy_uid: str) -> list[str]:
        """The term uids of one taxonomy that an item is tagged with."""

    def related_terms(
        self, taxonomy_uid: str, term_uid: str, operator: str, levels: int
    ) -> set[str]:
        """Terms above or below ``term_uid`` (and itself for ``$eq_*``), within ``levels``."""


Predicate = Callable[[Mapping[str, Any], Context], bool]


def compile_query(query: object) -> Predicate:
    """Check a decoded ``query`` and turn it into a predicate; :class:`QueryError` if invalid."""
    if not isinstance(query, Mapping):
        raise QueryError("must be a JSON object")
    parts: list[Predicate] = []
    for key, operand in query.items():
        if not isinstance(key, str) or not key:
            raise QueryError("field names must be non-empty strings")
        if key in ("$and", "$or"):
            parts.append(_logical(key, operand))
        elif key.startswith("$"):
            raise QueryError(f"unknown operator {key!r}")
        else:
            parts.append(_field(key, operand))
    return lambda item, ctx: all(p(item, ctx) for p in parts)


def lookup(item: object, path: Iterable[str]) -> list[Any]:
    """Every value at a dot path; lists met on the way are traversed element by element."""
    current = [item]
    for key in path:
        found: list[Any] = []
        for value in current:
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, Mapping) and key in element:
                    found.append(element[key])
        current = found
    return current


def candidates(values: list[Any]) -> list[Any]:
    """Values to compare: an array matches as a whole and through each of its elements."""
    result: list[Any] = []
    for value in values:
        result.append(value)
        if isinstance(value, list):
            result.extend(value)
    return result


def equal(a: object, b: object) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def as_instant(value: object) -> datetime.datetime | None:
    """An ISO 8601 date or date-time as an aware instant (UTC when no offset), else None."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _logical(operator: str, operand: object) -> Predicate:
    if not isinstance(operand, list) or not operand:
        raise QueryError(f"{operator} takes a non-empty array of queries")
    subs = [compile_query(q) for q in operand]
    if operator == "$and":
        return lambda item, ctx: all(s(item, ctx) for s in subs)
    return lambda item, ctx: any(s(item, ctx) for s in subs)


def _field(key: str, operand: object) -> Predicate:
    path = key.split(".")
    if "" in path:
        raise QueryError(f"{key!r} is not a valid field path")
    if len(path) == 2 and path[0] == "taxonomies" and path[1] not in ("taxonomy_uid", "term_uid"):
        return _taxonomy(path[1], key, operand)
    if not (isinstance(operand, Mapping) and any(str(k).startswith("$") for k in operand)):
        return _equality(path, operand)
    conditions: list[Predicate] = []
    options = operand.get("$options")
    if options is not None and "$regex" not in operand:
        raise QueryError(f"{key}: $options needs $regex")
    for op, value in operand.items():
        if op == "$options":
            continue
        if not str(op).startswith("$"):
            raise QueryError(f"{key}: {op!r} cannot be mixed with operators")
        conditions.append(_operator(path, key, op, value, options))
    return lambda item, ctx: all(c(item, ctx) for c in conditions)


def _equality(path: list[str], expected: object) -> Predicate:
    def check(item: Mapping[str, Any], ctx: Context) -> bool:
        values = lookup(item, path)
        if expected is None:
            # As in MongoDB, null matches a missing field as well as an explicit null.
            return not values or any(v is None for v in candidates(values))
        return any(equal(v, expected) for v in candidates(values))

    return check


def _operator(path: list[str], key: str, op: str, value: object, options: object) -> Predicate:
    if op == "$ne":
        eq = _equality(path, value)
        return lambda item, ctx: not eq(item, ctx)
    if op in ("$in", "$nin"):
        if not isinstance(value, list):
            raise QueryError(f"{key}: {op} takes an array")
        allowed = list(value)

        def within(item: Mapping[str, Any], ctx: Context) -> bool:
            found = candidates(lookup(item, path))
            if any(v is None for v in allowed) and not found:
                return True
            return any(equal(v, a) for v in found for a in allowed)

        if op == "$in":
            return within
        return lambda item, ctx: not within(item, ctx)
    if op in _COMPARISONS:
        return _comparison(path, key, op, value)
    if op == "$exists":
        if not isinstance(value, bool):
            raise QueryError(f"{key}: $exists takes true or false")
        return lambda item, ctx: bool(lookup(item, path)) is value
    if op == "$regex":
        return _regex(path, key, value, options)
    if op in ("$in_query", "$nin_query"):
        sub = compile_query(value)

        def referenced(item: Mapping[str, Any], ctx: Context) -> bool:
            for ref in candidates(lookup(item, path)):
                if isinstance(ref, Mapping) and "uid" in ref:
                    target = ctx.referenced(ref)
                    if target is not None and sub(target, ctx):
                        return True
            return False

        if op == "$in_query":
            return referenced
        return lambda item, ctx: not referenced(item, ctx)
    if op in _HIERARCHY or op == "levels":
        raise QueryError(f"{key}: {op} only applies to taxonomies.<taxonomy_uid>")
    raise QueryError(f"{key}: unknown operator {op!r}")


def _comparison(path: list[str], key: str, op: str, bound: object) -> Predicate:
    if isinstance(bound, bool) or not isinstance(bound, int | float | str):
        raise QueryError(f"{key}: {op} takes a number or a string")
    bound_instant = as_instant(bound)

    def holds(value: object) -> bool:
        left: Any
        right: Any
        if isinstance(value, bool):
            return False
        if isinstance(bound, int | float) and isinstance(value, int | float):
            left, right = value, bound
        elif isinstance(bound, str) and isinstance(value, str):
            instant = as_instant(value)
            # Dates compare as instants, so "2024-01-15" and "2024-01-15T00:00:00Z" agree.
            if bound_instant is not None and instant is not None:
                left, right = instant, bound_instant
            else:
                left, right = value, bound
        else:
            return False
        if op == "$lt":
            return bool(left < right)
        if op == "$lte":
            return bool(left <= right)
        if op == "$gt":
            return bool(left > right)
        return bool(left >= right)

    return lambda item, ctx: any(holds(v) for v in candidates(lookup(item, path)))


def _regex(path: list[str], key: str, pattern: object, options: object) -> Predicate:
    if not isinstance(pattern, str):
        raise QueryError(f"{key}: $regex takes a string")
    flags = 0
    if options is not None:
        if not isinstance(options, str) or any(o not in _REGEX_FLAGS for o in options):
            raise QueryError(f"{key}: $options takes letters among i, m, s, x")
        for letter in options:
            flags |= _REGEX_FLAGS[letter]
    try:
        compiled = re.compile(pattern, flags)
    except re.error as exc:
        raise QueryError(f"{key}: $regex is not a valid pattern ({exc})") from exc
    return lambda item, ctx: any(
        isinstance(v, str) and compiled.search(v) is not None
        for v in candidates(lookup(item, path))
    )


def _taxonomy(taxonomy_uid: str, key: str, operand: object) -> Predicate:
    if not isinstance(operand, Mapping):
        if not isinstance(operand, str):
            raise QueryError(f"{key}: a term uid must be a string")
        return lambda item, ctx: operand in ctx.item_terms(item, taxonomy_uid)
    levels = operand.get("levels", DEFAULT_LEVELS)
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise QueryError(f"{key}: levels takes a positive integer")
    if "levels" in operand and not any(op in operand for op in _HIERARCHY):
        raise QueryError(f"{key}: levels needs one of {', '.join(_HIERARCHY)}")
    conditions: list[Predicate] = []
    for op, value in operand.items():
        if op == "levels":
            continue
        if op in _HIERARCHY:
            if not isinstance(value, str):
                raise QueryError(f"{key}: {op} takes a term uid")
            conditions.append(_hierarchy(taxonomy_uid, op, value, levels))
        elif op in ("$in", "$nin", "$eq", "$ne"):
            terms = value if op in ("$in", "$nin") else [value]
            if not isinstance(terms, list) or not all(isinstance(v, str) for v in terms):
                raise QueryError(f"{key}: {op} takes term uids")
            conditions.append(_tagged(taxonomy_uid, set(terms), negate=op in ("$nin", "$ne")))
        elif op == "$exists":
            if not isinstance(value, bool):
                raise QueryError(f"{key}: $exists takes true or false")
            conditions.append(_tagged(taxonomy_uid, None, negate=not value))
        else:
            raise QueryError(f"{key}: unknown taxonomy operator {op!r}")
    return lambda item, ctx: all(c(item, ctx) for c in conditions)


def _tagged(taxonomy_uid: str, wanted: set[str] | None, negate: bool) -> Predicate:
    """Tagged with one of ``wanted`` (with any term when None), or the opposite."""

    def check(item: Mapping[str, Any], ctx: Context) -> bool:
        terms = ctx.item_terms(item, taxonomy_uid)
        hit = bool(terms) if wanted is None else bool(wanted.intersection(terms))
        return hit is not negate

    return check


def _hierarchy(taxonomy_uid: str, op: str, term_uid: str, levels: int) -> Predicate:
    def check(item: Mapping[str, Any], ctx: Context) -> bool:
        related = ctx.related_terms(taxonomy_uid, term_uid, op, levels)
        return bool(related.intersection(ctx.item_terms(item, taxonomy_uid)))

    return check
