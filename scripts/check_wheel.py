"""Build the wheel, install it into a fresh virtual environment, and clean the seed golden cases with it from
a folder outside the checkout: what a user (or a Ray/Spark/Dask worker) gets from ``pip install``.

    python scripts/check_wheel.py             # the wheel (what `pip install .` installs)
    python scripts/check_wheel.py --editable  # `pip install -e .` instead

Checks: the wheel holds every module, template and data file; ``echo "Kiev said" | clean`` gives "Kyiv said";
each ``fixtures/golden/seed-*/input.txt`` comes out as its ``expected.txt``, through the console script and
through ``cleaner.clean``. Exit 0 when all pass, 1 otherwise (each failure is printed). Needs PyPI (or the
pip cache) for the dependencies. Run by ``.ci/run``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"

LIBRARY_CHECK = """
import json, sys
import cleaner, cleaner.core.resources as r
from cleaner import clean
root, mode, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if mode == "wheel":  # imported from site-packages, not from the checkout
    assert not cleaner.__file__.startswith(root) and not str(r.DICTIONARIES).startswith(root), cleaner.__file__
out = {}
for case in cases:
    with open(case + "/input.txt", encoding="utf-8", newline="") as fh:
        out[case] = clean(fh.read())
print(json.dumps({"data": str(r.DICTIONARIES), "out": out}))
"""


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def expected_files() -> list[str]:
    """Paths the wheel must hold: every module, the templates, py.typed and every data file."""
    names = [str(p.relative_to(ROOT)) for p in (ROOT / "cleaner").rglob("*") if p.is_file()
             and "__pycache__" not in p.parts]
    names += ["cleaner/dictionaries/" + str(p.relative_to(ROOT / "dictionaries"))
              for p in (ROOT / "dictionaries").rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(n for n in names if not n.endswith(".pyc"))


def build_wheel(out: Path) -> Path:
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        cwd=out)
    return next(out.glob("cleaner-*.whl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--editable", action="store_true", help="install the checkout with pip install -e")
    args = parser.parse_args()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cleaner-wheel-") as tmp:
        tmp_path = Path(tmp)
        if args.editable:
            target = ["-e", str(ROOT)]
        else:
            wheel = build_wheel(tmp_path)
            held = set(zipfile.ZipFile(wheel).namelist())
            failures += [f"not in the wheel: {name}" for name in expected_files() if name not in held]
            target = [str(wheel)]
            print(f"wheel: {wheel.name}, {len(held)} files")
        venv = tmp_path / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *target])
        work = tmp_path / "work"  # outside the checkout: no cleaner.toml, no dictionaries/ next to it
        work.mkdir()
        clean = str(venv / "bin" / "clean")
        kiev = subprocess.run([clean], input=b"Kiev said\n", capture_output=True, cwd=work)
        if kiev.returncode != 0 or kiev.stdout != b"Kyiv said\n":
            failures.append(f"echo 'Kiev said' | clean: exit {kiev.returncode}, {kiev.stdout!r}, {kiev.stderr!r}")
        cases = sorted(p for p in GOLDEN.glob("seed-*") if (p / "input.txt").is_file())
        if not cases:
            failures.append(f"no seed cases in {GOLDEN}")
        for case in cases:
            r = subprocess.run([clean, "--no-config", "-q", str(case / "input.txt")], capture_output=True, cwd=work)
            want = (case / "expected.txt").read_bytes()
            if r.returncode != 0 or r.stdout != want:
                failures.append(f"{case.name}: clean exit {r.returncode}, output differs from expected.txt: "
                                f"{r.stderr.decode(errors='replace')[-300:]}")
        lib = subprocess.run([str(venv / "bin" / "python"), "-c", LIBRARY_CHECK, str(ROOT),
                              "editable" if args.editable else "wheel", json.dumps([str(c) for c in cases])],
                             capture_output=True, cwd=work, text=True)
        if lib.returncode != 0:
            failures.append(f"cleaner.clean in the installed package failed: {lib.stderr[-500:]}")
        else:
            got = json.loads(lib.stdout)
            print(f"data: {got['data']}")
            for case in cases:
                if got["out"][str(case)] != (case / "expected.txt").read_bytes().decode("utf-8"):
                    failures.append(f"{case.name}: cleaner.clean output differs from expected.txt")
        print(f"{len(cases)} seed case(s) through the installed `clean` and cleaner.clean, run from {work}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print("check_wheel: " + ("ok" if not failures else f"{len(failures)} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
