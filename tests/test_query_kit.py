"""The query builder end to end against the testing kit: each answer checked with a plain
Python oracle over the demo content (sync and async, transport and loopback server)."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contentstack_client import AsyncStack, EntryPublished, EntryUnpublished, Filter, Stack
from contentstack_client._results import EntryQuery
from contentstack_client.testing import InMemoryStack

DEMO = json.loads(
    (
        Path(__file__).resolve().parent.parent / "contentstack_client/testing/demo_content.json"
    ).read_text()
)
POSTS = {p["uid"]: p for p in DEMO["entries"]["blog_post"] if p["locale"] == "en-us"}
AUTHORS = {a["uid"]: a for a in DEMO["entries"]["author"] if a.get("locale", "en-us") == "en-us"}


def expect(predicate: Any) -> set[str]:
    return {uid for uid, post in POSTS.items() if predicate(post)}


def author_names(post: dict[str, Any]) -> list[str]:
    return [AUTHORS[ref["uid"]]["title"] for ref in post.get("author", [])]


CASES: list[tuple[str, Any, set[str]]] = [
    ("where", lambda q: q.where("featured", True), expect(lambda p: p["featured"] is True)),
    (
        "not_equal",
        lambda q: q.not_equal("reading_minutes", 3),
        expect(lambda p: p["reading_minutes"] != 3),
    ),
    (
        "in_ on an array field",
        lambda q: q.in_("tags", ["python", "sync"]),
        expect(lambda p: {"python", "sync"} & set(p["tags"])),
    ),
    (
        "not_in",
        lambda q: q.not_in("reading_minutes", [3, 4]),
        expect(lambda p: p["reading_minutes"] not in (3, 4)),
    ),
    (
        "gt and lte",
        lambda q: q.gt("reading_minutes", 3).lte("reading_minutes", 5),
        expect(lambda p: 3 < p["reading_minutes"] <= 5),
    ),
    (
        "dates",
        lambda q: q.gte("published_on", datetime.date(2024, 6, 1)).lt(
            "published_on", datetime.date(2024, 9, 1)
        ),
        expect(lambda p: "2024-06-01" <= p["published_on"] < "2024-09-01"),
    ),
    (
        "aware datetime against a date-time field",
        lambda q: q.lt("updated_at", datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)),
        expect(lambda p: p["updated_at"] < "2024-03-01T00:00:00.000Z"),
    ),
    ("exists", lambda q: q.exists("hero_image"), expect(lambda p: p.get("hero_image") is not None)),
    (
        "regex with options",
        lambda q: q.regex("title", "^t", "i"),
        expect(lambda p: re.match("^t", p["title"], re.I)),
    ),
    (
        "or_",
        lambda q: q.or_(Filter().where("featured", True), Filter().gte("reading_minutes", 7)),
        expect(lambda p: p["featured"] is True or p["reading_minutes"] >= 7),
    ),
    (
        "and_ with a nested or_",
        lambda q: q.and_(
            Filter().lt("reading_minutes", 6), Filter().or_({"tags": "python"}, {"tags": "sync"})
        ),
        expect(lambda p: p["reading_minutes"] < 6 and {"python", "sync"} & set(p["tags"])),
    ),
    (
        "reference_in",
        lambda q: q.reference_in("author", Filter().regex("title", "^Grace")),
        expect(lambda p: any(n.startswith("Grace") for n in author_names(p))),
    ),
    (
        "reference_not_in",
        lambda q: q.reference_not_in("author", Filter().regex("title", "^Grace")),
        expect(lambda p: not any(n.startswith("Grace") for n in author_names(p))),
    ),
    (
        "tags",
        lambda q: q.tags("python", "sync"),
        expect(lambda p: {"python", "sync"} & set(p["tags"])),
    ),
]


@pytest.fixture(scope="module")
def kit() -> InMemoryStack:
    return InMemoryStack.demo()


@pytest.fixture(scope="module")
def stack(kit: InMemoryStack) -> Iterator[Stack]:
    with kit.stack() as client:
        yield client


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_builder_query_against_the_kit(
    stack: Stack, name: str, build: Any, expected: set[str]
) -> None:
    query: EntryQuery = build(stack.query("blog_post"))
    assert expected, "the case must select something to be meaningful"
    assert {e.uid for e in query.iter(page_size=3)} == expected
    assert query.count() == len(expected)


def test_modifiers_against_the_kit(stack: Stack) -> None:
    post = stack.query("blog_post").include("author").only("title", "author").fetch("blt_post_01")
    (author,) = post["author"]
    assert author["title"] == AUTHORS["blt_author_ada"]["title"]
    assert "summary" not in post.additional_properties
    page = stack.query("blog_post").asc("reading_minutes").limit(4).include_count().find()
    assert page.count == len(POSTS)
    assert [e["reading_minutes"] for e in page] == sorted(
        p["reading_minutes"] for p in POSTS.values()
    )[:4]
    french = stack.query("blog_post").locale("fr-ca", fallback=True).find()
    assert {e.uid for e in french} == set(POSTS)
    assert {e.locale for e in french} <= {"fr-ca", "fr-fr", "en-us"}
    with pytest.raises(Exception, match="limit"):
        stack.query("blog_post").limit(101)


def test_taxonomy_query_against_the_kit(stack: Stack) -> None:
    below = {
        e.uid for e in stack.taxonomy_query().eq_below("taxonomies.topics", "engineering").iter()
    }
    direct = {
        e.uid for e in stack.taxonomy_query().where("taxonomies.topics", "engineering").iter()
    }
    assert direct <= below and len(below) > len(direct)
    one_level = {
        e.uid
        for e in stack.taxonomy_query().below("taxonomies.topics", "engineering", levels=1).iter()
    }
    assert one_level <= below and "engineering" not in one_level


def test_sync_stream_over_seeded_changes() -> None:
    kit = InMemoryStack.demo(sync_page_size=7)
    with kit.stack() as stack:
        first = stack.iter_sync()
        initial = list(first)
        assert len(initial) == first.total_count and first.sync_token
        kit.unpublish_entry("blog_post", "blt_post_02")
        kit.publish_entry("blog_post", {**POSTS["blt_post_03"], "title": "Retitled"})
        delta = stack.iter_sync(sync_token=first.sync_token)
        changes: set[tuple[str, str]] = set()
        for event in delta:
            if isinstance(event, EntryPublished):
                changes.add((event.type, event.entry.uid))
            elif isinstance(event, EntryUnpublished):
                changes.add((event.type, event.uid))
        assert ("entry_unpublished", "blt_post_02") in changes
        assert ("entry_published", "blt_post_03") in changes


async def test_async_builder_over_the_loopback_server(kit: InMemoryStack) -> None:
    with kit.serve() as server:
        async with AsyncStack(
            kit.api_key, kit.delivery_token, kit.environment, host=server.url
        ) as stack:
            query = stack.query("blog_post").where("featured", True)
            assert {e.uid async for e in query.iter(page_size=1)} == expect(
                lambda p: p["featured"] is True
            )
            events = [e async for e in stack.iter_sync()]
            assert len(events) > len(POSTS)
