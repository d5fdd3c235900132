"""The stage registry: each stage's name, position in the pipeline, options class and rule names.

A stage proposes edits; it never rewrites text itself. The bundled stages are declared in :data:`BUILTIN`
(name, module, order, options class), so a config is checked, and its stages put in order, without
importing any stage module: a module is imported (and its data loaded) only when its stage is built, and a
stage whose optional dependency is missing fails only when it is asked for. Each module defines a
:class:`Stage` subclass decorated with :func:`register`. A stage from outside the package declares itself
the same way, with its options class and, if it should not run last, its place (``after="entities"``,
``before=...`` or ``order=``); see docs/stages.md.
"""

from __future__ import annotations

import importlib
import math
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from .options import GrammarOptions, NoOptions, PhrasesOptions
from .rules import STAGES as _CATALOGUE

if TYPE_CHECKING:
    from .config import Config
    from .edits import Edit

OptionsT = TypeVar("OptionsT")


class Stage(Generic[OptionsT]):
    """Base class. Subclasses implement :meth:`propose`; :func:`register` sets ``name``.

    ``options`` is the stage's options-class instance, built from the config's ``[STAGE]`` table (its
    defaults where the table is silent). ``__init__`` must be cheap: load shared resources through
    :mod:`cleaner.core.resources` (cached once per process), lazily on first use, so a Cleaner pickles and
    starts fast.
    """

    name: ClassVar[str] = ""
    options: OptionsT

    def __init__(self, config: Config) -> None:
        self.config = config
        self.options = config.stage_options(self.name)

    def propose(self, text: str) -> Iterable[Edit]:
        raise NotImplementedError


@dataclass(frozen=True)
class StageSpec:
    """One stage as the registry knows it, before (or without) importing its module."""

    name: str
    #: position in the pipeline: stages run by ascending order; None (a custom stage that did not ask for a
    #: place) runs after all others, in the order the config lists them
    order: float | None
    #: the frozen dataclass of the stage's options (:mod:`cleaner.core.options`)
    options: type = NoOptions
    #: the module that registers the stage (bundled stages; imported on first use)
    module: str = ""
    #: off unless asked for (the grammar stage needs a server)
    default: bool = True
    #: the ``rule`` names of its edits (what ``disable_rules`` / ``--disable`` accept as ``STAGE.RULE``)
    rules: tuple[str, ...] = ()
    #: its edits may have other rule names too (from another tool, or not declared): any is accepted
    open_rules: bool = False


def _builtin(name: str, order: float, options: type = NoOptions, default: bool = True,
             open_rules: bool = False) -> StageSpec:
    """A bundled stage: its module is ``cleaner.stages.NAME``; its rule names come from the catalogue
    (:data:`cleaner.core.rules.STAGES`), the one list of them; ``open_rules``: others are accepted too."""
    info = _CATALOGUE[name]
    return StageSpec(name, order, options, f"cleaner.stages.{name}", default, tuple(info.rules),
                     open_rules or info.open)


#: The bundled stages, in pipeline order (orders 10 apart leave room for custom stages in between).
#: ``unicode`` edits are named after ftfy's steps and ``grammar`` ones after LanguageTool rule ids, so any
#: ``STAGE.RULE`` of those two is accepted; the phrases stage's rule names are the ``name`` fields of its
#: rules file (see :func:`cleaner.core.config.rule_known`).
BUILTIN: tuple[StageSpec, ...] = (
    _builtin("markup", 10),
    _builtin("unicode", 20, open_rules=True),
    _builtin("spacing", 30),
    _builtin("scripts", 40),
    _builtin("entities", 50),
    _builtin("phrases", 60, PhrasesOptions),
    _builtin("spelling", 70),
    _builtin("grammar", 80, GrammarOptions, default=False),
)

_SPECS: dict[str, StageSpec] = {s.name: s for s in BUILTIN}
_CLASSES: dict[str, type[Stage[Any]]] = {}


def register(name: str, options: type | None = None, *, order: float | None = None, after: str | None = None,
             before: str | None = None, rules: Iterable[str] | None = None
             ) -> Callable[[type[Stage[Any]]], type[Stage[Any]]]:
    """Class decorator adding a stage called ``name``.

    A bundled stage is declared in :data:`BUILTIN`, so its module only says ``@register("NAME")``. A stage
    from outside the package passes its ``options`` class (a frozen dataclass, see
    :mod:`cleaner.core.options`; default: it takes none), its ``rules`` names (default: any name accepted)
    and at most one of ``after`` / ``before`` (a registered stage: it runs right after or before it) or
    ``order`` (a number: the bundled stages are 10 for markup ... 80 for grammar). Without a place it runs
    after every other stage. Registering a name again replaces that stage (a re-imported plugin)."""
    if sum(x is not None for x in (order, after, before)) > 1:
        raise TypeError(f"register({name!r}): give at most one of order, after, before")
    builtin = next((s for s in BUILTIN if s.name == name), None)

    def deco(cls: type[Stage[Any]]) -> type[Stage[Any]]:
        if builtin is not None:
            if options is not None or rules is not None or order is not None or after or before:
                raise TypeError(f"stage {name!r} is declared in cleaner.core.registry.BUILTIN; change it there")
            spec = builtin
        else:
            opts = NoOptions if options is None else options
            check_options_class(opts)
            where = order if order is not None else _place(name, after, before)
            spec = StageSpec(name, where, opts, rules=tuple(rules or ()), open_rules=rules is None)
        cls.name = name
        _SPECS[name] = spec
        _CLASSES[name] = cls
        return cls

    return deco


def _place(name: str, after: str | None, before: str | None) -> float | None:
    """The order that puts a stage right after ``after`` (before the stage that follows it now) or right
    before ``before``: halfway between the two neighbours, so earlier placements keep their places."""
    anchor = after or before
    if anchor is None:
        return None
    spec = _SPECS.get(anchor)
    if spec is None or spec.order is None:
        what = "unknown stage" if spec is None else "stage without an order"
        raise ValueError(f"register({name!r}): cannot place it next to {what} {anchor!r}")
    others = [s.order for s in _SPECS.values() if s.order is not None and s.name != name]
    if after:
        nxt = min((o for o in others if o > spec.order), default=spec.order + 20)
        return (spec.order + nxt) / 2
    prev = max((o for o in others if o < spec.order), default=spec.order - 20)
    return (prev + spec.order) / 2


def check_options_class(cls: type) -> None:
    """``cls`` must be a frozen dataclass whose every field has a default and a type :func:`kind` knows."""
    if not (isinstance(cls, type) and is_dataclass(cls) and cls.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        raise TypeError(f"stage options must be a frozen dataclass, got {cls!r}")
    for f in fields(cls):
        if f.default is f.default_factory:  # both MISSING: no default
            raise TypeError(f"option {f.name!r} of {cls.__name__} needs a default")
    for tp in option_types(cls).values():
        kind(tp)


@cache
def option_types(cls: type) -> dict[str, Any]:
    """Option name -> type, read from the fields of the options class ``cls``."""
    hints = get_type_hints(cls)
    return {f.name: hints[f.name] for f in fields(cls)}


@cache
def kind(tp: Any) -> tuple[str, Callable[[object], bool], Callable[[Any], Any]]:
    """What an option of type ``tp`` accepts: its name in messages, the check, and the conversion of a
    config value (a TOML list becomes a tuple, an integer a float where a float is asked for)."""
    origin, args = get_origin(tp), get_args(tp)
    if tp is bool:
        return "true or false", lambda v: isinstance(v, bool), _same
    if tp is int:
        return "an integer", lambda v: isinstance(v, int) and not isinstance(v, bool), _same
    if tp is float:
        return "a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool), float
    if tp is str:
        return "a string", lambda v: isinstance(v, str), _same
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        what, ok, conv = kind(args[0])
        return (f"a list of {_plural(what)}", lambda v: isinstance(v, list | tuple) and all(ok(x) for x in v),
                lambda v: tuple(conv(x) for x in v))
    if origin is Literal:
        return (f"one of {', '.join(map(repr, args))}", lambda v: any(v == a and type(v) is type(a) for a in args),
                _same)
    if origin in (types.UnionType, Union) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            what, ok, conv = kind(rest[0])
            return what, lambda v: v is None or ok(v), lambda v: None if v is None else conv(v)
    raise TypeError(f"option type {tp!r} is not supported (bool, int, float, str, tuple[X, ...], Literal, X | None)")


def _same(value: Any) -> Any:
    return value


def _plural(what: str) -> str:
    return {"a string": "strings", "an integer": "integers", "a number": "numbers",
            "true or false": "true/false values"}.get(what, what)


def spec(name: str) -> StageSpec:
    """The registry's entry for stage ``name`` (KeyError if none)."""
    if name not in _SPECS:
        raise KeyError(f"unknown stage {name!r}")
    return _SPECS[name]


def registry() -> list[str]:
    """Names of all known stages (imported or not), in pipeline order; unplaced custom stages last."""
    return ordered(_SPECS)


def ordered(names: Iterable[str]) -> list[str]:
    """``names`` in the order they run: by their stage's order, then (custom stages that asked for no
    place) in the order given."""
    names = list(dict.fromkeys(names))
    return sorted(names, key=lambda n: (_order(n), names.index(n) if _order(n) == math.inf else 0))


def _order(name: str) -> float:
    s = _SPECS.get(name)
    return math.inf if s is None or s.order is None else s.order


def default_stages() -> tuple[str, ...]:
    """The bundled stages that run unless a config says otherwise."""
    return tuple(s.name for s in BUILTIN if s.default)


def rule_names(stage: str) -> tuple[str, ...]:
    """The declared rule names of ``stage`` (empty for an unknown one)."""
    s = _SPECS.get(stage)
    return () if s is None else s.rules


def open_rules(stage: str) -> bool:
    """True if any ``stage.RULE`` is accepted (the stage's rule names are not all known in advance)."""
    s = _SPECS.get(stage)
    return s is not None and s.open_rules


def get(name: str) -> type[Stage[Any]]:
    """The class of stage ``name``, importing its module on first use."""
    if name not in _CLASSES:
        s = spec(name)
        if not s.module:
            raise KeyError(f"stage {name!r} is declared but its class is not registered")
        importlib.import_module(s.module)
    return _CLASSES[name]
