"""Each stage's options: a frozen dataclass whose fields are the keys of the stage's ``[STAGE]`` table.

A field's annotation is its type (what :func:`cleaner.core.config.Config` checks a value against) and its
default applies when the table leaves the key out; :func:`option` gives it a one-line description, kept in
the field's metadata so ``tests`` can check every option is documented (as ftfy's ``TextFixerConfig``
documents each of its options). This module imports nothing of the stages: a config is checked without
loading any stage or its data. A stage from outside the package declares its own class the same way and
passes it to :func:`cleaner.stages.register` (see docs/stages.md).
"""

from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T")


def option(default: T, doc: str) -> T:
    """A field with ``default`` and its description ``doc`` (typed as the default, for mypy)."""
    result: Any = field(default=default, metadata={"doc": doc})
    return result


def doc(cls: type, name: str) -> str:
    """The description of option ``name`` of the options class ``cls`` (empty when it has none)."""
    return next((str(f.metadata.get("doc", "")) for f in fields(cls) if f.name == name), "")


@dataclass(frozen=True)
class NoOptions:
    """The options of a stage that takes none: its table, if any, must be empty."""


@dataclass(frozen=True)
class PhrasesOptions:
    """Options of the ``phrases`` stage (``[phrases]``)."""

    rules: str | None = option(None, "a rules file used instead of dictionaries/phrases.toml (relative to the "
                                     "config file); phrase_rules files add to the rules instead")


@dataclass(frozen=True)
class GrammarOptions:
    """Options of the ``grammar`` stage (``[grammar]``; see docs/grammar.md)."""

    allow_rules: tuple[str, ...] = option((), "LanguageTool rule ids applied as if safe")
    deny_rules: tuple[str, ...] = option((), "LanguageTool rule ids never requested")
    language: str = option("en-US", "the LanguageTool language code")
    timeout: float = option(20.0, "seconds to wait for one request")
    max_chars: int = option(20000, "characters per request, in UTF-16 units (keep under the server's "
                                   "maxTextLength)")
    max_workers: int = option(4, "concurrent requests for one long document")
    conflict_gap: int = option(3, "matches closer than this many characters conflict: none is applied")
    skip_quotations: bool = option(True, "leave matches inside quotation marks alone (quoted speech)")
    local: bool = option(True, "start a local LanguageTool through language-tool-python when no URL is set")
    max_failures: int = option(5, "this many failed documents in a row pause the stage...")
    pause: float = option(60.0, "...for this many seconds (documents pass through unchanged meanwhile)")
