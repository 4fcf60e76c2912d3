"""Answers of the in-memory stack, one function per Content Delivery API route."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from . import _taxonomy
from ._errors import (
    KitError,
    asset_not_found,
    content_type_not_found,
    entry_not_found,
    invalid_parameter,
)
from ._filters import QueryError, compile_query
from ._shaping import (
    embedded_items,
    include,
    ordered,
    project,
    project_references,
    rich_text_paths,
)
from ._sync import ASSETS

if TYPE_CHECKING:
    from ._memory import InMemoryStack

JSON = dict[str, Any]

MAX_LIMIT = 100
_PROJECTION = re.compile(r"(only|except)\[([^\]]+)\]\[\]\Z")


def _flag(params: httpx.QueryParams, name: str) -> bool:
    return bool(params.get(name) == "true")


class _Request:
    """One request's view of the stack: its locale chain and branch, and the query context."""

    def __init__(
        self, kit: InMemoryStack, params: httpx.QueryParams, headers: Mapping[str, str]
    ) -> None:
        self.kit = kit
        self.params = params
        self.locale = params.get("locale") or kit.master_locale
        self.chain = (
            kit.fallback_chain(self.locale) if _flag(params, "include_fallback") else [self.locale]
        )
        self.branch = headers.get("branch") or "main"
        self._related: dict[tuple[str, str, str, int], set[str]] = {}

    # -- lookups -------------------------------------------------------------------------

    def entry(self, content_type_uid: str, uid: str) -> JSON | None:
        """The entry in the first locale of the chain that has it."""
        entries = self.kit.entries.get(content_type_uid, {})
        for locale in self.chain:
            found = entries.get((uid, locale))
            if found is not None:
                return found
        return None

    def entries(self, content_type_uid: str) -> list[JSON]:
        """Every entry of a content type available in this request's locale chain."""
        result: list[JSON] = []
        seen: set[str] = set()
        for uid, _ in self.kit.entries[content_type_uid]:
            if uid not in seen:
                seen.add(uid)
                found = self.entry(content_type_uid, uid)
                if found is not None:
                    result.append(found)
        return result

    def term(self, taxonomy_uid: str, uid: str) -> JSON | None:
        """A term in the first locale of the chain that has it."""
        master = self.kit.terms[taxonomy_uid].get(uid)
        if master is None:
            return None
        translations = self.kit.term_translations.get(taxonomy_uid, {})
        for locale in self.chain:
            found = master if locale == self.kit.master_locale else translations.get((uid, locale))
            if found is not None:
                return self.decorate(copy.deepcopy(found))
        return None

    def decorate(self, item: JSON) -> JSON:
        """Add what ``include_branch`` asks for."""
        if _flag(self.params, "include_branch"):
            item["_branch"] = self.branch
        return item

    # -- the query context ---------------------------------------------------------------

    def referenced(self, reference: Mapping[str, Any]) -> JSON | None:
        """The entry or asset a reference points to, if published (in the locale chain)."""
        content_type_uid = reference.get("_content_type_uid")
        uid = reference.get("uid")
        if not isinstance(uid, str) or not isinstance(content_type_uid, str):
            return None
        if content_type_uid == ASSETS:
            return self.kit.assets.get(uid)
        return self.entry(content_type_uid, uid)

    def item_terms(self, item: Mapping[str, Any], taxonomy_uid: str) -> list[str]:
        """Term uids of one taxonomy on an item (any field holding taxonomy values)."""
        found: list[str] = []
        for value in item.values():
            if isinstance(value, list):
                for element in value:
                    if isinstance(element, Mapping) and element.get("taxonomy_uid") == taxonomy_uid:
                        found.append(str(element.get("term_uid")))
        return found

    def related_terms(
        self, taxonomy_uid: str, term_uid: str, operator: str, levels: int
    ) -> set[str]:
        """Terms a hierarchy operator accepts (memoised for the request)."""
        key = (taxonomy_uid, term_uid, operator, levels)
        if key not in self._related:
            terms = self.kit.terms.get(taxonomy_uid, {})
            self._related[key] = _taxonomy.related(terms, term_uid, operator, levels)
        return self._related[key]

    def resolve(self, reference: Mapping[str, Any]) -> JSON | None:
        """A copy of the referenced item, marked with its ``_content_type_uid``.

        The recorded ``include[]`` answers carry ``_content_type_uid`` on resolved entries
        even without ``include_reference_content_type_uid``, so the kit always adds it.
        """
        target = self.referenced(reference)
        if target is None:
            return None
        resolved = copy.deepcopy(target)
        resolved["_content_type_uid"] = reference["_content_type_uid"]
        if reference["_content_type_uid"] == ASSETS:
            resolved.pop("dimension", None)
        return resolved


# -- lists ------------------------------------------------------------------------------------


def _int(params: httpx.QueryParams, resource: str, name: str, default: int, minimum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter(resource, name, "must be an integer.") from None
    if value < minimum:
        raise invalid_parameter(resource, name, f"must be {minimum} or more.")
    return value


def _select(
    req: _Request,
    resource: str,
    items: list[JSON],
    *,
    default_order: str | None = "updated_at",
    extra: Callable[[JSON], bool] | None = None,
    query_required: bool = False,
) -> tuple[list[JSON], int]:
    """Filter, order and slice a list; returns the page and the number of matches."""
    params = req.params
    raw = params.get("query")
    if raw:
        try:
            decoded = json.loads(raw)
        except ValueError:
            raise invalid_parameter(resource, "query", "is not valid JSON.", status=400) from None
        try:
            predicate = compile_query(decoded)
        except QueryError as exc:
            raise invalid_parameter(
                resource, "query", f"has an invalid operation: {exc}."
            ) from None
        items = [i for i in items if predicate(i, req)]
    elif query_required:
        raise invalid_parameter(resource, "query", "is required.")
    if extra is not None:
        items = [i for i in items if extra(i)]
    asc, desc = params.get("asc"), params.get("desc")
    if asc and desc:
        raise invalid_parameter(resource, "asc", "cannot be combined with desc.")
    if asc or desc:
        items = ordered(items, asc or desc or "", descending=bool(desc))
    elif default_order:
        # Recorded entry and asset lists come newest first by updated_at.
        items = ordered(items, default_order, descending=True)
    skip = _int(params, resource, "skip", 0, 0)
    limit = _int(params, resource, "limit", MAX_LIMIT, 1)
    if limit > MAX_LIMIT:
        raise invalid_parameter(resource, "limit", f"must be {MAX_LIMIT} or less.")
    return items[skip : skip + limit], len(items)


def _page(req: _Request, key: str, page: list[JSON], count: int) -> JSON:
    body: JSON = {key: page}
    if _flag(req.params, "include_count"):
        body["count"] = count
    return body


# -- content types ----------------------------------------------------------------------------


def _expand_global_fields(kit: InMemoryStack, schema: Iterable[JSON]) -> None:
    for field in schema:
        if field.get("data_type") == "global_field":
            target = kit.global_fields.get(str(field.get("reference_to")))
            if target is not None:
                field["schema"] = copy.deepcopy(target.get("schema", []))
        if isinstance(field.get("schema"), list):
            _expand_global_fields(kit, field["schema"])


def _content_type(req: _Request, uid: str) -> JSON:
    if uid not in req.kit.content_types:
        raise content_type_not_found(uid)
    result = copy.deepcopy(req.kit.content_types[uid])
    if _flag(req.params, "include_global_field_schema"):
        _expand_global_fields(req.kit, result.get("schema", []))
    return req.decorate(result)


# -- entries ----------------------------------------------------------------------------------


def _projections(params: httpx.QueryParams) -> dict[str, tuple[list[str], list[str]]]:
    found: dict[str, tuple[list[str], list[str]]] = {}
    for key in params:
        match = _PROJECTION.match(key)
        if match and match.group(2) != "BASE":
            only, leave_out = found.setdefault(match.group(2), ([], []))
            (only if match.group(1) == "only" else leave_out).extend(params.get_list(key))
    return found


def _present_entry(req: _Request, content_type_uid: str, entry: JSON) -> JSON:
    params = req.params
    result = copy.deepcopy(entry)
    paths = params.get_list("include[]")
    if paths:
        include(result, paths, req.resolve)
    if "BASE" in params.get_list("include_embedded_items[]"):
        schema = req.kit.content_types[content_type_uid].get("schema", [])
        result["_embedded_items"] = embedded_items(result, rich_text_paths(schema), req.resolve)
    references = _projections(params)
    if references:
        project_references(result, references)
    only = params.get_list("only[BASE][]")
    if only:
        # Fields resolved by include[] stay, as do embedded items asked for explicitly.
        only = [*only, *(p.split(".")[0] for p in paths), "_embedded_items"]
    result = project(result, only, params.get_list("except[BASE][]"))
    if not _flag(params, "include_metadata"):
        result.pop("_metadata", None)
    return req.decorate(result)


def _typeahead(req: _Request, content_type_uid: str, prefix: str) -> Callable[[JSON], bool]:
    """Entries whose title or a text field has a word starting with ``prefix`` (any case)."""
    schema = req.kit.content_types[content_type_uid].get("schema", [])
    fields = {"title"} | {f["uid"] for f in schema if f.get("data_type") == "text"}
    wanted = prefix.casefold()

    def matches(entry: JSON) -> bool:
        for name in fields:
            value = entry.get(name)
            if isinstance(value, str) and any(
                word.startswith(wanted) for word in [value.casefold(), *value.casefold().split()]
            ):
                return True
        return False

    return matches


def _entry_filters(req: _Request, content_type_uid: str) -> Callable[[JSON], bool] | None:
    checks: list[Callable[[JSON], bool]] = []
    tags = [t.strip() for t in (req.params.get("tags") or "").split(",") if t.strip()]
    if tags:
        checks.append(lambda e: any(t in (e.get("tags") or []) for t in tags))
    prefix = req.params.get("typeahead")
    if prefix:
        checks.append(_typeahead(req, content_type_uid, prefix))
    if not checks:
        return None
    return lambda e: all(c(e) for c in checks)


def _entries(req: _Request, content_type_uid: str) -> JSON:
    content_type = _content_type(req, content_type_uid)
    page, count = _select(
        req,
        "entries",
        req.entries(content_type_uid),
        extra=_entry_filters(req, content_type_uid),
    )
    body = _page(req, "entries", [_present_entry(req, content_type_uid, e) for e in page], count)
    if _flag(req.params, "include_content_type"):
        body["content_type"] = content_type
    if _flag(req.params, "include_schema"):
        body["schema"] = content_type.get("schema", [])
    return body


def _entry(req: _Request, content_type_uid: str, uid: str) -> JSON:
    content_type = _content_type(req, content_type_uid)
    found = req.entry(content_type_uid, uid)
    if found is None:
        raise entry_not_found()
    body: JSON = {"entry": _present_entry(req, content_type_uid, found)}
    if _flag(req.params, "include_content_type"):
        body["content_type"] = content_type
    return body


# -- assets -----------------------------------------------------------------------------------


def _present_asset(req: _Request, asset: JSON) -> JSON:
    params = req.params
    result = copy.deepcopy(asset)
    if not _flag(params, "include_dimension"):
        result.pop("dimension", None)
    if _flag(params, "relative_urls") and isinstance(result.get("url"), str):
        url = httpx.URL(result["url"])
        result["url"] = url.raw_path.decode("ascii")
    if not _flag(params, "include_metadata"):
        result.pop("_metadata", None)
    result = project(result, params.get_list("only[BASE][]"), params.get_list("except[BASE][]"))
    return req.decorate(result)


# -- taxonomies -------------------------------------------------------------------------------


def _taxonomy_uid(req: _Request, uid: str) -> str:
    if uid not in req.kit.taxonomies:
        # Guessed: no recorded answer for an unknown taxonomy.
        raise KitError(404, 404, f"Taxonomy '{uid}' was not found.", {"uid": ["is not valid."]})
    return uid


def _term(req: _Request, taxonomy_uid: str, uid: str) -> JSON:
    found = req.term(_taxonomy_uid(req, taxonomy_uid), uid)
    if found is None:
        # Guessed, like the unknown taxonomy answer.
        raise KitError(404, 404, f"Term '{uid}' was not found.", {"uid": ["is not valid."]})
    return found


def _depth(req: _Request) -> int | None:
    depth = _int(req.params, "terms", "depth", 0, 0)
    return depth or None


def _terms(req: _Request, taxonomy_uid: str) -> JSON:
    terms = req.kit.terms[_taxonomy_uid(req, taxonomy_uid)]
    tree = _taxonomy.descendants(terms, None, _depth(req))
    localized = [t for t in (req.term(taxonomy_uid, t["uid"]) for t in tree) if t is not None]
    page, count = _select(req, "terms", localized, default_order=None)
    return _page(req, "terms", page, count)


def _relatives(req: _Request, taxonomy_uid: str, uid: str, key: str) -> JSON:
    term = _term(req, taxonomy_uid, uid)
    terms = req.kit.terms[taxonomy_uid]
    if key == "ancestors":
        found = _taxonomy.ancestors(terms, uid, _depth(req))
    else:
        found = _taxonomy.descendants(terms, uid, _depth(req))
    localized = [t for t in (req.term(taxonomy_uid, r["uid"]) for r in found) if t is not None]
    page, count = _select(req, "terms", localized, default_order=None)
    # The CDA reference documents the relatives inside the term.
    body: JSON = {"term": {**term, key: page}}
    if _flag(req.params, "include_count"):
        body["count"] = count
    return body


def _term_locales(req: _Request, taxonomy_uid: str, uid: str) -> JSON:
    _term(req, taxonomy_uid, uid)
    translations = req.kit.term_translations.get(taxonomy_uid, {})
    found: list[JSON] = []
    for locale in req.kit.locales:
        if locale == req.kit.master_locale:
            found.append(copy.deepcopy(req.kit.terms[taxonomy_uid][uid]))
        elif (uid, locale) in translations:
            found.append(copy.deepcopy(translations[(uid, locale)]))
    page, count = _select(req, "terms", found, default_order=None)
    return _page(req, "terms", page, count)


def _resolved_terms(req: _Request, entry: JSON) -> JSON:
    for name, value in entry.items():
        if (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and "taxonomy_uid" in v for v in value)
        ):
            resolved: list[JSON] = []
            for v in value:
                term = req.kit.terms.get(v["taxonomy_uid"], {}).get(v.get("term_uid"))
                if term is None:
                    resolved.append(v)
                    continue
                localized = req.term(v["taxonomy_uid"], term["uid"]) or term
                resolved.append(
                    {
                        "taxonomy_uid": v["taxonomy_uid"],
                        "uid": term["uid"],
                        "name": localized.get("name"),
                        "depth": term.get("depth"),
                        "order": term.get("order"),
                    }
                )
            entry[name] = resolved
    return entry


def _taxonomy_entries(req: _Request) -> JSON:
    items: list[JSON] = []
    for content_type_uid in req.kit.content_types:
        for entry in req.entries(content_type_uid):
            items.append({**entry, "_content_type_uid": content_type_uid})
    page, count = _select(req, "entries", items, query_required=True)
    result = [copy.deepcopy(e) for e in page]
    if _flag(req.params, "resolve_terms"):
        result = [_resolved_terms(req, e) for e in result]
    return _page(req, "entries", [req.decorate(e) for e in result], count)


# -- the router -------------------------------------------------------------------------------


def route(
    kit: InMemoryStack, parts: list[str], params: httpx.QueryParams, headers: Mapping[str, str]
) -> JSON:
    """The JSON answer for ``/v3/<parts>``; raises :class:`KitError` for error answers."""
    req = _Request(kit, params, headers)
    match parts:
        case ["content_types"]:
            types = [_content_type(req, uid) for uid in kit.content_types]
            page, count = _select(req, "content types", types, default_order=None)
            return _page(req, "content_types", page, count)
        case ["content_types", uid]:
            return {"content_type": _content_type(req, uid)}
        case ["global_fields"]:
            fields = [req.decorate(copy.deepcopy(g)) for g in kit.global_fields.values()]
            page, count = _select(req, "global fields", fields, default_order=None)
            return _page(req, "global_fields", page, count)
        case ["global_fields", uid]:
            if uid not in kit.global_fields:
                # Guessed: the content type answer's shape with the code the CMA uses.
                raise KitError(
                    422, 115, f"Global Field '{uid}' was not found.", {"uid": ["is not valid."]}
                )
            return {"global_field": req.decorate(copy.deepcopy(kit.global_fields[uid]))}
        case ["content_types", ct, "entries"]:
            return _entries(req, ct)
        case ["content_types", ct, "entries", uid]:
            return _entry(req, ct, uid)
        case ["assets"]:
            page, count = _select(req, "assets", list(kit.assets.values()))
            return _page(req, "assets", [_present_asset(req, a) for a in page], count)
        case ["assets", uid]:
            if uid not in kit.assets:
                raise asset_not_found()
            return {"asset": _present_asset(req, kit.assets[uid])}
        case ["stacks", "sync"]:
            return kit.sync_log.answer(dict(params.items()))
        case ["taxonomies"]:
            taxonomies = [req.decorate(copy.deepcopy(t)) for t in kit.taxonomies.values()]
            page, count = _select(req, "taxonomies", taxonomies, default_order=None)
            return _page(req, "taxonomies", page, count)
        case ["taxonomies", "entries"]:
            return _taxonomy_entries(req)
        case ["taxonomies", uid]:
            return {
                "taxonomy": req.decorate(copy.deepcopy(kit.taxonomies[_taxonomy_uid(req, uid)]))
            }
        case ["taxonomies", uid, "terms"]:
            return _terms(req, uid)
        case ["taxonomies", uid, "terms", term]:
            return {"term": _term(req, uid, term)}
        case ["taxonomies", uid, "terms", term, ("ancestors" | "descendants") as key]:
            return _relatives(req, uid, term, key)
        case ["taxonomies", uid, "terms", term, "locales"]:
            return _term_locales(req, uid, term)
    raise KitError(404, 0, f"The testing kit does not serve /v3/{'/'.join(parts)}.")
