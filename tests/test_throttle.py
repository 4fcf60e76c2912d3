"""Client-side CMA rate limiting: configuration, the token bucket, the registry, transports.

Timing is checked on an injected fake clock wherever possible; the real-clock tests use a
fast bucket (200/s) and assert only what the schedule guarantees whatever the machine's
load: the k-th acquisition cannot finish before its slot, and none is lost.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from contentstack_client._retry import RetryPolicy, RetryTransport
from contentstack_client._throttle import (
    DEFAULT_RATE_LIMIT,
    MAX_PAUSE,
    REGISTRY,
    AsyncThrottleTransport,
    BucketRegistry,
    OrganizationBucket,
    RateLimit,
    RateLimitConflictError,
    ThrottleTransport,
    TokenBucket,
    bucket_for,
    is_bulk_path,
)

BASE = "https://api.contentstack.io"
EPS = 1e-9


class FakeClock:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        # No real await: the caller goes on at its slot time, as a real sleeper would.
        self.sleep(seconds)


def fake_bucket(limit: RateLimit = DEFAULT_RATE_LIMIT) -> tuple[OrganizationBucket, FakeClock]:
    clock = FakeClock()
    bucket = OrganizationBucket(
        limit, clock=clock, sleep=clock.sleep, async_sleep=clock.async_sleep
    )
    return bucket, clock


def max_in_window(times: list[float], window: float) -> int:
    """The most events that fall in any half-open window [t, t + window)."""
    times = sorted(times)
    best = 0
    for i, start in enumerate(times):
        count = sum(1 for t in times[i:] if t < start + window - EPS)
        best = max(best, count)
    return best


def assert_schedule_respected(times: list[float], t0: float, rate: float, burst: int) -> None:
    """The k-th acquisition (from 0) cannot complete before t0 + (k - burst + 1) / rate."""
    for k, finished in enumerate(sorted(times)):
        earliest = t0 + max(0, k - burst + 1) / rate
        assert finished >= earliest - 1e-3, (k, finished - t0, earliest - t0)


# --- configuration -----------------------------------------------------------------------


def test_defaults_are_the_documented_cma_limits() -> None:
    limit = RateLimit()
    assert (limit.rate, limit.burst, limit.bulk_rate, limit.bulk_burst) == (10.0, 1, 1.0, 1)
    assert limit.enabled
    assert limit == DEFAULT_RATE_LIMIT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rate", 0),
        ("rate", -1.0),
        ("rate", math.nan),
        ("rate", math.inf),
        ("rate", "10"),
        ("rate", True),
        ("bulk_rate", 0.0),
        ("burst", 0),
        ("burst", 1.5),
        ("burst", True),
        ("bulk_burst", -2),
    ],
)
def test_invalid_limits_are_refused_with_a_clear_error(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"RateLimit\.{field} must be"):
        RateLimit(**{field: value})  # type: ignore[arg-type]


def test_fractional_rates_are_allowed() -> None:
    assert RateLimit(rate=0.5, bulk_rate=0.25).bulk_rate == 0.25


def test_off_switches_throttling_off() -> None:
    off = RateLimit.off()
    assert not off.enabled
    assert bucket_for("org-off", off) is None
    assert bucket_for("org-off", None) is None
    with pytest.raises(ValueError, match="disabled"):
        OrganizationBucket(off)


@pytest.mark.parametrize(
    "path",
    [
        "/v3/bulk/publish",
        "/v3/bulk/unpublish",
        "/v3/bulk/delete",
        "/v3/bulk/workflow",
        "/v3/bulk/release/items",
        "/v3/bulk/release/update_items",
        "/v3/bulk/jobs/blt123",
        "/v3/bulk/jobs/blt123/items",
        "/proxy/contentstack/v3/bulk/publish",
    ],
)
def test_bulk_paths(path: str) -> None:
    assert is_bulk_path(path)


@pytest.mark.parametrize(
    "path",
    ["/v3/content_types/blog/entries", "/v3/bulkish", "/v3/releases/x/items", "/v3/stacks"],
)
def test_non_bulk_paths(path: str) -> None:
    assert not is_bulk_path(path)


# --- the token bucket on a fake clock ----------------------------------------------------


@pytest.mark.parametrize(("rate", "burst", "extra"), [(10.0, 1, 20), (10.0, 5, 20), (2.5, 3, 7)])
def test_burst_then_rate(rate: float, burst: int, extra: int) -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate, burst, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(burst + extra):
        bucket.acquire()
        times.append(clock.now)
    # burst requests go at once, then one every 1/rate: burst + N take N/rate.
    assert times[:burst] == [0.0] * burst
    assert clock.now == pytest.approx(extra / rate)
    assert max_in_window(times, 1.0) <= burst + math.ceil(rate) - 1


def test_an_idle_bucket_refills_up_to_burst_only() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, 3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        bucket.acquire()
    clock.now += 60.0  # a long quiet spell
    waits = [bucket.acquire() for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, pytest.approx(0.1), pytest.approx(0.1)]


def test_try_acquire_and_wait_time_do_not_sleep() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4.0, 2, clock=clock, sleep=clock.sleep)
    assert bucket.wait_time() == 0.0
    assert bucket.try_acquire()
    assert bucket.try_acquire()
    assert not bucket.try_acquire()
    assert bucket.wait_time() == pytest.approx(0.25)
    clock.now += 0.25
    assert bucket.try_acquire()
    assert clock.sleeps == []


def test_callers_are_served_first_come_first_served() -> None:
    # Sleeps are recorded without moving the clock: every caller arrives at t=0 and is told
    # at once how long to wait. Each waits exactly its place in the queue, so nobody can
    # overtake (or starve) anybody, and nobody polls.
    clock = FakeClock()
    waits: list[float] = []
    bucket = TokenBucket(10.0, 2, clock=clock, sleep=waits.append)
    returned = [bucket.acquire() for _ in range(6)]
    assert returned == pytest.approx([0.0, 0.0, 0.1, 0.2, 0.3, 0.4])
    assert waits == pytest.approx([0.1, 0.2, 0.3, 0.4])


async def test_a_cancelled_wait_gives_its_slot_back_when_last() -> None:
    clock = FakeClock()
    forever = asyncio.Event()

    async def wait_forever(seconds: float) -> None:
        await forever.wait()

    bucket = TokenBucket(10.0, 1, clock=clock, async_sleep=wait_forever)
    await bucket.acquire_async()  # immediate
    task = asyncio.create_task(bucket.acquire_async())
    await asyncio.sleep(0)
    assert bucket.wait_time() == pytest.approx(0.2)  # the task holds the slot at 0.1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert bucket.wait_time() == pytest.approx(0.1)


async def test_a_cancelled_wait_with_callers_behind_it_keeps_the_schedule() -> None:
    clock = FakeClock()
    forever = asyncio.Event()

    async def wait_forever(seconds: float) -> None:
        await forever.wait()

    bucket = TokenBucket(10.0, 1, clock=clock, async_sleep=wait_forever)
    await bucket.acquire_async()
    first = asyncio.create_task(bucket.acquire_async())
    second = asyncio.create_task(bucket.acquire_async())
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    # Moving `second` forward could put two requests in one slot; the hole stays.
    assert bucket.wait_time() == pytest.approx(0.3)
    second.cancel()
    with pytest.raises(asyncio.CancelledError):
        await second


def test_an_interrupted_sync_wait_gives_its_slot_back() -> None:
    clock = FakeClock()

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    bucket = TokenBucket(10.0, 1, clock=clock, sleep=interrupted)
    bucket.acquire()
    with pytest.raises(KeyboardInterrupt):
        bucket.acquire()
    assert bucket.wait_time() == pytest.approx(0.1)


def test_pause_holds_everyone_back_then_resumes_without_a_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10.0, 5, clock=clock, sleep=clock.sleep)
    bucket.pause(3.0)
    assert bucket.wait_time() == pytest.approx(3.0)
    times = []
    for _ in range(3):
        bucket.acquire()
        times.append(clock.now)
    assert times == pytest.approx([3.0, 3.1, 3.2])
    bucket.pause(10_000.0)
    assert bucket.wait_time() == pytest.approx(MAX_PAUSE)


# --- the organization bucket: normal and bulk ----------------------------------------------


def test_bulk_requests_are_limited_to_one_per_second() -> None:
    bucket, clock = fake_bucket()
    times = []
    for _ in range(4):
        bucket.acquire(bulk=True)
        times.append(clock.now)
    assert times == pytest.approx([0.0, 1.0, 2.0, 3.0])


def test_bulk_requests_do_not_hold_up_normal_ones() -> None:
    bucket, clock = fake_bucket()
    bucket.acquire(bulk=True)  # takes the bulk token and one normal token
    times = []
    for _ in range(5):
        bucket.acquire()
        times.append(clock.now)
    # Normal calls go on at 10/s; they are not stuck behind the bulk bucket's 1 s.
    assert times == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
    assert bucket.bulk.wait_time() == pytest.approx(0.5)


def test_a_bulk_request_is_charged_a_normal_token_without_waiting_for_it() -> None:
    bucket, clock = fake_bucket()
    for _ in range(3):
        bucket.acquire()  # normal backlog: the next normal slot is at 0.3
    assert clock.now == pytest.approx(0.2)
    assert bucket.acquire(bulk=True) == 0.0  # the bulk slot is free: sent at once
    assert clock.now == pytest.approx(0.2)
    # The normal calls after it pay for it: the next one goes at 0.4, not 0.3.
    assert bucket.normal.wait_time() == pytest.approx(0.2)


def test_bulk_rate_is_configurable() -> None:
    bucket, clock = fake_bucket(RateLimit(bulk_rate=4.0, bulk_burst=2))
    for _ in range(6):
        bucket.acquire(bulk=True)
    assert clock.now == pytest.approx(4 / 4.0)


# --- the registry --------------------------------------------------------------------------


def test_clients_of_one_organization_share_one_bucket() -> None:
    registry = BucketRegistry()
    first = registry.bucket_for("org-a", RateLimit())
    second = registry.bucket_for("org-a", RateLimit())  # equal config, another object
    assert first is not None
    assert first is second


def test_organizations_are_isolated() -> None:
    clock = FakeClock()
    registry = BucketRegistry(clock=clock, sleep=clock.sleep)
    a = registry.bucket_for("org-a")
    b = registry.bucket_for("org-b")
    assert a is not None and b is not None and a is not b
    for _ in range(5):
        a.acquire()
    assert b.normal.wait_time() == 0.0
    assert a.normal.wait_time() == pytest.approx(0.1)


def test_shared_bucket_paces_two_clients_together() -> None:
    clock = FakeClock()
    registry = BucketRegistry(clock=clock, sleep=clock.sleep)
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(clock.now)
        return httpx.Response(200, json={})

    clients = [
        httpx.Client(
            base_url=BASE,
            transport=ThrottleTransport(httpx.MockTransport(handler), registry.bucket_for("org")),
        )
        for _ in range(2)
    ]
    for i in range(20):
        clients[i % 2].get("/v3/content_types")
    # 20 requests from two clients at 10/s in total, not 10/s each.
    assert clock.now == pytest.approx(1.9)
    assert max_in_window(sent, 1.0) == 10


def test_a_different_limit_for_the_same_organization_is_refused() -> None:
    registry = BucketRegistry()
    registry.bucket_for("org-a", RateLimit(rate=5.0))
    with pytest.raises(RateLimitConflictError, match=r"org-a.*already throttled"):
        registry.bucket_for("org-a", RateLimit(rate=8.0))
    # Another organization may have its own limit.
    assert registry.bucket_for("org-b", RateLimit(rate=8.0)) is not None


def test_a_client_switched_off_neither_registers_nor_conflicts() -> None:
    registry = BucketRegistry()
    assert registry.bucket_for("org-a", RateLimit.off()) is None
    bucket = registry.bucket_for("org-a", RateLimit(rate=3.0))
    assert bucket is not None and bucket.limit.rate == 3.0
    assert registry.bucket_for("org-a", None) is None


def test_forget_and_clear_allow_a_new_limit() -> None:
    registry = BucketRegistry()
    old = registry.bucket_for("org-a", RateLimit(rate=5.0))
    registry.forget("org-a")
    new = registry.bucket_for("org-a", RateLimit(rate=8.0))
    assert new is not None and new is not old and new.limit.rate == 8.0
    registry.clear()
    assert registry.bucket_for("org-a", RateLimit(rate=2.0)) is not None


@pytest.mark.parametrize("uid", ["", None, 42])
def test_organization_uid_must_be_a_non_empty_string(uid: object) -> None:
    with pytest.raises(ValueError, match="organization_uid"):
        BucketRegistry().bucket_for(uid)  # type: ignore[arg-type]


def test_module_level_bucket_for_is_process_wide() -> None:
    try:
        assert bucket_for("org-process-wide") is bucket_for("org-process-wide")
        assert REGISTRY.bucket_for("org-process-wide") is bucket_for("org-process-wide")
    finally:
        REGISTRY.forget("org-process-wide")


def test_registry_hands_out_one_bucket_under_contention() -> None:
    registry = BucketRegistry()
    seen: list[OrganizationBucket | None] = []
    barrier = threading.Barrier(16)

    def get() -> None:
        barrier.wait()
        seen.append(registry.bucket_for("org-race"))

    threads = [threading.Thread(target=get) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 16
    assert len({id(b) for b in seen}) == 1


# --- real concurrency ----------------------------------------------------------------------

RATE = 200.0


def test_threads_share_a_bucket_without_exceeding_it_or_losing_a_token() -> None:
    bucket = TokenBucket(RATE, 1)
    done: list[float] = []
    per_thread: list[int] = []
    lock = threading.Lock()
    t0 = time.monotonic()

    def work() -> None:
        mine = 0
        for _ in range(20):
            bucket.acquire()
            with lock:
                done.append(time.monotonic())
            mine += 1
        with lock:
            per_thread.append(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    elapsed = time.monotonic() - t0
    assert len(done) == 160 and per_thread == [20] * 8
    assert elapsed >= 159 / RATE - 1e-3
    assert elapsed < 159 / RATE + 2.0  # nobody was left waiting
    assert_schedule_respected(done, t0, RATE, 1)


async def test_tasks_share_a_bucket_without_exceeding_it_or_losing_a_token() -> None:
    bucket = TokenBucket(RATE, 5)
    done: list[float] = []
    t0 = time.monotonic()

    async def work() -> None:
        for _ in range(2):
            await bucket.acquire_async()
            done.append(time.monotonic())

    await asyncio.gather(*(work() for _ in range(50)))
    elapsed = time.monotonic() - t0
    assert len(done) == 100
    assert elapsed >= 95 / RATE - 1e-3
    assert elapsed < 95 / RATE + 2.0
    assert_schedule_respected(done, t0, RATE, 5)


async def test_threads_and_event_loops_share_one_bucket() -> None:
    bucket = TokenBucket(RATE, 1)
    done: list[float] = []
    lock = threading.Lock()

    def record() -> None:
        with lock:
            done.append(time.monotonic())

    def sync_worker() -> None:
        for _ in range(15):
            bucket.acquire()
            record()

    async def async_worker() -> None:
        for _ in range(2):
            await bucket.acquire_async()
            record()

    def loop_in_thread() -> None:
        async def main() -> None:
            await asyncio.gather(*(async_worker() for _ in range(5)))

        asyncio.run(main())

    # The loop running this test must stay responsive while the bucket is contended.
    gaps: list[float] = []
    stop = False

    async def heartbeat() -> None:
        last = time.monotonic()
        while not stop:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    t0 = time.monotonic()
    threads = [threading.Thread(target=sync_worker) for _ in range(2)]
    threads += [threading.Thread(target=loop_in_thread) for _ in range(2)]
    beat = asyncio.create_task(heartbeat())
    for t in threads:
        t.start()
    await asyncio.gather(*(async_worker() for _ in range(10)))
    for t in threads:
        await asyncio.to_thread(t.join, 10)
    stop = True
    await beat
    total = 2 * 15 + 2 * 5 * 2 + 10 * 2
    assert len(done) == total
    assert time.monotonic() - t0 >= (total - 1) / RATE - 1e-3
    assert_schedule_respected(done, t0, RATE, 1)
    assert max(gaps) < 0.25


# --- through the transports ----------------------------------------------------------------


def recording_handler(
    clock: FakeClock, status: Callable[[httpx.Request], int] = lambda r: 200
) -> tuple[Callable[[httpx.Request], httpx.Response], list[tuple[float, str]]]:
    sent: list[tuple[float, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((clock.now, request.url.path))
        code = status(request)
        headers = {"retry-after": "3"} if code == 429 else {}
        return httpx.Response(code, json={}, headers=headers)

    return handler, sent


PATHS = ["/v3/content_types/blog/entries"] * 3 + ["/v3/bulk/publish"]


def test_sync_transport_paces_requests_per_window() -> None:
    bucket, clock = fake_bucket()
    handler, sent = recording_handler(clock)
    transport = ThrottleTransport(httpx.MockTransport(handler), bucket)
    with httpx.Client(base_url=BASE, transport=transport) as client:
        for i in range(40):
            client.post(PATHS[i % 4])
    normal = [t for t, _ in sent]
    bulk = [t for t, p in sent if p.startswith("/v3/bulk/")]
    assert len(sent) == 40
    assert max_in_window(normal, 1.0) <= 10
    assert max_in_window(bulk, 1.0) == 1
    # Every fourth request is bulk: the first after three normal ones (0, 0.1, 0.2), then
    # one a second.
    assert bulk == pytest.approx([0.2 + i for i in range(10)])


async def test_async_transport_paces_requests_per_window() -> None:
    bucket, clock = fake_bucket()
    handler, sent = recording_handler(clock)
    transport = AsyncThrottleTransport(httpx.MockTransport(handler), bucket)
    async with httpx.AsyncClient(base_url=BASE, transport=transport) as client:
        await asyncio.gather(*(client.post(PATHS[i % 4]) for i in range(40)))
    normal = [t for t, _ in sent]
    bulk = [t for t, p in sent if p.startswith("/v3/bulk/")]
    assert len(sent) == 40
    assert max_in_window(normal, 1.0) <= 10
    assert max_in_window(bulk, 1.0) == 1


def test_sync_transport_without_a_bucket_does_not_wait() -> None:
    clock = FakeClock()
    handler, sent = recording_handler(clock)
    transport = ThrottleTransport(httpx.MockTransport(handler), bucket_for("org", None))
    with httpx.Client(base_url=BASE, transport=transport) as client:
        for _ in range(50):
            client.post("/v3/bulk/publish")
    assert len(sent) == 50 and clock.sleeps == []


async def test_async_transport_without_a_bucket_does_not_wait() -> None:
    clock = FakeClock()
    handler, sent = recording_handler(clock)
    transport = AsyncThrottleTransport(
        httpx.MockTransport(handler), bucket_for("org", RateLimit.off())
    )
    async with httpx.AsyncClient(base_url=BASE, transport=transport) as client:
        for _ in range(50):
            await client.get("/v3/content_types")
    assert len(sent) == 50 and clock.sleeps == []


def test_a_429_pauses_every_client_of_the_organization() -> None:
    bucket, clock = fake_bucket()
    calls = 0

    def status(request: httpx.Request) -> int:
        nonlocal calls
        calls += 1
        return 429 if calls == 1 else 200

    handler, sent = recording_handler(clock, status)
    one = httpx.Client(
        base_url=BASE, transport=ThrottleTransport(httpx.MockTransport(handler), bucket)
    )
    two = httpx.Client(
        base_url=BASE, transport=ThrottleTransport(httpx.MockTransport(handler), bucket)
    )
    assert one.get("/v3/content_types").status_code == 429
    assert two.get("/v3/content_types").status_code == 200
    assert [t for t, _ in sent] == pytest.approx([0.0, 3.0])  # Retry-After: 3


async def test_async_429_pauses_the_bucket() -> None:
    bucket, clock = fake_bucket()
    handler, sent = recording_handler(clock, lambda r: 429 if not clock.sleeps else 200)
    transport = AsyncThrottleTransport(httpx.MockTransport(handler), bucket)
    async with httpx.AsyncClient(base_url=BASE, transport=transport) as client:
        await client.get("/v3/content_types")
        await client.get("/v3/content_types")
    assert [t for t, _ in sent] == pytest.approx([0.0, 3.0])


def test_inside_the_retry_transport_every_attempt_takes_a_token() -> None:
    bucket, clock = fake_bucket(RateLimit(rate=2.0))
    statuses = iter([503, 503, 200])
    handler, sent = recording_handler(clock, lambda r: next(statuses))
    retry = RetryTransport(
        ThrottleTransport(httpx.MockTransport(handler), bucket),
        RetryPolicy(max_retries=3, backoff_initial=0.0),
        sleep=clock.sleep,
        clock=clock,
    )
    with httpx.Client(base_url=BASE, transport=retry) as client:
        assert client.get("/v3/content_types").status_code == 200
    # Three attempts, each waiting for its own token at 2/s.
    assert [t for t, _ in sent] == pytest.approx([0.0, 0.5, 1.0])


def test_transports_close_what_they_wrap() -> None:
    closed: list[str] = []

    class Inner(httpx.MockTransport):
        def close(self) -> None:
            closed.append("sync")

    ThrottleTransport(Inner(lambda r: httpx.Response(200)), None).close()
    assert closed == ["sync"]


async def test_async_transport_closes_what_it_wraps() -> None:
    closed: list[str] = []

    class Inner(httpx.MockTransport):
        async def aclose(self) -> None:
            closed.append("async")

    await AsyncThrottleTransport(Inner(lambda r: httpx.Response(200)), None).aclose()
    assert closed == ["async"]


def test_a_429_on_a_bulk_path_pauses_only_bulk_actions() -> None:
    bucket, clock = fake_bucket()
    handler, sent = recording_handler(clock, lambda r: 429 if len(sent) == 1 else 200)
    with httpx.Client(
        base_url=BASE, transport=ThrottleTransport(httpx.MockTransport(handler), bucket)
    ) as client:
        client.post("/v3/bulk/publish")
        client.get("/v3/content_types")
        client.post("/v3/bulk/publish")
    assert sent == [
        (0.0, "/v3/bulk/publish"),
        (pytest.approx(0.1), "/v3/content_types"),
        (pytest.approx(3.0), "/v3/bulk/publish"),
    ]
