"""`make bench`: our client against raw httpx + json.loads and the official SDK, in one run.

A canned-response server runs in its own process (HTTP and HTTPS on 127.0.0.1, a local CA
from trustme). Every case is timed in interleaved rounds and reported as the median time
per call; ratios compare cases measured in this same run. Nothing here asserts: the
numbers are for people (and the issue notes), not for the test suite.
"""

from __future__ import annotations

import copy
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import trustme

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from contentstack_client import Stack  # noqa: E402

PAYLOADS = Path(os.environ.get("CONTENTSTACK_PAYLOADS", ROOT.parent / "shared" / "payloads"))
API_KEY, TOKEN, ENV = "blt_bench_key", "cs_bench_token", "production"
SINGLE = "/v3/content_types/session/entries/session_uid_1"
PAGE = "/v3/content_types/session/entries"


def routes() -> dict[str, str]:
    """One realistic entry (references resolved) and a page of 100 such entries."""
    entry = json.loads(
        (PAYLOADS / "cda_entry_include_references.json").read_text(encoding="utf-8")
    )["entry"]
    page = []
    for i in range(100):
        item = copy.deepcopy(entry)
        item["uid"] = f"session_uid_{i}"
        page.append(item)
    return {SINGLE: json.dumps({"entry": entry}), PAGE: json.dumps({"entries": page, "count": 100})}


def median_per_call(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def measure(cases: dict[str, tuple[Callable[[], object], int]], rounds: int) -> dict[str, float]:
    for fn, _ in cases.values():  # warm connections, caches and lazy imports
        fn()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (fn, calls) in cases.items():
            samples[name].append(median_per_call(fn, calls))
    return {name: statistics.median(values) for name, values in samples.items()}


def import_times(statements: list[str], rounds: int = 21) -> list[float]:
    """Median in-process import time of each statement, each in a fresh interpreter.

    Bytecode is compiled first (this machine may set PYTHONDONTWRITEBYTECODE, which would
    otherwise make every run compile from source), and the statements are interleaved
    round by round so that machine noise falls on all of them alike.
    """
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            str(ROOT / "contentstack_client"),
            *sys.path[1:],
        ],
        capture_output=True,
        check=False,
    )
    samples: list[list[float]] = [[] for _ in statements]
    for _ in range(rounds):
        for i, statement in enumerate(statements):
            code = (
                f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
            )
            samples[i].append(float(out.stdout))
    return [statistics.median(s) for s in samples]


def row(name: str, seconds: float, baseline: float | None = None, target: str = "") -> str:
    ratio = f"{seconds / baseline:6.2f}x" if baseline else "       "
    return f"  {name:<58} {seconds * 1e3:9.3f} ms  {ratio}  {target}"


def main() -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "routes.json").write_text(json.dumps(routes()), encoding="utf-8")
        cert.private_key_and_cert_chain_pem.write_to_path(str(tmpdir / "server.pem"))
        ca.cert_pem.write_to_path(str(tmpdir / "ca.pem"))
        server = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("server.py")),
                str(tmpdir / "routes.json"),
                str(tmpdir / "server.pem"),
                str(tmpdir / "server.pem"),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            ports = json.loads(server.stdout.readline())
            # One core for the server, one for the clients: on a 2-core machine this keeps
            # the two from preempting each other, which is most of the run-to-run noise.
            cores = sorted(os.sched_getaffinity(0))
            if len(cores) >= 2:
                os.sched_setaffinity(server.pid, {cores[-1]})
                os.sched_setaffinity(0, set(cores[:-1]))
            run(ports["http"], ports["https"], ca, tmpdir / "ca.pem")
        finally:
            server.kill()
            server.wait()


def run(http_port: int, https_port: int, ca: trustme.CA, ca_file: Path) -> None:
    import contentstack  # the official SDK, imported here so its import cost stays out of ours

    plain = f"http://127.0.0.1:{http_port}"
    secure = f"https://127.0.0.1:{https_port}"
    tls = ssl.create_default_context()
    ca.configure_trust(tls)
    os.environ["REQUESTS_CA_BUNDLE"] = str(ca_file)

    headers = {"api_key": API_KEY, "access_token": TOKEN}
    raw = httpx.Client(base_url=plain, headers=headers)
    raw_tls = httpx.Client(base_url=secure, headers=headers, verify=tls)
    ours = Stack(API_KEY, TOKEN, ENV, host=plain)
    ours_tls = Stack(API_KEY, TOKEN, ENV, host=secure, transport=httpx.HTTPTransport(verify=tls))
    official = contentstack.Stack(API_KEY, TOKEN, ENV, host=f"127.0.0.1:{https_port}")

    def raw_single() -> object:
        return json.loads(raw.get(SINGLE, params={"environment": ENV}).content)

    def raw_page() -> object:
        return json.loads(raw.get(PAGE, params={"environment": ENV, "limit": 100}).content)

    def raw_single_tls() -> object:
        return json.loads(raw_tls.get(SINGLE, params={"environment": ENV}).content)

    def official_single() -> dict[str, Any]:
        result: dict[str, Any] = official.content_type("session").entry("session_uid_1").fetch()
        return result

    def official_page() -> object:
        return official.content_type("session").query().limit(100).find()

    assert ours.fetch_entry("session", "session_uid_1").uid == "session_uid_1"
    assert len(ours.find_entries("session", limit=100).entries) == 100
    assert official_single()["entry"]["uid"] == "session_uid_1"

    print(
        f"Python {sys.version.split()[0]}, httpx {httpx.__version__}, official SDK contentstack {contentstack.__version__}"
    )
    print(
        "Median time per call over interleaved rounds (lower is better); ratio against the row named.\n"
    )

    results = measure(
        {
            "raw_single": (raw_single, 400),
            "ours_single": (lambda: ours.fetch_entry("session", "session_uid_1"), 400),
            "raw_page": (raw_page, 40),
            "ours_page": (lambda: ours.find_entries("session", limit=100), 40),
            "raw_single_tls": (raw_single_tls, 200),
            "ours_single_tls": (lambda: ours_tls.fetch_entry("session", "session_uid_1"), 200),
            "official_single_tls": (official_single, 20),
            "official_page_tls": (official_page, 10),
            "ours_page_tls": (lambda: ours_tls.find_entries("session", limit=100), 40),
        },
        rounds=int(os.environ.get("BENCH_ROUNDS", "9")),
    )
    r = results
    print("One entry (references resolved, ~1.6 KB), HTTP keep-alive on loopback:")
    print(row("raw httpx + json.loads", r["raw_single"]))
    print(
        row(
            "contentstack-client Stack.fetch_entry (typed Entry)",
            r["ours_single"],
            r["raw_single"],
            "target <= 1.15x",
        )
    )
    print("\nA page of 100 entries (~160 KB):")
    print(row("raw httpx + json.loads", r["raw_page"]))
    print(row("contentstack-client Stack.find_entries (typed page)", r["ours_page"], r["raw_page"]))
    print("\nOver HTTPS (local CA):")
    print(row("raw httpx + json.loads, one entry", r["raw_single_tls"]))
    print(row("contentstack-client, one entry", r["ours_single_tls"], r["raw_single_tls"]))
    print(
        row(
            "official contentstack SDK, one entry",
            r["official_single_tls"],
            r["ours_single_tls"],
            "target >= 10x ours",
        )
    )
    print(row("contentstack-client, 100 entries", r["ours_page_tls"]))
    print(row("official contentstack SDK, 100 entries", r["official_page_tls"], r["ours_page_tls"]))

    print(
        "\nCold import in a fresh interpreter (median of 21 interleaved runs, bytecode compiled):"
    )
    statements = {
        "import httpx, attrs, dateutil": "import httpx, attrs, dateutil.parser",
        "import contentstack_client": "import contentstack_client",
        "from contentstack_client import Stack": "from contentstack_client import Stack",
        "Stack + the get_entry endpoint and its models": "from contentstack_client import Stack; "
        "import contentstack_client._generated.cda.api.entries.get_entry",
        "import contentstack (official SDK)": "import contentstack",
    }
    times = dict(zip(statements, import_times(list(statements.values())), strict=True))
    base = times.pop("import httpx, attrs, dateutil")
    print(row("import httpx, attrs, dateutil", base))
    for name, seconds in times.items():
        print(row(name, seconds, base, "target <= 1.25x" if name.startswith("from") else ""))

    for client in (raw, raw_tls):
        client.close()
    ours.close()
    ours_tls.close()


if __name__ == "__main__":
    main()
