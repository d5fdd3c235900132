"""Context cues around a mention: the words before and after it (``in``, ``near``, ``said``, a title) and
what kind of entity they point to (``dictionaries/entity_cues.tsv``)."""

from __future__ import annotations

from .common import _LIST_PREV_RE, _NEXT_WORD_RE, _PLACE_KINDS, _PREV_WORD_RE, _Candidate, _Shared


class ContextMixin(_Shared):
    """Cue look-ups for the stage (needs ``self._cues``)."""


    def _context(self, view: str, start: int, end: int, depth: int = 0) -> list[str]:
        out = []
        m = _PREV_WORD_RE.search(view[max(0, start - 30) : start])
        if m:
            out.append("before:" + m.group(1).lower())
        # a name in a list ("near Lysychansk and Severodonetsk", "of Izium, Kupiansk and Sloviansk") shares
        # the cue that stands before the first name of the list
        lm = _LIST_PREV_RE.search(view, max(0, start - 60), start) if depth < 4 else None
        if lm is not None:
            out += [c for c in self._context(view, lm.start(1), lm.end(1), depth + 1) if c.startswith("before:")]
        after = view[end : end + 30]
        if after[:2] in ("'s", "’s"):
            after = after[2:]
        m = _NEXT_WORD_RE.search(after)
        if m:
            out.append("after:" + m.group(1).lower())
        return out

    def _person_cue(self, view: str, cand: _Candidate) -> bool:
        for s, t, _ in cand.spans:
            for c in self._context(view, s, t):
                pos, word = c.split(":", 1)
                if "person" in self._cues.get((pos, word), ()):
                    return True
        return False

    def _place_cue(self, view: str, cand: _Candidate) -> bool:
        for s, t, _ in cand.spans:
            for c in self._context(view, s, t):
                pos, word = c.split(":", 1)
                if self._cues.get((pos, word), set()) & _PLACE_KINDS:
                    return True
        return False

    def _cue_for(self, cand: _Candidate, kind: str) -> str:
        for c in cand.cues:
            pos, word = c.split(":", 1)
            kinds = self._cues.get((pos, word))
            if kinds and (kind in kinds or (kind == "place" and kinds & _PLACE_KINDS)):
                return word
        return ""
