"""Stage registry. A stage proposes edits; it never rewrites text itself.

Each stage module defines a subclass of :class:`Stage` decorated with :func:`register`. Modules are
imported lazily by name (see ``_MODULES``), so ``import cleaner`` stays fast and a stage whose optional
dependency is missing fails only when it is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..core.rules import STAGES as _CATALOGUE

if TYPE_CHECKING:
    from ..core.config import Config
    from ..core.edits import Edit

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

#: Option kinds a stage may declare (see :data:`OPTIONS`): the name in messages and the check.
OPTION_KINDS: dict[str, tuple[str, Callable[[object], bool]]] = {
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "str": ("a string", lambda v: isinstance(v, str)),
    "int": ("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "number": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "strs": ("a list of strings", lambda v: isinstance(v, list | tuple) and all(isinstance(x, str) for x in v)),
}

#: Each stage's options (``[STAGE]`` table of a config file) and their kinds. A key not listed is an error,
#: so a misspelt option is reported instead of silently ignored. Declared here, not in the stage modules, so
#: a config is checked without importing (and loading the data of) any stage. A stage not listed takes none.
OPTIONS: dict[str, dict[str, str]] = {
    "phrases": {"rules": "str"},
    "grammar": {
        "allow_rules": "strs", "deny_rules": "strs", "language": "str", "timeout": "number", "max_chars": "int",
        "max_workers": "int", "conflict_gap": "int", "skip_quotations": "bool", "local": "bool",
        "max_failures": "int", "pause": "number",
    },
}

#: The ``rule`` names each stage gives its edits: what ``disable_rules`` / ``--disable`` accept as ``STAGE.RULE``
#: (or a bare ``RULE``). Derived from the one catalogue of stages and rules, :data:`cleaner.core.rules.STAGES` (which
#: also describes each rule for ``--help`` and ``--statistics``). A stage in :data:`OPEN_RULES` also names edits
#: after something outside this list.
RULES: dict[str, tuple[str, ...]] = {name: tuple(info.rules) for name, info in _CATALOGUE.items()}
#: Stages whose rule names come from another tool: unicode (ftfy's step names), grammar (LanguageTool rule
#: ids); any ``STAGE.RULE`` of them is accepted. The phrases stage's rules are the ``name`` fields of its rules
#: file (see :func:`cleaner.core.config.rule_known`).
OPEN_RULES: frozenset[str] = frozenset({"unicode", "grammar"})


class Stage:
    """Base class. Subclasses set ``name`` and implement :meth:`propose`.

    ``__init__`` must be cheap: load shared resources through :mod:`cleaner.core.resources` (cached once per
    process), lazily on first use, so a Cleaner pickles and starts fast.
    """

    name: str = ""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.options = config.stage_options(self.name)

    def propose(self, text: str) -> Iterable[Edit]:
        raise NotImplementedError


def register(name: str, options: dict[str, str] | None = None,
             rules: tuple[str, ...] | None = None) -> Callable[[type[Stage]], type[Stage]]:
    """Class decorator adding a stage. A stage from outside this package declares its ``options`` (name ->
    kind of :data:`OPTION_KINDS`) and ``rules`` here; without ``rules`` any rule name of it is accepted."""

    def deco(cls: type[Stage]) -> type[Stage]:
        cls.name = name
        _REGISTRY[name] = cls
        if options is not None:
            OPTIONS[name] = dict(options)
        elif name not in _MODULES:
            UNCHECKED_OPTIONS.add(name)
        if rules is not None:
            RULES[name] = tuple(rules)
        elif name not in RULES:
            RULES[name] = ()
            OPEN_RULES_ADDED.add(name)
        return cls

    return deco


#: Stages registered from outside without a rule list (any rule name accepted) or an options schema (any
#: options accepted).
OPEN_RULES_ADDED: set[str] = set()
UNCHECKED_OPTIONS: set[str] = set()


def open_rules(stage: str) -> bool:
    """True if any ``stage.RULE`` is accepted (the stage's rule names are not all known in advance)."""
    return stage in OPEN_RULES or stage in OPEN_RULES_ADDED


def registry() -> list[str]:
    """Names of all known stages (imported or not)."""
    return list(dict.fromkeys([*_MODULES, *_REGISTRY]))


def get(name: str) -> type[Stage]:
    if name not in _REGISTRY:
        if name not in _MODULES:
            raise KeyError(f"unknown stage {name!r}")
        importlib.import_module(_MODULES[name])
    return _REGISTRY[name]
