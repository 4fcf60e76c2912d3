"""OAuth 2.0 with PKCE, end to end against a loopback authorization-server stub.

The stub (a threaded ``http.server`` on 127.0.0.1) plays the three parts Contentstack has:
the consent page (answers with the redirect), the Developer Hub token endpoint (checks the
PKCE verifier against the challenge it saw) and authorizations API, and a protected API.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import stat
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import pytest

from contentstack_client._base import _raise_for_status
from contentstack_client._exceptions import AuthenticationError
from contentstack_client._oauth import (
    AuthorizationRequest,
    FileTokenStore,
    MemoryTokenStore,
    OAuthAuthorizationError,
    OAuthConfig,
    OAuthError,
    OAuthFlow,
    OAuthStateError,
    OAuthTokenError,
    OAuthTokens,
    TokenStore,
    developer_hub_host,
)
from contentstack_client._regions import REGIONS

APP_ID = "app-uid-1"
CLIENT_ID = "client-id-1"
REDIRECT = "http://127.0.0.1:8184/callback"
SECRET = "client-secret-value-123456"
ORG = "org-uid-1"
USER = "user-uid-1"


def s256(verifier: str) -> str:
    """The RFC 7636 S256 challenge, computed independently of authlib."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class Stub:
    """State of the loopback authorization server, shared with its handler threads."""

    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: dict[str, tuple[str | None, str]] = field(
        default_factory=dict
    )  # code -> challenge, redirect
    access: set[str] = field(default_factory=set)
    refresh: set[str] = field(default_factory=set)
    counter: int = 0
    token_calls: list[dict[str, str]] = field(default_factory=list)
    token_auth_headers: list[str | None] = field(default_factory=list)
    api_calls: int = 0
    authorization_calls: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    refresh_delay: float = 0.0
    fail_refresh: bool = False
    always_401: bool = False
    expires_in: int = 3600

    def issue(self) -> dict[str, Any]:
        with self.lock:
            self.counter += 1
            n = self.counter
        access, refresh = f"access-token-{n:04d}-xyz", f"refresh-token-{n:04d}-xyz"
        self.access.add(access)
        self.refresh.add(refresh)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "organization_uid": ORG,
            "user_uid": USER,
            "location": "NA",
            "authorization_type": "user",
        }

    @property
    def refreshes(self) -> int:
        return sum(1 for call in self.token_calls if call.get("grant_type") == "refresh_token")


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(
            self, status: int, body: Any = None, headers: dict[str, str] | None = None
        ) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _bearer_ok(self) -> bool:
            value = self.headers.get("authorization", "")
            return value.startswith("Bearer ") and value[7:] in stub.access

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == f"/apps/{APP_ID}/authorize":
                # The consent page: the user approves, the browser is sent back with a code.
                q = dict(parse_qsl(url.query))
                code = f"code-{len(stub.codes)}-abcdef"
                stub.codes[code] = (q.get("code_challenge"), q["redirect_uri"])
                back = urlencode({"code": code, "state": q.get("state", ""), "location": "NA"})
                self._send(302, headers={"location": f"{q['redirect_uri']}?{back}"})
            elif url.path == "/v3/user":
                with stub.lock:
                    stub.api_calls += 1
                if stub.always_401 or not self._bearer_ok():
                    self._send(401, {"error_message": "invalid token", "error_code": 105})
                else:
                    self._send(200, {"user": {"uid": USER}})
            elif url.path == f"/manifests/{APP_ID}/authorizations":
                stub.authorization_calls.append(("GET", url.path, dict(self.headers)))
                if not self._bearer_ok() or self.headers.get("organization_uid") != ORG:
                    self._send(401, {"error_message": "unauthorized"})
                    return
                data = [
                    {"authorization_uid": "auth-other", "user": {"uid": "someone-else"}},
                    {"authorization_uid": "auth-mine", "user": {"uid": USER}},
                ]
                self._send(200, {"data": data})
            else:
                self._send(404, {"error_message": "no route"})

        def do_DELETE(self) -> None:
            url = urlsplit(self.path)
            stub.authorization_calls.append(("DELETE", url.path, dict(self.headers)))
            if url.path == f"/manifests/{APP_ID}/authorizations/auth-mine" and self._bearer_ok():
                stub.access.clear()
                stub.refresh.clear()
                self._send(200, {"notice": "revoked"})
            else:
                self._send(401, {"error_message": "unauthorized"})

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._send(404, {"error_message": "no route"})
                return
            length = int(self.headers.get("content-length", "0"))
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            with stub.lock:
                stub.token_calls.append(form)
                stub.token_auth_headers.append(self.headers.get("authorization"))
            grant = form.get("grant_type")
            if form.get("client_id") != CLIENT_ID or form.get("app_id") != APP_ID:
                self._send(401, {"error": "invalid_client"})
            elif grant == "authorization_code":
                self._exchange(form)
            elif grant == "refresh_token":
                time.sleep(stub.refresh_delay)  # widens the window concurrent callers race in
                token = form.get("refresh_token", "")
                if stub.fail_refresh or token not in stub.refresh:
                    # Echo the secret, as careless servers do: the client must mask it.
                    self._send(
                        400,
                        {"error": "invalid_grant", "error_description": f"bad token {token}"},
                    )
                    return
                stub.refresh.discard(token)
                self._send(200, stub.issue())
            else:
                self._send(400, {"error": "unsupported_grant_type"})

        def _exchange(self, form: dict[str, str]) -> None:
            entry = stub.codes.pop(form.get("code", ""), None)
            if entry is None:
                self._send(400, {"error": "invalid_grant", "error_description": "unknown code"})
                return
            challenge, redirect = entry
            if form.get("redirect_uri") != redirect:
                self._send(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
            elif challenge is not None and s256(form.get("code_verifier", "")) != challenge:
                verifier = form.get("code_verifier")
                self._send(
                    400,
                    {"error": "invalid_grant", "error_description": f"verifier {verifier} fails"},
                )
            elif challenge is None and form.get("client_secret") != SECRET:
                self._send(401, {"error": "invalid_client", "error_description": "secret"})
            else:
                self._send(200, stub.issue())

    return Handler


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops SYNs from ten simultaneous clients, which then
    # wait a second to retry.
    request_queue_size = 64
    daemon_threads = True


S = TypeVar("S", bound=Stub)


def serving(state: S) -> Iterator[S]:
    """Serve ``state`` on a free loopback port (its ``base``) until the generator closes."""
    server = _Server(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serving(Stub())


def config(stub: Stub, **overrides: Any) -> OAuthConfig:
    values: dict[str, Any] = {
        "app_id": APP_ID,
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "app_url": stub.base,
        "developer_hub_url": stub.base,
        "scopes": ["cm.entries.management:read", "user:read"],
    }
    values.update(overrides)
    return OAuthConfig(**values)


def approve(authorization: AuthorizationRequest) -> str:
    """Play the browser: open the consent page on the stub and follow it to the redirect."""
    # The page's parameters sit after "#!" (a hash-bang route); a browser never sends the
    # fragment, so the stub serves the same route as a plain path.
    base, _, route = authorization.url.partition("/#!")
    response = httpx.get(base + route, follow_redirects=False)
    assert response.status_code == 302
    return response.headers["location"]


def authorize(flow: OAuthFlow) -> OAuthTokens:
    request = flow.authorization_url()
    return flow.handle_redirect(approve(request), request)


def expire(flow: OAuthFlow) -> OAuthTokens:
    tokens = flow.store.load()
    assert tokens is not None
    expired = OAuthTokens.from_dict({**tokens.to_dict(), "expires_at": time.time() - 5})
    flow.store.save(expired)
    return expired


def api(stub: Stub, flow: OAuthFlow, **kwargs: Any) -> httpx.Client:
    return httpx.Client(base_url=stub.base, auth=flow.auth(), **kwargs)


def secrets_of(flow: OAuthFlow, *extra: str | None) -> list[str]:
    values = [flow.config.client_secret, *extra]
    tokens = flow.store.load()
    if tokens is not None:
        values += [tokens.access_token, tokens.refresh_token]
    return [v for v in values if v]


# -- hosts and the authorization URL ------------------------------------------------------


def test_developer_hub_host_per_region() -> None:
    assert developer_hub_host("na") == "developerhub-api.contentstack.com"
    assert developer_hub_host("us") == "developerhub-api.contentstack.com"
    assert developer_hub_host("eu") == "eu-developerhub-api.contentstack.com"
    assert developer_hub_host("azure_na") == "azure-na-developerhub-api.contentstack.com"
    for name in REGIONS:
        assert developer_hub_host(name).endswith("developerhub-api.contentstack.com")


def test_default_hosts_follow_the_region() -> None:
    cfg = OAuthConfig(app_id=APP_ID, client_id=CLIENT_ID, redirect_uri=REDIRECT, region="gcp-eu")
    assert cfg.authorize_base == "https://gcp-eu-app.contentstack.com"
    assert cfg.developer_hub_base == "https://gcp-eu-developerhub-api.contentstack.com"
    assert cfg.token_endpoint == "https://gcp-eu-developerhub-api.contentstack.com/token"
    na = OAuthConfig(app_id=APP_ID, client_id=CLIENT_ID, redirect_uri=REDIRECT)
    assert na.authorize_base == "https://app.contentstack.com"
    with pytest.raises(ValueError, match="unknown region"):
        OAuthConfig(app_id=APP_ID, client_id=CLIENT_ID, redirect_uri=REDIRECT, region="mars")


def test_authorization_url_carries_pkce_s256_after_the_hash_bang() -> None:
    flow = OAuthFlow(
        OAuthConfig(app_id=APP_ID, client_id=CLIENT_ID, redirect_uri=REDIRECT, scopes="user:read")
    )
    url, state, verifier = flow.authorization_url()
    prefix = f"https://app.contentstack.com/#!/apps/{APP_ID}/authorize?"
    assert url.startswith(prefix)
    query = parse_qs(url[len(prefix) :])
    assert query == {
        "response_type": ["code"],
        "client_id": [CLIENT_ID],
        "redirect_uri": [REDIRECT],
        "scope": ["user:read"],
        "state": [state],
        "code_challenge": [s256(verifier or "")],
        "code_challenge_method": ["S256"],
    }
    assert verifier is not None and len(verifier) == 64
    assert len(state) >= 32
    again = flow.authorization_url(state="given")
    assert again.state == "given" and again.code_verifier != verifier


@pytest.mark.parametrize("length", [43, 128])
def test_verifier_length_bounds_accepted(length: int) -> None:
    cfg = OAuthConfig(app_id="a", client_id="c", redirect_uri=REDIRECT, verifier_length=length)
    verifier = OAuthFlow(cfg).authorization_url().code_verifier
    assert verifier is not None and len(verifier) == length
    assert set(verifier) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )


@pytest.mark.parametrize("length", [0, 42, 129, 171])
def test_verifier_length_outside_rfc7636_refused(length: int) -> None:
    with pytest.raises(ValueError, match="43 and 128"):
        OAuthConfig(app_id="a", client_id="c", redirect_uri=REDIRECT, verifier_length=length)


def test_confidential_app_sends_no_challenge() -> None:
    cfg = OAuthConfig(app_id="a", client_id="c", redirect_uri=REDIRECT, client_secret=SECRET)
    request = OAuthFlow(cfg).authorization_url()
    assert request.code_verifier is None
    assert "code_challenge" not in request.url


# -- the flow end to end --------------------------------------------------------------------


def test_end_to_end_code_refresh_revoke(stub: Stub, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = MemoryTokenStore()
    flow = OAuthFlow(config(stub), store)
    request = flow.authorization_url()
    redirect = approve(request)
    assert redirect.startswith(REDIRECT + "?code=")

    tokens = flow.handle_redirect(redirect, request)
    assert store.load() == tokens
    assert tokens.organization_uid == ORG and tokens.user_uid == USER
    assert tokens.region == REGIONS["na"]
    assert tokens.expires_at is not None and not tokens.expired(60)
    exchange = stub.token_calls[0]
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code_verifier"] == request.code_verifier
    assert "client_secret" not in exchange

    with api(stub, flow) as client:
        assert client.get("/v3/user").status_code == 200
        assert stub.refreshes == 0
        expired = expire(flow)
        assert client.get("/v3/user").status_code == 200
    assert stub.refreshes == 1  # the expired token was refreshed exactly once
    refreshed = store.load()
    assert refreshed is not None and refreshed.access_token != expired.access_token
    assert stub.token_calls[-1]["refresh_token"] == expired.refresh_token
    # The token endpoint never saw a bearer token (no refresh through the auth hook).
    assert stub.token_auth_headers == [None, None]

    all_secrets = secrets_of(
        flow, request.code_verifier, expired.access_token, expired.refresh_token
    )
    assert flow.revoke() is True
    assert store.load() is None
    (get, get_path, get_headers), (delete, delete_path, delete_headers) = stub.authorization_calls
    assert (get, get_path) == ("GET", f"/manifests/{APP_ID}/authorizations")
    assert (delete, delete_path) == ("DELETE", f"/manifests/{APP_ID}/authorizations/auth-mine")
    for headers in (get_headers, delete_headers):
        lower = {k.lower(): v for k, v in headers.items()}
        assert lower["authorization"] == f"Bearer {refreshed.access_token}"
        assert lower["organization_uid"] == ORG
    flow.close()

    assert "refreshing the OAuth access token" in caplog.text
    for secret in all_secrets:
        assert secret not in caplog.text
        assert secret not in repr(flow) + repr(tokens) + repr(request) + repr(flow.config)


def test_confidential_app_exchanges_with_the_secret(stub: Stub) -> None:
    flow = OAuthFlow(config(stub, client_secret=SECRET))
    tokens = authorize(flow)
    assert stub.token_calls[0]["client_secret"] == SECRET
    assert "code_verifier" not in stub.token_calls[0]
    flow.refresh()
    assert stub.token_calls[1]["client_secret"] == SECRET  # the JS SDK forgets it here
    assert SECRET not in repr(flow.config) and "'***'" in repr(flow.config)
    assert tokens.access_token not in repr(tokens)


def test_wrong_verifier_is_a_typed_error_with_secrets_masked(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    redirect = approve(request)
    wrong = "w" * 64
    with pytest.raises(OAuthTokenError) as caught:
        flow.handle_redirect(redirect, request._replace(code_verifier=wrong))
    error = caught.value
    assert error.status_code == 400 and error.error == "invalid_grant"
    assert wrong not in str(error) and wrong not in json.dumps(error.body)
    assert error.error_description == "verifier *** fails"
    assert error.response.request.content == b""  # the form body stays behind
    assert flow.store.load() is None


def test_state_mismatch_refused_before_any_token_call(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    redirect = approve(request)
    with pytest.raises(OAuthStateError, match="state"):
        flow.handle_redirect(redirect, request._replace(state="forged-state"))
    with pytest.raises(ValueError, match="expected_state"):
        flow.parse_redirect(redirect, "")
    with pytest.raises(OAuthStateError, match="no authorization code"):
        flow.handle_redirect(f"{REDIRECT}?state={request.state}", request)
    assert stub.token_calls == []
    assert flow.store.load() is None


def test_error_redirect_raises(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    url = f"{REDIRECT}?error=access_denied&error_description=User+said+no&state={request.state}"
    with pytest.raises(OAuthAuthorizationError, match="access_denied: User said no") as caught:
        flow.handle_redirect(url, request)
    assert caught.value.error == "access_denied"
    assert isinstance(caught.value, OAuthError)
    assert stub.token_calls == []


def test_pkce_exchange_without_verifier_refused() -> None:
    flow = OAuthFlow(OAuthConfig(app_id="a", client_id="c", redirect_uri=REDIRECT))
    with pytest.raises(OAuthError, match="code_verifier"):
        flow.exchange_code("some-code")
    with pytest.raises(ValueError, match="43 to 128"):
        flow.exchange_code("some-code", "x" * 171)


def test_no_tokens_is_a_clear_error() -> None:
    flow = OAuthFlow(OAuthConfig(app_id="a", client_id="c", redirect_uri=REDIRECT))
    with pytest.raises(OAuthError, match="authorization flow first"):
        flow.refresh()
    transport = httpx.MockTransport(lambda r: httpx.Response(200))
    with (
        httpx.Client(transport=transport, auth=flow.auth()) as client,
        pytest.raises(OAuthError),
    ):
        client.get("https://api.contentstack.io/v3/user")


# -- refresh: single flight, 401 once, failures --------------------------------------------


def test_expired_token_refreshed_once_by_ten_threads(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    authorize(flow)
    expire(flow)
    stub.refresh_delay = 0.1
    barrier = threading.Barrier(10)

    with api(stub, flow) as client:

        def call(_: int) -> int:
            barrier.wait()
            return client.get("/v3/user").status_code

        with ThreadPoolExecutor(10) as pool:
            statuses = list(pool.map(call, range(10)))
    assert statuses == [200] * 10
    assert stub.refreshes == 1


async def test_expired_token_refreshed_once_by_ten_tasks(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    redirect = await asyncio.to_thread(approve, request)
    await flow.ahandle_redirect(redirect, request)
    expire(flow)
    stub.refresh_delay = 0.1
    async with httpx.AsyncClient(base_url=stub.base, auth=flow.auth()) as client:
        responses = await asyncio.gather(*(client.get("/v3/user") for _ in range(10)))
    assert [r.status_code for r in responses] == [200] * 10
    assert stub.refreshes == 1
    assert stub.token_auth_headers == [None, None]
    await flow.aclose()


async def test_expired_token_refreshed_once_by_threads_and_tasks_together(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    await asyncio.to_thread(authorize, flow)
    expire(flow)
    stub.refresh_delay = 0.1

    def sync_calls() -> list[int]:
        with api(stub, flow) as client, ThreadPoolExecutor(5) as pool:
            return list(pool.map(lambda _: client.get("/v3/user").status_code, range(5)))

    async with httpx.AsyncClient(base_url=stub.base, auth=flow.auth()) as client:
        threads = asyncio.create_task(asyncio.to_thread(sync_calls))
        responses = await asyncio.gather(*(client.get("/v3/user") for _ in range(5)))
        assert await threads == [200] * 5
    assert [r.status_code for r in responses] == [200] * 5
    assert stub.refreshes == 1


def test_401_refreshes_once_and_replays_once(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    first = authorize(flow)
    stub.access.discard(first.access_token)  # revoked server side, still unexpired here
    with api(stub, flow) as client:
        assert client.get("/v3/user").status_code == 200
    assert stub.refreshes == 1
    assert stub.api_calls == 2


def test_401_from_ten_threads_refreshes_once(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    first = authorize(flow)
    stub.access.discard(first.access_token)
    stub.refresh_delay = 0.1
    barrier = threading.Barrier(10)
    with api(stub, flow) as client:

        def call(_: int) -> int:
            barrier.wait()
            return client.get("/v3/user").status_code

        with ThreadPoolExecutor(10) as pool:
            assert list(pool.map(call, range(10))) == [200] * 10
    assert stub.refreshes == 1


def test_second_401_is_returned_without_another_refresh(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    authorize(flow)
    stub.always_401 = True
    with api(stub, flow) as client:
        response = client.get("/v3/user")
    assert response.status_code == 401
    assert stub.refreshes == 1
    assert stub.api_calls == 2


async def test_async_401_refreshes_once_and_second_401_is_final(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    tokens = await flow.ahandle_redirect(await asyncio.to_thread(approve, request), request)
    stub.access.discard(tokens.access_token)
    async with httpx.AsyncClient(base_url=stub.base, auth=flow.auth()) as client:
        assert (await client.get("/v3/user")).status_code == 200
        assert stub.refreshes == 1
        stub.always_401 = True
        assert (await client.get("/v3/user")).status_code == 401
    assert stub.refreshes == 2
    assert stub.api_calls == 4


def test_typed_error_hook_sees_only_the_final_401(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    first = authorize(flow)
    stub.access.discard(first.access_token)
    # The clients' own typed-error hook lets the first 401 through to the auth flow.
    with api(stub, flow, event_hooks={"response": [_raise_for_status]}) as client:
        assert client.get("/v3/user").status_code == 200
        stub.always_401 = True
        with pytest.raises(AuthenticationError) as caught:
            client.get("/v3/user")
    assert stub.refreshes == 2
    current = flow.store.load()
    assert current is not None and current.access_token not in str(caught.value)


def test_refresh_failure_is_typed_and_leaves_the_store(
    stub: Stub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    flow = OAuthFlow(config(stub))
    authorize(flow)
    before = expire(flow)
    stub.fail_refresh = True
    with api(stub, flow) as client, pytest.raises(OAuthTokenError) as caught:
        client.get("/v3/user")
    error = caught.value
    assert error.status_code == 400 and error.error == "invalid_grant"
    assert flow.store.load() is before
    assert stub.api_calls == 0
    assert before.refresh_token is not None
    assert before.refresh_token.encode() not in error.response.request.content
    for text in (str(error), repr(error), error.error_message, json.dumps(error.body), caplog.text):
        assert before.refresh_token not in text
        assert before.access_token not in text


def test_refresh_response_without_refresh_token_keeps_the_old_one() -> None:
    old = OAuthTokens(access_token="a" * 20, refresh_token="r" * 20, organization_uid=ORG)
    new = OAuthTokens.from_response(
        {"access_token": "b" * 20, "expires_in": 10}, previous=old, now=100.0
    )
    assert new.refresh_token == old.refresh_token and new.organization_uid == ORG
    assert new.expires_at == 110.0
    assert new.expired(now=110.0) and not new.expired(now=99.0) and new.expired(15, now=99.0)
    with pytest.raises(ValueError, match="access_token"):
        OAuthTokens.from_response({"expires_in": 10})


def test_revoke_when_no_authorization_of_this_user(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    tokens = authorize(flow)
    flow.store.save(OAuthTokens.from_dict({**tokens.to_dict(), "user_uid": "nobody"}))
    assert flow.revoke() is False
    assert flow.store.load() is None
    assert [c[0] for c in stub.authorization_calls] == ["GET"]


async def test_async_revoke(stub: Stub) -> None:
    flow = OAuthFlow(config(stub))
    request = flow.authorization_url()
    await flow.ahandle_redirect(await asyncio.to_thread(approve, request), request)
    assert await flow.arevoke() is True
    assert flow.store.load() is None
    assert [c[0] for c in stub.authorization_calls] == ["GET", "DELETE"]


# -- stores ---------------------------------------------------------------------------------


def test_file_token_store_round_trip_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "tokens.json"
    store = FileTokenStore(path)
    assert isinstance(store, TokenStore)
    assert store.load() is None
    tokens = OAuthTokens(
        access_token="access-secret-1234",
        refresh_token="refresh-secret-1234",
        expires_at=1_900_000_000.5,
        organization_uid=ORG,
        user_uid=USER,
        location="EU",
    )
    store.save(tokens)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert store.load() == tokens
    store.save(OAuthTokens(access_token="second-access-token"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(path.parent) == ["tokens.json"]  # no temporary file left behind
    assert "access-secret" not in repr(store)
    store.clear()
    store.clear()
    assert store.load() is None


def test_memory_store_and_token_repr_hide_secrets() -> None:
    tokens = OAuthTokens(access_token="access-secret-1234", refresh_token="refresh-secret-1234")
    store = MemoryTokenStore(tokens)
    assert isinstance(store, TokenStore)
    text = repr(tokens) + repr(store)
    assert "access-secret" not in text and "refresh-secret" not in text
    assert "access_token='***'" in repr(tokens)
    request = AuthorizationRequest("https://x", "s", "v" * 50)
    assert "v" * 50 not in repr(request)
