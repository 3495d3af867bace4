"""What an installed (not editable) unspin ships: every data file under src/unspin must match a
package-data pattern, or a wheel silently leaves it out (as it once left out the trained heads)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from _paths import ROOT


def _package_data_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]["*"]


def _data_files() -> list[str]:
    package = ROOT / "src" / "unspin"
    return [str(p.relative_to(ROOT)) for p in package.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]


def test_every_shipped_data_file_is_in_the_wheel() -> None:
    patterns = _package_data_patterns()
    files = _data_files()
    assert any(f.endswith(".npz") for f in files), "the trained weights are expected under src/unspin"
    left_out = [f for f in files if not any(fnmatch(Path(f).name, p) for p in patterns)]
    assert left_out == [], f"not matched by [tool.setuptools.package-data]: {left_out}"
