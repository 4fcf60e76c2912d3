"""A fast canned-response HTTP/1.1 server for `make bench` (run in its own process).

Keep-alive, no routing beyond the path, the same bytes for every request to a path: the
server should cost as little as possible so that client differences show. Started by
run.py with the bodies it should serve; prints its ports, then serves until killed.

One route is paginated: the Sync API (``"__sync__"`` in the routes file) answers
``init=true`` with its first page and ``pagination_token=<page N>`` with page N, each
with the same items; the last page carries a ``sync_token`` instead.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
from urllib.parse import parse_qs


class SyncPages:
    """Pages of the Sync API built on request from one item array (cheap, no state)."""

    def __init__(self, path: str, items: str, pages: int) -> None:
        self.path = path
        self.pages = pages
        self.head = b'{"items":' + items.encode() + b',"skip":'
        self.total = len(json.loads(items)) * pages

    def body(self, query: str) -> bytes | None:
        params = parse_qs(query)
        if params.get("init") == ["true"]:
            page = 0
        else:
            token = params.get("pagination_token", [""])[0]
            if not token.startswith("bench_page_"):
                return None
            page = int(token.removeprefix("bench_page_"))
        per_page = self.total // self.pages
        tail = (
            f'"pagination_token":"bench_page_{page + 1}"'
            if page + 1 < self.pages
            else '"sync_token":"bench_sync_token"'
        )
        return (
            self.head
            + f'{page * per_page},"limit":{per_page},"total_count":{self.total},{tail}}}'.encode()
        )


class _Protocol(asyncio.Protocol):
    def __init__(self, routes: dict[str, bytes], sync: SyncPages | None) -> None:
        self.routes = routes
        self.sync = sync
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
            path, _, query = target.partition("?")
            if self.sync is not None and path == self.sync.path:
                body = self.sync.body(query)
            else:
                body = self.routes.get(path)
            status = b"200 OK" if body is not None else b"404 Not Found"
            body = body if body is not None else b'{"error_message":"not found","error_code":404}'
            assert self.transport is not None
            self.transport.write(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )


async def _serve(routes: dict[str, bytes], sync: SyncPages | None, cert: str, key: str) -> None:
    loop = asyncio.get_running_loop()
    # A backlog for the 50 connections the concurrency cases open at once.
    plain = await loop.create_server(lambda: _Protocol(routes, sync), "127.0.0.1", 0, backlog=512)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = await loop.create_server(
        lambda: _Protocol(routes, sync), "127.0.0.1", 0, ssl=context, backlog=512
    )
    ports = [s.getsockname()[1] for s in (*plain.sockets, *tls.sockets)]
    print(json.dumps({"http": ports[0], "https": ports[1]}), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    routes_file, cert, key = sys.argv[1:4]
    with open(routes_file, encoding="utf-8") as f:
        spec = json.load(f)
    sync_spec = spec.pop("__sync__", None)
    sync = SyncPages(**sync_spec) if sync_spec else None
    routes = {path: body.encode() for path, body in spec.items()}
    asyncio.run(_serve(routes, sync, cert, key))


if __name__ == "__main__":
    main()
