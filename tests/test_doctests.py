"""The examples in docstrings are run, so they stay true (ftfy's habit: small functions with doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

#: Packages whose modules' docstrings are checked: everything but the optional engine adapters.
PACKAGES = ("cleaner", "cleaner.core", "cleaner.language", "cleaner.stages", "cleaner.cli", "cleaner.cli.formats")


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        mod = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.iter_modules(mod.__path__):
            if not info.ispkg and info.name != "__main__":  # __main__ runs the command on import
                names.append(f"{package}.{info.name}")
    return sorted(set(names))


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_the_examples_exist() -> None:
    """The check above passes vacuously if no docstring has an example; these modules must have some."""
    finder = doctest.DocTestFinder()
    for name in ("cleaner", "cleaner.language.text", "cleaner.language.similarity", "cleaner.stages.spacing",
                 "cleaner.stages.markup", "cleaner.core.edits"):
        tests = finder.find(importlib.import_module(name))
        assert sum(len(t.examples) for t in tests) > 0, name
