"""The romanisation schemes the build scripts and bench/entity_garbles.py generate variants with."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("iuliia")
pytest.importorskip("translitua")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from romanise import latin_form, romanisations, ru_schemes, ru_variants, russify, uk_schemes  # noqa: E402


@pytest.mark.parametrize("cyrillic, scheme, want", [
    ("Київ", "kmu2010", "Kyiv"), ("Київ", "bgn-pcgn", "Kyyiv"), ("Київ", "german", "Kyjiw"),
    ("Покровськ", "german", "Pokrowsk"), ("Покровськ", "polish", "Pokrowsk"), ("Вугледар", "french", "Vouhledar"),
    ("Вовчанськ", "polish", "Wowczansk"), ("Часів Яр", "polish", "Czasiw Jar"), ("Харків", "iso9-folded", "Harkiv"),
])
def test_ukrainian_schemes(cyrillic: str, scheme: str, want: str) -> None:
    assert romanisations(cyrillic, "uk")[scheme] == want


@pytest.mark.parametrize("cyrillic, scheme, want", [
    ("Киев", "english", "Kiev"), ("Киев", "bgn-pcgn", "Kiyev"), ("Киев", "german", "Kijew"),
    ("Брянск", "german", "Brjansk"), ("Брянск", "polish", "Briańsk"), ("Волчанск", "german", "Woltschansk"),
    ("Волчанск", "polish", "Wołczańsk"), ("Белгород", "polish", "Biełgorod"), ("Часов Яр", "french", "Tchasov Iar"),
    ("Юрий", "german", "Juri"), ("Запорожье", "german", "Saporoschje"), ("Николаев", "polish", "Nikołajew"),
    ("Щёкино", "iso9-folded", "Scekino"),
])
def test_russian_schemes(cyrillic: str, scheme: str, want: str) -> None:
    assert romanisations(cyrillic, "ru")[scheme] == want


def test_forms_are_as_english_text_writes_them() -> None:
    """Soft-sign primes and tie bars go; diacritics no press uses leave only the folded form."""
    assert latin_form("Pokrovsʹk") == "Pokrovsk" and latin_form("I͡uriĭ") == "Iuriĭ"
    assert latin_form("Київ") == "" and latin_form("St. Petersburg") == ""
    iso = romanisations("Запоріжжя", "uk")
    assert "iso9" not in iso and iso["iso9-folded"] == "Zaporizza"  # Zaporìžžâ never appears in English text
    assert romanisations("Брянск", "ru")["polish-folded"] == "Briansk"
    for forms in (romanisations("Олександр Сирський", "uk"), romanisations("Гуляй-Поле", "ru")):
        assert all(f and "'" not in f and "ʹ" not in f for f in forms.values()), forms


def test_every_scheme_is_registered() -> None:
    assert {"kmu2010", "bgn-pcgn", "national1996", "iso9", "german", "french", "polish"} <= set(uk_schemes())
    assert {"english", "bgn-pcgn", "wikipedia", "ala-lc", "gost", "iso9", "scientific", "german", "french",
            "polish"} <= set(ru_schemes())


def test_press_spellings_of_russian_names() -> None:
    assert {"Gulyay-Pole", "Gulyai-Pole"} <= ru_variants("Гуляй-Поле")
    assert {"Nikolai", "Nikolay"} <= ru_variants("Николай")


@pytest.mark.parametrize("ukrainian, russian", [
    ("Трудолюбівка", "Трудолюбовка"), ("Первомайське", "Первомайское"), ("Мирне", "Мирное"),
    ("Очеретине", "Очеретино"), ("Покровськ", "Покровск"), ("Золоте", "Золотое"), ("Вугледар", "Вугледар"),
    ("Курахове", "Курахове"),  # -ове: Курахово or an adjective -овое, not regular: the ending stays
    ("Біла Церква", ""), ("Кам'янка", ""), ("Андріївка", ""),  # і, ' in the stem: Белая, Каменка, Андреевка
    ("Вознесенський", ""),  # a masculine adjective reads like a surname (Voznesensky)
])
def test_russify_changes_only_regular_endings(ukrainian: str, russian: str) -> None:
    assert russify(ukrainian) == russian
