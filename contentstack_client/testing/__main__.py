"""Serve an in-memory stack on 127.0.0.1: ``python -m contentstack_client.testing``.

Prints the URL and the credentials to use, then serves until interrupted (Ctrl+C or SIGTERM).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._memory import InMemoryStack


def main(argv: Sequence[str] | None = None) -> int:
    """Run the standalone server; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m contentstack_client.testing",
        description="Serve an offline Contentstack delivery stack on a loopback address.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        choices=["127.0.0.1", "localhost", "::1"],
        help="loopback address to listen on",
    )
    parser.add_argument(
        "--content", metavar="FILE", help="JSON content to serve (default: the demo blog)"
    )
    args = parser.parse_args(argv)
    kit = InMemoryStack.from_file(args.content) if args.content else InMemoryStack.demo()
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with kit.serve(args.host, args.port) as server:
        print(f"Contentstack testing kit serving on {server.url}", flush=True)
        print(f"  host            {server.url}")
        print(f"  api_key         {kit.api_key}")
        print(f"  delivery_token  {kit.delivery_token}")
        print(f"  preview_token   {kit.preview_token}")
        print(f"  environment     {kit.environment}")
        print(f"  management_token {kit.management_token}")
        print("Stop with Ctrl+C.", flush=True)
        # A timed wait keeps the main thread responsive to signals on every platform.
        while not stopped.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
