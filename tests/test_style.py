"""The code's form is checked like its behaviour: one formatter, the linter, strict typing.

Each check runs the tool the project pins in `uv.lock`, on the folders it covers, and shows
what the tool printed when it fails. Fix with `.venv/bin/ruff format .`, `.venv/bin/ruff check
--fix .`, and by reading mypy's report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TYPED = ["models", "maps", "api", "bench"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("ruff", "format", "--check", "."), id="ruff-format"),
        pytest.param(("ruff", "check", "."), id="ruff-check"),
        pytest.param(("mypy", "--strict", *TYPED), id="mypy-strict"),
    ],
)
def test_tool_is_clean(command: tuple[str, ...]) -> None:
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"
