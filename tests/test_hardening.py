"""Hardening of the delivery client: per-call overrides, hooks, logging, secrets, redirects,
TLS, hostile input (the loopback fault scenarios live in tests/faults)."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import trustme
from hypothesis import given, settings
from hypothesis import strategies as st

from contentstack_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncStack,
    AuthenticationError,
    ContentstackError,
    InternalServerError,
    RateLimitError,
    ResponseDecodeError,
    RetryPolicy,
    Stack,
)

from .conftest import Recorder, load_payload

API_KEY = "blt_hardening_api_key_5ecret"
TOKEN = "cs_hardening_delivery_token_5ecret"
PREVIEW = "cs_hardening_preview_token_5ecret"
SECRETS = (API_KEY, TOKEN, PREVIEW)
ENTRY = load_payload("cda_entry_single.json")
FAST = RetryPolicy(max_retries=2, backoff_initial=0.001, backoff_max=0.002)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=ENTRY)


# -- per-call overrides --------------------------------------------------------------------------


def test_with_options_overrides_retry_and_timeout_for_its_calls_only() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, json={"error_message": "busy", "error_code": 0})

    stack = Stack(
        API_KEY, TOKEN, "production", transport=httpx.MockTransport(handler), retry=FAST, timeout=30
    )
    with pytest.raises(InternalServerError):
        stack.with_options(retry=0, timeout=1.5).fetch_entry("blog", "blt1")
    assert len(seen) == 1  # no retry for this call
    assert seen[0].extensions["timeout"]["read"] == 1.5
    seen.clear()
    with pytest.raises(InternalServerError):
        stack.fetch_entry("blog", "blt1")
    assert len(seen) == 3  # the client's own policy: 2 retries
    assert seen[0].extensions["timeout"]["read"] == 30
    with pytest.raises(ValueError, match="retry= or timeout="):
        stack.with_options()
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        stack.with_options(timeout=0)


def test_derived_views_compose() -> None:
    rec = Recorder(ok)
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport())
    stack.preview("h1", preview_token=PREVIEW).with_options(timeout=3).fetch_entry("blog", "blt1")
    assert rec.last.headers["live_preview"] == "h1"
    assert rec.last.extensions["timeout"]["connect"] == 3


# -- event hooks and logging ---------------------------------------------------------------------


def test_event_hooks_see_every_request_and_response_even_failed_ones() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("missing"):
            return httpx.Response(422, json={"error_message": "nope", "error_code": 141})
        return ok(request)

    stack = Stack(
        API_KEY,
        TOKEN,
        "production",
        transport=httpx.MockTransport(handler),
        event_hooks={
            "request": [lambda r: seen.append(f"-> {r.url.path}")],
            "response": [lambda r: seen.append(f"<- {r.status_code}")],
        },
    )
    stack.fetch_entry("blog", "blt1")
    with pytest.raises(APIStatusError):
        stack.fetch_entry("blog", "missing")
    assert seen == [
        "-> /v3/content_types/blog/entries/blt1",
        "<- 200",
        "-> /v3/content_types/blog/entries/missing",
        "<- 422",
    ]
    with pytest.raises(ValueError, match="'request' and 'response'"):
        Stack(API_KEY, TOKEN, "production", event_hooks={"send": []})
    with pytest.raises(TypeError, match="list of callables"):
        Stack(API_KEY, TOKEN, "production", event_hooks={"request": ["not callable"]})  # type: ignore[list-item]


async def test_async_event_hooks() -> None:
    seen: list[int] = []

    async def on_response(response: httpx.Response) -> None:
        seen.append(response.status_code)

    async def handler(request: httpx.Request) -> httpx.Response:
        return ok(request)

    async with AsyncStack(
        API_KEY,
        TOKEN,
        "production",
        transport=httpx.MockTransport(handler),
        event_hooks={"response": [on_response]},
    ) as stack:
        await stack.fetch_entry("blog", "blt1")
    assert seen == [200]


def test_one_debug_line_per_attempt_and_per_retry(caplog: pytest.LogCaptureFixture) -> None:
    answers = iter(
        [httpx.Response(429, headers={"retry-after": "0"}), httpx.Response(200, json=ENTRY)]
    )
    stack = Stack(
        API_KEY,
        TOKEN,
        "production",
        transport=httpx.MockTransport(lambda r: next(answers)),
        retry=FAST,
    )
    with caplog.at_level(logging.DEBUG, logger="contentstack_client"):
        stack.fetch_entry("blog", "blt1")
    lines = [r.getMessage() for r in caplog.records if r.name == "contentstack_client"]
    assert len(lines) == 3
    assert lines[0].startswith("GET /v3/content_types/blog/entries/blt1 -> 429 in ")
    assert lines[0].endswith("(attempt 1)")
    assert lines[1].startswith(
        "retrying GET /v3/content_types/blog/entries/blt1 after 429 (attempt 1 of 3)"
    )
    assert lines[2].startswith("GET /v3/content_types/blog/entries/blt1 -> 200 in ") and lines[
        2
    ].endswith("(attempt 2)")


def test_the_package_logger_has_a_null_handler() -> None:
    assert any(
        isinstance(h, logging.NullHandler)
        for h in logging.getLogger("contentstack_client").handlers
    )


# -- secrets never leak -----------------------------------------------------------------------------


def scenarios() -> Iterator[tuple[str, Any]]:
    """(name, handler) pairs covering success, auth errors, rate limits, 5xx, bad bodies, faults."""
    yield "ok", ok

    def echo_token(request: httpx.Request) -> httpx.Response:
        # Servers echo what they were sent; the error built from it must not carry it on.
        sent = request.headers.get("access_token") or request.headers.get("preview_token")
        body = {
            "error_message": f"bad token {sent}",
            "error_code": 105,
            "errors": {"access_token": [f"{sent} expired"]},
        }
        return httpx.Response(401, json=body)

    yield "401", echo_token
    yield "429", lambda r: httpx.Response(429, headers={"retry-after": "0"})
    yield "503", lambda r: httpx.Response(503, text="<html>busy</html>")
    yield "bad json", lambda r: httpx.Response(200, text="{not json")

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    def stall(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    yield "reset", reset
    yield "timeout", stall


def test_no_secret_in_reprs_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    texts: list[str] = []
    caplog.set_level(logging.DEBUG)
    for _name, handler in scenarios():
        stack = Stack(
            API_KEY, TOKEN, "production", transport=httpx.MockTransport(handler), retry=FAST
        )
        preview = stack.preview("hash", preview_token=PREVIEW)
        texts += [repr(stack), str(stack), repr(stack.config), repr(preview)]
        for client in (stack, preview):
            for call in (
                lambda c: c.fetch_entry("blog", "blt1"),
                lambda c: c.query("blog").where("title", "x").find(),
                lambda c: list(c.iter_sync()),
            ):
                try:
                    call(client)
                except ContentstackError as exc:
                    texts += [str(exc), repr(exc), repr(exc.args)]
                    if isinstance(exc, APIStatusError):
                        texts += [str(exc.error_message), str(exc.errors), str(exc.body)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [caplog.text]
    assert len(caplog.records) > 20
    leaked = [(secret, text) for text in texts for secret in SECRETS if secret in text]
    assert not leaked


def test_error_types_per_scenario() -> None:
    expected = {
        "401": AuthenticationError,
        "429": RateLimitError,
        "503": InternalServerError,
        "bad json": ResponseDecodeError,
        "reset": APIConnectionError,
        "timeout": APITimeoutError,
    }
    for name, handler in scenarios():
        if name == "ok":
            continue
        stack = Stack(
            API_KEY, TOKEN, "production", transport=httpx.MockTransport(handler), retry=FAST
        )
        with pytest.raises(expected[name]):
            stack.fetch_entry("blog", "blt1")


# -- redirects and TLS ---------------------------------------------------------------------------------


def test_a_redirect_is_not_followed_so_credentials_never_reach_another_host() -> None:
    rec = Recorder(
        lambda r: httpx.Response(302, headers={"location": "https://evil.example/steal"})
    )
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport())
    with pytest.raises(APIStatusError) as caught:
        stack.fetch_entry("blog", "blt1")
    assert caught.value.status_code == 302
    assert [r.url.host for r in rec.requests] == ["cdn.contentstack.io"]


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[str, trustme.CA]]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = httpx.Response(200, json=ENTRY).content
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", ca
    finally:
        server.shutdown()
        server.server_close()


def test_tls_is_verified_by_default(tls_server: tuple[str, trustme.CA]) -> None:
    url, ca = tls_server
    with (
        Stack(API_KEY, TOKEN, "production", host=url, retry=0) as stack,
        pytest.raises(APIConnectionError) as caught,
    ):
        stack.fetch_entry("blog", "blt1")
    assert (
        "CERTIFICATE_VERIFY_FAILED" in str(caught.value.__cause__)
        or "certificate" in str(caught.value).lower()
    )
    with ca.cert_pem.tempfile() as ca_file:
        trusted = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=ca_file))
        with Stack(API_KEY, TOKEN, "production", host=url, transport=trusted) as stack:
            assert stack.fetch_entry("blog", "blt1").uid == ENTRY["entry"]["uid"]


# -- hostile input ------------------------------------------------------------------------------------

uids = st.text(min_size=1, max_size=20).filter(lambda s: s not in (".", ".."))


@settings(max_examples=150, deadline=None)
@given(uids, uids)
def test_path_parameters_stay_one_segment_whatever_they_contain(
    content_type: str, uid: str
) -> None:
    rec = Recorder(ok)
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport(), retry=0)
    stack.fetch_entry(content_type, uid)
    path = rec.last.url.raw_path.split(b"?")[0].decode("ascii")
    assert path == f"/v3/content_types/{quote(content_type, safe='')}/entries/{quote(uid, safe='')}"
    assert rec.last.url.host == "cdn.contentstack.io"


@pytest.mark.parametrize("uid", ["", ".", ".."])
def test_dot_segments_and_empty_uids_are_refused(uid: str) -> None:
    rec = Recorder(ok)
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport())
    for call in (
        lambda: stack.fetch_entry("blog", uid),
        lambda: stack.fetch_asset(uid),
        lambda: stack.fetch_term("topics", uid),
        lambda: stack.query(uid),
    ):
        with pytest.raises(ValueError, match="non-empty uid"):
            call()
    assert rec.requests == []


@pytest.mark.parametrize("value", ["a\r\nx-injected: 1", "a\nb", "a\rb", "a\x00b"])
def test_header_values_with_cr_lf_are_refused(value: str) -> None:
    rec = Recorder(ok)
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport())
    for call in (
        lambda: Stack(API_KEY, TOKEN, "production", branch=value),
        lambda: stack.fetch_entry("blog", "blt1", branch=value),
        lambda: stack.query("blog").variants(value),
        lambda: stack.preview(value, preview_token="p"),
        lambda: stack.iter_sync(sync_token=value),
    ):
        with pytest.raises(ValueError, match="CR, LF"):
            call()
    assert rec.requests == []


def test_unknown_regions_are_refused_with_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown region 'mars'; valid regions: na, eu, au"):
        Stack(API_KEY, TOKEN, "production", region="mars")


scalars = st.one_of(
    st.text(max_size=15),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=100, deadline=None)
@given(
    st.text(min_size=1, max_size=10).filter(
        lambda k: k.isprintable() and not k.startswith(("only", "except"))
    ),
    scalars,
)
def test_query_values_of_every_type_are_encoded_and_decode_back(
    key: str, value: str | int | bool | float
) -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"entries": []}))
    stack = Stack(API_KEY, TOKEN, "production", transport=rec.transport(), retry=0)
    try:
        query = stack.query("blog").param(key, value)
    except ValueError:
        return  # a name a typed method owns
    query.find()
    expected = ("true" if value else "false") if isinstance(value, bool) else str(value)
    assert rec.last.url.params.get_list(key)[-1] == expected
    assert rec.last.url.host == "cdn.contentstack.io"


# -- which requests are retried --------------------------------------------------------------------


def test_a_post_is_retried_only_when_unsent_or_marked_safe() -> None:
    from contentstack_client._base import CallOptions, call_options

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503, json={"error_message": "busy", "error_code": 0})

    stack = Stack(API_KEY, TOKEN, "production", transport=httpx.MockTransport(handler), retry=FAST)
    with pytest.raises(InternalServerError):
        stack.http_client.post("/v3/anything", json={})
    assert calls == ["POST"]  # sent once: repeating it could repeat its effect
    calls.clear()
    with call_options(CallOptions(safe_to_retry=True)), pytest.raises(InternalServerError):
        stack.http_client.post("/v3/anything", json={})
    assert calls == ["POST"] * 3  # marked safe: retried like a GET

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append("refused")
        if len(calls) < 3:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={})

    calls.clear()
    unsent = Stack(API_KEY, TOKEN, "production", transport=httpx.MockTransport(refuse), retry=FAST)
    assert unsent.http_client.post("/v3/anything", json={}).status_code == 200
    assert calls == ["refused"] * 3  # never sent, so safe to send again


PATHS: list[tuple[str, Any, str]] = [
    ("content type", lambda s, a, b: s.fetch_content_type(a), "/v3/content_types/{a}"),
    ("global field", lambda s, a, b: s.fetch_global_field(a), "/v3/global_fields/{a}"),
    ("asset", lambda s, a, b: s.fetch_asset(a), "/v3/assets/{a}"),
    ("entries", lambda s, a, b: s.find_entries(a), "/v3/content_types/{a}/entries"),
    ("entry via query", lambda s, a, b: s.query(a).fetch(b), "/v3/content_types/{a}/entries/{b}"),
    ("taxonomy", lambda s, a, b: s.fetch_taxonomy(a), "/v3/taxonomies/{a}"),
    ("terms", lambda s, a, b: s.find_terms(a), "/v3/taxonomies/{a}/terms"),
    ("term", lambda s, a, b: s.fetch_term(a, b), "/v3/taxonomies/{a}/terms/{b}"),
    (
        "term locales",
        lambda s, a, b: s.fetch_term_locales(a, b),
        "/v3/taxonomies/{a}/terms/{b}/locales",
    ),
    (
        "ancestors",
        lambda s, a, b: s.fetch_term_ancestors(a, b),
        "/v3/taxonomies/{a}/terms/{b}/ancestors",
    ),
    (
        "descendants",
        lambda s, a, b: s.fetch_term_descendants(a, b),
        "/v3/taxonomies/{a}/terms/{b}/descendants",
    ),
]


@pytest.mark.parametrize(("name", "call", "template"), PATHS, ids=[p[0] for p in PATHS])
@settings(max_examples=40, deadline=None)
@given(a=uids, b=uids)
def test_every_path_parameter_is_encoded_as_one_segment(
    name: str, call: Any, template: str, a: str, b: str
) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404, json={"error_message": "not here", "error_code": 0})

    stack = Stack(API_KEY, TOKEN, "production", transport=httpx.MockTransport(handler), retry=0)
    with pytest.raises(APIStatusError):
        call(stack, a, b)
    (request,) = sent
    expected = template.format(a=quote(a, safe=""), b=quote(b, safe=""))
    assert request.url.raw_path.split(b"?")[0].decode("ascii") == expected
    assert request.url.host == "cdn.contentstack.io"


def test_a_throttled_client_paces_every_attempt() -> None:
    import time

    from contentstack_client._base import HTTPSettings
    from contentstack_client._throttle import BucketRegistry, RateLimit

    bucket = BucketRegistry().bucket_for("org_1", RateLimit(rate=50))
    assert bucket is not None
    answers = iter([httpx.Response(503)] * 2 + [httpx.Response(200, json={})] * 10)
    settings_ = HTTPSettings(
        base_url="https://api.example",
        headers={},
        params={},
        timeout=httpx.Timeout(5),
        retry=FAST,
        throttle=bucket,
    )
    started = time.monotonic()
    with settings_.sync_client(httpx.MockTransport(lambda r: next(answers)), None) as client:
        for _ in range(9):
            client.get("/v3/content_types")
    # 11 attempts (2 retried) at 50/s: at least 10 intervals of 20 ms.
    assert time.monotonic() - started >= 10 / 50


def test_large_bodies_are_parsed_with_json_not_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    from contentstack_client._generated.cda import types

    used: list[int] = []

    def tracking(content: bytes) -> Any:
        used.append(len(content))
        return {"tracked": True}

    monkeypatch.setattr(orjson, "loads", tracking)
    small = b'{"a": 1}'
    large = b'{"a": "' + b"x" * types.ORJSON_MAX_BYTES + b'"}'
    assert types.json_loads(small) == {"tracked": True}
    assert types.json_loads(large) == {"a": "x" * types.ORJSON_MAX_BYTES}
    assert used == [len(small)]


@pytest.mark.parametrize(
    "headers",
    [
        {"authtoken": "cs_authtoken_value_1234567"},
        {"authorization": "cs_management_token_1234567"},
        {"authorization": "Bearer oauth_access_token_1234567"},
    ],
    ids=["authtoken", "management token", "oauth bearer"],
)
def test_management_credentials_are_scrubbed_from_errors_and_logs(
    headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    """The management client's credentials get the same protection (its flows arrive with it)."""
    from contentstack_client._base import HTTPSettings

    secret = next(iter(headers.values())).removeprefix("Bearer ")

    def echo(request: httpx.Request) -> httpx.Response:
        sent = ", ".join(request.headers.get(name, "") for name in headers)
        return httpx.Response(
            401, json={"error_message": f"rejected {sent}", "errors": {"token": [sent]}}
        )

    settings_ = HTTPSettings(
        base_url="https://api.example",
        headers=headers,
        params={},
        timeout=httpx.Timeout(5),
        retry=FAST,
    )
    caplog.set_level(logging.DEBUG)
    with (
        settings_.sync_client(httpx.MockTransport(echo), None) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.get("/v3/user")
    texts = [
        str(caught.value),
        repr(caught.value),
        str(caught.value.errors),
        str(caught.value.body),
        caplog.text,
    ]
    assert "rejected ***" in str(caught.value)
    assert not [t for t in texts if secret in t]
