"""The offline testing kit, over an httpx transport and over a loopback HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contentstack_client import (
    AsyncStack,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PreconditionFailedError,
    Stack,
    UnprocessableEntityError,
)
from contentstack_client._generated.cda.types import Unset
from contentstack_client.testing import InMemoryStack


@pytest.fixture(scope="module")
def kit() -> InMemoryStack:
    return InMemoryStack.demo()


@pytest.fixture(params=["transport", "loopback"])
def stack(request: pytest.FixtureRequest, kit: InMemoryStack) -> Iterator[Stack]:
    if request.param == "transport":
        with kit.stack() as client:
            yield client
    else:
        with (
            kit.serve() as server,
            Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url) as client,
        ):
            assert server.url.startswith("http://127.0.0.1:")
            yield client


def test_pagination_and_count(stack: Stack) -> None:
    first = stack.find_entries("blog_post", limit=5, include_count=True)
    assert first.count == 12
    assert [e.uid for e in first.entries] == [f"blt_post_{i:02d}" for i in range(1, 6)]
    last = stack.find_entries("blog_post", skip=10, limit=5)
    assert [e.uid for e in last.entries] == ["blt_post_11", "blt_post_12"]
    assert isinstance(last.count, Unset)


def test_equality_filters(stack: Stack) -> None:
    featured = stack.find_entries("blog_post", query={"featured": True}, include_count=True)
    assert featured.count == 3
    assert all(e["featured"] is True for e in featured.entries)
    tagged = stack.find_entries(
        "blog_post", query={"tags": "operations", "author.uid": "blt_author_linus"}
    )
    assert [e.uid for e in tagged.entries] == [
        "blt_post_03",
        "blt_post_06",
        "blt_post_09",
        "blt_post_12",
    ]
    assert (
        stack.find_entries(
            "blog_post", query={"tags": "operations", "author.uid": "blt_author_ada"}
        ).entries
        == []
    )
    nested = stack.find_entries(
        "blog_post", query={"topics.term_uid": "content"}, include_count=True
    )
    assert nested.count == 4


def test_locale_and_fallback(stack: Stack) -> None:
    french = stack.find_entries("blog_post", locale="fr-fr", include_count=True)
    assert french.count == 1
    assert french.entries[0].title == "Les clients typés sécurisent le refactoring"
    with_fallback = stack.find_entries(
        "blog_post", locale="fr-fr", include_fallback=True, include_count=True
    )
    assert with_fallback.count == 12
    assert with_fallback.entries[0].locale == "fr-fr"
    assert {e.locale for e in with_fallback.entries[1:]} == {"en-us"}


def test_single_items_and_schemas(stack: Stack) -> None:
    assert stack.fetch_entry("author", "blt_author_ada").title == "Ada Lovelace"
    assert stack.fetch_asset("blt_asset_hero").filename == "hero.jpg"
    content_type = stack.fetch_content_type("blog_post")
    assert [f.data_type for f in content_type.schema or []][:5] == [
        "text",
        "text",
        "text",
        "text",
        "reference",
    ]
    assert stack.find_taxonomies().taxonomies[0].uid == "topics"
    assert [t.uid for t in stack.find_terms("topics").terms] == [
        "engineering",
        "content",
        "operations",
    ]
    assert stack.fetch_term("topics", "content").name == "Content"


def test_errors_in_contentstack_shapes(stack: Stack) -> None:
    with pytest.raises(UnprocessableEntityError) as entry_missing:
        stack.fetch_entry("blog_post", "nope")
    assert (entry_missing.value.error_code, entry_missing.value.errors) == (
        141,
        {"uid": ["is not valid."]},
    )
    with pytest.raises(UnprocessableEntityError) as ct_missing:
        stack.find_entries("nope")
    assert ct_missing.value.error_code == 118
    with pytest.raises(NotFoundError) as asset_missing:
        stack.fetch_asset("nope")
    assert asset_missing.value.error_code == 145


def test_unsupported_operators_are_refused_not_ignored(stack: Stack) -> None:
    with pytest.raises(BadRequestError, match=r"does not support the '\$gt' operator"):
        stack.find_entries("blog_post", query={"reading_minutes": {"$gt": 4}})
    with pytest.raises(BadRequestError, match=r"'\$or'"):
        stack.find_entries("blog_post", query={"$or": [{"featured": True}]})


def test_credentials_and_environment_are_checked(kit: InMemoryStack) -> None:
    transport = kit.transport()
    with pytest.raises(PreconditionFailedError):
        Stack("wrong", kit.delivery_token, kit.environment, transport=transport).find_assets()
    with pytest.raises(AuthenticationError) as bad_token:
        Stack(kit.api_key, "wrong", kit.environment, transport=transport).find_assets()
    assert bad_token.value.error_code == 105
    with pytest.raises(AuthenticationError) as bad_env:
        Stack(kit.api_key, kit.delivery_token, "production", transport=transport).find_assets()
    assert bad_env.value.error_code == 161


async def test_async_over_the_kit(kit: InMemoryStack) -> None:
    async with kit.async_stack() as stack:
        assert isinstance(stack, AsyncStack)
        page = await stack.find_entries("author", include_count=True)
    assert page.count == 3


def test_seeding_your_own_content() -> None:
    kit = InMemoryStack(api_key="k", delivery_token="t", environment="test")
    kit.add_content_type({"uid": "page", "title": "Page"})
    kit.add_entry("page", {"uid": "home", "title": "Home", "slug": "/"})
    with pytest.raises(KeyError, match="add the content type 'post'"):
        kit.add_entry("post", {"uid": "x"})
    with pytest.raises(ValueError, match="uid"):
        kit.add_asset({"title": "no uid"})
    with kit.stack() as stack:
        entry = stack.fetch_entry("page", "home")
    assert entry["slug"] == "/"
    assert entry.publish_details and entry.publish_details.environment == "test"
