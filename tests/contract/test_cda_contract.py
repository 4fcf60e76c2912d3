"""Every generated CDA operation against Steady, a mock server driven by openapi/cda.yaml.

Steady validates each request against the spec (parameter names, types, ranges, array
styles) and reports what it found in ``X-Steady-*`` response headers; a request with any
diagnostic fails the test, informational ones included. Its answers are generated from the
response schemas and must parse into the generated models.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from contentstack_client import Stack

from ..conftest import ROOT
from ._steady import Checked, assert_problems_absent, steady_server

pytestmark = pytest.mark.contract

SPEC = ROOT / "openapi" / "cda.yaml"


@pytest.fixture(scope="module")
def steady_url() -> Iterator[str]:
    yield from steady_server(SPEC)


@pytest.fixture
def checked() -> Checked:
    return Checked()


@pytest.fixture
def stack(steady_url: str, checked: Checked) -> Iterator[Stack]:
    with Stack(
        "blt_api_key", "cs_token", "production", host=steady_url, branch="main", transport=checked
    ) as s:
        yield s


def assert_valid(checked: Checked) -> None:
    for request, _ in checked.seen:
        assert request.headers["api_key"] == "blt_api_key"
        assert request.headers["access_token"] == "cs_token"
    assert_problems_absent(checked)


CALLS: dict[str, Callable[[Stack], Any]] = {
    "get_content_types": lambda s: s.find_content_types(
        query={"title": "Blog"},
        include_count=True,
        include_global_field_schema=True,
        include_branch=True,
        skip=0,
        limit=100,
        asc="title",
    ),
    "get_content_type": lambda s: s.fetch_content_type(
        "blog_post", include_global_field_schema=True, include_branch=True
    ),
    "get_global_fields": lambda s: s.find_global_fields(
        include_count=True, include_branch=True, skip=1, limit=1
    ),
    "get_global_field": lambda s: s.fetch_global_field("seo", include_global_field_schema=False),
    "get_entries": lambda s: s.find_entries(
        "blog_post",
        query={"$or": [{"title": "a"}, {"views": {"$gt": 3}}]},
        locale="en-us",
        include_fallback=True,
        include=["author", "related.author"],
        include_reference_content_type_uid=True,
        only_base=["title"],
        except_base=["body"],
        include_content_type=True,
        include_global_field_schema=True,
        include_schema=True,
        include_count=True,
        include_embedded_items=True,
        include_metadata=True,
        include_branch=True,
        include_publish_details=True,
        asset_fields=["user_defined_fields", "visual_markups"],
        tags=["a", "b"],
        typeahead="pyth",
        skip=10,
        limit=20,
        desc="updated_at",
        variants=["cs_personalize_0_1"],
        branch="dev",
    ),
    "get_entry": lambda s: s.fetch_entry(
        "blog_post",
        "blt1",
        locale="fr-fr",
        include_fallback=True,
        include=["author"],
        only_base=["title"],
        include_embedded_items=True,
        include_metadata=True,
        asset_fields=["embedded_metadata"],
        version=3,
        variants=["v1", "v2"],
    ),
    "get_taxonomy_entries": lambda s: s.find_taxonomy_entries(
        {"taxonomies.color": {"$eq_below": "red", "levels": 2}},
        resolve_terms=True,
        locale="en-us",
        include_fallback=True,
        include_count=True,
        skip=0,
        limit=5,
    ),
    "get_assets": lambda s: s.find_assets(
        query={"content_type": "image/png"},
        locale="en-us",
        include_fallback=True,
        include_dimension=True,
        relative_urls=True,
        include_metadata=True,
        include_branch=True,
        include_publish_details=True,
        include_count=True,
        asset_fields=["ai_generated_metadata"],
        only_base=["url"],
        except_base=["tags"],
        version=1,
        skip=0,
        limit=50,
        asc="created_at",
    ),
    "get_asset": lambda s: s.fetch_asset(
        "blt_asset", include_dimension=True, relative_urls=False, version=2, locale="en-us"
    ),
    "sync": lambda s: [
        s.sync(
            content_type_uid="blog_post",
            locale="en-us",
            start_from=datetime.datetime(2018, 1, 14, tzinfo=datetime.UTC),
            sync_types=["entry_published", "asset_deleted"],
        ),
        s.sync(pagination_token="pt"),
        s.sync(sync_token="st"),
    ],
    "get_taxonomies": lambda s: s.find_taxonomies(
        locale="en-us",
        include_fallback=True,
        include_branch=True,
        include_count=True,
        skip=0,
        limit=10,
    ),
    "get_taxonomy": lambda s: s.fetch_taxonomy(
        "color", locale="en-us", include_fallback=True, include_branch=True
    ),
    "get_terms": lambda s: s.find_terms(
        "color", depth=2, include_count=True, locale="en-us", skip=0, limit=10
    ),
    "get_term": lambda s: s.fetch_term("color", "red", depth=1, include_branch=True),
    "get_term_locales": lambda s: s.fetch_term_locales("color", "red", skip=0, limit=10),
    "get_term_descendants": lambda s: s.fetch_term_descendants(
        "color", "red", depth=2, include_count=True, limit=5
    ),
    "get_term_ancestors": lambda s: s.fetch_term_ancestors(
        "color", "red", locale="en-us", include_fallback=True
    ),
}


def test_every_operation_of_the_spec_is_exercised() -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert operations == set(CALLS)


@pytest.mark.parametrize("operation", sorted(CALLS))
def test_operation_is_valid_and_its_answer_parses(
    operation: str, stack: Stack, checked: Checked
) -> None:
    result = CALLS[operation](stack)
    assert result is not None
    assert_valid(checked)


def test_generated_functions_work_directly_with_the_stacks_client(
    stack: Stack, checked: Checked
) -> None:
    from contentstack_client._generated.cda.api.entries import get_entries
    from contentstack_client._generated.cda.models import EntriesResponse

    page = get_entries.sync("blog_post", client=stack.generated_client, limit=5, include=["author"])
    assert isinstance(page, EntriesResponse)
    # The envelope with the content type, which Stack.fetch_entry does not return.
    from contentstack_client._generated.cda.api.entries import get_entry
    from contentstack_client._generated.cda.models import EntryResponse

    body = get_entry.sync(
        "blog_post",
        "blt1",
        client=stack.generated_client,
        include_content_type=True,
        include_global_field_schema=True,
    )
    assert isinstance(body, EntryResponse)
    assert_valid(checked)


async def test_async_operations(steady_url: str) -> None:
    from contentstack_client import AsyncStack

    async with AsyncStack("blt_api_key", "cs_token", "production", host=steady_url) as stack:
        page = await stack.find_entries(
            "blog_post", include=["author"], limit=3, include_count=True
        )
        assert isinstance(page.entries, list)
        assert (await stack.sync()).items is not None


def test_the_verdict_check_catches_a_request_the_spec_does_not_allow(
    stack: Stack, checked: Checked
) -> None:
    stack.find_entries("blog_post", extra_params={"not_in_the_spec": "1"})
    with pytest.raises(AssertionError, match="not_in_the_spec"):
        assert_valid(checked)
