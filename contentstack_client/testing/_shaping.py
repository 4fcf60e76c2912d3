"""Shaping answers: ordering, projections, inline references and embedded rich text items."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ._filters import as_instant, lookup

JSON = dict[str, Any]

Resolver = Callable[[Mapping[str, Any]], JSON | None]
"""Turns a reference ``{uid, _content_type_uid}`` into the entry (or asset) it points to."""

_REFERENCE_KEYS = frozenset({"uid", "_content_type_uid"})


# -- ordering --------------------------------------------------------------------------------


def _rank(value: object) -> tuple[int, Any]:
    # MongoDB's cross-type order (missing/null, numbers, strings, booleans), so a sort by a
    # field some items lack is still total; dates sort as instants.
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (3, value)
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        instant = as_instant(value)
        return (2, (instant.timestamp(), "") if instant else (float("-inf"), value))
    return (4, str(value))


def ordered(items: list[JSON], field: str, descending: bool) -> list[JSON]:
    """Items sorted by a (dot path) field; ties keep their order (stable)."""

    def key(item: JSON) -> tuple[int, Any]:
        values = lookup(item, field.split("."))
        return _rank(values[0] if values else None)

    return sorted(items, key=key, reverse=descending)


# -- projections -----------------------------------------------------------------------------


def _tree(paths: Iterable[str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
    return tree


def _keep(value: Any, tree: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        return [_keep(v, tree) for v in value]
    if not isinstance(value, Mapping):
        return value
    return {k: (_keep(v, tree[k]) if tree[k] else v) for k, v in value.items() if k in tree}


def _drop(value: Any, tree: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        return [_drop(v, tree) for v in value]
    if not isinstance(value, Mapping):
        return value
    return {
        k: (_drop(v, tree[k]) if tree.get(k) else v)
        for k, v in value.items()
        if k not in tree or tree[k]
    }


def project(item: JSON, only: Iterable[str] = (), leave_out: Iterable[str] = ()) -> JSON:
    """``only`` / ``except`` projections (dot paths allowed); ``uid`` is always kept."""
    only = list(only)
    leave_out = [p for p in leave_out if p != "uid"]
    if only:
        item = _keep(item, _tree([*only, "uid"]))
    if leave_out:
        item = _drop(item, _tree(leave_out))
    return item


# -- references ------------------------------------------------------------------------------


def _is_reference(value: object) -> bool:
    return isinstance(value, Mapping) and "uid" in value and set(value) <= _REFERENCE_KEYS


def _at(node: Any, path: list[str]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (container, key) where the last segment of ``path`` lives under ``node``."""
    if isinstance(node, list):
        for element in node:
            yield from _at(element, path)
        return
    if not isinstance(node, dict) or path[0] not in node:
        return
    if len(path) == 1:
        yield node, path[0]
    else:
        yield from _at(node[path[0]], path[1:])


def include(item: JSON, paths: Iterable[str], resolve: Resolver) -> JSON:
    """Resolve the reference fields named by ``include[]`` paths inline (mutates ``item``).

    A nested path (``author.related``) resolves every reference on its way. References to
    entries that are not published (in the requested locale) are left out, as the API does.
    """
    wanted = {p for path in paths for p in _prefixes(path)}
    for path in sorted(wanted, key=lambda p: p.count(".")):
        for container, key in _at(item, path.split(".")):
            value = container[key]
            if isinstance(value, list) and any(_is_reference(v) for v in value):
                container[key] = [
                    r
                    for r in (resolve(v) if _is_reference(v) else v for v in value)
                    if r is not None
                ]
    return item


def project_references(item: JSON, projections: Mapping[str, tuple[list[str], list[str]]]) -> JSON:
    """Apply ``only[<reference path>][]`` / ``except[<reference path>][]`` (mutates ``item``)."""
    for path, (only, leave_out) in projections.items():
        if only:
            # Resolved references keep saying what they are, like ``uid``.
            only = [*only, "_content_type_uid"]
        for container, key in _at(item, path.split(".")):
            value = container[key]
            if isinstance(value, list):
                container[key] = [
                    project(v, only, leave_out)
                    if isinstance(v, dict) and not _is_reference(v)
                    else v
                    for v in value
                ]
    return item


def _prefixes(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


# -- JSON rich text embeds -------------------------------------------------------------------


def rich_text_paths(schema: Iterable[Mapping[str, Any]], prefix: str = "") -> list[str]:
    """Dot paths of the JSON rich text fields in a schema, groups included."""
    found: list[str] = []
    for field in schema:
        path = prefix + str(field.get("uid", ""))
        metadata = field.get("field_metadata") or {}
        if field.get("data_type") == "json" and metadata.get("allow_json_rte"):
            found.append(path)
        elif field.get("data_type") == "group":
            found.extend(rich_text_paths(field.get("schema") or [], path + "."))
    return found


def _embeds(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _embeds(child)
    elif isinstance(node, Mapping):
        attrs = node.get("attrs")
        if node.get("type") == "reference" and isinstance(attrs, Mapping):
            yield attrs
        yield from _embeds(node.get("children"))


def embedded_items(item: JSON, paths: Iterable[str], resolve: Resolver) -> dict[str, list[JSON]]:
    """``_embedded_items``: per rich text field path, the entries and assets it embeds."""
    result: dict[str, list[JSON]] = {}
    for path in paths:
        found: list[JSON] = []
        seen: set[tuple[str, str]] = set()
        for doc in lookup(item, path.split(".")):
            for attrs in _embeds(doc):
                if attrs.get("type") == "asset":
                    ref = {"uid": attrs.get("asset-uid"), "_content_type_uid": "sys_assets"}
                else:
                    ref = {
                        "uid": attrs.get("entry-uid"),
                        "_content_type_uid": attrs.get("content-type-uid"),
                    }
                key = (str(ref["_content_type_uid"]), str(ref["uid"]))
                if key in seen:
                    continue
                seen.add(key)
                target = resolve(ref)
                if target is not None:
                    found.append(target)
        if found:
            result[path] = found
    return result
