"""The `spelling` stage: corrects lowercase words that no vocabulary knows, when one correction clearly wins.

The common case is one set difference: the text's lowercase words (``\\b[a-z]+\\b``) minus the vocabulary
(symspellpy's frequency dictionary, inflections, ``dictionaries/words*.txt``, ``Config.extra_words``, the
gazetteers' name words). Only what is left is examined, occurrence by occurrence:

- protected: anything inside a URL, email, domain, tag, hashtag, number with unit or code token; parts of
  contractions and possessives (``aren``, ``d'etat``); capitalised and upper-case words (names, acronyms);
- a hyphenated word is known if its parts joined are a word (``co-ordinator``);
- candidates within two edits (optimal string alignment, via rapidfuzz over the target words) and splits
  into two words are scored as ``log10 P(candidate) - cost(typo)`` with a weighted edit cost (doubled
  letters, vowels, keyboard neighbours and transpositions are cheap; the first letter is dear); the word
  itself competes with its own wordfreq frequency, so a real rare word ("anthemic") is kept;
- the neighbouring words (symspellpy's bigram dictionary) add evidence when they know a candidate;
- the margin between the winner and the runner-up (or the word itself) gives the confidence; below the
  configured ``min_confidence`` the edit is only a suggestion.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from .. import gazetteer
from .. import vocabulary as vocab
from ..channel import sound_key, typo_cost, vowel_key
from ..edits import Edit
from ..text import PROTECTED_KINDS, match_case, tokenize
from . import Stage, register

_LOWER_WORD = re.compile(r"\b[a-z]+\b")
#: for ASCII text, faster than the regex: lower-case letters kept, other word characters marked ``\x01``
#: (a token holding one is no whole lower-case word), everything else a space; one ``split`` finds the same words
_ASCII_WORD_MAP = str.maketrans(
    {i: chr(i) if 97 <= i <= 122 else "\x01" if chr(i).isalnum() or i == 95 else " " for i in range(128)}
)
_SPARSE_NON_ASCII = 0.02  # share of non-ASCII characters up to which the translate scan still pays


def _word_class(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: a run of non-ASCII characters becomes ``A`` per word character (a letter or digit
    that makes its token no lower-case ASCII word, as a capital does) and a space per other character (quotes,
    dashes, £)."""
    run = exc.object[exc.start : exc.end]  # type: ignore[attr-defined]
    return "".join("A" if c.isalnum() or c == "_" else " " for c in run), exc.end  # type: ignore[attr-defined]


codecs.register_error("cleaner-word-class", _word_class)


def lower_word_tokens(text: str) -> tuple[set[str], bool]:
    """The distinct ``\\b[a-z]+\\b`` words of ``text``, and whether the set may also hold tokens marked with
    ``\\x01`` (no whole words), which the caller drops after the cheap set difference. Text that is ASCII, or
    nearly (news with curly quotes and £), is translated and split, faster than the regex."""
    if not text.isascii():
        extra = len(text.encode("utf-8", "surrogatepass")) - len(text)  # a lone surrogate must not raise
        if extra > _SPARSE_NON_ASCII * len(text):
            return set(_LOWER_WORD.findall(text)), False
        text = text.encode("ascii", "cleaner-word-class").decode("ascii")
    return set(text.translate(_ASCII_WORD_MAP).split()), True


_VOWELS = frozenset("aeiouy")
#: a run-together pair is split only if one half is a function word (``alot``, ``hesaid``, ``ofthe``);
#: solid compounds of content words (``rollout``, ``hotspots``) are left alone
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with as and or but not no is was are were be been has had have do did "
    "he she it we they i you his her its our their my your this that these those there said will would can "
    "could should may might must shall than then so if".split()
)
_SPLIT_MIN_BIGRAM = 100_000_000
#: longer letter runs are not words anyone misspelt (a line with no spaces, a base64 blob): skipped before any work
MAX_WORD = 40
#: a lowercase word with no vowel is taken for an abbreviation below this length (mph, pdf); a longer one one slip
#: from a word is a typo (frst, clls: a vowel left out or hit as a neighbouring consonant)
VOWELLESS_MIN = 4
#: characters either side of an occurrence that its decision may read (the token window and the language gate)
TOKEN_WINDOW = 60
GATE_CHARS = 300
_SUFFIXES = ("ize", "ise", "ized", "ised", "izes", "ises", "izing", "ising", "ization", "isation", "ness", "less",
             "ful", "ment", "ments", "able", "ism", "isms", "ist", "ists", "ity", "ship", "hood", "wise")
_PREFIXES = ("re", "un", "non", "pre", "over", "under", "out", "mis", "co", "anti", "counter", "sub", "super",
             "inter", "multi", "semi", "post", "self", "mid", "ex", "cross", "dis")
#: adjectives with these endings take no -y ("traditionaly" is a misspelling of traditionally, not a derivation)
_ADJECTIVE_ENDINGS = ("al", "ic", "ous", "ive", "ful", "able", "ible", "ent", "ant", "ary")
#: verb-forming endings: a word with one of these whose -d form is known is that verb's base (the list may lack it)
_VERB_ENDINGS = ("ate", "ise", "ize", "yse", "yze")
#: a pair missing from the bigram dictionary is taken as this rare (below its smallest count)
_BIGRAM_FLOOR = 3_000_000


# Scoring constants in log10 units (the typo costs themselves are in cleaner/channel.py).
SPLIT = 1.5  # a missing space
ALWAYS_TWO = 0
SOUND_SPAN = 4  # a word that sounds alike is a candidate if its length is within this of the typed word's
IN_TEXT = 0.5  # extra margin any correction needs inside running text
FAR_IN_TEXT = 1.0  # extra margin a correction two edits away needs inside running text
#: extra margin, inside running text, for a short word that differs from its correction only by one vowel:
#: the signature of a transliterated or foreign word (talan/talon, stym/stem) more than of a slip
VOWEL_SWAP_IN_TEXT = 0.8
RUNNER_OFFSET = -0.4
#: log10 of how much larger the bigram counts' total is than the unigram counts' (1.24e13 vs 5.4e11)
BIGRAM_SCALE = 1.36
MIN_TARGET_LOG_COUNT = 3.0
SHORT_WORD = 0.2  # margin a word of four letters or fewer must also clear
SHORT_WORD_IN_TEXT = 0.8  # the same inside running text
UNSEEN = 2.0  # a word nobody has seen, in running text, still competes as if this (log10) count were its frequency
#: the same for a word on its own (a list entry, a table cell): no sentence around it suggests a rare word or name
UNSEEN_ALONE = 1.0
#: the same for a word that is a whole line (a list entry): a word nobody writes (not in wordfreq) is then
#: most likely a misspelling. A word that merely has no neighbouring word ("[img]", one half of "limb-x") keeps
#: UNSEEN_ALONE: it is still inside running text
UNSEEN_LINE = 0.5
KEEP_BONUS = 0.4  # the word as written, if wordfreq knows it, has this head start
# A regular derivation of a known word competes as if its count were its base's, less these costs
PLURAL = 0.8  # -s, -es, -ies
DERIVED = 2.0  # productive prefixes and suffixes (re-, un-, -ness, -ize...)
E_DROP = 0.5  # the base's final e dropped before a vowel suffix
DERIVED_UNCOUNTED = 5.0  # log count taken for a base known only from the word lists
ZIPF_KEEP = 9.0
ZIPF_WEIGHT = 1.0
#: a word on its own (a list, a table cell): a candidate with its sound key gains this. A misspelling by someone
#: who does not know the spelling keeps the sound (hourse: horse, not hours); a keyboard slip in running text
#: does not (measured: it lowers typo repair in running text), so there it is not given
SOUND_BONUS = 1.0
SOUND_ZIPF = 2.5
#: ... and this more if it also keeps the vowels (:func:`~cleaner.channel.vowel_key`): "sieze" sounds like
#: seize, not size, though all three share the consonants
VOWEL_BONUS = 1.0
#: the vowel-keeping match is specific enough to be given to words in wider use than SOUND_ZIPF ("helo" is common
#: on the web, still a misspelling of hello), except where the two are regional variants (see _variant)
VOWEL_ZIPF = 3.5
#: a doubled verb form is a variant, not an error, if wordfreq has it at least this often
DOUBLING_ZIPF = 1.0


@dataclass(frozen=True, slots=True)
class Correction:
    replacement: str
    confidence: float
    note: str
    rule: str


def _pair_evidence(n: int, log_count: float) -> float:
    """log10 P(neighbour | candidate), up to a constant. A pair missing from the bigram dictionary is rarer
    than its floor, and (for a rare candidate) rarer than an ordinary 1% share of the candidate's uses."""
    if n:
        return math.log10(n) - log_count
    return min(math.log10(_BIGRAM_FLOOR) - log_count, BIGRAM_SCALE - 2.0)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    return out


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance (unit costs; as rapidfuzz's OSA, without importing it for one pair)."""
    n, m = len(a), len(b)
    prev2: list[int] = []
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[m]


def _confidence(margin: float) -> float:
    """Margin (log10 odds of the winner over the runner-up) -> confidence in [0.5, 1)."""
    return round(1.0 - 0.5 * 10 ** (-max(margin, 0.0)), 3)


def _doubling_variant(word: str, cand: str) -> bool:
    """``word`` doubles the final consonant of ``cand``'s verb before -ed/-ing (British variants)."""
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and cand.endswith(suffix):
            stem, cstem = word[: -len(suffix)], cand[: -len(suffix)]
            if (len(stem) == len(cstem) + 1 and stem[-1] == stem[-2] and stem[:-1] == cstem and len(cstem) > 2
                    and cstem[-2] in _VOWELS and cstem[-3] not in _VOWELS):
                # a verb's -ing/-ed form (tabulated from lemminflect) whose doubled spelling people use
                # (targetting, focussed; not "flatterring")
                return cand in vocab.doubling_forms() and vocab.zipf(word) >= DOUBLING_ZIPF
    return False


class Speller:
    """Isolated-word and in-context correction over the shared vocabulary (built once per process)."""

    def __init__(self, extra: frozenset[str] = frozenset(), gazetteer_key: tuple | None = None) -> None:
        self.words = vocab.unigrams()  # counts are looked up per word (vocab.log_count)
        known = set(self.words)
        known.update(vocab.extra_words())
        known.update(extra)
        self.known = known
        #: the gazetteers' name words join ``known`` on first need (see :meth:`with_names`): text whose
        #: words are all in the dictionary never pays for loading the gazetteers
        self._gazetteer_key = gazetteer_key
        self.not_targets = vocab.not_targets()
        self._targets: dict[int, list[str]] | None = None
        self._cache: dict[str, list[tuple[float, str, str]]] = {}

    def with_names(self) -> Speller:
        """Add the gazetteers' name words to ``known`` (once)."""
        if self._gazetteer_key is not None:
            self.known.update(_name_words(self._gazetteer_key))
            self._gazetteer_key = None
        return self

    @property
    def targets(self) -> dict[int, list[str]]:
        """Correction targets by length (words rare in the n-gram counts are not worth correcting to)."""
        if self._targets is None:
            by_len: dict[int, list[str]] = {}
            for w, c in vocab.raw_counts().items():
                if len(c) > MIN_TARGET_LOG_COUNT and (len(w) > 1 or w in "ai") and w not in self.not_targets:
                    by_len.setdefault(len(w), []).append(w)
            self._targets = by_len
        return self._targets

    def sounds_like(self, word: str) -> list[str]:
        """Correction targets of more than three letters with ``word``'s :func:`~cleaner.channel.sound_key`
        (``dictionaries/spelling_sounds.txt``, generated by scripts/build_spelling.py from the same targets)."""
        return vocab.sounds(sound_key(word)).split()

    def _is_target(self, w: str) -> bool:
        # count >= 10**MIN_TARGET_LOG_COUNT: it has more digits than the exponent
        c = vocab.raw_count(w) if w in self.words else None
        return c is not None and len(c) > MIN_TARGET_LOG_COUNT and w not in self.not_targets

    def log_count(self, w: str) -> float:
        return vocab.log_count(w) or 0.0

    def is_known(self, word: str) -> bool:
        return word in self.known or self.is_inflection(word)

    def is_inflection(self, word: str) -> bool:
        """A plural or third-person ``-s`` of a known word (``throughputs``, ``realties``), or a known word
        with a productive prefix or suffix (``reconvicted``, ``unrecycled``)."""
        return self.derived_score(word) > float("-inf")

    def _base_score(self, stem: str) -> float:
        lc = vocab.log_count(stem)
        if lc is not None:
            return lc
        return DERIVED_UNCOUNTED if stem in self.known else float("-inf")

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def derived_score(self, word: str) -> float:
        """How plausible ``word`` is as a regular derivation of a known word: the base's log count minus the
        derivation's cost (-inf if it is none). A misspelling may also look like one ("managment" = manage
        - e + ment), so derivations compete with corrections instead of vetoing them."""
        best = float("-inf")
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)]
                best = max(best, self._base_score(stem) - DERIVED)
                if suffix[0] in _VOWELS:  # e dropped before a vowel (tolerable, salvageable)
                    best = max(best, self._base_score(stem + "e") - DERIVED - E_DROP)
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                best = max(best, self._base_score(word[len(prefix):]) - DERIVED)
        if word.endswith("ies"):
            best = max(best, self._base_score(word[:-3] + "y") - PLURAL)
        for suffix, repl in (("ier", "y"), ("iest", "y"), ("ily", "y"), ("er", ""), ("est", ""), ("ly", ""), ("y", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:  # dinkier, lossy
                base = word[: -len(suffix)] + repl
                if (suffix == "y" and base.endswith(_ADJECTIVE_ENDINGS)) or (suffix == "ly" and base.endswith("ic")):
                    continue  # traditional -> traditionally, basic -> basically: never "traditionaly", "basicly"
                if base[-1] == suffix[0] and suffix[0] in "aeiouy":
                    continue  # no suffix repeats the vowel it joins: "moneyy", "freeer" are typos, not derivations
                best = max(best, self._base_score(base) - DERIVED)
        if word.endswith(_VERB_ENDINGS) and len(word) >= 7:  # desiccate: the base of a known "desiccated"
            best = max(best, self._base_score(word + "d") - PLURAL)
        if word.endswith("es") and word[-3:-2] in "sxzh":
            best = max(best, self._base_score(word[:-2]) - PLURAL)
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            best = max(best, self._base_score(word[:-1]) - PLURAL)
        return best

    def candidates(self, word: str) -> list[tuple[float, str, str]]:
        """``(score, candidate, rule)``, best first; ``rule`` is ``typo`` or ``split``. Memoised."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        if len(self._cache) > 50_000:
            self._cache.clear()
        out = self._candidates(word)
        self._cache[word] = out
        return out

    def _candidates(self, word: str) -> list[tuple[float, str, str]]:
        # one edit: generate and look up (fast); two edits: rapidfuzz over the words of similar length; and the
        # words that sound alike (one spelling per sound), for errors of knowledge several letters long
        found = {c for c in _edits1(word) if self._is_target(c)}
        if (ALWAYS_TWO or not found) and len(word) > 3:
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            targets = self.targets
            for n in range(len(word) - 2, len(word) + 3):
                for cand, _d, _ in process.extract(word, targets.get(n, ()), scorer=OSA.distance, score_cutoff=2,
                                                   limit=None):
                    found.add(cand)
        if len(word) > 3:
            found.update(c for c in self.sounds_like(word) if abs(len(c) - len(word)) <= SOUND_SPAN)
        found.discard(word)
        out = [(self.log_count(c) - typo_cost(word, c), c, "typo") for c in found]
        for i in range(1, len(word)):
            a, b = word[:i], word[i:]
            if (len(a) == 1 and a not in "ai") or (len(b) == 1 and b not in "ai"):
                continue
            if (a in _FUNCTION_WORDS or b in _FUNCTION_WORDS) and a in self.words and b in self.words:
                n = vocab.bigram(a, b)
                if n >= _SPLIT_MIN_BIGRAM:
                    out.append((math.log10(n) - BIGRAM_SCALE - SPLIT, f"{a} {b}", "split"))
        out.sort(reverse=True)
        return out

    def _sounding(self, word: str, cands: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
        """Candidates with :data:`SOUND_BONUS` for those that sound like ``word``, re-ranked (not for a word in
        common use: a spelling variant such as "etiology" sounds like its other spelling too)."""
        z = vocab.zipf(word)
        if z >= VOWEL_ZIPF:
            return cands
        key, vkey = sound_key(word), vowel_key(word)

        def bonus(cand: str) -> float:
            if z >= SOUND_ZIPF:  # in wider use: only an exact sound match that is not a regional variant
                return VOWEL_BONUS if vowel_key(cand) == vkey and not _variant(word, cand) else 0.0
            return (SOUND_BONUS if sound_key(cand) == key else 0.0) + (VOWEL_BONUS if vowel_key(cand) == vkey else 0.0)

        return sorted(((s + bonus(c) if r == "typo" else s, c, r) for s, c, r in cands), reverse=True)

    def own_score(self, word: str, in_text: bool = True, line: bool = False) -> float:
        """The word as written competes with its candidates as if this were its log count."""
        z = vocab.zipf(word)
        if z >= ZIPF_KEEP:
            return z + vocab.ZIPF_TO_LOG_COUNT + KEEP_BONUS
        return (UNSEEN if in_text else UNSEEN_LINE if line else UNSEEN_ALONE) + ZIPF_WEIGHT * z

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def may_correct(self, word: str) -> bool:
        """Can any context make a correction of ``word`` win? Context only re-ranks candidates (the best
        keeps its score), so a word whose best candidate does not beat the word itself is skipped early."""
        cands = self._sounding(word, self.candidates(word))
        if not cands:
            return False
        own = max(self.own_score(word, in_text=False, line=True), self.derived_score(word))
        return cands[0][0] - own - (min(SHORT_WORD, SHORT_WORD_IN_TEXT) if len(word) <= 4 else 0.0) > 0

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def correct(self, word: str, prev: str = "", nxt: str = "", line: bool = False) -> Correction | None:
        """Best correction of a lowercase ``word`` given its neighbours (may be empty), or None; ``line``: the
        word is a whole line of its own (a list entry). Memoised: a collection repeats its rare words, names and
        typos, mostly between the same neighbours."""
        cands = self.candidates(word)
        if not cands:
            return None
        if prev or nxt:
            cands = self._rescore(cands, prev, nxt)
        else:
            cands = self._sounding(word, cands)
        best_score, best, rule = cands[0]
        runner = cands[1][0] if len(cands) > 1 else float("-inf")
        own = max(self.own_score(word, in_text=bool(prev or nxt), line=line), self.derived_score(word))
        rival = max(runner + RUNNER_OFFSET, own)
        margin = best_score - rival
        if prev or nxt:  # in edited running text an unknown word is more often a rare word than in a word list
            margin -= IN_TEXT
        if len(word) <= 4:  # short strings are often abbreviations, foreign or transliterated words
            margin -= SHORT_WORD_IN_TEXT if prev or nxt else SHORT_WORD
        if (prev or nxt) and rule == "typo" and _osa(word, best) > 1:
            # in running text a typo is mostly one slip; a word two edits from any word is more often a
            # transliteration or foreign word than a misspelling (isolated words have no such evidence)
            margin -= FAR_IN_TEXT
        if (prev or nxt) and len(word) <= 6 and _vowel_swap(word, best):
            margin -= VOWEL_SWAP_IN_TEXT
        if margin <= 0:
            return None
        conf = _confidence(margin)
        if rule == "typo" and _doubling_variant(word, best):
            conf = min(conf, 0.6)  # targetting/targeting, focussed/focused: a variant, not an error
        why = "not a known word"
        if vocab.zipf(word) > 0:
            why = f"a rare form (zipf {vocab.zipf(word):.1f})"
        note = f"{word} -> {best}: {why}; " + (
            f"runner-up {cands[1][1]!r}" if len(cands) > 1 else "only candidate") + f", margin {margin:.2f}"
        return Correction(best, conf, note, rule)

    def _rescore(self, cands: list[tuple[float, str, str]], prev: str, nxt: str) -> list[tuple[float, str, str]]:
        """Add bigram evidence from the neighbours: log10 of how often each candidate follows ``prev`` and
        precedes ``nxt``, relative to its own frequency, halved (bigram counts are sparse)."""
        out: list[tuple[float, float, str, str]] = []
        for score, cand, rule in cands:
            first, last = cand.split()[0], cand.split()[-1]
            bonus = 0.0
            if prev:
                bonus += _pair_evidence(vocab.bigram(prev, first), self.log_count(first))
            if nxt:
                bonus += _pair_evidence(vocab.bigram(last, nxt), self.log_count(last))
            out.append((score, 0.5 * bonus, cand, rule))
        # context only re-ranks the candidates: the best-supported one keeps its own score
        top = max(b for _, b, _, _ in out)
        ranked = sorted(((score + b - top, cand, rule) for score, b, cand, rule in out), reverse=True)
        return ranked
        return out


#: British and American spellings of one word, reduced to one form (colour/color, centre/center, ageing/aging)
_VARIANT_RE = re.compile(r"our|(?<=[^aeiou])re(?=[sd]?$)|ae|oe|ll(?=(?:ed|ing|ers?|ors?|ery|ment|ful)?$)"
                         r"|(?<=[iy])[sz](?=[ei])|ogue$|mme$")


def _variant(word: str, cand: str) -> bool:
    """``word`` and ``cand`` are regional spellings of one word (colour/color, centre/center, gruelling/grueling)."""
    def norm(w: str) -> str:
        return _VARIANT_RE.sub(lambda m: {"our": "or", "re": "er", "ae": "e", "oe": "e", "ll": "l", "ogue": "og",
                                          "mme": "m"}.get(m.group(), "z"), w)

    return norm(word) == norm(cand)


def _vowel_swap(word: str, best: str) -> bool:
    """``word`` and ``best`` differ in exactly one position, a vowel for a vowel."""
    if len(word) != len(best):
        return False
    diffs = [(a, b) for a, b in zip(word, best, strict=True) if a != b]
    return len(diffs) == 1 and diffs[0][0] in _VOWELS and diffs[0][1] in _VOWELS


@cache
def speller_for(extra_files: tuple[str, ...], gazetteer_key: tuple) -> Speller:
    return Speller(vocab.extra_words(extra_files), gazetteer_key)


def _name_words(gazetteer_key: tuple) -> frozenset[str]:
    try:
        return gazetteer.load(*gazetteer_key).tokens
    except Exception:  # a broken gazetteer must not disable spelling; the entities stage reports it
        return frozenset()


_NEIGHBOUR = re.compile(r"[A-Za-z]+")
_LETTERS = re.compile(r"[^\W\d_]+")
#: words either side of an unknown word that decide whether its sentence reads as English
GATE_WINDOW = 8
#: a context is foreign if this share of its words is foreign (non-ASCII letters, other languages' common
#: words) or, counting unknown words too, twice this share
GATE_FOREIGN_SHARE = 0.25


def _foreign_context(text: str, start: int, end: int, sp: Speller) -> bool:
    """Does the line around ``text[start:end]`` read as another language (or transliteration)?"""
    lo = text.rfind("\n", max(0, start - 300), start) + 1 or max(0, start - 300)
    hi = text.find("\n", end, end + 300)
    hi = hi if hi >= 0 else min(len(text), end + 300)
    left = _LETTERS.findall(text, lo, start)[-GATE_WINDOW:]
    right = _LETTERS.findall(text, end, hi)[:GATE_WINDOW]
    context = left + right
    if not context:
        return False  # a word alone: no evidence either way (one foreign neighbour is evidence)
    foreign_words = vocab.foreign_words()
    foreign = unknown = 0
    for tok in context:
        low = tok.lower()
        if not low.isascii() or low in foreign_words:
            foreign += 1
        elif len(low) > 1 and low not in sp.known and not sp.is_inflection(low):
            unknown += 1
    return foreign >= GATE_FOREIGN_SHARE * len(context) or foreign + unknown >= 2 * GATE_FOREIGN_SHARE * len(context)


def _garbled_neighbour(ch: str) -> bool:
    """A non-ASCII symbol next to a word (``�frica``, ``Ã¥ber``): the word is a fragment of a garbled token."""
    return not ch.isascii() and not ch.isspace() and not unicodedata.category(ch).startswith(("P", "Z"))


@register("spelling")
class SpellingStage(Stage):
    def __init__(self, config) -> None:
        super().__init__(config)
        self._speller: Speller | None = None

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            cfg = self.config
            self._speller = speller_for(tuple(cfg.extra_words), (cfg.style, tuple(cfg.gazetteers)))
        return self._speller

    def propose(self, text: str) -> list[Edit]:
        words, marked = lower_word_tokens(text)
        if not words:
            return []
        sp = self.speller
        outside = words.difference(sp.known)
        if marked:
            outside = {w for w in outside if "\x01" not in w}
        if not outside:
            return []
        if sp._gazetteer_key is not None:  # first text with a word outside the dictionary: add the names
            outside = outside.difference(sp.with_names().known)
        unknown = [w for w in outside if 3 <= len(w) <= MAX_WORD]
        if not unknown:
            return []
        edits: list[Edit] = []
        # an occurrence's decision reads only its surroundings (TOKEN_WINDOW, and the language gate's line within
        # GATE_CHARS): the same surroundings give the same decision, so a word repeated in the same context
        # (a boilerplate line, a hostile input) costs a dict lookup
        decided: dict[tuple[str, int], tuple | None] = {}
        for word in sorted(unknown):
            if not sp.may_correct(word):
                continue
            for m in re.finditer(rf"\b{word}\b", text):
                start, end = m.start(), m.end()
                lo = max(0, start - GATE_CHARS)
                hi = min(len(text), end + GATE_CHARS)
                key = (text[lo:hi], start - lo)
                if key in decided:
                    hit = decided[key]
                    if hit is not None:
                        edits.append(Edit(start, end, *hit))
                    continue
                e = self._occurrence(text, start, end, word)
                decided[key] = None if e is None else e[2:]
                if e is not None:
                    edits.append(e)
        return edits

    def _occurrence(self, text: str, start: int, end: int, word: str) -> Edit | None:
        sp = self.speller
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        possessive = after in "'’" and text[end + 1 : end + 2] == "s" and not text[end + 2 : end + 3].isalpha()
        if before in "'’" or (after in "'’" and not possessive) or before in "@#/\\_." or after == "_":
            return None  # contraction, d'etat, a path or handle (a possessive's stem may be corrected)
        if before in '"“«' and after in '"”»':
            return None  # a single quoted word is a mention ("the word "energie""), not prose to correct
        if after in ".@/" and end + 1 < len(text) and text[end + 1].isalnum():
            return None  # domain, email, dotted identifier
        if text[max(0, start - 3) : start].rstrip().endswith("/") or text[end : end + 3].lstrip().startswith("/"):
            return None  # a path, or a URL broken up by spaces ("https: / / site / r / name /")
        # the token the shared tokenizer sees around this word
        lo, hi = max(0, start - 60), min(len(text), end + 60)
        for tok in tokenize(text[lo:hi]):
            if tok.start + lo <= start and end <= tok.end + lo:
                if tok.kind in PROTECTED_KINDS:
                    return None
                if tok.kind == "word" and tok.text != word:
                    if ("'" in tok.text or "’" in tok.text) and not (possessive and tok.text[:-2] == word):
                        return None
                    if "-" in tok.text:
                        joined = tok.text.replace("-", "").lower()
                        if joined in sp.known or vocab.zipf(tok.text.lower()) >= 2.0:
                            return None
                        others = [p for p in tok.text.lower().split("-") if p != word]
                        if any(not sp.is_known(p) for p in others):
                            return None  # several unknown parts: a foreign or transliterated compound
                break
        prev_m = list(_NEIGHBOUR.finditer(text[max(0, start - 40) : start]))
        prev = prev_m[-1].group().lower() if prev_m and text[start - 1] == " " else ""
        nxt_m = _NEIGHBOUR.match(text, end + 1) if after == " " else None
        nxt = nxt_m.group().lower() if nxt_m else ""
        vowelless = not _VOWELS.intersection(word)
        if vowelless and len(word) < VOWELLESS_MIN:
            return None  # no vowel: an abbreviation (mph, pdf)
        if _garbled_neighbour(before) or _garbled_neighbour(after) or _foreign_context(text, start, end, sp):
            return None  # part of a garbled token, or a sentence in another language
        # a whole line of its own (a list entry), judged within the characters the memo key holds
        lo, hi = max(0, start - GATE_CHARS), min(len(text), end + GATE_CHARS)
        line_start = text.rfind("\n", lo, start) + 1 or lo
        line_end = text.find("\n", end, hi)
        line = not text[line_start:start].strip() and not text[end : hi if line_end < 0 else line_end].strip()
        fix = sp.correct(word, prev, nxt, line)
        if fix is None:
            return None
        if vowelless and (fix.rule != "typo" or _osa(word, fix.replacement) > 1):
            return None  # a longer vowel-less word is a typo only if one slip from a word (frst, smll; not mgmt)
        return Edit(start, end, match_case(word, fix.replacement), stage=self.name, rule=fix.rule,
                    confidence=fix.confidence, note=fix.note)
