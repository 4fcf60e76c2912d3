"""The testing kit's Sync API: initial sync, pages, resumption, deltas over seeded changes."""

from __future__ import annotations

import datetime

import pytest

from contentstack_client import UnprocessableEntityError
from contentstack_client._generated.cda.models import SyncResponse
from contentstack_client._generated.cda.types import Unset
from contentstack_client.testing import InMemoryStack


def summary(page: SyncResponse) -> list[tuple[str, str, str]]:
    """(type, content_type_uid, data uid) of every item, in the page's order."""
    result: list[tuple[str, str, str]] = []
    for item in page.items:
        data = dict(item.data) if isinstance(item.data, dict) else {}
        result.append((item.type_, str(item.content_type_uid), str(data.get("uid", ""))))
    return result


def big_kit(entries: int) -> InMemoryStack:
    kit = InMemoryStack()
    kit.add_content_type({"uid": "note", "title": "Note"})
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for n in range(entries):
        stamp = (start + datetime.timedelta(minutes=n)).isoformat().replace("+00:00", "Z")
        kit.add_entry("note", {"uid": f"note_{n:03d}", "title": f"Note {n}", "updated_at": stamp})
    return kit


def test_initial_sync_lists_everything_published() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        page = stack.sync()
    assert (page.total_count, page.skip, page.limit) == (25, 0, 100)
    assert isinstance(page.pagination_token, Unset) and isinstance(page.sync_token, str)
    items = summary(page)
    assert {t for t, _, _ in items} == {"entry_published", "asset_published"}
    assert ("asset_published", "sys_assets", "blt_asset_hero") in items
    # Newest first, and published items carry the whole entry.
    assert items[0] == ("entry_published", "blog_post", "blt_post_12")
    first = page.items[0]
    assert not isinstance(first.data, Unset)
    assert first.data["title"] == "Branches for content releases"
    assert first.event_at == datetime.datetime(2024, 12, 16, 10, tzinfo=datetime.UTC)


def test_initial_sync_filters() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        authors = stack.sync(content_type_uid="author")
        assert [i.content_type_uid for i in authors.items] == ["author"] * 4
        french = stack.sync(locale="fr-fr")
        assert sorted(uid for _, _, uid in summary(french)) == [
            "blt_author_ada",
            "blt_post_01",
            "blt_post_02",
        ]
        recent = stack.sync(start_from=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC))
        assert summary(recent) == [("entry_published", "blog_post", "blt_post_12")]
        assets = stack.sync(sync_types=["asset_published"])
        assert [c for _, c, _ in summary(assets)] == ["sys_assets"] * 4


def test_pages_of_100_and_resuming_from_any_token() -> None:
    kit = big_kit(250)
    with kit.stack() as stack:
        first = stack.sync()
        assert (len(first.items), first.total_count, first.skip) == (100, 250, 0)
        assert isinstance(first.sync_token, Unset) and isinstance(first.pagination_token, str)
        second = stack.sync(pagination_token=first.pagination_token)
        assert (len(second.items), second.skip) == (100, 100)
        assert isinstance(second.pagination_token, str)
        last = stack.sync(pagination_token=second.pagination_token)
        assert (len(last.items), last.skip) == (50, 200)
        assert isinstance(last.pagination_token, Unset) and isinstance(last.sync_token, str)
        seen = [uid for page in (first, second, last) for _, _, uid in summary(page)]
        assert sorted(seen) == [f"note_{n:03d}" for n in range(250)]
        # Resuming from an already used token gives the same remaining items again.
        again = stack.sync(pagination_token=first.pagination_token)
        assert summary(again) == summary(second)
        rest = stack.sync(pagination_token=again.pagination_token)  # type: ignore[arg-type]
        assert summary(rest) == summary(last)


def test_tokens_are_opaque() -> None:
    kit = big_kit(150)
    with kit.stack() as stack:
        a, b = stack.sync(), stack.sync()
    assert isinstance(a.pagination_token, str) and isinstance(b.pagination_token, str)
    assert a.pagination_token != b.pagination_token
    # Random hex: nothing in it says where the page starts or what was asked.
    assert len(a.pagination_token) == 32 and int(a.pagination_token, 16) >= 0


def test_delta_sync_sees_exactly_the_changes() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        token = stack.sync().sync_token
        assert isinstance(token, str)
        kit.publish_entry("blog_post", {"uid": "blt_post_13", "title": "A new post"})
        republished = kit.publish_entry(
            "blog_post",
            {**kit.entries["blog_post"][("blt_post_02", "en-us")], "title": "New title"},
        )
        assert republished["_version"] == 2
        kit.unpublish_entry("author", "blt_author_linus")
        kit.delete_entry("blog_post", "blt_post_06")
        kit.publish_asset({"uid": "blt_asset_new", "title": "new.png", "filename": "new.png"})
        kit.unpublish_asset("blt_asset_portrait")
        kit.delete_asset("blt_asset_whitepaper")
        kit.delete_content_type("page")
        delta = stack.sync(sync_token=token)
        assert sorted(summary(delta)) == sorted(
            [
                ("entry_published", "blog_post", "blt_post_13"),
                ("entry_published", "blog_post", "blt_post_02"),
                ("entry_unpublished", "author", "blt_author_linus"),
                ("entry_deleted", "blog_post", "blt_post_06"),
                ("asset_published", "sys_assets", "blt_asset_new"),
                ("asset_unpublished", "sys_assets", "blt_asset_portrait"),
                ("asset_deleted", "sys_assets", "blt_asset_whitepaper"),
                ("content_type_deleted", "page", ""),
            ]
        )
        # Newest first; the shapes of the recorded events.
        assert summary(delta)[0] == ("content_type_deleted", "page", "")
        shapes = {i.type_: dict(i.data) for i in delta.items if isinstance(i.data, dict)}
        assert shapes["content_type_deleted"] == {}
        assert shapes["entry_unpublished"] == {"uid": "blt_author_linus", "locale": "en-us"}
        assert shapes["asset_deleted"] == {"uid": "blt_asset_whitepaper", "locale": "en-us"}
        assert shapes["entry_published"]["title"] in ("A new post", "New title")
        following = delta.sync_token
        assert isinstance(following, str)
        # Nothing changed since: the recorded empty answer, with the same token.
        quiet = stack.sync(sync_token=following)
        assert quiet.to_dict() == {"items": [], "sync_token": following}
        # The changed stack answers queries accordingly.
        assert stack.fetch_entry("blog_post", "blt_post_02").title == "New title"
        after = stack.sync()
    assert ("entry_published", "blog_post", "blt_post_06") not in summary(after)
    assert all(ct != "page" for _, ct, _ in summary(after))


def test_a_delta_keeps_the_initial_filters() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        token = stack.sync(content_type_uid="author").sync_token
        assert isinstance(token, str)
        kit.publish_entry("author", {"uid": "blt_author_new", "title": "New author"})
        kit.publish_entry("blog_post", {"uid": "blt_post_13", "title": "Ignored"})
        delta = stack.sync(sync_token=token)
    assert summary(delta) == [("entry_published", "author", "blt_author_new")]


def test_sync_types_can_ask_for_deletions() -> None:
    kit = InMemoryStack.demo()
    kit.delete_entry("blog_post", "blt_post_06")
    with kit.stack() as stack:
        deleted = stack.sync(sync_types=["entry_deleted"])
    assert summary(deleted) == [("entry_deleted", "blog_post", "blt_post_06")]


def test_unknown_tokens_are_refused() -> None:
    kit = InMemoryStack.demo()
    with kit.stack() as stack:
        with pytest.raises(UnprocessableEntityError) as bad_sync:
            stack.sync(sync_token="nope")
        assert bad_sync.value.error_code == 141
        assert bad_sync.value.errors == {"sync_token": ["is not valid."]}
        with pytest.raises(UnprocessableEntityError) as bad_page:
            stack.sync(pagination_token="nope")
        assert bad_page.value.errors == {"pagination_token": ["is not valid."]}
        # A token of another kit means nothing here.
        other = InMemoryStack.demo().stack().sync().sync_token
        assert isinstance(other, str)
        with pytest.raises(UnprocessableEntityError):
            stack.sync(sync_token=other)


def test_seeding_mistakes_raise() -> None:
    kit = InMemoryStack.demo()
    with pytest.raises(KeyError):
        kit.unpublish_entry("blog_post", "nope")
    with pytest.raises(KeyError):
        kit.delete_asset("nope")
    with pytest.raises(KeyError):
        kit.delete_content_type("nope")
    with pytest.raises(KeyError):
        kit.publish_entry("nope", {"uid": "x"})
