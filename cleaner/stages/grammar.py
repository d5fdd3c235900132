"""The `grammar` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("grammar")
class GrammarStage(Stage):
    def propose(self, text: str) -> list:
        return []
