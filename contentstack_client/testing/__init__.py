"""The offline testing kit: an in-memory stack that speaks the Content Delivery API.

from contentstack_client.testing import InMemoryStack

kit = InMemoryStack.demo()                 # or InMemoryStack().load({...})
stack = kit.stack()                        # a Stack wired to it, no sockets
with kit.serve() as server:                # or a real server on 127.0.0.1
    stack = Stack(kit.api_key, kit.delivery_token, kit.environment, host=server.url)

In pytest, the fixtures ``contentstack_kit``, ``contentstack_stack``,
``contentstack_async_stack`` and ``contentstack_server`` come with the package; from a shell,
``python -m contentstack_client.testing`` serves the demo stack on 127.0.0.1.
"""

from ._errors import KitError
from ._memory import InMemoryStack
from ._server import LoopbackServer

__all__ = ["InMemoryStack", "KitError", "LoopbackServer"]
