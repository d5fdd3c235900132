"""Hostile inputs through the default Cleaner: MB/s per case, so a super-linear stage shows up (issues 6, 14).

    python bench/adversarial.py [--timeout 60] [--scale 1.0] [--only NAME]
    python bench/adversarial.py --slope [--scale 0.1] [--only NAME]

Each case runs in its own process with a time limit, so one pathological stage cannot hang the run; a
case that times out, crashes or loses text is reported as such. Numbers only, no asserts.

Cases marked ``cli`` go through the ``clean`` command's runner in-process (``--jobs 1``), on a file:
that is where a large text file is cut into pieces and an over-long JSONL record is passed through. The
others call ``Cleaner.clean`` on the whole text.

``--slope`` times every case at ``--scale`` and twice that, and prints t(2n)/t(n): about 2 is linear;
above 2.5 is flagged ``SUPERLINEAR``. Small cases (well under a second) are noisy: read their ratio
with care.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import queue as queue_module
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SLOPE_FLAG = 2.5


def _nested_tags(n: int) -> str:
    return "<div>" * n + "text" + "</span>" * (n // 2) + "<b" * (n // 4)


def _random_words(chars: int, seed: int = 14, sep: str = " ") -> str:
    """``chars`` characters of random lowercase 'words' (2-10 letters): nothing a dictionary knows."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: list[str] = []
    n = 0
    while n < chars:
        w = "".join(rng.choices(letters, k=rng.randint(2, 10)))
        out.append(w)
        n += len(w) + 1
    return sep.join(out)[:chars]


def _paragraphs(nbytes: int) -> str:
    """News paragraphs (the bench sample) separated by blank lines, repeated up to ``nbytes``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from inputs import load_docs

    _, docs = load_docs()
    paras = [p.strip() for d in docs for p in d.split("\n\n") if p.strip()]
    out: list[str] = []
    n = 0
    i = 0
    while n < nbytes:
        p = paras[i % len(paras)]
        out.append(p)
        n += len(p.encode()) + 2
        i += 1
    return "\n\n".join(out) + "\n"


def _jsonl_record(nbytes: int) -> str:
    import json

    return json.dumps({"id": 1, "text": _random_words(nbytes)}) + "\n"


#: name -> (mode, builder(scale)); mode "clean" (Cleaner.clean) or "cli:SUFFIX" (the runner, on a file)
Case = tuple[str, Callable[[float], str]]


def cases(scale: float = 1.0) -> dict[str, Case]:
    """name -> (mode, builder of the hostile text) (built inside the worker, so nothing large is pickled)."""
    k = max(scale, 1e-6)
    plain: dict[str, Callable[[], str]] = {
        "100k '<'": lambda: "<" * int(100_000 * k),
        "100k '< ' (spaced)": lambda: "< " * int(100_000 * k),
        "5 MB line, no spaces": lambda: "abcdefghij" * int(500_000 * k),
        "5 MB line, no spaces, mixed": lambda: "Kyiv-said.&amp;<p>é" * int(260_000 * k),
        "50k hyphens": lambda: "-" * int(50_000 * k),
        "50k ' -' (split hyphens)": lambda: "cross -border " * int(50_000 * k),
        "20k dash pairs, one sentence": lambda: "a wide -ranging review- said the reports -which " * int(20_000 * k),
        "'&amp;amp;amp; ' x 20k": lambda: "&amp;amp;amp; " * int(20_000 * k),
        "&amp; chain 1000 deep x 100": lambda: ("&" + "amp;" * 1000 + " ") * int(100 * k),
        "1 MB of one word": lambda: "government " * int(1_000_000 * k / 11),
        "1 MB of one typo": lambda: "goverment " * int(1_000_000 * k / 10),
        "nested/unbalanced tags x 50k": lambda: _nested_tags(int(50_000 * k)),
        "unclosed '<p' x 100k": lambda: "<p class=" * int(100_000 * k),
        "mojibake x 200k": lambda: "â€™" * int(200_000 * k),
        "100k newlines": lambda: "\n" * int(100_000 * k),
        "1 MB of spaces": lambda: " " * int(1_000_000 * k),
        "10k capitalised names": lambda: "Volodymyr Zelenskyy met Kiev officials. " * int(10_000 * k),
        # issue 14: the shapes that took minutes
        "1M chars random words": lambda: _random_words(int(1_000_000 * k)),
        "5 MB single line of words": lambda: _random_words(int(5_000_000 * k)),
    }
    out: dict[str, Case] = {name: ("clean", build) for name, build in plain.items()}
    out["50 MB paragraphs (cli)"] = ("cli:.txt", lambda: _paragraphs(int(50_000_000 * k)))
    out["51 MB JSONL record (cli)"] = ("cli:.jsonl", lambda: _jsonl_record(int(51_000_000 * k)))
    return out


def _announcing(name: str, propose: Callable, queue: mp.Queue) -> Callable:
    def wrapped(text: str):
        queue.put(("stage", name, time.perf_counter()))
        return propose(text)

    return wrapped


def _run_case(name: str, scale: float, queue: mp.Queue) -> None:
    import cleaner

    mode, build = cases(scale)[name]
    text = build()
    c = cleaner.Cleaner().warm_up()
    for stage in c.stages:  # say which stage is running, so a timeout names the culprit
        stage.propose = _announcing(stage.name, stage.propose, queue)
    if mode == "clean":
        t0 = time.perf_counter()
        r = c.clean(text)
        elapsed = time.perf_counter() - t0
        summary = {"edits": len(r.edits), "out_chars": len(r.text), "errors": r.errors,
                   "slowest": max(r.timings.items(), key=lambda kv: kv[1], default=("-", 0.0))}
    else:
        summary, elapsed = _run_cli(c, text, mode.split(":", 1)[1])
    summary.update(seconds=elapsed, mb=len(text.encode("utf-8")) / 1e6, in_chars=len(text))
    queue.put(("result", summary, time.perf_counter()))


def _run_cli(c: object, text: str, suffix: str) -> tuple[dict, float]:
    """The clean command's runner on ``text`` written to a file: (summary, seconds of the run)."""
    import io

    from cleaner.cli.runner import Runner, RunOptions

    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp, "in" + suffix), Path(tmp, "out" + suffix)
        src.write_text(text, encoding="utf-8", newline="")
        del text
        err = io.StringIO()
        runner = Runner(c, RunOptions(paths=[str(src)], output=str(dst), jobs=1, progress=False), stderr=err)
        t0 = time.perf_counter()
        code = runner.run()
        elapsed = time.perf_counter() - t0
        out_chars = len(dst.read_text(encoding="utf-8"))
    t = runner.totals
    problems = [line for line in err.getvalue().splitlines() if not line.startswith("clean: cleaned")]
    errors = ([f"exit {code}"] if code else []) + ([f"{t.skipped} skipped"] if t.skipped else []) + problems[:1]
    return {"edits": t.edits, "out_chars": out_chars, "errors": errors, "slowest": ("cli", elapsed)}, elapsed


def run(name: str, scale: float, timeout: float) -> dict:
    """Run one case in a child process; on timeout, name the stage that was running and for how long."""
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_run_case, args=(name, scale, queue), daemon=True)
    proc.start()
    deadline = time.monotonic() + timeout
    stage, since = None, 0.0
    while time.monotonic() < deadline:
        try:
            kind, payload, stamp = queue.get(timeout=0.2)
        except queue_module.Empty:
            if not proc.is_alive():
                return {"status": f"CRASHED (exit code {proc.exitcode}) in stage {stage}"}
            continue
        if kind == "stage":
            stage, since = payload, time.monotonic()
            continue
        proc.join()
        payload["status"] = "errors: " + "; ".join(payload["errors"])[:80] if payload["errors"] else "ok"
        return payload
    proc.kill()
    proc.join()
    where = f", stuck in {stage!r} for {time.monotonic() - since:.0f} s" if stage else ""
    return {"status": f"TIMEOUT > {timeout:.0f} s{where}"}


def _line(name: str, r: dict) -> str:
    if "seconds" not in r:
        return f"{name:<30} {'':>6} {'':>9} {'':>8} {'':>7} {'':>7}  {'':<15} {r['status']}"
    rate = r["mb"] / r["seconds"] if r["seconds"] else float("inf")
    ratio = r["out_chars"] / max(r["in_chars"], 1)
    stage, st = r["slowest"]
    return (f"{name:<30} {r['mb']:6.2f} {rate:9.2f} {r['seconds']:8.3f} {r['edits']:7d} {ratio:7.3g}"
            f"  {stage:<8}{st:6.2f}s  {r['status']}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per case (default 30)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every case's size")
    ap.add_argument("--only", help="run only cases whose name contains this")
    ap.add_argument("--slope", action="store_true", help="time each case at --scale and 2x; flag t(2n)/t(n) > 2.5")
    args = ap.parse_args(argv)
    names = [n for n in cases(args.scale) if not args.only or args.only in n]
    if not args.slope:
        print(f"{'case':<30} {'MB':>6} {'MB/s':>9} {'s':>8} {'edits':>7} {'out/in':>7}  slowest stage   status")
        for name in names:
            print(_line(name, run(name, args.scale, args.timeout)), flush=True)
        return
    print(f"{'case':<30} {'MB (n)':>7} {'s (n)':>8} {'s (2n)':>8} {'ratio':>6}  verdict")
    for name in names:
        a = run(name, args.scale, args.timeout)
        b = run(name, 2 * args.scale, args.timeout) if "seconds" in a else {"status": "not run"}
        if "seconds" not in a or "seconds" not in b:
            status = a["status"] if "seconds" not in a else b["status"]
            print(f"{name:<30} {a.get('mb', 0):7.2f} {a.get('seconds', 0):8.3f} {'':>8} {'':>6}  {status}", flush=True)
            continue
        ratio = b["seconds"] / max(a["seconds"], 1e-9)
        verdict = "SUPERLINEAR" if ratio > SLOPE_FLAG else "ok"
        notes = [s for s in (a["status"], b["status"]) if s != "ok"]
        print(f"{name:<30} {a['mb']:7.3f} {a['seconds']:8.3f} {b['seconds']:8.3f} {ratio:6.2f}  {verdict}"
              + (f" ({notes[-1]})" if notes else ""), flush=True)


if __name__ == "__main__":
    main()
