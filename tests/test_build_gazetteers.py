"""The build scripts' variant rules (scripts/build_places.py, scripts/build_people.py) on small made-up rows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("iuliia")
pytest.importorskip("translitua")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import build_people as bpe  # noqa: E402
import build_places as bp  # noqa: E402


def _row(canonical: str, country: str, weight: float, rewrite=(), accept=(), source="geonames:1") -> bp.Row:
    return bp.Row(canonical, list(rewrite), list(accept), "place", country, weight, source)


def test_ukrainian_place_gets_every_other_scheme_as_rewrites() -> None:
    row = _row("Mykolaiv", "UA", 470_000, rewrite=["Nikolaev"])
    rewrite, accept = bp.scheme_variants(row, "Миколаїв", "Николаев", ["Mykolayiv", "Kyev"])
    assert {"Nikolaev", "Nikolajew", "Nikolayev", "Mykolajiw", "Mikolaiv"} <= set(rewrite)
    assert "Mykolayiv" in rewrite and "Mykolayiv" not in accept  # BGN/PCGN: not the house style
    assert "Kyev" in accept  # an attested spelling far from every generated form stays accepted
    assert "Mykolaiv" not in rewrite
    assert row.origin["nikolajew"] == "ru:german"


def test_attested_spelling_one_letter_off_a_generated_form_becomes_a_rewrite() -> None:
    row = _row("Kyiv", "UA", 2_900_000)
    rewrite, accept = bp.scheme_variants(row, "Київ", "Киев", ["Kyev", "Lemberg", "Kyyiv"])
    assert "Kyev" in rewrite and "Lemberg" in accept and "Kyyiv" in rewrite


def test_russian_place_rewrites_only_non_english_systems() -> None:
    row = _row("Bryansk", "RU", 427_000)
    rewrite, accept = bp.scheme_variants(row, None, "Брянск", [])
    assert {"Brjansk", "Briańsk"} <= set(rewrite)
    assert "Briansk" in accept and "Briansk" not in rewrite  # GOST 52290 / ICAO: English systems


def test_an_exonym_accepts_the_native_name_and_rewrites_nothing() -> None:
    row = _row("Moscow", "RU", 10_000_000)
    rewrite, accept = bp.scheme_variants(row, None, "Москва", [])
    assert rewrite == [] and "Moskva" in accept


def test_an_ambiguous_canonical_gets_no_generated_variants() -> None:
    row = _row("Lida", "BY", 100_000)
    row.flags.add("ambiguous")
    assert bp.scheme_variants(row, None, "Лида", ["Lieda"]) == ([], ["Lieda"])


def test_shared_rewrites() -> None:
    rows = [_row("Kostiantynivka", "UA", 67_000, ["Konstantinovka"]),
            _row("Kostiantynivka", "UA", 2_000, ["Konstantinovka"], source="geonames:2"),
            _row("Vovchansk", "UA", 17_000, ["Woltschansk"], source="geonames:3"),
            _row("Volchansk", "RU", 10_000, ["Woltschansk"], source="geonames:4"),
            _row("Mykolaiv", "UA", 470_000, ["Mikolaev"], source="geonames:5"),
            _row("Mikolaevo", "RU", 900, ["Mikolaev"], source="geonames:6")]
    drop = bp.shared_rewrites(rows)
    assert (0, "konstantinovka") not in drop and (1, "konstantinovka") in drop  # same name: the largest keeps it
    assert {(2, "woltschansk"), (3, "woltschansk")} <= drop  # two names, neither 50 times the other
    assert (4, "mikolaev") not in drop and (5, "mikolaev") in drop  # a city 500 times the hamlet


def test_shared_russian_era_forms_are_kept_for_the_context() -> None:
    """A rewrite dropped because a smaller Russian place is called so is kept in places_shared.tsv for the
    entities stage; one shared with a Polish place, a larger one, or a surname-like form is not."""
    rows = [_row("Vovchansk", "UA", 17_000, ["Volchansk"]),
            _row("Volchansk", "RU", 10_000, source="geonames:2"),
            _row("Khmilnyk", "UA", 27_000, ["Chmielnik"], source="geonames:3"),
            _row("Chmielnik", "PL", 3_900, source="geonames:4"),
            _row("Makariv", "UA", 9_000, ["Makarov"], source="geonames:5"),
            _row("Makarov", "RU", 6_000, source="geonames:6"),
            _row("Dergachi", "RU", 90_000, source="geonames:7"),
            _row("Derhachi", "UA", 17_000, ["Dergachi"], source="geonames:8")]
    bp.CONTESTED.clear()
    bp.finish(rows, set())
    assert set(bp.CONTESTED) == {"volchansk"}
    form, row, others = bp.CONTESTED["volchansk"]
    assert row.canonical == "Vovchansk" and [o.country for o in others] == ["RU"]
    assert "Volchansk\tVovchansk\tUA\t17000" in bp.shared_table()
    assert rows[0].rewrite == []  # still no rewrite in places.tsv
    bp.CONTESTED.clear()


def test_far_accepted_spellings_must_be_attested() -> None:
    """GeoNames' far alternates nobody writes go (Kalok, Kalgorod; Ntonetsk, a reading of the Greek); historical
    and other-language names some text uses stay (Yuzovka from Юзовка, Stalino, Lemberg, Lwów), and so do
    spellings near the name (Dinetske) and romanisations of the place's own Russian name (Andreyevka)."""
    row = _row("Donetsk", "UA", 900_000, ["Donetske"],
               ["Yuzovka", "Stalino", "Kalok", "Kalgorod", "Dinetske", "Ntonetsk", "Lemberg", "Lwów"])
    alts = ["Юзовка", "Сталино", "Калок", "Калгород", "Ντονέτσκ"]
    kept = bp.attested_accepts(row, alts, set())
    assert kept == ["Yuzovka", "Stalino", "Dinetske", "Lemberg", "Lwów"]
    village = _row("Andriivka", "UA", 900, [], ["Andreyevka", "Burgudzhi"])
    assert bp.attested_accepts(village, ["Андреевка", "Бургуджи"], set()) == ["Andreyevka"]
    assert bp.greek_reading("Ντονέτσκ") == "ntonetsk"


def test_press_simplifications() -> None:
    assert "Zaporizhia" in bp._ua_spellings("Zaporizhzhia")
    assert "Kropyvnytsky" in bp._ua_spellings("Kropyvnytskyi")


def test_people_scheme_forms_spell_the_surname_another_way() -> None:
    rewrite, accept = bpe.expand("Sergei Lavrov", "Сергей Лавров", "", "RU")
    assert "Sergei Lawrow" in rewrite and "Sergey Lavrov" in accept
    assert not any(f.split()[-1] == "Lavrov" for f in rewrite)  # a given name spelt another way is not added
    rewrite, _accept = bpe.expand("Volodymyr Zelensky", "Володимир Зеленський", "Владимир Зеленский", "UA")
    assert {"Wolodymyr Selenskyj", "Vladimir Zelensky"} <= set(rewrite)


def test_a_small_ukrainian_place_rewrites_its_bgn_form() -> None:
    """A village below GENERATE_MIN_POP: its BGN/PCGN spelling and GeoNames' spellings one letter from it are
    rewrites; a former or other-language name stays accepted."""
    rewrite, accept = bp.ukrainian_rewrites("Novokostiantynivka", "Новокостянтинівка", ["Novokonstantinovka"],
                                            ["Novokostyantynivka", "Novokonstyantynivka", "Kaiserdorf"])
    assert rewrite == ["Novokonstantinovka", "Novokostyantynivka", "Novokonstyantynivka"]
    assert accept == ["Kaiserdorf"]


def test_derived_russian_forms() -> None:
    """A Ukrainian place without a Russian name in GeoNames gets the English romanisations of the one russify
    derives; forms shaped like a Russian surname (Pirogov from Пирогів) are left out."""
    row = _row("Trudoliubivka", "UA", 5_000)
    assert bp.derived_russian_forms(row, "Трудолюбівка") == ["Trudoliubovka", "Trudolyubovka"]
    assert bp.derived_russian_forms(_row("Haisyn", "UA", 25_000), "Гайсин") == []  # Gaisin: a surname's shape
    assert bp.derived_russian_forms(_row("Bila Tserkva", "UA", 200_000), "Біла Церква") == []
