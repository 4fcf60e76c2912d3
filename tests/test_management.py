"""The management clients: scopes, the credential each kind of call carries, login with and
without two-factor authentication, logout, region following for OAuth, and page iteration.

Requests are answered by an in-process handler that records them; the testing kit's CMA and
the contract tests cover the API's answers in depth.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pyotp
import pytest

from contentstack_client import (
    AsyncManagementClient,
    AsyncManagementStack,
    InvalidTwoFactorTokenError,
    ManagementClient,
    ManagementStack,
    RateLimit,
    TwoFactorRequiredError,
    apages,
    pages,
)
from contentstack_client._throttle import REGISTRY

SECRET = pyotp.random_base32()
USER = {
    "uid": "blt_user",
    "email": "ada@example.com",
    "first_name": "Ada",
    "authtoken": "cs_session_token_1234567890",
}


class Recorder:
    """Answers like the CMA would for the few routes these tests use, and keeps every request."""

    def __init__(self, *, tfa: bool = False, status_294: int = 422) -> None:
        self.requests: list[httpx.Request] = []
        self.tfa = tfa
        self.status_294 = status_294
        self.entries = [{"uid": f"blt{i}", "title": f"Entry {i}"} for i in range(7)]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path, method = request.url.path, request.method
        if path == "/v3/user-session" and method == "POST":
            return self._login(json.loads(request.content))
        if path == "/v3/user-session" and method == "DELETE":
            return httpx.Response(200, json={"notice": "You've logged out successfully."})
        if path == "/v3/organizations":
            return httpx.Response(200, json={"organizations": [{"uid": "org1", "name": "Org"}]})
        if path == "/v3/environments":
            return httpx.Response(200, json={"environments": [{"uid": "e1", "name": "production"}]})
        if path == "/v3/content_types/blog/entries":
            skip = int(request.url.params.get("skip", "0"))
            limit = int(request.url.params.get("limit", "100"))
            body: dict[str, Any] = {"entries": self.entries[skip : skip + limit]}
            if request.url.params.get("include_count") == "true":
                body["count"] = len(self.entries)
            return httpx.Response(200, json=body)
        return httpx.Response(404, json={"error_message": "not here", "error_code": 404})

    def _login(self, body: dict[str, Any]) -> httpx.Response:
        user = body["user"]
        if user["password"] != "correct horse":
            return httpx.Response(
                422,
                json={
                    "error_message": "Looks like your email or password is invalid.",
                    "error_code": 104,
                    "errors": {"email or password": ["is invalid"]},
                },
            )
        if self.tfa:
            if "tfa_token" not in user:
                return httpx.Response(
                    self.status_294,
                    json={
                        "error_message": "Please login using the Two-Factor verification Token",
                        "error_code": 294,
                        "errors": [],
                        "tfa_type": "totp_authenticator",
                    },
                )
            if not pyotp.TOTP(SECRET).verify(user["tfa_token"], valid_window=1):
                return httpx.Response(
                    422,
                    json={"error_message": "Invalid verification code.", "error_code": 295},
                )
        return httpx.Response(200, json={"notice": "Login Successful.", "user": USER})

    def last(self) -> httpx.Request:
        return self.requests[-1]


def client(recorder: Recorder, **kwargs: Any) -> ManagementClient:
    return ManagementClient(transport=httpx.MockTransport(recorder), rate_limit=None, **kwargs)


# -- the credential each kind of call carries -------------------------------------------


def test_user_level_calls_carry_the_authtoken_and_no_api_key() -> None:
    rec = Recorder()
    with client(rec, authtoken="cs_user_token") as mc:
        orgs = mc.api.organizations.get_organizations()
    assert isinstance(orgs.organizations, list) and orgs.organizations[0].uid == "org1"
    sent = rec.last()
    assert sent.url == "https://api.contentstack.io/v3/organizations"
    assert sent.headers["authtoken"] == "cs_user_token"
    assert "api_key" not in sent.headers and "authorization" not in sent.headers


def test_a_stack_of_a_user_client_adds_api_key_and_branch_and_shares_the_pool() -> None:
    rec = Recorder()
    with client(rec, authtoken="cs_user_token") as mc:
        stack = mc.stack("blt_key", branch="dev")
        stack.api.environments.get_environments()
        assert stack.http_client is mc.http_client
        mc.api.organizations.get_organizations()
    stack_call, user_call = rec.requests
    assert stack_call.headers["api_key"] == "blt_key"
    assert stack_call.headers["branch"] == "dev"
    assert stack_call.headers["authtoken"] == "cs_user_token"
    # The parent's own calls stay user-level.
    assert "api_key" not in user_call.headers and "branch" not in user_call.headers


def test_a_management_token_is_sent_raw_in_authorization() -> None:
    rec = Recorder()
    with ManagementStack(
        "blt_key",
        management_token="cs_mgmt_token",
        transport=httpx.MockTransport(rec),
        rate_limit=None,
        region="eu",
    ) as stack:
        stack.api.environments.get_environments()
    sent = rec.last()
    assert sent.url.host == "eu-api.contentstack.com"
    assert sent.headers["authorization"] == "cs_mgmt_token"
    assert sent.headers["api_key"] == "blt_key"
    assert "authtoken" not in sent.headers and "branch" not in sent.headers


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs management_token=, authtoken= or oauth="),
        ({"management_token": "a", "authtoken": "b"}, "not authtoken and management_token"),
        ({"management_token": "line\nbreak"}, "CR, LF"),
        ({"management_token": " "}, "non-empty"),
    ],
)
def test_bad_stack_credentials_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ManagementStack("blt_key", **kwargs)


def test_bad_api_key_or_branch_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        ManagementStack("", management_token="t")
    with pytest.raises(ValueError, match="branch"):
        ManagementClient(authtoken="t").stack("blt_key", branch="a\r\nb")


def test_reprs_show_no_credentials() -> None:
    mc = ManagementClient(authtoken="cs_user_token_secret", rate_limit=None)
    stack = ManagementStack(
        "blt_api_key_secret", management_token="cs_mgmt_token_secret", rate_limit=None
    )
    for text in (repr(mc), repr(stack), repr(mc.stack("blt_api_key_secret")), repr(mc.config)):
        assert "secret" not in text, text


# -- login, two-factor, logout -------------------------------------------------------------


def test_login_then_calls_carry_the_session_token() -> None:
    rec = Recorder()
    with client(rec) as mc:
        user = mc.login("ada@example.com", "correct horse")
        assert user.email == "ada@example.com"
        assert mc.user is user
        mc.api.organizations.get_organizations()
    login, call = rec.requests
    assert json.loads(login.content) == {
        "user": {"email": "ada@example.com", "password": "correct horse"}
    }
    # Login itself carries no credential.
    assert "authtoken" not in login.headers and "authorization" not in login.headers
    assert call.headers["authtoken"] == USER["authtoken"]


def test_wrong_password_is_a_typed_error_without_the_password() -> None:
    rec = Recorder()
    with client(rec) as mc, pytest.raises(Exception) as caught:
        mc.login("ada@example.com", "wrong password!")
    assert getattr(caught.value, "error_code", None) == 104
    assert "wrong password!" not in str(caught.value)


@pytest.mark.parametrize("status", [422, 401])
def test_two_factor_required_is_a_clear_error_asking_for_the_code(status: int) -> None:
    rec = Recorder(tfa=True, status_294=status)
    with client(rec) as mc, pytest.raises(TwoFactorRequiredError) as caught:
        mc.login("ada@example.com", "correct horse")
    error = caught.value
    assert error.error_code == 294
    assert error.status_code == status
    assert error.tfa_type == "totp_authenticator"
    assert "tfa_token=" in str(error) and "totp_secret=" in str(error)


def test_two_factor_with_a_code() -> None:
    rec = Recorder(tfa=True)
    with client(rec) as mc:
        code = pyotp.TOTP(SECRET).now()
        mc.login("ada@example.com", "correct horse", tfa_token=code)
        mc.api.organizations.get_organizations()
    assert json.loads(rec.requests[0].content)["user"]["tfa_token"] == code
    assert rec.last().headers["authtoken"] == USER["authtoken"]


def test_two_factor_with_a_totp_secret_computes_the_code() -> None:
    rec = Recorder(tfa=True)
    with client(rec) as mc:
        mc.login("ada@example.com", "correct horse", totp_secret=SECRET)
    sent = json.loads(rec.requests[0].content)["user"]["tfa_token"]
    assert pyotp.TOTP(SECRET).verify(sent, valid_window=1)
    assert SECRET not in rec.requests[0].content.decode()


def test_a_wrong_code_is_its_own_error() -> None:
    rec = Recorder(tfa=True)
    wrong = f"{(int(pyotp.TOTP(SECRET).now()) + 500_000) % 1_000_000:06d}"
    with client(rec) as mc, pytest.raises(InvalidTwoFactorTokenError) as caught:
        mc.login("ada@example.com", "correct horse", tfa_token=wrong)
    assert caught.value.error_code == 295


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tfa_token": "123456", "totp_secret": SECRET}, "not both"),
        ({"totp_secret": "not base32 !"}, "base32"),
    ],
)
def test_bad_two_factor_arguments_are_refused_before_sending(
    kwargs: dict[str, Any], message: str
) -> None:
    rec = Recorder(tfa=True)
    with client(rec) as mc, pytest.raises(ValueError, match=message):
        mc.login("ada@example.com", "correct horse", **kwargs)
    assert rec.requests == []


def test_logout_ends_the_session_and_forgets_the_token() -> None:
    rec = Recorder()
    with client(rec) as mc:
        mc.login("ada@example.com", "correct horse")
        mc.logout()
        assert mc.user is None
        with pytest.raises(ValueError, match="no session"):
            mc.logout()
        mc.api.organizations.get_organizations()
    logout = rec.requests[1]
    assert logout.method == "DELETE" and logout.url.path == "/v3/user-session"
    assert logout.headers["authtoken"] == USER["authtoken"]
    assert "authtoken" not in rec.last().headers


async def test_async_login_two_factor_and_logout() -> None:
    rec = Recorder(tfa=True)
    async with AsyncManagementClient(transport=httpx.MockTransport(rec), rate_limit=None) as mc:
        with pytest.raises(TwoFactorRequiredError):
            await mc.login("ada@example.com", "correct horse")
        await mc.login("ada@example.com", "correct horse", totp_secret=SECRET)
        stack = mc.stack("blt_key")
        await stack.api.environments.get_environments()
        assert rec.last().headers["authtoken"] == USER["authtoken"]
        assert rec.last().headers["api_key"] == "blt_key"
        await mc.logout()
    assert rec.last().method == "DELETE"


async def test_async_stack_with_a_management_token() -> None:
    rec = Recorder()
    async with AsyncManagementStack(
        "blt_key", management_token="cs_mgmt", transport=httpx.MockTransport(rec), rate_limit=None
    ) as stack:
        body = await stack.api.environments.get_environments()
    assert body.environments[0].name == "production"
    assert rec.last().headers["authorization"] == "cs_mgmt"


# -- OAuth: bearer, organization, region -----------------------------------------------------


def oauth_flow(location: str | None) -> Any:
    from contentstack_client import MemoryTokenStore, OAuthConfig, OAuthFlow, OAuthTokens

    tokens = OAuthTokens(
        access_token="oauth_access_token_123",
        refresh_token="oauth_refresh_token_456",
        expires_at=time.time() + 3600,
        organization_uid="org_from_token",
        location=location,
    )
    config = OAuthConfig(app_id="app", client_id="client", redirect_uri="http://localhost/cb")
    return OAuthFlow(config, MemoryTokenStore(tokens))


def test_oauth_requests_carry_the_bearer_and_follow_the_tokens_region() -> None:
    rec = Recorder()
    with ManagementStack(
        "blt_key", oauth=oauth_flow("EU"), transport=httpx.MockTransport(rec), rate_limit=None
    ) as stack:
        stack.api.environments.get_environments()
    sent = rec.last()
    assert sent.headers["authorization"] == "Bearer oauth_access_token_123"
    assert sent.headers["organization_uid"] == "org_from_token"
    assert sent.url.host == "eu-api.contentstack.com"
    assert sent.headers["host"] == "eu-api.contentstack.com"


def test_an_explicit_host_wins_over_the_tokens_region() -> None:
    rec = Recorder()
    with ManagementClient(
        oauth=oauth_flow("EU"),
        host="http://127.0.0.1:9",
        transport=httpx.MockTransport(rec),
        rate_limit=None,
    ) as mc:
        mc.api.organizations.get_organizations()
        with pytest.raises(ValueError, match="OAuth"):
            mc.login("ada@example.com", "correct horse")
    assert rec.last().url.host == "127.0.0.1"


# -- throttling, pages -----------------------------------------------------------------------


def test_clients_of_one_organization_share_one_rate_limit_bucket() -> None:
    limit = RateLimit(rate=50)
    ManagementClient(authtoken="t", organization_uid="org_a", rate_limit=limit)
    ManagementStack("k", management_token="m", organization_uid="org_a", rate_limit=limit)
    bucket = REGISTRY.bucket_for("org_a", limit)
    assert bucket is not None and bucket.limit == limit
    settings = ManagementClient(authtoken="t", rate_limit=None).config.http_settings(
        httpx.Auth(), None
    )
    assert settings.throttle is None


def entry_pages(recorder: Recorder) -> Callable[..., Any]:
    stack = ManagementStack(
        "blt_key", management_token="m", transport=httpx.MockTransport(recorder), rate_limit=None
    )
    return stack.api.entries.get_entries


def test_pages_walks_every_page_and_stops_on_the_count() -> None:
    rec = Recorder()
    seen = [[e.uid for e in page.entries] for page in pages(entry_pages(rec), "blog", page_size=3)]
    assert seen == [["blt0", "blt1", "blt2"], ["blt3", "blt4", "blt5"], ["blt6"]]
    assert [r.url.params["skip"] for r in rec.requests] == ["0", "3", "6"]
    assert all(r.url.params["include_count"] == "true" for r in rec.requests)


def test_pages_does_not_ask_for_an_empty_last_page() -> None:
    rec = Recorder()
    rec.entries = rec.entries[:6]
    assert len(list(pages(entry_pages(rec), "blog", page_size=3))) == 2
    assert len(rec.requests) == 2


def test_pages_refuses_an_operation_that_is_not_paginated() -> None:
    rec = Recorder()
    stack = ManagementStack(
        "blt_key", management_token="m", transport=httpx.MockTransport(rec), rate_limit=None
    )
    with pytest.raises(TypeError, match="not a paginated operation"):
        next(pages(stack.api.environments.delete_environment, "production"))
    with pytest.raises(ValueError, match="page_size"):
        next(pages(stack.api.entries.get_entries, "blog", page_size=101))
    assert rec.requests == []


async def test_apages() -> None:
    rec = Recorder()
    async with AsyncManagementStack(
        "blt_key", management_token="m", transport=httpx.MockTransport(rec), rate_limit=None
    ) as stack:
        uids = [
            e.uid
            async for page in apages(stack.api.entries.get_entries, "blog", page_size=4)
            for e in page.entries or []
        ]
    assert uids == [f"blt{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("kwargs", "secret"),
    [
        ({"management_token": "cs_mgmt_token_echoed_1234"}, "cs_mgmt_token_echoed_1234"),
        ({"authtoken": "cs_authtoken_echoed_5678"}, "cs_authtoken_echoed_5678"),
    ],
)
def test_a_credential_echoed_in_an_error_is_masked(kwargs: dict[str, Any], secret: str) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization") or request.headers["authtoken"]
        return httpx.Response(
            401,
            json={
                "error_message": f"token {token} is not valid for {request.headers['api_key']}",
                "error_code": 105,
                "errors": {"token": [f"{token} expired"]},
            },
        )

    stack = ManagementStack(
        "blt_api_key_echoed_9", transport=httpx.MockTransport(echo), rate_limit=None, **kwargs
    )
    with pytest.raises(Exception) as caught:
        stack.api.environments.get_environments()
    error: Any = caught.value
    for text in (str(error), repr(error), error.error_message, str(error.errors), str(error.body)):
        assert secret not in text
        assert "blt_api_key_echoed_9" not in text


def test_a_calls_own_branch_argument_wins_over_the_stack_branch() -> None:
    rec = Recorder()
    with client(rec, authtoken="t") as mc:
        stack = mc.stack("blt_key", branch="dev")
        stack.api.entries.get_entries("blog", branch="feature")
        stack.api.entries.get_entries("blog")
    own, default = rec.requests
    assert own.headers["branch"] == "feature"
    assert default.headers["branch"] == "dev"
    with ManagementStack(
        "blt_key",
        management_token="m",
        branch="dev",
        transport=httpx.MockTransport(rec),
        rate_limit=None,
    ) as direct:
        direct.api.entries.get_entries("blog", branch="feature")
    assert rec.last().headers["branch"] == "feature"


def test_a_password_echoed_in_a_login_error_is_masked() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        user = json.loads(request.content)["user"]
        return httpx.Response(
            422,
            json={
                "error_message": f"password {user['password']} / code {user['tfa_token']} rejected",
                "error_code": 104,
            },
        )

    with (
        ManagementClient(transport=httpx.MockTransport(echo), rate_limit=None) as mc,
        pytest.raises(Exception) as caught,
    ):
        mc.login("ada@example.com", "hunter2-very-secret", tfa_token="98765432")
    text = str(caught.value) + repr(caught.value) + str(getattr(caught.value, "body", ""))
    assert "hunter2-very-secret" not in text and "98765432" not in text


def test_booleans_in_a_multipart_form_are_written_true_and_false() -> None:
    from contentstack_client._generated.cma.models import ExtensionUploadRequest
    from contentstack_client._generated.cma.types import File

    form = ExtensionUploadRequest.from_dict(
        {
            "extension[upload]": b"<html></html>",
            "extension[title]": "Widget",
            "extension[type]": "widget",
            "extension[multiple]": True,
            "extension[enable]": False,
        }
    )
    assert isinstance(form.extensionupload, File)
    parts = dict((name, value) for name, value in form.to_multipart())
    assert parts["extension[multiple]"][1] == b"true"
    assert parts["extension[enable]"][1] == b"false"


@pytest.mark.parametrize("status", [200, 201])
def test_a_create_answered_with_200_or_201_parses_either_way(status: int) -> None:
    from contentstack_client._generated.cma.models import EnvironmentCreateRequest

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status,
            json={
                "notice": "Environment created successfully.",
                "environment": {"uid": "e1", "name": "qa"},
            },
        )

    with ManagementStack(
        "blt_key", management_token="m", transport=httpx.MockTransport(answer), rate_limit=None
    ) as stack:
        body = EnvironmentCreateRequest.from_dict({"environment": {"name": "qa"}})
        created = stack.api.environments.create_environment(body=body)
    assert created.notice == "Environment created successfully."
