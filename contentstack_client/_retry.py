"""Retries: one policy, applied by a transport wrapper for sync and async clients.

Living below ``httpx.Client`` means every request is covered, the hand-written methods and
the generated endpoint functions alike. Written here rather than taken from httpx-retries,
stamina or tenacity because the policy needs a total time budget, ``X-RateLimit-*``
handling, a per-request override carried in the request and a hook per retry, which none of
them offers together; the hardening issue revisits this choice.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from typing import Final

import attrs
import httpx

from ._exceptions import APIConnectionError, APITimeoutError
from ._secrets import mask_url

logger = logging.getLogger("contentstack_client")
logger.addHandler(logging.NullHandler())

POLICY_EXTENSION: Final = "contentstack_client.retry"
"""Request extension holding a per-request :class:`RetryPolicy`."""
SAFE_EXTENSION: Final = "contentstack_client.safe_to_retry"
"""Request extension marking a non-idempotent request (a POST) as safe to send again."""

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})


@attrs.frozen
class RetryEvent:
    """What a retry hook is told before the client sleeps and tries again."""

    attempt: int
    """The attempt that just failed, from 1."""
    delay: float
    """Seconds the client will wait before the next attempt."""
    request: httpx.Request
    """The request being retried."""
    status_code: int | None
    """Status of the failed attempt, or ``None`` after a connection error."""
    error: Exception | None
    """The connection error of the failed attempt, if that was the cause."""


@attrs.frozen
class RetryPolicy:
    """When and how long to wait before trying a request again.

    Idempotent methods are retried on 408, 429, 5xx (500, 502, 503, 504), connection errors
    and timeouts; other methods only when the connection failed before anything was sent.
    The wait is exponential with full jitter, capped, or what ``Retry-After`` (seconds or an
    HTTP date) or an exhausted ``X-RateLimit-Remaining`` with a reset header asks for.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    """Retries after the first attempt (0 disables retrying)."""
    backoff_initial: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    """Upper bound of the first wait, in seconds; doubled for every further attempt."""
    backoff_max: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    """Cap of the exponential wait, in seconds."""
    max_elapsed: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    """Total budget in seconds: no retry starts once waiting would pass it, and a response
    whose body is still arriving past it is abandoned (:class:`APITimeoutError`)."""
    max_retry_after: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    """A longer ``Retry-After`` than this is not waited for; the error is raised instead."""
    statuses: frozenset[int] = RETRY_STATUSES
    """Statuses retried for idempotent methods."""
    methods: frozenset[str] = IDEMPOTENT_METHODS
    """Methods retried on those statuses and on any connection error."""
    on_retry: Callable[[RetryEvent], None] | None = attrs.field(default=None, eq=False)
    """Called before every retry (for metrics or logging of your own)."""

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Full-jitter exponential wait before retry number ``attempt`` (from 1)."""
        ceiling = min(self.backoff_max, self.backoff_initial * (2.0 ** (attempt - 1)))
        return ceiling * rng()

    def server_delay(self, response: httpx.Response, now: float | None = None) -> float | None:
        """The wait the server asks for, from ``Retry-After`` or ``X-RateLimit-*`` headers."""
        headers = response.headers
        retry_after = headers.get("retry-after")
        if retry_after:
            seconds = _parse_retry_after(retry_after, time.time() if now is None else now)
            if seconds is not None:
                return seconds
        if headers.get("x-ratelimit-remaining", "").strip() == "0":
            reset = headers.get("x-ratelimit-reset")
            if reset:
                seconds = _parse_reset(reset, time.time() if now is None else now)
                if seconds is not None:
                    return seconds
        return None


DEFAULT_RETRY: Final = RetryPolicy()
"""The policy clients use unless given another."""


def _parse_retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _parse_reset(value: str, now: float) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    # Contentstack's SDKs read the reset header as epoch seconds; a small number can only
    # be a delay in seconds.
    return max(0.0, number - now) if number > 1e9 else max(0.0, number)


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    """The typed error for a transport failure (a timeout class for timeouts), URL masked."""
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    kind = type(exc).__name__
    # httpcore's anyio backend raises its errors without a message: name the OS error under
    # them (``[Errno 104] Connection reset by peer``), or say what a timeout is.
    detail = str(exc) or _os_error(exc) or ("timed out" if cls is APITimeoutError else "no detail")
    error = cls(f"{kind}: {detail}", method=request.method, url=mask_url(request.url))
    error.__cause__ = exc
    return error


def _os_error(exc: BaseException) -> str:
    """The message of the first OS error ``exc`` was raised from, if any."""
    seen: BaseException | None = exc.__cause__ or exc.__context__
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, OSError) and str(seen):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    return ""


class _Attempts:
    """The decision logic shared by the sync and async transports."""

    def __init__(
        self, policy: RetryPolicy, request: httpx.Request, clock: Callable[[], float]
    ) -> None:
        self.policy: RetryPolicy = request.extensions.get(POLICY_EXTENSION, policy)
        self.request = request
        self.clock = clock
        self.start = self.attempt_start = clock()
        self.attempt = 0
        # Operations whose repetition cannot do harm (e.g. a POST that only reads) are
        # marked by their caller; every other POST is retried only if it was never sent.
        self.idempotent = request.method in self.policy.methods or bool(
            request.extensions.get(SAFE_EXTENSION)
        )

    def remaining(self) -> float:
        """Seconds left of the total budget."""
        return max(0.0, self.policy.max_elapsed - (self.clock() - self.start))

    def over_budget(self) -> httpx.ReadTimeout:
        """The error for a response still arriving when the total budget is spent."""
        return httpx.ReadTimeout(
            f"response still arriving after the total budget (max_elapsed={self.policy.max_elapsed:g}s)",
            request=self.request,
        )

    def _within_budget(self, delay: float) -> bool:
        return (
            self.attempt <= self.policy.max_retries
            and self.clock() - self.start + delay <= self.policy.max_elapsed
        )

    def log(self, response: httpx.Response | None, error: Exception | None = None) -> None:
        """One DEBUG line per attempt: method, path (no query: it may carry tokens), outcome, time."""
        if logger.isEnabledFor(logging.DEBUG):
            outcome = str(response.status_code) if response is not None else type(error).__name__
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d)",
                self.request.method,
                self.request.url.path,
                outcome,
                (self.clock() - self.attempt_start) * 1000,
                self.attempt + 1,
            )

    def after_error(self, exc: httpx.TransportError) -> float:
        """Return the wait before retrying, or raise the typed connection error."""
        self.log(None, exc)
        self.attempt += 1
        # A request that failed to connect was never sent, so even a POST is safe to retry.
        unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        delay = self.policy.backoff(self.attempt)
        if not (self.idempotent or unsent) or not self._within_budget(delay):
            raise connection_error(exc, self.request) from exc
        self._announce(delay, None, exc)
        return delay

    def after_response(self, response: httpx.Response) -> float | None:
        """Return the wait before retrying, or ``None`` to hand the response back."""
        if response.status_code not in self.policy.statuses or not self.idempotent:
            return None
        self.attempt += 1
        delay = self.policy.server_delay(response)
        if delay is not None and delay > self.policy.max_retry_after:
            return None
        if delay is None:
            delay = self.policy.backoff(self.attempt)
        if not self._within_budget(delay):
            return None
        self._announce(delay, response.status_code, None)
        return delay

    def _announce(self, delay: float, status: int | None, error: Exception | None) -> None:
        cause = str(status) if status is not None else type(error).__name__
        logger.debug(
            "retrying %s %s after %s (attempt %d of %d) in %.2fs",
            self.request.method,
            self.request.url.path,
            cause,
            self.attempt,
            self.policy.max_retries + 1,
            delay,
        )
        if self.policy.on_retry is not None:
            self.policy.on_retry(RetryEvent(self.attempt, delay, self.request, status, error))


def buffered(response: httpx.Response, request: httpx.Request, body: bytes) -> httpx.Response:
    """``response`` with its body in memory (``body``, already read from it)."""
    return httpx.Response(
        response.status_code,
        headers=response.headers.raw,
        stream=httpx.ByteStream(body),
        request=request,
        extensions=response.extensions,
    )


def _read(response: httpx.Response, request: httpx.Request, attempts: _Attempts) -> httpx.Response:
    """The response with its body read whole, within the total budget.

    Read here rather than by httpx after the transport returns, so that a connection reset,
    truncated or stalled mid-body is an error of this attempt: retried when that is safe,
    a typed error otherwise (not a bare httpx error raised while the caller reads). A body
    that keeps trickling in, each piece within the read timeout, is cut at the budget.
    """
    if response.is_stream_consumed:  # already in memory (a mock transport's response)
        return response
    chunks: list[bytes] = []
    try:
        for chunk in response.iter_raw():
            chunks.append(chunk)
            if not attempts.remaining():
                raise attempts.over_budget()
    finally:
        response.close()
    return buffered(response, request, b"".join(chunks))


async def _aread(response: httpx.Response, request: httpx.Request) -> httpx.Response:
    """Async twin of :func:`_read` (the budget is enforced by the caller's cancel scope)."""
    if response.is_stream_consumed:
        return response
    try:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()
    return buffered(response, request, body)


class RetryTransport(httpx.BaseTransport):
    """Wrap a transport so that requests are retried under a :class:`RetryPolicy`."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self._sleep = sleep
        self._clock = clock

    def _wait(self, delay: float) -> None:
        (self._sleep or time.sleep)(delay)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the policy allows."""
        attempts = _Attempts(self.policy, request, self._clock)
        while True:
            attempts.attempt_start = self._clock()
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError as exc:
                self._wait(attempts.after_error(exc))
                continue
            attempts.log(response)
            delay = attempts.after_response(response)
            if delay is None:
                try:
                    return _read(response, request, attempts)
                except httpx.TransportError as exc:
                    self._wait(attempts.after_error(exc))
                    continue
            response.close()
            self._wait(delay)

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`RetryTransport`."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self._sleep = sleep
        self._clock = clock

    async def _wait(self, delay: float) -> None:
        if self._sleep is not None:
            result = self._sleep(delay)
            if hasattr(result, "__await__"):
                await result
            return
        import anyio  # httpx's own async dependency; imported here to keep import time low

        await anyio.sleep(delay)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying as the policy allows."""
        attempts = _Attempts(self.policy, request, self._clock)
        while True:
            attempts.attempt_start = self._clock()
            try:
                response, delay = await self._attempt(request, attempts)
            except httpx.TransportError as exc:
                await self._wait(attempts.after_error(exc))
                continue
            if delay is None:
                return response
            await response.aclose()
            await self._wait(delay)

    async def _attempt(
        self, request: httpx.Request, attempts: _Attempts
    ) -> tuple[httpx.Response, float | None]:
        """One attempt, cut at the end of the total budget.

        Returns the response (its body read, unless it is to be retried) and the wait before
        retrying (``None``: hand the response back).
        """
        import anyio

        try:
            with anyio.fail_after(attempts.remaining()):
                response = await self.inner.handle_async_request(request)
                attempts.log(response)
                delay = attempts.after_response(response)
                if delay is None:
                    response = await _aread(response, request)
                return response, delay
        except TimeoutError as exc:
            raise attempts.over_budget() from exc

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
