"""The ``clean`` console script.

With no arguments (``echo text | clean``) it runs the defaults directly; otherwise it hands over to the
typer application in :mod:`cleaner.cli.command`. Importing typer (and pydantic under it) costs ~0.25 s, so it
is only paid when there are options to parse.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.config import Config


def build_config(config_file: str | None, no_config: bool, enable: list[str], disable: list[str],
                 grammar: bool, min_confidence: float | None, quotes: str | None,
                 select: list[str] | None = None, ignore: list[str] | None = None,
                 style: str | None = None) -> Config:
    """The Config for this run: --config, else a discovered cleaner.toml / [tool.cleaner], then the flags
    (``--select`` replaces the file's selection, ``--ignore`` adds to it, as in ruff); checked against the
    file system too (:meth:`Config.check`), so a bad config stops the run before any input is read.
    ``--disable`` takes stages and ``STAGE.RULE`` names. A config discovered above the project being cleaned
    cannot send text to a server (see docs/config.md)."""
    from ..core.config import Config, ConfigError, discover, in_project, load_file, without_network
    from ..stages import registry

    found = None
    if config_file:
        cfg = load_file(config_file)
    else:
        found = None if no_config else discover()
        cfg = load_file(found) if found else Config()
        if found and not in_project(found):
            cfg, dropped = without_network(cfg)
            if dropped:
                verb = "are" if len(dropped) > 1 else "is"
                sys.stderr.write(f"clean: config: {found} is outside this project, so its {' and '.join(dropped)} "
                                 f"{verb} ignored (pass --grammar, or --config FILE, to use it)\n")
    if select or ignore:
        from ..core.selection import apply_selection

        cfg = apply_selection(cfg, select or None, ignore)
    stages = set(registry())
    cfg = cfg.with_stages(enable=list(enable) + (["grammar"] if grammar else []),
                          disable=[d for d in disable if d in stages])
    rules_off = [d for d in disable if d not in stages]
    if rules_off:
        cfg = replace(cfg, disable_rules=cfg.disable_rules | set(rules_off))
    if min_confidence is not None:
        cfg = replace(cfg, min_confidence=min_confidence)
    if quotes is not None:
        cfg = replace(cfg, quotes=quotes)
    if style is not None:
        from ..core.rules import styles

        if style not in styles():
            raise ConfigError(f"--style: unknown style {style!r}; known styles: {', '.join(styles())}")
        cfg = replace(cfg, style=style)
    try:
        return cfg.check()
    except ConfigError as exc:
        source = config_file or found
        raise ConfigError(f"{source}: {exc}" if source else str(exc)) from None


def setup_message(exc: Exception) -> str:
    """The one line for a config or data error that stops a run before any input is read."""
    from ..core.config import ConfigError

    if isinstance(exc, ConfigError) and not str(exc).startswith("--"):  # an option's own error names the option
        return f"clean: config: {exc}"
    return f"clean: {exc}"


def _run_plain() -> int:
    """``clean`` with no arguments: stdin -> stdout with the defaults, exactly as the typer command does."""
    from ..core.config import ConfigError
    from ..core.pipeline import Cleaner
    from ..core.resources import DataError
    from .runner import Runner, RunOptions
    from .summary import EXIT_ERROR

    try:
        cfg = build_config(None, False, [], [], False, None, None)
    except (ConfigError, DataError) as exc:
        sys.stderr.write(setup_message(exc) + "\n")
        return EXIT_ERROR
    return Runner(Cleaner(cfg), RunOptions()).main()


def main() -> None:
    """Console-script entry point."""
    from ..language import gazetteer

    gazetteer.FREEZE_AFTER_LOAD = True  # this process is ours: freeze the loaded tables (see gazetteer.no_gc)
    try:
        if len(sys.argv) == 1:
            sys.exit(_run_plain())
        from .command import app

        app(prog_name="clean")
    except BrokenPipeError:  # `clean big.jsonl | head`: the reader went away; stop quietly like cat does
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
    except Exception as exc:  # a crash outside the run (the run reports its own): one line, exit 2, not 1
        sys.stderr.write(f"clean: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from cleaner.cli.app import app`` (tests, embedding) loads typer on demand
        from .command import app

        return app
    raise AttributeError(name)
