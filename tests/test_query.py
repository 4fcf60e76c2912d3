"""The query builder: every operator and modifier as it goes on the wire, validation, results.

The expected requests come from the API reference examples (research/api.md section 3) and,
where it is right, from the request the official ``contentstack`` SDK sends for the same call
(``test_same_request_as_official_sdk``).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import httpx
import pytest

from contentstack_client import AsyncStack, Stack
from contentstack_client._query import Filter
from contentstack_client._results import EntryQuery

from .conftest import Recorder, load_payload

ENTRY = load_payload("cda_entry_single.json")["entry"]


def _entries(request: httpx.Request) -> httpx.Response:
    """A server with 5 entries, honouring skip/limit/include_count like the API."""
    params = request.url.params
    skip, limit = int(params.get("skip", 0)), int(params.get("limit", 100))
    rows = [{**ENTRY, "uid": f"blt{i}", "title": f"Entry {i}"} for i in range(5)]
    body: dict[str, Any] = {"entries": rows[skip : skip + limit]}
    if params.get("include_count") == "true":
        body["count"] = len(rows)
    if "/entries/" in request.url.path:
        return httpx.Response(200, json={"entry": rows[0]})
    if request.url.path.endswith("/assets"):
        return httpx.Response(200, json={"assets": [], "count": 0})
    return httpx.Response(200, json=body)


@pytest.fixture
def recorded() -> tuple[Stack, Recorder]:
    recorder = Recorder(_entries)
    return Stack("key", "token", "production", transport=recorder.transport()), recorder


def query_of(request: httpx.Request) -> Any:
    return json.loads(request.url.params["query"])


def pairs(
    request: httpx.Request, *, without: tuple[str, ...] = ("environment", "query")
) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.url.params.multi_items() if k not in without]


# -- operators: the JSON inside `query` --------------------------------------------------------

OPERATORS: list[tuple[str, Callable[[Filter], Filter], Any]] = [
    ("equality", lambda f: f.where("title", "Redmi 3S"), {"title": "Redmi 3S"}),
    ("equality bool", lambda f: f.where("featured", True), {"featured": True}),
    ("$ne", lambda f: f.not_equal("color", "Gold"), {"color": {"$ne": "Gold"}}),
    ("$in", lambda f: f.in_("color", ["Gold", "Black"]), {"color": {"$in": ["Gold", "Black"]}}),
    ("$nin", lambda f: f.not_in("color", ("Gold",)), {"color": {"$nin": ["Gold"]}}),
    ("$lt reference example", lambda f: f.lt("price_in_usd", 600), {"price_in_usd": {"$lt": 600}}),
    ("$lte", lambda f: f.lte("price", 1.5), {"price": {"$lte": 1.5}}),
    ("$gt", lambda f: f.gt("price", 0), {"price": {"$gt": 0}}),
    (
        "$gte date",
        lambda f: f.gte("date", datetime.date(2024, 1, 31)),
        {"date": {"$gte": "2024-01-31"}},
    ),
    (
        "$lt datetime in UTC with Z",
        lambda f: f.lt(
            "updated_at",
            datetime.datetime(2024, 1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        ),
        {"updated_at": {"$lt": "2024-01-01T00:00:00.000Z"}},
    ),
    ("range on one field", lambda f: f.gt("n", 1).lt("n", 5), {"n": {"$gt": 1, "$lt": 5}}),
    ("$exists", lambda f: f.exists("image"), {"image": {"$exists": True}}),
    ("$exists false", lambda f: f.exists("image", False), {"image": {"$exists": False}}),
    ("$regex", lambda f: f.regex("title", "^Bl"), {"title": {"$regex": "^Bl"}}),
    (
        "$regex options",
        lambda f: f.regex("title", "^bl", "i"),
        {"title": {"$regex": "^bl", "$options": "i"}},
    ),
    (
        "$or reference example",
        lambda f: f.or_(Filter().where("color", "Gold"), Filter().where("color", "Black")),
        {"$or": [{"color": "Gold"}, {"color": "Black"}]},
    ),
    (
        "$and nested $or",
        lambda f: f.and_(Filter().gt("n", 1), Filter().or_({"a": 1}, Filter().where("b", 2))),
        {"$and": [{"n": {"$gt": 1}}, {"$or": [{"a": 1}, {"b": 2}]}]},
    ),
    (
        "$in_query reference example",
        lambda f: f.reference_in("brand", Filter().where("title", "Apple Inc.")),
        {"brand": {"$in_query": {"title": "Apple Inc."}}},
    ),
    (
        "$nin_query",
        lambda f: f.reference_not_in("brand", {"title": "Apple Inc."}),
        {"brand": {"$nin_query": {"title": "Apple Inc."}}},
    ),
    (
        "$above",
        lambda f: f.above("taxonomies.color", "red"),
        {"taxonomies.color": {"$above": "red"}},
    ),
    (
        "$below with levels",
        lambda f: f.below("taxonomies.color", "red", levels=2),
        {"taxonomies.color": {"$below": "red", "levels": 2}},
    ),
    (
        "$eq_above",
        lambda f: f.eq_above("taxonomies.color", "red", levels=1),
        {"taxonomies.color": {"$eq_above": "red", "levels": 1}},
    ),
    (
        "$eq_below",
        lambda f: f.eq_below("taxonomies.color", "red"),
        {"taxonomies.color": {"$eq_below": "red"}},
    ),
    (
        "dot path into a group",
        lambda f: f.where("bank_offers.card_type", "Credit"),
        {"bank_offers.card_type": "Credit"},
    ),
    ("raw document", lambda f: f.where_raw({"n": {"$mod": [2, 0]}}), {"n": {"$mod": [2, 0]}}),
    (
        "a second condition on a field goes to $and, never overwrites",
        lambda f: f.where("n", 1).where("n", 2).not_equal("m", 1).not_equal("m", 2),
        {"n": 1, "m": {"$ne": 1}, "$and": [{"n": 2}, {"m": {"$ne": 2}}]},
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operator_on_the_wire(
    recorded: tuple[Stack, Recorder], name: str, build: Callable[[Any], Any], expected: Any
) -> None:
    stack, rec = recorded
    assert build(Filter()).to_query() == expected
    build(stack.query("blog")).find()
    assert query_of(rec.last) == expected
    # Compact JSON, as the API reference writes it.
    assert rec.last.url.params["query"] == json.dumps(
        expected, separators=(",", ":"), ensure_ascii=False
    )


# -- modifiers: flat parameters ------------------------------------------------------------------

MODIFIERS: list[tuple[str, Callable[[EntryQuery], EntryQuery], list[tuple[str, str]]]] = [
    (
        "include nested",
        lambda q: q.include("author", "author.books"),
        [("include[]", "author"), ("include[]", "author.books")],
    ),
    (
        "include appends",
        lambda q: q.include("a").include("b", "a"),
        [("include[]", "a"), ("include[]", "b")],
    ),
    (
        "include_reference_content_type_uid",
        lambda q: q.include_reference_content_type_uid(),
        [("include_reference_content_type_uid", "true")],
    ),
    (
        "only BASE",
        lambda q: q.only("title", "url"),
        [("only[BASE][]", "title"), ("only[BASE][]", "url")],
    ),
    ("except BASE", lambda q: q.except_("body"), [("except[BASE][]", "body")]),
    (
        "only per reference",
        lambda q: q.only("track_color", reference="track"),
        [("only[track][]", "track_color")],
    ),
    (
        "except per reference",
        lambda q: q.except_("track_color", reference="track"),
        [("except[track][]", "track_color")],
    ),
    (
        "locale with fallback",
        lambda q: q.locale("fr-fr", fallback=True),
        [("locale", "fr-fr"), ("include_fallback", "true")],
    ),
    ("include_fallback", lambda q: q.include_fallback(), [("include_fallback", "true")]),
    ("asc", lambda q: q.asc("title"), [("asc", "title")]),
    ("desc replaces asc", lambda q: q.asc("title").desc("updated_at"), [("desc", "updated_at")]),
    ("skip and limit", lambda q: q.skip(20).limit(10), [("skip", "20"), ("limit", "10")]),
    ("include_count", lambda q: q.include_count(), [("include_count", "true")]),
    (
        "include_content_type",
        lambda q: q.include_content_type(),
        [("include_content_type", "true")],
    ),
    (
        "include_content_type with global field schema",
        lambda q: q.include_content_type(global_field_schema=True),
        [("include_content_type", "true"), ("include_global_field_schema", "true")],
    ),
    ("include_schema", lambda q: q.include_schema(), [("include_schema", "true")]),
    (
        "include_embedded_items",
        lambda q: q.include_embedded_items(),
        [("include_embedded_items[]", "BASE")],
    ),
    ("include_metadata", lambda q: q.include_metadata(), [("include_metadata", "true")]),
    ("include_branch", lambda q: q.include_branch(), [("include_branch", "true")]),
    (
        "asset_fields",
        lambda q: q.asset_fields("user_defined_fields", "visual_markups"),
        [("asset_fields[]", "user_defined_fields"), ("asset_fields[]", "visual_markups")],
    ),
    ("tags, flat comma list", lambda q: q.tags("a", "b"), [("tags", "a,b")]),
    ("typeahead search", lambda q: q.search("Bl"), [("typeahead", "Bl")]),
    (
        "raw parameter",
        lambda q: q.param("new_option", "x").param("many", ["1", "2"]),
        [("new_option", "x"), ("many", "1"), ("many", "2")],
    ),
    ("flag switched off again", lambda q: q.include_count().include_count(False), []),
]


@pytest.mark.parametrize(("name", "build", "expected"), MODIFIERS, ids=[m[0] for m in MODIFIERS])
def test_modifier_on_the_wire(
    recorded: tuple[Stack, Recorder],
    name: str,
    build: Callable[[EntryQuery], EntryQuery],
    expected: list[tuple[str, str]],
) -> None:
    stack, rec = recorded
    build(stack.query("blog")).find()
    assert sorted(pairs(rec.last)) == sorted(expected)
    assert rec.last.url.path == "/v3/content_types/blog/entries"
    assert rec.last.url.params["environment"] == "production"


def test_variants_go_in_the_header(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    stack.query("blog").variants("cs_variant_1", "alias_2").find()
    assert rec.last.headers["x-cs-variant-uid"] == "cs_variant_1,alias_2"


# -- the official SDK sends the same request ------------------------------------------------------


def official_request(call: Callable[[Any], Any]) -> httpx.URL:
    """The URL the official ``contentstack`` SDK requests for ``call(stack)`` (no network)."""
    import contentstack
    import requests

    seen: list[str] = []

    class _Stop(Exception):
        pass

    def fake_get(self: Any, url: str, **kwargs: Any) -> Any:
        seen.append(url)
        raise _Stop

    with mock.patch.object(requests.Session, "get", fake_get):
        sdk = contentstack.Stack("key", "token", "production", host="cdn.example.com")
        # The SDK wraps our stop in its own error type.
        with contextlib.suppress(Exception):
            call(sdk)
    assert seen, "the SDK sent nothing"
    return httpx.URL(seen[0])


def _sdk_query(sdk: Any) -> Any:
    return sdk.content_type("blog").query()


def _op(name: str) -> Any:
    from contentstack.basequery import QueryOperation

    return getattr(QueryOperation, name)


SAME_AS_SDK: list[tuple[str, Callable[[Any], Any], Callable[[EntryQuery], EntryQuery]]] = [
    (
        "$lt",
        lambda s: _sdk_query(s).where("n", _op("IS_LESS_THAN"), fields=5).find(),
        lambda q: q.lt("n", 5),
    ),
    (
        "$lte",
        lambda s: _sdk_query(s).where("n", _op("IS_LESS_THAN_OR_EQUAL"), fields=5).find(),
        lambda q: q.lte("n", 5),
    ),
    (
        "$gt",
        lambda s: _sdk_query(s).where("n", _op("IS_GREATER_THAN"), fields=5).find(),
        lambda q: q.gt("n", 5),
    ),
    (
        "$gte",
        lambda s: _sdk_query(s).where("n", _op("IS_GREATER_THAN_OR_EQUAL"), fields=5).find(),
        lambda q: q.gte("n", 5),
    ),
    (
        "$ne",
        lambda s: _sdk_query(s).where("t", _op("NOT_EQUALS"), fields="x").find(),
        lambda q: q.not_equal("t", "x"),
    ),
    (
        "$in",
        lambda s: _sdk_query(s).where("t", _op("INCLUDES"), fields=["x", "y"]).find(),
        lambda q: q.in_("t", ["x", "y"]),
    ),
    (
        "$nin",
        lambda s: _sdk_query(s).where("t", _op("EXCLUDES"), fields=["x", "y"]).find(),
        lambda q: q.not_in("t", ["x", "y"]),
    ),
    (
        "$exists",
        lambda s: _sdk_query(s).where("t", _op("EXISTS"), fields=True).find(),
        lambda q: q.exists("t"),
    ),
    (
        "$regex",
        lambda s: _sdk_query(s).where("t", _op("MATCHES"), fields="^a").find(),
        lambda q: q.regex("t", "^a"),
    ),
    (
        "paging, count, sort",
        lambda s: _sdk_query(s).include_count().skip(2).limit(3).order_by_ascending("title").find(),
        lambda q: q.include_count().skip(2).limit(3).asc("title"),
    ),
    (
        "desc",
        lambda s: _sdk_query(s).order_by_descending("title").find(),
        lambda q: q.desc("title"),
    ),
    (
        "include",
        lambda s: _sdk_query(s).include_reference(["a", "b"]).find(),
        lambda q: q.include("a", "b"),
    ),
    ("only", lambda s: _sdk_query(s).only("title").find(), lambda q: q.only("title")),
    ("except", lambda s: _sdk_query(s).excepts("title").find(), lambda q: q.except_("title")),
    ("locale", lambda s: _sdk_query(s).locale("fr-fr").find(), lambda q: q.locale("fr-fr")),
    (
        "include_fallback",
        lambda s: _sdk_query(s).include_fallback().find(),
        lambda q: q.include_fallback(),
    ),
    (
        "include_metadata",
        lambda s: _sdk_query(s).include_metadata().find(),
        lambda q: q.include_metadata(),
    ),
    (
        "include_branch",
        lambda s: _sdk_query(s).include_branch().find(),
        lambda q: q.include_branch(),
    ),
    (
        "include_embedded_items",
        lambda s: _sdk_query(s).include_embedded_items().find(),
        lambda q: q.include_embedded_items(),
    ),
    (
        "include_reference_content_type_uid",
        lambda s: _sdk_query(s).include_reference_content_type_uid().find(),
        lambda q: q.include_reference_content_type_uid(),
    ),
    ("tags", lambda s: _sdk_query(s).tags("a", "b").find(), lambda q: q.tags("a", "b")),
]


@pytest.mark.parametrize(
    ("name", "sdk_call", "build"), SAME_AS_SDK, ids=[c[0] for c in SAME_AS_SDK]
)
def test_same_request_as_official_sdk(
    recorded: tuple[Stack, Recorder],
    name: str,
    sdk_call: Callable[[Any], Any],
    build: Callable[[EntryQuery], EntryQuery],
) -> None:
    stack, rec = recorded
    build(stack.query("blog")).find()
    theirs = official_request(sdk_call)
    assert theirs.path == rec.last.url.path
    # The SDK writes JSON with spaces (``{"n": {"$lt": 5}}``); the documents must be equal.
    if "query" in theirs.params or "query" in rec.last.url.params:
        assert json.loads(theirs.params["query"]) == query_of(rec.last)
    assert sorted(pairs(rec.last)) == sorted(pairs(httpx.Request("GET", theirs)))


def test_same_sync_request_as_official_sdk(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    rec._handler = lambda r: httpx.Response(200, json={"items": [], "sync_token": "s1"})
    list(
        stack.iter_sync(
            content_type_uid="blog",
            locale="en-us",
            start_from="2018-01-01T00:00:00.000+00:00",
            sync_types=["entry_published", "asset_published"],
        )
    )
    theirs = official_request(
        lambda s: s.sync_init(
            content_type_uid="blog",
            locale="en-us",
            start_from="2018-01-01T00:00:00.000Z",
            publish_type="entry_published,asset_published",
        )
    )
    ours = dict(pairs(rec.last))
    assert rec.last.url.path == theirs.path == "/v3/stacks/sync"
    assert ours.pop("start_from").startswith("2018-01-01T00:00:00")
    theirs_pairs = dict(pairs(httpx.Request("GET", theirs)))
    assert theirs_pairs.pop("start_from") == "2018-01-01T00:00:00.000Z"
    assert ours == theirs_pairs


def test_where_in_is_right_where_the_official_sdk_is_broken(
    recorded: tuple[Stack, Recorder],
) -> None:
    # contentstack 2.8.0 sends ``query=author`` for where_in (research/delivery.md 3.1).
    stack, rec = recorded
    stack.query("blog").reference_in("author", Filter().where("name", "Ann")).where(
        "title", "x"
    ).find()
    assert query_of(rec.last) == {"author": {"$in_query": {"name": "Ann"}}, "title": "x"}


# -- bad input is refused before sending ---------------------------------------------------------

BAD: list[tuple[str, Callable[[EntryQuery], object], type[Exception], str]] = [
    ("limit over 100", lambda q: q.limit(101), ValueError, "limit must be <= 100"),
    ("limit zero", lambda q: q.limit(0), ValueError, "limit must be >= 1"),
    ("negative skip", lambda q: q.skip(-1), ValueError, "skip must be >= 0"),
    (
        "empty $in",
        lambda q: q.in_("color", []),
        ValueError,
        r"\$in on 'color' needs at least one value",
    ),
    ("bare string for $in", lambda q: q.in_("color", "Gold"), TypeError, "needs a collection"),
    (
        "regex that does not compile",
        lambda q: q.regex("title", "(unclosed"),
        ValueError,
        "does not compile",
    ),
    ("bad regex option", lambda q: q.regex("title", "a", "g"), ValueError, "letters of 'imsx'"),
    ("non-scalar equality", lambda q: q.where("title", {"$gt": 1}), TypeError, "needs a scalar"),  # type: ignore[arg-type]
    ("list equality", lambda q: q.where("title", ["a"]), TypeError, "needs a scalar"),  # type: ignore[arg-type]
    ("None equality", lambda q: q.where("title", None), TypeError, "needs a scalar"),  # type: ignore[arg-type]
    ("NaN", lambda q: q.gt("n", float("nan")), ValueError, "not a finite number"),
    ("boolean compared", lambda q: q.gt("n", True), TypeError, "not booleans"),
    ("naive datetime", lambda q: q.lt("d", datetime.datetime(2024, 1, 1)), ValueError, "naive"),
    (
        "operator as field",
        lambda q: q.where("$where", "1"),
        ValueError,
        "field must be a field uid",
    ),
    ("empty dot segment", lambda q: q.where("a..b", "1"), ValueError, "field must be"),
    (
        "levels over 10",
        lambda q: q.below("taxonomies.c", "t", levels=11),
        ValueError,
        "levels must be between 1 and 10",
    ),
    ("empty $or", lambda q: q.or_(), ValueError, r"\$or needs at least one filter"),
    ("empty $or branch", lambda q: q.or_(Filter()), ValueError, r"\$or\[0\] has no conditions"),
    (
        "empty sub-query",
        lambda q: q.reference_in("author", Filter()),
        ValueError,
        "needs a filter with conditions",
    ),
    ("raw not JSON", lambda q: q.where_raw({"n": object()}), ValueError, "not serialisable"),
    ("exists non-bool", lambda q: q.exists("a", 1), TypeError, "takes a bool"),  # type: ignore[arg-type]
    ("include nothing", lambda q: q.include(), ValueError, "at least one"),
    (
        "param shadowing a typed method",
        lambda q: q.param("limit", 500),
        ValueError,
        "has a typed method",
    ),
    ("param projection", lambda q: q.param("only[BASE][]", "x"), ValueError, "has a typed method"),
    ("variant with comma", lambda q: q.variants("a,b"), ValueError, "comma"),
    ("variant with CR/LF", lambda q: q.variants("a\r\nx: y"), ValueError, "CR, LF"),
    ("tag with comma", lambda q: q.tags("a,b"), ValueError, "comma"),
]


@pytest.mark.parametrize(("name", "build", "error", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_with_a_clear_error(
    recorded: tuple[Stack, Recorder],
    name: str,
    build: Callable[[EntryQuery], object],
    error: type[Exception],
    message: str,
) -> None:
    stack, rec = recorded
    with pytest.raises(error, match=message):
        build(stack.query("blog"))
    assert rec.requests == []


def test_queries_are_immutable(recorded: tuple[Stack, Recorder]) -> None:
    stack, _ = recorded
    base = stack.query("blog").where("a", 1).include("author")
    refined = base.gt("n", 2).limit(5)
    assert base.to_query() == {"a": 1}
    assert refined.to_query() == {"a": 1, "n": {"$gt": 2}}
    assert base != refined
    assert base == stack.query("blog").where("a", 1).include("author")
    with pytest.raises(AttributeError, match="immutable"):
        base._params = {}
    assert "blog" in repr(refined) and "'$gt': 2" in repr(refined)


# -- results -------------------------------------------------------------------------------------


def test_find_gives_a_typed_page(recorded: tuple[Stack, Recorder]) -> None:
    stack, _ = recorded
    page = stack.query("blog").include_count().skip(1).limit(2).find()
    assert [e.uid for e in page] == ["blt1", "blt2"]
    assert (page.count, page.skip, len(page)) == (5, 1, 2)
    assert page.response.entries == page.items


def test_find_one_fetch_and_count(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    first = stack.query("blog").where("title", "x").find_one()
    assert first is not None and first.uid == "blt0"
    assert rec.last.url.params["limit"] == "1"
    assert stack.query("blog").count() == 5
    assert rec.last.url.params["include_count"] == "true"
    entry = stack.query("blog").include("author").locale("fr-fr").variants("v1").fetch("blt0")
    assert entry.uid == "blt0"
    assert rec.last.url.path == "/v3/content_types/blog/entries/blt0"
    assert sorted(pairs(rec.last)) == [("include[]", "author"), ("locale", "fr-fr")]
    assert rec.last.headers["x-cs-variant-uid"] == "v1"
    with pytest.raises(ValueError, match="find_one"):
        stack.query("blog").where("a", 1).fetch("blt0")
    with pytest.raises(ValueError, match="limit"):
        stack.query("blog").limit(3).fetch("blt0")


def test_iter_walks_pages_lazily_and_stops_on_count(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    items = stack.query("blog").asc("uid").iter(page_size=2)
    first = next(items)
    assert first.uid == "blt0" and len(rec.requests) == 1  # lazily: one page so far
    rest = [e.uid for e in items]
    assert rest == ["blt1", "blt2", "blt3", "blt4"]
    walked = [
        (r.url.params["skip"], r.url.params["limit"], r.url.params.get("include_count"))
        for r in rec.requests
    ]
    # The first page's count ends the walk: no empty page is requested.
    assert walked == [("0", "2", "true"), ("2", "2", None), ("4", "2", None)]


def test_iter_with_max_items_and_a_start_offset(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    assert [e.uid for e in stack.query("blog").skip(1).iter(page_size=2, max_items=3)] == [
        "blt1",
        "blt2",
        "blt3",
    ]
    assert [r.url.params["limit"] for r in rec.requests] == ["2", "1"]
    rec.requests.clear()
    assert [e.uid for e in stack.query("blog")] == [f"blt{i}" for i in range(5)]
    assert len(rec.requests) == 1
    with pytest.raises(ValueError, match="limit must be <= 100"):
        stack.query("blog").iter(page_size=500)


def test_asset_and_taxonomy_queries(recorded: tuple[Stack, Recorder]) -> None:
    stack, rec = recorded
    stack.asset_query().where("content_type", "image/png").include_dimension().relative_urls().only(
        "url"
    ).find()
    assert rec.last.url.path == "/v3/assets"
    assert query_of(rec.last) == {"content_type": "image/png"}
    assert sorted(pairs(rec.last)) == [
        ("include_dimension", "true"),
        ("only[BASE][]", "url"),
        ("relative_urls", "true"),
    ]
    with pytest.raises(ValueError, match="no reference fields"):
        stack.asset_query().only("url", reference="x")
    stack.taxonomy_query().in_("taxonomies.color", ["red"]).eq_below(
        "taxonomies.size", "l", levels=2
    ).locale("en-us").find()
    assert rec.last.url.path == "/v3/taxonomies/entries"
    assert query_of(rec.last) == {
        "taxonomies.color": {"$in": ["red"]},
        "taxonomies.size": {"$eq_below": "l", "levels": 2},
    }
    with pytest.raises(ValueError, match="needs at least one condition"):
        stack.taxonomy_query().find()


async def test_async_query_find_iter_and_fetch() -> None:
    recorder = Recorder(_entries)

    async def handler(request: httpx.Request) -> httpx.Response:
        return recorder(request)

    async with AsyncStack(
        "key", "token", "production", transport=httpx.MockTransport(handler)
    ) as stack:
        query = stack.query("blog").where("title", "x")
        page = await query.limit(2).find()
        assert [e.uid for e in page] == ["blt0", "blt1"]
        assert [e.uid async for e in query.iter(page_size=2)] == [f"blt{i}" for i in range(5)]
        assert [e.uid async for e in query] == [f"blt{i}" for i in range(5)]
        assert (await query.find_one()) is not None
        assert await query.count() == 5
        assert (await stack.query("blog").fetch("blt0")).uid == "blt0"
    assert all(
        query_of(r) == {"title": "x"} for r in recorder.requests if "/entries/" not in r.url.path
    )


def test_field_names_are_checked_even_in_projections(recorded: tuple[Stack, Recorder]) -> None:
    stack, _ = recorded
    with pytest.raises(ValueError, match=re.escape("field must be a field uid")):
        stack.query("blog").only("$bad")
    with pytest.raises(ValueError, match="content_type_uid must be a non-empty uid"):
        stack.query("..")


def test_single_entry_asset_and_taxonomy_requests_match_the_official_sdk(
    recorded: tuple[Stack, Recorder],
) -> None:
    stack, rec = recorded
    stack.query("blog").include("author").locale(
        "fr-fr"
    ).include_fallback().include_metadata().fetch("blt0")
    theirs = official_request(
        lambda s: (
            s.content_type("blog")
            .entry("blt0")
            .include_reference(["author"])
            .locale("fr-fr")
            .include_fallback()
            .include_metadata()
            .fetch()
        )
    )
    assert theirs.path == rec.last.url.path == "/v3/content_types/blog/entries/blt0"
    assert sorted(pairs(rec.last)) == sorted(pairs(httpx.Request("GET", theirs)))

    stack.asset_query().include_dimension().include_fallback().find()
    theirs = official_request(
        lambda s: s.asset_query().include_dimension().include_fallback().find()
    )
    assert theirs.path == rec.last.url.path == "/v3/assets"
    assert sorted(pairs(rec.last)) == sorted(pairs(httpx.Request("GET", theirs)))

    stack.taxonomy_query().in_("taxonomies.color", ["red", "blue"]).find()
    theirs = official_request(
        lambda s: s.taxonomy().in_("taxonomies.color", ["red", "blue"]).find()
    )
    assert theirs.path == rec.last.url.path == "/v3/taxonomies/entries"
    assert json.loads(theirs.params["query"]) == query_of(rec.last)
