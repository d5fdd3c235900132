"""Measure the grammar stage: the seed articles' grammar slips, and JFLEG (changed sentences, GLEU).

    python scripts/grammar_measure.py seeds                       # against the stand-in server
    python scripts/grammar_measure.py seeds --url http://127.0.0.1:8081
    python scripts/grammar_measure.py jfleg --jfleg ../shared/eval/jfleg --url http://127.0.0.1:8081
    python scripts/grammar_measure.py jfleg --jfleg ../shared/eval/jfleg --identity   # GLEU of the source

GLEU follows the JFLEG release's ``gleu.py`` (Napoles et al.): n-grams 1-4, n-grams kept from the source
but absent from the reference are penalised, one reference drawn at random per sentence, averaged over
500 draws (seeded, so the figure is repeatable).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

from cleaner import Cleaner, Config

ROOT = Path(__file__).resolve().parent.parent


def ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def gleu_stats(hyp: list[str], ref: list[str], src: list[str], order: int = 4) -> list[int]:
    stats = [len(hyp), len(ref)]
    for n in range(1, order + 1):
        h, r, s = ngrams(hyp, n), ngrams(ref, n), ngrams(src, n)
        s_not_r = Counter({k: v for k, v in s.items() if k not in r})
        stats.append(max(sum((h & r).values()) - sum((h & s_not_r).values()), 0))
        stats.append(max(len(hyp) + 1 - n, 0))
    return stats


def gleu_from(stats: list[int]) -> float:
    c, r = stats[0], stats[1]
    if c == 0 or any(x == 0 for x in stats[2:]):
        return 0.0
    log_prec = sum(math.log(x / y) for x, y in zip(stats[2::2], stats[3::2], strict=True)) / 4
    return math.exp(min(0.0, 1 - r / c) + log_prec)


def corpus_gleu(hyps: list[str], refs: list[list[str]], srcs: list[str], iterations: int = 500) -> float:
    """Mean corpus GLEU over ``iterations`` random choices of one reference per sentence."""
    per = [
        [gleu_stats(h.split(), ref.split(), s.split()) for ref in rs] for h, rs, s in zip(hyps, refs, srcs, strict=True)
    ]
    rng = random.Random(0)
    scores = []
    for _ in range(iterations):
        total = [0] * 10
        for options in per:
            total = [a + b for a, b in zip(total, rng.choice(options), strict=True)]
        scores.append(gleu_from(total))
    return sum(scores) / len(scores)


def _cleaner(url: str, stages: tuple[str, ...]) -> Cleaner:
    return Cleaner(Config(stages=stages, languagetool_url=url))


def measure_seeds(url: str, full: bool) -> None:
    stages = Config().with_stages(enable=["grammar"]).stages if full else ("grammar",)
    cleaner = _cleaner(url, stages)
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        result = cleaner.clean(path.read_text(encoding="utf-8"))
        grammar = [e for e in result.edits if e.stage == "grammar"]
        print(
            f"{path.name}: {len(grammar)} grammar edit(s), {sum(s.stage == 'grammar' for s in result.suggestions)} "
            f"suggestion(s)"
        )
        for e in grammar:
            print(f"  {e.before!r} -> {e.replacement!r}  [{e.rule} {e.confidence}] {e.note}")
    stage = next(s for s in cleaner.stages if s.name == "grammar")
    print("stats:", dict(sorted(stage.stats.items())))


def measure_jfleg(url: str | None, folder: Path, split: str, identity: bool) -> None:
    srcs = (folder / split / f"{split}.src").read_text(encoding="utf-8").splitlines()
    refs = list(
        zip(
            *[(folder / split / f"{split}.ref{i}").read_text(encoding="utf-8").splitlines() for i in range(4)],
            strict=True,
        )
    )
    t0 = time.perf_counter()
    if identity:
        hyps = list(srcs)
        stats: dict = {}
    else:
        cleaner = _cleaner(url, ("grammar",))
        hyps = [cleaner.clean(s).text for s in srcs]
        stats = next(s for s in cleaner.stages if s.name == "grammar").stats
    changed = sum(h != s for h, s in zip(hyps, srcs, strict=True))
    print(
        f"JFLEG {split}: {len(srcs)} sentences, {changed} changed, GLEU {corpus_gleu(hyps, refs, srcs):.4f} "
        f"(source as is: {corpus_gleu(srcs, refs, srcs):.4f}), {time.perf_counter() - t0:.1f}s"
    )
    if stats:
        print("stats:", dict(sorted(stats.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["seeds", "jfleg"])
    parser.add_argument("--url", help="LanguageTool server (default for seeds: start the stand-in)")
    parser.add_argument("--full", action="store_true", help="seeds: run every default stage before grammar")
    parser.add_argument("--jfleg", type=Path, help="folder with dev/ and test/")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--identity", action="store_true", help="jfleg: score the source unchanged")
    args = parser.parse_args()
    if args.what == "jfleg":
        if not args.jfleg or not (args.url or args.identity):
            parser.error("jfleg needs --jfleg and a real server (--url) or --identity")
        measure_jfleg(args.url, args.jfleg, args.split, args.identity)
        return 0
    server = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(ROOT / "scripts"))
        from grammar_standin import StandIn

        server = StandIn().start()
        url = server.url
        print(f"stand-in server at {url}")
    try:
        measure_seeds(url, args.full)
    finally:
        if server:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
