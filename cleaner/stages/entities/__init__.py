"""The ``entities`` stage: repairs names of people and places against the gazetteers.

Mechanisms (all general; the names come from ``dictionaries/``):

- ``variant``: a spelling listed in a gazetteer row's ``rewrite`` column is rewritten to the canonical
  name when the house style says so (``Kiev`` -> ``Kyiv``, ``Kiev's`` -> ``Kyiv's``); multi-word forms,
  longest match first; case kept.
- ``lookalike``: Cyrillic/Greek look-alike letters inside a Latin word are put back to Latin
  (``dictionaries/confusables.tsv``); an all-Cyrillic token inside Latin text that romanises to a
  gazetteer name becomes that name (``transliteration``).
- ``garble``: an unknown capitalised or all-caps token (not English, not a known name, not an acronym)
  is compared, with a weighted edit distance (:mod:`cleaner.language.similarity`), to the names the document
  already contains, to the persons whose given name precedes it, and (strictly) to prominent names of
  the whole gazetteer. A repair needs enough similarity, evidence (mentions in the document, a given
  name, a cue word) and a margin over the runner-up; otherwise it is a suggestion (confidence < 0.8).
  One garble gets one decision in a document.

Modules: :mod:`.stage` (the scan and the stage class), :mod:`.variants` (known spellings), :mod:`.garbles`
(document and anchor tiers), :mod:`.candidates` (the whole-gazetteer index), :mod:`.decision` (the fitted
probability), :mod:`.context` (cue words), :mod:`.common` (patterns and records).
"""

from .common import _CAP_ASCII_RE, _CAP_RE, _cap_re
from .stage import EntitiesStage

__all__ = ["EntitiesStage", "_CAP_ASCII_RE", "_CAP_RE", "_cap_re"]
