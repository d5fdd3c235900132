"""What people decided about edits: the keep list and the review decisions, and applying them.

An editor who sees ``pesel -> peel`` in the review page rejects it; the page exports a decisions file and
``clean --decisions FILE`` re-applies it: a rejected repair is never made again, an accepted suggestion is
applied. The keep list (``keep = ["Kiev Post"]``) is the blunt form: no stage may change those strings.

Both are applied by the pipeline to what each stage proposes, before overlaps are resolved, so a rejected
edit frees its text for others. A decisions file is JSON (see docs/review.md)::

    {"format": "cleaner-decisions", "version": 1, "decisions": [
      {"action": "reject", "rule": "spelling.typo", "before": "pesel", "after": "peel", "scope": "everywhere"},
      {"action": "accept", "rule": "spelling.unsure", "before": "teh", "after": "the", "scope": "occurrence",
       "document": "a.txt", "start": 120, "end": 123, "left": "... 40 characters before", "right": "after ..."}]}

An occurrence is found again by its text, not its offset: the edit's rule, before and after, and the
original text around it (``left``/``right``, up to :data:`CONTEXT_CHARS` characters each), so the
decision survives a renamed file or an article that moved within a JSONL file. ``document`` and
``start``/``end`` are kept for people reading the file.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_write
from .config import ConfigError
from .edits import Edit

if TYPE_CHECKING:
    from .edits import OffsetMap

FORMAT = "cleaner-decisions"
VERSION = 1
#: characters of original text either side of an occurrence stored to find it again
CONTEXT_CHARS = 40
ACTIONS = ("accept", "reject")
SCOPES = ("occurrence", "everywhere")


@dataclass(frozen=True)
class Decision:
    """One decision: ``accept`` or ``reject`` the edit ``rule``: ``before`` -> ``after``, here or everywhere."""

    action: str
    rule: str
    before: str
    after: str
    scope: str = "everywhere"
    left: str = ""
    right: str = ""
    document: str = ""
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if self.scope == "everywhere":
            for k in ("left", "right", "document", "start", "end"):
                d.pop(k)
        return d

    @classmethod
    def for_edit(cls, action: str, edit: Edit, original: str, scope: str = "occurrence",
                 document: str = "") -> Decision:
        """The decision about ``edit`` (offsets into ``original``, as in :attr:`Result.edits`)."""
        left = original[max(0, edit.start - CONTEXT_CHARS) : edit.start] if scope == "occurrence" else ""
        right = original[edit.end : edit.end + CONTEXT_CHARS] if scope == "occurrence" else ""
        where = (edit.start, edit.end) if scope == "occurrence" else (-1, -1)
        return cls(action, edit.key, original[edit.start : edit.end], edit.replacement, scope, left, right,
                   document if scope == "occurrence" else "", *where)


def _decision(raw: Any, where: str) -> Decision:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: a decision is an object, got {type(raw).__name__}")
    for key in ("action", "rule", "before", "after"):
        if not isinstance(raw.get(key), str):
            raise ConfigError(f"{where}: needs {key!r} (a string)")
    scope = raw.get("scope", "everywhere")
    if raw["action"] not in ACTIONS:
        raise ConfigError(f"{where}: action must be one of {', '.join(ACTIONS)}, got {raw['action']!r}")
    if scope not in SCOPES:
        raise ConfigError(f"{where}: scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    if "." not in raw["rule"]:
        raise ConfigError(f"{where}: rule must be stage.rule, got {raw['rule']!r}")
    if raw["before"] == raw["after"]:
        raise ConfigError(f"{where}: before and after are the same")
    extra = {k: raw[k] for k in ("left", "right", "document") if isinstance(raw.get(k), str)}
    ints = {k: raw[k] for k in ("start", "end") if isinstance(raw.get(k), int)}
    return Decision(raw["action"], raw["rule"], raw["before"], raw["after"], scope, **extra, **ints)


def parse(data: Any, source: str = "<decisions>") -> list[Decision]:
    """Decisions from a parsed decisions file (or a bare list of decision objects)."""
    if isinstance(data, dict):
        if data.get("format", FORMAT) != FORMAT:
            raise ConfigError(f"{source}: not a decisions file (format {data.get('format')!r})")
        if not isinstance(data.get("version", VERSION), int) or data.get("version", VERSION) > VERSION:
            raise ConfigError(f"{source}: decisions file version {data.get('version')!r} is newer than this "
                              f"cleaner reads ({VERSION})")
        data = data.get("decisions")
    if not isinstance(data, list):
        raise ConfigError(f"{source}: expected {{\"decisions\": [...]}}")
    return [_decision(raw, f"{source}: decision {i + 1}") for i, raw in enumerate(data)]


def load(path: str | os.PathLike[str]) -> list[Decision]:
    """Read a decisions file; a missing or malformed file is a :class:`ConfigError` naming it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: decisions file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable JSON decisions file: {exc}") from None
    return parse(data, str(path))


def dumps(decisions: Iterable[Decision]) -> str:
    """The decisions file text (what the review page exports)."""
    doc = {"format": FORMAT, "version": VERSION, "decisions": [d.to_dict() for d in decisions]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def save(path: str | os.PathLike[str], decisions: Iterable[Decision]) -> Path:
    """Write a decisions file atomically (the package's one writer, :mod:`cleaner.core.atomic`)."""
    target = Path(path)
    atomic_write(target, dumps(decisions).encode("utf-8"))
    return target


# ------------------------------------------------------------------------------------------ applying them


def keep_pattern(keep: Sequence[str], case_sensitive: bool = False) -> re.Pattern | None:
    """One regex finding every kept string; a string that starts or ends with a letter or digit matches
    only there as a whole word (``US`` does not protect ``USA``)."""
    parts = []
    for s in sorted({k for k in keep if k}, key=len, reverse=True):
        p = re.escape(s)
        if s[0].isalnum() or s[0] == "_":
            p = r"(?<!\w)" + p
        if s[-1].isalnum() or s[-1] == "_":
            p += r"(?!\w)"
        parts.append(p)
    if not parts:
        return None
    return re.compile("|".join(parts), 0 if case_sensitive else re.IGNORECASE)


def _touches_kept(kept: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Does an edit of ``start:end`` change text of a kept span? (An insertion at either edge does not.)
    ``kept`` is sorted and disjoint (``finditer``), so only the last span starting before ``end`` can."""
    i = bisect_left(starts, end if end > start else start) - 1
    if i < 0:
        return False
    s, t = kept[i]
    return start < t if end > start else s < start < t


class Guard:
    """The keep list and the decisions of one configuration, applied to a stage's proposals."""

    def __init__(self, keep: Sequence[str] = (), keep_case_sensitive: bool = False,
                 decisions: Iterable[Decision] = ()) -> None:
        self.keep = keep_pattern(keep, keep_case_sensitive)
        self.everywhere: dict[tuple[str, str, str], str] = {}
        self.occurrences: dict[tuple[str, str, str], list[Decision]] = {}
        for d in decisions:  # later decisions override earlier ones
            key = (d.rule, d.before, d.after)
            if d.scope == "everywhere":
                self.everywhere[key] = d.action
            else:
                self.occurrences.setdefault(key, []).insert(0, d)

    def __bool__(self) -> bool:
        return self.keep is not None or bool(self.everywhere or self.occurrences)

    def screen(self, proposed: Iterable[Edit], current: str, original: str,
               offset_map: OffsetMap) -> tuple[list[Edit], list[Edit], list[Edit]]:
        """Split proposals (offsets into ``current``) into (undecided, accepted, rejected); accepted and
        rejected ones say so in their note."""
        rest: list[Edit] = []
        accepted: list[Edit] = []
        rejected: list[Edit] = []
        kept = [m.span() for m in self.keep.finditer(current)] if self.keep is not None else []
        starts = [s for s, _ in kept]
        for e in proposed:
            if kept and _touches_kept(kept, starts, e.start, e.end):
                rejected.append(e._replace(note=f"kept (keep list): {_note(e)}"))
                continue
            verdict = self._verdict(e, current, original, offset_map) if self.everywhere or self.occurrences else None
            if verdict == "reject":
                rejected.append(e._replace(note=f"rejected in review: {_note(e)}"))
            elif verdict == "accept":
                accepted.append(e._replace(note=f"accepted in review: {_note(e)}"))
            else:
                rest.append(e)
        return rest, accepted, rejected

    def _verdict(self, e: Edit, current: str, original: str, offset_map: OffsetMap) -> str | None:
        s, t = offset_map.to_input_span(e.start, e.end)
        befores = dict.fromkeys((current[e.start : e.end], original[s:t]))
        for before in befores:
            for d in self.occurrences.get((e.key, before, e.replacement), ()):
                if original[max(0, s - len(d.left)) : s] == d.left and original[t : t + len(d.right)] == d.right:
                    return d.action
        for before in befores:
            action = self.everywhere.get((e.key, before, e.replacement))
            if action:
                return action
        return None


def _note(e: Edit) -> str:
    return e.note or f"{e.key}"


def load_files(paths: tuple[str, ...]) -> tuple[Decision, ...]:
    """Every decision in ``paths``, in order (cached per process and file version: workers read them once)."""
    stamps = []
    for p in paths:
        try:
            st = os.stat(p)
            stamps.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append((p, -1, -1))  # load() says what is wrong
    return _load_stamped(tuple(stamps))


@lru_cache(maxsize=16)
def _load_stamped(stamps: tuple[tuple[str, int, int], ...]) -> tuple[Decision, ...]:
    out: list[Decision] = []
    for p, _, _ in stamps:
        out += load(p)
    return tuple(out)


def guard_for(config: Any) -> Guard | None:
    """The :class:`Guard` of a :class:`~cleaner.Config`, or None when it keeps and decides nothing."""
    keep = getattr(config, "keep", ())
    files = getattr(config, "decisions", ())
    if not keep and not files:
        return None
    guard = Guard(keep, getattr(config, "keep_case_sensitive", False), load_files(tuple(files)))
    return guard or None


def with_options(config: Any, decisions: Sequence[str] = (), keep: Sequence[str] = ()) -> Any:
    """``config`` plus the command line's ``--decisions`` files and ``--keep`` strings, with every decisions
    and phrase rules file read once now, so a bad one is reported before any input is touched."""
    from dataclasses import replace

    if decisions or keep:
        config = replace(config, decisions=(*config.decisions, *decisions), keep=(*config.keep, *keep))
    load_files(tuple(config.decisions))
    if config.phrase_rules and "phrases" in config.stages:
        from ..stages.phrases import all_rules
        from .resources import DataError

        try:
            all_rules(config.stage_options("phrases").rules, tuple(config.phrase_rules))
        except DataError as exc:
            raise ConfigError(str(exc)) from None
    return config
