"""The ``clean`` console script.

With no arguments (``echo text | clean``) it runs the defaults directly; otherwise it hands over to the
typer application in :mod:`cleaner.command`. Importing typer (and pydantic under it) costs ~0.25 s, so it
is only paid when there are options to parse.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Config


def build_config(config_file: str | None, no_config: bool, enable: list[str], disable: list[str],
                 grammar: bool, min_confidence: float | None, quotes: str | None,
                 select: list[str] | None = None, ignore: list[str] | None = None,
                 style: str | None = None) -> Config:
    """The Config for this run: --config, else a discovered cleaner.toml / [tool.cleaner], then the flags
    (``--select`` replaces the file's selection, ``--ignore`` adds to it, as in ruff)."""
    from .config import Config, ConfigError, discover, load_file

    if config_file:
        cfg = load_file(config_file)
    else:
        found = None if no_config else discover()
        cfg = load_file(found) if found else Config()
    if select or ignore:
        from .selection import apply_selection

        cfg = apply_selection(cfg, select or None, ignore)
    cfg = cfg.with_stages(enable=list(enable) + (["grammar"] if grammar else []), disable=list(disable))
    if min_confidence is not None:
        cfg = replace(cfg, min_confidence=min_confidence)
    if quotes is not None:
        cfg = replace(cfg, quotes=quotes)
    if style is not None:
        from .rules import styles

        if style not in styles():
            raise ConfigError(f"--style: unknown style {style!r}; known styles: {', '.join(styles())}")
        cfg = replace(cfg, style=style)
    return cfg



def _run_plain() -> int:
    """``clean`` with no arguments: stdin -> stdout with the defaults, exactly as the typer command does."""
    from .config import ConfigError
    from .pipeline import Cleaner
    from .runner import EXIT_ERROR, Runner, RunOptions

    try:
        cfg = build_config(None, False, [], [], False, None, None)
    except ConfigError as exc:
        sys.stderr.write(f"clean: config: {exc}\n")
        return EXIT_ERROR
    return Runner(Cleaner(cfg), RunOptions()).run()


def main() -> None:
    """Console-script entry point."""
    from . import gazetteer

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


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from cleaner.cli import app`` (tests, embedding) loads typer on demand
        from .command import app

        return app
    raise AttributeError(name)
