"""What ``pip install`` ships: every package and data file is declared in pyproject.toml, and the data is
found through the installed package. (Building the wheel and cleaning the seed cases with it from outside the
checkout is ``scripts/check_wheel.py``, run by ``.ci/run``; too slow for the test suite.)"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import cleaner.core.resources as resources

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_package_folder_is_listed() -> None:
    """A folder of modules (or templates) under cleaner/ that is not listed would be missing from the wheel."""
    found = {"cleaner"}
    for folder in (ROOT / "cleaner").rglob("*"):
        if folder.is_dir() and folder.name != "__pycache__" and any(p.is_file() for p in folder.iterdir()):
            found.add(".".join(folder.relative_to(ROOT).parts))
    listed = set(SETUPTOOLS["packages"])
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_dictionaries_are_the_data_package() -> None:
    assert SETUPTOOLS["package-dir"] == {"cleaner.dictionaries": "dictionaries"}
    assert "cleaner.dictionaries" in SETUPTOOLS["packages"]
    assert (ROOT / "dictionaries" / "__init__.py").is_file()  # editable installs map regular packages only


def test_every_data_file_is_package_data() -> None:
    patterns = SETUPTOOLS["package-data"]["cleaner.dictionaries"]
    data = ROOT / "dictionaries"
    files = [p.relative_to(data).as_posix() for p in data.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py"]
    assert files
    unmatched = [f for f in files if not any(fnmatch.fnmatch(f, pat) or fnmatch.fnmatch(f, pat.removeprefix("**/"))
                                             for pat in patterns)]
    assert not unmatched, f"add a pattern to [tool.setuptools.package-data] for: {unmatched}"
    assert "py.typed" in SETUPTOOLS["package-data"]["cleaner"] and (ROOT / "cleaner" / "py.typed").is_file()
    assert SETUPTOOLS["package-data"]["cleaner.templates"] == ["*.j2"]


@pytest.mark.skipif(bool(os.environ.get(resources.ENV)), reason="CLEANER_DICTIONARIES is set")
def test_data_is_found_through_the_installed_package() -> None:
    from importlib.resources import files

    assert resources.DICTIONARIES == Path(str(files("cleaner.dictionaries")))
    assert (resources.DICTIONARIES / "style.tsv").is_file()
    resources.check_installed()


def test_override_and_source_tree_fallback(tmp_path: Path) -> None:
    """CLEANER_DICTIONARIES wins; a source tree run without installing finds its own dictionaries/."""
    code = "import cleaner.core.resources as r; print(r.DICTIONARIES)"
    env = {**os.environ, resources.ENV: str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != resources.ENV}
    out = subprocess.run([sys.executable, "-S", "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); {code}"],
                         env=env, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == ROOT / "dictionaries"
