"""The kit as users meet it: pytest fixtures from the plugin, and the standalone server."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contentstack_client import AsyncStack, Stack
from contentstack_client.testing import InMemoryStack, LoopbackServer


def test_the_fixtures_are_registered(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.has_plugin("contentstack_client")


def test_stack_fixture(contentstack_stack: Stack, contentstack_kit: InMemoryStack) -> None:
    assert contentstack_stack.find_entries("author", include_count=True).count == 3
    # Each test gets a fresh kit: changes here do not leak into other tests.
    contentstack_kit.unpublish_entry("author", "blt_author_linus")
    assert contentstack_stack.find_entries("author", include_count=True).count == 2


def test_the_kit_is_fresh_per_test(contentstack_stack: Stack) -> None:
    assert contentstack_stack.find_entries("author", include_count=True).count == 3


async def test_async_stack_fixture(contentstack_async_stack: AsyncStack) -> None:
    page = await contentstack_async_stack.find_entries("blog_post", tags=["python"])
    assert [e.uid for e in page.entries] == ["blt_post_09", "blt_post_05", "blt_post_01"]


def test_server_fixture(
    contentstack_server: LoopbackServer, contentstack_kit: InMemoryStack
) -> None:
    with Stack(
        contentstack_kit.api_key,
        contentstack_kit.delivery_token,
        contentstack_kit.environment,
        host=contentstack_server.url,
    ) as stack:
        assert stack.fetch_entry("page", "blt_page_home").title == "Home"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _started(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``python -m contentstack_client.testing`` running, with the URL from its banner."""
    with subprocess.Popen(
        [sys.executable, "-m", "contentstack_client.testing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            assert banner.startswith("Contentstack testing kit serving on http://127.0.0.1:"), (
                banner
            )
            yield banner.split()[-1], process
        finally:
            process.terminate()
            process.communicate(timeout=10)


@pytest.fixture
def served() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with _started("--port", str(_free_port())) as running:
        yield running


def test_standalone_server_over_real_http(served: tuple[str, subprocess.Popen[str]]) -> None:
    url, _ = served
    kit = InMemoryStack()
    with Stack(kit.api_key, kit.delivery_token, kit.environment, host=url) as stack:
        assert stack.find_entries("blog_post", include_count=True).count == 12
    raw = httpx.get(
        f"{url}/v3/content_types/blog_post/entries",
        params={"query": json.dumps({"reading_minutes": {"$gt": 6}}), "only[BASE][]": "title"},
        headers={"api_key": kit.api_key, "access_token": kit.delivery_token},
    )
    assert raw.status_code == 200
    assert [e["uid"] for e in raw.json()["entries"]] == ["blt_post_10", "blt_post_05"]


def test_standalone_server_with_own_content(tmp_path: Path) -> None:
    content = {
        "content_types": [{"uid": "page", "title": "Page"}],
        "entries": {"page": [{"uid": "home", "title": "Home"}]},
    }
    path = tmp_path / "content.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with _started("--content", str(path)) as (url, process):
        kit = InMemoryStack()
        with Stack(kit.api_key, kit.delivery_token, kit.environment, host=url) as stack:
            assert [e.uid for e in stack.find_entries("page").entries] == ["home"]
        assert process.poll() is None
    # SIGTERM stops it cleanly.
    assert process.returncode == 0
