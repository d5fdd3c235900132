"""The word lists the spelling stage relies on, each loaded once per process on first use, as cheaply as possible
(one ``read_text().split()`` per file; numbers converted per word when asked for; heavy sources only when a
candidate needs them):

- :func:`unigrams`: the words of symspellpy's bundled ``frequency_dictionary_en_82_765.txt`` (SCOWL words with
  Google n-gram counts): the correction targets and the core of "is this a word"; :func:`log_count` gives one
  word's count (found in the file's text; a busy document builds the table, :func:`raw_counts`). No SymSpell
  delete index is built; candidates come from edits, the sound-key table and :mod:`rapidfuzz`
  (see ``stages/spelling.py``).
- :func:`bigram`: symspellpy's ``frequency_bigramdictionary_en_243_342.txt``, for context and splits: the first
  lookups search the file's text, a busy document builds the full table (:func:`bigrams`).
- :func:`extra_words`: ``dictionaries/words*.txt`` (generated inflections, news vocabulary) plus the files
  named by ``Config.extra_words``: known words, never correction targets.
- :func:`sounds`: ``dictionaries/spelling_sounds.txt``, the correction targets by sound key (generated).
- :func:`doubling_forms`: ``dictionaries/spelling_doubling.txt``, verb forms whose doubled spelling is a variant
  (generated from lemminflect, which is not loaded at run time).
- :func:`zipf`: wordfreq's broad English list (``large_en``) for words none of the above know; such a
  word's own frequency is weighed against its candidates (real rare words are kept, misspellings that
  happen to be frequent on the web are not). A plain lowercase word is looked up in
  ``dictionaries/spelling_zipf.txt`` (wordfreq's words the vocabulary lacks, generated) or else in wordfreq's
  data file directly (the package import and its dictionary build cost ~0.3 s); anything else (hyphenated
  words) goes through wordfreq itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..core.resources import DICTIONARIES, read_tsv, word_set

#: bigram lookups answered by searching the file's text before the whole table is built
BIGRAM_SEARCHES = 60


def _symspell_file(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec("symspellpy")  # its data only: importing the package costs ~30 ms
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("symspellpy is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


@cache
def _unigram_text() -> str:
    return "\n" + _symspell_file("frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")


@cache
def unigrams() -> frozenset[str]:
    """The words of the unigram list; :func:`log_count` gives one word's count. (The 65 with an apostrophe,
    "can't", are left in: every lookup is a run of letters.)"""
    return frozenset(_unigram_text().split()[0::2])


@cache
def raw_counts() -> dict[str, str]:
    """``word -> count`` as written (digits, no leading zeros), alphabetic words only (the whole table, ~30 ms)."""
    parts = _unigram_text().split()
    return {w: c for w, c in zip(parts[0::2], parts[1::2], strict=True) if w.isalpha()}


#: count lookups answered by searching the file's text before the whole table is built
COUNT_SEARCHES = 100
_COUNT_MEMO: dict[str, str | None] = {}
_LOG: dict[str, float] = {}


def raw_count(word: str) -> str | None:
    """``word``'s count as written, or None if the list lacks it (the first lookups search the file's text)."""
    if raw_counts.cache_info().currsize or len(_COUNT_MEMO) >= COUNT_SEARCHES:
        return raw_counts().get(word)
    if word not in unigrams():
        return None
    hit = _COUNT_MEMO.get(word)
    if hit is None:
        text = _unigram_text()
        i = text.find(f"\n{word} ") + len(word) + 2
        end = text.find("\n", i)
        hit = _COUNT_MEMO[word] = text[i : end if end >= 0 else len(text)].strip()
    return hit


def log_count(word: str) -> float | None:
    """log10 of ``word``'s unigram count, or None if the list lacks it (memoised per word)."""
    hit = _LOG.get(word)
    if hit is None:
        raw = raw_count(word)
        if raw is None:
            return None
        hit = _LOG[word] = math.log10(int(raw))
    return hit


_BIGRAM_TEXT: list[str] = []
_BIGRAM_MEMO: dict[str, int] = {}


@cache
def bigrams() -> dict[str, int]:
    """``"a b"`` -> count (the whole table, ~0.2 s)."""
    parts = _symspell_file("frequency_bigramdictionary_en_243_342.txt").read_text(encoding="utf-8").split()
    if len(parts) % 3:
        raise ValueError("frequency_bigramdictionary_en_243_342.txt: not three fields a line")
    keys = map(" ".join, zip(parts[0::3], parts[1::3], strict=True))
    return dict(zip(keys, map(int, parts[2::3]), strict=True))


def bigram(a: str, b: str) -> int:
    """Count of the pair ``a b`` (0 if unlisted). The first :data:`BIGRAM_SEARCHES` lookups search the file's text
    (a one-line document needs a handful); after that the whole table is built once."""
    key = f"{a} {b}"
    if bigrams.cache_info().currsize or len(_BIGRAM_MEMO) >= BIGRAM_SEARCHES:
        return bigrams().get(key, 0)
    hit = _BIGRAM_MEMO.get(key)
    if hit is not None:
        return hit
    if not _BIGRAM_TEXT:
        _BIGRAM_TEXT.append("\n" + _symspell_file("frequency_bigramdictionary_en_243_342.txt").read_text(
            encoding="utf-8"))
    text = _BIGRAM_TEXT[0]
    i = text.find(f"\n{key} ")
    n = 0
    if i >= 0:
        j = i + len(key) + 2
        end = text.find("\n", j)
        n = int(text[j : end if end >= 0 else len(text)])
    _BIGRAM_MEMO[key] = n
    return n


@cache
def bundled_words() -> frozenset[str]:
    """The words of ``dictionaries/words*.txt`` (generated inflections, news vocabulary), lower-cased."""
    words: set[str] = set()
    for file in sorted(Path(DICTIONARIES).glob("words*.txt")):
        words.update(word_set(file.name))
    return frozenset(words)


@cache
def not_targets() -> frozenset[str]:
    """Dictionary words never corrected towards (names, abbreviations): ``dictionaries/spelling_not_targets.txt``."""
    return word_set("spelling_not_targets.txt")


@cache
def foreign_words() -> frozenset[str]:
    """Common words of other Latin-script languages, rare in English: ``dictionaries/spelling_foreign_words.txt``."""
    return word_set("spelling_foreign_words.txt")


@cache
def other_language_words() -> frozenset[str]:
    """Common words of other Latin-script languages one slip from an English word (Italian "paese", German "noch"): in
    English text a correction of one is only suggested. ``dictionaries/spelling_other_languages.txt``."""
    return word_set("spelling_other_languages.txt")


@cache
def repeats_ok() -> frozenset[str]:
    """Words English writes twice in a row on purpose (had had, that that): ``dictionaries/spelling_repeats_ok.txt``."""
    return word_set("spelling_repeats_ok.txt")


@cache
def doubling_forms() -> frozenset[str]:
    """-ing/-ed forms of verbs ending consonant-vowel-consonant (``targeting``): their doubled spellings
    (``targetting``) are variants. ``dictionaries/spelling_doubling.txt``."""
    return word_set("spelling_doubling.txt")


@cache
def _sounds_text() -> str:
    file = Path(DICTIONARIES) / "spelling_sounds.txt"
    return "\n" + file.read_text(encoding="utf-8") if file.exists() else ""


@cache
def _sounds_table() -> dict[str, str]:
    return dict(ln.split("\t", 1) for ln in _sounds_text().splitlines() if ln and ln[0] != "#")


_SOUND_MEMO: dict[str, str] = {}


def sounds(key: str) -> str:
    """The correction targets with sound key ``key``, space-separated (``dictionaries/spelling_sounds.txt``; the
    first lookups search the file's text, a busy document builds the table)."""
    if _sounds_table.cache_info().currsize or len(_SOUND_MEMO) >= COUNT_SEARCHES:
        return _sounds_table().get(key, "")
    hit = _SOUND_MEMO.get(key)
    if hit is None:
        text = _sounds_text()
        i = text.find(f"\n{key}\t")
        hit = ""
        if i >= 0:
            i += len(key) + 2
            end = text.find("\n", i)
            hit = text[i : end if end >= 0 else len(text)]
        _SOUND_MEMO[key] = hit
    return hit


@cache
def extra_words(files: tuple[str, ...] = ()) -> frozenset[str]:
    if not files:
        return bundled_words()
    words = set(bundled_words())
    for file in files:
        words.update(row[0].strip().lower() for row in read_tsv(file) if row and row[0].strip())
    return frozenset(words)


@cache
def _wordfreq() -> Callable[..., float] | None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # optional: without it unknown words have no frequency of their own
        return None
    return zipf_frequency


@cache
def _large_en() -> list[list[str]] | None:
    """wordfreq's ``large_en`` buckets (bucket ``i`` holds the words of frequency 10**(-i/100)), read from its data
    file without importing wordfreq; None if the file or its format is not the one expected."""
    try:
        import gzip
        import importlib.util

        import msgpack  # type: ignore[import-untyped]

        spec = importlib.util.find_spec("wordfreq")
        if spec is None or not spec.submodule_search_locations:
            return None
        file = Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"
        data = msgpack.unpackb(gzip.decompress(file.read_bytes()), raw=False)
    except Exception:  # a different wordfreq: use its API
        return None
    if not data or data[0] != {"format": "cB", "version": 1}:
        return None
    return data[1:]


_ZIPF_INDEX: list[dict[str, float]] = []
_ZIPF_TABLE: dict[str, float] = {}
#: scans of wordfreq's buckets, searches of spelling_zipf.txt so far
_ZIPF_SCANS = [0, 0]
#: zipf lookups answered by searching spelling_zipf.txt's text before it is indexed
ZIPF_SEARCHES = 100


def _compound_zipf(parts: list[str]) -> float:
    """A hyphenated word's Zipf as wordfreq computes it (it splits at hyphens and combines the parts'
    frequencies as ``1 / sum(1 / f)``), from the parts' own: asking wordfreq itself would load its whole
    large English list as a dict (~90 MB) for one word."""
    zs = [zipf(p) for p in parts]
    if min(zs) <= 0:
        return 0.0
    return round(math.log10(1.0 / sum(10.0 ** -z for z in zs)), 2)


def _zipf_plain(word: str) -> float | None:
    buckets = _large_en()
    if buckets is None:
        return None
    if not _ZIPF_INDEX and _ZIPF_SCANS[0] < 20:  # a few words: scan the buckets (~5 ms each)
        _ZIPF_SCANS[0] += 1
        for i, bucket in enumerate(buckets):
            if word in bucket:
                return round(9.0 - i / 100, 2)
        return 0.0
    if not _ZIPF_INDEX:
        _ZIPF_INDEX.append({w: round(9.0 - i / 100, 2) for i, bucket in enumerate(buckets) for w in bucket})
    return _ZIPF_INDEX[0].get(word, 0.0)


@cache
def _zipf_text() -> str:
    file = Path(DICTIONARIES) / "spelling_zipf.txt"
    return file.read_text(encoding="utf-8") if file.exists() else ""


def _zipf_table(word: str) -> float | None:
    """``word``'s Zipf from ``dictionaries/spelling_zipf.txt`` (wordfreq's words the vocabulary lacks), or None
    if the table cannot answer (missing, or the word is one the vocabulary knows, which the table leaves out)."""
    text = _zipf_text()
    if not text or word in unigrams() or word in bundled_words() or len(word) < 3:
        return None
    if _ZIPF_SCANS[1] >= ZIPF_SEARCHES:  # a busy document: index the table once (~50 ms)
        if not _ZIPF_TABLE:
            for line in text.splitlines():
                if line and line[0] != "#":
                    z, _, words = line.partition("\t")
                    _ZIPF_TABLE.update(dict.fromkeys(words.split(), float(z)))
        return _ZIPF_TABLE.get(word, 0.0)
    _ZIPF_SCANS[1] += 1
    i = text.find(f" {word} ")
    if i < 0:
        return 0.0
    start = text.rfind("\n", 0, i) + 1
    return float(text[start : text.index("\t", start)])


@cache
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0.0 if unknown or wordfreq is missing)."""
    if "-" in word and word.isascii() and all(p.isalpha() and p.islower() for p in word.split("-")):
        return _compound_zipf(word.split("-"))
    if word.isascii() and word.isalpha() and word.islower():
        z = _zipf_table(word)
        if z is None:
            z = _zipf_plain(word)
        if z is not None:
            return z
    fn = _wordfreq()
    return fn(word, "en", wordlist="large") if fn else 0.0
