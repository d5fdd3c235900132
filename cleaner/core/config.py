"""Configuration: defaults, profiles and TOML files (``cleaner.toml`` or ``[tool.cleaner]``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from . import registry

#: The order the bundled stages run in (declared in :data:`cleaner.core.registry.BUILTIN`). ``grammar`` is
#: registered but off by default (it needs a server).
STAGE_ORDER: tuple[str, ...] = tuple(s.name for s in registry.BUILTIN)
DEFAULT_STAGES: tuple[str, ...] = registry.default_stages()


class ConfigError(ValueError):
    """A configuration file or value is wrong; the message names the file (and key)."""


@dataclass(frozen=True)
class Config:
    """Everything that decides what a :class:`~cleaner.Cleaner` does. Immutable and picklable."""

    stages: tuple[str, ...] = DEFAULT_STAGES
    #: Edits below this confidence are not applied; they are reported as suggestions.
    min_confidence: float = 0.8
    #: ``stage.rule`` or ``stage`` names whose edits are dropped.
    disable_rules: frozenset[str] = frozenset()
    #: ``keep`` typographic quotes, or turn them into ``ascii`` ones.
    quotes: str = "keep"
    #: House style for names: which romanisation wins (see dictionaries/style.tsv).
    style: str = "kmu2010"
    #: Extra gazetteer TSV files (same columns as dictionaries/people.tsv).
    gazetteers: tuple[str, ...] = ()
    #: Extra word lists the spelling stage treats as correct.
    extra_words: tuple[str, ...] = ()
    #: LanguageTool server for the grammar stage (also CLEANER_LANGUAGETOOL_URL).
    languagetool_url: str | None = None
    #: Strings no stage may change (an edit touching one is dropped); matched as whole words.
    keep: tuple[str, ...] = ()
    #: Match ``keep`` entries only in their exact case (default: in any case, the cautious choice).
    keep_case_sensitive: bool = False
    #: Extra phrase rule files (the format of dictionaries/phrases.toml), added to the bundled rules.
    phrase_rules: tuple[str, ...] = ()
    #: Decisions files exported from the review page (docs/review.md): rejected edits are never made.
    decisions: tuple[str, ...] = ()
    #: Per-stage options as written in a config file, e.g. ``{"grammar": {"allow_rules": [...]}}``; checked
    #: against each stage's options class (:mod:`cleaner.core.options`), see :meth:`stage_options`.
    options: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self) -> None:
        _check_types(self)
        known = registry.registry()
        for name in self.stages:
            if name not in known:
                raise ConfigError(f"unknown stage {name!r}; known stages: {', '.join(known)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        if self.quotes not in ("keep", "ascii"):
            raise ConfigError(f"quotes must be 'keep' or 'ascii', got {self.quotes!r}")
        _check_options(self.options, known)
        object.__setattr__(self, "stages", tuple(registry.ordered(self.stages)))
        object.__setattr__(self, "disable_rules", frozenset(self.disable_rules))
        object.__setattr__(self, "gazetteers", tuple(self.gazetteers))
        object.__setattr__(self, "extra_words", tuple(self.extra_words))
        for name in ("keep", "phrase_rules", "decisions"):  # review: keep list, user rules, decisions
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{name} must be a list of non-empty strings, got {value!r}")
            object.__setattr__(self, name, tuple(value))
        if not isinstance(self.keep_case_sensitive, bool):
            raise ConfigError(f"keep_case_sensitive must be true or false, got {self.keep_case_sensitive!r}")
        for name in self.disable_rules:
            check_rule_name(name, self)

    def check(self) -> Config:
        """Check what needs the file system, so a run fails before reading any input: the bundled data is
        installed, ``style`` is one of ``style.tsv``, and the files the config names exist. Raises
        :class:`ConfigError` (or :class:`~cleaner.core.resources.MissingDataError`); returns ``self``."""
        from .resources import check_installed

        check_installed()
        known = _styles()
        if self.style not in known:
            raise ConfigError(f"unknown style {self.style!r}; known styles: {', '.join(known)}")
        files = [("gazetteer", f) for f in self.gazetteers] + [("extra_words", f) for f in self.extra_words]
        rules = self.stage_options("phrases").rules
        if rules:
            files.append(("phrases rules", rules))
        for what, file in files:
            if not Path(file).is_file():
                raise ConfigError(f"{what} file not found: {file}")
        return self

    def with_stages(self, enable: list[str] | None = None, disable: list[str] | None = None) -> Config:
        stages = [s for s in self.stages if s not in (disable or [])]
        stages += [s for s in (enable or []) if s not in stages]
        return replace(self, stages=tuple(stages))

    def stage_options(self, stage: str) -> Any:
        """The options of ``stage``: an instance of its options class (:mod:`cleaner.core.options`) built
        from its table in :attr:`options`, defaults for the keys it leaves out."""
        return build_options(stage, self.options.get(stage, {}))


_FIELDS = {f.name for f in fields(Config)}

#: Each field's accepted values, for one clear message instead of a TypeError deep in a stage.
_LIST_FIELDS = ("stages", "disable_rules", "gazetteers", "extra_words")


def _check_types(cfg: Config) -> None:
    for name in _LIST_FIELDS:
        value = getattr(cfg, name)
        if isinstance(value, str | bytes) or not isinstance(value, tuple | list | set | frozenset):
            raise ConfigError(f"{name} must be a list of strings, got {value!r}")
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            raise ConfigError(f"{name} must be a list of strings, got {bad[0]!r} in it")
    if isinstance(cfg.min_confidence, bool) or not isinstance(cfg.min_confidence, int | float):
        raise ConfigError(f"min_confidence must be a number between 0 and 1, got {cfg.min_confidence!r}")
    for name in ("quotes", "style"):
        if not isinstance(getattr(cfg, name), str):
            raise ConfigError(f"{name} must be a string, got {getattr(cfg, name)!r}")
    url = cfg.languagetool_url
    if url is not None and not (isinstance(url, str) and url.strip().lower().startswith(("http://", "https://"))):
        raise ConfigError(f"languagetool_url must be an http:// or https:// URL, got {url!r}")
    if not isinstance(cfg.options, dict) or not all(isinstance(v, dict) for v in cfg.options.values()):
        raise ConfigError(f"options must map stage names to tables, got {cfg.options!r}")


def _check_options(options: dict[str, dict[str, Any]], known: list[str]) -> None:
    """Every stage table names a known stage and only options that stage declares, of the declared type."""
    for stage, table in options.items():
        if stage not in known:
            raise ConfigError(f"options for unknown stage {stage!r}; known stages: {', '.join(known)}")
        build_options(stage, table)


def build_options(stage: str, table: dict[str, Any]) -> Any:
    """``table`` (a ``[STAGE]`` table) as an instance of ``stage``'s options class: a key that is no field
    of the class, or a value not of the field's type, is a :class:`ConfigError` naming the stage and key."""
    cls = registry.spec(stage).options
    hints = registry.option_types(cls)
    values = {}
    for key, value in table.items():
        if key not in hints:
            hint = f"; known: {', '.join(sorted(hints))}" if hints else "; it takes no options"
            raise ConfigError(f"unknown option {key!r} for stage {stage!r}{hint}")
        what, ok, convert = registry.kind(hints[key])
        if not ok(value):
            raise ConfigError(f"option {stage}.{key} must be {what}, got {value!r}")
        values[key] = convert(value)
    return cls(**values)


def rule_known(stage: str, rule: str, cfg: Config | None = None) -> bool:
    """Does ``stage`` have a rule ``rule``? Listed in the registry, a ``name`` of the phrases rules file, or
    any name for a stage whose rules come from another tool (ftfy, LanguageTool)."""
    if rule in registry.rule_names(stage):
        return True
    if stage == "phrases":
        return rule in _phrase_rules(cfg)
    return bool(rule) and registry.open_rules(stage)


def check_rule_name(name: str, cfg: Config | None = None) -> None:
    """``name`` (of ``disable_rules`` or ``--disable``) must be a stage, ``STAGE.RULE`` or a known rule."""
    stages = registry.registry()
    if name in stages:
        return
    stage, dot, rule = name.partition(".")
    if dot:
        if stage not in stages:
            raise ConfigError(f"unknown stage {stage!r} in {name!r}; known stages: {', '.join(stages)}")
        if rule_known(stage, rule, cfg):
            return
        listed = tuple(sorted(_phrase_rules(cfg))) if stage == "phrases" else registry.rule_names(stage)
        raise ConfigError(f"unknown rule {name!r}; {stage} rules: {', '.join(listed) or 'none'}")
    if any(name in registry.rule_names(s) for s in stages) or name in _phrase_rules(cfg):
        return
    raise ConfigError(
        f"{name!r} is no stage and no known rule; use STAGE or STAGE.RULE (e.g. entities.variant; "
        f"rules of unicode and grammar are named STAGE.RULE, e.g. grammar.EN_A_VS_AN)"
    )


def _phrase_rules(cfg: Config | None) -> frozenset[str]:
    """Rule names in the phrases rules file (the configured one, else the bundled one)."""
    from .resources import path

    file = (cfg.stage_options("phrases").rules if cfg is not None else None) or path("phrases.toml")
    try:
        data = tomllib.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return frozenset()  # reported where the file is checked or loaded
    return frozenset(str(r.get("name")) for r in data.get("rule", []) if isinstance(r, dict) and r.get("name"))


@cache
def _styles_in(file: Path) -> tuple[str, ...]:
    from .resources import read_tsv

    return tuple(dict.fromkeys(row[0] for row in read_tsv(file) if row and row[0]))


def _styles() -> tuple[str, ...]:
    from .resources import path

    return _styles_in(path("style.tsv"))


def from_mapping(data: dict[str, Any], source: str = "<config>", base: Config | None = None) -> Config:
    """Build a Config from a parsed TOML table; unknown keys and bad values name ``source``."""
    data = dict(data)
    stages = registry.registry()  # a table named after a stage holds its options
    options = {k: data.pop(k) for k in list(data) if k in stages and isinstance(data[k], dict)}
    select, ignore = data.pop("select", None), data.pop("ignore", None)  # ruff-style; see selection.py
    unknown = set(data) - _FIELDS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_FIELDS))}")
    base_dir = Path(source).parent if source and not source.startswith("<") else Path(".")
    # lists from TOML become tuples (a single string is one file); anything else is left for Config's checks
    for key in ("gazetteers", "extra_words", "phrase_rules", "decisions"):
        if isinstance(data.get(key), str):
            data[key] = [data[key]]
        if isinstance(data.get(key), list):
            data[key] = tuple(str(base_dir / p) if isinstance(p, str) else p for p in data[key])
    if isinstance(data.get("disable_rules"), list):
        data["disable_rules"] = frozenset(data["disable_rules"])
    if isinstance(data.get("stages"), list):
        data["stages"] = tuple(data["stages"])
    if isinstance(options.get("phrases", {}).get("rules"), str):  # a rules file is relative to the config too
        options["phrases"] = {**options["phrases"], "rules": str(base_dir / options["phrases"]["rules"])}
    if options or "options" in data:
        merged = dict((base or Config()).options)
        merged.update(data.pop("options", {}))
        merged.update(options)
        data["options"] = merged
    try:
        cfg = replace(base or Config(), **data)
    except (TypeError, ValueError, ConfigError) as exc:
        raise ConfigError(f"{source}: {exc}") from None
    if select is not None or ignore is not None:
        from .selection import apply_selection

        cfg = apply_selection(cfg, select, ignore, source)
    return cfg


def load_file(path: str | Path, base: Config | None = None) -> Config:
    """Load ``cleaner.toml`` (top-level keys) or ``pyproject.toml`` (``[tool.cleaner]``)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        raw = raw.get("tool", {}).get("cleaner", {})
    elif "tool" in raw and "cleaner" in raw["tool"]:
        raw = raw["tool"]["cleaner"]
    return from_mapping(raw, str(path), base)


def discover(start: Path | None = None) -> Path | None:
    """Find ``cleaner.toml`` or a pyproject.toml with ``[tool.cleaner]`` in ``start`` or its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "cleaner.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "cleaner" in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {}):
                    return candidate
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                # it may hold [tool.cleaner]: running with other settings than the user's would be silent harm
                raise ConfigError(f"{candidate}: cannot read it to look for [tool.cleaner] ({exc}); fix it, "
                                  "or pass --config FILE or --no-config") from None
    return None


#: What marks a project's root folder: a version-control root, else a Python project's folder.
VCS_MARKERS = (".git", ".hg", ".svn")
PROJECT_MARKERS = ("pyproject.toml",)


def project_root(start: Path | None = None) -> Path:
    """The root of the project ``start`` (the current directory) is in: the nearest folder upwards holding
    ``.git``/``.hg``/``.svn``, else the nearest holding ``pyproject.toml``, else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    folders = (here, *here.parents)
    for markers in (VCS_MARKERS, PROJECT_MARKERS):
        for folder in folders:
            if any((folder / marker).exists() for marker in markers):
                return folder
    return here


def in_project(config_file: Path, start: Path | None = None) -> bool:
    """True if a discovered ``config_file`` sits in the project being cleaned: in its root or below it (so
    between the current directory and the root), not in a folder above it such as a home or /tmp."""
    root = project_root(start)
    folder = Path(config_file).resolve().parent
    return folder == root or root in folder.parents


def without_network(cfg: Config) -> tuple[Config, list[str]]:
    """``cfg`` without the settings that send text to a server (the grammar stage, ``languagetool_url``), and
    the names of those it had."""
    dropped = ["languagetool_url"] if cfg.languagetool_url else []
    if "grammar" in cfg.stages:
        dropped.append("grammar stage")
    if not dropped:
        return cfg, []
    return replace(cfg, languagetool_url=None, stages=tuple(s for s in cfg.stages if s != "grammar")), dropped
