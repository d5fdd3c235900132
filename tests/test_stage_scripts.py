"""The scripts stage: half-Cyrillic words romanised, untranslated Cyrillic words only suggested."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, Config
from cleaner.stages.scripts import romanise

SCRIPTS = Cleaner(stages=("scripts",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kozakівка village council met.", "The Kozakivka village council met."),
        ("Mayor Цaplenko said so.", "Mayor Tsaplenko said so."),
        ("The town of Pryлуки was calm.", "The town of Pryluky was calm."),
    ],
)
def test_mixed_script_word_romanised(text: str, expected: str) -> None:
    r = SCRIPTS.clean(text)
    assert r.text == expected
    assert [e.rule for e in r.edits] == ["mixed-script"]


def test_lookalike_only_words_are_left_to_the_entities_stage() -> None:
    # a Cyrillic К and Н that look Latin: the entities stage's lookalike rule folds them, not this stage
    for text in ("The Кursk region.", "The WНO said so."):
        r = SCRIPTS.clean(text)
        assert r.text == text and not r.edits and not r.suggestions


def test_whole_pipeline_does_not_fight_the_lookalike_rule() -> None:
    r = Cleaner().clean("Troops left the Кursk region and the Kozakівка council met.")
    assert r.text == "Troops left the Kursk region and the Kozakivka council met."
    assert sorted(e.rule for e in r.edits) == ["lookalike", "mixed-script"]


def test_untranslated_cyrillic_word_is_only_a_suggestion() -> None:
    text = "He said привіт to everyone in the room."
    r = SCRIPTS.clean(text)
    assert r.text == text and not r.edits
    (s,) = r.suggestions
    assert s.rule == "cyrillic-word" and s.replacement == "pryvit" and s.confidence == 0.0


def test_never_applied_even_with_no_threshold() -> None:
    text = "He said привіт to everyone in the room."
    r = Cleaner(Config(stages=("scripts",), min_confidence=0.0)).clean(text)
    assert r.text == text and not r.edits


@pytest.mark.parametrize(
    "text",
    [
        "Київ — столиця України. Тут живе багато людей.",  # Cyrillic text
        "Cрпски [ћирилицом]",  # Cyrillic with a Latin look-alike in it: not English
        "Plain English text with no Cyrillic at all.",
    ],
)
def test_cyrillic_text_left_alone(text: str) -> None:
    r = SCRIPTS.clean(text)
    assert r.text == text and not r.edits and not r.suggestions


def test_romanise_keeps_case() -> None:
    assert romanise("Цaplenko") == "Tsaplenko"
    assert romanise("ЦAPLENKO") == "TSAPLENKO"
    assert romanise("zhyttя") == "zhyttia"


def test_linear_on_a_long_line() -> None:
    import time

    text = "the word слово and more English words here " * 20_000  # 860k characters, no line break
    t = time.perf_counter()
    r = Cleaner(stages=("scripts",)).clean(text)
    assert time.perf_counter() - t < 20  # was quadratic: each word searched back to the start of its line
    assert len(r.suggestions) == 20_000
