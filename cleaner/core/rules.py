"""The catalogue of stages and their rules: the one place ``--help``, ``--select``/``--ignore`` and
``--statistics`` read names and one-line descriptions from.

The stage modules are the truth for rule names (each :class:`~cleaner.core.edits.Edit` carries its ``rule``);
this table describes them. ``tests/test_cli_ux.py`` cleans the fixtures and fails if a stage emits a rule
that is not listed here, so a new rule must be added to :data:`STAGES`: one ``"name": "description"`` line.

Two stages have rules that are data rather than code: ``phrases`` (the ``[[rule]]`` tables of
``dictionaries/phrases.toml``, read here without compiling them) and ``grammar`` (LanguageTool rule ids,
unknown until a server answers: an *open* stage, whose rule names are not checked).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache

from .resources import path


@dataclass(frozen=True)
class StageInfo:
    """One stage: what it repairs, its rules (name -> one-line description), whether the list is closed."""

    summary: str
    rules: dict[str, str] = field(default_factory=dict)
    #: the rule names are not known in advance (LanguageTool ids): any ``stage.RULE`` is accepted
    open: bool = False
    #: where the rules come from when they are data (read by :func:`stage_rules`)
    rules_from: str = ""


#: Stage -> description and rules, in pipeline order. Extend here when a stage gains a rule.
STAGES: dict[str, StageInfo] = {
    "markup": StageInfo("HTML tags and entities left in the text", {
        "block-tag": "a block tag (<p>, <br>, <div>) becomes a paragraph or line break",
        "inline-tag": "an inline tag (<b>, <span>, <img>) is removed",
        "entity": "an HTML entity is decoded (&amp; -> &)",
        "double-escaped-entity": "a twice-escaped entity is decoded (&amp;amp; -> &)",
    }),
    "unicode": StageInfo("mojibake and Unicode damage, line by line (ftfy)", {
        "mojibake": "text decoded with the wrong encoding is repaired (Ã© -> é)",
        "decode_inconsistent_utf8": "UTF-8 mojibake inside otherwise correct text is repaired",
        "fix_c1_controls": "C1 control characters are read as Windows-1252",
        "fix_latin_ligatures": "a Latin ligature becomes its letters (ﬁ -> fi)",
        "fix_character_width": "fullwidth or halfwidth forms become normal width",
        "uncurl_quotes": "typographic quotes become ASCII (only with --quotes ascii)",
        "fix_surrogates": "surrogate pairs become the character they encode",
        "remove_terminal_escapes": "terminal colour codes are removed",
        "remove_control_chars": "invisible control characters are removed",
        "NFC": "Unicode normalisation to composed characters (NFC)",
        "ftfy": "another ftfy repair",
    }),
    "spacing": StageInfo("whitespace damage around hyphens and punctuation", {
        "hyphen-space-before": "a space before a hyphen goes (cross -border -> cross-border)",
        "hyphen-space-after": "a space after a hyphen goes (pro- Russian -> pro-Russian)",
        "space-before-punct": "a space before a comma or full stop goes (word , -> word,)",
        "space-before-mark": "a space before ? ! : goes (why ? -> why?), unless the text spaces them as its style",
        "sentence-space": "a lost space after a full stop is put back (city.The -> city. The)",
        "collapse-spaces": "a run of three or more spaces between words becomes one",
        "trailing-space": "spaces and tabs at the end of a line go",
    }),
    "scripts": StageInfo("words mixing Cyrillic and Latin letters, Cyrillic words in English text", {
        "mixed-script": "the Cyrillic part of a half-Cyrillic word romanised",
        "cyrillic-word": "an untranslated Cyrillic word: a transliteration suggested, never applied",
    }),
    "entities": StageInfo("names of people and places checked against the gazetteers", {
        "variant": "a name in a spelling the house style rewrites (Kiev -> Kyiv; see --style)",
        "lookalike": "Cyrillic/Greek look-alike letters inside a Latin word put back to Latin",
        "transliteration": "a Cyrillic name inside Latin text romanised to the gazetteer's name",
        "garble": "a garbled name repaired to a name the document or gazetteer knows",
    }),
    "phrases": StageInfo("word choices machine translation gets wrong, in context", rules_from="phrases.toml"),
    "spelling": StageInfo("typos and words run together", {
        "typo": "a misspelt word corrected (teh -> the)",
        "split": "two words run together split (inthe -> in the)",
        "repeated-word": "a word typed twice goes (at at -> at; never had had, that that)",
    }),
    "grammar": StageInfo("LanguageTool grammar rules (off by default; needs a server, see --grammar)",
                         open=True),
}

#: Descriptions longer than this are cut (``--help`` and ``--statistics`` show one line per rule).
DESCRIPTION_WIDTH = 66


def _one_line(text: str, width: int = DESCRIPTION_WIDTH, clause: bool = False) -> str:
    """``text`` on one line, cut to ``width`` characters; with ``clause``, only up to ``;`` or a full stop."""
    text = " ".join(text.split())
    if clause:
        text = re.split(r";\s|\.(?:\s|$)", text, maxsplit=1)[0]
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@cache
def _data_rules(file: str) -> dict[str, str]:
    """``name -> reason`` of the ``[[rule]]`` tables of a rules file (not compiled: the stage does that)."""
    try:
        with open(file, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {str(r.get("name") or f"rule{i}"): _one_line(str(r.get("reason", ""))) for i, r in
            enumerate(data.get("rule", []))}


def stage_rules(stage: str, options: object = None) -> dict[str, str]:
    """Rule name -> description for ``stage`` (empty for a stage not in the table); ``options`` are the
    stage's options (:meth:`cleaner.Config.stage_options`), whose ``rules`` may point a data-driven stage
    at another rules file (``phrases.rules``)."""
    info = STAGES.get(stage)
    if info is None:
        return {}
    if info.rules_from:
        file = getattr(options, "rules", None) or str(path(info.rules_from))
        return {**info.rules, **_data_rules(str(file))}
    return dict(info.rules)


def is_open(stage: str) -> bool:
    """Are ``stage``'s rule names unknown in advance (any name accepted)? Stages outside the table are."""
    info = STAGES.get(stage)
    return info is None or info.open


def describe(key: str) -> str:
    """The description of ``stage.rule`` (empty when unknown)."""
    stage, _, rule = key.partition(".")
    return stage_rules(stage).get(rule, "")


@cache
def styles() -> dict[str, str]:
    """House styles (``dictionaries/style.tsv``): name -> description taken from the file's comments. Empty when
    the bundled data is missing: ``--help`` still works, and the run's up-front check reports the missing data."""
    names: list[str] = []
    notes: dict[str, list[str]] = {}
    current = None
    try:
        lines = path("style.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        return {}
    for line in lines:
        if line.startswith("#"):
            m = re.match(r"#\s?(\S+):\s+(.*)", line)
            if m and not m.group(1).startswith(("Columns", "style")):
                current = m.group(1)
                notes[current] = [m.group(2)]
            elif current and re.match(r"#\s{3,}\S", line):
                notes[current].append(line[1:].strip())
            else:
                current = None
        elif line.strip():
            current = None
            names.append(line.split("\t", 1)[0])
    return {n: _one_line(" ".join(notes.get(n, [])), clause=True) for n in dict.fromkeys(names)}


#: Choices of options that are not stages, shown in ``--help`` (``--style`` is filled from style.tsv).
QUOTES = {"keep": "typographic quotes stay as they are (default)", "ascii": "typographic quotes become ASCII"}


def help_text() -> str:
    """The stage, rule and choice listing at the end of ``clean --help`` (plain text, click's ``\\b``
    marks paragraphs it must not re-wrap)."""
    from .config import DEFAULT_STAGES

    lines = ["\b", "Stages and rules (select with --select/--ignore STAGE or STAGE.RULE; * = off by default):"]
    width = max(len(r) for s in STAGES for r in stage_rules(s))
    for stage, info in STAGES.items():
        star = "" if stage in DEFAULT_STAGES else " *"
        lines.append(f"  {stage}{star}: {info.summary}")
        rules = stage_rules(stage)
        for rule, text in rules.items():
            lines.append(f"    {rule.ljust(width)}  {text}")
        if info.open:
            lines.append("    (rule names are LanguageTool rule ids)")
    lines += ["", "\b", "Choices:", "  --quotes:"]
    lines += [f"    {k.ljust(width)}  {v}" for k, v in QUOTES.items()]
    lines.append("  --style (names: which romanisation wins; dictionaries/style.tsv):")
    lines += [f"    {s.ljust(width)}  {text}" for s, text in styles().items()]
    return "\n".join(lines)
