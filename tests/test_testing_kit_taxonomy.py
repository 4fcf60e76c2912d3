"""The testing kit's taxonomy endpoints and taxonomy queries over a three-level hierarchy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from contentstack_client import NotFoundError, Stack, UnprocessableEntityError
from contentstack_client.testing import InMemoryStack


def posts(*numbers: int) -> list[str]:
    return [f"blt_post_{n:02d}" for n in sorted(numbers, reverse=True)]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with InMemoryStack.demo().stack() as client:
        yield client


def tagged(stack: Stack, condition: Any) -> list[str]:
    page = stack.find_taxonomy_entries({"taxonomies.topics": condition})
    assert {e.to_dict()["_content_type_uid"] for e in page.entries} <= {"blog_post"}
    return [e.uid for e in page.entries]


def test_taxonomies_and_terms(stack: Stack) -> None:
    assert [t.uid for t in stack.find_taxonomies().taxonomies] == ["topics"]
    assert stack.fetch_taxonomy("topics").name == "Topics"
    every = [t.uid for t in stack.find_terms("topics").terms]
    assert every[:6] == ["engineering", "backend", "databases", "apis", "frontend", "accessibility"]
    assert len(every) == 14
    roots = stack.find_terms("topics", depth=1, include_count=True)
    assert (roots.count, [t.uid for t in roots.terms]) == (
        3,
        ["engineering", "content", "operations"],
    )
    assert len(stack.find_terms("topics", depth=2).terms) == 9
    term = stack.fetch_term("topics", "databases")
    assert (term.name, term.parent_uid, term.depth) == ("Databases", "backend", 3)


def test_ancestors_descendants_and_locales(stack: Stack) -> None:
    ancestors = stack.fetch_term_ancestors("topics", "databases")
    assert [t.uid for t in ancestors] == ["backend", "engineering"]
    below = stack.fetch_term_descendants("topics", "engineering")
    assert [t.uid for t in below] == ["backend", "databases", "apis", "frontend", "accessibility"]
    assert [t.uid for t in stack.fetch_term_descendants("topics", "engineering", depth=1)] == [
        "backend",
        "frontend",
    ]
    assert [(t.locale, t.name) for t in stack.fetch_term_locales("topics", "engineering")] == [
        ("en-us", "Engineering"),
        ("fr-fr", "Ingénierie"),
    ]
    french = stack.find_terms("topics", depth=1, locale="fr-fr", include_fallback=True)
    assert [t.name for t in french.terms] == ["Ingénierie", "Contenu", "Exploitation"]
    assert stack.fetch_term("topics", "databases", locale="fr-ca", include_fallback=True).name == (
        "Databases"
    )


def test_taxonomy_membership_queries(stack: Stack) -> None:
    assert tagged(stack, "writing") == posts(2, 8)
    assert tagged(stack, {"$in": ["writing", "apis"]}) == posts(2, 4, 8)
    # $nin also matches entries without the taxonomy (other content types here).
    others = stack.find_taxonomy_entries({"taxonomies.topics": {"$nin": ["writing"]}})
    assert len(others.entries) == 10 + 3 + 2
    assert len(tagged(stack, {"$exists": True})) == 12


def test_taxonomy_hierarchy_queries(stack: Stack) -> None:
    assert tagged(stack, {"$eq_below": "engineering"}) == posts(1, 4, 7, 8, 11)
    assert tagged(stack, {"$below": "backend"}) == posts(1, 4)
    assert tagged(stack, {"$eq_below": "backend", "levels": 1}) == posts(1, 4, 8)
    assert tagged(stack, {"$below": "engineering", "levels": 1}) == posts(7, 8)
    assert tagged(stack, {"$above": "databases"}) == posts(8)
    assert tagged(stack, {"$eq_above": "backend"}) == posts(8)
    assert tagged(stack, {"$above": "databases", "levels": 1}) == posts(8)
    assert tagged(stack, {"$eq_below": "no_such_term"}) == []


def test_taxonomy_operators_in_content_type_queries(stack: Stack) -> None:
    page = stack.find_entries("blog_post", query={"taxonomies.topics": {"$eq_below": "operations"}})
    assert [e.uid for e in page.entries] == posts(3, 6, 9, 12)
    combined = {
        "$and": [{"taxonomies.topics": {"$eq_below": "engineering"}}, {"reading_minutes": 3}]
    }
    assert [e.uid for e in stack.find_entries("blog_post", query=combined).entries] == posts(1, 11)


def test_taxonomy_entries_modifiers(stack: Stack) -> None:
    page = stack.find_taxonomy_entries(
        {"taxonomies.topics": "apis", "_content_type_uid": "blog_post"},
        resolve_terms=True,
        include_count=True,
    )
    assert page.count == 1
    assert page.entries[0]["taxonomies"] == [
        {"taxonomy_uid": "topics", "uid": "apis", "name": "APIs", "depth": 3, "order": 2}
    ]
    pages = stack.find_taxonomy_entries({"_content_type_uid": "page"})
    assert [e.uid for e in pages.entries] == ["blt_page_about", "blt_page_home"]


@pytest.mark.parametrize(
    "condition",
    [
        {"$deep_below": "engineering"},
        {"levels": 2},
        {"$below": "engineering", "levels": 0},
        {"$below": 3},
        {"$in": "writing"},
    ],
)
def test_invalid_taxonomy_queries_are_refused(stack: Stack, condition: Any) -> None:
    with pytest.raises(UnprocessableEntityError) as refused:
        stack.find_taxonomy_entries({"taxonomies.topics": condition})
    assert refused.value.error_code == 141


def test_unknown_taxonomies_and_terms(stack: Stack) -> None:
    with pytest.raises(NotFoundError):
        stack.fetch_taxonomy("nope")
    with pytest.raises(NotFoundError):
        stack.fetch_term("topics", "nope")
    with pytest.raises(NotFoundError):
        stack.fetch_term_ancestors("topics", "nope")
