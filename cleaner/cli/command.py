"""The typer application behind ``clean``: options -> Config + RunOptions -> :class:`cleaner.cli.runner.Runner`.

Imported by :mod:`cleaner.cli.app` only when there are arguments to parse.
"""

from __future__ import annotations

import typer

from .. import __version__
from ..core.rules import help_text, styles
from .app import build_config, setup_message

app = typer.Typer(add_completion=False, context_settings={"help_option_names": ["-h", "--help"]},
                  rich_markup_mode=None, pretty_exceptions_enable=False)

EXIT_HELP = """Exit codes: 0 success (nothing to change with --check); 1 --check found something to change;
2 some input failed (missing, undecodable, bad record, cleaning error), an output could not be written
(disk full, unwritable --report/--review/-o), bad options/config, or an internal error."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clean (cleaner) {__version__}")
        raise typer.Exit()


@app.command(help="Repair news text: markup, mojibake, spacing, garbled names, MT word choices, typos.\n\n"
             "PATHS are files, directories (searched recursively, see --glob) or - for standard input "
             "(the default).\n\n" + EXIT_HELP, epilog=help_text())
def clean_command(
    paths: list[str] | None = typer.Argument(None, help="Files, directories, or - for stdin.", show_default=False),
    output: str | None = typer.Option(None, "-o", "--output", help="Output file, or directory (mirrors inputs)."),
    in_place: bool = typer.Option(False, "-i", "--in-place", help="Rewrite files atomically."),
    glob: list[str] | None = typer.Option(None, "--glob", help="File pattern in directories [*.txt]."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Inputs are JSON Lines (auto for *.jsonl)."),
    field: str = typer.Option("text", "--field", help="JSONL/Parquet field to clean."),
    edits_field: str | None = typer.Option(None, "--edits-field", help="Add each record's edits in this field."),
    encoding: str | None = typer.Option(None, "--encoding", help="Force the input encoding (else detected)."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff instead of the text."),
    explain: bool = typer.Option(False, "--explain", help="Print a table of edits and suggestions."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 if anything would change."),
    report: str | None = typer.Option(None, "--report", help="Write a JSON report of edits and errors."),
    review: str | None = typer.Option(None, "--review", help="Write an HTML review page."),
    enable: list[str] | None = typer.Option(None, "--enable", help="Enable a stage (repeatable)."),
    disable: list[str] | None = typer.Option(None, "--disable", help="Disable a stage or a STAGE.RULE (repeatable)."),
    grammar: bool = typer.Option(False, "--grammar", help="Enable the grammar stage."),
    select: list[str] | None = typer.Option(None, "--select", help="Run only these STAGE or STAGE.RULE names "
                                            "(comma-separated or repeated; replaces the config's select)."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Leave out these STAGE or STAGE.RULE names."),
    statistics: bool = typer.Option(False, "--statistics", help="Print edits per rule (instead of the text)."),
    min_confidence: float | None = typer.Option(None, "--min-confidence", help="Apply edits at least this sure."),
    quotes: str | None = typer.Option(None, "--quotes", help="keep|ascii: keep typographic quotes or make them ASCII."),
    style: str | None = typer.Option(None, "--style", help="House style for names: " + "|".join(styles()) + "."),
    decisions: list[str] | None = typer.Option(None, "--decisions", metavar="FILE",
                                               help="Re-apply decisions exported from a --review page (repeatable)."),
    keep: list[str] | None = typer.Option(None, "--keep", metavar="TEXT",
                                          help="Never change this text (any letter case; repeatable; config: keep)."),
    config: str | None = typer.Option(None, "--config", help="Config file (cleaner.toml or pyproject.toml)."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore cleaner.toml / [tool.cleaner]."),
    jobs: int | None = typer.Option(None, "-j", "--jobs", help="Worker processes [all cores].", min=1),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary line, no progress."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="The summary line even when not on a terminal."),
    color: bool | None = typer.Option(None, "--color/--no-color", help="Colour diffs and --explain [on a terminal, "
                                      "unless NO_COLOR is set]."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar [on a terminal]."),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                         help="Clean symlinked files and directories leading outside a directory."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    from ..core.config import ConfigError
    from ..core.resources import DataError
    from .runner import Runner, RunOptions
    from .summary import EXIT_ERROR

    try:
        cfg = build_config(config, no_config, enable or [], disable or [], grammar, min_confidence, quotes,
                           select=select, ignore=ignore, style=style)
        from ..core.decisions import with_options

        cfg = with_options(cfg, decisions or [], keep or [])
    except (ConfigError, DataError) as exc:
        typer.echo(setup_message(exc), err=True)
        raise typer.Exit(EXIT_ERROR) from None
    from ..core.pipeline import Cleaner

    opts = RunOptions(paths=list(paths or ["-"]), output=output, in_place=in_place, globs=list(glob or []),
                      jsonl=jsonl, field=field, edits_field=edits_field, encoding=encoding, diff=diff,
                      explain=explain, check=check, report=report, review=review, jobs=jobs, quiet=quiet,
                      progress=progress, statistics=statistics, color=color, verbose=verbose,
                      follow_symlinks=follow_symlinks)
    raise typer.Exit(Runner(Cleaner(cfg), opts).main())
