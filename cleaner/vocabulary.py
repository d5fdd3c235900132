"""The word lists the spelling stage relies on, each loaded once per process on first use.

- :func:`unigrams`: symspellpy's bundled ``frequency_dictionary_en_82_765.txt`` (SCOWL words with Google
  n-gram counts): the correction targets and the core of "is this a word". Read as plain text (~0.05 s):
  no SymSpell delete index is built; candidates come from :mod:`rapidfuzz` (see ``stages/spelling.py``).
- :func:`bigrams`: symspellpy's ``frequency_bigramdictionary_en_243_342.txt``, for context and splits.
- :func:`extra_words`: ``dictionaries/words*.txt`` (generated inflections, news vocabulary) plus the files
  named by ``Config.extra_words``: known words, never correction targets.
- :func:`zipf`: wordfreq's broad English list (``large_en``) for words none of the above know; such a
  word's own frequency is weighed against its candidates (real rare words are kept, misspellings that
  happen to be frequent on the web are not).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from .resources import DICTIONARIES, read_tsv

#: log10 of the factor between wordfreq's frequencies and the unigram counts ("the": 2.3e10 vs 0.054)
ZIPF_TO_LOG_COUNT = 2.63


def _symspell_file(name: str) -> Path:
    import symspellpy

    return Path(symspellpy.__file__).parent / name


@cache
def unigrams() -> dict[str, int]:
    counts: dict[str, int] = {}
    with _symspell_file("frequency_dictionary_en_82_765.txt").open(encoding="utf-8") as fh:
        for line in fh:
            word, _, count = line.partition(" ")
            if word.isalpha():
                counts[word] = int(count)
    return counts


@cache
def log_counts() -> dict[str, float]:
    return {w: math.log10(c) for w, c in unigrams().items()}


@cache
def bigrams() -> dict[str, int]:
    """``"a b"`` -> count."""
    counts: dict[str, int] = {}
    with _symspell_file("frequency_bigramdictionary_en_243_342.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                counts[parts[0] + " " + parts[1]] = int(parts[2])
    return counts


@cache
def bundled_words() -> frozenset[str]:
    words: set[str] = set()
    for file in sorted(Path(DICTIONARIES).glob("words*.txt")):
        words.update(row[0].strip().lower() for row in read_tsv(file) if row and row[0].strip())
    return frozenset(words)


@cache
def not_targets() -> frozenset[str]:
    """Dictionary words never corrected towards (mostly names): ``dictionaries/spelling_not_targets.txt``."""
    file = Path(DICTIONARIES) / "spelling_not_targets.txt"
    return frozenset(row[0].strip() for row in read_tsv(file) if row) if file.exists() else frozenset()


@cache
def foreign_words() -> frozenset[str]:
    """Common words of other Latin-script languages, rare in English: ``dictionaries/spelling_foreign_words.txt``."""
    file = Path(DICTIONARIES) / "spelling_foreign_words.txt"
    return frozenset(row[0].strip() for row in read_tsv(file) if row) if file.exists() else frozenset()


@cache
def extra_words(files: tuple[str, ...] = ()) -> frozenset[str]:
    words = set(bundled_words())
    for file in files:
        words.update(row[0].strip().lower() for row in read_tsv(file) if row and row[0].strip())
    return frozenset(words)


@cache
def _wordfreq():
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # optional: without it unknown words have no frequency of their own
        return None
    return zipf_frequency


@cache
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0.0 if unknown or wordfreq is missing)."""
    fn = _wordfreq()
    return fn(word, "en", wordlist="large") if fn else 0.0
