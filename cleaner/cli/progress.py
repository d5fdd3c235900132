"""The progress bar of the ``clean`` command: percentage and ETA when the total is known.

Shown only on a terminal (standard error), never in pipes or CI (see :func:`wanted`); ``--progress``
forces it, ``--no-progress`` and ``-q`` turn it off. Rich (which typer already brings) draws it and is
imported only when a bar is shown, so the plain ``echo text | clean`` path never loads it.

The measure is bytes: the sizes of the input files are known before the run (``stat``), so a directory of
files and one large text or JSONL file both get a percentage and an ETA; with several inputs the bar also
counts files. Standard input and Parquet (whose values are not its file bytes) have no known total: the bar
then shows what was done and the rate, without a percentage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from .inputs import PARQUET_SUFFIXES

if TYPE_CHECKING:
    from .inputs import InputFile

#: Inputs whose processed sizes are not file bytes (the bar has no total when one is present).
NO_BYTE_TOTAL = PARQUET_SUFFIXES


def wanted(flag: bool | None, quiet: bool, stderr: Any, stdout_busy: bool) -> bool:
    """Show a bar? ``flag`` (``--progress/--no-progress``) decides; otherwise not with ``-q``, in CI
    (``CI`` set), with ``TERM=dumb``, or unless standard error is a terminal; nor when results are being
    written to standard output that is the same terminal (``stdout_busy``: the bar would garble them)."""
    if flag is not None:
        return flag
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    if not _isatty(stderr):
        return False
    return not (stdout_busy and _isatty(sys.stdout))


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def totals(inputs: Sequence[InputFile]) -> tuple[int | None, int]:
    """(total bytes, or None when unknown; number of inputs) for a run over ``inputs``."""
    total = 0
    for inp in inputs:
        if inp.error:
            continue
        if inp.path is None or inp.name.lower().endswith(NO_BYTE_TOTAL):
            return None, len(inputs)
        try:
            total += inp.path.stat().st_size
        except OSError:
            pass
    return total, len(inputs)


class NoProgress:
    """The silent stand-in: counts nothing, shows nothing."""

    def update(self, docs: int, nbytes: int, files: int = 0) -> None:
        pass

    def messages(self, stream: IO[str]) -> IO[str]:
        """Where to write messages while the bar is shown (so they appear above it, not through it)."""
        return stream

    def close(self) -> None:
        pass


class RichProgress(NoProgress):
    """A rich progress bar on ``stream``: bytes done of ``total_bytes`` (percentage, rate, ETA), records
    done (when there are records: JSONL, Parquet), and files done of ``total_files`` when there are several."""

    def __init__(self, stream: IO[str], total_bytes: int | None, total_files: int, force: bool = False,
                 records: bool = True) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        console = Console(file=stream, force_terminal=True if force else None, stderr=True, highlight=False)
        # fits 80 columns: bar, percentage, bytes done/total, rate, [records], [files], ETA
        columns: list[Any] = [BarColumn(bar_width=16), TaskProgressColumn(), DownloadColumn(), TransferSpeedColumn()]
        if records:
            columns.append(TextColumn("{task.fields[docs]:,} records"))
        if total_files > 1:
            columns.append(TextColumn("{task.fields[files]}/" + f"{total_files:,} files"))
        columns += [TextColumn("eta"), TimeRemainingColumn(compact=True)]
        self.bar = Progress(*columns, console=console, transient=True, refresh_per_second=5)
        self.task = self.bar.add_task("clean", total=total_bytes or None, docs=0, files=0)
        self.docs = self.files = 0
        self.bar.start()

    def update(self, docs: int, nbytes: int, files: int = 0) -> None:
        self.docs += docs
        self.files += files
        self.bar.update(self.task, advance=nbytes, docs=self.docs, files=self.files)

    def messages(self, stream: IO[str]) -> IO[str]:
        return _Above(self.bar.console)  # type: ignore[return-value]

    def close(self) -> None:
        self.bar.stop()


class _Above:
    """A text stream that prints whole lines through the bar's console, above the bar."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.partial = ""

    def write(self, s: str) -> int:
        *lines, self.partial = (self.partial + s).split("\n")
        for line in lines:
            self.console.print(line, markup=False, highlight=False, soft_wrap=True, emoji=False)
        return len(s)

    def flush(self) -> None:
        if self.partial:
            self.write("\n")


def open_progress(show: bool, stream: IO[str], inputs: Sequence[InputFile], force: bool = False,
                  records: bool = True) -> NoProgress:
    """The bar for a run over ``inputs`` (a silent stand-in when ``show`` is false); ``records``: some inputs
    hold records (JSONL, Parquet), so the bar counts them."""
    if not show:
        return NoProgress()
    total_bytes, total_files = totals(inputs)
    return RichProgress(stream, total_bytes, total_files, force, records)
