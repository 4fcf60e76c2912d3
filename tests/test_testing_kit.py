"""The offline testing kit, over an httpx transport and over a loopback HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contentstack_client import (
    AsyncStack,
    AuthenticationError,
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
    # Newest first by updated_at, as the recorded entry lists are.
    assert [e.uid for e in first.entries] == [f"blt_post_{i:02d}" for i in range(12, 7, -1)]
    last = stack.find_entries("blog_post", skip=10, limit=5)
    assert [e.uid for e in last.entries] == ["blt_post_02", "blt_post_01"]
    assert isinstance(last.count, Unset)


def test_equality_filters(stack: Stack) -> None:
    featured = stack.find_entries("blog_post", query={"featured": True}, include_count=True)
    assert featured.count == 3
    assert all(e["featured"] is True for e in featured.entries)
    tagged = stack.find_entries(
        "blog_post", query={"tags": "operations", "author.uid": "blt_author_linus"}
    )
    assert [e.uid for e in tagged.entries] == [
        "blt_post_12",
        "blt_post_09",
        "blt_post_06",
        "blt_post_03",
    ]
    assert (
        stack.find_entries(
            "blog_post", query={"tags": "operations", "author.uid": "blt_author_ada"}
        ).entries
        == []
    )
    nested = stack.find_entries(
        "blog_post", query={"taxonomies.term_uid": "writing"}, include_count=True
    )
    assert nested.count == 2


def test_locale_and_fallback(stack: Stack) -> None:
    french = stack.find_entries("blog_post", locale="fr-fr", include_count=True)
    assert french.count == 2
    assert french.entries[1].title == "Les clients typés sécurisent le refactoring"
    with_fallback = stack.find_entries(
        "blog_post", locale="fr-fr", include_fallback=True, include_count=True
    )
    assert with_fallback.count == 12
    locales = {e.uid: e.locale for e in with_fallback.entries}
    assert (locales.pop("blt_post_01"), locales.pop("blt_post_02")) == ("fr-fr", "fr-fr")
    assert set(locales.values()) == {"en-us"}


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
    assert [t.uid for t in stack.find_terms("topics", depth=1).terms] == [
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
    assert entry_missing.value.error_message == "The requested object doesn't exist."
    with pytest.raises(UnprocessableEntityError) as ct_missing:
        stack.find_entries("nope")
    assert ct_missing.value.error_code == 118
    assert ct_missing.value.error_message == (
        "The Content Type 'nope' was not found. Please try again."
    )
    with pytest.raises(NotFoundError) as asset_missing:
        stack.fetch_asset("nope")
    assert (asset_missing.value.error_code, asset_missing.value.error_message) == (
        145,
        "Asset was not found.",
    )
    with pytest.raises(UnprocessableEntityError) as global_field_missing:
        stack.fetch_global_field("nope")
    assert global_field_missing.value.error_code == 115


def test_unsupported_operators_are_refused_not_ignored(stack: Stack) -> None:
    with pytest.raises(UnprocessableEntityError, match=r"valid parameters") as refused:
        stack.find_entries("blog_post", query={"reading_minutes": {"$between": [1, 4]}})
    assert refused.value.errors == {
        "query": ["has an invalid operation: reading_minutes: unknown operator '$between'."]
    }
    with pytest.raises(UnprocessableEntityError, match=r"valid parameters"):
        stack.find_entries("blog_post", query={"$where": "true"})


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


def test_every_demo_item_parses_with_every_modifier(kit: InMemoryStack) -> None:
    """The demo content, fully expanded, parses into the generated models."""
    includes = {
        "author": ["related", "photo"],
        "blog_post": ["author", "author.related", "related_posts", "related_posts.author"],
        "page": ["featured", "sections.links", "featured.featured"],
    }
    with kit.stack() as stack:
        for content_type in stack.find_content_types(
            include_global_field_schema=True
        ).content_types:
            for locale in ("en-us", "fr-fr", "fr-ca"):
                page = stack.find_entries(
                    content_type.uid,
                    locale=locale,
                    include_fallback=True,
                    include=includes[content_type.uid],
                    include_embedded_items=True,
                    include_content_type=True,
                    include_schema=True,
                    include_metadata=True,
                    include_branch=True,
                    include_count=True,
                )
                assert page.count == len(page.entries) > 0
                for entry in page.entries:
                    assert entry.to_dict()["_branch"] == "main"
        assert len(stack.find_assets(include_dimension=True).assets) == 4
        assert len(stack.sync().items) == 25
