"""The Cleaner: config -> ordered stages -> Result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from time import perf_counter

from . import stages as stage_registry
from .config import Config
from .edits import Edit, OffsetMap, apply_edits, drop_overlaps, move_span, normalise, shift_positions
from .resources import DataError


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
        }


class Cleaner:
    """Runs the configured stages in order. Cheap to build and to pickle: stages are created on first
    use in each process, and their resources are cached per process by :mod:`cleaner.resources`."""

    def __init__(self, config: Config | None = None, **overrides) -> None:
        config = replace(config or Config(), **overrides) if overrides else (config or Config())
        #: checked here (bundled data installed, style known, files present) so a broken install or config
        #: raises at once instead of every text passing through unchanged
        self.config = config.check()
        self._stages: list[stage_registry.Stage] | None = None

    def __getstate__(self) -> dict:
        return {"config": self.config}

    def __setstate__(self, state: dict) -> None:
        self.config = state["config"]
        self._stages = None

    @property
    def stages(self) -> list[stage_registry.Stage]:
        if self._stages is None:
            self._stages = [stage_registry.get(name)(self.config) for name in self.config.stages]
        return self._stages

    def warm_up(self) -> Cleaner:
        """Load every stage's resources now (before forking workers or timing)."""
        self.clean("Warm up.")
        return self

    def clean(self, text: str) -> Result:
        """Clean one text. Never raises for odd input; a failing stage is skipped and reported in
        ``Result.errors`` (the text it was given passes through unchanged). Missing or malformed data files
        (:class:`~cleaner.resources.DataError`, ``OSError``) do raise: they would fail every text alike."""
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
                    kept, unsure = self._sort_out(stage.name, proposed, current)
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
        return Result(text, current, final, suggestions, offset_map, timings, errors)

    def _sort_out(self, name: str, proposed, current: str) -> tuple[list[Edit], list[Edit]]:
        """A stage's proposals split into the edits to apply (confident, overlaps resolved, sorted, no
        no-ops) and the suggestions (the rest); each edit named after its stage if it is not already."""
        min_confidence = self.config.min_confidence
        proposed = [e if e.stage else e._replace(stage=name) for e in proposed]  # named first: disable by name
        if self.config.disable_rules:
            proposed = [e for e in proposed if not self._disabled(e)]
        confident = [e for e in proposed if e.confidence >= min_confidence]
        unsure = [e for e in proposed if e.confidence < min_confidence]
        kept, dropped = drop_overlaps(confident)
        kept = normalise(kept, current)
        unsure += dropped
        return kept, unsure

    def _disabled(self, e: Edit) -> bool:
        off = self.config.disable_rules
        return bool(off) and (e.stage in off or e.key in off or e.rule in off)


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
