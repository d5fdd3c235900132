"""Running the ``clean`` command: inputs -> (pool of) cleaners -> outputs, reports and counts.

Independent of the argument parser (``command.py`` builds :class:`RunOptions`), so it is easy to test and
to call from Python. Every input is processed even when others fail; a failed document or record passes
through unchanged and is counted; the exit code says what happened (see :mod:`cleaner.cli.summary`).
Which inputs there are is :mod:`.inputs`' job, where outputs go :mod:`.outputs`', what a worker does
:mod:`.tasks`'; this module streams each input through the pool and accounts for every outcome.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from ..core.atomic import AtomicFile, atomic_output, atomic_write
from ..core.parallel import OrderedPool, chunked, default_jobs
from .formats.decoding import InputError
from .formats.parquet import NEEDS_PYARROW, ParquetTable
from .formats.splitting import SPLIT_BYTES
from .formats.text import LargeFile, inspect, piece_chunks
from .inputs import InputFile, find_inputs, kind
from .outputs import OutputError, OutputPlan, StdoutSink, probe_writable, safe_output_path
from .progress import open_progress, wanted
from .reporting import JsonReport, Messages, RuleStats, explain_rows, format_table, unified_diff, use_color
from .summary import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERRUPTED, Totals
from .tasks import (
    BLANK,
    FAILED,
    SKIPPED,
    FileItem,
    FilesChunk,
    LinesChunk,
    Outcome,
    ValuesChunk,
    clean_chunk,
)

if TYPE_CHECKING:
    from ..core.pipeline import Cleaner
    from .review import ReviewCollector

#: Work is shipped to workers in chunks of about this size.
CHUNK_BYTES = 256 * 1024
CHUNK_FILES = 64
CHUNK_LINES = 1000
CHUNK_VALUES = 256


@dataclass
class RunOptions:
    """What the command line asked for (``clean --help`` documents each option); with the Cleaner, all a
    run needs, so Python callers and tests drive the runner without the argument parser."""

    paths: list[str] = field(default_factory=lambda: ["-"])
    output: str | None = None
    in_place: bool = False
    globs: list[str] = field(default_factory=list)
    jsonl: bool = False
    field: str = "text"
    edits_field: str | None = None
    encoding: str | None = None
    diff: bool = False
    explain: bool = False
    check: bool = False
    report: str | None = None
    review: str | None = None
    jobs: int | None = None
    quiet: bool = False
    progress: bool | None = None  # None: on a terminal only
    statistics: bool = False  # edits per rule to stdout at the end (instead of the text)
    color: bool | None = None  # None: on a terminal only (and not with NO_COLOR)
    verbose: bool = False  # the summary line even when stderr is not a terminal
    follow_symlinks: bool = False


class UsageError(Exception):
    """The options do not make sense together; nothing was processed."""


class Runner:
    """One run of the command. ``stdout`` is a binary stream; messages and the summary go to ``stderr``."""

    def __init__(self, cleaner: Cleaner, opts: RunOptions, stdout: BinaryIO | None = None,
                 stderr: IO[str] | None = None, stdin: BinaryIO | None = None) -> None:
        self.cleaner = cleaner
        self.opts = opts
        self.real_stdout = stdout is None
        self.stdout = StdoutSink(stdout or sys.stdout.buffer)
        self.stderr = stderr or sys.stderr
        self.stdin = stdin or sys.stdin.buffer
        self.totals = Totals()
        self.messages = Messages(self.stderr, quiet=opts.quiet)
        self.keep_results = bool(opts.explain or opts.diff or opts.report or opts.review or opts.statistics)
        self.emit_text = not (opts.output or opts.in_place or opts.diff or opts.explain or opts.check
                              or opts.statistics)
        self.color = use_color(opts.color, self.stdout)
        self.stats = RuleStats() if opts.statistics else None
        self.report: JsonReport | None = None
        self.review: ReviewCollector | None = None
        self.outputs = OutputPlan(in_place=opts.in_place, check=opts.check)
        self.current: str | None = None

    # ------------------------------------------------------------------------------------------ setup

    def _plan_outputs(self, inputs: list[InputFile]) -> None:
        """Check the options against the inputs and settle where outputs go, before any work: a bad
        combination or an unwritable output stops the run with nothing cleaned and nothing written."""
        opts = self.opts
        if opts.in_place and opts.output:
            raise UsageError("--in-place and -o/--output cannot be used together")
        if opts.in_place and any(i.is_stdin for i in inputs):
            raise UsageError("--in-place cannot rewrite standard input")
        folder = next((p for p in opts.paths if p != "-" and Path(p).is_dir()), None)
        if folder is not None and self.emit_text:  # its files' texts would be glued together on stdout
            if not (opts.report or opts.review):
                raise UsageError(f"{folder} is a directory: give -o DIR to write the cleaned tree there, -i to clean"
                                 " in place, or --check, --diff, --explain, --statistics, --report or --review to "
                                 "see what would change")
            self.emit_text = False  # the report or review page is what was asked for
        if opts.review:
            review = Path(opts.review)
            if review.is_dir():
                raise OutputError(f"--review {review}: is a directory")
            try:
                review.parent.mkdir(parents=True, exist_ok=True)  # as the review writer will
            except OSError as exc:
                raise OutputError(f"--review {review}: cannot write: {exc.strerror or exc}") from None
            probe_writable(review.parent if str(review.parent) else Path("."), "--review")
        many = len(inputs) > 1 or any(Path(p).is_dir() for p in opts.paths if p != "-")
        self.outputs = OutputPlan.make(opts.output, opts.in_place, opts.check, many)

    def _progress_enabled(self) -> bool:
        opts = self.opts
        stdout_busy = self.emit_text or opts.diff or opts.explain or opts.statistics or opts.check
        return wanted(opts.progress, opts.quiet, self.stderr, bool(stdout_busy))

    # ------------------------------------------------------------------------------------------ run

    def main(self) -> int:
        """:meth:`run`, with every failure turned into one message on stderr and an exit code.

        Exit 2 for a usage error, an output that cannot be written (the run stops: standard output, a
        report, the output directory), a dead worker or an internal error; 130 for Ctrl-C; 141, silently,
        for a broken pipe.
        """
        from concurrent.futures import BrokenExecutor

        try:
            return self.run()
        except BrokenPipeError:  # `clean big.txt | head`: the reader went away; stop quietly, as cat does
            if self.real_stdout:
                self._silence_stdout()
            return EXIT_BROKEN_PIPE
        except (UsageError, InputError, OutputError) as exc:
            self._fatal(str(exc))
        except BrokenExecutor as exc:
            self._fatal(f"a worker process died ({exc}); outputs written so far are complete, the rest were not "
                        "written")
        except KeyboardInterrupt:
            self._fatal("interrupted")
            return EXIT_INTERRUPTED
        except Exception as exc:  # a bug: one line, not a traceback; no output is left half-written
            where = f" while processing {self.current}" if self.current else ""
            self._fatal(f"internal error{where}: {type(exc).__name__}: {exc}")
        return EXIT_ERROR

    def _fatal(self, message: str) -> None:
        if self.report is not None:
            self.report.abort()
        if self.real_stdout and message.startswith("standard output"):
            self._silence_stdout()
        self.stderr.write(f"clean: {message}\n")

    @staticmethod
    def _silence_stdout() -> None:
        """Nothing more can be written to stdout: point it at /dev/null so the final flush succeeds."""
        import os

        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass

    def run(self) -> int:
        opts = self.opts
        start = time.perf_counter()
        globs = opts.globs or (["*.jsonl"] if opts.jsonl else ["*.txt"])
        inputs = list(find_inputs(opts.paths or ["-"], globs, opts.follow_symlinks))
        self._plan_outputs(inputs)
        if opts.review:
            from .review import ReviewCollector  # another module's job; loaded only when asked for

            # the page starts from the run's decisions
            self.review = ReviewCollector(decision_files=self.cleaner.config.decisions)
        records = any(kind(i, opts.jsonl) in ("jsonl", "parquet") for i in inputs)
        self.progress = open_progress(self._progress_enabled(), self.stderr, inputs, bool(opts.progress), records)
        self.messages.stream = self.progress.messages(self.messages.stream)
        with ExitStack() as stack:
            stack.callback(self.progress.close)
            if opts.report:
                try:
                    self.report = JsonReport(opts.report)
                except OSError as exc:
                    raise OutputError(f"--report {opts.report}: cannot write: {exc.strerror or exc}") from None
            pool = stack.enter_context(OrderedPool(self.cleaner, opts.jobs or default_jobs()))
            text_run: list[InputFile] = []
            for inp in inputs:
                what = kind(inp, opts.jsonl)
                if what == "text":
                    text_run.append(inp)
                    continue
                self._text_files(pool, text_run)
                text_run = []
                if what == "error":
                    self._input_error(inp)
                elif what == "skip":
                    self.totals.skipped += 1
                    self.messages.say(inp.name, inp.name, inp.skip or "skipped")
                elif what == "jsonl":
                    self._jsonl(pool, inp)
                else:
                    self._parquet(pool, inp)
            self._text_files(pool, text_run)
        self.messages.stream = self.stderr
        seconds = time.perf_counter() - start
        stats = self.totals.as_dict(seconds)
        if self.review is not None and opts.review:
            try:
                self.review.write(opts.review, {"documents": self.totals.files + self.totals.records,
                                                "edits": self.totals.edits, "errors": self.totals.failed,
                                                "seconds": seconds, "bytes": self.totals.bytes})
            except OSError as exc:
                raise OutputError(f"--review {opts.review}: cannot write: {exc.strerror or exc}") from None
        if self.report is not None:
            self.report.close(stats)
        if self.stats is not None:
            self._write_text(self.stats.table())
        self.stdout.flush()
        if opts.check and not opts.quiet:  # said even when nothing would change: silence looks like a failure
            self.stderr.write(self.totals.check_summary() + "\n")
        if not opts.quiet and (opts.verbose or (_isatty(self.stderr) and not opts.check)):
            self.stderr.write(self.totals.summary(seconds, opts.check) + "\n")
        return self.totals.exit_code(opts.check)

    def _input_error(self, inp: InputFile) -> None:
        self.totals.failed += 1
        self.messages.say(inp.name, inp.name, inp.error or "failed")
        if self.review is not None:
            self.review.add_error(inp.name, inp.error or "failed")
        if self.report is not None:
            self.report.add(inp.name, None, [inp.error or "failed"])

    # ------------------------------------------------------------------------------------------ per document

    def _account(self, o: Outcome, file: str, count_change: bool | None = None) -> None:
        """Count one outcome and feed every report; nothing is written here.

        ``count_change`` overrides whether a changed outcome adds to the changed count (the pieces of
        one large file count once)."""
        t = self.totals
        t.bytes += o.size
        if o.notice:
            self.messages.say(file, o.name, o.notice)
        if o.message:
            self.messages.say(file, o.name, o.message)
        if o.status == FAILED:
            t.failed += 1
        elif o.status == SKIPPED:
            t.skipped += 1
        t.edits += o.edits
        t.suggestions += o.suggestions
        t.changed += o.changed if count_change is None else count_change
        for err in o.stage_errors:
            t.stage_errors += 1
            self.messages.say(file, o.name, f"stage error, partly cleaned: {err}")
        errors = [o.message] if o.status == FAILED and o.message else []
        if self.report is not None:
            self.report.add(o.name, o.result, errors)
        if self.review is not None:
            if o.result is not None:
                self.review.add(o.name, o.result)
            elif o.status == FAILED:
                self.review.add_error(o.name, o.message or "failed")
        if o.result is not None:
            if self.stats is not None:
                self.stats.add(o.result)
            if self.opts.explain:
                self._write_text(format_table(explain_rows(o.name, o.result, self.color)))
            if self.opts.diff:
                self._write_text(unified_diff(o.name, o.result.original, o.result.text, self.color))
        if self.opts.check and o.changed and count_change is None:
            self._write_text(f"would change: {o.name} ({o.edits} edit(s))\n")
        elif self.opts.check and count_change:  # the first changed piece of a large file: the file, once
            self._write_text(f"would change: {file}\n")

    def _write_text(self, s: str) -> None:
        if s:
            self.stdout.write(s.encode("utf-8", errors="surrogateescape"))

    def _target(self, inp: InputFile) -> Path | None:
        """Where this input's output goes (None: standard output or nowhere)."""
        return self.outputs.target(inp.path, inp.rel)

    # ------------------------------------------------------------------------------------------ text files

    def _text_files(self, pool: OrderedPool, inputs: list[InputFile]) -> None:
        """Small files go to the pool in batches; a file above ``SPLIT_BYTES`` is streamed in pieces."""
        batch: list[tuple[InputFile, bytes | None]] = []
        for inp in inputs:
            if inp.is_stdin:
                head = self.stdin.read(SPLIT_BYTES + 1)
                if len(head) > SPLIT_BYTES:
                    self._small_files(pool, batch)
                    batch = []
                    self._large_file(pool, inp, head)
                    continue
                batch.append((inp, head))
                continue
            try:
                big = inp.path is not None and inp.path.stat().st_size > SPLIT_BYTES
            except OSError:
                big = False
            if big:
                self._small_files(pool, batch)
                batch = []
                self._large_file(pool, inp, None)
            else:
                batch.append((inp, None))
        self._small_files(pool, batch)

    def _small_files(self, pool: OrderedPool, batch: list[tuple[InputFile, bytes | None]]) -> None:
        if not batch:
            return
        by_name = {inp.name: inp for inp, _ in batch}
        items = [FileItem(inp.name, str(inp.path) if inp.path else None, data) for inp, data in batch]
        chunks = (FilesChunk(self.opts.encoding, self.keep_results, c)
                  for c in chunked(items, CHUNK_FILES, CHUNK_BYTES, FileItem.size))
        for outcomes in pool.map(clean_chunk, chunks):
            for o in outcomes:
                self.current = o.name
                self._text_outcome(by_name[o.name], o)
            self.progress.update(len(outcomes), sum(o.size for o in outcomes), files=len(outcomes))

    def _text_outcome(self, inp: InputFile, o: Outcome) -> None:
        self.totals.files += 1
        self._account(o, inp.name)
        try:
            target = self._target(inp)
            if target is None:
                if self.emit_text and o.out is not None:
                    self.stdout.write(o.out)
            elif self.opts.in_place:
                if o.out is not None and o.rewritten:
                    atomic_write(target, o.out)
            elif o.out is not None:
                atomic_write(target, o.out)
            elif inp.path is not None and self.outputs.out_dir is not None:
                shutil.copyfile(inp.path, target)  # unreadable here: a plain copy may still work
        except BrokenPipeError:
            raise
        except (InputError, OSError) as exc:
            self._write_failed(inp.name, exc)
        self.messages.finish_file(inp.name)

    def _large_file(self, pool: OrderedPool, inp: InputFile, head: bytes | None) -> None:
        """Clean a large text file as pieces (see :mod:`cleaner.cli.formats.splitting`), written in order as they come.

        Pieces are named ``FILE:LINE`` after their first line, as JSONL records are. A piece that fails
        is written unchanged. With ``--in-place`` the file is replaced only if some piece changed.
        """
        self.totals.files += 1
        self.current = inp.name
        opts = self.opts
        try:
            src = self._open_input(inp)
        except OSError as exc:
            self._input_failed(inp, f"cannot read: {exc.strerror or exc}")
            return
        with src as fh:
            if head is None:
                head = fh.read(SPLIT_BYTES)
            large = inspect(head, opts.encoding)
            if large.problem is not None:
                self._large_unchanged(inp, fh, head, large.problem, large.binary)
                return
            if large.detected:
                self.messages.say(inp.name, inp.name, f"decoded as {large.codec} (detected from the first "
                                  f"{len(head) >> 10} KB; written back as {large.codec}, --encoding forces one)")
            self._large_pieces(pool, inp, fh, head, large)
        self.messages.finish_file(inp.name)

    def _large_pieces(self, pool: OrderedPool, inp: InputFile, fh: BinaryIO, head: bytes, large: LargeFile) -> None:
        opts = self.opts
        changed = False
        try:
            target = self._target(inp)
            with ExitStack() as stack:
                out: AtomicFile | None = None
                if target is not None:
                    out = AtomicFile(target)
                    stack.callback(out.abort)  # unless committed below
                    sink: Any = out.fh
                else:
                    sink = self.stdout if self.emit_text else None
                if sink is not None:
                    sink.write(large.bom)
                chunks = piece_chunks(inp.name, fh.read, head, large, not opts.encoding, self.keep_results,
                                      CHUNK_BYTES)
                for outcomes in pool.map(clean_chunk, chunks):
                    for o in outcomes:
                        self.current = o.name
                        counted_change = o.changed and not changed
                        changed = changed or o.changed
                        self._account(o, inp.name, count_change=counted_change)
                        if sink is not None:
                            sink.write(o.out)
                    self.progress.update(len(outcomes), sum(o.size for o in outcomes))
                if out is not None and (changed or not opts.in_place):
                    out.commit()
        except BrokenPipeError:
            raise
        except (InputError, OSError) as exc:
            self._write_failed(inp.name, exc)

    def _large_unchanged(self, inp: InputFile, fh: BinaryIO, head: bytes, problem: str, binary: bool) -> None:
        """A large file that cannot be cleaned: reported, and copied unchanged wherever output goes."""
        if binary:
            self.totals.skipped += 1
        else:
            self.totals.failed += 1
        self.messages.say(inp.name, inp.name, problem)
        try:
            target = None if self.opts.in_place else self._target(inp)
            sink: Any = None
            with ExitStack() as stack:
                if target is not None:
                    sink = stack.enter_context(atomic_output(target))
                elif self.emit_text:
                    sink = self.stdout
                if sink is not None:
                    sink.write(head)
                    shutil.copyfileobj(fh, sink, 1 << 20)
        except BrokenPipeError:
            raise
        except (InputError, OSError) as exc:
            self._write_failed(inp.name, exc)
        self.messages.finish_file(inp.name)

    def _input_failed(self, inp: InputFile, message: str) -> None:
        self.totals.failed += 1
        self.messages.say(inp.name, inp.name, message)

    def _write_failed(self, name: str, exc: Exception) -> None:
        self.totals.failed += 1
        msg = str(exc) if isinstance(exc, InputError) else f"cannot write: {exc}"
        self.messages.say(name, name, msg)

    # ------------------------------------------------------------------------------------------ JSONL

    def _jsonl(self, pool: OrderedPool, inp: InputFile) -> None:
        self.totals.files += 1
        opts = self.opts
        try:
            target = self._target(inp)
            source = self._open_input(inp)
        except (InputError, OSError) as exc:
            self.totals.failed += 1
            self.messages.say(inp.name, inp.name, str(exc) if isinstance(exc, InputError) else f"cannot read: {exc}")
            return
        try:
            with ExitStack() as stack:
                src = stack.enter_context(source)
                if target is not None:
                    sink: BinaryIO | StdoutSink | None = stack.enter_context(atomic_output(target))
                else:
                    sink = self.stdout if self.emit_text else None
                keep = self.keep_results

                def chunks() -> Iterator[LinesChunk]:
                    first = 1
                    for lines in chunked(src, CHUNK_LINES, CHUNK_BYTES, len):
                        yield LinesChunk(inp.name, first, opts.field, opts.edits_field, keep, lines)
                        first += len(lines)

                for outcomes in pool.map(clean_chunk, chunks()):
                    for o in outcomes:
                        self.current = o.name
                        if o.status != BLANK:
                            self.totals.records += 1
                        self._account(o, inp.name)
                        if sink is not None:
                            sink.write(o.out)
                    self.progress.update(len(outcomes), sum(o.size for o in outcomes))
        except BrokenPipeError:
            raise
        except OSError as exc:
            self._write_failed(inp.name, exc)
        self.progress.update(0, 0, files=1)
        self.messages.finish_file(inp.name)

    # ------------------------------------------------------------------------------------------ Parquet

    def _parquet(self, pool: OrderedPool, inp: InputFile) -> None:
        """Clean one column of a Parquet file (see :mod:`.formats.parquet`), written back batch by batch."""
        self.totals.files += 1
        opts = self.opts
        try:
            table = ParquetTable(inp.path, opts.field, opts.edits_field)
        except ImportError:
            self.totals.failed += 1
            self.messages.say(inp.name, inp.name, NEEDS_PYARROW)
            return
        except (InputError, OSError) as exc:
            self._parquet_unusable(inp, exc)
            return
        try:
            target = self._target(inp)
            if target is None and self.emit_text:
                raise InputError("Parquet output needs -o/--output or --in-place")
        except (InputError, OSError) as exc:
            self._parquet_unusable(inp, exc)
            return
        keep = self.keep_results or bool(opts.edits_field)
        batches: deque[Any] = deque()
        ends: deque[bool] = deque()  # per chunk sent: is it the last of its batch?

        def chunks() -> Iterator[ValuesChunk]:
            row = 0
            for batch, values in table.batches():
                batches.append(batch)
                starts = list(range(0, len(values), CHUNK_VALUES)) or [0]
                for k, s in enumerate(starts):
                    ends.append(k == len(starts) - 1)
                    yield ValuesChunk(inp.name, row + s, keep, values[s : s + CHUNK_VALUES])
                row += len(values)

        try:
            with ExitStack() as stack:
                writer = None
                if target is not None:
                    fh = stack.enter_context(atomic_output(target))
                    writer = stack.enter_context(table.writer(fh))
                collected: list[Outcome] = []
                for outcomes in pool.map(clean_chunk, chunks()):
                    for o in outcomes:
                        self.current = o.name
                        self.totals.records += 1
                        self._account(o, inp.name)
                    collected += outcomes
                    self.progress.update(len(outcomes), sum(o.size for o in outcomes))
                    if not ends.popleft():
                        continue
                    batch = batches.popleft()
                    if writer is not None:
                        table.write(writer, batch, [o.out for o in collected],
                                    [[e.to_dict() for e in o.result.edits] if o.result is not None else None
                                     for o in collected])
                    collected = []
        except BrokenPipeError:
            raise
        except table.errors as exc:
            self._write_failed(inp.name, exc)
        self.progress.update(0, 0, files=1)
        self.messages.finish_file(inp.name)

    def _parquet_unusable(self, inp: InputFile, exc: Exception) -> None:
        """A Parquet file that cannot be cleaned: reported, and copied unchanged into an output directory."""
        self.totals.failed += 1
        self.messages.say(inp.name, inp.name, str(exc))
        out_dir = self.outputs.out_dir
        if out_dir is not None and inp.path is not None and not self.opts.check:
            try:
                shutil.copyfile(inp.path, safe_output_path(out_dir, inp.rel))
            except (InputError, OSError):
                pass

    def _open_input(self, inp: InputFile) -> AbstractContextManager[BinaryIO]:
        """The input's bytes: standard input (left open afterwards) or the file."""
        if inp.path is None:
            return nullcontext(self.stdin)
        return open(inp.path, "rb")  # noqa: SIM115 (the caller's with-block closes it)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
