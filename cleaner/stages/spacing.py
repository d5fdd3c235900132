"""The `spacing` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("spacing")
class SpacingStage(Stage):
    def propose(self, text: str) -> list:
        return []
