"""The delivery client: headers, regions, parameter encoding, errors, retries (respx and mocks)."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from typing import Any

import httpx
import pytest
import respx

import contentstack_client._params as params_module
from contentstack_client import (
    REGIONS,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncStack,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PreconditionFailedError,
    RateLimitError,
    ResponseDecodeError,
    RetryEvent,
    RetryPolicy,
    Stack,
    UnprocessableEntityError,
    resolve_region,
)
from contentstack_client._params import accepted
from contentstack_client._retry import RetryTransport

from .conftest import Recorder, load_payload

API_KEY = "blt_api_key_0123456789abcdef"
TOKEN = "cs_delivery_token_secret_0123456789"
ENTRY = load_payload("cda_entry_single.json")
ENTRIES = load_payload("cda_entries_list_include_count.json")


def ok(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


def stack_with(handler: Any, **kwargs: Any) -> tuple[Stack, Recorder]:
    recorder = Recorder(handler)
    return Stack(API_KEY, TOKEN, "production", transport=recorder.transport(), **kwargs), recorder


# -- headers and URLs ------------------------------------------------------------------------


def test_every_request_carries_auth_headers_user_agent_and_environment() -> None:
    stack, rec = stack_with(
        lambda r: ok(ENTRY), branch="dev", early_access=["taxonomy", "variants"]
    )
    stack.fetch_entry("session", "session_uid_1")
    request = rec.last
    assert request.headers["api_key"] == API_KEY
    assert request.headers["access_token"] == TOKEN
    assert request.headers["branch"] == "dev"
    assert request.headers["x-header-ea"] == "taxonomy,variants"
    assert re.fullmatch(
        r"contentstack-client/\d+\.\d+\.\d+ python/3\.\d+\.\d+", request.headers["user-agent"]
    )
    assert request.headers["x-user-agent"] == request.headers["user-agent"]
    assert (
        str(request.url)
        == "https://cdn.contentstack.io/v3/content_types/session/entries/session_uid_1?environment=production"
    )


def test_branch_can_be_overridden_per_call() -> None:
    stack, rec = stack_with(lambda r: ok(ENTRY), branch="main")
    stack.fetch_entry("session", "session_uid_1", branch="feature")
    assert rec.last.headers["branch"] == "feature"


@pytest.mark.parametrize("region", sorted(REGIONS))
@respx.mock
def test_each_region_uses_its_delivery_host(region: str) -> None:
    host = REGIONS[region].cda
    route = respx.get(f"https://{host}/v3/content_types/session/entries/session_uid_1").mock(
        return_value=ok(ENTRY)
    )
    with Stack(API_KEY, TOKEN, "production", region=region) as stack:
        assert stack.fetch_entry("session", "session_uid_1").uid == "session_uid_1"
    assert route.called


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("us", "na"),
        ("NA", "na"),
        ("aws-eu", "eu"),
        ("azure_na", "azure-na"),
        ("GCP_EU", "gcp-eu"),
        ("aws-au", "au"),
    ],
)
def test_region_aliases(alias: str, name: str) -> None:
    assert resolve_region(alias).name == name


def test_hosts_follow_the_registry_tld_rule() -> None:
    assert REGIONS["na"].cda == "cdn.contentstack.io"
    assert REGIONS["eu"].cda == "eu-cdn.contentstack.com"
    assert REGIONS["gcp-eu"].preview == "gcp-eu-rest-preview.contentstack.com"
    assert REGIONS["na"].preview == "rest-preview.contentstack.com"


def test_unknown_region_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(
        ValueError, match=r"unknown region 'mars'; valid regions: na, eu, au, azure-na"
    ):
        Stack(API_KEY, TOKEN, "production", region="mars")


@respx.mock
def test_custom_host_overrides_the_region() -> None:
    route = respx.get("http://127.0.0.1:8123/v3/assets/a1").mock(
        return_value=ok({"asset": {"uid": "a1"}})
    )
    with Stack(API_KEY, TOKEN, "production", region="eu", host="http://127.0.0.1:8123") as stack:
        assert stack.fetch_asset("a1").uid == "a1"
    assert route.called


@pytest.mark.parametrize("host", ["ftp://x", "https://x/v3", "http://", ""])
def test_bad_host_is_refused(host: str) -> None:
    with pytest.raises(ValueError, match="host"):
        Stack(API_KEY, TOKEN, "production", host=host)


@pytest.mark.parametrize("field", ["api_key", "delivery_token", "environment"])
def test_missing_credentials_are_refused(field: str) -> None:
    args = {"api_key": API_KEY, "delivery_token": TOKEN, "environment": "production", field: " "}
    with pytest.raises(ValueError, match=field):
        Stack(args["api_key"], args["delivery_token"], args["environment"])


def test_header_injection_is_refused() -> None:
    with pytest.raises(ValueError, match="CR, LF"):
        Stack(API_KEY, TOKEN, "production", branch="main\r\nx-evil: 1")


def test_construction_does_no_io_and_close_is_final() -> None:
    stack = Stack(API_KEY, TOKEN, "production")
    assert stack._http._client is None
    stack.close()
    with pytest.raises(RuntimeError, match="closed"):
        stack.fetch_entry("a", "b")


def test_injected_http_client_is_used_and_left_open() -> None:
    rec = Recorder(lambda r: ok(ENTRY))
    own = httpx.Client(transport=rec.transport())
    with Stack(API_KEY, TOKEN, "production", http_client=own) as stack:
        stack.fetch_entry("session", "session_uid_1")
    assert rec.last.headers["api_key"] == API_KEY
    assert not own.is_closed
    own.close()


# -- parameters on the wire ---------------------------------------------------------------------


def test_list_parameters_are_encoded_as_the_reference_documents() -> None:
    stack, rec = stack_with(lambda r: ok(ENTRIES))
    page = stack.find_entries(
        "session",
        query={"title": {"$regex": "^Inex", "$options": "i"}, "is_popular": False},
        include=["track", "room.location"],
        only_base=["title", "track"],
        include_count=True,
        include_fallback=False,
        include_embedded_items=True,
        locale="en-us",
        limit=10,
        skip=20,
        asc="session_id",
        tags=["a", "b"],
        variants=["v1", "v2"],
        extra_params={"only[track][]": ["title"]},
    )
    assert page.count == ENTRIES["count"]
    params = rec.last.url.params
    assert json.loads(params["query"]) == {
        "title": {"$regex": "^Inex", "$options": "i"},
        "is_popular": False,
    }
    assert params["query"] == '{"title":{"$regex":"^Inex","$options":"i"},"is_popular":false}'
    assert params.get_list("include[]") == ["track", "room.location"]
    assert params.get_list("only[BASE][]") == ["title", "track"]
    assert params.get_list("only[track][]") == ["title"]
    assert params.get_list("include_embedded_items[]") == ["BASE"]
    assert params["include_count"] == "true"
    assert params["include_fallback"] == "false"
    assert (params["limit"], params["skip"], params["asc"], params["tags"]) == (
        "10",
        "20",
        "session_id",
        "a,b",
    )
    assert params["environment"] == "production"
    assert rec.last.headers["x-cs-variant-uid"] == "v1,v2"
    # Repeated keys keep their literal brackets (percent-encoded on the wire).
    assert "include%5B%5D=track&include%5B%5D=room.location" in str(rec.last.url)


def test_path_parameters_are_percent_encoded() -> None:
    stack, rec = stack_with(lambda r: ok(ENTRY))
    stack.fetch_entry("ses/sion", "a?b#c d")
    assert rec.last.url.raw_path.startswith(b"/v3/content_types/ses%2Fsion/entries/a%3Fb%23c%20d?")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"limit": 101}, ValueError, "limit must be <= 100"),
        ({"limit": 0}, ValueError, "limit must be >= 1"),
        ({"skip": -1}, ValueError, "skip must be >= 0"),
        ({"limit": True}, TypeError, "limit must be an int"),
        ({"include": "author"}, TypeError, "include must be a sequence of strings"),
        ({"include": ["author", ""]}, ValueError, r"include\[1\] must not be empty"),
        ({"include_count": "yes"}, TypeError, "include_count must be a bool"),
        ({"asc": "a", "desc": "b"}, ValueError, "asc and desc cannot be combined"),
        ({"query": "title=x"}, TypeError, "query must be a mapping"),
        ({"query": {"n": float("nan")}}, ValueError, "query is not serialisable"),
        ({"query": {"when": object()}}, ValueError, "query is not serialisable"),
        ({"includes": ["a"]}, TypeError, "unexpected parameter"),
        ({"version": 2}, TypeError, "unexpected parameter"),
    ],
)
def test_bad_arguments_are_refused_before_sending(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    stack, rec = stack_with(lambda r: ok(ENTRIES))
    with pytest.raises(error, match=message):
        stack.find_entries("session", **kwargs)
    assert rec.requests == []


@pytest.mark.parametrize("uid", ["", ".", ".."])
def test_empty_or_dot_uids_are_refused(uid: str) -> None:
    stack, rec = stack_with(lambda r: ok(ENTRY))
    with pytest.raises(ValueError, match="entry_uid must be a non-empty uid"):
        stack.fetch_entry("session", uid)
    assert rec.requests == []


def test_sync_modes() -> None:
    stack, rec = stack_with(
        lambda r: ok(load_payload("cda_sync_initial_with_pagination_token.json"))
    )
    page = stack.sync(
        content_type_uid="session",
        sync_types=["entry_published", "asset_published"],
        start_from="2018-01-14T00:00:00+00:00",
        locale="en-us",
    )
    params = rec.last.url.params
    assert params["init"] == "true"
    assert params["type"] == "entry_published,asset_published"
    assert params["content_type_uid"] == "session"
    assert params["start_from"] == "2018-01-14T00:00:00+00:00"
    assert page.pagination_token == "uid_101"
    stack.sync(pagination_token="uid_101")
    assert dict(rec.last.url.params) == {"environment": "production", "pagination_token": "uid_101"}
    stack.sync(sync_token="tok")
    assert dict(rec.last.url.params) == {"environment": "production", "sync_token": "tok"}
    with pytest.raises(ValueError, match="only apply to an initial sync"):
        stack.sync(sync_token="tok", locale="en-us")
    with pytest.raises(ValueError, match="not both"):
        stack.sync(sync_token="a", pagination_token="b")
    with pytest.raises(ValueError, match="time zone"):
        stack.sync(start_from="2018-01-14T00:00:00")


def test_term_relatives_accept_both_documented_shapes() -> None:
    term = {"uid": "t", "name": "T"}
    bodies = iter(
        [
            {"term": {**term, "ancestors": [{"uid": "root", "name": "Root"}]}},
            {"terms": [{"uid": "root"}], "count": 1},
        ]
    )
    stack, _ = stack_with(lambda r: ok(next(bodies)))
    assert [t.uid for t in stack.fetch_term_ancestors("tax", "t")] == ["root"]
    assert [t.uid for t in stack.fetch_term_descendants("tax", "t")] == ["root"]


GENERATED_PARAMS = {
    "fetch_content_type": "content_types.get_content_type",
    "find_content_types": "content_types.get_content_types",
    "fetch_global_field": "global_fields.get_global_field",
    "find_global_fields": "global_fields.get_global_fields",
    "fetch_entry": "entries.get_entry",
    "find_entries": "entries.get_entries",
    "fetch_asset": "assets.get_asset",
    "find_assets": "assets.get_assets",
    "find_taxonomies": "taxonomies.get_taxonomies",
    "fetch_taxonomy": "taxonomies.get_taxonomy",
    "find_terms": "taxonomies.get_terms",
    "fetch_term": "taxonomies.get_term",
    "fetch_term_locales": "taxonomies.get_term_locales",
    "fetch_term_ancestors": "taxonomies.get_term_ancestors",
    "fetch_term_descendants": "taxonomies.get_term_descendants",
    "find_taxonomy_entries": "taxonomies.get_taxonomy_entries",
    "sync": "sync.sync",
}
RENAMED = {"variants": "x_cs_variant_uid", "sync_types": "type_"}


@pytest.mark.parametrize("method", sorted(GENERATED_PARAMS))
def test_typed_parameters_match_the_generated_signature(method: str) -> None:
    module = importlib.import_module(
        f"contentstack_client._generated.cda.api.{GENERATED_PARAMS[method]}"
    )
    generated = set(inspect.signature(module.sync_detailed).parameters)
    parameters = inspect.signature(getattr(Stack, method)).parameters
    kw = next(p for p in parameters.values() if p.kind is inspect.Parameter.VAR_KEYWORD)
    match = re.fullmatch(r"Unpack\[(\w+)\]", str(kw.annotation))
    assert match, kw.annotation
    for key in accepted(getattr(params_module, match.group(1))) - {"extra_params"}:
        assert RENAMED.get(key, key) in generated, f"{method}: {key}"
    # The async twin has the same parameters.
    assert inspect.signature(getattr(AsyncStack, method)).parameters.keys() == parameters.keys()


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (422, load_payload("cda_error_422_entry_not_found.json"), UnprocessableEntityError),
        (404, load_payload("cda_error_404_asset_not_found.json"), NotFoundError),
        (
            401,
            {"error_message": "Access token is not valid.", "error_code": 105},
            AuthenticationError,
        ),
        (
            412,
            {"error_message": "api_key is not valid.", "error_code": 109},
            PreconditionFailedError,
        ),
        (400, {"error_message": "Please set a valid 'Content-Type' header"}, BadRequestError),
    ],
)
def test_error_statuses_raise_typed_errors_with_contentstack_fields(
    status: int, body: Any, error: type[Exception]
) -> None:
    stack, _ = stack_with(
        lambda r: httpx.Response(status, json=body, headers={"x-request-id": "req-1"})
    )
    with pytest.raises(error) as info:
        stack.fetch_entry("session", "missing")
    exc: Any = info.value
    assert exc.status_code == status
    assert exc.error_code == body.get("error_code")
    assert exc.error_message == body["error_message"]
    assert exc.errors == body.get("errors", {})
    assert exc.request_id == "req-1"
    assert exc.method == "GET"
    assert body["error_message"] in str(exc)
    assert "/v3/content_types/session/entries/missing" in str(exc)


def test_html_502_from_a_proxy_is_still_a_typed_error(sleeps: list[float]) -> None:
    html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    stack, rec = stack_with(
        lambda r: httpx.Response(502, text=html, headers={"content-type": "text/html"})
    )
    with pytest.raises(InternalServerError) as info:
        stack.fetch_entry("session", "x")
    assert info.value.error_code is None
    assert "non-JSON error body (text/html): <html><body><h1>502 Bad Gateway" in str(info.value)
    assert len(rec.requests) == 3  # retried twice by default


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>not json</html>", "is not valid JSON"),
        (b'{"entries": "nope"}', "does not match EntryResponse"),
    ],
)
def test_a_2xx_body_that_is_not_the_documented_json_raises(content: bytes, message: str) -> None:
    stack, _ = stack_with(lambda r: httpx.Response(200, content=content))
    with pytest.raises(ResponseDecodeError, match=message) as info:
        stack.fetch_entry("session", "x")
    assert info.value.status_code == 200
    assert "/v3/content_types/session/entries/x" in str(info.value)


def test_recorded_headers_give_the_request_id() -> None:
    headers = load_payload("cda_response_headers_2025.json")["headers"]
    headers = {
        k: v for k, v in headers.items() if k.lower() not in ("content-encoding", "content-length")
    }
    stack, _ = stack_with(
        lambda r: httpx.Response(
            404, json=load_payload("cda_error_404_asset_not_found.json"), headers=headers
        )
    )
    with pytest.raises(NotFoundError) as info:
        stack.fetch_asset("uid_89")
    assert info.value.request_id == headers["x-request-id"]


def test_secrets_never_appear_in_reprs_or_errors() -> None:
    stack, _ = stack_with(
        lambda r: httpx.Response(401, json={"error_message": "bad token", "error_code": 105})
    )
    with pytest.raises(AuthenticationError) as info:
        stack.fetch_entry("session", "x", extra_params={"access_token": TOKEN})
    for text in (repr(stack), str(stack.config), str(info.value), repr(info.value), info.value.url):
        assert TOKEN not in text
        assert API_KEY not in text
    assert "access_token=%2A%2A%2A" in info.value.url or "access_token=***" in info.value.url


# -- retries -----------------------------------------------------------------------------------


def sequence(*responses: httpx.Response | Exception) -> Any:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def test_5xx_then_success_is_retried(sleeps: list[float]) -> None:
    stack, rec = stack_with(sequence(httpx.Response(503), httpx.Response(500), ok(ENTRY)))
    assert stack.fetch_entry("session", "session_uid_1").uid == "session_uid_1"
    assert len(rec.requests) == 3
    assert len(sleeps) == 2
    assert all(0 <= s <= 1.0 for s in sleeps)  # full jitter under 0.5 s, then 1 s


def test_retry_after_is_honoured(sleeps: list[float]) -> None:
    events: list[RetryEvent] = []
    stack, _ = stack_with(
        sequence(
            httpx.Response(
                429,
                headers={"retry-after": "3"},
                json=load_payload("error_429_rate_limited_sdk_mock.json"),
            ),
            ok(ENTRY),
        ),
        retry=RetryPolicy(on_retry=events.append),
    )
    stack.fetch_entry("session", "session_uid_1")
    assert sleeps == [3.0]
    assert [(e.attempt, e.status_code, e.delay) for e in events] == [(1, 429, 3.0)]


def test_rate_limit_reset_is_honoured_when_remaining_is_zero(sleeps: list[float]) -> None:
    stack, _ = stack_with(
        sequence(
            httpx.Response(429, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2"}),
            ok(ENTRY),
        )
    )
    stack.fetch_entry("session", "session_uid_1")
    assert sleeps == [2.0]


def test_retry_after_http_date() -> None:
    policy = RetryPolicy()
    response = httpx.Response(429, headers={"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"})
    assert policy.server_delay(response, now=1445412480.0) == pytest.approx(10.0)


def test_exhausted_retries_raise_the_last_error(sleeps: list[float]) -> None:
    stack, rec = stack_with(
        lambda r: httpx.Response(429, json=load_payload("error_429_rate_limited_sdk_mock.json"))
    )
    with pytest.raises(RateLimitError):
        stack.fetch_entry("session", "x")
    assert len(rec.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 412, 422])
def test_client_errors_are_not_retried(status: int, sleeps: list[float]) -> None:
    stack, rec = stack_with(
        lambda r: httpx.Response(status, json={"error_message": "no", "error_code": 1})
    )
    with pytest.raises(APIStatusError) as info:
        stack.fetch_entry("session", "x")
    assert info.value.status_code == status
    assert len(rec.requests) == 1
    assert sleeps == []


def test_connection_errors_are_retried_then_typed(sleeps: list[float]) -> None:
    stack, rec = stack_with(sequence(httpx.ConnectError("refused"), ok(ENTRY)))
    assert stack.fetch_entry("session", "session_uid_1").uid == "session_uid_1"
    stack, rec = stack_with(lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow")))
    with pytest.raises(APITimeoutError, match="ReadTimeout: slow"):
        stack.fetch_entry("session", "x")
    assert len(rec.requests) == 3
    stack, rec = stack_with(
        lambda r: (_ for _ in ()).throw(httpx.RemoteProtocolError("reset")), retry=0
    )
    with pytest.raises(APIConnectionError, match="RemoteProtocolError"):
        stack.fetch_entry("session", "x")
    assert len(rec.requests) == 1


def test_total_budget_stops_retrying() -> None:
    now = [0.0]
    calls: list[httpx.Request] = []

    def sleep(delay: float) -> None:
        now[0] += delay

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, headers={"retry-after": "5"})

    transport = RetryTransport(
        httpx.MockTransport(handler),
        RetryPolicy(max_retries=5, max_elapsed=12.0),
        sleep=sleep,
        clock=lambda: now[0],
    )
    with httpx.Client(transport=transport) as client:
        assert client.get("https://cdn.contentstack.io/v3/assets").status_code == 503
    # Waits of 5 s fit twice into 12 s; a third would end at 15 s.
    assert len(calls) == 3
    assert now[0] == 10.0


def test_retry_after_longer_than_the_cap_is_not_waited_for(sleeps: list[float]) -> None:
    stack, rec = stack_with(lambda r: httpx.Response(429, headers={"retry-after": "3600"}))
    with pytest.raises(RateLimitError):
        stack.fetch_entry("session", "x")
    assert sleeps == []
    assert len(rec.requests) == 1


# -- async twin --------------------------------------------------------------------------------


async def test_async_stack_sends_the_same_request_and_raises_the_same_errors(
    sleeps: list[float],
) -> None:
    rec = Recorder(
        sequence(
            httpx.Response(503),
            ok(ENTRY),
            httpx.Response(422, json=load_payload("cda_error_422_entry_not_found.json")),
        )
    )
    async with AsyncStack(
        API_KEY, TOKEN, "production", region="eu", transport=rec.transport()
    ) as stack:
        entry = await stack.fetch_entry("session", "session_uid_1", include=["track"])
        assert entry.uid == "session_uid_1"
        with pytest.raises(UnprocessableEntityError) as info:
            await stack.fetch_entry("session", "missing")
    assert info.value.error_code == 141
    assert len(rec.requests) == 3
    assert len(sleeps) == 1
    first = rec.requests[0]
    assert str(first.url) == (
        "https://eu-cdn.contentstack.com/v3/content_types/session/entries/session_uid_1"
        "?environment=production&include%5B%5D=track"
    )
    assert first.headers["api_key"] == API_KEY


async def test_async_connection_error_is_typed(sleeps: list[float]) -> None:
    rec = Recorder(lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused")))
    async with AsyncStack(API_KEY, TOKEN, "production", transport=rec.transport()) as stack:
        with pytest.raises(APIConnectionError, match="ConnectError: refused"):
            await stack.find_assets()
    assert len(rec.requests) == 3


def test_a_single_fetch_refuses_parameters_whose_answer_it_would_drop() -> None:
    stack, rec = stack_with(lambda r: ok(ENTRY))
    with pytest.raises(TypeError, match="include_content_type"):
        stack.fetch_entry("session", "session_uid_1", include_content_type=True)  # type: ignore[call-arg]
    assert rec.requests == []


@respx.mock
def test_respx_retry_then_typed_error_on_the_real_transport(sleeps: list[float]) -> None:
    # Through the default httpx transport (mocked by respx), not an injected one.
    url = "https://eu-cdn.contentstack.com/v3/assets/missing"
    route = respx.get(url).mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.Response(503),
            httpx.Response(
                404,
                json=load_payload("cda_error_404_asset_not_found.json"),
                headers={"x-request-id": "r9"},
            ),
        ]
    )
    with (
        Stack(API_KEY, TOKEN, "production", region="eu", branch="b1") as stack,
        pytest.raises(NotFoundError) as info,
    ):
        stack.fetch_asset("missing")
    assert route.call_count == 3
    assert len(sleeps) == 2
    assert (info.value.error_code, info.value.request_id) == (145, "r9")
    sent = route.calls.last.request
    assert (sent.headers["api_key"], sent.headers["access_token"], sent.headers["branch"]) == (
        API_KEY,
        TOKEN,
        "b1",
    )
    assert sent.url.params["environment"] == "production"


def test_errors_before_any_response_are_not_reported_as_bad_bodies() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise TypeError("a bug in a transport, not a body")

    stack, _ = stack_with(boom)
    with pytest.raises(TypeError, match="a bug in a transport"):
        stack.fetch_entry("session", "x")
