"""OAuth through the management clients, end to end.

Two servers play Contentstack's parts:

- the authorization server is ``tests/test_oauth.py``'s loopback stub (consent page, token
  endpoint that checks the PKCE verifier against the challenge it saw, authorizations API),
  extended here only to name a region in its token answers (``location``) and to remember
  every token it issued;
- the CMA is an in-process ``httpx.MockTransport`` that accepts exactly the access tokens
  the stub has issued and not yet revoked, and records the host each request was sent to.

So a token that reaches the CMA went through consent, the code exchange and (where the
test says so) the refresh, all over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from contentstack_client import (
    AsyncManagementClient,
    AsyncManagementStack,
    ManagementClient,
    ManagementStack,
)
from contentstack_client._exceptions import (
    APIStatusError,
    AuthenticationError,
    TwoFactorRequiredError,
)
from contentstack_client._oauth import (
    AuthorizationRequest,
    OAuthError,
    OAuthFlow,
    OAuthTokenError,
    OAuthTokens,
)
from tests.test_oauth import ORG, Stub, approve, config, expire, serving

API_KEY = "blt_stack_api_key_0001"


@dataclass
class AuthServer(Stub):
    """The shared stub, naming a region in its token answers and keeping what it issued."""

    location: str | None = "NA"
    issued: list[dict[str, Any]] = field(default_factory=list)

    def issue(self) -> dict[str, Any]:
        data = super().issue()
        if self.location is None:
            del data["location"]
        else:
            data["location"] = self.location
        with self.lock:
            self.issued.append(data)
        return data

    @property
    def secrets(self) -> set[str]:
        """Every access and refresh token issued, and every code and verifier received."""
        values = {v for d in self.issued for k, v in d.items() if k.endswith("_token")}
        for form in self.token_calls:
            values |= {form[k] for k in ("code", "code_verifier", "refresh_token") if k in form}
        return values


@pytest.fixture
def auth_server() -> Iterator[AuthServer]:
    yield from serving(AuthServer())


@dataclass(frozen=True)
class Seen:
    """What the CMA stub saw of one request."""

    host: str
    host_header: str | None
    path: str
    authorization: str | None
    organization_uid: str | None
    api_key: str | None

    @property
    def bearer(self) -> str | None:
        value = self.authorization or ""
        return value[7:] if value.startswith("Bearer ") else None


class CMA:
    """In-process management API: accepts the stub's live access tokens, records every request."""

    def __init__(self, auth: AuthServer) -> None:
        self.auth = auth
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.reject_with: dict[str, Any] | None = None
        """When set, every request is answered 401 with this body, whatever its token."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        headers = request.headers
        seen = Seen(
            host=request.url.host,
            host_header=headers.get("host"),
            path=request.url.path,
            authorization=headers.get("authorization"),
            organization_uid=headers.get("organization_uid"),
            api_key=headers.get("api_key"),
        )
        with self.lock:
            self.seen.append(seen)
        if self.reject_with is not None:
            return httpx.Response(401, json=self.reject_with)
        if seen.bearer not in self.auth.access or seen.organization_uid != ORG:
            return httpx.Response(
                401,
                json={
                    "error_message": "You're not allowed in here unless you're logged in.",
                    "error_code": 105,
                },
            )
        if seen.path == "/v3/organizations":
            return httpx.Response(200, json={"organizations": [{"uid": ORG, "name": "Org"}]})
        if seen.path == "/v3/environments" and seen.api_key == API_KEY:
            return httpx.Response(200, json={"environments": [{"uid": "e1", "name": "prod"}]})
        return httpx.Response(404, json={"error_message": "not here", "error_code": 404})

    @property
    def hosts(self) -> list[str]:
        return [s.host for s in self.seen]


def consent(flow: OAuthFlow) -> tuple[OAuthTokens, AuthorizationRequest, str]:
    """authorization_url -> the user approves on the stub -> handle_redirect."""
    request = flow.authorization_url()
    redirect = approve(request)
    return flow.handle_redirect(redirect, request), request, redirect


def client(auth: AuthServer, cma: CMA, flow: OAuthFlow, **kwargs: Any) -> ManagementClient:
    return ManagementClient(
        oauth=flow, transport=httpx.MockTransport(cma), rate_limit=None, retry=0, **kwargs
    )


def stack(auth: AuthServer, cma: CMA, flow: OAuthFlow, **kwargs: Any) -> ManagementStack:
    return ManagementStack(
        API_KEY, oauth=flow, transport=httpx.MockTransport(cma), rate_limit=None, retry=0, **kwargs
    )


def astack(auth: AuthServer, cma: CMA, flow: OAuthFlow, **kwargs: Any) -> AsyncManagementStack:
    return AsyncManagementStack(
        API_KEY, oauth=flow, transport=httpx.MockTransport(cma), rate_limit=None, retry=0, **kwargs
    )


def revoke_access(auth: AuthServer, flow: OAuthFlow) -> OAuthTokens:
    """The server forgets the current access token (still unexpired client side)."""
    tokens = flow.store.load()
    assert tokens is not None
    auth.access.discard(tokens.access_token)
    return tokens


# -- consent, code exchange, the first management call -----------------------------------------


def test_consent_code_exchange_then_a_management_call_with_bearer_and_organization(
    auth_server: AuthServer,
) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    tokens, request, redirect = consent(flow)

    # The stub checked S256(verifier) against the challenge of the consent URL.
    (exchange,) = auth_server.token_calls
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code_verifier"] == request.code_verifier
    assert exchange["code"] == dict(parse_qsl(urlsplit(redirect).query))["code"]
    assert auth_server.token_auth_headers == [None]  # the token call never carries a bearer
    assert flow.store.load() == tokens

    with client(auth_server, cma, flow) as mc:
        orgs = mc.api.organizations.get_organizations()
    assert isinstance(orgs.organizations, list) and orgs.organizations[0].uid == ORG
    (seen,) = cma.seen
    assert seen.authorization == f"Bearer {tokens.access_token}"
    assert seen.organization_uid == ORG
    assert seen.api_key is None
    assert seen.host == "api.contentstack.io"
    assert auth_server.refreshes == 0


def test_stack_clients_carry_the_bearer_and_the_api_key(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    tokens, _, _ = consent(flow)
    with client(auth_server, cma, flow) as mc:
        mc.stack(API_KEY).api.environments.get_environments()
    with stack(auth_server, cma, flow) as st:
        body = st.api.environments.get_environments()
    assert isinstance(body.environments, list) and body.environments[0].name == "prod"
    for seen in cma.seen:
        assert seen.authorization == f"Bearer {tokens.access_token}"
        assert (seen.organization_uid, seen.api_key) == (ORG, API_KEY)
    assert len(cma.seen) == 2


# -- the token's location picks the host; host= wins --------------------------------------------


@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("NA", "api.contentstack.io"),
        ("EU", "eu-api.contentstack.com"),
        ("AU", "au-api.contentstack.com"),
        ("AZURE_NA", "azure-na-api.contentstack.com"),
        ("AZURE_EU", "azure-eu-api.contentstack.com"),
        ("GCP_NA", "gcp-na-api.contentstack.com"),
        ("gcp-eu", "gcp-eu-api.contentstack.com"),
    ],
)
def test_the_tokens_location_switches_the_host(
    auth_server: AuthServer, location: str, host: str
) -> None:
    auth_server.location = location
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    tokens, _, _ = consent(flow)
    assert tokens.location == location
    with client(auth_server, cma, flow) as mc:
        mc.api.organizations.get_organizations()
        mc.stack(API_KEY).api.environments.get_environments()
    with stack(auth_server, cma, flow) as st:
        st.api.environments.get_environments()
    assert cma.hosts == [host] * 3
    assert all(s.host_header == host for s in cma.seen)


def test_the_tokens_location_wins_over_the_clients_region(auth_server: AuthServer) -> None:
    auth_server.location = "EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    with client(auth_server, cma, flow, region="au") as mc:
        mc.api.organizations.get_organizations()
    assert cma.hosts == ["eu-api.contentstack.com"]


@pytest.mark.parametrize("location", [None, "MARS"])
def test_no_or_unknown_location_keeps_the_clients_region(
    auth_server: AuthServer, location: str | None
) -> None:
    auth_server.location = location
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    with client(auth_server, cma, flow, region="azure-eu") as mc:
        mc.api.organizations.get_organizations()
    assert cma.hosts == ["azure-eu-api.contentstack.com"]


@pytest.mark.parametrize(
    ("host", "expected"),
    [("cma.internal.example", "cma.internal.example"), ("http://127.0.0.1:9", "127.0.0.1")],
)
def test_an_explicit_host_overrides_the_tokens_location(
    auth_server: AuthServer, host: str, expected: str
) -> None:
    auth_server.location = "EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    with client(auth_server, cma, flow, host=host) as mc:
        mc.api.organizations.get_organizations()
        mc.stack(API_KEY).api.environments.get_environments()
    with stack(auth_server, cma, flow, host=host) as st:
        st.api.environments.get_environments()
    assert cma.hosts == [expected] * 3


def test_a_refresh_keeps_following_the_location(auth_server: AuthServer) -> None:
    auth_server.location = "EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    expire(flow)
    # A refresh answer that leaves out location keeps the one consent gave.
    auth_server.location = None
    with client(auth_server, cma, flow) as mc:
        mc.api.organizations.get_organizations()
    assert auth_server.refreshes == 1
    assert cma.hosts == ["eu-api.contentstack.com"]


async def test_async_clients_follow_the_location_too(auth_server: AuthServer) -> None:
    auth_server.location = "AZURE_EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    request = flow.authorization_url()
    await flow.ahandle_redirect(await asyncio.to_thread(approve, request), request)
    async with AsyncManagementClient(
        oauth=flow, transport=httpx.MockTransport(cma), rate_limit=None, retry=0
    ) as mc:
        await mc.api.organizations.get_organizations()
        await mc.stack(API_KEY).api.environments.get_environments()
    async with astack(auth_server, cma, flow) as st:
        await st.api.environments.get_environments()
    async with astack(auth_server, cma, flow, host="cma.internal.example") as st:
        await st.api.environments.get_environments()
    assert cma.hosts == ["azure-eu-api.contentstack.com"] * 3 + ["cma.internal.example"]
    await flow.aclose()


# -- an expired token is refreshed once before the call ------------------------------------------


def test_expired_token_refreshed_exactly_once_before_the_call(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    first, _, _ = consent(flow)
    expire(flow)
    with client(auth_server, cma, flow) as mc:
        mc.api.organizations.get_organizations()
        mc.api.organizations.get_organizations()
    assert auth_server.refreshes == 1
    assert auth_server.token_calls[-1]["refresh_token"] == first.refresh_token
    new = flow.store.load()
    assert new is not None and new.access_token != first.access_token
    # Only the new token ever reached the CMA: the refresh came before the call.
    assert [s.bearer for s in cma.seen] == [new.access_token] * 2


def test_expired_token_refreshed_once_by_ten_threads(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    expire(flow)
    auth_server.refresh_delay = 0.2  # every thread arrives while the refresh is in flight
    barrier = threading.Barrier(10)
    with client(auth_server, cma, flow) as mc:

        def call(_: int) -> str | None:
            barrier.wait()
            orgs = mc.api.organizations.get_organizations()
            assert isinstance(orgs.organizations, list)
            uid = orgs.organizations[0].uid
            assert isinstance(uid, str)
            return uid

        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(call, range(10)))
    assert results == [ORG] * 10
    assert auth_server.refreshes == 1
    new = flow.store.load()
    assert new is not None
    assert [s.bearer for s in cma.seen] == [new.access_token] * 10


async def test_expired_token_refreshed_once_by_ten_async_tasks(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    await asyncio.to_thread(consent, flow)
    expire(flow)
    auth_server.refresh_delay = 0.2
    async with astack(auth_server, cma, flow) as st:
        bodies = await asyncio.gather(*(st.api.environments.get_environments() for _ in range(10)))
    assert all(isinstance(b.environments, list) for b in bodies)
    assert auth_server.refreshes == 1
    new = flow.store.load()
    assert new is not None
    assert [s.bearer for s in cma.seen] == [new.access_token] * 10
    assert all(s.api_key == API_KEY for s in cma.seen)
    await flow.aclose()


# -- a 401 from the CMA: one refresh, one replay, never a loop -------------------------------------


def test_401_refreshes_once_and_replays_once(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    rejected = consent(flow)[0]
    revoke_access(auth_server, flow)
    with client(auth_server, cma, flow) as mc:
        orgs = mc.api.organizations.get_organizations()
    assert isinstance(orgs.organizations, list)
    assert auth_server.refreshes == 1
    new = flow.store.load()
    assert new is not None
    assert [s.bearer for s in cma.seen] == [rejected.access_token, new.access_token]


def test_second_401_is_an_authentication_error_without_another_refresh(
    auth_server: AuthServer,
) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    revoke_access(auth_server, flow)
    auth_server.access.clear()  # the refreshed token is refused too
    original = auth_server.issue

    def issue_unusable() -> dict[str, Any]:
        data = original()
        auth_server.access.discard(data["access_token"])
        return data

    auth_server.issue = issue_unusable  # type: ignore[method-assign]
    with client(auth_server, cma, flow) as mc, pytest.raises(AuthenticationError) as caught:
        mc.api.organizations.get_organizations()
    assert caught.value.status_code == 401
    assert caught.value.error_code == 105
    assert auth_server.refreshes == 1
    assert len(cma.seen) == 2


async def test_async_401_refreshes_once_and_replays_once(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    rejected = (await asyncio.to_thread(consent, flow))[0]
    revoke_access(auth_server, flow)
    async with astack(auth_server, cma, flow) as st:
        body = await st.api.environments.get_environments()
    assert isinstance(body.environments, list)
    assert auth_server.refreshes == 1
    new = flow.store.load()
    assert new is not None
    assert [s.bearer for s in cma.seen] == [rejected.access_token, new.access_token]
    await flow.aclose()


async def test_async_second_401_is_an_authentication_error_without_another_refresh(
    auth_server: AuthServer,
) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    await asyncio.to_thread(consent, flow)
    cma.reject_with = {"error_message": "invalid token", "error_code": 105}
    async with astack(auth_server, cma, flow) as st:
        with pytest.raises(AuthenticationError) as caught:
            await st.api.environments.get_environments()
    assert caught.value.error_code == 105
    assert auth_server.refreshes == 1
    assert len(cma.seen) == 2
    await flow.aclose()


TWO_FACTOR_BODY: dict[str, Any] = {
    "error_message": "Please login using the Two-Factor verification Token",
    "error_code": 294,
    "errors": [],
    "tfa_type": "totp_authenticator",
}
ENVIRONMENT_BODY: dict[str, Any] = {
    "error_message": "Environment doesn't exists or insufficient permission to access it.",
    "error_code": 161,
    "errors": {"environment": ["is not valid."]},
}


@pytest.mark.parametrize("body", [TWO_FACTOR_BODY, ENVIRONMENT_BODY], ids=["294", "161"])
def test_294_and_161_on_401_refresh_at_most_once_and_keep_the_error_code(
    auth_server: AuthServer, body: dict[str, Any]
) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    cma.reject_with = body
    with client(auth_server, cma, flow) as mc:
        for attempt in (1, 2):
            with pytest.raises(APIStatusError) as caught:
                mc.stack(API_KEY).api.environments.get_environments()
            error = caught.value
            assert error.status_code == 401
            assert error.error_code == body["error_code"]
            assert error.error_message == body["error_message"]
            # Each call: at most one refresh and one replay, never a loop.
            assert auth_server.refreshes <= attempt
            assert len(cma.seen) <= 2 * attempt
    # A 294 is also an AuthenticationError, so one except clause catches every 401.
    assert isinstance(error, AuthenticationError)
    if body["error_code"] == 294:
        assert isinstance(error, TwoFactorRequiredError)
    else:
        assert error.errors == {"environment": ["is not valid."]}


@pytest.mark.parametrize("body", [TWO_FACTOR_BODY, ENVIRONMENT_BODY], ids=["294", "161"])
async def test_async_294_and_161_on_401_refresh_at_most_once_and_keep_the_error_code(
    auth_server: AuthServer, body: dict[str, Any]
) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    await asyncio.to_thread(consent, flow)
    cma.reject_with = body
    async with astack(auth_server, cma, flow) as st:
        with pytest.raises(APIStatusError) as caught:
            await st.api.environments.get_environments()
    assert caught.value.status_code == 401
    assert caught.value.error_code == body["error_code"]
    assert auth_server.refreshes <= 1
    assert len(cma.seen) <= 2
    await flow.aclose()


def test_a_refused_refresh_is_raised_typed_and_not_retried(auth_server: AuthServer) -> None:
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    expire(flow)
    auth_server.fail_refresh = True  # the stub echoes the refresh token in its description
    with client(auth_server, cma, flow) as mc, pytest.raises(OAuthTokenError) as caught:
        mc.api.organizations.get_organizations()
    assert caught.value.error == "invalid_grant"
    assert auth_server.refreshes == 1
    assert cma.seen == []
    for secret in auth_server.secrets:
        assert secret not in str(caught.value) and secret not in repr(caught.value)
        assert secret not in (caught.value.error_description or "")


# -- revoke ------------------------------------------------------------------------------------


def test_revoke_after_management_calls_clears_the_store(auth_server: AuthServer) -> None:
    auth_server.location = "EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    consent(flow)
    with client(auth_server, cma, flow) as mc:
        mc.api.organizations.get_organizations()
        assert flow.revoke() is True
        assert flow.store.load() is None
        # The authorization server forgot the tokens; the client has none to send.
        with pytest.raises(OAuthError, match="no OAuth tokens"):
            mc.api.organizations.get_organizations()
    assert [(m, p) for m, p, _ in auth_server.authorization_calls] == [
        ("GET", "/manifests/app-uid-1/authorizations"),
        ("DELETE", "/manifests/app-uid-1/authorizations/auth-mine"),
    ]
    # Revocation talks to the Developer Hub (the stub), never to the regional CMA.
    assert cma.hosts == ["eu-api.contentstack.com"]
    assert auth_server.access == set() and auth_server.refresh == set()
    flow.close()


# -- no secret in messages, reprs or logs -----------------------------------------------------


def test_no_secret_in_errors_reprs_or_debug_logs(
    auth_server: AuthServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="contentstack_client")
    auth_server.location = "EU"
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    texts: list[str] = []

    _, request, redirect = consent(flow)
    code = dict(parse_qsl(urlsplit(redirect).query))["code"]
    texts.append(repr(request))
    texts.append(repr(flow))
    texts.append(repr(flow.store.load()))

    mc = client(auth_server, cma, flow)
    st = stack(auth_server, cma, flow)
    ast = astack(auth_server, cma, flow)
    derived = mc.stack(API_KEY)
    with mc, st:
        mc.api.organizations.get_organizations()  # 200
        expire(flow)
        st.api.environments.get_environments()  # refresh first
        revoke_access(auth_server, flow)
        derived.api.environments.get_environments()  # 401 -> refresh -> replay
        cma.reject_with = ENVIRONMENT_BODY
        with pytest.raises(APIStatusError) as final_401:
            mc.api.organizations.get_organizations()
        cma.reject_with = None
        expire(flow)
        auth_server.fail_refresh = True
        with pytest.raises(OAuthTokenError) as refused:
            mc.api.organizations.get_organizations()
        auth_server.fail_refresh = False
        for obj in (mc, st, ast, derived, mc.config, mc.http_client.auth, flow, flow.store):
            texts.append(repr(obj))
            texts.append(str(obj))
        for exc in (final_401.value, refused.value):
            texts += [str(exc), repr(exc), exc.error_message, repr(exc.body), repr(exc.args)]

    # A code exchange the stub refuses (it echoes the verifier): masked as well.
    other = flow.authorization_url()
    wrong = other._replace(code_verifier=(other.code_verifier or "")[::-1])
    with pytest.raises(OAuthTokenError) as bad_exchange:
        flow.handle_redirect(approve(other), wrong)
    texts += [str(bad_exchange.value), repr(bad_exchange.value), repr(bad_exchange.value.body)]

    flow.revoke()
    flow.close()

    texts += [record.getMessage() for record in caplog.records]
    texts += [record.exc_text or "" for record in caplog.records]
    assert any(r.name.startswith("contentstack_client") for r in caplog.records)
    secrets = auth_server.secrets | {code, request.code_verifier or ""}
    secrets |= {wrong.code_verifier or "", other.code_verifier or ""}
    assert auth_server.refreshes >= 3 and len(secrets) >= 10
    for secret in secrets:
        assert secret
        for text in texts:
            assert secret not in text, f"{secret!r} leaked in {text!r}"


def test_a_token_expiring_within_the_leeway_is_refreshed_before_use(
    auth_server: AuthServer,
) -> None:
    # Tokens that expire within the leeway (60 s) are refreshed before use, too.
    cma = CMA(auth_server)
    flow = OAuthFlow(config(auth_server))
    tokens, _, _ = consent(flow)
    flow.store.save(OAuthTokens.from_dict({**tokens.to_dict(), "expires_at": time.time() + 30}))
    with client(auth_server, cma, flow) as mc:
        mc.api.organizations.get_organizations()
    assert auth_server.refreshes == 1
