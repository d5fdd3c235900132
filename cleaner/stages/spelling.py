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

from ..core.edits import Edit
from ..core.resources import word_list, word_set
from ..language import gazetteer
from ..language import vocabulary as vocab
from ..language.channel import slip, sound_key, typo_cost, vowel_key
from ..language.similarity import osa
from ..language.text import PROTECTED_KINDS, match_case, tokenize
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
#: English word lists (``dictionaries/english/``; each file says what it is for): function words (a run-together
#: pair is split only if one half is one), productive suffixes and prefixes (regular derivations), adjective endings
#: that take no -y, verb-forming endings
_FUNCTION_WORDS = word_set("english/function_words.txt")
_SUFFIXES = word_list("english/derivation_suffixes.txt")
_PREFIXES = word_list("english/derivation_prefixes.txt")
_ADJECTIVE_ENDINGS = word_list("english/adjective_endings.txt")
_VERB_ENDINGS = word_list("english/verb_endings.txt")


@dataclass(frozen=True, slots=True)
class Params:
    """The spelling stage's tuning, in one place (log10 units unless said otherwise; the typo costs themselves are
    in :mod:`cleaner.language.channel`). ``PARAMS`` holds the defaults every stage uses; tests and tools may build a
    :class:`Speller` with another instance."""

    #: longer letter runs are not words anyone misspelt (a line with no spaces, a base64 blob): skipped at once
    max_word: int = 40
    #: a lowercase word with no vowel is taken for an abbreviation below this length (mph, pdf); a longer one, one
    #: slip from a word, is a typo (frst, clls: a vowel left out or hit as a neighbouring consonant)
    vowelless_min: int = 4
    #: characters either side of an occurrence that its decision may read (the language gate, the memo key)
    gate_chars: int = 300
    #: words either side of an unknown word that decide whether its sentence reads as English
    gate_window: int = 8
    #: a context is foreign if this share of its words is foreign (non-ASCII letters, other languages' common
    #: words) or, counting unknown words too, twice this share
    gate_foreign_share: float = 0.25
    #: a run-together pair is split only if the pair is at least this frequent in the bigram counts
    split_min_bigram: int = 100_000_000
    #: a pair missing from the bigram dictionary is taken as this rare (below its smallest count)
    bigram_floor: int = 3_000_000
    #: cost of a missing space (a split candidate)
    split: float = 1.5
    #: a word that sounds alike is a candidate if its length is within this of the typed word's
    sound_span: int = 4
    #: extra margin any correction needs inside running text
    in_text: float = 0.5
    #: extra margin a correction two edits away needs inside running text
    far_in_text: float = 1.0
    #: extra margin, in running text, for a short word that differs from its correction only by one vowel: the
    #: signature of a transliterated or foreign word (talan/talon, stym/stem) more than of a slip
    vowel_swap_in_text: float = 0.8
    #: the runner-up candidate competes with this handicap
    runner_offset: float = -0.4
    #: log10 of how much larger the bigram counts' total is than the unigram counts' (1.24e13 vs 5.4e11)
    bigram_scale: float = 1.36
    #: log10 of the unigram counts' total (5.4e11), for pointwise mutual information
    unigram_total: float = 11.73
    #: words rarer than 10**this in the unigram counts are not correction targets
    min_target_log_count: float = 3.0
    #: margin a word of four letters or fewer must also clear (alone; in running text)
    short_word: float = 0.2
    short_word_in_text: float = 0.8
    #: a word nobody has seen, in running text, competes as if this (log10) count were its frequency
    unseen: float = 2.0
    #: the same for a word on its own (a table cell): no sentence around it suggests a rare word or name
    unseen_alone: float = 1.0
    #: the same for a word that is a whole line (a list entry): a word nobody writes is then most likely a
    #: misspelling
    unseen_line: float = 0.5
    #: a regular derivation of a known word competes as if its count were its base's, less these costs:
    #: -s, -es, -ies
    plural: float = 0.8
    #: productive prefixes and suffixes (re-, un-, -ness, -ize...)
    derived: float = 2.0
    #: the base's final e dropped before a vowel suffix
    e_drop: float = 0.5
    #: log count taken for a base known only from the word lists
    derived_uncounted: float = 5.0
    #: weight of the word's own wordfreq Zipf in its score as written
    zipf_weight: float = 1.0
    #: a word on its own: a candidate with its sound key gains this (a misspelling by someone who does not know
    #: the spelling keeps the sound: hourse is horse, not hours). Not given in running text (measured: it lowers
    #: typo repair there)
    sound_bonus: float = 1.0
    #: up to this Zipf a word gets the sound bonuses; from it only an exact vowel-keeping match
    sound_zipf: float = 2.5
    #: ... and this more if it also keeps the vowels: "sieze" sounds like seize, not size
    vowel_bonus: float = 1.0
    #: from this Zipf a word gets no sound bonus at all ("helo" is common on the web, still a misspelling)
    vowel_zipf: float = 3.5
    #: a doubled verb form is a variant, not an error, if wordfreq has it at least this often
    doubling_zipf: float = 1.0
    #: -- positive evidence, in running text: a correction lacking any of it is only a suggestion --
    #: a token wordfreq knows in English at least this often is a (rare) word, not a typo (molting, codec)
    english_word_zipf: float = 2.2
    #: ... unless it is a swap, a dropped letter or a lost/extra doubling of a word this much more frequent (log10;
    #: 2.4 is ~250x): the web repeats its common misspellings (``teh``, ``recieved``), so wordfreq lists them
    misspelling_gap: float = 2.4
    misspelling_slips: frozenset[str] = frozenset({"swapped", "dropped", "doubled"})
    #: a token used this many times in the document (in any case) is a term, a name or a transliteration
    repeat_min: int = 2
    #: the candidate's pointwise mutual information (log10) with a neighbour must exceed this: the context prefers it
    context_min_pmi: float = 0.0
    #: a long word (this many letters or more) one plain edit from a candidate that wins by a wide margin
    #: (``long_min_confidence``) needs no finger-slip shape: an error of knowledge (tantilising, missionairies)
    long_word: int = 9
    long_min_confidence: float = 0.99
    #: a neighbour this strongly tied to the candidate (PMI, log10) outweighs the token being a word of another
    #: language: in an English sentence that reads "per mile", a foreign word is the less likely reading
    strong_context_pmi: float = 0.5
    #: the bigram counts are sparse: a long word (this many letters or more) whose candidate no listed pair
    #: contradicts may instead win by a clear margin (``confident`` or more before the evidence checks)
    unlisted_min_length: int = 5
    unlisted_min_confidence: float = 0.95
    #: ... or, when neither neighbour pair is listed at all (no evidence either way), by this much if the token is
    #: one finger slip from a common candidate (``common_candidate_zipf``) that keeps its first letter (typists
    #: rarely miss the first letter; a transliteration or a cut-off fragment often differs there) and is no word
    #: wordfreq knows, or one ``misspelling_gap`` rarer than the candidate
    unlisted_slip_confidence: float = 0.8
    common_candidate_zipf: float = 3.5
    #: confidence given to a correction that lacks positive evidence (below the default min_confidence)
    suggest_confidence: float = 0.6
    #: a token that is a regular form (plural, -ical, -ency, -ibly) of a word wordfreq has at least this often is a
    #: word the lists lack, not a typo (pointes, ethnical, decadency, inaccessibly)
    regular_base_zipf: float = 2.5
    #: a correction below this confidence is a close call: a runner-up one finger slip away that a neighbour is
    #: bound to (PMI of ``strong_rival_pmi`` or more) while the winner never occurs beside it makes it a suggestion
    close_call: float = 0.9
    strong_rival_pmi: float = 2.0


PARAMS = Params()

@dataclass(frozen=True, slots=True)
class Correction:
    replacement: str
    confidence: float
    note: str
    rule: str
    runner_up: str = ""  # the second candidate: a close call must not lose the context to it


def _pair_evidence(n: int, log_count: float) -> float:
    """log10 P(neighbour | candidate), up to a constant. A pair missing from the bigram dictionary is rarer
    than its floor, and (for a rare candidate) rarer than an ordinary 1% share of the candidate's uses."""
    if n:
        return math.log10(n) - log_count
    return min(math.log10(PARAMS.bigram_floor) - log_count, PARAMS.bigram_scale - 2.0)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in _ALPHABET)
    out.update(a + c + b for a, b in splits for c in _ALPHABET)
    return out


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
                return cand in vocab.doubling_forms() and vocab.zipf(word) >= PARAMS.doubling_zipf
    return False


class Speller:
    """Isolated-word and in-context correction over the shared vocabulary (built once per process)."""

    def __init__(self, extra: frozenset[str] = frozenset(), gazetteer_key: tuple | None = None,
                 params: Params = PARAMS) -> None:
        self.p = params
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
        self._cache: dict[tuple[str, bool], list[tuple[float, str, str]]] = {}

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
                if len(c) > self.p.min_target_log_count and (len(w) > 1 or w in "ai") and w not in self.not_targets:
                    by_len.setdefault(len(w), []).append(w)
            self._targets = by_len
        return self._targets

    def sounds_like(self, word: str) -> list[str]:
        """Correction targets of more than three letters with ``word``'s :func:`~cleaner.language.channel.sound_key`
        (``dictionaries/spelling_sounds.txt``, generated by scripts/build_spelling.py from the same targets)."""
        return vocab.sounds(sound_key(word)).split()

    def _is_target(self, w: str) -> bool:
        # count >= 10**self.p.min_target_log_count: it has more digits than the exponent
        c = vocab.raw_count(w) if w in self.words else None
        return c is not None and len(c) > self.p.min_target_log_count and w not in self.not_targets

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
        return self.p.derived_uncounted if stem in self.known else float("-inf")

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def derived_score(self, word: str) -> float:
        """How plausible ``word`` is as a regular derivation of a known word: the base's log count minus the
        derivation's cost (-inf if it is none). A misspelling may also look like one ("managment" = manage
        - e + ment), so derivations compete with corrections instead of vetoing them."""
        best = float("-inf")
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                stem = word[: -len(suffix)]
                best = max(best, self._base_score(stem) - self.p.derived)
                if suffix[0] in _VOWELS:  # e dropped before a vowel (tolerable, salvageable)
                    best = max(best, self._base_score(stem + "e") - self.p.derived - self.p.e_drop)
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 4:
                best = max(best, self._base_score(word[len(prefix):]) - self.p.derived)
        if word.endswith("ies"):
            best = max(best, self._base_score(word[:-3] + "y") - self.p.plural)
        for suffix, repl in (("ier", "y"), ("iest", "y"), ("ily", "y"), ("er", ""), ("est", ""), ("ly", ""), ("y", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:  # dinkier, lossy
                base = word[: -len(suffix)] + repl
                if (suffix == "y" and base.endswith(_ADJECTIVE_ENDINGS)) or (suffix == "ly" and base.endswith("ic")):
                    continue  # traditional -> traditionally, basic -> basically: never "traditionaly", "basicly"
                if base[-1] == suffix[0] and suffix[0] in "aeiouy":
                    continue  # no suffix repeats the vowel it joins: "moneyy", "freeer" are typos, not derivations
                best = max(best, self._base_score(base) - self.p.derived)
        if word.endswith(_VERB_ENDINGS) and len(word) >= 7:  # desiccate: the base of a known "desiccated"
            best = max(best, self._base_score(word + "d") - self.p.plural)
        if word.endswith("es") and word[-3:-2] in "sxzh":
            best = max(best, self._base_score(word[:-2]) - self.p.plural)
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            best = max(best, self._base_score(word[:-1]) - self.p.plural)
        return best

    def candidates(self, word: str, deep: bool = True) -> list[tuple[float, str, str]]:
        """``(score, candidate, rule)``, best first; ``rule`` is ``typo`` or ``split``. Memoised. Without ``deep``
        no search two edits away (~25 ms a word): in running text only a candidate one slip away may be applied,
        so the search could only add suggestions, at a cost that made long unknown-word texts take minutes."""
        hit = self._cache.get((word, deep))
        if hit is not None:
            return hit
        if len(self._cache) > 50_000:
            self._cache.clear()
        out = self._candidates(word, deep)
        self._cache[(word, deep)] = out
        return out

    def _candidates(self, word: str, deep: bool = True) -> list[tuple[float, str, str]]:
        # one edit: generate and look up (fast); two edits: rapidfuzz over the words of similar length; and the
        # words that sound alike (one spelling per sound), for errors of knowledge several letters long
        found = {c for c in _edits1(word) if self._is_target(c)}
        if deep and not found and len(word) > 3:
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            targets = self.targets
            for n in range(len(word) - 2, len(word) + 3):
                for cand, _d, _ in process.extract(word, targets.get(n, ()), scorer=OSA.distance, score_cutoff=2,
                                                   limit=None):
                    found.add(cand)
        if len(word) > 3:
            found.update(c for c in self.sounds_like(word) if abs(len(c) - len(word)) <= self.p.sound_span)
        found.discard(word)
        out = [(self.log_count(c) - typo_cost(word, c), c, "typo") for c in found]
        for i in range(1, len(word)):
            a, b = word[:i], word[i:]
            if (len(a) == 1 and a not in "ai") or (len(b) == 1 and b not in "ai"):
                continue
            if (a in _FUNCTION_WORDS or b in _FUNCTION_WORDS) and a in self.words and b in self.words:
                n = vocab.bigram(a, b)
                if n >= self.p.split_min_bigram:
                    out.append((math.log10(n) - self.p.bigram_scale - self.p.split, f"{a} {b}", "split"))
        out.sort(reverse=True)
        return out

    def _sounding(self, word: str, cands: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
        """Candidates with :attr:`Params.sound_bonus` for those that sound like ``word``, re-ranked (not for a word in
        common use: a spelling variant such as "etiology" sounds like its other spelling too)."""
        z = vocab.zipf(word)
        if z >= self.p.vowel_zipf:
            return cands
        key, vkey = sound_key(word), vowel_key(word)

        def bonus(cand: str) -> float:
            if z >= self.p.sound_zipf:  # in wider use: only an exact sound match that is not a regional variant
                return self.p.vowel_bonus if vowel_key(cand) == vkey and not _variant(word, cand) else 0.0
            p = self.p
            return (p.sound_bonus if sound_key(cand) == key else 0.0) + (
                p.vowel_bonus if vowel_key(cand) == vkey else 0.0)

        return sorted(((s + bonus(c) if r == "typo" else s, c, r) for s, c, r in cands), reverse=True)

    def own_score(self, word: str, in_text: bool = True, line: bool = False) -> float:
        """The word as written competes with its candidates as if this were its log count."""
        z = vocab.zipf(word)
        p = self.p
        return (p.unseen if in_text else p.unseen_line if line else p.unseen_alone) + p.zipf_weight * z

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def may_correct(self, word: str, deep: bool = True) -> bool:
        """Can any context make a correction of ``word`` win? Context only re-ranks candidates (the best
        keeps its score), so a word whose best candidate does not beat the word itself is skipped early."""
        cands = self._sounding(word, self.candidates(word, deep))
        if not cands:
            return False
        own = max(self.own_score(word, in_text=False, line=True), self.derived_score(word))
        return cands[0][0] - own - (min(self.p.short_word, self.p.short_word_in_text) if len(word) <= 4 else 0.0) > 0

    @lru_cache(maxsize=65536)  # noqa: B019 - one Speller per process
    def correct(self, word: str, prev: str = "", nxt: str = "", line: bool = False) -> Correction | None:
        """Best correction of a lowercase ``word`` given its neighbours (may be empty), or None; ``line``: the
        word is a whole line of its own (a list entry). Memoised: a collection repeats its rare words, names and
        typos, mostly between the same neighbours. Candidates two edits away are searched only for a word on a
        line of its own (:meth:`candidates`)."""
        cands = self.candidates(word, deep=line)
        if not cands:
            return None
        if prev or nxt:
            cands = self._rescore(cands, prev, nxt)
        else:
            cands = self._sounding(word, cands)
        best_score, best, rule = cands[0]
        runner = cands[1][0] if len(cands) > 1 else float("-inf")
        own = max(self.own_score(word, in_text=bool(prev or nxt), line=line), self.derived_score(word))
        rival = max(runner + self.p.runner_offset, own)
        margin = best_score - rival
        if prev or nxt:  # in edited running text an unknown word is more often a rare word than in a word list
            margin -= self.p.in_text
        if len(word) <= 4:  # short strings are often abbreviations, foreign or transliterated words
            margin -= self.p.short_word_in_text if prev or nxt else self.p.short_word
        if (prev or nxt) and rule == "typo" and osa(word, best) > 1:
            # in running text a typo is mostly one slip; a word two edits from any word is more often a
            # transliteration or foreign word than a misspelling (isolated words have no such evidence)
            margin -= self.p.far_in_text
        if (prev or nxt) and len(word) <= 6 and _vowel_swap(word, best):
            margin -= self.p.vowel_swap_in_text
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
        return Correction(best, conf, note, rule, cands[1][1] if len(cands) > 1 else "")

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
_NEIGHBOUR_BEFORE = re.compile(r"(?<![\w'’-])([A-Za-z]+) +\Z")
_LETTERS = re.compile(r"[^\W\d_]+")


def _foreign_context(text: str, start: int, end: int, sp: Speller) -> bool:
    """Does the line around ``text[start:end]`` read as another language (or transliteration)?"""
    reach = sp.p.gate_chars  # the decision reads no further than its memo key holds
    lo = text.rfind("\n", max(0, start - reach), start) + 1 or max(0, start - reach)
    hi = text.find("\n", end, end + reach)
    hi = hi if hi >= 0 else min(len(text), end + reach)
    left = _LETTERS.findall(text, lo, start)[-sp.p.gate_window :]
    right = _LETTERS.findall(text, end, hi)[: sp.p.gate_window]
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
    share = sp.p.gate_foreign_share * len(context)
    return foreign >= share or foreign + unknown >= 2 * share


#: up to this many distinct unknown words are found by ``str.find`` (one C scan each); more by one regex pass
_FIND_WORDS = 24


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _occurrences(text: str, unknown: set[str]) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Where each word of ``unknown`` occurs in lower case as a whole word, and how often it occurs in any case
    (a word used again, or capitalised elsewhere, is a term or a name). Linear in ``len(text)``: a few words are
    found with ``str.find`` on the lower-cased text, many in one pass over all words."""
    where: dict[str, list[int]] = {}
    uses: dict[str, int] = {}
    lowered = text.lower()
    if len(unknown) <= _FIND_WORDS and len(lowered) == len(text):
        for word in unknown:
            i = lowered.find(word)
            while i >= 0:
                j = i + len(word)
                if (i == 0 or not _is_word_char(text[i - 1])) and (j == len(text) or not _is_word_char(text[j])):
                    uses[word] = uses.get(word, 0) + 1
                    if text.startswith(word, i):
                        where.setdefault(word, []).append(i)
                i = lowered.find(word, j)
        return where, uses
    for m in _ANY_WORD.finditer(text):
        tok = m.group()
        low = tok if tok.islower() else tok.lower()
        if low in unknown:
            uses[low] = uses.get(low, 0) + 1
            if tok is low:
                where.setdefault(low, []).append(m.start())
    return where, uses


def _whole_line(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is alone on its line (surrounding blanks aside); only a bounded window is read, so
    a text without line breaks stays linear."""
    lo, hi = max(0, start - PARAMS.gate_chars), min(len(text), end + PARAMS.gate_chars)
    line_start = text.rfind("\n", lo, start)
    line_end = text.find("\n", end, hi)
    if (line_start < 0 and lo > 0) or (line_end < 0 and hi < len(text)):
        return False  # a line longer than the window holds more than this word
    return not text[line_start + 1 : start].strip() and not text[end : hi if line_end < 0 else line_end].strip()


def _garbled_neighbour(ch: str) -> bool:
    """A non-ASCII symbol next to a word (``�frica``, ``Ã¥ber``): the word is a fragment of a garbled token."""
    return not ch.isascii() and not ch.isspace() and not unicodedata.category(ch).startswith(("P", "Z"))


_ANY_WORD = re.compile(r"\b[A-Za-z]+\b")
#: a lower-case word written twice with one space between (``at at``); the pair is judged in Python
#: lower case only, after a space: led by a literal and case-sensitive, the scan runs at C speed (~5 ms per MB;
#: a character class in front or a case-insensitive back-reference, for the rare "The the", doubles that). The
#: word is possessive (``++``): it must run to the space, so giving letters back can never match, only cost
_REPEATED = re.compile(r" ([a-z]++) (\1)\b")


#: prepositions and particles: doubled after a phrasal verb they are English (waiting for for years)
_PARTICLES = word_set("english/particles.txt")
_WORD_BEFORE = re.compile(r"([A-Za-z]+) +\Z")


class _Shifted:
    """A match on ``" " + text`` seen with ``text``'s offsets."""

    def __init__(self, m: re.Match) -> None:
        self.m = m

    def group(self, i: int) -> str:
        return self.m.group(i)

    def end(self, i: int = 0) -> int:
        return self.m.end(i) - 1

    def start(self, i: int = 0) -> int:
        return self.m.start(i) - 1


#: marks that open a phrase (before a doubled pair) and close one (after it)
_PHRASE_OPENS = frozenset(",;:(—–\n\"“‘«")
_PHRASE_CLOSES = frozenset(".!?,;:)…\n\"”»")


def _phrase_of_its_own(text: str, space: int, end: int) -> bool:
    """Is the doubled pair from ``space`` (the space before it) to ``end`` a phrase of its own, between a
    comma (or another clause mark, or a line edge) and a sentence end or comma? A slip doubles a word inside
    running words; a pair standing alone (``Pop will give birth, soldier soldier.``, ``yes, bye bye!``) is
    written so on purpose."""
    while space > 0 and text[space - 1] == " ":
        space -= 1
    if space > 0 and text[space - 1] not in _PHRASE_OPENS:
        return False
    return end >= len(text) or text[end] in _PHRASE_CLOSES


def repeated_word_edits(text: str, rule_stage: str = "spelling") -> list[Edit]:
    """``at at`` -> ``at``: a lower-case word written twice in a row, with one space and no punctuation or line
    break between, when the word is not one English repeats on purpose (``had had``, ``that that``, ``no no``:
    ``dictionaries/spelling_repeats_ok.txt``). Capitalised words (names: ``Cao Cao``; acronyms) and parts of
    hyphenated forms are left alone."""
    ok: frozenset[str] | None = None
    edits = []
    for raw in _REPEATED.finditer(" " + text if text[:1].isalpha() else text):
        # the leading space added for a text that starts with a word is taken off the offsets
        m: re.Match[str] | _Shifted = _Shifted(raw) if text[:1].isalpha() else raw
        ok = vocab.repeats_ok() if ok is None else ok
        first, second = m.group(1), m.group(2)
        if second in ok or (len(second) == 1 and second not in "ai"):
            continue
        if second in _PARTICLES or second.endswith("ed"):
            # "waiting for for years", "looked at at the station", "those who voted voted": a verb's particle
            # then a preposition, or a clause's verb then its own, are English; after another word it is a slip
            prior = _WORD_BEFORE.search(text, max(0, m.start(1) - 41), m.start(1))
            if second.endswith("ed") or (prior and prior.group(1).lower().endswith(("ed", "ing"))):
                continue
        after = text[m.end()] if m.end() < len(text) else " "
        if after in "-'’/_@":
            continue  # part of a compound, contraction, path or handle
        if _phrase_of_its_own(text, m.start(), m.end()):
            continue  # "birth, soldier soldier.": the pair is a whole phrase, a refrain or an emphasis
        edits.append(Edit(m.end(1), m.end(2), "", stage=rule_stage, rule="repeated-word", confidence=0.9,
                          note=f"{first} {second} -> {first}: the word is written twice"))
    return edits


def _pmi(a: str, b: str, p: Params) -> float | None:
    """log10 of how much more often the pair ``a b`` occurs than its words' frequencies predict (None: unlisted)."""
    n = vocab.bigram(a, b)
    la, lb = vocab.log_count(a), vocab.log_count(b)
    if not n or la is None or lb is None:
        return None
    return math.log10(n) - (p.unigram_total + p.bigram_scale) - (la - p.unigram_total) - (lb - p.unigram_total)


def _plain_slip(word: str, best: str, kind: str | None, zipf: float, p: Params) -> bool:
    """``proft`` for profit: one finger slip past the first letter from a common word, and the token no word of
    its own (unknown to wordfreq, or far rarer than the candidate: a misspelling the web repeats)."""
    if kind is None or word[:1] != best[:1]:
        return False
    zb = vocab.zipf(best)
    return zb >= p.common_candidate_zipf and (zipf == 0 or zb - zipf >= p.misspelling_gap)


#: (ending of the form, ending of its base): the regular forms English builds from a word
_REGULAR_FORMS = (("s", ""), ("ical", "ic"), ("ency", "ent"), ("ibly", "ible"), ("ably", "able"))


def regular_form_of(word: str, p: Params = PARAMS) -> str | None:
    """The word that ``word`` is a regular form of (``pointes``: ``pointe``; ``ethnical``: ``ethnic``;
    ``decadency``: ``decadent``; ``inaccessibly``: ``inaccessible``), if that base is in common use, else None.
    The frequency lists lack many such forms; a slip rarely lands on one exactly."""
    for ending, base_ending in _REGULAR_FORMS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            base = word[: -len(ending)] + base_ending
            if ending == "s" and base.endswith("s"):
                continue  # matress, glasss: no plural of a word in -s
            if vocab.zipf(base) >= p.regular_base_zipf:
                return base
    return None


def _context_prefers(runner_up: str, best: str, prev: str, nxt: str, word: str, p: Params) -> bool:
    """Is ``runner_up``, itself one finger slip from ``word``, bound to a neighbour (a listed pair, PMI of at least
    ``strong_rival_pmi``) that ``best`` never occurs with? ``has clamed down``: "calmed down", not "claimed"."""
    if " " in runner_up or slip(word, runner_up) is None:
        return False
    for a, b, rival in ((prev, best, (prev, runner_up)), (best, nxt, (runner_up, nxt))):
        if a and b and not vocab.bigram(a, b):
            pmi = _pmi(*rival, p)
            if pmi is not None and pmi >= p.strong_rival_pmi:
                return True
    return False


def missing_evidence(word: str, best: str, prev: str, nxt: str, uses: int, confidence: float,
                     p: Params = PARAMS, runner_up: str = "") -> list[str]:
    """Why a correction of ``word`` to ``best`` in running text lacks positive evidence (empty: it has it all).
    A close frequent word is not enough: rare terms, brands, transliterations and foreign words are close to
    some English word too. The token must look like one finger slip from the candidate, be no word English or
    another language uses, be used once in the document, and a neighbour must prefer the candidate (or, as the
    bigram counts are sparse, no listed pair contradicts a long candidate that wins clearly)."""
    missing = []
    kind = slip(word, best)
    if kind is None and not (len(word) >= p.long_word and confidence >= p.long_min_confidence
                             and osa(word, best) == 1):
        missing.append(f"{word!r} is not one finger slip from {best!r}")
    z = vocab.zipf(word)
    if z >= p.english_word_zipf and not (kind in p.misspelling_slips and vocab.zipf(best) - z >= p.misspelling_gap):
        missing.append(f"English uses {word!r} (zipf {z:.1f})")
    pmis = [x for x in (_pmi(prev, best, p) if prev else None, _pmi(best, nxt, p) if nxt else None) if x is not None]
    base = regular_form_of(word, p)
    if base is not None:
        missing.append(f"{word!r} is a regular form of {base!r}")
    if word in vocab.other_language_words() and not (pmis and max(pmis) >= p.strong_context_pmi):
        missing.append(f"{word!r} is a word in another language")
    if uses >= p.repeat_min:
        missing.append(f"used {uses} times in the document")
    if runner_up and confidence < p.close_call and _context_prefers(runner_up, best, prev, nxt, word, p):
        missing.append(f"its neighbours prefer {runner_up!r}")
    if pmis and max(pmis) > p.context_min_pmi:
        return missing
    if len(best) < p.unlisted_min_length or not (
            confidence >= p.unlisted_min_confidence or (not pmis and _plain_slip(word, best, kind, z, p)
                                                        and confidence >= p.unlisted_slip_confidence)):
        missing.append("its neighbours do not prefer " + repr(best))
    return missing


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
        edits = repeated_word_edits(text, self.name)
        words, marked = lower_word_tokens(text)
        if not words:
            return edits
        sp = self.speller
        p = sp.p
        outside = words.difference(sp.known)
        if marked:
            outside = {w for w in outside if "\x01" not in w}
        if not outside:
            return edits
        if sp._gazetteer_key is not None:  # first text with a word outside the dictionary: add the names
            outside = outside.difference(sp.with_names().known)
        unknown = {w for w in outside if 3 <= len(w) <= p.max_word}
        if not unknown:
            return edits
        where, uses = _occurrences(text, unknown)
        # a sentence in another language (or a run of unknown tokens) is no place to correct. With many distinct
        # unknown words that is checked first, as it is cheap, so a long text of foreign or random words never
        # pays for the candidate search; with few, the (memoised) candidate check goes first
        # With few, a correctable word's occurrences are checked for another language's context only when
        # judged (after the cheap checks and the memo below; a word alone on its line never reads as foreign)
        many = len(where) > _FIND_WORDS
        gate_later: set[str] = set()
        for word in list(where):
            if many:
                where[word] = [s for s in where[word] if not _foreign_context(text, s, s + len(word), sp)]
            elif sp.may_correct(word, deep=False):
                gate_later.add(word)
                continue
            if not where[word]:
                del where[word]
            elif not sp.may_correct(word, deep=False):
                # only a word on a line of its own may still be corrected from two edits away (a list entry)
                lines = [s for s in where[word] if _whole_line(text, s, s + len(word))]
                if lines and sp.may_correct(word):
                    where[word] = lines
                else:
                    del where[word]
        # an occurrence's decision reads only its surroundings (``gate_chars`` either side): the same surroundings
        # give the same decision, so a word repeated in the same context (a boilerplate line) costs a dict lookup
        decided: dict[tuple[str, int], tuple | None] = {}
        for word in sorted(where):
            for start in where[word]:
                end = start + len(word)
                lo = max(0, start - p.gate_chars)
                hi = min(len(text), end + p.gate_chars)
                key = (text[lo:hi], start - lo)
                if key in decided:
                    hit = decided[key]
                    if hit is not None:
                        edits.append(Edit(start, end, *hit))
                    continue
                e = self._occurrence(text, start, end, word, uses[word], word in gate_later)
                decided[key] = None if e is None else e[2:]
                if e is not None:
                    edits.append(e)
        return edits

    def _occurrence(self, text: str, start: int, end: int, word: str, uses: int = 1,
                    gate: bool = False) -> Edit | None:
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
        # neighbours only across plain spaces: a pair across punctuation is no bigram evidence
        prev_m = _NEIGHBOUR_BEFORE.search(text, max(0, start - 41), start)
        prev = prev_m.group(1).lower() if prev_m else ""
        nxt_m = _NEIGHBOUR.match(text, end + 1) if after == " " else None
        nxt = nxt_m.group().lower() if nxt_m else ""
        vowelless = not _VOWELS.intersection(word)
        if vowelless and len(word) < PARAMS.vowelless_min:
            return None  # no vowel: an abbreviation (mph, pdf)
        if _garbled_neighbour(before) or _garbled_neighbour(after):
            return None  # part of a garbled token (a sentence in another language was dropped in propose)
        if gate and _foreign_context(text, start, end, sp):
            return None  # a sentence in another language (or transliteration): no place to correct
        # a whole line of its own (a list entry), judged within the characters the memo key holds
        lo, hi = max(0, start - PARAMS.gate_chars), min(len(text), end + PARAMS.gate_chars)
        line_start = text.rfind("\n", lo, start) + 1 or lo
        line_end = text.find("\n", end, hi)
        line = not text[line_start:start].strip() and not text[end : hi if line_end < 0 else line_end].strip()
        fix = sp.correct(word, prev, nxt, line)
        if fix is None:
            return None
        if vowelless and (fix.rule != "typo" or osa(word, fix.replacement) > 1):
            return None  # a longer vowel-less word is a typo only if one slip from a word (frst, smll; not mgmt)
        conf, note = fix.confidence, fix.note
        if fix.rule == "typo" and not line:  # a word inside running text, not a list entry or a lone word
            missing = missing_evidence(word, fix.replacement, prev, nxt, uses, conf, sp.p, fix.runner_up)
            if missing:
                conf = min(conf, sp.p.suggest_confidence)
                note += "; only a suggestion: " + "; ".join(missing)
        return Edit(start, end, match_case(word, fix.replacement), stage=self.name, rule=fix.rule,
                    confidence=conf, note=note)
