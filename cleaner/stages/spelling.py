"""The `spelling` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("spelling")
class SpellingStage(Stage):
    def propose(self, text: str) -> list:
        return []
