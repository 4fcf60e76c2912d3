"""The core shared by every client: HTTP client construction, per-call options, error hooks.

Generated endpoint functions call ``client.get_httpx_client().request(...)``; everything a
client adds (base URL, auth headers, retries, typed errors, per-call parameters) therefore
lives in the httpx client and its transport, so generated and hand-written calls behave
the same.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Final, Self, TypeVar
from urllib.parse import urlsplit

import attrs
import httpx

from ._exceptions import ResponseDecodeError, error_for_response
from ._retry import (
    POLICY_EXTENSION,
    SAFE_EXTENSION,
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
)
from ._secrets import mask_url
from ._throttle import AsyncThrottleTransport, OrganizationBucket, ThrottleTransport
from ._version import __version__

USER_AGENT: Final = (
    f"contentstack-client/{__version__} python/{'.'.join(map(str, sys.version_info[:3]))}"
)
"""Sent as ``User-Agent`` and ``X-User-Agent`` on every request."""

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0, pool=10.0)
"""Connect 5 s, read 30 s, write 30 s, waiting for a pooled connection 10 s."""

DEFAULT_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)

ParamValue = str | int | float | bool | Sequence[str]
"""A query parameter value: a scalar, or a sequence sent as repeated keys."""

T = TypeVar("T")
_T = TypeVar("_T")


@attrs.frozen
class CallOptions:
    """Extras for the requests made inside one call: parameters and headers the spec cannot name."""

    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    drop_headers: tuple[str, ...] = ()
    """Client headers not to send (a preview call drops the delivery token)."""
    origin: httpx.URL | None = None
    """Scheme, host and port to send to instead of the client's (the preview host)."""
    retry: RetryPolicy | None = None
    """Retry policy for these requests instead of the client's."""
    timeout: httpx.Timeout | None = None
    """Timeouts for these requests instead of the client's."""
    safe_to_retry: bool = False
    """Retry these requests like idempotent ones even if their method is not (a read-only POST)."""
    default_headers: tuple[tuple[str, str], ...] = ()
    """Headers sent unless the call sets them itself (a stack view's ``branch``)."""

    def merged(self, other: CallOptions | None) -> CallOptions:
        """These options with ``other``'s parameters and headers added (``other`` wins on conflicts)."""
        if other is None:
            return self
        return CallOptions(
            params=self.params + other.params,
            headers=self.headers + other.headers,
            drop_headers=self.drop_headers + other.drop_headers,
            origin=other.origin or self.origin,
            retry=other.retry or self.retry,
            timeout=other.timeout or self.timeout,
            safe_to_retry=other.safe_to_retry or self.safe_to_retry,
            default_headers=self.default_headers + other.default_headers,
        )


OAUTH_REPLAY_EXTENSION: Final = "contentstack_client.oauth_will_replay"
"""Request extension set while a 401 would still be answered by one OAuth refresh and replay.

httpx runs response hooks on every response of an auth flow, so the typed-error hook lets
that first 401 through; the replay's answer (or a second 401) is final."""

_CALL: ContextVar[CallOptions | None] = ContextVar("contentstack_client_call", default=None)
# Responses received inside checked()/achecked() (thread- and task-local), so that a body
# that fails to parse is reported with its request and status. Outside those calls nothing
# is kept, so no response outlives its call.
_SEEN: ContextVar[list[httpx.Response] | None] = ContextVar(
    "contentstack_client_seen", default=None
)


@contextmanager
def call_options(options: CallOptions | None) -> Iterator[None]:
    """Apply ``options`` to the requests made in this context (thread- and task-local)."""
    if options is None:
        yield
        return
    token = _CALL.set(options)
    try:
        yield
    finally:
        _CALL.reset(token)


def check_header_value(name: str, value: str) -> str:
    """Refuse header values that could split or smuggle headers."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if any(c in value for c in "\r\n\0"):
        raise ValueError(f"{name} must not contain CR, LF or NUL characters")
    return value


def non_empty_header(name: str, value: object) -> str:
    """A required header value: a non-empty string that cannot split headers."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return check_header_value(name, value)


def features_of(early_access: Collection[str]) -> tuple[str, ...]:
    """Early-access feature names, checked, for the ``x-header-ea`` header."""
    if isinstance(early_access, str):
        raise TypeError("early_access must be a collection of feature names, not one string")
    return tuple(check_header_value("early_access", f) for f in early_access)


def retry_of(retry: RetryPolicy | int) -> RetryPolicy:
    """A retry policy, or a retry count turned into the default policy with that count."""
    return retry if isinstance(retry, RetryPolicy) else RetryPolicy(max_retries=retry)


def encode_params(params: Mapping[str, ParamValue]) -> tuple[tuple[str, str], ...]:
    """Turn a mapping into query pairs: booleans as ``true``/``false``, sequences repeated."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if isinstance(value, bool):
            pairs.append((key, "true" if value else "false"))
        elif isinstance(value, str | int | float):
            pairs.append((key, str(value)))
        elif isinstance(value, Sequence):
            pairs.extend((key, str(v)) for v in value)
        else:
            raise TypeError(f"query parameter {key!r} has unsupported type {type(value).__name__}")
    return tuple(pairs)


def _apply_call_options(request: httpx.Request) -> None:
    options = _CALL.get()
    if options is None:
        return
    if options.params:
        request.url = request.url.copy_merge_params(list(options.params))
    if options.origin is not None:
        origin = options.origin
        request.url = request.url.copy_with(
            scheme=origin.scheme, host=origin.host, port=origin.port
        )
        # httpx wrote Host when the request was built; it must follow the new origin.
        request.headers["host"] = request.url.netloc.decode("ascii")
    for name in options.drop_headers:
        request.headers.pop(name, None)
    if options.retry is not None:
        request.extensions[POLICY_EXTENSION] = options.retry
    if options.safe_to_retry:
        request.extensions[SAFE_EXTENSION] = True
    if options.timeout is not None:
        # httpx's transports read the timeouts of a request from this extension.
        request.extensions["timeout"] = options.timeout.as_dict()
    for name, value in options.headers:
        request.headers[name] = value
    for name, value in options.default_headers:
        if name not in request.headers:
            request.headers[name] = value


def _raise_for_status(response: httpx.Response) -> None:
    seen = _SEEN.get()
    if seen is not None:
        seen.append(response)
    if response.is_success:
        return
    if response.status_code == 401 and response.request.extensions.get(OAUTH_REPLAY_EXTENSION):
        return
    response.read()
    raise error_for_response(response)


async def _apply_call_options_async(request: httpx.Request) -> None:
    _apply_call_options(request)


async def _raise_for_status_async(response: httpx.Response) -> None:
    seen = _SEEN.get()
    if seen is not None:
        seen.append(response)
    if response.is_success:
        return
    if response.status_code == 401 and response.request.extensions.get(OAUTH_REPLAY_EXTENSION):
        return
    await response.aread()
    raise error_for_response(response)


def timeout_of(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Seconds or an ``httpx.Timeout`` as an ``httpx.Timeout`` (connect capped at 5 s)."""
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError(
            f"timeout must be a positive number of seconds or an httpx.Timeout, got {timeout!r}"
        )
    return httpx.Timeout(timeout, connect=min(5.0, timeout))


def host_url(host: str, name: str) -> httpx.URL:
    """A host name or ``scheme://host[:port]`` as an origin URL; anything else is refused."""
    parts = urlsplit(host if "://" in host else f"https://{host}")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"{name} must be a host name or a scheme://host[:port] URL, got {host!r}")
    return httpx.URL(f"{parts.scheme}://{parts.netloc}")


EventHooks = Mapping[str, Sequence[Callable[..., Any]]]
"""``{"request": [...], "response": [...]}``: callables given each httpx request/response."""


def event_hooks_of(hooks: EventHooks | None) -> dict[str, list[Callable[..., Any]]]:
    """Check a user's ``event_hooks`` mapping and copy it."""
    if hooks is None:
        return {}
    unknown = set(hooks) - {"request", "response"}
    if unknown:
        raise ValueError(f"event_hooks takes 'request' and 'response' lists, not {sorted(unknown)}")
    result: dict[str, list[Callable[..., Any]]] = {}
    for kind, items in hooks.items():
        if (
            isinstance(items, str)
            or not isinstance(items, Sequence)
            or not all(callable(h) for h in items)
        ):
            raise TypeError(f"event_hooks[{kind!r}] must be a list of callables")
        result[kind] = list(items)
    return result


def call_overrides(
    retry: RetryPolicy | int | None, timeout: float | httpx.Timeout | None
) -> CallOptions:
    """The per-call options of ``with_options(retry=, timeout=)``."""
    if retry is None and timeout is None:
        raise ValueError("with_options needs retry= or timeout=")
    if isinstance(retry, bool) or not (retry is None or isinstance(retry, RetryPolicy | int)):
        raise TypeError(f"retry must be a RetryPolicy or a count, got {type(retry).__name__}")
    policy = None if retry is None else retry_of(retry)
    return CallOptions(retry=policy, timeout=None if timeout is None else timeout_of(timeout))


class Views:
    """Derived views of a client: the same pool and settings, extra per-call options."""

    _defaults: CallOptions | None
    _owns_http: bool

    def _derive(self, options: CallOptions) -> Self:
        # A view of this client: same pool and settings, extra per-call options.
        derived = object.__new__(type(self))
        derived.__dict__.update(self.__dict__)
        derived._owns_http = False
        derived._defaults = options if self._defaults is None else self._defaults.merged(options)
        return derived

    def with_options(
        self,
        *,
        retry: RetryPolicy | int | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Self:
        """A view of this client with another retry policy and/or timeout for its calls.

        ``client.with_options(timeout=2, retry=0).<call>(...)``: it shares the connection
        pool, and the original client keeps its own settings.
        """
        return self._derive(call_overrides(retry, timeout))


class _ClientTransport(httpx.BaseTransport):
    """Send through a caller's own ``httpx.Client`` (its pool, proxies, TLS settings, hooks)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.client.send(request, stream=True)

    def close(self) -> None:
        # The caller owns their client and closes it.
        pass


class _AsyncClientTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`_ClientTransport`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.client.send(request, stream=True)

    async def aclose(self) -> None:
        pass


@attrs.frozen
class HTTPSettings:
    """What an httpx client for one API needs; built lazily, on the first request."""

    base_url: str
    headers: Mapping[str, str]
    params: Mapping[str, str]
    timeout: httpx.Timeout
    retry: RetryPolicy
    throttle: OrganizationBucket | None = None
    """Client-side rate limit shared by the organization's clients (the management API's)."""
    event_hooks: Mapping[str, Sequence[Callable[..., Any]]] = attrs.field(factory=dict)
    """The user's ``request``/``response`` hooks, run after ours prepare a request and before
    a response becomes an error (so they see every response, failed ones included)."""
    auth: httpx.Auth | None = None
    """Signs every request (the management API's credentials; OAuth refreshes here)."""

    def _hooks(
        self, request_hook: Callable[..., Any], response_hook: Callable[..., Any]
    ) -> dict[str, list[Callable[..., Any]]]:
        return {
            "request": [request_hook, *self.event_hooks.get("request", ())],
            "response": [*self.event_hooks.get("response", ()), response_hook],
        }

    def _throttled(self, inner: _T, wrapper: Callable[[_T, OrganizationBucket], _T]) -> _T:
        # Inside the retry loop, so every attempt takes a token; no layer at all when off.
        return inner if self.throttle is None else wrapper(inner, self.throttle)

    def _common(self) -> dict[str, Any]:
        # Redirects are not followed: httpx would carry the api_key and token headers to
        # whatever host a redirect names.
        return {
            "base_url": self.base_url,
            "headers": dict(self.headers),
            "params": dict(self.params),
            "timeout": self.timeout,
            "follow_redirects": False,
            **({} if self.auth is None else {"auth": self.auth}),
        }

    def sync_client(
        self, transport: httpx.BaseTransport | None, http_client: httpx.Client | None
    ) -> httpx.Client:
        """A pooled sync client with retries and typed errors."""
        if http_client is not None:
            inner: httpx.BaseTransport = _ClientTransport(http_client)
        else:
            inner = transport or httpx.HTTPTransport(limits=DEFAULT_LIMITS)
        return httpx.Client(
            transport=RetryTransport(self._throttled(inner, ThrottleTransport), self.retry),
            event_hooks=self._hooks(_apply_call_options, _raise_for_status),
            **self._common(),
        )

    def async_client(
        self, transport: httpx.AsyncBaseTransport | None, http_client: httpx.AsyncClient | None
    ) -> httpx.AsyncClient:
        """A pooled async client with retries and typed errors."""
        if http_client is not None:
            inner: httpx.AsyncBaseTransport = _AsyncClientTransport(http_client)
        else:
            from ._aiohttp import AiohttpTransport

            inner = transport or AiohttpTransport(DEFAULT_LIMITS)
        return httpx.AsyncClient(
            transport=AsyncRetryTransport(
                self._throttled(inner, AsyncThrottleTransport), self.retry
            ),
            event_hooks=self._hooks(_apply_call_options_async, _raise_for_status_async),
            **self._common(),
        )


class LazySyncClient:
    """Build the httpx client on first use: construction does no I/O (not even TLS setup)."""

    def __init__(
        self,
        factory: Callable[[], httpx.Client],
    ) -> None:
        self._factory = factory
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self.closed = False

    def get(self) -> httpx.Client:
        """The client, created on the first call."""
        client = self._client
        if client is None:
            with self._lock:
                if self.closed:
                    raise RuntimeError("this client has been closed")
                if self._client is None:
                    self._client = self._factory()
                client = self._client
        return client

    def close(self) -> None:
        """Close the client if it was ever created; later calls raise."""
        with self._lock:
            self.closed = True
            if self._client is not None:
                self._client.close()


class LazyAsyncClient:
    """Async twin of :class:`LazySyncClient`."""

    def __init__(self, factory: Callable[[], httpx.AsyncClient]) -> None:
        self._factory = factory
        self._client: httpx.AsyncClient | None = None
        self.closed = False

    def get(self) -> httpx.AsyncClient:
        """The client, created on the first call (no await in between, so no race)."""
        if self._client is None:
            if self.closed:
                raise RuntimeError("this client has been closed")
            self._client = self._factory()
        return self._client

    async def aclose(self) -> None:
        """Close the client if it was ever created; later calls raise."""
        self.closed = True
        if self._client is not None:
            await self._client.aclose()


class SyncPool:
    """The pooled httpx client of a sync client: access, closing, ``with`` blocks."""

    _http: LazySyncClient
    _owns_http: bool

    @property
    def http_client(self) -> httpx.Client:
        """The pooled httpx client (created on first access), for generated endpoint functions."""
        return self._http.get()

    def close(self) -> None:
        """Close the connection pool; the client cannot be used afterwards (a derived view leaves its parent's open)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncPool:
    """Async twin of :class:`SyncPool`."""

    _http: LazyAsyncClient
    _owns_http: bool

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The pooled httpx client (created on first access), for generated endpoint functions."""
        return self._http.get()

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used afterwards (a derived view leaves its parent's open)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def checked(call: Callable[[], Any], expected: type[T]) -> T:
    """Run a generated ``*_detailed`` call and return its parsed body as ``expected``.

    A received body that is not JSON, or not the documented shape, becomes a
    :class:`ResponseDecodeError` naming the request and the cause; an exception raised
    before any response arrived is not about a body and propagates unchanged.
    """
    seen: list[httpx.Response] = []
    token = _SEEN.set(seen)
    try:
        result = call()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if not seen:
            raise
        raise decode_error(exc, expected, seen[-1]) from exc
    finally:
        _SEEN.reset(token)
    return _expect(result, expected, seen)


async def achecked(call: Callable[[], Awaitable[Any]], expected: type[T]) -> T:
    """Async twin of :func:`checked`."""
    seen: list[httpx.Response] = []
    token = _SEEN.set(seen)
    try:
        result = await call()
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        if not seen:
            raise
        raise decode_error(exc, expected, seen[-1]) from exc
    finally:
        _SEEN.reset(token)
    return _expect(result, expected, seen)


def _expect(result: Any, expected: type[T], seen: list[httpx.Response]) -> T:
    value = result.parsed
    if isinstance(value, expected):
        return value
    response = seen[-1] if seen else None
    raise decode_error(TypeError(f"got {type(value).__name__}"), expected, response)


def decode_error(
    exc: Exception, expected: type[Any] | tuple[type[Any], ...], response: httpx.Response | None
) -> ResponseDecodeError:
    """The error for a body that failed to parse as ``expected`` (``exc``), naming the request."""
    is_json_error = type(exc).__name__ == "JSONDecodeError"
    names = expected if isinstance(expected, tuple) else (expected,)
    shape = " | ".join(t.__name__ for t in names)
    what = "is not valid JSON" if is_json_error else f"does not match {shape}"
    if response is None:
        method, url, status = "?", "?", 0
    else:
        method, url, status = (
            response.request.method,
            mask_url(response.request.url),
            response.status_code,
        )
    error = ResponseDecodeError(
        f"response body {what} ({type(exc).__name__}: {exc})",
        method=method,
        url=url,
        status_code=status,
    )
    error.__cause__ = exc
    return error
