"""The `markup` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("markup")
class MarkupStage(Stage):
    def propose(self, text: str) -> list:
        return []
