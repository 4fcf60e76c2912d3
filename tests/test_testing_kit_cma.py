"""The testing kit's Content Management API: sessions, content, publishing through to delivery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pyotp
import pytest

from contentstack_client import AuthenticationError, NotFoundError, Stack, UnprocessableEntityError
from contentstack_client.testing import InMemoryStack

Json = dict[str, Any]


@pytest.fixture
def kit() -> InMemoryStack:
    return InMemoryStack.demo()


@pytest.fixture(params=["transport", "loopback"])
def http(request: pytest.FixtureRequest, kit: InMemoryStack) -> Iterator[httpx.Client]:
    """A plain httpx client talking to the kit, without sockets or over 127.0.0.1."""
    if request.param == "transport":
        with httpx.Client(transport=kit.transport(), base_url="https://api.contentstack.io") as c:
            yield c
    else:
        with kit.serve() as server, httpx.Client(base_url=server.url) as client:
            yield client


@pytest.fixture
def mgmt(kit: InMemoryStack) -> dict[str, str]:
    """Headers of a stack-scoped call with the management token."""
    return {"api_key": kit.api_key, "authorization": kit.management_token}


def ok(response: httpx.Response, status: int = 200) -> Json:
    assert response.status_code == status, response.text
    body: Json = response.json()
    return body


def error(response: httpx.Response, status: int, code: int | None) -> Json:
    assert response.status_code == status, response.text
    body: Json = response.json()
    if code is not None:
        assert body["error_code"] == code
    assert isinstance(body["error_message"], str)
    return body


def publish_body(environments: list[str], locales: list[str], **extra: Any) -> Json:
    return {"entry": {"environments": environments, "locales": locales}, **extra}


# -- sessions ---------------------------------------------------------------------------------


def login(http: httpx.Client, email: str, password: str, tfa: str | None = None) -> httpx.Response:
    user: Json = {"email": email, "password": password}
    if tfa is not None:
        user["tfa_token"] = tfa
    return http.post("/v3/user-session", json={"user": user})


def test_login_logout_and_user(http: httpx.Client, kit: InMemoryStack) -> None:
    kit.add_user("ada@example.com", "s3cret")
    wrong = error(login(http, "ada@example.com", "nope"), 422, 104)
    # The recorded shape: no ``errors`` key, attempts counted down.
    assert wrong == {
        "error_message": "Looks like your email or password is invalid. "
        "You have 4 login attempt(s) left.",
        "error_code": 104,
    }
    error(login(http, "nobody@example.com", "s3cret"), 422, 104)
    answer = ok(login(http, "ada@example.com", "s3cret"))
    assert answer["notice"] == "Login Successful."
    token = answer["user"]["authtoken"]
    assert answer["user"]["email"] == "ada@example.com"
    assert answer["user"]["failed_attempts"] == 0
    me = ok(http.get("/v3/user", headers={"authtoken": token}))
    assert me["user"]["uid"] == answer["user"]["uid"]
    # Stack-scoped calls work with the authtoken and the api_key.
    ok(http.get("/v3/content_types", headers={"authtoken": token, "api_key": kit.api_key}))
    bye = ok(http.delete("/v3/user-session", headers={"authtoken": token}))
    assert bye == {"notice": "You've logged out successfully!"}
    gone = error(http.get("/v3/user", headers={"authtoken": token}), 401, 105)
    assert gone == {
        "error_message": "You're not allowed in here unless you're logged in.",
        "error_code": 105,
        "errors": {"authtoken": ["is not valid."]},
    }
    error(
        http.get("/v3/content_types", headers={"authtoken": token, "api_key": kit.api_key}),
        401,
        105,
    )


def test_login_with_two_factor(http: httpx.Client, kit: InMemoryStack) -> None:
    secret = pyotp.random_base32()
    kit.add_user("grace@example.com", "hunter2", totp_secret=secret)
    needed = error(login(http, "grace@example.com", "hunter2"), 422, 294)
    assert needed == {
        "error_message": "Please login using the Two-Factor verification Token",
        "error_code": 294,
        "errors": [],
        "tfa_type": "totp_authenticator",
    }
    wrong_code = str((int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000).zfill(6)
    invalid = error(login(http, "grace@example.com", "hunter2", wrong_code), 422, 295)
    assert invalid == {
        "error_message": "Invalid verification code",
        "error_code": 295,
        "errors": [],
    }
    # The password is checked before the second factor.
    error(login(http, "grace@example.com", "wrong", pyotp.TOTP(secret).now()), 422, 104)
    answer = ok(login(http, "grace@example.com", "hunter2", pyotp.TOTP(secret).now()))
    assert answer["user"]["tfa_status"] == "verified"
    assert ok(http.get("/v3/user", headers={"authtoken": answer["user"]["authtoken"]}))


def test_add_user_returns_a_working_authtoken(http: httpx.Client, kit: InMemoryStack) -> None:
    token = kit.add_user("linus@example.com", "pw")
    assert ok(http.get("/v3/user", headers={"authtoken": token}))["user"]["email"] == (
        "linus@example.com"
    )


def test_credentials_and_api_key(
    http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]
) -> None:
    ok(http.get("/v3/environments", headers=mgmt))
    missing_key = error(
        http.get("/v3/environments", headers={"authorization": kit.management_token}), 412, 109
    )
    assert missing_key["errors"] == {"api_key": ["is not valid."]}
    error(http.get("/v3/environments", headers={**mgmt, "api_key": "wrong"}), 412, 109)
    bad_token = error(
        http.get("/v3/environments", headers={**mgmt, "authorization": "x"}), 401, 105
    )
    assert "x" not in bad_token["error_message"]
    # OAuth bearer tokens, once registered.
    bearer = {"api_key": kit.api_key, "authorization": "Bearer oauth-access"}
    error(http.get("/v3/environments", headers=bearer), 401, 105)
    kit.add_oauth_token("oauth-access")
    ok(http.get("/v3/environments", headers=bearer))
    # Management and app tokens act for a stack, not a user.
    error(http.get("/v3/user", headers={"authorization": kit.management_token}), 401, 105)
    error(http.delete("/v3/user-session", headers=bearer), 401, 105)


def test_secrets_stay_out_of_reprs() -> None:
    kit = InMemoryStack(management_token="mt-secret")
    kit.add_user("a@example.com", "pw-secret", totp_secret=pyotp.random_base32())
    kit.add_oauth_token("oauth-secret")
    text = repr(kit) + repr(kit._sessions) + repr(list(kit._sessions.users.values()))
    assert "secret" not in text


def test_configured_management_token() -> None:
    kit = InMemoryStack(management_token="mine")
    assert kit.management_token == "mine"
    with httpx.Client(transport=kit.transport(), base_url="https://x") as http:
        headers = {"api_key": kit.api_key, "authorization": "mine"}
        ok(http.get("/v3/locales", headers=headers))
        kit.management_token = "rotated"
        error(http.get("/v3/locales", headers=headers), 401, 105)


# -- content types and entries -----------------------------------------------------------------


def create_note_type(http: httpx.Client, mgmt: dict[str, str]) -> Json:
    schema = [
        {"uid": "title", "data_type": "text", "display_name": "Title", "mandatory": True},
        {"uid": "body", "data_type": "text", "display_name": "Body"},
    ]
    body = {"content_type": {"uid": "note", "title": "Note", "schema": schema}}
    return ok(http.post("/v3/content_types", headers=mgmt, json=body), 201)


def test_content_type_crud(http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]) -> None:
    created = create_note_type(http, mgmt)
    assert created["notice"] == "Content Type created successfully."
    assert created["content_type"]["uid"] == "note"
    assert created["content_type"]["_version"] == 1
    assert created["content_type"]["created_by"] == created["content_type"]["updated_by"]
    again = error(
        http.post(
            "/v3/content_types", headers=mgmt, json={"content_type": {"uid": "note", "title": "N"}}
        ),
        422,
        115,
    )
    assert again["errors"] == {"uid": ["is not unique."]}
    page = ok(
        http.get(
            "/v3/content_types",
            headers=mgmt,
            params={"include_count": "true", "skip": 1, "limit": 2},
        )
    )
    assert page["count"] == 4 and len(page["content_types"]) == 2
    updated = ok(
        http.put(
            "/v3/content_types/note",
            headers=mgmt,
            json={"content_type": {"title": "Notes", "description": "Short ones"}},
        )
    )
    assert updated["notice"] == "Content Type updated successfully."
    assert (updated["content_type"]["title"], updated["content_type"]["_version"]) == ("Notes", 2)
    assert [f["uid"] for f in updated["content_type"]["schema"]] == ["title", "body"]
    # Content types are not published: delivery sees the change at once.
    with kit.stack() as stack:
        assert stack.fetch_content_type("note").title == "Notes"
    assert ok(http.delete("/v3/content_types/note", headers=mgmt)) == {
        "notice": "Content Type deleted successfully."
    }
    missing = error(http.get("/v3/content_types/note", headers=mgmt), 422, 118)
    assert missing["error_message"] == "The Content Type 'note' was not found. Please try again."
    invalid = error(
        http.post("/v3/content_types", headers=mgmt, json={"content_type": {"uid": "Bad Uid"}}),
        422,
        115,
    )
    assert set(invalid["errors"]) == {"uid", "title"}


def test_entry_crud_and_versions(http: httpx.Client, mgmt: dict[str, str]) -> None:
    create_note_type(http, mgmt)
    base = "/v3/content_types/note/entries"
    created = ok(
        http.post(base, headers=mgmt, json={"entry": {"title": "First", "body": "a"}}), 201
    )
    assert created["notice"] == "Entry created successfully."
    entry = created["entry"]
    uid = entry["uid"]
    assert entry["_version"] == 1 and entry["locale"] == "en-us"
    assert entry["publish_details"] == [] and entry["ACL"] == {}
    for key in ("created_at", "updated_at", "created_by", "updated_by"):
        assert entry[key]
    for n, title in enumerate(["Second", "Third"], start=2):
        updated = ok(http.put(f"{base}/{uid}", headers=mgmt, json={"entry": {"title": title}}))
        assert updated["notice"] == "Entry updated successfully."
        assert (updated["entry"]["_version"], updated["entry"]["body"]) == (n, "a")
        assert updated["entry"]["created_at"] == entry["created_at"]
    versions = ok(http.get(f"{base}/{uid}/versions", headers=mgmt))
    assert versions == {"versions": [{"_version": v, "locale": "en-us"} for v in (3, 2, 1)]}
    old = ok(http.get(f"{base}/{uid}", headers=mgmt, params={"version": 1}))["entry"]
    assert (old["title"], old["_version"]) == ("First", 1)
    assert ok(http.get(f"{base}/{uid}", headers=mgmt))["entry"]["title"] == "Third"
    error(http.get(f"{base}/{uid}", headers=mgmt, params={"version": 9}), 422, 141)
    # Lists: count, paging, query.
    ok(http.post(base, headers=mgmt, json={"entry": {"title": "Other", "body": "b"}}), 201)
    listed = ok(http.get(base, headers=mgmt, params={"include_count": "true", "limit": 1}))
    assert listed["count"] == 2 and len(listed["entries"]) == 1
    queried = ok(http.get(base, headers=mgmt, params={"query": '{"body": "a"}'}))
    assert [e["uid"] for e in queried["entries"]] == [uid]
    # Localizing starts the locale's own versions; the master keeps its own.
    french = ok(
        http.put(
            f"{base}/{uid}",
            headers=mgmt,
            params={"locale": "fr-fr"},
            json={"entry": {"title": "Troisième"}},
        )
    )["entry"]
    assert (french["locale"], french["_version"], french["body"]) == ("fr-fr", 1, "a")
    fr_list = ok(http.get(base, headers=mgmt, params={"locale": "fr-fr"}))["entries"]
    assert {e["title"] for e in fr_list} == {"Troisième", "Other"}
    # Mandatory fields are checked.
    missing = error(http.post(base, headers=mgmt, json={"entry": {"body": "x"}}), 422, 115)
    assert missing["errors"] == {"title": ["is a required field."]}
    assert ok(http.delete(f"{base}/{uid}", headers=mgmt)) == {
        "notice": "Entry deleted successfully."
    }
    error(http.get(f"{base}/{uid}", headers=mgmt), 422, 141)
    error(http.get(f"{base}/{uid}", headers=mgmt, params={"locale": "fr-fr"}), 422, 141)


def test_seeded_entries_are_published_drafts(http: httpx.Client, mgmt: dict[str, str]) -> None:
    entry = ok(http.get("/v3/content_types/author/entries/blt_author_ada", headers=mgmt))["entry"]
    assert entry["title"] == "Ada Lovelace"
    (record,) = entry["publish_details"]
    assert record["locale"] == "en-us" and record["version"] == entry["_version"]
    environment = ok(http.get("/v3/environments/development", headers=mgmt))["environment"]
    assert record["environment"] == environment["uid"]


# -- publishing -------------------------------------------------------------------------------


def sync_types(stack_kit: InMemoryStack, token: str) -> tuple[list[tuple[str, str]], str]:
    with stack_kit.stack() as stack:
        page = stack.sync(sync_token=token)
    items: list[tuple[str, str]] = []
    for item in page.items:
        data = item.data if isinstance(item.data, dict) else {}
        items.append((item.type_, str(data.get("uid"))))
    assert isinstance(page.sync_token, str)
    return items, page.sync_token


def test_publish_reaches_delivery_and_sync(
    http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]
) -> None:
    create_note_type(http, mgmt)
    base = "/v3/content_types/note/entries"
    uid = ok(http.post(base, headers=mgmt, json={"entry": {"title": "Draft one"}}), 201)["entry"][
        "uid"
    ]
    ok(http.put(f"{base}/{uid}", headers=mgmt, json={"entry": {"title": "Draft two"}}))
    with kit.stack() as stack:
        token = stack.sync().sync_token
        assert isinstance(token, str)
        # Saved is not published.
        with pytest.raises(UnprocessableEntityError):
            stack.fetch_entry("note", uid)
    answer = ok(
        http.post(
            f"{base}/{uid}/publish",
            headers=mgmt,
            json=publish_body(["development"], ["en-us"], locale="en-us", version=1),
        )
    )
    assert answer == {"notice": "The requested action has been performed."}
    with kit.stack() as stack:
        delivered = stack.fetch_entry("note", uid)
    assert (delivered.title, delivered.to_dict()["_version"]) == ("Draft one", 1)
    assert delivered.publish_details and delivered.publish_details.environment == "development"
    events, token = sync_types(kit, token)
    assert events == [("entry_published", uid)]
    # The newest version by default; management shows the publish record.
    ok(
        http.post(
            f"{base}/{uid}/publish", headers=mgmt, json=publish_body(["development"], ["en-us"])
        )
    )
    with kit.stack() as stack:
        assert stack.fetch_entry("note", uid).title == "Draft two"
    entry = ok(http.get(f"{base}/{uid}", headers=mgmt))["entry"]
    assert [(r["locale"], r["version"]) for r in entry["publish_details"]] == [("en-us", 2)]
    ok(
        http.post(
            f"{base}/{uid}/unpublish", headers=mgmt, json=publish_body(["development"], ["en-us"])
        )
    )
    with kit.stack() as stack, pytest.raises(UnprocessableEntityError) as gone:
        stack.fetch_entry("note", uid)
    assert gone.value.error_code == 141
    events, _ = sync_types(kit, token)
    # A delta reports the latest change of each item: the unpublish supersedes the republish.
    assert events == [("entry_unpublished", uid)]
    assert ok(http.get(f"{base}/{uid}", headers=mgmt))["entry"]["publish_details"] == []


def test_publish_to_another_environment_and_locale(
    http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]
) -> None:
    production = ok(
        http.post(
            "/v3/environments",
            headers=mgmt,
            json={
                "environment": {
                    "name": "production",
                    "urls": [{"locale": "en-us", "url": "https://x"}],
                }
            },
        ),
        201,
    )["environment"]
    base = "/v3/content_types/author/entries/blt_author_ada"
    ok(
        http.put(
            base, headers=mgmt, params={"locale": "fr-fr"}, json={"entry": {"title": "Ada (fr)"}}
        )
    )
    ok(
        http.post(
            f"{base}/publish",
            headers=mgmt,
            json=publish_body(["production", "development"], ["fr-fr"], locale="fr-fr"),
        )
    )
    with kit.stack() as stack:
        assert stack.fetch_entry("author", "blt_author_ada", locale="fr-fr").title == "Ada (fr)"
    french = ok(http.get(base, headers=mgmt, params={"locale": "fr-fr"}))["entry"]
    assert {r["environment"] for r in french["publish_details"]} == {
        production["uid"],
        ok(http.get("/v3/environments/development", headers=mgmt))["environment"]["uid"],
    }
    # The kit's delivery token is scoped to its own environment only.
    production_stack = Stack(
        kit.api_key, kit.delivery_token, "production", transport=kit.transport()
    )
    with production_stack, pytest.raises(AuthenticationError) as scoped:
        production_stack.find_entries("author")
    assert scoped.value.error_code == 161


def test_publish_errors(http: httpx.Client, mgmt: dict[str, str]) -> None:
    base = "/v3/content_types/author/entries"
    unknown_env = error(
        http.post(
            f"{base}/blt_author_ada/publish", headers=mgmt, json=publish_body(["nope"], ["en-us"])
        ),
        401,
        161,
    )
    assert unknown_env["error_message"] == (
        "Environment doesn't exists or insufficient permission to access it."
    )
    error(
        http.post(
            f"{base}/nope/publish", headers=mgmt, json=publish_body(["development"], ["en-us"])
        ),
        422,
        141,
    )
    error(
        http.post(
            "/v3/content_types/nope/entries/x/publish",
            headers=mgmt,
            json=publish_body(["development"], ["en-us"]),
        ),
        422,
        118,
    )
    error(http.post(f"{base}/blt_author_ada/publish", headers=mgmt, json={}), 422, 115)
    scheduled = publish_body(["development"], ["en-us"], scheduled_at="2030-01-01T00:00:00.000Z")
    refused = error(
        http.post(f"{base}/blt_author_ada/publish", headers=mgmt, json=scheduled), 422, 0
    )
    assert "scheduled" in refused["error_message"]
    error(
        http.post(
            f"{base}/blt_author_ada/publish",
            headers=mgmt,
            json=publish_body(["development"], ["xx-xx"]),
        ),
        422,
        141,
    )


# -- assets -----------------------------------------------------------------------------------


def test_asset_upload_replace_publish(
    http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\r\n--not-a-boundary\r\n"
    created = ok(
        http.post(
            "/v3/assets",
            headers=mgmt,
            files={"asset[upload]": ("logo.png", png, "image/png")},
            data={
                "asset[title]": "Logo",
                "asset[description]": "The logo",
                "asset[tags]": "brand,logo",
                "asset[parent_uid]": "blt_folder",
            },
        ),
        201,
    )
    assert created["notice"] == "Asset created successfully."
    asset = created["asset"]
    uid = asset["uid"]
    assert (asset["filename"], asset["file_size"], asset["content_type"]) == (
        "logo.png",
        str(len(png)),
        "image/png",
    )
    assert (asset["title"], asset["description"], asset["tags"]) == (
        "Logo",
        "The logo",
        ["brand", "logo"],
    )
    assert (asset["parent_uid"], asset["_version"], asset["publish_details"]) == (
        "blt_folder",
        1,
        [],
    )
    assert asset["url"].endswith("/logo.png") and uid in asset["url"]
    fetched = ok(http.get(f"/v3/assets/{uid}", headers=mgmt))["asset"]
    assert fetched == asset
    listed = ok(http.get("/v3/assets", headers=mgmt, params={"include_count": "true"}))
    assert listed["count"] == 5 and listed["assets"][0]["uid"] == uid
    replaced = ok(
        http.put(
            f"/v3/assets/{uid}",
            headers=mgmt,
            files={"asset[upload]": ("logo.svg", b"<svg/>", "image/svg+xml")},
        )
    )["asset"]
    assert (replaced["filename"], replaced["file_size"], replaced["_version"]) == (
        "logo.svg",
        "6",
        2,
    )
    assert replaced["title"] == "Logo"
    renamed = ok(http.put(f"/v3/assets/{uid}", headers=mgmt, json={"asset": {"title": "Brand"}}))
    assert (renamed["asset"]["title"], renamed["asset"]["_version"]) == ("Brand", 3)
    assert (
        ok(http.get(f"/v3/assets/{uid}", headers=mgmt, params={"version": 1}))["asset"]["filename"]
        == "logo.png"
    )
    body = {"asset": {"environments": ["development"], "locales": ["en-us"]}}
    assert ok(http.post(f"/v3/assets/{uid}/publish", headers=mgmt, json=body)) == {
        "notice": "Asset sent for publishing."
    }
    with kit.stack() as stack:
        assert stack.fetch_asset(uid).filename == "logo.svg"
    ok(http.post(f"/v3/assets/{uid}/unpublish", headers=mgmt, json=body))
    with kit.stack() as stack, pytest.raises(NotFoundError):
        stack.fetch_asset(uid)
    assert ok(http.delete(f"/v3/assets/{uid}", headers=mgmt)) == {
        "notice": "Asset deleted successfully."
    }
    missing = error(http.get(f"/v3/assets/{uid}", headers=mgmt), 404, 145)
    assert missing["error_message"] == "Asset was not found."


def test_asset_errors(http: httpx.Client, mgmt: dict[str, str]) -> None:
    no_file = error(
        http.post("/v3/assets", headers=mgmt, files={"asset[title]": (None, "x")}), 422, 115
    )
    assert no_file["errors"] == {"upload": ["is required."]}
    as_json = http.post("/v3/assets", headers=mgmt, json={"asset": {}})
    assert as_json.status_code == 400
    assert as_json.json() == {"error_message": "Please set a valid 'Content-Type' header"}
    error(
        http.post(
            "/v3/assets/nope/publish",
            headers=mgmt,
            json={"asset": {"environments": ["development"]}},
        ),
        404,
        145,
    )
    error(http.delete("/v3/assets/nope", headers=mgmt), 404, 145)


# -- bulk -------------------------------------------------------------------------------------


def test_bulk_publish_and_job_status(
    http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]
) -> None:
    create_note_type(http, mgmt)
    base = "/v3/content_types/note/entries"
    uids = [
        ok(http.post(base, headers=mgmt, json={"entry": {"title": f"N{n}"}}), 201)["entry"]["uid"]
        for n in range(2)
    ]
    asset = ok(
        http.post(
            "/v3/assets", headers=mgmt, files={"asset[upload]": ("a.txt", b"hi", "text/plain")}
        ),
        201,
    )["asset"]["uid"]
    items: list[Json] = [
        *({"uid": u, "content_type": "note", "locale": "en-us", "version": 1} for u in uids),
        {"uid": "missing", "content_type": "note", "locale": "en-us"},
    ]
    body: Json = {
        "entries": items,
        "assets": [{"uid": asset}],
        "locales": ["en-us"],
        "environments": ["development"],
    }
    answer = ok(http.post("/v3/bulk/publish", headers=mgmt, json=body))
    assert answer["notice"] == (
        "Your bulk publish request is in progress. Please check publish queue for more details."
    )
    job_id = answer["job_id"]
    # Done at once; the job reports in progress on the first poll, completed after.
    with kit.stack() as stack:
        assert {e.uid for e in stack.find_entries("note").entries} == set(uids)
        assert stack.fetch_asset(asset).filename == "a.txt"
    first = ok(http.get(f"/v3/bulk/jobs/{job_id}", headers=mgmt))["job"]
    assert first["status"] == "in_progress"
    job = ok(http.get(f"/v3/bulk/jobs/{job_id}", headers=mgmt))["job"]
    assert job["status"] == "completed"
    assert job["summary"] == {"total": 4, "success": 3, "failed": 1}
    failed = [i for i in job["items"] if i["status"] == "failed"]
    assert failed[0]["uid"] == "missing" and failed[0]["error"]["error_code"] == 141
    unpublish = {**body, "entries": items[:1], "assets": []}
    ok(http.post("/v3/bulk/unpublish", headers=mgmt, json=unpublish))
    with kit.stack() as stack:
        assert [e.uid for e in stack.find_entries("note").entries] == [uids[1]]
    error(http.get("/v3/bulk/jobs/nope", headers=mgmt), 422, 141)
    error(
        http.post("/v3/bulk/publish", headers=mgmt, json={**body, "environments": ["nope"]}),
        401,
        161,
    )
    error(
        http.post("/v3/bulk/publish", headers=mgmt, json={**body, "assets": [{"uid": ""}]}),
        412,
        None,
    )


# -- environments and locales -------------------------------------------------------------------


def test_environments_crud(http: httpx.Client, mgmt: dict[str, str]) -> None:
    created = ok(
        http.post("/v3/environments", headers=mgmt, json={"environment": {"name": "staging"}}), 201
    )
    assert created["notice"] == "Environment created successfully."
    assert created["environment"]["name"] == "staging" and created["environment"]["uid"]
    error(
        http.post("/v3/environments", headers=mgmt, json={"environment": {"name": "staging"}}),
        422,
        115,
    )
    listed = ok(http.get("/v3/environments", headers=mgmt, params={"include_count": "true"}))
    assert listed["count"] == 2
    updated = ok(
        http.put(
            "/v3/environments/staging",
            headers=mgmt,
            json={
                "environment": {
                    "name": "preprod",
                    "urls": [{"locale": "en-us", "url": "https://p"}],
                }
            },
        )
    )["environment"]
    assert (updated["name"], updated["_version"], updated["uid"]) == (
        "preprod",
        2,
        created["environment"]["uid"],
    )
    error(http.get("/v3/environments/staging", headers=mgmt), 422, 141)
    assert ok(http.delete("/v3/environments/preprod", headers=mgmt)) == {
        "notice": "Environment deleted successfully."
    }
    error(http.delete("/v3/environments/development", headers=mgmt), 422, 0)


def test_locales_crud(http: httpx.Client, kit: InMemoryStack, mgmt: dict[str, str]) -> None:
    created = ok(
        http.post(
            "/v3/locales",
            headers=mgmt,
            json={"locale": {"code": "de-de", "name": "German", "fallback_locale": "en-us"}},
        ),
        201,
    )
    assert created["notice"] == "Language added successfully."
    assert (created["locale"]["code"], created["locale"]["fallback_locale"]) == ("de-de", "en-us")
    assert kit.fallback_chain("de-de") == ["de-de", "en-us"]
    error(http.post("/v3/locales", headers=mgmt, json={"locale": {"code": "de-de"}}), 422, 115)
    error(
        http.post(
            "/v3/locales", headers=mgmt, json={"locale": {"code": "it-it", "fallback_locale": "xx"}}
        ),
        422,
        115,
    )
    listed = ok(http.get("/v3/locales", headers=mgmt, params={"include_count": "true"}))
    assert listed["count"] == 4
    updated = ok(
        http.put("/v3/locales/de-de", headers=mgmt, json={"locale": {"fallback_locale": "fr-fr"}})
    )["locale"]
    assert (updated["fallback_locale"], updated["_version"]) == ("fr-fr", 2)
    assert (
        ok(http.get("/v3/locales/de-de", headers=mgmt))["locale"]["uid"] == created["locale"]["uid"]
    )
    assert ok(http.delete("/v3/locales/de-de", headers=mgmt)) == {
        "notice": "Language removed successfully."
    }
    error(http.get("/v3/locales/de-de", headers=mgmt), 422, 141)
    error(http.delete("/v3/locales/en-us", headers=mgmt), 422, 115)
    error(
        http.post(
            "/v3/content_types/author/entries",
            headers=mgmt,
            params={"locale": "de-de"},
            json={"entry": {"title": "x"}},
        ),
        422,
        141,
    )


# -- requests the kit refuses ------------------------------------------------------------------


def test_malformed_requests(http: httpx.Client, mgmt: dict[str, str]) -> None:
    wrong_type = http.post(
        "/v3/content_types", headers={**mgmt, "content-type": "text/plain"}, content=b"{}"
    )
    assert wrong_type.status_code == 400
    not_json = http.post(
        "/v3/content_types", headers={**mgmt, "content-type": "application/json"}, content=b"{"
    )
    assert not_json.status_code == 400 and "error_message" in not_json.json()
    error(http.patch("/v3/content_types", headers=mgmt), 405, 0)
    error(http.get("/v3/webhooks", headers=mgmt), 404, 0)
    atomic = {"entry": {"tags": {"PUSH": {"data": ["x"]}}}}
    error(
        http.put("/v3/content_types/author/entries/blt_author_ada", headers=mgmt, json=atomic),
        422,
        0,
    )
    # Delivery requests still only read.
    cda = {"api_key": "demo_api_key", "access_token": "demo_delivery_token"}
    error(http.post("/v3/content_types", headers=cda, json={}), 405, 0)
