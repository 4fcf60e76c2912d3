"""Every fault scenario runs with all loggers at DEBUG, and no credential may reach a log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from .test_faults import API_KEY, TOKEN


@pytest.fixture(autouse=True)
def _debug_logs_carry_no_secret(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)  # the root logger: ours, httpx's, httpcore's and aiohttp's
    yield
    records = caplog.get_records("call")  # at teardown, caplog.records is teardown's
    text = "".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in records)
    assert records, "the scenario logged nothing at DEBUG"
    assert API_KEY not in text and TOKEN not in text
