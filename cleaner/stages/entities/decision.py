"""The calibrated decision for a whole-gazetteer candidate: one probability that the token is a garble of
the candidate, from a logistic regression over a few features (distance, margin over the runner-up,
prominence, how often news names the candidate, the document's country profile, cues, how English the
token looks...). The weights are fitted by ``scripts/fit_entity_decision.py`` (scikit-learn, build time
only) and committed in ``dictionaries/entity_decision.tsv``; at run time this is a dot product and a
sigmoid. Repair when p >= ``repair`` there, suggest when p >= ``suggest``, else nothing.

The number of mentions is no feature: the generated data has one garbled mention per sentence, so a fit
would only learn that real names recur (in real MT output a garble often recurs too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache

from ...core.resources import path, read_tsv

#: feature names, in the order :func:`features` returns them (the weights file names them too)
FEATURES = (
    "dist",  # weighted distance to the best form
    "ndist",  # the same over the form's length
    "margin",  # runner-up's distance minus the best's (2 when there is none), capped at 2
    "prominence",  # log10(1 + weight) / 7 for places, 0 for persons
    "news",  # wordfreq zipf of the candidate's canonical name / 8 (how often English text names it)
    "country",  # the document names other entities of the candidate's country (log1p of how many)
    "cue",  # a cue word agreeing with the candidate's kind
    "anticue",  # a cue word pointing to another kind (a person cue for a place)
    "english",  # wordfreq zipf of the token itself / 8 (a known word or name in English text)
    "caps",  # the token is written in capitals
    "reading",  # the candidate was reached by reading Latin capitals as Cyrillic letters
    "first",  # the token and the form start with the same letter
    "person",  # the candidate is a person (the token would be a surname)
    "length",  # the token's length / 10
    "slavic",  # the candidate is Ukrainian, Russian or Belarusian (names MT garbles come from Cyrillic)
    "profile",  # log1p of the document's names from those countries
    "ndist2",  # ndist squared (a distance's cost grows faster than linearly)
)
#: the ranges of the features that depend on the document (the margin's bound is computed from the hits)
DOCUMENT_RANGES = {
    "country": (0.0, math.log1p(50)),
    "cue": (0.0, 1.0),
    "anticue": (0.0, 1.0),
    "profile": (0.0, math.log1p(50)),
}
#: countries whose names reach English through Cyrillic
CYRILLIC_COUNTRIES = frozenset({"UA", "RU", "BY"})


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    repair: float
    suggest: float

    def best_case(self, x: tuple[float, ...]) -> float:
        """The highest probability ``x`` can reach in any document: each document-dependent feature
        (:data:`DOCUMENT_RANGES`) set to the end of its range that its weight favours."""
        z = self.bias
        for name, w, v in zip(FEATURES, self.weights, x, strict=True):
            lo_hi = DOCUMENT_RANGES.get(name)
            z += w * (max(w * lo_hi[0], w * lo_hi[1]) / w if lo_hi and w else v)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def model() -> Model:
    """The committed weights (``dictionaries/entity_decision.tsv``: ``name  value`` rows)."""
    values: dict[str, float] = {}
    for row in read_tsv(path("entity_decision.tsv"), columns=2):
        values[row[0].strip()] = float(row[1])
    return Model(
        tuple(values.get(f, 0.0) for f in FEATURES),
        values.get("bias", -10.0),
        values.get("repair", 0.9),
        values.get("suggest", 0.6),
    )


def _plain(word: str) -> bool:
    return word.isascii() and word.isalpha() and word.islower()


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0 for a word it does not know). Plain lowercase words,
    and phrases and hyphenated compounds of them, are answered from :func:`cleaner.language.vocabulary.zipf` (wordfreq's
    data without importing the package, which costs ~0.5 s the first time); anything else asks wordfreq."""
    parts = word.replace("-", " ").split(" ")  # wordfreq splits at spaces and hyphens
    if all(map(_plain, parts)):
        from ...language.vocabulary import zipf as plain_zipf

        zs = [plain_zipf(p) for p in parts]
        if len(zs) == 1 or min(zs) <= 0:
            return zs[0] if len(zs) == 1 else 0.0
        # several tokens: wordfreq's combination (1/f = sum 1/f_i, rounded to 3 significant digits)
        freq = 1.0 / sum(1.0 / 10 ** (-round((9.0 - z) * 100) / 100) for z in zs)
        freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
        return round(math.log(freq, 10) + 9, 2)
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - a declared dependency
        return 0.0
    return zipf_frequency(word, "en")


def features(
    *, dist: float, form_len: int, runner_dist: float | None, weight: float, person: bool, canonical: str,
    country: int, cue: bool, anticue: bool, token: str, reading: bool, same_first: bool, slavic: bool,
    profile: int,
) -> tuple[float, ...]:
    """The feature vector (see :data:`FEATURES`)."""
    margin = 2.0 if runner_dist is None else min(2.0, runner_dist - dist)
    return (
        dist,
        dist / max(form_len, 1),
        margin,
        0.0 if person else math.log10(1.0 + max(weight, 0.0)) / 7.0,
        zipf(canonical.split()[-1].lower() if person else canonical.lower()) / 8.0,
        math.log1p(country),
        float(cue),
        float(anticue),
        zipf(token.lower()) / 8.0,
        float(token.isupper()),
        float(reading),
        float(same_first),
        float(person),
        len(token) / 10.0,
        float(slavic),
        math.log1p(profile),
        (dist / max(form_len, 1)) ** 2,
    )
