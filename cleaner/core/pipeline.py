"""The Cleaner: config -> ordered stages -> Result."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import TYPE_CHECKING, Any

from . import registry as stage_registry
from .config import Config
from .edits import Edit, OffsetMap, apply_edits, drop_overlaps, move_span, normalise, shift_positions
from .resources import DataError

if TYPE_CHECKING:
    from .decisions import Guard

_UNSET: Any = object()


@dataclass
class Result:
    """What cleaning one text produced.

    ``edits`` are the applied changes with offsets into the ORIGINAL input (``start``/``end``, ``before``)
    and into the output (``out_start``/``out_end``); ``suggestions`` are changes a stage proposed below
    the confidence threshold (offsets into the original input too; not applied).
    """

    original: str
    text: str
    edits: list[Edit] = field(default_factory=list)
    suggestions: list[Edit] = field(default_factory=list)
    offset_map: OffsetMap = field(default_factory=OffsetMap)
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: edits not made because of the keep list or a review decision (offsets into the original input)
    rejected: list[Edit] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_input(self, pos: int, side: str = "left") -> int:
        """Map an offset in ``text`` to the offset in ``original`` it came from."""
        return self.offset_map.to_input(pos, side)

    def to_input_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` to the span of ``original`` that produced it."""
        return self.offset_map.to_input_span(start, end)

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "changed": self.changed,
            "edits": [e.to_dict() for e in self.edits],
            "suggestions": [e.to_dict() for e in self.suggestions],
            "errors": list(self.errors),
        } | ({"rejected": [e.to_dict() for e in self.rejected]} if self.rejected else {})


class Cleaner:
    """Runs the configured stages in order. Cheap to build and to pickle: stages are created on first
    use in each process, and their resources are cached per process by :mod:`cleaner.core.resources`."""

    def __init__(self, config: Config | None = None, **overrides) -> None:
        config = replace(config or Config(), **overrides) if overrides else (config or Config())
        #: checked here (bundled data installed, style known, files present) so a broken install or config
        #: raises at once instead of every text passing through unchanged
        self.config = config.check()
        self._stages: list[stage_registry.Stage] | None = None
        self._guard: Any = _UNSET

    def __getstate__(self) -> dict:
        return {"config": self.config}

    def __setstate__(self, state: dict) -> None:
        self.config = state["config"]
        self._stages = None
        self._guard = _UNSET

    @property
    def stages(self) -> list[stage_registry.Stage]:
        if self._stages is None:
            self._stages = [stage_registry.get(name)(self.config) for name in self.config.stages]
        return self._stages

    @property
    def guard(self) -> Guard | None:
        """The keep list and review decisions of the config (None if there are none); loaded on first use,
        so a bad decisions file raises :class:`~cleaner.ConfigError` from the first :meth:`clean`."""
        if self._guard is _UNSET:
            from .decisions import guard_for

            self._guard = guard_for(self.config)
        return self._guard

    def warm_up(self) -> Cleaner:
        """Load every stage's resources now (before forking workers or timing)."""
        self.clean("Warm up.")
        return self

    def clean(self, text: str) -> Result:
        """Clean one text. Never raises for odd input; a failing stage is skipped and reported in
        ``Result.errors`` (the text it was given passes through unchanged). Missing or malformed data files
        (:class:`~cleaner.core.resources.DataError`, ``OSError``) do raise: they would fail every text alike."""
        if not isinstance(text, str):
            raise TypeError(f"clean() takes str, not {type(text).__name__}")
        current = text
        offset_map = OffsetMap()
        applied: list[Edit] = []
        #: where each applied edit's replacement is in ``current`` (kept up to date as later edits apply)
        out_spans: list[list[int]] = []
        suggestions: list[Edit] = []
        timings: dict[str, float] = {}
        errors: list[str] = []
        seen_suggestions: set[tuple] = set()
        guard = self.guard
        rejected: list[Edit] = []
        # Stages can uncover work for each other (a spelling fix can complete a split compound), so the
        # pipeline runs to a fixpoint: another pass only when the previous one changed something.
        # Stages after the last one that changed the text have already seen the final text of that pass,
        # so a later pass stops there unless one of the earlier stages changes something again.
        seen_from = len(self.stages)
        for _ in range(MAX_PASSES):
            last_changed = -1
            for i, stage in enumerate(self.stages):
                if i > seen_from and last_changed < 0:
                    break
                t0 = perf_counter()
                try:
                    proposed = stage.propose(current)
                    if not proposed and isinstance(proposed, list):  # the usual case: nothing to sort out
                        timings[stage.name] = timings.get(stage.name, 0.0) + perf_counter() - t0
                        continue
                    accepted: list[Edit] = []
                    if guard is not None:
                        proposed, accepted = self._screen(stage.name, proposed, current, text, offset_map, rejected)
                    kept, unsure = self._sort_out(stage.name, proposed, current, accepted)
                except (DataError, OSError):
                    raise
                except Exception as exc:  # a stage bug must not lose the text
                    message = f"{stage.name}: {type(exc).__name__}: {exc}"
                    if message not in errors:
                        errors.append(message)
                    timings[stage.name] = timings.get(stage.name, 0.0) + perf_counter() - t0
                    continue
                for e in normalise_loose(unsure, current):
                    s, t = offset_map.to_input_span(e.start, e.end)
                    key = (s, t, e.replacement, e.stage, e.rule)
                    if key not in seen_suggestions:
                        seen_suggestions.add(key)
                        suggestions.append(e._replace(start=s, end=t, before=text[s:t]))
                if kept:
                    if applied:
                        move = shift_positions(kept)
                        for span in out_spans:
                            span[:] = move_span(move, span[0], span[1])
                    offset_map, located = offset_map.compose(kept)
                    applied += [e._replace(before=text[e.start : e.end]) for e in located]
                    out_spans += [[e.out_start, e.out_end] for e in located]
                    current = apply_edits(current, kept)
                    last_changed = i
                timings[stage.name] = timings.get(stage.name, 0.0) + perf_counter() - t0
            if last_changed < 0:
                break
            seen_from = last_changed
        final = [e._replace(out_start=o0, out_end=o1) for e, (o0, o1) in zip(applied, out_spans, strict=True)]
        final.sort(key=lambda e: (e.start, e.end, e.out_start))  # stable: a chain keeps its order
        if suggestions and final:
            suggestions = _not_done(suggestions, final, offset_map, current)
        rejected = list(dict.fromkeys(rejected))  # a later pass proposes the same edits again
        return Result(text, current, final, suggestions, offset_map, timings, errors, rejected)

    def pipe(self, texts: Iterable[Any], n_process: int = 1, batch_size: int = 64,
             as_tuples: bool = False) -> Iterator[Any]:
        """Clean many texts, yielding a :class:`Result` for each in input order (like spaCy's ``nlp.pipe``).

        ``n_process`` > 1 (-1: every core) cleans batches of ``batch_size`` texts in worker processes, with
        the ordered pool ``clean -j`` uses (:class:`~cleaner.core.parallel.OrderedPool`): same results as one
        process, input read only a few batches ahead. With ``as_tuples`` the items are ``(text, context)``
        pairs and ``(result, context)`` pairs come out; the contexts never leave this process.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if n_process == 0 or n_process < -1:
            raise ValueError(f"n_process must be -1 (every core) or at least 1, got {n_process}")
        from .parallel import OrderedPool, chunked, default_jobs

        jobs = default_jobs() if n_process == -1 else n_process
        if jobs == 1:
            for item in texts:
                yield (self.clean(item[0]), item[1]) if as_tuples else self.clean(item)
            return
        contexts: deque[list[Any]] = deque()

        def batches() -> Iterator[list[Any]]:
            for chunk in chunked(texts, batch_size, PIPE_BATCH_BYTES, _text_size(as_tuples)):
                if as_tuples:
                    contexts.append([c for _, c in chunk])
                    chunk = [t for t, _ in chunk]
                yield chunk

        with OrderedPool(self, jobs) as pool:
            for results in pool.map(_clean_batch, batches()):
                if as_tuples:
                    yield from zip(results, contexts.popleft(), strict=True)
                else:
                    yield from results

    def _screen(self, name: str, proposed, current: str, original: str, offset_map: OffsetMap,
                rejected: list[Edit]) -> tuple[list[Edit], list[Edit]]:
        """Apply the keep list and review decisions: returns (undecided, accepted) proposals and adds the
        rejected ones to ``rejected`` (with offsets into the original input)."""
        named = [e if e.stage else e._replace(stage=name) for e in proposed]
        named = [e for e in named if not self._disabled(e)]
        guard = self.guard
        assert guard is not None, "screened only when the config has a keep list or decisions"
        rest, accepted, dropped = guard.screen(named, current, original, offset_map)
        for e in dropped:
            s, t = offset_map.to_input_span(e.start, e.end)
            rejected.append(e._replace(start=s, end=t, before=original[s:t]))
        return rest, accepted

    def _sort_out(self, name: str, proposed, current: str, accepted: Sequence[Edit] = ()
                  ) -> tuple[list[Edit], list[Edit]]:
        """A stage's proposals split into the edits to apply (confident, overlaps resolved, sorted, no
        no-ops) and the suggestions (the rest); each edit named after its stage if it is not already."""
        min_confidence = self.config.min_confidence
        proposed = [e if e.stage else e._replace(stage=name) for e in proposed]  # named first: disable by name
        if self.config.disable_rules:
            proposed = [e for e in proposed if not self._disabled(e)]
        confident = [e for e in proposed if e.confidence >= min_confidence]
        unsure = [e for e in proposed if e.confidence < min_confidence]
        if accepted:  # review decisions win overlaps; what they displace becomes a suggestion
            won, lost = drop_overlaps(accepted)
            blocked = [e for e in confident if any(_overlap(w, e) for w in won)]
            free = set(blocked)
            kept, dropped = drop_overlaps([e for e in confident if e not in free])
            kept, dropped = sorted(won + kept, key=lambda e: (e.start, e.end)), dropped + lost + blocked
        else:
            kept, dropped = drop_overlaps(confident)
        kept = normalise(kept, current)
        unsure += dropped
        return kept, unsure

    def _disabled(self, e: Edit) -> bool:
        off = self.config.disable_rules
        return bool(off) and (e.stage in off or e.key in off or e.rule in off)


def _overlap(a: Edit, b: Edit) -> bool:
    """Do two edits share text, or insert at the same point? (as :func:`~cleaner.core.edits.drop_overlaps`)"""
    return (a.start < b.end and b.start < a.end) or (a.start == a.end == b.start == b.end)


#: a batch of :meth:`Cleaner.pipe` is cut at ``batch_size`` texts or about this many characters
PIPE_BATCH_BYTES = 256 * 1024


def _clean_batch(cleaner: Cleaner, texts: list[str]) -> list[Result]:
    """One batch of :meth:`Cleaner.pipe`, in a worker."""
    return [cleaner.clean(t) for t in texts]


def _text_size(as_tuples: bool) -> Callable[[Any], int]:
    def size(item: Any) -> int:
        text = item[0] if as_tuples else item
        return len(text) if isinstance(text, str) else 0

    return size


def _not_done(suggestions: list[Edit], applied: list[Edit], offset_map: OffsetMap, output: str) -> list[Edit]:
    """The suggestions that are still suggestions: not a change that was applied (whichever stage proposed
    it, and however often), and not one the output already carries (another edit made the same text)."""
    done = {(e.start, e.end, e.replacement) for e in applied}
    out = []
    for e in suggestions:
        if (e.start, e.end, e.replacement) in done:
            continue
        o0, o1 = offset_map.to_output(e.start, "left"), offset_map.to_output(e.end, "right")
        if output[o0:o1] == e.replacement:
            continue
        out.append(e)
    return out


def normalise_loose(edits: list[Edit], text: str) -> list[Edit]:
    """Suggestions may overlap each other; keep only those inside the text and not no-ops."""
    return [e for e in edits if 0 <= e.start <= e.end <= len(text) and text[e.start : e.end] != e.replacement]


#: Upper bound on pipeline passes (the second runs only if the first changed something).
MAX_PASSES = 3

_default: Cleaner | None = None


def clean(text: str) -> str:
    """Clean ``text`` with the default pipeline and return the cleaned text."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(text).text
