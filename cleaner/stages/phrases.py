"""The `phrases` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("phrases")
class PhrasesStage(Stage):
    def propose(self, text: str) -> list:
        return []
