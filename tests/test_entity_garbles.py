"""The garble generator of bench/entity_garbles.py (the parts that need no ../shared data)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

pytest.importorskip("iuliia")
pytest.importorskip("translitua")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import entity_garbles as eg  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.language import gazetteer  # noqa: E402

KURSK = eg.Target("Kursk", "place", "RU", 440_000, "", "Курск")
VOVCHANSK = eg.Target("Vovchansk", "place", "UA", 17_000, "Вовчанськ", "Волчанск")
SYRSKYI = eg.Target("Oleksandr Syrskyi", "person", "UA", 0, "Олександр Сирський", "Александр Сырский")


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


def test_cyrillic_capitals_read_as_latin() -> None:
    assert eg.cyrcaps("Курск") == "KYPCK"
    assert not any(_is_cyrillic(c) for c in eg.cyrcaps("Вовчанськ"))


@pytest.mark.parametrize("seed", range(30))
def test_a_typo_is_one_slip_that_keeps_the_first_letter(seed: int) -> None:
    rng = random.Random(seed)
    word, op = eg.typo("Kramatorsk", rng)
    assert op and word != "Kramatorsk" and word[0] == "K" and abs(len(word) - len("Kramatorsk")) <= 1


def test_homoglyphs_are_cyrillic_letters_in_a_latin_word() -> None:
    word = eg.homoglyph("Pokrovsk", random.Random(1))
    assert word != "Pokrovsk" and any(_is_cyrillic(c) for c in word)
    assert "".join({"о": "o", "р": "p", "Р": "P", "с": "c", "к": "k"}.get(c, c) for c in word) == "Pokrovsk"


@pytest.mark.parametrize("target", [KURSK, VOVCHANSK, SYRSKYI], ids=lambda t: t.canonical)
def test_garbles_are_not_correct_names(target: eg.Target) -> None:
    """Every garble differs from the canonical, is no correct form of any gazetteer row and keeps the number
    of words; the types a name's data allows are all there."""
    g = gazetteer.load()
    out = eg.garbles(target, random.Random(3))
    types = {typ for _f, typ, _s in out}
    assert {"typo", "homoglyph", "caps"} <= types
    assert ("cyrcaps" in types) == (target.kind == "place")
    assert ("russian" in types) == bool(target.uk and target.ru)
    if target is VOVCHANSK:  # Vovčansk, Wowtschansk, Volchansk's other forms: all there
        assert {"scheme", "foreign", "russian"} <= types
        assert {"Wowtschansk", "Vovtchansk", "Woltschansk"} <= {f for f, _t, _s in out}
    if target is KURSK:  # every scheme writes Kursk but the French
        assert ("Koursk", "foreign", "french") in out
    for form, _typ, _scheme in out:
        assert form.lower() != target.canonical.lower()
        assert len(form.split()) == len(target.canonical.split())
        assert all(how == "rewrite" and e.canonical == target.canonical for e, how in g.lookup(form)), form


def test_garbles_are_deterministic() -> None:
    assert eg.garbles(VOVCHANSK, random.Random(5)) == eg.garbles(VOVCHANSK, random.Random(5))


def test_splits_are_by_name() -> None:
    assert eg.split_of("Kyiv") == eg.split_of("Kyiv")
    names = [f"Name{i}" for i in range(500)]
    share = sum(eg.split_of(n) == "validation" for n in names) / len(names)
    assert 0.1 < share < 0.3
    with pytest.raises(ValueError, match="split"):
        eg.generate("test")


def test_outcome_scores_a_repair() -> None:
    cleaner = Cleaner()
    text = "Russian troops advanced towards Pokrowsk in the Donetsk region."
    start = text.index("Pokrowsk")
    m = eg.Mention(start, start + 8, "Pokrowsk", "Pokrovsk", "place", "UA", "foreign", "german")
    ex = eg.Example(text, (m,), ((0, 7),), "test")
    [(_m, verdict, got)] = eg.outcome(ex, cleaner.clean(text))
    assert (verdict, got) == ("restored", "Pokrovsk")
    wrong = eg.Mention(start, start + 8, "Pokrowsk", "Kyiv", "place", "UA", "foreign", "german")
    [(_m, verdict, _got)] = eg.outcome(eg.Example(text, (wrong,), (), "test"), cleaner.clean(text))
    assert verdict == "wrong"
    assert eg.negative_changes(ex, cleaner.clean(text)) == []
