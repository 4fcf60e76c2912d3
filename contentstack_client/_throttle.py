"""Client-side rate limiting for the Content Management API, per organization.

Contentstack limits CMA traffic per organization: 10 requests per second, and bulk actions
(every path under ``/v3/bulk/``) 1 request per second (research/api.md section 7, quoting the
Bulk Operations reference; research/management.md section 6). Going over gives HTTP 429, and
the retry policy never retries a 429 on a POST, so a client that creates entries fast must
not go over in the first place. This module paces requests before they are sent:

- :class:`RateLimit` is the configuration (rate and burst, normal and bulk), or ``off``.
- :class:`TokenBucket` is one thread- and async-safe token bucket on a monotonic clock.
- :class:`OrganizationBucket` holds an organization's normal and bulk buckets.
- :func:`bucket_for` returns the one :class:`OrganizationBucket` of an organization, so
  every client of that organization in the process draws from the same tokens.
- :class:`ThrottleTransport` / :class:`AsyncThrottleTransport` take a token before each
  request. They belong *inside* the retry transport
  (``RetryTransport(ThrottleTransport(inner, bucket), policy)``) so that every attempt,
  retries included, takes a token.

Design: the bucket is a virtual scheduler (GCRA, equivalent to a token bucket). Under a lock
held only for a little arithmetic, a caller reserves the next free send time and learns how
long to wait; it then sleeps *outside* the lock (``time.sleep`` in a thread, ``anyio.sleep``
in a task). Reservations are handed out in arrival order, so callers are served first come,
first served and none starves, and threads and event loops can share one bucket because
nobody ever waits on the lock for longer than that arithmetic.

Written here rather than taken from a library, because one bucket must serve threads and
event loops at once: aiolimiter is asyncio-only (its waiters are futures of one loop);
limits answers "allowed or not" without waiting, with separate sync and async storages;
pyrate-limiter would add a runtime dependency with its own clock, bucket and weight model,
rewritten between its major versions, for what is a few dozen lines here.
Limits are per process: workers in several processes each get the full rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Final

import attrs
import httpx

from ._retry import DEFAULT_RETRY

__all__ = [
    "BULK_PATH_PREFIX",
    "DEFAULT_RATE_LIMIT",
    "MAX_PAUSE",
    "BucketRegistry",
    "OrganizationBucket",
    "RateLimit",
    "RateLimitConflictError",
    "REGISTRY",
    "AsyncThrottleTransport",
    "ThrottleTransport",
    "TokenBucket",
    "bucket_for",
    "is_bulk_path",
]

Clock = Callable[[], float]
Sleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[object]]

BULK_PATH_PREFIX: Final = "/v3/bulk/"
"""Requests whose path contains this segment are bulk actions, limited separately."""

MAX_PAUSE: Final = 60.0
"""Longest pause a 429 response can impose on an organization's bucket, in seconds."""


def _positive_rate(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(
            f"RateLimit.{attribute.name} must be a positive, finite number of requests per "
            f"second, got {value!r} (use RateLimit.off() to switch throttling off)"
        )


def _positive_burst(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"RateLimit.{attribute.name} must be a whole number of requests >= 1, got {value!r}"
        )


@attrs.frozen
class RateLimit:
    """How fast the clients of one organization may call the CMA.

    The defaults are the documented limits: 10 requests per second, bulk actions 1 per
    second. A burst of 1 spaces requests evenly, which keeps every one-second window at or
    under the rate whichever way the server counts its windows; a larger burst lets that
    many requests go at once after a quiet spell, at the risk of a 429.
    """

    rate: float = attrs.field(default=10.0, validator=_positive_rate)
    """Requests per second for every CMA call (bulk actions included)."""
    burst: int = attrs.field(default=1, validator=_positive_burst)
    """Requests that may go back to back after an idle period."""
    bulk_rate: float = attrs.field(default=1.0, validator=_positive_rate)
    """Requests per second for bulk actions (paths under ``/v3/bulk/``)."""
    bulk_burst: int = attrs.field(default=1, validator=_positive_burst)
    """Bulk requests that may go back to back after an idle period."""
    enabled: bool = True
    """``False`` switches client-side throttling off (see :meth:`off`)."""

    @classmethod
    def off(cls) -> RateLimit:
        """A configuration that does not throttle at all."""
        return cls(enabled=False)


DEFAULT_RATE_LIMIT: Final = RateLimit()
"""The documented CMA limits: 10 requests/s, bulk 1 request/s, evenly spaced."""


class RateLimitConflictError(ValueError):
    """Two clients of one organization asked for different rate limits in one process."""


class TokenBucket:
    """A token bucket refilled at ``rate`` per second holding up to ``burst`` tokens.

    Safe to share between threads and event loops: callers reserve a send time under a lock
    that is never held while sleeping, and are served in the order they arrived.
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        async_sleep: AsyncSleep | None = None,
    ) -> None:
        # Reuse RateLimit's checks so that the errors read the same.
        RateLimit(rate=rate, burst=burst)
        self.rate: Final = float(rate)
        self.burst: Final = burst
        self._interval = 1.0 / self.rate
        # How far ahead of "now" the schedule may run before a caller has to wait.
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._lock = threading.Lock()
        # The theoretical arrival time (GCRA): when the bucket will be full again if nobody
        # else comes. A caller may go once TAT - tolerance <= now; starting at "now" means a
        # new bucket is full.
        self._tat = clock()

    def _reserve(self, max_wait: float | None = None) -> tuple[float, float] | None:
        """Take the next slot; return (wait, slot end), or ``None`` if it is too far off."""
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            wait = max(0.0, tat - self._tolerance - now)
            if max_wait is not None and wait > max_wait:
                return None
            self._tat = tat + self._interval
            return wait, self._tat

    def _give_back(self, slot_end: float) -> None:
        # A caller that gave up before its slot came returns it, but only when nobody has
        # queued behind it: moving later callers forward could let two go at once. A slot
        # that cannot be returned is lost, which only makes the bucket slower, never faster.
        with self._lock:
            if self._tat == slot_end:
                self._tat -= self._interval

    def wait_time(self) -> float:
        """Seconds until a token would be available, without taking one."""
        with self._lock:
            now = self._clock()
            return max(0.0, max(self._tat, now) - self._tolerance - now)

    def try_acquire(self) -> bool:
        """Take a token if one is available now; never waits."""
        return self._reserve(max_wait=0.0) is not None

    def acquire(self) -> float:
        """Take a token, sleeping in this thread until it is due; return the seconds waited."""
        reserved = self._reserve()
        assert reserved is not None
        wait, slot_end = reserved
        if wait > 0:
            try:
                (self._sleep or time.sleep)(wait)
            except BaseException:
                self._give_back(slot_end)
                raise
        return wait

    async def acquire_async(self) -> float:
        """Take a token, awaiting (without blocking the loop) until it is due; return the wait."""
        reserved = self._reserve()
        assert reserved is not None
        wait, slot_end = reserved
        if wait > 0:
            try:
                if self._async_sleep is not None:
                    await self._async_sleep(wait)
                else:
                    import anyio  # httpx's own async dependency: asyncio and trio alike

                    await anyio.sleep(wait)
            except BaseException:
                # Cancelled (a timeout, a closed client): the request will not be sent.
                self._give_back(slot_end)
                raise
        return wait

    def charge(self) -> None:
        """Take a token now without waiting, letting later callers wait for it instead."""
        with self._lock:
            self._tat = max(self._tat, self._clock()) + self._interval

    def pause(self, seconds: float) -> None:
        """Make every caller wait at least ``seconds`` from now (after a 429), capped at MAX_PAUSE."""
        seconds = min(max(0.0, seconds), MAX_PAUSE)
        with self._lock:
            # The next slot starts when the pause ends, with the bucket empty, so the calls
            # that queued up do not burst into a server that has just refused us.
            resume = self._clock() + seconds + self._tolerance
            self._tat = max(self._tat, resume)


def is_bulk_path(path: str) -> bool:
    """Whether a request path is a CMA bulk action (any path under ``/v3/bulk/``).

    Source: the Bulk Operations reference limits "bulk endpoints" to 1 request/second
    (research/endpoints.json, ``POST /v3/bulk/publish``), and every bulk operation lives under
    ``/v3/bulk/``: publish, unpublish, delete, workflow, release items and update_items, and
    the job status and job items reads. Matching the segment anywhere allows a custom host
    with a path prefix (a proxy). Other asynchronous jobs (taxonomy publish, branch merge,
    release deploy) have ordinary paths and take ordinary tokens.
    """
    return BULK_PATH_PREFIX in path or path.endswith(BULK_PATH_PREFIX[:-1])


class OrganizationBucket:
    """The tokens of one organization: a normal bucket for every request, a bulk one for bulk.

    A bulk action waits for its bulk token only, then is charged one normal token without
    waiting: it is still a CMA request, and the documentation does not say it is exempt from
    the 10 per second. Waiting for both in turn would be wrong either way round: bulk first
    lets two bulk requests go less than a second apart (the second normal wait delays the
    first send, not the second slot); normal first spends a normal slot idle during the
    bulk wait and sends outside it. The charge instead delays the normal calls that come
    after, so the normal rate holds over time, at worst one request over in the second of
    a bulk send.
    """

    def __init__(
        self,
        limit: RateLimit = DEFAULT_RATE_LIMIT,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        async_sleep: AsyncSleep | None = None,
    ) -> None:
        if not limit.enabled:
            raise ValueError("a disabled RateLimit has no bucket; pass None to the transport")
        self.limit: Final = limit
        self.normal: Final = TokenBucket(
            limit.rate, limit.burst, clock=clock, sleep=sleep, async_sleep=async_sleep
        )
        self.bulk: Final = TokenBucket(
            limit.bulk_rate, limit.bulk_burst, clock=clock, sleep=sleep, async_sleep=async_sleep
        )

    def acquire(self, bulk: bool = False) -> float:
        """Take the tokens a request needs, sleeping until they are due; return the seconds waited."""
        if not bulk:
            return self.normal.acquire()
        waited = self.bulk.acquire()
        self.normal.charge()
        return waited

    async def acquire_async(self, bulk: bool = False) -> float:
        """Async twin of :meth:`acquire`."""
        if not bulk:
            return await self.normal.acquire_async()
        waited = await self.bulk.acquire_async()
        self.normal.charge()
        return waited

    def pause(self, seconds: float, bulk: bool = False) -> None:
        """Hold back every client of the organization for ``seconds`` (the server said 429)."""
        (self.bulk if bulk else self.normal).pause(seconds)


class BucketRegistry:
    """Organization buckets of one process, so that all clients of an organization share one.

    Buckets are kept for the life of the registry, not weakly: with weak references a
    program that opens a short-lived client per job would get a fresh, full bucket every
    time, which is no limit at all. A bucket is a few numbers, and a process talks to few
    organizations.
    """

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        async_sleep: AsyncSleep | None = None,
    ) -> None:
        self._buckets: dict[str, OrganizationBucket] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep

    def bucket_for(
        self, organization_uid: str, limit: RateLimit | None = DEFAULT_RATE_LIMIT
    ) -> OrganizationBucket | None:
        """The organization's shared bucket, created with ``limit`` on first use.

        ``None`` or a disabled limit returns ``None`` (this client does not throttle; others
        of the organization still do). A different enabled limit for an organization that
        already has a bucket raises :class:`RateLimitConflictError`: silently keeping either
        one would break the other client's expectation.
        """
        if not isinstance(organization_uid, str) or not organization_uid:
            raise ValueError(
                f"organization_uid must be a non-empty string, got {organization_uid!r}"
            )
        if limit is None or not limit.enabled:
            return None
        with self._lock:
            bucket = self._buckets.get(organization_uid)
            if bucket is None:
                bucket = OrganizationBucket(
                    limit, clock=self._clock, sleep=self._sleep, async_sleep=self._async_sleep
                )
                self._buckets[organization_uid] = bucket
            elif bucket.limit != limit:
                raise RateLimitConflictError(
                    f"organization {organization_uid!r} is already throttled at {bucket.limit!r} "
                    f"in this process; a client asked for {limit!r}. Give every client of one "
                    "organization the same RateLimit, or call forget() first."
                )
            return bucket

    def forget(self, organization_uid: str) -> None:
        """Drop an organization's bucket so the next client may choose another limit.

        Clients that already hold the old bucket keep using it.
        """
        with self._lock:
            self._buckets.pop(organization_uid, None)

    def clear(self) -> None:
        """Drop every bucket (for tests and for reconfiguring a whole process)."""
        with self._lock:
            self._buckets.clear()


REGISTRY: Final = BucketRegistry()
"""The process-wide registry behind :func:`bucket_for`."""


def bucket_for(
    organization_uid: str, limit: RateLimit | None = DEFAULT_RATE_LIMIT
) -> OrganizationBucket | None:
    """The process-wide bucket of an organization (see :meth:`BucketRegistry.bucket_for`)."""
    return REGISTRY.bucket_for(organization_uid, limit)


def _server_pause(response: httpx.Response) -> float:
    # The same reading of Retry-After and X-RateLimit-* as the retry policy's.
    delay = DEFAULT_RETRY.server_delay(response)
    # Contentstack documents no Retry-After; one second is a window of its per-second limit.
    return 1.0 if delay is None else delay


class ThrottleTransport(httpx.BaseTransport):
    """Take a token from ``bucket`` before every request; ``None`` sends without waiting.

    Place it inside the retry transport so that every attempt takes a token. A 429 pauses
    the bucket for what the server asks (``Retry-After``, ``X-RateLimit-*``, else 1 s) so
    that the other clients of the organization hold back too.
    """

    def __init__(self, inner: httpx.BaseTransport, bucket: OrganizationBucket | None) -> None:
        self.inner = inner
        self.bucket = bucket

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a token, then send ``request`` through the wrapped transport."""
        if self.bucket is None:
            return self.inner.handle_request(request)
        bulk = is_bulk_path(request.url.path)
        self.bucket.acquire(bulk)
        response = self.inner.handle_request(request)
        if response.status_code == 429:
            self.bucket.pause(_server_pause(response), bulk)
        return response

    def close(self) -> None:
        """Close the wrapped transport."""
        self.inner.close()


class AsyncThrottleTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`ThrottleTransport`."""

    def __init__(self, inner: httpx.AsyncBaseTransport, bucket: OrganizationBucket | None) -> None:
        self.inner = inner
        self.bucket = bucket

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a token, then send ``request`` through the wrapped transport."""
        if self.bucket is None:
            return await self.inner.handle_async_request(request)
        bulk = is_bulk_path(request.url.path)
        await self.bucket.acquire_async(bulk)
        response = await self.inner.handle_async_request(request)
        if response.status_code == 429:
            self.bucket.pause(_server_pause(response), bulk)
        return response

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.inner.aclose()
