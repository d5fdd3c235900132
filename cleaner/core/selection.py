"""Rule selection like ruff's: ``select`` / ``ignore`` lists of ``stage`` or ``stage.rule`` names.

There is no second filtering mechanism: a selection is turned into the two :class:`~cleaner.core.config.Config`
fields the pipeline already honours, ``stages`` (which stages run) and ``disable_rules`` (whose edits are
dropped). The semantics follow ruff:

- ``select`` replaces what was enabled before (a config file's ``stages``/``disable_rules``, or, for
  ``--select``, everything the config file selected); ``ignore`` removes from it.
- A more specific name wins over a less specific one, whatever the order: ``select = ["spelling.typo"]``
  with ``ignore = ["spelling"]`` keeps the typo rule. At equal specificity ``ignore`` wins.
- Unknown stages and rules are errors naming the known ones. A stage whose rule names are not known in
  advance (``grammar``: LanguageTool ids) accepts any rule name to ignore, but can only be selected whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from .config import ConfigError
from .registry import registry
from .rules import is_open, stage_rules

if TYPE_CHECKING:
    from .config import Config


class SelectionError(ConfigError):
    """A ``select``/``ignore`` name is unknown or cannot be honoured; the message names the known ones."""


def split_names(values: Iterable[str] | str | None, where: str = "--select") -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``: names may be comma-separated, repeated, or both."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values:
        if not isinstance(value, str):
            raise SelectionError(f"{where}: expected stage or stage.rule names (strings), got {value!r}")
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def _stages() -> list[str]:
    return registry()


def parse_name(name: str, cfg: Config, where: str) -> tuple[str, str]:
    """``stage`` -> ``(stage, "")``, ``stage.rule`` -> ``(stage, rule)``, checked against the catalogue."""
    stage, _, rule = name.partition(".")
    stages = _stages()
    if stage not in stages:
        within = f" in {name!r}" if rule else ""
        raise SelectionError(f"{where}: unknown stage {stage!r}{within}; known stages: {', '.join(stages)}")
    if rule and not is_open(stage):
        known = stage_rules(stage, cfg.stage_options(stage))
        if rule not in known:
            listed = ", ".join(f"{stage}.{r}" for r in known)
            raise SelectionError(f"{where}: unknown rule {name!r}; {stage} rules: {listed}")
    return stage, rule


def apply_selection(cfg: Config, select: Iterable[str] | str | None, ignore: Iterable[str] | str | None,
                    source: str = "") -> Config:
    """``cfg`` with ``select`` (None: keep what is enabled) and ``ignore`` applied to its stages and
    disable_rules. ``source`` names the config file in error messages (empty: the command-line options)."""
    at_select, at_ignore = (f"{source}: select", f"{source}: ignore") if source else ("--select", "--ignore")
    chosen = None if select is None else [parse_name(n, cfg, at_select) for n in split_names(select, at_select)]
    dropped = [parse_name(n, cfg, at_ignore) for n in split_names(ignore, at_ignore)]
    where = source or "--select"
    stages = _stages()
    rule_on: dict[tuple[str, str], bool] = {}
    other_disabled: set[str] = set()
    if chosen is None:
        on = set(cfg.stages)
        for entry in cfg.disable_rules:
            stage, _, rule = entry.partition(".")
            if stage in stages and rule:
                rule_on[stage, rule] = False
            else:
                other_disabled.add(entry)
    else:
        on = set()
    # Less specific first, so a rule name overrides its stage's name; ignore after select at each level.
    for stage, rule in chosen or []:
        if not rule:
            on.add(stage)
    for stage, rule in dropped:
        if not rule:
            on.discard(stage)
            for key in [k for k in rule_on if k[0] == stage]:
                del rule_on[key]
    for stage, rule in chosen or []:
        if rule:
            rule_on[stage, rule] = True
    for stage, rule in dropped:
        if rule:
            rule_on[stage, rule] = False
    run: list[str] = []
    disabled = set(other_disabled) | {f"{s}.{r}" for (s, r), v in rule_on.items() if not v}
    for stage in stages:
        picked = {r for (s, r), v in rule_on.items() if s == stage and v}
        if stage in on:
            run.append(stage)
        elif picked:
            if is_open(stage):
                raise SelectionError(f"{where}: {stage} rules cannot be selected one by one (their names are not "
                                     f"known in advance); select {stage!r} and ignore the rules you do not want")
            run.append(stage)
            disabled |= {f"{stage}.{r}" for r in stage_rules(stage, cfg.stage_options(stage)) if r not in picked}
    return replace(cfg, stages=tuple(run), disable_rules=frozenset(disabled))
