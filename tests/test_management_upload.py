"""A 50 MB asset upload is streamed: the client's traced memory stays bounded.

A tiny HTTP server runs in a subprocess (so its own buffers are not traced): it reads the
request body in chunks without keeping it, checks the multipart structure minimally
(boundary, an ``asset[upload]`` part carrying the file name, the ``asset[title]`` field),
counts the file part's bytes and hashes them incrementally, writes what it saw as one JSON
line to a report file, and answers 201 like the CMA does.

The client side runs under ``tracemalloc``; the peak of Python allocations during the upload
must stay under ``PEAK_LIMIT``, far below the file's size. A warm-up upload of a tiny file
comes first so that modules imported lazily on first use are not counted as upload memory.
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from contentstack_client import AsyncManagementStack, ManagementStack

T = TypeVar("T")

FILE_SIZE = 50 * 1024 * 1024
PEAK_LIMIT = 8 * 1024 * 1024

SERVER = r'''
import hashlib, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPORT = sys.argv[1]
CHUNK = 256 * 1024


def body_chunks(handler):
    """The request body in chunks (Content-Length or chunked), never kept whole."""
    length = handler.headers.get("Content-Length")
    if length is not None:
        left = int(length)
        while left:
            chunk = handler.rfile.read(min(CHUNK, left))
            if not chunk:
                raise ValueError("body ended early")
            left -= len(chunk)
            yield chunk
        return
    if handler.headers.get("Transfer-Encoding", "").lower() != "chunked":
        raise ValueError("neither Content-Length nor chunked")
    while True:
        size = int(handler.rfile.readline().split(b";")[0], 16)
        if size == 0:
            while handler.rfile.readline() not in (b"\r\n", b""):
                pass
            return
        left = size
        while left:
            chunk = handler.rfile.read(min(CHUNK, left))
            left -= len(chunk)
            yield chunk
        handler.rfile.readline()


class Part:
    def __init__(self, raw_headers):
        self.headers = raw_headers.decode("utf-8", "replace")
        disposition = ""
        for line in self.headers.split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                disposition = line
        self.name = self._param(disposition, "name")
        self.filename = self._param(disposition, "filename")
        self.size = 0
        self.sha = hashlib.sha256()
        self.head = b""

    @staticmethod
    def _param(line, key):
        marker = "; " + key + '="'
        at = line.find(marker)
        if at < 0:
            return None
        start = at + len(marker)
        return line[start:line.index('"', start)]

    def feed(self, data):
        self.size += len(data)
        self.sha.update(data)
        if len(self.head) < 256:
            self.head += data[: 256 - len(self.head)]


def scan(chunks, boundary):
    """Split a multipart stream into parts, holding at most one chunk plus a delimiter."""
    delimiter = b"\r\n--" + boundary
    buf = b"\r\n"  # the first delimiter has no CRLF before it
    state, part, parts, closed, total = "preamble", None, [], False, 0
    stream = iter(chunks)
    while True:
        progressed = False
        if state == "preamble":
            at = buf.find(delimiter)
            if at >= 0:
                buf, state, progressed = buf[at + len(delimiter):], "after", True
        elif state == "after":
            if len(buf) >= 2:
                if buf[:2] == b"--":
                    closed, state, buf = True, "epilogue", b""
                elif buf[:2] == b"\r\n":
                    buf, state = buf[2:], "headers"
                else:
                    raise ValueError("bad delimiter line")
                progressed = True
        elif state == "headers":
            at = buf.find(b"\r\n\r\n")
            if at >= 0:
                part = Part(buf[:at])
                parts.append(part)
                buf, state, progressed = buf[at + 4:], "data", True
            elif len(buf) > 16384:
                raise ValueError("part headers too long")
        elif state == "data":
            at = buf.find(delimiter)
            if at >= 0:
                part.feed(buf[:at])
                buf, state, progressed = buf[at + len(delimiter):], "after", True
            elif len(buf) > len(delimiter):
                keep = len(delimiter) - 1
                part.feed(buf[:-keep])
                buf = buf[-keep:]
        elif state == "epilogue":
            buf = b""
        if progressed:
            continue
        chunk = next(stream, None)
        if chunk is None:
            break
        total += len(chunk)
        buf += chunk
    if not closed:
        raise ValueError("no closing delimiter")
    return parts, total


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        seen = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
        try:
            ctype = self.headers.get("Content-Type", "")
            if not ctype.startswith("multipart/form-data") or "boundary=" not in ctype:
                raise ValueError("no multipart boundary in " + repr(ctype))
            boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
            parts, total = scan(body_chunks(self), boundary.encode("ascii"))
            seen["body_bytes"] = total
            seen["parts"] = [
                {
                    "name": p.name,
                    "filename": p.filename,
                    "size": p.size,
                    "sha256": p.sha.hexdigest(),
                    "value": p.head.decode("utf-8", "replace") if p.filename is None else None,
                }
                for p in parts
            ]
            upload = [p for p in parts if p.name == "asset[upload]"]
            if len(upload) != 1 or not upload[0].filename:
                raise ValueError("expected one asset[upload] part with a filename")
            status, answer = 201, {
                "notice": "Asset created successfully.",
                "asset": {
                    "uid": "blt_big",
                    "filename": upload[0].filename,
                    # The CMA sends file_size as a string; so does the spec.
                    "file_size": str(upload[0].size),
                },
            }
        except Exception as exc:  # reported to the test, answered as a CMA error
            seen["error"] = repr(exc)
            status, answer = 400, {"error_message": repr(exc), "error_code": 400}
            self.close_connection = True
        with open(REPORT, "a", encoding="utf-8") as report:
            report.write(json.dumps(seen) + "\n")
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
'''


@dataclass
class Server:
    url: str
    report: Path

    def last(self) -> dict[str, Any]:
        lines = self.report.read_text(encoding="utf-8").splitlines()
        seen: dict[str, Any] = json.loads(lines[-1])
        return seen


@dataclass
class BigFile:
    path: Path
    size: int
    sha256: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("upload_server")
    script = folder / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    report = folder / "report.jsonl"
    report.touch()
    process = subprocess.Popen(
        [sys.executable, str(script), str(report)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        assert port.isdigit(), f"server did not start (exit {process.poll()})"
        yield Server(url=f"http://127.0.0.1:{port}", report=report)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> BigFile:
    path = tmp_path_factory.mktemp("upload_file") / "big.bin"
    digest = hashlib.sha256()
    rng = random.Random(50)
    chunk_size = 1024 * 1024
    with path.open("wb") as out:
        for _ in range(FILE_SIZE // chunk_size):
            chunk = rng.randbytes(chunk_size)
            digest.update(chunk)
            out.write(chunk)
    assert path.stat().st_size == FILE_SIZE
    return BigFile(path=path, size=FILE_SIZE, sha256=digest.hexdigest())


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upload_small") / "small.txt"
    path.write_bytes(b"warm-up\n")
    return path


def _stack(server: Server) -> ManagementStack:
    return ManagementStack("blt_key", management_token="t", host=server.url, rate_limit=None)


def _async_stack(server: Server) -> AsyncManagementStack:
    return AsyncManagementStack("blt_key", management_token="t", host=server.url, rate_limit=None)


def _traced(call: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


async def _traced_async(call: Callable[[], Awaitable[T]]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = await call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def _check(server: Server, asset: Any, big_file: BigFile, filename: str, peak: int) -> None:
    label = f"peak traced memory uploading {big_file.size // 2**20} MB ({filename})"
    print(f"{label}: {peak / 2**20:.2f} MB")
    seen = server.last()
    assert "error" not in seen, seen["error"]
    assert seen["path"] == "/v3/assets"
    assert seen["headers"]["api_key"] == "blt_key"
    assert seen["headers"]["authorization"] == "t"
    parts = {part["name"]: part for part in seen["parts"]}
    upload = parts["asset[upload]"]
    assert upload["filename"] == filename
    assert upload["size"] == big_file.size
    assert upload["sha256"] == big_file.sha256
    assert parts["asset[title]"]["value"] == "Big"
    assert seen["body_bytes"] > big_file.size
    assert asset.uid == "blt_big"
    assert asset.filename == filename
    assert asset.file_size == str(big_file.size)
    assert peak < PEAK_LIMIT, f"{label}: {peak} bytes, limit {PEAK_LIMIT}"


def test_upload_from_a_path_streams_with_bounded_memory(
    server: Server, big_file: BigFile, small_file: Path
) -> None:
    with _stack(server) as warm:
        warm.upload_asset(small_file, title="warm-up")
    assert server.last()["parts"][0]["size"] == len(b"warm-up\n")

    def upload() -> Any:
        with _stack(server) as stack:
            return stack.upload_asset(big_file.path, title="Big")

    asset, peak = _traced(upload)
    _check(server, asset, big_file, "big.bin", peak)


def test_upload_from_a_file_object_streams_with_bounded_memory(
    server: Server, big_file: BigFile, small_file: Path
) -> None:
    with _stack(server) as warm, small_file.open("rb") as handle:
        warm.upload_asset(handle, title="warm-up")

    def upload() -> Any:
        with _stack(server) as stack, big_file.path.open("rb") as handle:
            return stack.upload_asset(handle, title="Big", filename="renamed.bin")

    asset, peak = _traced(upload)
    _check(server, asset, big_file, "renamed.bin", peak)


async def test_async_upload_streams_with_bounded_memory(
    server: Server, big_file: BigFile, small_file: Path
) -> None:
    async with _async_stack(server) as warm:
        await warm.upload_asset(small_file, title="warm-up")

    async def upload() -> Any:
        async with _async_stack(server) as stack:
            return await stack.upload_asset(big_file.path, title="Big")

    asset, peak = await _traced_async(upload)
    _check(server, asset, big_file, "big.bin", peak)


async def test_async_upload_from_a_file_object_streams_with_bounded_memory(
    server: Server, big_file: BigFile, small_file: Path
) -> None:
    async with _async_stack(server) as warm:
        with small_file.open("rb") as handle:
            await warm.upload_asset(handle, title="warm-up")

    async def upload() -> Any:
        async with _async_stack(server) as stack:
            with big_file.path.open("rb") as handle:
                return await stack.upload_asset(handle, title="Big")

    asset, peak = await _traced_async(upload)
    _check(server, asset, big_file, "big.bin", peak)


def test_the_measurement_would_see_a_file_read_whole(big_file: BigFile) -> None:
    # Control: reading the file into one bytes object shows up in the traced peak, so the
    # bounds above do measure the buffers an upload would allocate.
    size, peak = _traced(lambda: len(big_file.path.read_bytes()))
    assert size == big_file.size
    assert peak >= big_file.size
