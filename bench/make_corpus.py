"""Write a large synthetic news corpus (JSONL) made from the benchmark sample, with seeded noise.

    python bench/make_corpus.py /tmp/corpus.jsonl --mb 200 --seed 1

Each line is ``{"id": ..., "text": ...}``. The noise is the damage the cleaner repairs: stray and broken
tags (``< /p>``), split hyphens (``cross -border``), mojibake (``â€™``), double-escaped entities,
doubled spaces and typos. The output is generated, never committed; the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inputs import load_docs  # noqa: E402

_WORD = re.compile(r"[A-Za-z]{5,}")
_HYPHENATED = re.compile(r"\b([A-Za-z]+)-([A-Za-z]+)\b")
_TAGS = ("< /p>", "</ p>", "<p >", "<br/>", "</div>", "<b>", "< /b>", '<span class="x">', "</span>")


def _mojibake(s: str) -> str:
    """UTF-8 bytes read as Windows-1252: the commonest mojibake in scraped news."""
    return s.encode("utf-8").decode("cp1252", errors="replace")


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # transpose
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # delete
        return word[:i] + word[i + 1 :]
    if kind == 2:  # double
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]  # substitute


def add_noise(text: str, rng: random.Random, rate: float = 1.0) -> str:
    """Damage ``text`` deterministically (given ``rng``); ``rate`` scales how much."""
    paras = text.split("\n\n")
    out = []
    for para in paras:
        if rng.random() < 0.3 * rate:
            para = _HYPHENATED.sub(lambda m: f"{m[1]} -{m[2]}" if rng.random() < 0.5 else m[0], para)
        if rng.random() < 0.3 * rate:
            para = para.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")
            if rng.random() < 0.5:
                para = _mojibake(para)
        if rng.random() < 0.1 * rate:
            para = para.replace("&", "&amp;amp;")
        if rng.random() < 0.2 * rate:
            para = para.replace(". ", ".  ", 1)
        if rng.random() < 0.4 * rate:
            para = _WORD.sub(lambda m: _typo(m[0], rng) if rng.random() < 0.02 * rate else m[0], para)
        if rng.random() < 0.3 * rate:
            para = rng.choice(_TAGS) + para if rng.random() < 0.5 else para + rng.choice(_TAGS)
        out.append(para)
    return "\n\n".join(out)


def generate(target_bytes: int, seed: int = 1, rate: float = 1.0) -> Iterator[dict]:
    """Yield noisy documents, cycling through the sample, until ``target_bytes`` of text are produced."""
    _, docs = load_docs()
    rng = random.Random(seed)
    produced = 0
    n = 0
    while produced < target_bytes:
        text = add_noise(docs[n % len(docs)], rng, rate)
        produced += len(text.encode("utf-8"))
        yield {"id": n, "text": text}
        n += 1


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="JSONL file to write")
    ap.add_argument("--mb", type=float, default=200.0, help="MB of text to write (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=1.0, help="noise scale (default 1.0)")
    args = ap.parse_args(argv)
    tmp = args.out.with_name(args.out.name + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as fh:
        for record in generate(int(args.mb * 1e6), args.seed, args.rate):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(args.out)
    print(f"wrote {n} documents, {args.out.stat().st_size / 1e6:.1f} MB to {args.out}")


if __name__ == "__main__":
    main()
