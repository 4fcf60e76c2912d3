"""Every example runs to completion against the bundled demo stack (they are also type-checked)."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("CONTENTSTACK_"):
            monkeypatch.delenv(name)  # the examples must use the demo stack, never a real one
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()
