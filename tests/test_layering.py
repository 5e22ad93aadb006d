"""`models` and `maps` stay free of the service: no api, fastapi or sqlalchemy imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"api", "fastapi", "sqlalchemy", "starlette", "uvicorn", "alembic"}


def _modules(path: Path) -> set[str]:
    """The modules a file imports absolutely (`from a import b` counts `a` and `a.b`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _imports(path: Path) -> set[str]:
    return {module.split(".")[0] for module in _modules(path)}


@pytest.mark.parametrize("package", ["models", "maps"])
def test_core_packages_never_import_the_service(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN)
        for path in files
        if _imports(path) & FORBIDDEN
    }
    assert offenders == {}


def test_models_never_import_maps() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "models").rglob("*.py"))
        if "maps" in _imports(path)
    ]
    assert offenders == []


def test_diagrams_never_import_the_evaluation() -> None:
    """The caller evaluates and passes the result: a diagram only draws it."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "maps" / "diagram").rglob("*.py"))
        if any(module.split(".")[:2] == ["maps", "evaluation"] for module in _modules(path))
    ]
    assert offenders == []
