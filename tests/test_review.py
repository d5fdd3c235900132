"""The HTML review report: structure, escaping of hostile text, caps for large runs, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, Edit, Result
from cleaner.cli.review import ReviewCollector, visible
from cleaner.stages import Stage, register

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))
HOSTILE_TEXT = '<script>alert(1)</script> and "><img src=x onerror=alert(2)>'
PWN = "document.body.setAttribute('data-pwned','1')"
_SEED_RESULTS: dict[str, Result] = {}


def cleaned_seed(seed: Path) -> Result:
    """Seeds cleaned once per test run with the default pipeline (loading its resources takes a moment)."""
    if seed.name not in _SEED_RESULTS:
        _SEED_RESULTS[seed.name] = Cleaner().clean(seed.read_text(encoding="utf-8"))
    return _SEED_RESULTS[seed.name]


STATS = {"documents": 1, "edits": 3, "errors": 0, "seconds": 0.5, "bytes": 1000}


# -- a small parser that records what the page really contains ---------------------------------------


class Page(HTMLParser):
    """Every element as (tag, attrs) in document order, and every closed element as
    (tag, attrs, text, children) where children are the closed elements inside it."""

    VOID = ("meta", "br", "input", "line", "rect", "link")

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str], list[str], int]] = []
        self.closed: list[tuple[str, dict[str, str], str, list]] = []
        self.script_bodies: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag not in self.VOID:
            self.stack.append((tag, a, [], len(self.closed)))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            t, a, parts, first = self.stack.pop()
            text = "".join(parts) + ("\x00" if t == "b" else "")
            self.closed.append((t, a, text, self.closed[first:]))
            if self.stack:
                self.stack[-1][2].append(text)
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)
            if self.stack[-1][0] == "script":
                self.script_bodies.append(data)

    def by_class(self, cls: str) -> list[tuple[str, dict[str, str], str, list]]:
        return [c for c in self.closed if cls in c[1].get("class", "").split()]

    def marks(self) -> list[dict[str, str]]:
        """The attributes of each inline edit mark."""
        return [attrs for tag, attrs, _, _ in self.by_class("m") if tag == "span"]


def parts_of(page: Page, mark_id: str) -> tuple[str, str]:
    """(del text, ins text) of the mark with this id."""
    (mark,) = [c for c in page.closed if c[1].get("id") == mark_id]
    children = {tag: text for tag, _, text, _ in mark[3]}
    return children.get("del", ""), children.get("ins", "")


def card(page: Page, label: str) -> str:
    """The number on the summary card whose caption starts with ``label``."""
    for _tag, _, text, _ in page.by_class("card"):
        number, _, caption = text.partition("\x00")
        if caption.startswith(label):
            return number
    raise AssertionError(f"no card {label!r}")


# -- synthetic results ------------------------------------------------------------------------------


def synthetic() -> Result:
    """A result with known edits (one hostile in every field) and a suggestion."""
    original = f"Kiev said  {HOSTILE_TEXT}< /p>"
    edits = [
        Edit(0, 4, "Kyiv", "entities", "variant", 0.97, "Kiev -> Kyiv", "Kiev", 0, 4),
        Edit(9, 11, " ", "spacing", "double_space", 0.99, '"><img src=x onerror=alert(3)>', "  ", 9, 10),
        Edit(len(original) - 5, len(original), "", "markup", '<b onmouseover="x">', 0.9, "stray tag", "< /p>"),
    ]
    text = f"Kyiv said {HOSTILE_TEXT}"
    edits[2] = Edit(**{**edits[2].to_dict(), "out_start": len(text), "out_end": len(text)})
    suggestion = Edit(5, 9, "<script>say</script>", "spelling", "typo", 0.4, "</title><script>x</script>", "said")
    return Result(original, text, edits, [suggestion])


def report(tmp_path: Path, results: list[tuple[str, Result]], stats: dict = STATS, **caps) -> tuple[str, Page]:
    collector = ReviewCollector(**caps)
    for name, result in results:
        collector.add(name, result)
    path = collector.write(tmp_path / "review.html", stats)
    html = path.read_text(encoding="utf-8")
    return html, Page(html)


def test_visible_shows_invisible_changes() -> None:
    assert visible("  ") == "··"
    assert visible("a b") == "a b"
    assert visible(" a") == "·a"
    assert visible("\n") == "↵"
    assert visible("\u00a0") == "⍽"
    assert visible("\u200b") == "⟨U+200B⟩"
    assert visible("abcdefghij", limit=5) == "abcd…"


def test_every_edit_is_shown_inline_with_rule_confidence_and_note(tmp_path: Path) -> None:
    result = synthetic()
    html, page = report(tmp_path, [("doc-1", result)])
    marks = page.marks()
    assert len(marks) == len(result.edits)
    for edit, mark in zip(result.edits, marks, strict=True):
        assert edit.key in mark["title"]
        assert f"{edit.confidence:.2f}" in mark["title"]
        assert edit.note in mark["title"]
        before, after = parts_of(page, mark["id"])
        assert before == visible(edit.before)
        assert after == visible(edit.replacement)
    # the stages get distinct colour classes, and each mark carries the one for its stage
    assert len({m["class"] for m in marks}) == 3
    assert card(page, "edits applied") == "3"
    assert card(page, "suggestions not applied") == "1"
    assert card(page, "documents / s") == "2.00"  # 1 document in 0.5 s


def test_hostile_text_and_edit_fields_are_escaped(tmp_path: Path) -> None:
    html, page = report(tmp_path, [('"><img src=x onerror=alert(4)>', synthetic())])
    tags = [t for t, _ in page.elements]
    assert tags.count("script") == 1, "only the report's own script"
    assert "img" not in tags
    assert [a for t, a in page.elements if t == "b"] == [{}] * tags.count("b"), "only the report's own <b>"
    assert not any(k.startswith("on") for _, attrs in page.elements for k in attrs)
    assert "alert(" not in "".join(page.script_bodies)
    # the hostile strings are there, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror=alert(3)" in html and "&lt;img src=x onerror=alert(3)&gt;" in html
    assert [c for c in page.closed if c[0] == "h3" and c[2] == '"><img src=x onerror=alert(4)>']


def test_document_is_rendered_from_the_original_text(tmp_path: Path) -> None:
    result = synthetic()
    collector = ReviewCollector()
    collector.add("doc", result)
    rebuilt = []
    for seg in collector.docs[0].segments:
        rebuilt.append(seg["text"] if seg["kind"] == "text" else result.original[seg["start"] : seg["end"]])
    assert "".join(rebuilt) == result.original
    kinds = [s["kind"] for s in collector.docs[0].segments if s["kind"] != "text"]
    assert kinds == ["edit", "suggestion", "edit", "edit"]


def test_pure_insertions_and_deletions_show_one_side(tmp_path: Path) -> None:
    result = Result(
        "One.Two< /p>",
        "One. Two",
        [
            Edit(4, 4, " ", "spacing", "space-after-period", 0.9, "", "", 4, 5),
            Edit(7, 12, "", "markup", "block-tag", 0.97, "", "< /p>", 8, 8),
        ],
    )
    _, page = report(tmp_path, [("doc", result)])
    inserted, deleted = page.marks()
    assert parts_of(page, inserted["id"]) == ("", "·")
    assert parts_of(page, deleted["id"]) == ("< /p>", "")


def test_suggestions_are_styled_apart_and_overlapping_ones_listed(tmp_path: Path) -> None:
    result = synthetic()
    overlapping = Edit(0, 4, "Kyyiv", "spelling", "typo", 0.3, "", "Kiev")
    result.suggestions.append(overlapping)
    html, page = report(tmp_path, [("doc", result)])
    inline = page.by_class("sg")
    assert len(inline) == 1 and "spelling.typo" in inline[0][1]["title"] and "not applied" in inline[0][1]["title"]
    assert "said" in inline[0][2]
    listed = [c for c in page.closed if c[0] == "summary" and "overlapping edits" in c[2]]
    assert listed and listed[0][2].startswith("1 ")
    assert "Kyyiv" in html


@register("review_test_variant")
class _Variant(Stage):
    def propose(self, text: str) -> list[Edit]:
        i = text.find("Kiev")
        return [Edit(i, i + 4, "Kyiv", rule="variant", confidence=0.95, note="Kiev -> Kyiv")] if i >= 0 else []


@register("review_test_upper")
class _Upper(Stage):
    def propose(self, text: str) -> list[Edit]:
        i = text.find("Kyiv")
        out = [Edit(i, i + 4, "KYIV", rule="upper", confidence=0.9)] if i >= 0 else []
        j = text.find("forces")
        return out + ([Edit(j, j + 6, "troops", rule="unsure", confidence=0.5)] if j >= 0 else [])


def test_overlapping_edits_of_two_stages_are_merged_into_one_mark(tmp_path: Path) -> None:
    cleaner = Cleaner(Config(stages=("review_test_variant", "review_test_upper")))
    result = cleaner.clean("Kiev's forces.")
    assert result.text == "KYIV's forces." and len(result.edits) == 2 and len(result.suggestions) == 1
    html, page = report(tmp_path, [("doc", result)])
    (mark,) = page.marks()
    assert "multi" in mark["class"].split()
    assert parts_of(page, mark["id"]) == ("Kiev", "KYIV")
    assert "review_test_variant.variant" in mark["title"] and "review_test_upper.upper" in mark["title"]
    assert len(page.by_class("sg")) == 1


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_article_report(tmp_path: Path, seed: Path) -> None:
    result = cleaned_seed(seed)
    stats = {"documents": 1, "edits": len(result.edits), "errors": 0, "seconds": 0.1, "bytes": len(result.original)}
    html, page = report(tmp_path, [(seed.name, result)], stats)
    assert card(page, "edits applied") == str(len(result.edits))
    assert card(page, "suggestions not applied") == str(len(result.suggestions))
    titles = " ".join(m["title"] for m in page.marks())
    for edit in result.edits:
        assert edit.key in titles
    assert len(page.marks()) <= len(result.edits)
    if result.edits or result.suggestions:
        docs = [c for c in page.closed if c[0] == "section" and "doc" in c[1].get("class", "").split()]
        assert len(docs) == 1
    assert [t for t, _ in page.elements].count("script") == 1


def test_long_documents_are_cut_and_counted(tmp_path: Path) -> None:
    word = "Kiev is far. "
    original = word * 1000
    edits = [
        Edit(i * len(word), i * len(word) + 4, "Kyiv", "entities", "variant", 0.97, "", "Kiev", i * len(word), -1)
        for i in range(1000)
    ]
    result = Result(original, original.replace("Kiev", "Kyiv"), edits)
    collector = ReviewCollector(max_document_chars=130, max_total_chars=300)
    for i in range(4):
        collector.add(f"long-{i}", result)
    assert len(collector.docs) == 3 and collector.docs_left_out == 1
    doc = collector.docs[0]
    shown = [seg for seg in doc.segments if seg["kind"] == "edit"]
    assert len(shown) == 10 and doc.truncated_marks == 990
    assert doc.truncated_chars == len(original) - 130
    html = collector.render({})
    assert f"{len(original) - 130:,} more characters and 990 more edits and suggestions not shown" in html
    assert "1 more documents with edits not shown" in html
    assert collector.edits == 4000


def test_examples_show_the_variety_of_a_rule() -> None:
    collector = ReviewCollector(max_examples_per_rule=5)
    kiev = Edit(0, 4, "Kyiv", "entities", "variant", 0.97, "", "Kiev")
    for i in range(10):
        collector.add(f"same-{i}", Result("Kiev.", "Kyiv.", [kiev]))
    odessa = Edit(0, 6, "Odesa", "entities", "variant", 0.97, "", "Odessa")
    collector.add("other", Result("Odessa.", "Odesa.", [odessa]))
    shown = [(x.before, x.document) for x in collector.examples["entities.variant"]]
    assert shown == [("Kiev", "same-0"), ("Kiev", "same-1"), ("Kiev", "same-2"), ("Odessa", "other")]
    assert collector.by_rule["entities.variant"] == 11


def test_errors_and_stage_failures_are_reported(tmp_path: Path) -> None:
    collector = ReviewCollector(max_errors=2)
    for i in range(5):
        collector.add_error(f"bad-{i}.txt", "UnicodeDecodeError: <b>boom</b>")
    collector.add("half.txt", Result("abc", "abc", errors=["spelling: KeyError: 'x'"]))
    html = collector.write(tmp_path / "r.html", {"documents": 6, "errors": 5}).read_text()
    page = Page(html)
    rows = [c for c in page.closed if c[0] == "tr" and "bad-" in c[2]]
    assert len(rows) == 2
    assert "4 more errors not listed" in html
    assert "&lt;b&gt;boom&lt;/b&gt;" in html
    assert collector.stage_failures == 1 and collector.errors_total == 6


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "review.html"
    target.write_text("previous report")
    collector = ReviewCollector()
    collector.add("doc", synthetic())

    def broken(*_args: object) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setattr(collector, "render", broken)
    with pytest.raises(RuntimeError):
        collector.write(target, STATS)
    assert target.read_text() == "previous report"
    monkeypatch.undo()
    collector.write(target, STATS)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html"]


def test_100k_documents_are_fast_and_the_report_stays_small(tmp_path: Path) -> None:
    original, text = "Kiev is far.", "Kyiv is far."
    edit = Edit(0, 4, "Kyiv", "entities", "variant", 0.97, "Kiev -> Kyiv", "Kiev", 0, 4)
    quiet = Result("Nothing to do.", "Nothing to do.")
    collector = ReviewCollector(max_documents=200, max_examples_per_rule=20)
    t0 = time.perf_counter()
    for i in range(100_000):
        collector.add(f"doc-{i}", Result(original, text, [edit]) if i % 2 else quiet)
    added = time.perf_counter() - t0
    path = collector.write(tmp_path / "big.html", {"documents": 100_000, "edits": 50_000, "seconds": 10, "bytes": 1})
    elapsed = time.perf_counter() - t0
    size = path.stat().st_size
    assert added < 5.0, f"adding 100k results took {added:.1f}s"
    assert elapsed < 8.0
    assert size < 1_000_000, f"report is {size} bytes"
    html = path.read_text()
    page = Page(html)
    assert len([c for c in page.closed if c[0] == "section" and "doc" in c[1].get("class", "").split()]) == 200
    assert "49,800 more documents with edits not shown" in html
    assert "49,997 more edits by this rule not shown" in html
    assert "50,000 documents without edits" in html
    repair_rows = [c for c in page.closed if c[0] == "tr" and c[1].get("data-k") and "Kiev" in c[2]]
    assert repair_rows and repair_rows[0][2].strip().startswith("50,000")


# -- in a real browser -------------------------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


CHROMIUM = _chromium()


def _run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    from cdp_support import FLAGS  # the same headless flags as the page-driving test, without its pipe

    flags = [f for f in FLAGS if f != "--remote-debugging-pipe"]
    flags += ["--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium) for the browser test")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    result = synthetic()
    # Hostile text that would mark the page if it ever ran.
    result = Result(
        result.original + f'<script>{PWN}</script><img src=x onerror="{PWN}">',
        result.text,
        result.edits,
        result.suggestions,
    )
    results = [('<img src=x onerror="' + PWN + '">', result)]
    results += [(seed.name, cleaned_seed(seed)) for seed in SEEDS]
    _, page = report(tmp_path, results)
    url = (tmp_path / "review.html").as_uri()
    dom = _run_chromium(tmp_path / "profile-dom", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-review-ready="1"' in dom.stdout, "the inline script did not finish"
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert not [line for line in console if "Uncaught" in line or "Error" in line], console
    body = re.search(r"<body[^>]*>", dom.stdout).group(0)
    assert "data-pwned" not in body, "hostile text ran as script"
    docs = len([c for c in page.closed if c[0] == "section" and "doc" in c[1].get("class", "").split()])
    shown = f'id="f-count">{len(page.marks())} edits in {docs} documents shown<'
    assert shown in dom.stdout, "the filter script did not count the edits"
    # Filters, set from the address: only edits of one rule with confidence >= 0.96.
    wanted = [m for m in page.marks() if "entities.variant" in m["title"] and float(m["data-c"]) >= 0.96]
    assert wanted
    filtered = _run_chromium(tmp_path / "profile-filter", "--dump-dom", url + "?rule=entities.variant&min=0.96")
    assert f'id="f-count">{len(wanted)} edits in ' in filtered.stdout
    still_on = [m for m in Page(filtered.stdout).marks() if "off" not in m["class"].split()]
    assert [m["id"] for m in still_on] == [m["id"] for m in wanted]
    png = tmp_path / "review.png"
    shot = _run_chromium(tmp_path / "profile-shot", f"--screenshot={png}", "--window-size=1280,2000", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000, "screenshot looks blank"


# -- decisions, clicked in a real browser ------------------------------------------------------------


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium) for the browser test")
def test_decisions_clicked_exported_and_reapplied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review a run, decide in the page with the mouse, export, re-run with --decisions: the decisions hold."""
    from cdp_support import Browser
    from typer.testing import CliRunner

    from cleaner.cli.app import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The Kiev Post reported that teh regon number was wrong.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("A regon is a number. In Kiev, teh office opened.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    base = ["--no-config", "corpus", "--min-confidence", "0.98", "-q"]  # so that some edits are suggestions

    def run(*args: str) -> dict[str, str]:
        out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
        r = CliRunner().invoke(app, [*base, "-o", str(out), *args], catch_exceptions=False)
        assert r.exit_code == 0, r.stderr
        return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}

    first = run("--review", "run.html")
    assert first == {"a.txt": "The Kiev Post reported that the region number was wrong.\n",
                     "b.txt": "A region is a number. In Kiev, teh office opened.\n"}

    def at(doc: str, before: str, cls: str = "m") -> str:
        return f"section.doc .{cls}[data-d*='\"document\": \"corpus/{doc}\"'][data-d*='\"before\": \"{before}\"']"

    here = "#decide button[data-scope='occurrence']"
    everywhere = "#decide button[data-scope='everywhere']"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with Browser(CHROMIUM, tmp_path / "profile") as browser:
        browser.open((tmp_path / "run.html").as_uri(), downloads)
        assert browser.eval("document.getElementById('dec-count').textContent") == "0"
        # never make regon -> region (the table of repairs decides everywhere)
        browser.click("#repair-table tr[data-d*='\"before\": \"regon\"'] button[data-act='reject']")
        # not this teh -> the; this Kiev -> Kyiv suggestion yes; the teh -> the suggestion everywhere else yes
        browser.click(at("a.txt", "teh"))
        assert browser.eval("!document.getElementById('decide').hidden")
        browser.click(here + "[data-act='reject']")
        browser.click(at("a.txt", "Kiev", "sg"))
        browser.click(here + "[data-act='accept']")
        browser.click(at("b.txt", "teh", "sg"))
        browser.click(everywhere + "[data-act='accept']")
        browser.click("h1")  # elsewhere: closes the panel
        assert browser.eval("document.getElementById('decide').hidden")
        states = browser.eval("[...document.querySelectorAll('section.doc .m, section.doc .sg')]"
                              ".map(e => e.textContent + ':' + (e.classList.contains('rej') ? 'rej' : "
                              "e.classList.contains('acc') ? 'acc' : ''))")
        assert states == ["KievKyiv?:acc", "tehthe:rej", "regonregion:rej", "regonregion:rej", "KievKyiv?:",
                          "tehthe?:acc"]
        assert browser.eval("document.getElementById('dec-count').textContent") == "4"
        assert len(browser.eval("[...document.querySelectorAll('#dec-list li')].map(li => li.textContent)")) == 4
        browser.reload()  # kept in the browser
        assert browser.eval("document.getElementById('dec-count').textContent") == "4"
        browser.click("#dec-export")
        browser.wait_event("Browser.downloadProgress", state="completed")
    exported = downloads / "decisions.json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "cleaner-decisions" and data["version"] == 1
    got = sorted((d["action"], d["scope"], d["rule"], d["before"], d["after"], d.get("document", ""))
                 for d in data["decisions"])
    assert got == [
        ("accept", "everywhere", "spelling.typo", "teh", "the", ""),
        ("accept", "occurrence", "entities.variant", "Kiev", "Kyiv", "corpus/a.txt"),
        ("reject", "everywhere", "spelling.typo", "regon", "region", ""),
        ("reject", "occurrence", "spelling.typo", "teh", "the", "corpus/a.txt"),
    ]
    kiev = next(d for d in data["decisions"] if d["before"] == "Kiev")
    assert (kiev["left"], kiev["start"], kiev["end"]) == ("The ", 4, 8)

    second = run("--decisions", str(exported), "--review", "again.html")
    assert second == {"a.txt": "The Kyiv Post reported that teh regon number was wrong.\n",
                      "b.txt": "A regon is a number. In Kiev, the office opened.\n"}
    page = Page((tmp_path / "again.html").read_text(encoding="utf-8"))
    assert card(page, "edits not made") == "3"  # regon twice, teh once
    with Browser(CHROMIUM, tmp_path / "profile-2") as browser:  # a new browser starts from the run's file
        browser.open((tmp_path / "again.html").as_uri())
        assert browser.eval("document.getElementById('dec-count').textContent") == "4"
        # Import merges a colleague's file (same decisions are not doubled)
        theirs = tmp_path / "theirs.json"
        extra = {"action": "reject", "rule": "entities.variant", "before": "Kiev", "after": "Kyiv",
                 "scope": "everywhere"}
        theirs.write_text(json.dumps({"decisions": [*data["decisions"][:1], extra]}), encoding="utf-8")
        browser.set_files("#dec-file", theirs)
        deadline = time.monotonic() + 10
        while browser.eval("document.getElementById('dec-count').textContent") != "5" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert browser.eval("document.getElementById('dec-count').textContent") == "5"
        (tmp_path / "junk.json").write_text("not json", encoding="utf-8")
        browser.set_files("#dec-file", tmp_path / "junk.json")
        deadline = time.monotonic() + 10
        while not browser.eval("document.getElementById('dec-msg').textContent") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert browser.eval("document.getElementById('dec-msg').textContent").startswith("not a decisions file")
        assert browser.eval("document.getElementById('dec-count').textContent") == "5"


def test_marks_carry_what_a_decision_needs(tmp_path: Path) -> None:
    result = synthetic()
    html, page = report(tmp_path, [('doc "1" <x> \'y\'', result)])
    for edit, mark in zip(result.edits, page.marks(), strict=True):
        (d,) = json.loads(mark["data-d"])
        assert (d["rule"], d["before"], d["after"], d["start"], d["end"]) == (
            edit.key, edit.before, edit.replacement, edit.start, edit.end)
        assert d["document"] == 'doc "1" <x> \'y\''
        assert d["left"] == result.original[max(0, edit.start - 40) : edit.start]
        assert d["right"] == result.original[edit.end : edit.end + 40]
    (sg,) = [a for tag, a, _, _ in page.by_class("sg") if tag == "span"]
    assert json.loads(sg["data-d"])[0]["after"] == "<script>say</script>"
    assert "<script>say" not in html  # JSON in attributes is escaped like any other text
    rows = [a for tag, a, _, _ in page.closed if tag == "tr" and "data-d" in a]
    assert {json.loads(r["data-d"])["rule"] for r in rows} == {e.key for e in result.edits}


def test_the_runs_decisions_and_edits_not_made_are_on_the_page(tmp_path: Path) -> None:
    from cleaner.core.decisions import Decision, save

    decisions = [Decision("reject", "review_test_variant.variant", "Kiev", "Kyiv")]
    file = save(tmp_path / "d.json", decisions)
    result = Cleaner(Config(stages=("review_test_variant",), decisions=(str(file),))).clean("Kiev said.")
    assert result.text == "Kiev said." and len(result.rejected) == 1
    collector = ReviewCollector(decision_files=(str(file),))
    collector.add("doc", result)
    html = collector.write(tmp_path / "review.html").read_text(encoding="utf-8")
    page = Page(html)
    assert card(page, "edits not made") == "1"
    (box,) = [a for t, a in page.elements if a.get("id") == "decisions-in"]
    assert json.loads(box["data-d"]) == [d.to_dict() for d in decisions]
    (table,) = [c for c in page.closed if c[1].get("id") == "rejected-table"]
    assert "review_test_variant.variant" in table[2] and "rejected in review" in table[2]
