"""pytest fixtures for the offline testing kit, registered through the ``pytest11`` entry point.

Installing contentstack-client makes these fixtures available in every test suite::

    def test_lists_posts(contentstack_stack):
        assert contentstack_stack.find_entries("blog_post").entries

``contentstack_management_stack`` and ``contentstack_async_management_stack`` manage the same
kit with its management token, so a test can publish and then read what was published.
Override ``contentstack_kit`` in a ``conftest.py`` to serve your own content; the other
fixtures build on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .._delivery import AsyncStack, Stack
    from .._management import AsyncManagementStack, ManagementStack
    from ._memory import InMemoryStack
    from ._server import LoopbackServer

# pytest loads this plugin in every test run of every project that installs the package:
# the kit (httpx, the models, the demo content) is imported only when a fixture is used.


@pytest.fixture
def contentstack_kit() -> InMemoryStack:
    """A fresh in-memory stack seeded with the bundled demo content (one per test)."""
    from ._memory import InMemoryStack

    return InMemoryStack.demo()


@pytest.fixture
def contentstack_stack(contentstack_kit: InMemoryStack) -> Iterator[Stack]:
    """A :class:`~contentstack_client.Stack` answering from ``contentstack_kit``, closed after the test."""
    with contentstack_kit.stack() as stack:
        yield stack


@pytest.fixture
def contentstack_async_stack(contentstack_kit: InMemoryStack) -> Iterator[AsyncStack]:
    """An :class:`~contentstack_client.AsyncStack` answering from ``contentstack_kit``.

    A plain fixture, so it works without an async pytest plugin; the client is closed after
    the test (closing it yourself with ``async with`` is fine too).
    """
    stack = contentstack_kit.async_stack()
    yield stack
    _close_without_loop(stack)


@pytest.fixture
def contentstack_management_stack(contentstack_kit: InMemoryStack) -> Iterator[ManagementStack]:
    """A :class:`~contentstack_client.ManagementStack` for ``contentstack_kit`` (management token)."""
    with contentstack_kit.management_stack() as stack:
        yield stack


@pytest.fixture
def contentstack_async_management_stack(
    contentstack_kit: InMemoryStack,
) -> Iterator[AsyncManagementStack]:
    """An :class:`~contentstack_client.AsyncManagementStack` for ``contentstack_kit``.

    A plain fixture like ``contentstack_async_stack``, closed after the test.
    """
    stack = contentstack_kit.async_management_stack()
    yield stack
    _close_without_loop(stack)


@pytest.fixture
def contentstack_server(contentstack_kit: InMemoryStack) -> Iterator[LoopbackServer]:
    """``contentstack_kit`` served over HTTP on 127.0.0.1 (a free port); ``.url`` is the host."""
    with contentstack_kit.serve() as server:
        yield server


def _close_without_loop(stack: AsyncStack | AsyncManagementStack) -> None:
    # A plain fixture has no running loop at teardown; the kit's transport holds no
    # sockets, so closing on a fresh loop is safe.
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(stack.aclose())
