"""The optional ``grammar`` stage: LanguageTool matches turned into edits, only where safe.

Off by default (it needs a LanguageTool server). Spelling matches are ignored (our own stages own
spelling and names); only grammar rules safe for unattended repair are applied; everything else LanguageTool
says comes back as a low-confidence suggestion. Any failure leaves the text unchanged.

Options (``[grammar]`` table, ``Config.options["grammar"]``): :class:`~cleaner.core.options.GrammarOptions`
(rule ids to allow or deny, language, timeout, request size and concurrency, conflict gap, quotations, local
server, and the pause after repeated failures).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..core.edits import Edit
from ..core.options import GrammarOptions
from ..language.languagetool import (
    LanguageToolClient,
    LanguageToolError,
    Match,
    check_document,
    configured_url,
    local_server_url,
)
from ..language.text import tokenize
from . import Stage, register

if TYPE_CHECKING:
    from ..core.config import Config

log = logging.getLogger(__name__)

#: Categories whose rules are applied when they offer one clear replacement (agreement, verb forms, ...).
SAFE_CATEGORIES = frozenset({"GRAMMAR"})
#: Rules outside those categories that are safe too: a/an, doubled words.
SAFE_RULES = frozenset({"EN_A_VS_AN", "ENGLISH_WORD_REPEAT_RULE", "WORD_REPEAT_RULE"})
#: Spelling: never used (the spelling and entities stages own spelling and names).
SPELLING_CATEGORIES = frozenset({"TYPOS"})
SPELLING_RULE_PREFIXES = ("MORFOLOGIK_", "HUNSPELL_", "SPELLER_")
SPELLING_ISSUE_TYPES = frozenset({"misspelling"})

APPLY_CONFIDENCE = 0.9
SUGGEST_CONFIDENCE = 0.5

_QUOTATION = re.compile(r"“[^”\n]{1,2000}”|\"[^\"\n]{1,2000}\"|«[^»\n]{1,2000}»|„[^“”\n]{1,2000}[“”]")


@dataclass
class Policy:
    """Which matches become applied edits, which suggestions, which nothing."""

    allow_rules: frozenset[str] = frozenset()
    deny_rules: frozenset[str] = frozenset()
    conflict_gap: int = 3
    skip_quotations: bool = True
    apply_confidence: float = APPLY_CONFIDENCE
    suggest_confidence: float | None = SUGGEST_CONFIDENCE  # None: do not report suggestions
    stats: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n


def is_spelling(m: Match, policy: Policy) -> bool:
    """Spelling matches; LanguageTool also tags a/an (EN_A_VS_AN) as a misspelling, so a rule listed as safe
    or allowed is judged by its category, not its issue type."""
    if m.category_id in SPELLING_CATEGORIES or m.rule_id.startswith(SPELLING_RULE_PREFIXES):
        return True
    return m.issue_type in SPELLING_ISSUE_TYPES and m.rule_id not in SAFE_RULES | policy.allow_rules


def is_safe(m: Match, policy: Policy) -> bool:
    return m.rule_id in policy.allow_rules or m.category_id in SAFE_CATEGORIES or m.rule_id in SAFE_RULES


def first_is_clear(m: Match) -> bool:
    """One replacement, or several that differ from the first only in case."""
    if not m.replacements:
        return False
    first = m.replacements[0].casefold()
    return all(r.casefold() == first for r in m.replacements[1:])


_WORD = re.compile(r"\w+(?:['’]\w+)*")
#: An applied edit rewrites at most this many words (LanguageTool's safe fixes are one or two words).
MAX_WORDS = 3


def is_small(before: str, after: str) -> bool:
    """A local fix: few words on either side, and acronyms (all-caps words) kept as they are."""
    old, new = _WORD.findall(before), _WORD.findall(after)
    if len(old) > MAX_WORDS or len(new) > MAX_WORDS:
        return False
    return all(w in new for w in old if len(w) > 1 and w.isupper())


def protected_spans(text: str, skip_quotations: bool) -> list[tuple[int, int]]:
    """Spans no grammar edit may touch: URLs, numbers, codes, tags... and quoted speech."""
    spans = [(t.start, t.end) for t in tokenize(text) if t.protected]
    if skip_quotations:
        spans += [(q.start(), q.end()) for q in _QUOTATION.finditer(text)]
    return sorted(spans)


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < t for s, t in spans)


def _edit(m: Match, confidence: float, extra: str = "") -> Edit:
    note = f"LanguageTool {m.category_name or m.category_id}: {m.message}"
    if extra:
        note += f" ({extra})"
    return Edit(m.start, m.end, m.replacements[0], stage="grammar", rule=m.rule_id, confidence=confidence, note=note)


def matches_to_edits(matches: Iterable[Match], text: str, policy: Policy) -> list[Edit]:
    """Applied edits (``policy.apply_confidence``) for safe matches, suggestions (below the threshold) for
    the rest; spelling and denied rules dropped. Matches within ``conflict_gap`` characters of each other
    form one window, of which at most one is applied, so "This are" never becomes "These is"."""
    spans: list[tuple[int, int]] | None = None
    applicable: list[Match] = []
    edits: list[Edit] = []
    for m in sorted(matches, key=lambda m: (m.start, m.end)):
        policy.count("matches")
        if is_spelling(m, policy) or m.rule_id in policy.deny_rules or not m.replacements:
            policy.count("ignored")
            continue
        if not 0 <= m.start <= m.end <= len(text) or text[m.start : m.end] == m.replacements[0]:
            policy.count("ignored")
            continue
        if spans is None:
            spans = protected_spans(text, policy.skip_quotations)
        if _touches(spans, m.start, m.end):
            policy.count("protected")
            continue
        if is_safe(m, policy) and first_is_clear(m) and is_small(text[m.start : m.end], m.replacements[0]):
            applicable.append(m)
        elif policy.suggest_confidence is not None:
            edits.append(_edit(m, policy.suggest_confidence))
            policy.count("suggested")
    for window in _windows(applicable, policy.conflict_gap):
        if len(window) == 1:
            edits.append(_edit(window[0], policy.apply_confidence))
            policy.count("applied")
            continue
        policy.count("conflicts")
        for m in window:  # dependent matches: none is safe alone, report them all
            if policy.suggest_confidence is not None:
                edits.append(_edit(m, policy.suggest_confidence, "conflicts with a neighbouring match"))
                policy.count("suggested")
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


def _windows(matches: list[Match], gap: int) -> list[list[Match]]:
    """Group sorted matches that overlap or lie within ``gap`` characters of each other (transitively)."""
    windows: list[list[Match]] = []
    end = -(10**9)
    for m in matches:
        if windows and m.start < end + gap:
            windows[-1].append(m)
            end = max(end, m.end)
        else:
            windows.append([m])
            end = m.end
    return windows


@register("grammar")
class GrammarStage(Stage[GrammarOptions]):
    """Sends text to LanguageTool; ``stats`` counts documents, requests, matches, edits and failures."""

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.stats: dict[str, int] = {}
        self._client: LanguageToolClient | None = None
        self._resolved = False
        self._warned: set[str] = set()
        self._failures_in_a_row = 0
        self._paused_until = 0.0

    def _count(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        if key in self._warned:
            log.debug(message, *args)
        else:
            self._warned.add(key)
            log.warning(message, *args)

    @property
    def client(self) -> LanguageToolClient | None:
        """Built on first use: the configured server, else a local one via language-tool-python, else None."""
        if not self._resolved:
            self._resolved = True
            opts = self.options
            language = opts.language
            url = configured_url(self.config.languagetool_url)
            if url is None and opts.local:
                try:
                    url = local_server_url(language)
                except LanguageToolError as exc:
                    self._warn_once("unavailable", "grammar stage: %s; proposing nothing", exc)
                    return None
            if url is None:
                self._warn_once(
                    "unavailable",
                    "grammar stage: no LanguageTool server configured (set languagetool_url or %s) and "
                    "language-tool-python is not installed; proposing nothing",
                    "CLEANER_LANGUAGETOOL_URL",
                )
                return None
            deny = tuple(sorted(set(opts.deny_rules)))
            self._client = LanguageToolClient(
                url,
                language=language,
                timeout=opts.timeout,
                disabled_categories=tuple(sorted(SPELLING_CATEGORIES)),
                disabled_rules=deny,
            )
        return self._client

    def policy(self) -> Policy:
        opts = self.options
        below = self.config.min_confidence - 0.05
        return Policy(
            allow_rules=frozenset(opts.allow_rules),
            deny_rules=frozenset(opts.deny_rules),
            conflict_gap=opts.conflict_gap,
            skip_quotations=opts.skip_quotations,
            suggest_confidence=min(SUGGEST_CONFIDENCE, below) if below >= 0 else None,
        )

    def propose(self, text: str) -> list[Edit]:
        client = self.client
        if client is None or not text.strip():
            return []
        self._count("documents")
        if time.monotonic() < self._paused_until:  # the server keeps failing: do not wait on it per document
            self._count("skipped_server_down")
            return []
        try:
            matches, requests = check_document(
                client,
                text,
                max_units=self.options.max_chars,
                max_workers=self.options.max_workers,
            )
        except LanguageToolError as exc:
            self._failed(exc)
            return []
        self._failures_in_a_row = 0
        self._count("requests", requests)
        policy = self.policy()
        edits = matches_to_edits(matches, text, policy)
        for key, n in policy.stats.items():
            self._count(key, n)
        return edits

    def _failed(self, exc: LanguageToolError) -> None:
        """Count the failure, warn once per kind; after ``max_failures`` in a row, pause ``pause`` seconds."""
        self._count("errors")
        self._count(f"errors_{exc.kind}")
        self._warn_once(
            f"error_{exc.kind}", "grammar stage: LanguageTool request failed (%s); text left unchanged", exc
        )
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= self.options.max_failures:
            pause = self.options.pause
            self._paused_until = time.monotonic() + pause
            self._failures_in_a_row = 0
            self._count("pauses")
            self._warn_once("paused", "grammar stage: LanguageTool failed repeatedly; not asking it for %.0f s", pause)
