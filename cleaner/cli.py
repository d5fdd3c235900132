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
                 grammar: bool, min_confidence: float | None, quotes: str | None) -> Config:
    """The Config for this run: --config, else a discovered cleaner.toml / [tool.cleaner], then the flags."""
    from .config import Config, discover, load_file

    if config_file:
        cfg = load_file(config_file)
    else:
        found = None if no_config else discover()
        cfg = load_file(found) if found else Config()
    cfg = cfg.with_stages(enable=list(enable) + (["grammar"] if grammar else []), disable=list(disable))
    if min_confidence is not None:
        cfg = replace(cfg, min_confidence=min_confidence)
    if quotes is not None:
        cfg = replace(cfg, quotes=quotes)
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
    return Runner(Cleaner(cfg), RunOptions()).main()


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
    except Exception as exc:  # a crash outside the run (the run reports its own): one line, exit 2, not 1
        sys.stderr.write(f"clean: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(2)


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from cleaner.cli import app`` (tests, embedding) loads typer on demand
        from .command import app

        return app
    raise AttributeError(name)
