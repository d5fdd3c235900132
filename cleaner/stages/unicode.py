"""The `unicode` stage (placeholder: proposes nothing yet)."""

from __future__ import annotations

from . import Stage, register


@register("unicode")
class UnicodeStage(Stage):
    def propose(self, text: str) -> list:
        return []
