"""The gazetteers: loading, data quality, style rules, user files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cleaner.core.resources import DICTIONARIES, DataError
from cleaner.language import gazetteer as gz

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def g() -> gz.Gazetteer:
    return gz.load()


def _rows(g: gz.Gazetteer, canonical: str, kind: str | None = None, country: str | None = None) -> list[gz.Entry]:
    return [e for e in g.entries if e.canonical == canonical and kind in (None, e.kind)
            and country in (None, e.country)]


def _main(g: gz.Gazetteer, canonical: str, country: str, kind: str = "place") -> gz.Entry:
    rows = _rows(g, canonical, kind, country)
    assert rows, f"{canonical} ({kind}, {country}) missing"
    return max(rows, key=lambda e: e.weight)


# --- data ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, country", [
    ("Kyiv", "UA"), ("Kharkiv", "UA"), ("Odesa", "UA"), ("Zaporizhzhia", "UA"), ("Kurakhove", "UA"),
    ("Pokrovsk", "UA"), ("Mykolaiv", "UA"), ("Dnipro", "UA"), ("Luhansk", "UA"), ("Chernihiv", "UA"),
    ("Vinnytsia", "UA"), ("Kursk", "RU"), ("Sudzha", "RU"), ("Belgorod", "RU"), ("Bryansk", "RU"),
    ("Rostov-on-Don", "RU"), ("Tallinn", "EE"), ("Chisinau", "MD"),
])
def test_key_canonical_places_present(g, name, country) -> None:
    e = _main(g, name, country)
    assert e.weight > 0 and e.source


@pytest.mark.parametrize("russian, canonical", [
    ("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Odessa", "Odesa"), ("Zaporozhye", "Zaporizhzhia"),
    ("Kurakhovo", "Kurakhove"), ("Nikolaev", "Mykolaiv"), ("Lugansk", "Luhansk"), ("Chernigov", "Chernihiv"),
    ("Kharkov Oblast", "Kharkiv Oblast"), ("Kiev region", "Kyiv region"), ("Kishinev", "Chisinau"),
])
def test_russian_romanisations_are_rewrites_of_the_kmu_form(g, russian, canonical) -> None:
    hits = g.lookup(russian)
    assert hits, russian
    assert {(e.canonical, how) for e, how in hits} >= {(canonical, "rewrite")}
    # and nothing else claims it as a correct name
    assert all(how == "rewrite" for _, how in hits), hits


@pytest.mark.parametrize("russian, canonical", [
    ("Lvov", "Lviv"), ("Zhitomir", "Zhytomyr"), ("Izyum", "Izium"), ("Kupyansk", "Kupiansk"),
    ("Slavyansk", "Sloviansk"), ("Avdeyevka", "Avdiivka"), ("Avdeevka", "Avdiivka"),
    ("Severodonetsk", "Sievierodonetsk"), ("Lisichansk", "Lysychansk"), ("Rovno", "Rivne"), ("Kharkov", "Kharkiv"),
    ("Odessa", "Odesa"), ("Nikolayev", "Mykolaiv"), ("Zaporozhye", "Zaporizhzhia"), ("Dnepr", "Dnipro"),
    ("Kiyev", "Kyiv"), ("Berdyansk", "Berdiansk"), ("Vinnitsa", "Vinnytsia"), ("Kropivnitsky", "Kropyvnytskyi"),
])
def test_russian_romanisations_of_ukrainian_places_are_rewrites(g, russian, canonical) -> None:
    """Every common romanisation of the Russian name (BGN/PCGN, the English press style, ya/ia, ye/e, -iy/-y),
    including one that is also the BGN/PCGN Ukrainian form (Izyum, Kupyansk), is rewritten to the KMU form."""
    hits = g.lookup(russian)
    assert (canonical, "rewrite") in {(e.canonical, how) for e, how in hits}, hits
    assert all(how == "rewrite" for e, how in hits if e.canonical == canonical), hits


@pytest.mark.parametrize("name, canonical", [
    ("Lemberg", "Lviv"), ("Lwów", "Lviv"), ("Elisavetgrad", "Kropyvnytskyi"), ("Kirovograd", "Kropyvnytskyi"),
    ("Yekaterinoslav", "Dnipro"), ("Dnepropetrovsk", "Dnipro"),
])
def test_historical_and_other_language_names_are_accepted_not_rewritten(g, name, canonical) -> None:
    hits = g.lookup(name)
    assert (canonical, "accept") in {(e.canonical, how) for e, how in hits}, hits
    assert all(how != "rewrite" for _, how in hits), hits


def test_russian_words_used_as_names_are_not_rewrites(g) -> None:
    assert all(how != "rewrite" for _, how in g.lookup("Avangard"))  # the missile, not the village Avanhard


@pytest.mark.parametrize("name", ["Kyiv", "Kursk", "Kursk Oblast", "Kursk region", "Donetsk region",
                                  "Zaporizhzhia Oblast", "Black Sea", "Sea of Azov", "Crimea", "Donbas",
                                  "Kinburn Spit", "Siversky Donets", "Dnipro River", "Ukraine", "Russia",
                                  "North Korea", "Kremlin", "General Staff", "Wagner Group", "Sergei Lavrov",
                                  "Volodymyr Zelensky", "Oleksandr Syrskyi", "Kim Jong Un"])
def test_correct_names_are_never_rewritten(g, name) -> None:
    hits = g.lookup(name)
    assert hits, name
    assert all(how in ("canonical", "accept") for _, how in hits), hits


def test_people_forms(g) -> None:
    syrskyi = _rows(g, "Oleksandr Syrskyi", "person")[0]
    assert {"Aleksandr Syrsky", "Oleksandr Syrsky"} <= set(syrskyi.rewrite)
    assert "Oleksandr Syrskyy" in syrskyi.accept
    zelensky = _rows(g, "Volodymyr Zelensky", "person")[0]
    assert {"Volodymyr Zelenskyy", "Volodymyr Zelenskiy"} <= set(zelensky.accept)
    assert "Vladimir Zelensky" in zelensky.rewrite
    lavrov = _rows(g, "Sergei Lavrov", "person")[0]
    assert "Sergey Lavrov" in lavrov.accept  # a Russian name in another English romanisation: accepted
    assert "Sergei Lawrow" in lavrov.rewrite  # its German form is not English
    assert not {"Sergey Lavrov", "Sergei Lavrov"} & set(lavrov.rewrite)
    assert len([e for e in g.entries if e.kind == "person"]) >= 150


def test_ambiguous_places_are_flagged(g) -> None:
    for name, country in [("Bar", "UA"), ("Lida", "BY")]:
        e = _main(g, name, country)
        assert e.ambiguous and g.is_ambiguous(name)
    assert not _main(g, "Kyiv", "UA").ambiguous and not g.is_ambiguous("Kyiv")


def test_no_variant_is_a_common_english_word(g) -> None:
    for word in ("snow", "reading", "mobile", "split", "nice", "roy", "nancy", "the", "and"):
        assert all(how != "rewrite" for _, how in g.lookup(word)), word


def test_variants_are_at_least_four_letters_in_generated_places(g) -> None:
    short = [v for e in g.entries if e.source.startswith("places.tsv") and "(geonames" in e.source
             for v in (*e.rewrite, *e.accept) if sum(c.isalpha() for c in v) < 4]
    assert not short, short[:10]


def test_no_seed_garble_in_the_data() -> None:
    garbles = ["KA" + "PK", "KA" + "SK", "Sys" + "ky"]  # split so this file does not contain them either
    for folder in (ROOT / "dictionaries", ROOT / "cleaner"):
        for file in folder.rglob("*"):
            if file.is_file() and file.suffix in (".tsv", ".txt", ".toml", ".py", ".md", ".json"):
                text = file.read_text(encoding="utf-8", errors="replace")
                for garble in garbles:
                    assert garble not in text, f"{garble!r} in {file}"


def _seed_garbles() -> set[str]:
    """The garbled names the seed articles' golden edits repair (the entities stage's non-variant edits); a
    listed variant such as Kiev is a known spelling, not a garble, and belongs in the data."""
    import json

    out = set()
    for file in sorted((ROOT / "fixtures" / "golden").glob("seed-*/edits.json")):
        for edit in json.loads(file.read_text(encoding="utf-8")):
            if edit["stage"] == "entities" and edit["rule"] != "variant":
                out.add(edit["before"])
    return out


def test_no_seed_garble_is_a_form_in_the_dictionaries(g) -> None:
    """Garbles are repaired by similarity and context at run time, never by listing them: no garbled
    ``before`` of a seed article's edit is a name form of any gazetteer (in any case) or a word of any
    dictionaries/ file (as written)."""
    import re

    garbles = _seed_garbles()
    assert garbles  # the seeds do repair garbled names
    for garble in garbles:
        assert not g.lookup(garble), garble
        pattern = re.compile(rf"(?<![\w]){re.escape(garble)}(?![\w])")  # as written (wordfreq lists "kask")
        for file in (ROOT / "dictionaries").rglob("*"):
            if file.is_file():
                assert not pattern.search(file.read_text(encoding="utf-8", errors="replace")), (garble, file)


@pytest.mark.parametrize("form, canonical", [
    ("Kyev", "Kyiv"), ("Kijew", "Kyiv"), ("Kyjiw", "Kyiv"), ("Vugledar", "Vuhledar"), ("Ugledar", "Vuhledar"),
    ("Pokrowsk", "Pokrovsk"), ("Wowtschansk", "Vovchansk"), ("Konstantinowka", "Kostiantynivka"),
    ("Zaporizhia", "Zaporizhzhia"), ("Saporishshja", "Zaporizhzhia"), ("Chasov Yar", "Chasiv Yar"),
    ("Tschasiw Jar", "Chasiv Yar"), ("Gulyaipole", "Huliaipole"), ("Rabotino", "Robotyne"),
    ("Charkiw", "Kharkiv"), ("Brjansk", "Bryansk"), ("Wolodymyr Selenskyj", "Volodymyr Zelensky"),
    ("Sergei Lawrow", "Sergei Lavrov"), ("Mykolayiv", "Mykolaiv"),
    ("Zaporizhzhya", "Zaporizhzhia"), ("Vinnytsya", "Vinnytsia"), ("Khmelnytskyy", "Khmelnytskyi"),
    ("Novokostyantynivka", "Novokostiantynivka"),
])
def test_other_schemes_romanisations_are_rewrites(g, form, canonical) -> None:
    """Generated from the Cyrillic names (scripts/romanise.py): German, Polish, French, ISO 9, GOST, BGN/PCGN
    and the Russian name's forms of a Ukrainian place become its KMU 2010 form (a city's of 110,000 people or
    more under BGN/PCGN too: Mykolayiv, and a village's: Novokostyantynivka); a Russian place's non-English
    romanisations (Brjansk) its English one."""
    hits = {(e.canonical, how) for e, how in g.lookup(form)}
    assert hits == {(canonical, "rewrite")}, hits


@pytest.mark.parametrize("form, canonical", [
    ("Ekaterinburg", "Yekaterinburg"), ("Lemberg", "Lviv"), ("Sumo", "Sumy"), ("Oleh Synyehubov", "Oleh Syniehubov"),
    ("Andrii Yermak", "Andriy Yermak"), ("Borodyanka", "Borodianka"), ("Kostyantynivka", "Kostiantynivka"),
])
def test_english_systems_and_other_names_are_accepted(g, form, canonical) -> None:
    """A Russian place's other English romanisations, historical names, attested spellings English uses as
    words, a Ukrainian's name under BGN/PCGN or KMU 2010 (the English press writes Synyehubov), and a smaller
    town's BGN/PCGN spelling (UA_ENGLISH_REWRITE_MIN_POP; human references write Borodyanka) stay
    correct."""
    hits = g.lookup(form)
    assert (canonical, "accept") in {(e.canonical, how) for e, how in hits}, hits
    assert all(how != "rewrite" for _, how in hits), hits


@pytest.mark.parametrize("form", ["Artem", "Artyom", "Jaroslav", "Lyda", "Vera", "Moskva", "Volchansk",
                                  "Konstantinovka", "Alexander Litvinenko", "Oleksandr Litvinenko"])
def test_guarded_forms_are_not_rewrites(g, form) -> None:
    """Given names (Artem, a Czech Jaroslav), another place's canonical (Volchansk, a Russian town, is also the
    Russian name of Vovchansk), an exonym's native name (Moskva) and another person's name (Alexander
    Litvinenko, the Russian officer) never become a rewrite."""
    assert all(how != "rewrite" for _, how in g.lookup(form)), g.lookup(form)


def test_no_rewrite_belongs_to_two_names(g) -> None:
    """A rewrite form leads to one canonical: forms two different names share are dropped at build time."""
    for form, items in g.index.items():
        targets = {g.entries[i].canonical for i, how in items if how == "rewrite"}
        assert len(targets) <= 1, (form, targets)


def test_region_variants_keep_the_word_region(g) -> None:
    assert {(e.canonical, how) for e, how in g.lookup("Kiev region")} == {("Kyiv region", "rewrite")}
    assert {(e.canonical, how) for e, how in g.lookup("Kiev Oblast")} == {("Kyiv Oblast", "rewrite")}
    assert all(how != "rewrite" for _, how in g.lookup("Kyiv region"))


def test_generated_files_say_where_they_come_from() -> None:
    head = (DICTIONARIES / "places.tsv").read_text(encoding="utf-8")[:600]
    assert "scripts/build_places.py" in head and "GeoNames" in head and "CC BY 4.0" in head
    assert "scripts/build_people.py" in (DICTIONARIES / "people.tsv").read_text(encoding="utf-8")[:300]


def test_sizes_and_load_time() -> None:
    assert sum((DICTIONARIES / f).stat().st_size for f in gz.GAZETTEER_FILES) < 5_000_000
    gz.load.cache_clear()
    t = time.process_time()
    g = gz.load()
    elapsed = time.process_time() - t
    assert len(g.entries) > 10_000 and g.max_words >= 3
    assert elapsed < 2.0, elapsed  # generous: about 0.15 s on a quiet machine
    assert "kyiv" in g.tokens and "oblast" in g.tokens


# --- style --------------------------------------------------------------------------------------------


def test_styles(g) -> None:
    kyiv = _main(g, "Kyiv", "UA")
    syrskyi = _rows(g, "Oleksandr Syrskyi", "person")[0]
    assert gz.rewrites(kyiv, "kmu2010") and gz.rewrites(syrskyi, "kmu2010")
    assert not gz.rewrites(kyiv, "none") and not gz.rewrites(syrskyi, "none")
    assert gz.rewrites(kyiv, "kmu2010-places") and not gz.rewrites(syrskyi, "kmu2010-places")
    assert {"kmu2010", "none", "kmu2010-places"} <= set(gz.styles())


def test_unknown_style_names_the_known_ones() -> None:
    with pytest.raises(DataError, match="kmu2010"):
        gz.load("no-such-style")


# --- user files ---------------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "mine.tsv") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_user_file_extends_and_comes_first(tmp_path) -> None:
    f = _write(tmp_path, "# mine\nKyiv\tKyjiw\t\tplace\tUA\t1\tmine\nOlena Testenko\tElena Testenko\t\tperson\tUA\t5\n")
    g = gz.load("kmu2010", (f,))
    assert g.lookup("Kyjiw")[0][0].canonical == "Kyiv"
    assert g.lookup("kyiv")[0][0].source.startswith("mine.tsv:2")  # user rows first
    assert len(g.lookup("kyiv")) >= 2  # the bundled row is still there
    assert g.lookup("Elena Testenko")[0][1] == "rewrite" and g.is_name_token("testenko")


def test_user_file_replaces_or_removes_a_bundled_row(tmp_path) -> None:
    f = _write(tmp_path, "Kyiv\t\tKiev\tplace\tUA\t1\tmine\treplace\nOdesa\t\t\tplace\tUA\t0\tmine\tremove\n")
    g = gz.load("kmu2010", (f,))
    assert [how for _, how in g.lookup("Kiev")] == ["accept"]  # this user keeps Kiev
    assert all(e.canonical != "Odesa" or e.country != "UA" for e in g.entries)
    assert [e.id for e in g.entries] == list(range(len(g.entries)))


@pytest.mark.parametrize("line, message", [
    ("Kyiv\tKiev", r"mine\.tsv:2: expected columns"),
    ("Kyiv\t\t\tplace\tUA\tmany", r"mine\.tsv:2: weight must be a number"),
    ("\t\t\tplace\tUA\t1", r"mine\.tsv:2: empty canonical"),
    ("Kyiv\t\t\tcity\tUA\t1", r"mine\.tsv:2: unknown kind 'city'"),
    ("Kyiv\t\t\tplace\tUA\t1\tx\tfuzzy", r"mine\.tsv:2: unknown flag"),
])
def test_malformed_user_file_errors_name_file_and_line(tmp_path, line, message) -> None:
    f = _write(tmp_path, "# header\n" + line + "\n")
    with pytest.raises(DataError, match=message):
        gz.read_gazetteer(Path(f))


def test_missing_user_file_is_an_error(tmp_path) -> None:
    with pytest.raises(DataError, match="not found"):
        gz.load("kmu2010", (str(tmp_path / "nope.tsv"),))


def test_crlf_and_whitespace_are_tolerated(tmp_path) -> None:
    f = _write(tmp_path, "Testville \t Testvil | Testvill \t\tplace\tua\t10\r\n")
    (e,) = gz.read_gazetteer(Path(f))
    assert (e.canonical, e.rewrite, e.country, e.weight) == ("Testville", ("Testvil", "Testvill"), "UA", 10.0)


# --- lazy rows ---------------------------------------------------------------------------------------


def test_lazy_rows_are_the_rows_an_eager_parse_gives(g) -> None:
    """The bundled rows become Entry objects on first access; they must be exactly what parsing every
    row up front gives, and the indexes built from the raw cells must match ones built from the entries."""
    assert isinstance(g.entries, gz.LazyEntries)
    eager: list[gz.Entry] = []
    for name in gz.GAZETTEER_FILES:
        eager += gz.read_gazetteer(DICTIONARIES / name, len(eager))
    assert g.entries[-1] == eager[-1] and g.entries[5:8] == eager[5:8] and g.entries[-3] == eager[-3]
    assert list(g.entries) == eager
    with pytest.raises(IndexError):
        g.entries[len(eager)]
    assert g.persons == tuple(e.id for e in eager if e.kind == "person")
    second = {f.lower().split()[0] for e in eager for f in e.forms
              if len(f.split()) > 1 and not f.split()[1][0].isupper()}
    assert g.lower_second == second


def test_user_rows_come_first_in_the_eager_path(tmp_path) -> None:
    user = tmp_path / "mine.tsv"
    rows = ["Anna Example\t\t\tperson\t\t\tmine", "Exampleville\tExamplevil\t\tplace\tUA\t5\tmine"]
    user.write_text("\n".join(rows) + "\n", encoding="utf-8")
    mine = gz.load("kmu2010", (str(user),))
    assert mine.entries[0].canonical == "Anna Example" and mine.persons[0] == 0
    assert mine.index["examplevil"] == [(1, "rewrite")]
    assert len(mine.entries) == len(gz.load().entries) + 2


@pytest.mark.parametrize(("row", "message"), [
    ("Kyiv\t\t\tplace\tUA\tmany\tx", "weight must be a number"),
    ("Kyiv\t\t\tcity\tUA\t1\tx", "unknown kind"),
    ("Kyiv\t\t\tplace\tUA\t1\tx\tweird", "unknown flag"),
    ("Kyiv\tKiev", "expected columns"),
])
def test_lazy_rows_are_still_checked_when_read(tmp_path, row: str, message: str) -> None:
    file = tmp_path / "places.tsv"
    file.write_text("# header\nOdesa\tOdessa\t\tplace\tUA\t1\tx\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=f"places.tsv:3: {message}"):
        gz._scan([file])


def test_lazy_row_with_untidy_cells_parses_as_an_eager_read_does(tmp_path) -> None:
    file = tmp_path / "untidy.tsv"
    file.write_text(" Odesa\tOdessa | Odessa2\t\t place\tua\t1\tx\tambiguous\nLviv\t\t\tplace\n", encoding="utf-8")
    entries, _cells = gz._scan([file])
    assert list(entries) == gz.read_gazetteer(file)
    assert entries[0].canonical == "Odesa" and entries[0].rewrite == ("Odessa", "Odessa2")
    assert entries[0].country == "UA" and entries[0].flags == {"ambiguous"} and entries[1].weight == 0.0


@pytest.mark.parametrize("form, canonical", [("Zaporizhia Oblast", "Zaporizhzhia Oblast"),
                                             ("Khmelnytsky region", "Khmelnytskyi region")])
def test_a_region_rewrites_the_spellings_its_city_rewrites(g, form, canonical) -> None:
    """The press's Zaporizhia is rewritten alone, so `Zaporizhia Oblast` is too (it was a curated accept)."""
    assert {(e.canonical, how) for e, how in g.lookup(form)} == {(canonical, "rewrite")}
