"""The offline testing kit: an in-memory stack that speaks the Content Delivery API.

It also answers the core of the Content Management API (login with 2FA, content types,
entries and versions, assets, environments, locales, publishing and bulk jobs) for requests
carrying ``authtoken`` or ``authorization``, so a publishing workflow can be tested end to
end: what management publishes to ``kit.environment`` is delivered and synced at once.

from contentstack_client.testing import InMemoryStack

kit = InMemoryStack.demo()                 # or InMemoryStack().load({...})
stack = kit.stack()                        # a Stack wired to it, no sockets
manage = kit.management_stack()            # a ManagementStack wired to it
with kit.serve() as server:                # or a real server on 127.0.0.1
    stack = Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url)

In pytest, the fixtures ``contentstack_kit``, ``contentstack_stack``,
``contentstack_async_stack``, ``contentstack_management_stack``,
``contentstack_async_management_stack`` and ``contentstack_server`` come with the package;
from a shell,
``python -m contentstack_client.testing`` serves the demo stack on 127.0.0.1.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._errors import KitError
    from ._memory import InMemoryStack
    from ._server import LoopbackServer

# Imported on first use: pytest imports this package for its plugin in every test run of a
# project that installs contentstack-client, used or not.
_EXPORTS = {"InMemoryStack": "._memory", "KitError": "._errors", "LoopbackServer": "._server"}

__all__ = ["InMemoryStack", "KitError", "LoopbackServer"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
