"""Publishing workflows end to end: the real management clients against the testing kit.

Everything goes through ``ManagementStack``/``ManagementClient`` (sync and async) and the
typed request models, and what is published is read back through the kit's delivery API
and Sync API, as a service under test would.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pyotp
import pytest

from contentstack_client import (
    AsyncManagementStack,
    AsyncStack,
    AuthenticationError,
    EntryPublished,
    EntryUnpublished,
    ManagementStack,
    NotFoundError,
    RateLimit,
    Stack,
    SyncEvent,
    TwoFactorRequiredError,
    UnprocessableEntityError,
    apages,
    pages,
)
from contentstack_client._generated.cma.models import (
    ContentTypeDefinition,
    ContentTypeRequest,
    EntryData,
    EntryRequest,
    EnvironmentCreateRequest,
    EnvironmentCreateRequestEnvironment,
    EnvironmentUrl,
    NumberField,
    TextField,
)
from contentstack_client._generated.cma.types import Unset
from contentstack_client.testing import InMemoryStack

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\r\n--not-a-boundary\r\n"


@pytest.fixture
def kit() -> InMemoryStack:
    return InMemoryStack.demo()


@pytest.fixture
def mgmt(kit: InMemoryStack) -> Iterator[ManagementStack]:
    with kit.management_stack() as stack:
        yield stack


@pytest.fixture
async def amgmt(kit: InMemoryStack) -> AsyncIterator[AsyncManagementStack]:
    async with kit.async_management_stack() as stack:
        yield stack


def note_type() -> ContentTypeRequest:
    """A small content type, built from the typed request models."""
    return ContentTypeRequest(
        content_type=ContentTypeDefinition(
            title="Note",
            uid="note",
            schema=[
                TextField(data_type="text", uid="title", display_name="Title", mandatory=True),
                TextField(data_type="text", uid="body", display_name="Body"),
                NumberField(data_type="number", uid="priority", display_name="Priority"),
            ],
        )
    )


def note(title: str, body: str | None = None, priority: int | None = None) -> EntryRequest:
    data = EntryData(title=title)
    if body is not None:
        data["body"] = body
    if priority is not None:
        data["priority"] = priority
    return EntryRequest(entry=data)


def sync_token(kit: InMemoryStack) -> str:
    with kit.stack() as stack:
        stream = stack.iter_sync()
        for _ in stream:
            pass
    assert stream.sync_token is not None
    return stream.sync_token


def delta(kit: InMemoryStack, token: str) -> tuple[list[SyncEvent], str]:
    """The Sync API events since ``token``, and the next token."""
    with kit.stack() as stack:
        stream = stack.iter_sync(sync_token=token)
        events = list(stream)
    assert stream.sync_token is not None
    return events, stream.sync_token


# -- the kit's client helpers --------------------------------------------------------------------


def test_kit_builds_management_clients(kit: InMemoryStack) -> None:
    with kit.management_stack(branch="main") as stack:
        assert stack.api_key == kit.api_key and stack.branch == "main"
        # Tests are not paced: the kit has no rate limit to respect.
        assert stack.config.rate_limit == RateLimit.off()
        assert stack.api.environments.get_environment(kit.environment).environment.name == (
            kit.environment
        )
    paced = kit.management_stack(rate_limit=RateLimit(rate=5))
    assert paced.config.rate_limit.enabled
    paced.close()
    # An authtoken replaces the management token instead of clashing with it.
    token = kit.add_user("ada@example.com", "pw")
    with kit.management_stack(authtoken=token) as as_user:
        assert as_user.api.content_types.get_content_types().content_types
    with kit.management_client() as client:
        assert client.config.rate_limit == RateLimit.off()
        with pytest.raises(ValueError, match="no session"):
            client.logout()


def test_plugin_fixture(contentstack_management_stack: ManagementStack) -> None:
    created = contentstack_management_stack.api.content_types.create_content_type(body=note_type())
    assert created.content_type is not None and not isinstance(created.content_type, Unset)
    assert created.content_type.uid == "note"


async def test_async_plugin_fixture(
    contentstack_async_management_stack: AsyncManagementStack, contentstack_kit: InMemoryStack
) -> None:
    stack = contentstack_async_management_stack
    await stack.api.content_types.create_content_type(body=note_type())
    await stack.api.entries.create_entry("note", body=note("From a fixture"))
    assert "note" in contentstack_kit.content_types


# -- create, update, publish, read, unpublish ------------------------------------------------------


def test_publish_workflow(kit: InMemoryStack, mgmt: ManagementStack) -> None:
    created_type = mgmt.api.content_types.create_content_type(body=note_type())
    assert created_type.notice == "Content Type created successfully."
    created = mgmt.api.entries.create_entry("note", body=note("Draft", "first words", 2))
    assert created.notice == "Entry created successfully."
    assert not isinstance(created.entry, Unset)
    uid = created.entry.uid
    assert (created.entry.field_version, created.entry["priority"]) == (1, 2)

    updated = mgmt.api.entries.update_entry("note", uid, body=note("Hello, world"))
    assert not isinstance(updated.entry, Unset)
    assert (updated.entry.field_version, updated.entry.title) == (2, "Hello, world")
    assert updated.entry["body"] == "first words"  # fields not sent are kept

    token = sync_token(kit)
    with kit.stack() as cda, pytest.raises(UnprocessableEntityError):
        cda.fetch_entry("note", uid)  # saved is not published

    answer = mgmt.publish_entry(
        "note", uid, environments=[kit.environment], locales=[kit.master_locale]
    )
    assert answer.notice == "The requested action has been performed."
    with kit.stack() as cda:
        delivered = cda.fetch_entry("note", uid)
        assert (delivered.title, delivered.field_version) == ("Hello, world", 2)
        assert delivered["body"] == "first words"
        assert [e.uid for e in cda.find_entries("note").entries] == [uid]
    events, token = delta(kit, token)
    (published,) = events
    assert isinstance(published, EntryPublished)
    assert (published.content_type_uid, published.entry.uid) == ("note", uid)
    assert published.entry.title == "Hello, world"
    record = mgmt.api.entries.get_entry("note", uid).entry
    assert not isinstance(record, Unset) and not isinstance(record.publish_details, Unset)
    assert [(p.locale, p.version) for p in record.publish_details] == [("en-us", 2)]

    mgmt.unpublish_entry("note", uid, environments=[kit.environment], locales=[kit.master_locale])
    with kit.stack() as cda, pytest.raises(UnprocessableEntityError) as gone:
        cda.fetch_entry("note", uid)
    assert gone.value.error_code == 141
    events, _ = delta(kit, token)
    (unpublished,) = events
    assert unpublished == EntryUnpublished("note", unpublished.event_at, uid, "en-us")


async def test_publish_workflow_async(kit: InMemoryStack, amgmt: AsyncManagementStack) -> None:
    await amgmt.api.content_types.create_content_type(body=note_type())
    created = await amgmt.api.entries.create_entry("note", body=note("Draft"))
    assert not isinstance(created.entry, Unset)
    uid = created.entry.uid
    updated = await amgmt.api.entries.update_entry("note", uid, body=note("Async hello"))
    assert not isinstance(updated.entry, Unset) and updated.entry.field_version == 2
    versions = await amgmt.api.entries.get_entry_versions("note", uid)
    assert [v.field_version for v in versions.versions or []] == [2, 1]

    token = sync_token(kit)
    await amgmt.publish_entry(
        "note", uid, environments=[kit.environment], locales=[kit.master_locale], version=1
    )
    async with kit.async_stack() as cda:
        # An explicit version publishes that version, not the newest.
        delivered = await cda.fetch_entry("note", uid)
        assert (delivered.title, delivered.field_version) == ("Draft", 1)
    await amgmt.publish_entry(
        "note", uid, environments=[kit.environment], locales=[kit.master_locale]
    )
    async with kit.async_stack() as cda:
        assert (await cda.fetch_entry("note", uid)).title == "Async hello"
        page = await cda.sync(sync_token=token)
        assert [(i.type_, i.to_dict()["data"]["uid"]) for i in page.items] == [
            ("entry_published", uid)
        ]
    await amgmt.unpublish_entry(
        "note", uid, environments=[kit.environment], locales=[kit.master_locale]
    )
    async with kit.async_stack() as cda:
        with pytest.raises(UnprocessableEntityError):
            await cda.fetch_entry("note", uid)
        page = await cda.sync(sync_token=token)
        assert [i.type_ for i in page.items] == ["entry_unpublished"]


# -- assets ------------------------------------------------------------------------------------


def test_upload_and_publish_assets(
    kit: InMemoryStack, mgmt: ManagementStack, tmp_path: Path
) -> None:
    from_bytes = mgmt.upload_asset(
        io.BytesIO(PNG), filename="logo.png", title="Logo", tags=["brand", "logo"]
    )
    assert (from_bytes.filename, from_bytes.content_type, from_bytes.file_size) == (
        "logo.png",
        "image/png",
        str(len(PNG)),
    )
    assert (from_bytes.title, from_bytes.tags) == ("Logo", ["brand", "logo"])
    path = tmp_path / "notes.txt"
    path.write_text("plain words\n", encoding="utf-8")
    from_path = mgmt.upload_asset(path, description="A text file")
    assert (from_path.filename, from_path.content_type, from_path.description) == (
        "notes.txt",
        "text/plain",
        "A text file",
    )
    assert from_path.uid != from_bytes.uid

    mgmt.publish_asset(from_bytes.uid, environments=[kit.environment], locales=[kit.master_locale])
    with kit.stack() as cda:
        delivered = cda.fetch_asset(from_bytes.uid)
        assert (delivered.filename, delivered.title) == ("logo.png", "Logo")
        with pytest.raises(NotFoundError):
            cda.fetch_asset(from_path.uid)  # uploaded, not published

    replaced = mgmt.replace_asset(from_bytes.uid, io.BytesIO(b"<svg/>"), filename="logo.svg")
    assert (replaced.uid, replaced.filename, replaced.field_version) == (
        from_bytes.uid,
        "logo.svg",
        2,
    )
    mgmt.publish_asset(from_bytes.uid, environments=[kit.environment], locales=[kit.master_locale])
    with kit.stack() as cda:
        assert cda.fetch_asset(from_bytes.uid).filename == "logo.svg"
    mgmt.unpublish_asset(
        from_bytes.uid, environments=[kit.environment], locales=[kit.master_locale]
    )
    with kit.stack() as cda, pytest.raises(NotFoundError):
        cda.fetch_asset(from_bytes.uid)


async def test_upload_and_publish_assets_async(
    kit: InMemoryStack, amgmt: AsyncManagementStack, tmp_path: Path
) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(PNG)
    asset = await amgmt.upload_asset(path, title="Logo")
    assert (asset.filename, asset.file_size) == ("logo.png", str(len(PNG)))
    other = await amgmt.upload_asset(io.BytesIO(b"hi"), filename="hi.txt")
    await amgmt.publish_asset(asset.uid, environments=[kit.environment], locales=["en-us"])
    async with kit.async_stack() as cda:
        assert (await cda.fetch_asset(asset.uid)).title == "Logo"
        with pytest.raises(NotFoundError):
            await cda.fetch_asset(other.uid)


# -- bulk jobs -----------------------------------------------------------------------------------


def test_bulk_publish_and_wait(kit: InMemoryStack, mgmt: ManagementStack) -> None:
    mgmt.api.content_types.create_content_type(body=note_type())
    uids = []
    for n in range(2):
        entry = mgmt.api.entries.create_entry("note", body=note(f"Bulk {n}")).entry
        assert not isinstance(entry, Unset)
        uids.append(entry.uid)
    started = mgmt.bulk_publish(
        entries=[{"uid": u, "content_type": "note", "locale": "en-us"} for u in uids],
        environments=[kit.environment],
        locales=[kit.master_locale],
    )
    assert isinstance(started.job_id, str)
    job = mgmt.wait_for_job(started.job_id, poll_interval=0.01, timeout=5)
    assert not isinstance(job.job, Unset)
    assert job.job.status == "completed"
    assert not isinstance(job.job.summary, Unset)
    assert job.job.summary.additional_properties == {"total": 2, "success": 2, "failed": 0}
    with kit.stack() as cda:
        assert {e.uid for e in cda.find_entries("note").entries} == set(uids)

    unpublished = mgmt.bulk_unpublish(
        entries=[{"uid": uids[0], "content_type": "note", "locale": "en-us"}],
        environments=[kit.environment],
        locales=[kit.master_locale],
    )
    assert isinstance(unpublished.job_id, str)
    mgmt.wait_for_job(unpublished.job_id, poll_interval=0.01, timeout=5)
    with kit.stack() as cda:
        assert [e.uid for e in cda.find_entries("note").entries] == [uids[1]]


async def test_bulk_publish_and_wait_async(kit: InMemoryStack, amgmt: AsyncManagementStack) -> None:
    await amgmt.api.content_types.create_content_type(body=note_type())
    uids = []
    for n in range(2):
        entry = (await amgmt.api.entries.create_entry("note", body=note(f"Bulk {n}"))).entry
        assert not isinstance(entry, Unset)
        uids.append(entry.uid)
    asset = await amgmt.upload_asset(io.BytesIO(b"hi"), filename="hi.txt")
    started = await amgmt.bulk_publish(
        entries=[{"uid": u, "content_type": "note", "locale": "en-us", "version": 1} for u in uids],
        assets=[asset.uid],
        environments=[kit.environment],
        locales=[kit.master_locale],
    )
    assert isinstance(started.job_id, str)
    job = await amgmt.wait_for_job(started.job_id, poll_interval=0.01, timeout=5)
    assert not isinstance(job.job, Unset) and job.job.status == "completed"
    async with kit.async_stack() as cda:
        assert {e.uid for e in (await cda.find_entries("note")).entries} == set(uids)
        assert (await cda.fetch_asset(asset.uid)).filename == "hi.txt"


def test_bulk_delete(kit: InMemoryStack, mgmt: ManagementStack) -> None:
    mgmt.api.content_types.create_content_type(body=note_type())
    entry = mgmt.api.entries.create_entry("note", body=note("Short-lived")).entry
    assert not isinstance(entry, Unset)
    asset = mgmt.upload_asset(io.BytesIO(b"hi"), filename="hi.txt")
    answer = mgmt.bulk_delete(
        entries=[{"uid": entry.uid, "content_type": "note", "locale": "en-us"}], assets=[asset.uid]
    )
    assert isinstance(answer.notice, str)
    with pytest.raises(UnprocessableEntityError):
        mgmt.api.entries.get_entry("note", entry.uid)
    with pytest.raises(NotFoundError):
        mgmt.api.assets.get_asset(asset.uid)


# -- pagination ------------------------------------------------------------------------------------


def test_pages_over_entries(mgmt: ManagementStack) -> None:
    total = mgmt.api.entries.get_entries("blog_post", include_count=True, limit=1).count
    assert isinstance(total, int) and total > 4
    seen: list[str] = []
    sizes: list[int] = []
    for page in pages(mgmt.api.entries.get_entries, "blog_post", page_size=2, asc="uid"):
        entries = page.entries if not isinstance(page.entries, Unset) else []
        sizes.append(len(entries))
        seen.extend(e.uid for e in entries)
    assert len(seen) == total and len(set(seen)) == total
    assert seen == sorted(seen)
    assert sizes == [2] * (total // 2) + ([total % 2] if total % 2 else [])


async def test_apages_over_entries(amgmt: AsyncManagementStack) -> None:
    total = (await amgmt.api.entries.get_entries("blog_post", include_count=True, limit=1)).count
    seen: list[str] = []
    async for page in apages(amgmt.api.entries.get_entries, "blog_post", page_size=2):
        assert not isinstance(page.entries, Unset) and len(page.entries) <= 2
        seen.extend(e.uid for e in page.entries)
    assert len(set(seen)) == len(seen) == total


# -- users: login with two factors, a stack, logout --------------------------------------------------


def staging() -> EnvironmentCreateRequest:
    return EnvironmentCreateRequest(
        environment=EnvironmentCreateRequestEnvironment(
            name="staging", urls=[EnvironmentUrl(locale="en-us", url="https://staging.example.com")]
        )
    )


def test_login_with_totp_then_manage_a_stack(kit: InMemoryStack) -> None:
    secret = pyotp.random_base32()
    kit.add_user("grace@example.com", "hunter2", totp_secret=secret)
    with kit.management_client() as client:
        with pytest.raises(TwoFactorRequiredError):
            client.login("grace@example.com", "hunter2")
        user = client.login("grace@example.com", "hunter2", totp_secret=secret)
        assert user.email == "grace@example.com"
        token = user.additional_properties.get("authtoken", getattr(user, "authtoken", None))
        assert isinstance(token, str)
        me = client.api.users.get_user().user
        assert not isinstance(me, Unset) and me.email == "grace@example.com"

        stack = client.stack(kit.api_key)
        created = stack.api.environments.create_environment(body=staging())
        assert created.notice == "Environment created successfully."
        assert created.environment.name == "staging"
        listed = stack.api.environments.get_environments(include_count=True)
        assert listed.count == 2

        client.logout()
        assert client.user is None
        # The server forgot the session: the old token is refused ...
        with kit.management_stack(authtoken=token) as stale, pytest.raises(AuthenticationError):
            stale.api.environments.get_environments()
        # ... and the client's stack view no longer carries it.
        with pytest.raises(AuthenticationError):
            stack.api.environments.get_environments()


async def test_login_with_totp_then_manage_a_stack_async(kit: InMemoryStack) -> None:
    secret = pyotp.random_base32()
    kit.add_user("grace@example.com", "hunter2", totp_secret=secret)
    async with kit.async_management_client() as client:
        await client.login("grace@example.com", "hunter2", tfa_token=pyotp.TOTP(secret).now())
        stack = client.stack(kit.api_key)
        created = await stack.api.environments.create_environment(body=staging())
        assert created.environment.name == "staging"
        await client.logout()
        with pytest.raises(AuthenticationError) as refused:
            await stack.api.environments.get_environments()
        assert refused.value.status_code == 401


def test_logged_out_user_calls_are_refused_as_unauthenticated(kit: InMemoryStack) -> None:
    kit.add_user("ada@example.com", "pw")
    with kit.management_client() as client:
        client.login("ada@example.com", "pw")
        client.logout()
        with pytest.raises(AuthenticationError) as refused:
            client.api.users.get_user()
        assert refused.value.error_code == 105


# -- typed errors ------------------------------------------------------------------------------------


def test_errors_are_typed(kit: InMemoryStack, mgmt: ManagementStack) -> None:
    with pytest.raises(UnprocessableEntityError) as missing_entry:
        mgmt.api.entries.get_entry("author", "no_such_entry")
    assert missing_entry.value.error_code == 141
    assert missing_entry.value.status_code == 422
    with pytest.raises(UnprocessableEntityError) as missing_type:
        mgmt.api.content_types.get_content_type("no_such_type")
    assert missing_type.value.error_code == 118
    with pytest.raises(NotFoundError) as missing_asset:
        mgmt.api.assets.get_asset("no_such_asset")
    assert missing_asset.value.error_code == 145
    mgmt.api.content_types.create_content_type(body=note_type())
    with pytest.raises(UnprocessableEntityError) as duplicate:
        mgmt.api.content_types.create_content_type(body=note_type())
    assert duplicate.value.error_code == 115
    assert duplicate.value.errors == {"uid": ["is not unique."]}
    with pytest.raises(AuthenticationError) as unknown_environment:
        mgmt.publish_entry(
            "author", "blt_author_ada", environments=["nope"], locales=[kit.master_locale]
        )
    assert unknown_environment.value.error_code == 161
    with (
        kit.management_stack(management_token="wrong") as wrong,
        pytest.raises(AuthenticationError) as bad_token,
    ):
        wrong.api.content_types.get_content_types()
    assert bad_token.value.error_code == 105
    assert "wrong" not in str(bad_token.value)


async def test_errors_are_typed_async(amgmt: AsyncManagementStack) -> None:
    with pytest.raises(UnprocessableEntityError) as missing_entry:
        await amgmt.api.entries.get_entry("author", "no_such_entry")
    assert missing_entry.value.error_code == 141


# -- over a real socket ------------------------------------------------------------------------------


def test_workflow_over_the_loopback_server(kit: InMemoryStack) -> None:
    with (
        kit.serve() as server,
        ManagementStack(
            kit.api_key, management_token=kit.management_token, host=server.url, rate_limit=None
        ) as mgmt,
        Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url) as cda,
    ):
        mgmt.api.content_types.create_content_type(body=note_type())
        entry = mgmt.api.entries.create_entry("note", body=note("Over HTTP", "on 127.0.0.1")).entry
        assert not isinstance(entry, Unset)
        mgmt.publish_entry(
            "note", entry.uid, environments=[kit.environment], locales=[kit.master_locale]
        )
        assert cda.fetch_entry("note", entry.uid)["body"] == "on 127.0.0.1"
        asset = mgmt.upload_asset(io.BytesIO(PNG), filename="logo.png")
        assert asset.file_size == str(len(PNG))  # the multipart body survived the socket
        mgmt.publish_asset(asset.uid, environments=[kit.environment], locales=["en-us"])
        assert cda.fetch_asset(asset.uid).filename == "logo.png"


async def test_async_workflow_over_the_loopback_server(kit: InMemoryStack) -> None:
    with kit.serve() as server:
        async with (
            AsyncManagementStack(
                kit.api_key,
                management_token=kit.management_token,
                host=server.url,
                rate_limit=None,
            ) as mgmt,
            AsyncStack(kit.api_key, kit.delivery_token, kit.environment, host=server.url) as cda,
        ):
            await mgmt.api.content_types.create_content_type(body=note_type())
            entry = (await mgmt.api.entries.create_entry("note", body=note("Async HTTP"))).entry
            assert not isinstance(entry, Unset)
            await mgmt.publish_entry(
                "note", entry.uid, environments=[kit.environment], locales=[kit.master_locale]
            )
            assert (await cda.fetch_entry("note", entry.uid)).title == "Async HTTP"
