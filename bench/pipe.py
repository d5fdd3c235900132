"""``Cleaner.pipe`` throughput: a plain loop, ``pipe(n_process=1)`` and ``pipe(n_process=N)`` on the sample.

Usage: ``.venv/bin/python bench/pipe.py [--processes 1,2,4] [--batch-size 64] [--copies 3]``. Prints docs/s
and MB/s of each, best of ``--repeat`` runs, and the load average (on a shared machine more processes can be
slower: the figure is only meaningful with idle cores). Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inputs import load_docs, size_mb  # noqa: E402

from cleaner import Cleaner  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", default="1,2", help="n_process values to time, comma-separated")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--copies", type=int, default=3, help="the sample this many times over")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    source, docs = load_docs()
    docs = docs * args.copies
    mb = size_mb(docs)
    cleaner = Cleaner().warm_up()
    print(f"{len(docs)} documents, {mb:.2f} MB from {source}; load average {os.getloadavg()[0]:.2f}, "
          f"{os.cpu_count()} cores")
    runs = {"loop over clean()": lambda: [cleaner.clean(d) for d in docs]}
    for n in (int(x) for x in args.processes.split(",")):
        runs[f"pipe(n_process={n})"] = lambda n=n: list(cleaner.pipe(docs, n_process=n, batch_size=args.batch_size))
    for name, fn in runs.items():
        seconds = best(fn, args.repeat)
        print(f"{name:24} {len(docs) / seconds:9.1f} docs/s {mb / seconds:7.2f} MB/s  ({seconds:.2f} s)")


if __name__ == "__main__":
    main()
