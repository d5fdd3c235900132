"""Hostile inputs through the default Cleaner: MB/s per case, so a super-linear stage shows up (issue 6).

    python bench/adversarial.py [--timeout 60] [--scale 1.0]

Each case runs in its own process with a time limit, so one pathological stage cannot hang the run; a
case that times out, crashes or loses text is reported as such. Numbers only, no asserts.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import queue as queue_module
import sys
import time
from collections.abc import Callable


def _nested_tags(n: int) -> str:
    return "<div>" * n + "text" + "</span>" * (n // 2) + "<b" * (n // 4)


def cases(scale: float = 1.0) -> dict[str, Callable[[], str]]:
    """name -> builder of the hostile text (built inside the worker, so nothing large is pickled)."""
    k = max(scale, 0.001)
    return {
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
    }


def _announcing(name: str, propose: Callable, queue: mp.Queue) -> Callable:
    def wrapped(text: str):
        queue.put(("stage", name, time.perf_counter()))
        return propose(text)

    return wrapped


def _run_case(name: str, scale: float, queue: mp.Queue) -> None:
    import cleaner

    text = cases(scale)[name]()
    c = cleaner.Cleaner().warm_up()
    for stage in c.stages:  # say which stage is running, so a timeout names the culprit
        stage.propose = _announcing(stage.name, stage.propose, queue)
    t0 = time.perf_counter()
    r = c.clean(text)
    elapsed = time.perf_counter() - t0
    summary = {
        "seconds": elapsed,
        "mb": len(text.encode("utf-8")) / 1e6,
        "edits": len(r.edits),
        "out_chars": len(r.text),
        "in_chars": len(text),
        "errors": r.errors,
        "slowest": max(r.timings.items(), key=lambda kv: kv[1], default=("-", 0.0)),
    }
    queue.put(("result", summary, time.perf_counter()))


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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per case (default 30)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every case's size")
    ap.add_argument("--only", help="run only cases whose name contains this")
    args = ap.parse_args(argv)
    print(f"{'case':<30} {'MB':>6} {'MB/s':>9} {'s':>8} {'edits':>7} {'out/in':>7}  slowest stage   status")
    for name in cases(args.scale):
        if args.only and args.only not in name:
            continue
        r = run(name, args.scale, args.timeout)
        if "seconds" not in r:
            print(f"{name:<30} {'':>6} {'':>9} {'':>8} {'':>7} {'':>7}  {'':<15} {r['status']}")
            continue
        rate = r["mb"] / r["seconds"] if r["seconds"] else float("inf")
        ratio = r["out_chars"] / max(r["in_chars"], 1)
        stage, st = r["slowest"]
        print(
            f"{name:<30} {r['mb']:6.2f} {rate:9.2f} {r['seconds']:8.3f} {r['edits']:7d} {ratio:7.3g}"
            f"  {stage:<8}{st:6.2f}s  {r['status']}"
        )


if __name__ == "__main__":
    main()
