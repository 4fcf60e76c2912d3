"""The testing kit answers every query operator and modifier as the CDA does.

Each test sends the request through a real :class:`Stack` (the wire format the client
produces) and checks the kit's answer against the bundled demo content.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from contentstack_client import BadRequestError, Stack, UnprocessableEntityError
from contentstack_client._generated.cda.models import EntriesResponse
from contentstack_client.testing import InMemoryStack

ALL_POSTS = [f"blt_post_{n:02d}" for n in range(12, 0, -1)]
"""Every post, in the default order (newest ``updated_at`` first)."""


def posts(*numbers: int) -> list[str]:
    """Post uids in the default order."""
    return [f"blt_post_{n:02d}" for n in sorted(numbers, reverse=True)]


def uids(page: EntriesResponse) -> list[str]:
    return [e.uid for e in page.entries]


@pytest.fixture(scope="module")
def kit() -> InMemoryStack:
    return InMemoryStack.demo()


@pytest.fixture(scope="module")
def stack(kit: InMemoryStack) -> Iterator[Stack]:
    with kit.stack() as client:
        yield client


def find(stack: Stack, query: Mapping[str, Any], content_type: str = "blog_post") -> list[str]:
    return uids(stack.find_entries(content_type, query=query))


# -- operators ---------------------------------------------------------------------------------


def test_equality_on_scalars_arrays_and_null(stack: Stack) -> None:
    assert find(stack, {"featured": True}) == posts(1, 5, 9)
    # On an array, equality matches when any element is equal (MongoDB semantics).
    assert find(stack, {"tags": "python"}) == posts(1, 5, 9)
    # JSON booleans are not numbers.
    assert find(stack, {"featured": 1}) == []
    # null matches a missing field as well as an explicit null.
    assert find(stack, {"hero_image": None}) == posts(*range(4, 13))
    assert find(stack, {"reading_minutes": 3, "featured": False}) == posts(6, 11)


def test_not_equal_in_and_not_in(stack: Stack) -> None:
    assert find(stack, {"featured": {"$ne": True}}) == posts(2, 3, 4, 6, 7, 8, 10, 11, 12)
    assert find(stack, {"reading_minutes": {"$in": [3, 7]}}) == posts(1, 5, 6, 10, 11)
    assert find(stack, {"tags": {"$nin": ["operations", "content"]}}) == posts(1, 4, 7, 8, 11)
    assert find(stack, {"tags": {"$in": ["kernel"]}}) == []


def test_ranges_on_numbers_and_several_operators_on_one_field(stack: Stack) -> None:
    assert find(stack, {"reading_minutes": {"$gte": 4, "$lt": 6}}) == posts(2, 3, 7, 8, 12)
    assert find(stack, {"reading_minutes": {"$gt": 6}}) == posts(5, 10)
    assert find(stack, {"reading_minutes": {"$lte": 3}}) == posts(1, 6, 11)


def test_ranges_on_dates_compare_instants(stack: Stack) -> None:
    assert find(stack, {"published_on": {"$gte": "2024-11-01T00:00:00.000Z"}}) == posts(11, 12)
    # A date-only value and a date-time with an offset name instants, not strings:
    # 2024-01-14T23:00-02:00 is 2024-01-15T01:00Z, after post 1's 2024-01-15.
    assert find(stack, {"published_on": {"$lte": "2024-01-14T23:00:00-02:00"}}) == posts(1)
    assert find(stack, {"updated_at": {"$lt": "2024-02-01"}}) == posts(1)


def test_exists(stack: Stack) -> None:
    assert find(stack, {"hero_image": {"$exists": True}}) == posts(1, 2, 3)
    assert find(stack, {"hero_image": {"$exists": False}}) == posts(*range(4, 13))
    assert find(stack, {"seo.keywords": {"$exists": True}}) == ALL_POSTS


def test_regex_and_its_options(stack: Stack) -> None:
    assert find(stack, {"title": {"$regex": "^t"}}) == []
    assert find(stack, {"title": {"$regex": "^t", "$options": "i"}}) == posts(1, 8, 10)
    assert find(stack, {"body": {"$regex": "jitter\\.</p>$"}}) == posts(3)
    assert find(stack, {"seo.keywords": {"$regex": "^data"}}) == posts(1)
    with pytest.raises(UnprocessableEntityError, match="valid parameters"):
        find(stack, {"title": {"$regex": "^t", "$options": "q"}})
    with pytest.raises(UnprocessableEntityError):
        find(stack, {"title": {"$regex": "("}})


def test_and_or_nested(stack: Stack) -> None:
    query = {
        "$or": [
            {"featured": True},
            {"$and": [{"reading_minutes": 3}, {"tags": "engineering"}]},
        ]
    }
    assert find(stack, query) == posts(1, 5, 9, 11)
    both = {"$and": [{"tags": "content"}, {"reading_minutes": {"$gt": 4}}]}
    assert find(stack, both) == posts(5, 10)


def test_reference_sub_queries(stack: Stack) -> None:
    assert find(stack, {"author": {"$in_query": {"title": "Ada Lovelace"}}}) == posts(1, 4, 7, 10)
    assert find(stack, {"author": {"$nin_query": {"title": "Ada Lovelace"}}}) == posts(
        2, 3, 5, 6, 8, 9, 11, 12
    )
    navy = {"author": {"$in_query": {"tags": {"$in": ["navy"]}}}}
    assert find(stack, navy) == posts(2, 5, 8, 11)
    # A multi content type reference field: each reference is looked up in its own type.
    about = {"featured": {"$in_query": {"title": "About"}}}
    assert find(stack, about, "page") == ["blt_page_home"]
    # A reference inside a group (a list of groups).
    linked = {"sections.links": {"$in_query": {"reading_minutes": 4}}}
    assert find(stack, linked, "page") == ["blt_page_home"]


def test_dot_paths_through_groups_lists_and_references(stack: Stack) -> None:
    assert find(stack, {"seo.keywords": "apis"}) == posts(4)
    assert find(stack, {"author.uid": "blt_author_linus"}) == posts(3, 6, 9, 12)
    assert find(stack, {"sections.heading": "Latest"}, "page") == ["blt_page_home"]
    assert find(stack, {"sections.links.uid": "blt_post_12"}, "page") == ["blt_page_home"]
    assert find(stack, {"cta.link.href": "/contact"}, "page") == ["blt_page_about"]


@pytest.mark.parametrize(
    "query",
    [
        {"title": {"$like": "x"}},
        {"$nor": [{"featured": True}]},
        {"reading_minutes": {"$in": 3}},
        {"featured": {"$exists": "yes"}},
        {"reading_minutes": {"$gt": True}},
        {"$or": []},
        {"title": {"$regex": "a", "extra": 1}},
        {"title": {"$options": "i"}},
        {"title": {"$below": "x"}},
    ],
)
def test_invalid_queries_are_refused_not_ignored(stack: Stack, query: dict[str, Any]) -> None:
    with pytest.raises(UnprocessableEntityError) as refused:
        stack.find_entries("blog_post", query=query)
    assert refused.value.error_code == 141
    assert refused.value.error_message == (
        "Failed to fetch entries. Please try again with valid parameters."
    )
    assert isinstance(refused.value.errors, dict) and "query" in refused.value.errors


def test_a_bad_query_is_refused_even_when_nothing_could_match() -> None:
    kit = InMemoryStack()
    kit.add_content_type({"uid": "empty", "title": "Empty"})
    with kit.stack() as stack, pytest.raises(UnprocessableEntityError):
        stack.find_entries("empty", query={"x": {"$unknown": 1}})


def test_malformed_json_is_a_bad_request(kit: InMemoryStack) -> None:
    with kit.stack() as stack, pytest.raises(BadRequestError) as malformed:
        stack.find_entries("blog_post", extra_params={"query": '{"title": '})
    assert malformed.value.error_code == 141
    assert malformed.value.errors == {"query": ["is not valid JSON."]}


# -- modifiers ---------------------------------------------------------------------------------


def test_include_resolves_references_inline(stack: Stack) -> None:
    entry = stack.fetch_entry("blog_post", "blt_post_01", include=["author"])
    author = entry["author"][0]
    assert (author["uid"], author["title"], author["_content_type_uid"]) == (
        "blt_author_ada",
        "Ada Lovelace",
        "author",
    )
    # Not included: still a bare reference.
    assert entry["related_posts"] == []
    plain = stack.fetch_entry("blog_post", "blt_post_02")
    assert plain["author"] == [{"uid": "blt_author_grace", "_content_type_uid": "author"}]


def test_nested_include_paths_and_multi_content_type_references(stack: Stack) -> None:
    entry = stack.fetch_entry("blog_post", "blt_post_04", include=["author.related"])
    related = entry["author"][0]["related"]
    assert [(r["uid"], r["_content_type_uid"]) for r in related] == [
        ("blt_post_01", "blog_post"),
        ("blt_page_about", "page"),
    ]
    assert related[1]["title"] == "About"
    page = stack.find_entries("page", include=["sections.links"], query={"uid": "blt_page_home"})
    links = page.entries[0]["sections"][1]["links"]
    assert [link["title"] for link in links] == [
        "Branches for content releases",
        "Images at the right size",
    ]


def test_include_reference_content_type_uid(stack: Stack) -> None:
    entry = stack.fetch_entry(
        "page", "blt_page_home", include=["featured"], include_reference_content_type_uid=True
    )
    assert [(f["uid"], f["_content_type_uid"]) for f in entry["featured"]] == [
        ("blt_post_05", "blog_post"),
        ("blt_page_about", "page"),
    ]


def test_unpublished_references_are_left_out() -> None:
    kit = InMemoryStack.demo()
    kit.unpublish_entry("author", "blt_author_ada")
    with kit.stack() as stack:
        entry = stack.fetch_entry("blog_post", "blt_post_01", include=["author"])
    assert entry["author"] == []


def test_only_and_except_on_the_base_item(stack: Stack) -> None:
    only = stack.fetch_entry("blog_post", "blt_post_01", only_base=["title", "seo.meta_title"])
    assert only.to_dict() == {
        "uid": "blt_post_01",
        "title": "Typed clients make refactoring safe",
        "seo": {"meta_title": "Typed clients make refactoring safe | Demo blog"},
    }
    leave_out = stack.fetch_entry("blog_post", "blt_post_01", except_base=["body", "seo", "uid"])
    assert "body" not in leave_out.additional_keys and "seo" not in leave_out.additional_keys
    assert leave_out.uid == "blt_post_01" and leave_out["summary"]


def test_only_and_except_per_reference(stack: Stack) -> None:
    only = stack.fetch_entry(
        "blog_post",
        "blt_post_01",
        include=["author"],
        only_base=["title"],
        extra_params={"only[author][]": ["email"]},
    )
    assert only["author"] == [
        {"uid": "blt_author_ada", "email": "ada@example.com", "_content_type_uid": "author"}
    ]
    leave_out = stack.fetch_entry(
        "blog_post",
        "blt_post_01",
        include=["author"],
        extra_params={"except[author][]": ["bio", "photo", "uid"]},
    )
    author = leave_out["author"][0]
    assert "bio" not in author and "photo" not in author
    assert author["uid"] == "blt_author_ada" and author["title"] == "Ada Lovelace"


def test_locale_without_and_with_fallback(stack: Stack) -> None:
    french = stack.find_entries("blog_post", locale="fr-fr", include_count=True)
    assert (french.count, uids(french)) == (2, posts(1, 2))
    chain = stack.find_entries("blog_post", locale="fr-ca", include_fallback=True)
    by_uid = {e.uid: e for e in chain.entries}
    assert len(by_uid) == 12
    # fr-ca falls back to fr-fr, which falls back to en-us.
    assert (by_uid["blt_post_01"].locale, by_uid["blt_post_02"].locale) == ("fr-ca", "fr-fr")
    assert {by_uid[u].locale for u in posts(*range(3, 13))} == {"en-us"}
    with pytest.raises(UnprocessableEntityError) as missing:
        stack.fetch_entry("blog_post", "blt_post_02", locale="fr-ca")
    assert missing.value.error_code == 141
    entry = stack.fetch_entry("blog_post", "blt_post_02", locale="fr-ca", include_fallback=True)
    assert entry.title == "Paginer sans surprises"


def test_references_follow_the_locale(stack: Stack) -> None:
    entry = stack.fetch_entry(
        "blog_post", "blt_post_01", locale="fr-fr", include_fallback=True, include=["author"]
    )
    assert entry["author"][0]["bio"] == "A écrit le premier algorithme publié."


def test_default_order_and_sorting(stack: Stack) -> None:
    assert uids(stack.find_entries("blog_post")) == ALL_POSTS
    by_minutes = stack.find_entries("blog_post", asc="reading_minutes", limit=4)
    assert [e["reading_minutes"] for e in by_minutes.entries] == [3, 3, 3, 4]
    assert uids(stack.find_entries("blog_post", desc="published_on", limit=2)) == posts(11, 12)
    titles = [e.title for e in stack.find_entries("author", asc="title").entries]
    assert titles == ["Ada Lovelace", "Grace Hopper", "Linus Torvalds"]


def test_skip_limit_and_count(stack: Stack) -> None:
    page = stack.find_entries("blog_post", skip=10, limit=5, include_count=True)
    assert (page.count, uids(page)) == (12, posts(1, 2))
    assert stack.find_entries("blog_post", skip=20).entries == []


def test_limit_above_100_is_refused(kit: InMemoryStack) -> None:
    with httpx.Client(transport=kit.transport(), base_url="http://kit") as http:
        answer = http.get(
            "/v3/content_types/blog_post/entries",
            params={"limit": "101"},
            headers={"api_key": kit.api_key, "access_token": kit.delivery_token},
        )
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"limit": ["must be 100 or less."]}


def test_content_type_and_schema_alongside_entries(stack: Stack) -> None:
    page = stack.find_entries(
        "page", include_content_type=True, include_global_field_schema=True, include_schema=True
    )
    assert page.content_type and page.content_type.uid == "page"
    cta = next(f for f in page.content_type.schema or [] if f.uid == "cta")
    assert [f["uid"] for f in cta.to_dict()["schema"]] == ["label", "link"]
    assert [f.uid for f in page.schema or []] == ["title", "url", "sections", "featured", "cta"]


def test_embedded_items_of_json_rich_text(stack: Stack) -> None:
    entry = stack.fetch_entry("blog_post", "blt_post_03", include_embedded_items=True)
    embedded = entry.to_dict()["_embedded_items"]["content"]
    assert [(i["uid"], i["_content_type_uid"]) for i in embedded] == [
        ("blt_asset_diagram", "sys_assets"),
        ("blt_post_01", "blog_post"),
    ]
    assert "_embedded_items" not in stack.fetch_entry("blog_post", "blt_post_03").to_dict()


def test_metadata_and_branch() -> None:
    kit = InMemoryStack.demo()
    kit.add_entry("page", {"uid": "extra", "title": "Extra", "_metadata": {"uid": "m1"}})
    with kit.stack(branch="preview") as stack:
        plain = stack.fetch_entry("page", "extra")
        assert "_metadata" not in plain.to_dict() and "_branch" not in plain.to_dict()
        rich = stack.fetch_entry("page", "extra", include_metadata=True, include_branch=True)
    assert (rich.to_dict()["_metadata"], rich.to_dict()["_branch"]) == ({"uid": "m1"}, "preview")
    with kit.stack() as stack:
        assert stack.find_assets(include_branch=True).assets[0].to_dict()["_branch"] == "main"


def test_tags_and_typeahead(stack: Stack) -> None:
    assert uids(stack.find_entries("blog_post", tags=["python", "kernel"])) == posts(1, 5, 9)
    assert uids(stack.find_entries("author", tags=["kernel"])) == ["blt_author_linus"]
    assert uids(stack.find_entries("blog_post", typeahead="tax")) == posts(10)
    assert uids(stack.find_entries("blog_post", typeahead="JIT")) == posts(3)


def test_variants_and_preview_token_do_not_break(kit: InMemoryStack, stack: Stack) -> None:
    assert uids(stack.find_entries("blog_post", variants=["cs_variant_1"], limit=1)) == posts(12)
    with httpx.Client(transport=kit.transport(), base_url="http://kit") as http:
        answer = http.get(
            "/v3/content_types/author/entries",
            headers={"api_key": kit.api_key, "preview_token": kit.preview_token},
        )
    assert answer.status_code == 200 and len(answer.json()["entries"]) == 3


# -- assets and content types -----------------------------------------------------------------


def test_asset_queries_and_modifiers(stack: Stack) -> None:
    default = stack.find_assets()
    assert [a.uid for a in default.assets] == [
        "blt_asset_whitepaper",
        "blt_asset_diagram",
        "blt_asset_portrait",
        "blt_asset_hero",
    ]
    assert not any(a.dimension for a in default.assets)
    pdf = stack.find_assets(query={"content_type": "application/pdf"}, include_count=True)
    assert (pdf.count, pdf.assets[0].filename) == (1, "whitepaper.pdf")
    docs = stack.find_assets(query={"tags": "docs"}, asc="filename", only_base=["filename"])
    assert [a.to_dict() for a in docs.assets] == [
        {"uid": "blt_asset_diagram", "filename": "diagram.jpg"},
        {"uid": "blt_asset_whitepaper", "filename": "whitepaper.pdf"},
    ]
    hero = stack.fetch_asset("blt_asset_hero", include_dimension=True, relative_urls=True)
    assert hero.dimension and (hero.dimension.width, hero.dimension.height) == (1200, 800)
    assert hero.url == "/v3/assets/demo_api_key/blt_asset_hero/65000000000000000000000/hero.jpg"


def test_content_type_queries(stack: Stack) -> None:
    types = stack.find_content_types(query={"uid": {"$in": ["page", "author"]}}, include_count=True)
    assert (types.count, [t.uid for t in types.content_types]) == (2, ["author", "page"])
    assert stack.fetch_global_field("cta").title == "Call to action"
