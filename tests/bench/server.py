"""A fast canned-response HTTP/1.1 server for `make bench` (run in its own process).

Keep-alive, no routing beyond the path, the same bytes for every request to a path: the
server should cost as little as possible so that client differences show. Started by
run.py with the bodies it should serve; prints its ports, then serves until killed.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys


class _Protocol(asyncio.Protocol):
    def __init__(self, routes: dict[str, bytes]) -> None:
        self.routes = routes
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1]
            path = target.split(b"?", 1)[0].decode()
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


async def _serve(routes: dict[str, bytes], cert: str, key: str) -> None:
    loop = asyncio.get_running_loop()
    plain = await loop.create_server(lambda: _Protocol(routes), "127.0.0.1", 0)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = await loop.create_server(lambda: _Protocol(routes), "127.0.0.1", 0, ssl=context)
    ports = [s.getsockname()[1] for s in (*plain.sockets, *tls.sockets)]
    print(json.dumps({"http": ports[0], "https": ports[1]}), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    routes_file, cert, key = sys.argv[1:4]
    with open(routes_file, encoding="utf-8") as f:
        routes = {path: body.encode() for path, body in json.load(f).items()}
    asyncio.run(_serve(routes, cert, key))


if __name__ == "__main__":
    main()
