"""The `scripts` stage: Cyrillic letters left inside English text by machine translation.

Rules (each an edit ``rule``):

- ``mixed-script`` ``Kozakівка`` -> ``Kozakivka``, ``Цaplenko`` -> ``Tsaplenko``: a word that mixes Latin and
  Cyrillic letters, where the Cyrillic part is real Cyrillic (a letter with no Latin look-alike, such as и or ц),
  is a half-transliterated name: its Cyrillic letters are romanised by sound (``dictionaries/confusables.tsv``,
  house style first). A word whose Cyrillic letters all look like Latin ones (``Кursk``, ``WНO``) is the
  entities stage's ``lookalike`` rule: left alone here, so the two never propose different fixes for one word.
- ``cyrillic-word`` an all-Cyrillic word inside an English sentence (``He said привет to them``) is an
  untranslated word: reported as a suggestion with its transliteration, never applied (it is proposed only while
  ``min_confidence`` is above zero, at confidence 0). Text that is mostly Cyrillic is left alone.
"""

from __future__ import annotations

import regex

from ..core.edits import Edit
from ..language.homoglyphs import confusions, fold_lookalikes
from . import Stage, register

_CYRILLIC = regex.compile(r"\p{Cyrillic}")
#: a word of letters (and inner apostrophes) holding at least one Cyrillic letter
_WORD_WITH_CYRILLIC = regex.compile(r"[\p{L}\p{M}]*\p{Cyrillic}[\p{L}\p{M}'’]*(?<!['’])")
_LATIN_WORD = regex.compile(r"\p{Latin}{2,}")
#: confidence of a romanised mixed-script word
MIXED = 0.85
#: the stage acts only where Latin letters outnumber Cyrillic ones this many times (English text)
LATIN_SHARE = 3
#: English words either side needed for an all-Cyrillic word to count as untranslated inside a sentence
SENTENCE_WORDS = 2


def romanise(word: str) -> str:
    """Cyrillic letters of ``word`` by sound (house style first), Latin letters kept; case follows the source
    letter (``Ц`` -> ``Ts``; all capitals stay all capitals).

    >>> romanise("\u0429\u0435\u0434\u0440\u0438\u043a"), romanise("\u041a\u0438\u0457\u0432")
    ('Shchedryk', 'Kyiv')
    """
    table = confusions().translit
    upper_word = word.isupper() and len(word) > 1
    out = []
    for ch in word:
        low = ch.lower()
        if low in table and _CYRILLIC.match(ch):
            sound = table[low][0]
            if ch != low:
                sound = sound.upper() if upper_word else sound[:1].upper() + sound[1:]
            out.append(sound)
        elif ch in "'’" and out:
            out.append("")  # the Ukrainian apostrophe is dropped in romanisation
        else:
            out.append(ch)
    return "".join(out)


def _latin_words_around(text: str, start: int, end: int) -> int:
    """How many Latin words stand on the same line within 60 characters either side."""
    lo = max(0, start - 60)
    lo = text.rfind("\n", lo, start) + 1 or lo
    hi = min(len(text), end + 60)
    hi = text.find("\n", end, hi) if "\n" in text[end:hi] else hi
    return len(_LATIN_WORD.findall(text, lo, start)[-SENTENCE_WORDS:]) + len(
        _LATIN_WORD.findall(text, end, hi)[:SENTENCE_WORDS])


def script_edits(text: str, suggest_words: bool = True) -> list[Edit]:
    """Mixed-script words romanised; all-Cyrillic words in English sentences suggested (see the module doc)."""
    if text.isascii() or not _CYRILLIC.search(text):
        return []
    edits: list[Edit] = []
    latin = len(regex.findall(r"\p{Latin}", text))
    if latin <= LATIN_SHARE * len(_CYRILLIC.findall(text)):
        return []  # Cyrillic text (perhaps with Latin look-alikes in it), not English with Cyrillic left in
    for m in _WORD_WITH_CYRILLIC.finditer(text):
        word = m.group()
        has_latin = regex.search(r"\p{Latin}", word) is not None
        if has_latin:
            if not _CYRILLIC.search(fold_lookalikes(word)):
                continue  # only look-alike letters: the entities stage's lookalike rule
            fixed = romanise(word)
            if fixed != word and not _CYRILLIC.search(fixed):
                edits.append(Edit(m.start(), m.end(), fixed, stage="scripts", rule="mixed-script", confidence=MIXED,
                                  note=f"{word} -> {fixed}: Latin and Cyrillic letters in one word; the Cyrillic "
                                       "part romanised"))
            continue
        if not suggest_words or len(word) < 2:
            continue
        if _latin_words_around(text, m.start(), m.end()) < SENTENCE_WORDS:
            continue
        fixed = romanise(word)
        if _CYRILLIC.search(fixed):
            continue
        edits.append(Edit(m.start(), m.end(), fixed, stage="scripts", rule="cyrillic-word", confidence=0.0,
                          note=f"{word}: an untranslated Cyrillic word in English text; transliterated {fixed!r} "
                               "(a suggestion only: a translation is needed, not a transliteration)"))
    return edits


@register("scripts")
class ScriptsStage(Stage):
    """Romanises half-Cyrillic words; reports untranslated Cyrillic words as suggestions."""

    def propose(self, text: str) -> list[Edit]:
        return script_edits(text, suggest_words=self.config.min_confidence > 0.0)
