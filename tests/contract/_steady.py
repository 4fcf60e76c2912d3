"""Steady, the spec-driven mock server the contract tests send to, and its verdicts."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from ..conftest import ROOT

STEADY = ROOT / "generator" / "node_modules" / ".bin" / "steady"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def steady_server(spec: Path) -> Iterator[str]:
    """Run Steady on a free loopback port for ``spec``; yield its URL, stop it afterwards."""
    if not STEADY.exists():
        raise RuntimeError(f"{STEADY} is missing: run `make tools`")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(STEADY),
            "--host",
            "127.0.0.1",
            "-p",
            str(port),
            "-q",
            "--generator-seed=7",
            "--generator-array-min=1",
            "--generator-array-max=2",
            str(spec),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"steady exited early ({proc.returncode}): {out}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("steady did not start within 30 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Checked(httpx.BaseTransport):
    """Send to Steady and keep its verdict on every request."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seen: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.seen.append((request, response))
        return response


def assert_problems_absent(checked: Checked) -> None:
    """Fail unless Steady found every request valid (it reports problems in headers)."""
    assert checked.seen, "no request reached Steady"
    for request, response in checked.seen:
        problems = [
            f"{response.headers.get(f'x-steady-error-{i}-code')} {response.headers.get(f'x-steady-error-{i}-path')}: "
            f"{response.headers.get(f'x-steady-error-{i}-message')}"
            for i in range(1, int(response.headers.get("x-steady-error-count", "0")) + 1)
        ]
        assert response.headers.get("x-steady-request-valid") == "true" and not problems, (
            f"{request.method} {request.url}",
            problems,
        )
