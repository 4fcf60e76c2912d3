"""A scriptable HTTP/1.1 fault server on 127.0.0.1, written on raw sockets.

Each request takes the next :class:`Reply` from a script (or, once the script is empty, the
answer of a handler), so a test can fail at the byte level: wait before the headers,
trickle the body, promise more bytes than it sends, reset the connection (``SO_LINGER`` 0)
mid-body, hang up on a kept-alive connection, or close it after some responses. One
thread per connection; every delay waits on the stop event, so stopping is immediate and
leaves no thread or socket behind.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

End = Literal["keep", "close", "reset"]

REASONS = {
    200: "OK",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Reply:
    """How the server answers one request."""

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    headers: Sequence[tuple[str, str]] = ()
    header_delay: float = 0.0
    """Seconds to wait before sending anything."""
    chunk_size: int | None = None
    """Send the body in pieces of this size (whole when ``None``)."""
    chunk_delay: float = 0.0
    """Seconds to wait before each piece."""
    content_length: int | None = None
    """Declared ``Content-Length`` (the body's length when ``None``)."""
    send_bytes: int | None = None
    """Send only this many body bytes, then end as ``end`` says."""
    end: End = "keep"
    """After the body: keep the connection, close it (FIN) or reset it (RST)."""
    hangup: End | None = None
    """Read the request, then close or reset without answering."""

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        """A JSON reply."""
        return cls(status=status, body=json.dumps(data).encode(), **kwargs)


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    connection: int
    """Index of the TCP connection it came on (from 0)."""


Handler = Callable[[Seen], Reply]


@dataclass
class FaultServer:
    """The server; use :func:`fault_server` to run one."""

    port: int = 0
    close_after: int | None = None
    """Close each connection (FIN, no ``Connection: close``) after this many responses."""
    handler: Handler | None = None
    """Answers requests once the script is empty (a plain ``{}`` 200 without one)."""
    requests: list[Seen] = field(default_factory=list)
    _script: list[Reply] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _sockets: list[socket.socket] = field(default_factory=list)
    _listener: socket.socket | None = None
    _connections: int = 0

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._script.extend(replies)

    def paths(self) -> list[str]:
        """Paths of the requests seen so far."""
        return [r.path for r in self.requests]

    def start(self) -> None:
        """Listen on ``port`` (a free one when 0) and accept in a thread."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._spawn(self._accept_loop)

    def stop(self) -> None:
        """Stop accepting, cut every connection and join every thread."""
        self._stop.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=5)
        leaked = [t for t in self._threads if t.is_alive()]
        assert not leaked, f"fault server threads did not stop: {leaked}"
        if self._listener is not None:
            self._listener.close()
        for sock in sockets:
            sock.close()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="fault-server")
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._sockets.append(conn)
                index = self._connections
                self._connections += 1
            self._spawn(self._serve, conn, index)

    def _serve(self, conn: socket.socket, index: int) -> None:
        buffer = b""
        answered = 0
        try:
            while not self._stop.is_set():
                request, buffer = _read_request(conn, buffer, index)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                    reply = self._script.pop(0) if self._script else None
                if reply is None:
                    reply = self.handler(request) if self.handler else Reply()
                if not self._answer(conn, reply):
                    return
                answered += 1
                if self.close_after is not None and answered >= self.close_after:
                    return
        except OSError:
            return
        finally:
            with suppress(OSError):
                conn.close()

    def _answer(self, conn: socket.socket, reply: Reply) -> bool:
        """Send ``reply``; False when the connection must not be used again."""
        if reply.hangup is not None:
            if reply.hangup == "reset":
                _reset(conn)
            return False
        if reply.header_delay and self._stop.wait(reply.header_delay):
            return False
        length = len(reply.body) if reply.content_length is None else reply.content_length
        reason = REASONS.get(reply.status, "Status")
        head = [
            f"HTTP/1.1 {reply.status} {reason}",
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {length}",
            *(f"{name}: {value}" for name, value in reply.headers),
        ]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        body = reply.body if reply.send_bytes is None else reply.body[: reply.send_bytes]
        size = reply.chunk_size or max(len(body), 1)
        for start in range(0, len(body), size):
            if reply.chunk_delay and self._stop.wait(reply.chunk_delay):
                return False
            conn.sendall(body[start : start + size])
        if reply.end == "reset":
            # Let the client read what was sent, then abort: the next read sees ECONNRESET.
            self._stop.wait(0.05)
            _reset(conn)
            return False
        return reply.end == "keep"


def _reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _read_request(conn: socket.socket, buffer: bytes, index: int) -> tuple[Seen | None, bytes]:
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    body, rest = rest[:length], rest[length:]
    url = urlsplit(target)
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    return Seen(method, url.path, query, headers, body, index), rest


def free_port() -> int:
    """A port nothing listens on (free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def fault_server(
    *replies: Reply,
    handler: Handler | None = None,
    close_after: int | None = None,
    port: int = 0,
) -> Iterator[FaultServer]:
    """Run a :class:`FaultServer` for the ``with`` block."""
    server = FaultServer(port=port, close_after=close_after, handler=handler)
    server.script(*replies)
    server.start()
    try:
        yield server
    finally:
        server.stop()
