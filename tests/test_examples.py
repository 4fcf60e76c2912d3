"""Every example runs to completion against the bundled demo stack (they are also type-checked)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))

# What an example must print to show its job was done (the others need only print something).
EXPECTED = {
    "manage_content_type": "Content Type created successfully.",
    "publish_entry": "The delivery API serves version 2",
    "upload_asset": "Asset sent for publishing.",
    "bulk_publish": "-> completed; {'total': 2, 'success': 2, 'failed': 0}",
}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("CONTENTSTACK_"):
            monkeypatch.delenv(name)  # the examples must use the demo stack, never a real one
    runpy.run_path(str(path), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()
    assert EXPECTED.get(path.stem, "") in out


def test_expected_examples_exist() -> None:
    assert set(EXPECTED) <= {p.stem for p in EXAMPLES}
