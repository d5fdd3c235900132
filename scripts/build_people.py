"""Build dictionaries/people.tsv from the hand-written dictionaries/sources/people.source.tsv.

Usage: ``.venv/bin/python scripts/build_people.py`` (needs the ``build`` extra: translitua, iuliia).

For each person the source gives the canonical (house-style) name, the native Cyrillic spelling and, for
Ukrainians and Belarusians, the Russian spelling. The script generates:

- ``accept``: KMU 2010 and BGN/PCGN romanisations of the Ukrainian name, with the common surname-ending
  variants (-skyi/-skyy/-skyj) and given-name variants (Andrii/Andriy/Andrij); for a Russian, every
  romanisation of the Russian name (Sergei/Sergey, Dmitry/Dmitriy/Dmitri) -- a Russian name romanised
  another way is not an error, so nothing is rewritten;
- ``rewrite`` (Ukrainians and Belarusians only): the romanisations of the Russian spelling of the name
  (Aleksandr Syrsky, Aleksandr Syrskiy) and their mixes with the native forms (Oleksandr Syrsky,
  Aleksandr Syrskyi) -- the house style (kmu2010) writes Ukrainian names in their Ukrainian form.

- ``rewrite``, for everyone with a Cyrillic name: the full name under every other scheme of
  ``romanise.uk_schemes``/``ru_schemes`` (German Wolodymyr Selenskyj, Sergej Lawrow; Polish; French; ISO 9),
  when it spells the surname another way; for a Russian the English-language systems' forms stay accepted.

Hand-written ``rewrite``/``accept`` cells are added; a form in the hand-written ``accept`` is never a rewrite.
A generated form two people share, or whose surname is another person's correct surname (Alexander
Litvinenko, the Russian officer, and Oleksandr Lytvynenko), is dropped.
Every form keeps the canonical's number of words, so the entities stage can take its last word as the surname.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from romanise import bgn_uk, fold, kmu2010, romanisations, ru_bgn, ru_simple  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "dictionaries" / "sources" / "people.source.tsv"
OUT = ROOT / "dictionaries" / "people.tsv"


def ua_word_variants(word: str) -> set[str]:
    """Romanisations of one Ukrainian word: KMU 2010, BGN/PCGN and the usual ending spellings."""
    out = {kmu2010(word), bgn_uk(word)}
    for v in list(out):
        out |= {re.sub(r"yi$", e, v) for e in ("yy", "yj", "iy")} if v.endswith("yi") else set()
        out |= {re.sub(r"ii$", e, v) for e in ("iy", "ij")} if v.endswith("ii") else set()
        out |= {v.replace("iia", "iya"), v.replace("ia", "ya")}
    return out


def ru_word_variants(word: str) -> set[str]:
    """Romanisations of one Russian word: BGN/PCGN, the popular system and the usual English endings."""
    out = {ru_simple(word), ru_bgn(word)}
    for v in list(out):
        if v.endswith("iy"):
            out |= {v[:-2] + "y", v[:-2] + "i"}  # Dmitriy -> Dmitry, Dmitri; Syrskiy -> Syrsky
        if v.endswith("yy"):
            out.add(v[:-1])  # Zaluzhnyy -> Zaluzhny
        if v.endswith("ey"):
            out.add(v[:-2] + "ei")  # Sergey -> Sergei, Andrey -> Andrei
        if v.endswith("ay"):
            out.add(v[:-2] + "ai")  # Nikolay -> Nikolai
        if v.startswith("Ye"):
            out.add("E" + v[2:])  # Yevgeny -> Evgeny
        if "ks" in v:
            out.add(v.replace("ks", "x"))  # Aleksey -> Alexey
        if v == "Aleksandr":
            out |= {"Alexander", "Alexandr"}
    return {v for v in out if v}


def combos(words: list[set[str]]) -> set[str]:
    out = {""}
    for options in words:
        out = {f"{a} {b}".strip() for a in out for b in options}
    return out


# schemes whose romanisation of a Russian name is an English spelling (accepted for a Russian): the others
# (German Sergej Lawrow, Polish, French, ISO 9, scientific, ALA-LC) are rewritten to the canonical
ENGLISH_RU = frozenset({"english", "bgn-pcgn", "wikipedia", "icao", "gost"})
ENGLISH_UK = frozenset({"kmu2010", "bgn-pcgn", "national1996"})
SCHEME_COUNTS: dict[str, int] = {}


def scheme_forms(name: str, lang: str, english: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(other-language or scholarly forms, English-system forms) of a full name: form -> scheme. Every scheme
    of romanise.uk_schemes/ru_schemes, written word by word with one scheme (Wolodymyr Selenskyj)."""
    foreign: dict[str, str] = {}
    english_forms: dict[str, str] = {}
    try:
        forms = romanisations(name, lang)
    except ImportError:  # pragma: no cover - translitua/iuliia are in the build extra
        return {}, {}
    for scheme, form in forms.items():
        base = scheme.removesuffix("-folded")
        (english_forms if base in english else foreign).setdefault(form, f"{lang}:{scheme}")
    return foreign, english_forms


def expand(canonical: str, native: str, russian: str, country: str) -> tuple[list[str], list[str]]:
    rewrite: set[str] = set()
    accept: set[str] = set()
    n = len(canonical.split())
    if country == "UA" and native and len(native.split()) == n:
        ua = [ua_word_variants(w) for w in native.split()]
        accept |= combos(ua)
        if russian and len(russian.split()) == n:
            ru = [ru_word_variants(w) for w in russian.split()]
            for mask in range(1, 2**n):  # at least one word in its Russian form
                rewrite |= combos([ru[i] - ua[i] if mask >> i & 1 else ua[i] for i in range(n)])
    elif country == "RU" and native and len(native.split()) == n:
        accept |= combos([ru_word_variants(w) for w in native.split()])
    elif country == "BY" and russian and len(russian.split()) == n:
        rewrite |= combos([ru_word_variants(w) for w in russian.split()])
    # every other scheme's form of the full name: German, Polish, French, ISO 9, GOST, scholarly (Wolodymyr
    # Selenskyj, Sergej Lawrow); of a Ukrainian's Russian name, every scheme (Aleksandr Syrskij)
    generated: dict[str, str] = {}
    if country == "UA" and native and len(native.split()) == n:
        foreign, _english = scheme_forms(native, "uk", ENGLISH_UK)
        generated.update(foreign)
        if russian and len(russian.split()) == n:
            foreign, english = scheme_forms(russian, "ru", frozenset())
            generated.update(foreign)
    elif country in ("RU", "BY") and (native if country == "RU" else russian):
        name = native if country == "RU" else russian
        if len(name.split()) == n:
            foreign, english = scheme_forms(name, "ru", ENGLISH_RU)
            generated.update(foreign)
            if country == "RU":
                accept |= set(english)
            else:
                generated.update(english)
    # a scheme form is added for its surname spelling (Lawrow, Selenskyj): one that only spells the given name
    # another way (Alexei Reznikov) adds nothing to repair and would make a common given name (Alexei) an
    # anchor for matching a garbled surname of someone else (Alexei Rybnikov)
    known = {f.split()[-1].lower() for f in (canonical, *accept, *rewrite)}
    generated = {f: s for f, s in generated.items() if fold(f.split()[-1]).lower() not in known}
    rewrite |= {f for f in generated if f.lower() not in {a.lower() for a in accept}}
    for forms in (rewrite, accept):
        forms |= {fold(f) for f in forms}
    for f in rewrite:
        if f in generated:
            SCHEME_COUNTS[generated[f]] = SCHEME_COUNTS.get(generated[f], 0) + 1
    return sorted(rewrite), sorted(accept)


def main() -> None:
    lines = [
        "# People: generated by scripts/build_people.py from dictionaries/sources/people.source.tsv (curated by\n",
        "# the cleaner project) -- edit the source and rebuild. Columns as in cleaner/gazetteer.py. Variants\n",
        "# romanised with translitua (MIT), iuliia (MIT) and scripts/romanise.py's own tables.\n",
        "#canonical\trewrite\taccept\tkind\tcountry\tweight\tsource\tflags\n",
    ]
    people = []
    for lineno, line in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * 8)[:8]
        canonical, native, russian, country, role, weight, rewrite, accept = (c.strip() for c in cells)
        if not canonical or not country:
            raise SystemExit(f"{SOURCE}:{lineno}: need canonical and country")
        gen_rw, gen_acc = expand(canonical, native, russian, country)
        hand_acc = [v for v in accept.split("|") if v]
        hand_rw = [v for v in rewrite.split("|") if v]
        keep = {canonical.lower()} | {v.lower() for v in hand_acc}
        rw = [v for v in dict.fromkeys(hand_rw + gen_rw) if v.lower() not in keep]
        acc = [v for v in dict.fromkeys(hand_acc + gen_acc) if v.lower() != canonical.lower()]
        acc = [v for v in acc if v.lower() not in {r.lower() for r in rw}]
        people.append((lineno, canonical, country, role, weight, hand_rw, hand_acc, rw, acc))
    # a generated form another person also has, or whose surname is another person's surname (Alexander
    # Litvinenko, the Russian, is not Oleksandr Lytvynenko), is dropped: the form does not tell them apart; a
    # correct name (canonical, accepted) wins over another person's rewrite
    correct: dict[str, set[str]] = {}
    rewrites: dict[str, set[str]] = {}
    surnames: dict[str, set[str]] = {}
    for _l, canonical, _c, _r, _w, _hr, _ha, rw, acc in people:
        for form in (canonical, *acc):
            correct.setdefault(form.lower(), set()).add(canonical)
            surnames.setdefault(form.split()[-1].lower(), set()).add(canonical)
        for form in rw:
            rewrites.setdefault(form.lower(), set()).add(canonical)
    seen: dict[str, str] = {}
    for lineno, canonical, country, role, weight, hand_rw, hand_acc, rw, acc in people:
        mine = {canonical}
        rw = [v for v in rw if v in hand_rw or (correct.get(v.lower(), mine) <= mine and rewrites[v.lower()] == mine
                                                and surnames.get(v.split()[-1].lower(), mine) <= mine)]
        acc = [v for v in acc if v in hand_acc or correct[v.lower()] == mine]
        for form in (canonical, *rw, *acc):
            other = seen.setdefault(form.lower(), canonical)
            if other != canonical:
                raise SystemExit(f"{SOURCE}:{lineno}: {form!r} is also a form of {other!r}")
        src = f"curated: {role}" if role else "curated"
        lines.append("\t".join([canonical, "|".join(rw), "|".join(acc), "person", country, weight or "0", src]) + "\n")
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"{OUT}: {len(lines) - 4} rows; rewrites from other schemes: "
          + ", ".join(f"{k} {v}" for k, v in sorted(SCHEME_COUNTS.items(), key=lambda t: -t[1])))


if __name__ == "__main__":
    main()
