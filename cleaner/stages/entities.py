"""The `entities` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("entities")
class EntitiesStage(Stage):
    def propose(self, text: str) -> list:
        return []
