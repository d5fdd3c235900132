"""Stage registry. A stage proposes edits; it never rewrites text itself.

Each stage module defines a subclass of :class:`Stage` decorated with :func:`register`. Modules are
imported lazily by name (see ``_MODULES``), so ``import cleaner`` stays fast and a stage whose optional
dependency is missing fails only when it is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..edits import Edit

#: name -> module that registers it
_MODULES: dict[str, str] = {
    "markup": "cleaner.stages.markup",
    "unicode": "cleaner.stages.unicode",
    "spacing": "cleaner.stages.spacing",
    "scripts": "cleaner.stages.scripts",
    "entities": "cleaner.stages.entities",
    "phrases": "cleaner.stages.phrases",
    "spelling": "cleaner.stages.spelling",
    "grammar": "cleaner.stages.grammar",
}
_REGISTRY: dict[str, type[Stage]] = {}


class Stage:
    """Base class. Subclasses set ``name`` and implement :meth:`propose`.

    ``__init__`` must be cheap: load shared resources through :mod:`cleaner.resources` (cached once per
    process), lazily on first use, so a Cleaner pickles and starts fast.
    """

    name: str = ""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.options = config.stage_options(self.name)

    def propose(self, text: str) -> Iterable[Edit]:
        raise NotImplementedError


def register(name: str) -> Callable[[type[Stage]], type[Stage]]:
    def deco(cls: type[Stage]) -> type[Stage]:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return deco


def registry() -> list[str]:
    """Names of all known stages (imported or not)."""
    return list(dict.fromkeys([*_MODULES, *_REGISTRY]))


def get(name: str) -> type[Stage]:
    if name not in _REGISTRY:
        if name not in _MODULES:
            raise KeyError(f"unknown stage {name!r}")
        importlib.import_module(_MODULES[name])
    return _REGISTRY[name]
