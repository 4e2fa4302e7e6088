"""The stubs match the built module (``mypy.stubtest``), and every public name is documented."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import news2

PACKAGE = Path(news2.__file__).parent
PROJECT = Path(__file__).resolve().parents[1]


def test_stubtest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "news2", "--mypy-config-file", str(PROJECT / "pyproject.toml")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed() -> None:
    assert (PACKAGE / "py.typed").exists()
    assert (PACKAGE / "__init__.pyi").exists() and (PACKAGE / "_news2.pyi").exists()


def test_every_public_name_has_a_docstring() -> None:
    undocumented = []
    for name in news2.__all__:
        obj = getattr(news2, name)
        if not (obj.__doc__ or "").strip():
            undocumented.append(name)
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                if not (getattr(value, "__doc__", None) or "").strip():
                    undocumented.append(f"{name}.{member}")
    assert not undocumented, undocumented
