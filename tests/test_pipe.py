"""``Cleaner.pipe``: many texts, results in input order, the same with worker processes as without."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, Result
from cleaner.core.decisions import Decision, save

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))


def paragraphs() -> list[str]:
    """The seed articles' paragraphs: many short texts, most with edits, some without."""
    out = [p for seed in SEEDS for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out + ["", "Clean text needs nothing.", "Kiev &amp; teh Lviv"]


def same(a: Result, b: Result) -> bool:
    maps = [(r.offset_map.regions, [r.to_input(i) for i in range(0, len(r.text) + 1, 7)]) for r in (a, b)]
    return (a.original, a.text, a.edits, a.suggestions, a.errors, a.rejected, maps[0]) == (
        b.original, b.text, b.edits, b.suggestions, b.errors, b.rejected, maps[1])


@pytest.fixture(scope="module")
def texts() -> list[str]:
    texts = paragraphs()
    assert len(texts) > 20
    return texts


@pytest.fixture(scope="module")
def expected(texts: list[str]) -> list[Result]:
    cleaner = Cleaner()
    return [cleaner.clean(t) for t in texts]


def test_one_process_yields_clean_results_in_order(texts: list[str], expected: list[Result]) -> None:
    got = list(Cleaner().pipe(iter(texts)))
    assert len(got) == len(expected) and all(same(a, b) for a, b in zip(got, expected, strict=True))
    assert sum(bool(r.edits) for r in got) > 5


@pytest.mark.parametrize("batch_size", [1, 7, 1000])
def test_worker_processes_give_the_same_results_in_order(texts: list[str], expected: list[Result],
                                                         batch_size: int) -> None:
    got = list(Cleaner().pipe((t for t in texts), n_process=2, batch_size=batch_size))
    assert [r.original for r in got] == texts
    assert all(same(a, b) for a, b in zip(got, expected, strict=True))


def test_as_tuples_keeps_each_context_with_its_text(texts: list[str]) -> None:
    items = [(t, {"id": i}) for i, t in enumerate(texts)]
    for n in (1, 2):
        got = list(Cleaner().pipe(items, n_process=n, batch_size=5, as_tuples=True))
        assert [ctx["id"] for _, ctx in got] == list(range(len(texts)))
        assert all(r.original == texts[ctx["id"]] for r, ctx in got)


def test_input_is_read_lazily() -> None:
    taken: list[int] = []

    def endless() -> Iterator[str]:
        i = 0
        while True:
            taken.append(i)
            yield f"teh text {i}"
            i += 1

    first = next(iter(Cleaner().pipe(endless())))
    assert first.text == "the text 0" and len(taken) == 1
    stream = Cleaner().pipe(endless(), n_process=2, batch_size=4)
    assert [next(stream).text for _ in range(10)] == [f"the text {i}" for i in range(10)]
    stream.close()  # stops the workers
    assert len(taken) < 200


def test_the_config_travels_to_the_workers(tmp_path: Path) -> None:
    file = save(tmp_path / "d.json", [Decision("reject", "spelling.typo", "teh", "the")])
    cleaner = Cleaner(Config(decisions=(str(file),), keep=("Kiev",)))
    texts = [f"Kiev and teh Lviv {i}" for i in range(12)]
    got = [r.text for r in cleaner.pipe(texts, n_process=2, batch_size=3)]
    assert got == texts
    assert got == [r.text for r in cleaner.pipe(texts)]


def test_bad_arguments() -> None:
    cleaner = Cleaner()
    assert list(cleaner.pipe([], n_process=2)) == []
    with pytest.raises(ValueError, match="batch_size"):
        list(cleaner.pipe(["x"], batch_size=0))
    with pytest.raises(ValueError, match="n_process"):
        list(cleaner.pipe(["x"], n_process=0))
    with pytest.raises(TypeError, match="takes str"):
        list(cleaner.pipe(["x", b"y"]))
    with pytest.raises(TypeError, match="takes str"):
        list(cleaner.pipe(["x", "y", b"z"], n_process=2, batch_size=1))
