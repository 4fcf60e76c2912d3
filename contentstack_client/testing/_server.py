"""Serve an in-memory stack over real HTTP on a loopback address."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

if TYPE_CHECKING:
    from ._memory import InMemoryStack


class LoopbackServer:
    """An HTTP/1.1 server (keep-alive) answering from an :class:`InMemoryStack`.

    It starts at construction and stops on :meth:`close` or at the end of a ``with`` block.
    """

    def __init__(self, stack: InMemoryStack, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the testing kit only listens on loopback addresses")
        handler = _handler_for(stack)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="contentstack-kit", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """``http://host:port`` of the server, to pass as a client's ``host``."""
        host, port = self._server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _handler_for(stack: InMemoryStack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "contentstack-kit"

        def _answer(self) -> None:
            url = httpx.URL(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            length_header = headers.get("content-length") or "0"
            if "chunked" in headers.get("transfer-encoding", "").lower() or (
                not length_header.isdigit()
            ):
                # Clients send bodies with Content-Length; refusing beats misreading. The
                # unread body would poison the connection, so it is closed.
                self.close_connection = True
                self._send(411, {"error_message": "Send a valid Content-Length."})
                return
            length = int(length_header)
            body = self.rfile.read(length) if length > 0 else b""
            status, answer = stack.handle(self.command, url.path, url.params, headers, body)
            self._send(status, answer)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def _send(self, status: int, body: dict[str, object]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            # Keep test output clean; requests are visible through the client's logging.
            pass

    return Handler
