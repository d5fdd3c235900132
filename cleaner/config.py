"""Configuration: defaults, profiles and TOML files (``cleaner.toml`` or ``[tool.cleaner]``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

#: The order stages run in. ``grammar`` is registered but off by default (it needs a server).
STAGE_ORDER: tuple[str, ...] = ("markup", "unicode", "spacing", "scripts", "entities", "phrases", "spelling", "grammar")
DEFAULT_STAGES: tuple[str, ...] = ("markup", "unicode", "spacing", "scripts", "entities", "phrases", "spelling")


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
    #: Per-stage options, e.g. ``{"grammar": {"allow_rules": [...]}}``.
    options: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self) -> None:
        from .stages import registry  # late: stages import config

        known = registry()
        for name in self.stages:
            if name not in known:
                raise ConfigError(f"unknown stage {name!r}; known stages: {', '.join(known)}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        if self.quotes not in ("keep", "ascii"):
            raise ConfigError(f"quotes must be 'keep' or 'ascii', got {self.quotes!r}")
        ordered = tuple(s for s in STAGE_ORDER if s in self.stages) + tuple(
            s for s in self.stages if s not in STAGE_ORDER
        )
        object.__setattr__(self, "stages", ordered)
        object.__setattr__(self, "disable_rules", frozenset(self.disable_rules))
        object.__setattr__(self, "gazetteers", tuple(self.gazetteers))
        object.__setattr__(self, "extra_words", tuple(self.extra_words))

    def with_stages(self, enable: list[str] | None = None, disable: list[str] | None = None) -> Config:
        stages = [s for s in self.stages if s not in (disable or [])]
        stages += [s for s in (enable or []) if s not in stages]
        return replace(self, stages=tuple(stages))

    def stage_options(self, stage: str) -> dict[str, Any]:
        return dict(self.options.get(stage, {}))


_FIELDS = {f.name for f in fields(Config)}


def from_mapping(data: dict[str, Any], source: str = "<config>", base: Config | None = None) -> Config:
    """Build a Config from a parsed TOML table; unknown keys and bad values name ``source``."""
    data = dict(data)
    options = {k: data.pop(k) for k in list(data) if k in STAGE_ORDER and isinstance(data[k], dict)}
    unknown = set(data) - _FIELDS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_FIELDS))}")
    base_dir = Path(source).parent if source and not source.startswith("<") else Path(".")
    for key in ("gazetteers", "extra_words"):
        if key in data:
            data[key] = tuple(str(base_dir / p) for p in data[key])
    if "disable_rules" in data:
        data["disable_rules"] = frozenset(data["disable_rules"])
    if "stages" in data:
        data["stages"] = tuple(data["stages"])
    if options or "options" in data:
        merged = dict((base or Config()).options)
        merged.update(data.pop("options", {}))
        merged.update(options)
        data["options"] = merged
    try:
        return replace(base or Config(), **data)
    except (TypeError, ConfigError) as exc:
        raise ConfigError(f"{source}: {exc}") from None


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
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                return None
    return None
