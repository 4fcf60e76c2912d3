"""Shared fixtures: recorded payloads, a request recorder, no real sleeping in retries."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def payloads_dir() -> Path:
    """``../shared/payloads`` beside the checkout (override with CONTENTSTACK_PAYLOADS)."""
    override = os.environ.get("CONTENTSTACK_PAYLOADS")
    path = Path(override) if override else ROOT.parent / "shared" / "payloads"
    if not path.is_dir():
        raise RuntimeError(f"recorded payloads not found at {path}; set CONTENTSTACK_PAYLOADS")
    return path


def load_payload(name: str) -> Any:
    return json.loads((payloads_dir() / name).read_text(encoding="utf-8"))


class Recorder:
    """An httpx transport answering from a handler and keeping every request it saw."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._handler = handler

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Record retry waits instead of sleeping (sync and async)."""
    waited: list[float] = []

    def fake_sleep(delay: float) -> None:
        waited.append(delay)

    async def fake_async_sleep(delay: float) -> None:
        waited.append(delay)

    monkeypatch.setattr("contentstack_client._retry.time.sleep", fake_sleep)
    monkeypatch.setattr("anyio.sleep", fake_async_sleep)
    yield waited


@pytest.fixture(autouse=True)
def _fresh_rate_limit_registry() -> Iterator[None]:
    """The process-wide throttle registry outlives clients; tests must not share its buckets."""
    from contentstack_client._throttle import REGISTRY

    REGISTRY.clear()
    yield
    REGISTRY.clear()
