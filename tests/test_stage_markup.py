"""The markup stage on its own: what it removes, what it decodes, and what it must leave alone."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.stages.markup import paragraph_separator

MARKUP = Cleaner(stages=("markup",))


def clean(text: str) -> str:
    return MARKUP.clean(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("south.< /p>\nNext", "south.\nNext"),
        ("end.</ p>\n\nNext", "end.\n\nNext"),
        ("One.</p><p>Two.\n\nThree.", "One.\n\nTwo.\n\nThree."),
        ("One.</p> <p>Two.", "One.\nTwo."),
        ("line<br >next", "line\nnext"),
        ("line<BR/>next\r\nmore", "line\r\nnext\r\nmore"),
        ('A <b>bold</b> and <span class="x">styled</span> word.', "A bold and styled word."),
        ('a <img src="x.png" alt="y"> b', "a b"),
        ("An <!-- note --> aside.", "An aside."),
        ("&lt;p&gt;escaped&lt;/p&gt;", "escaped"),
    ],
)
def test_tags(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("double &amp;amp; escaped", "double & escaped"),
        ("said&nbsp;hello", "said hello"),
        ("it&#8217;s caf&#233; &#xE9;t&eacute;", "it’s café été"),
        ("&amp;#8217;s", "’s"),
        ("&#38;amp;", "&"),
    ],
)
def test_entities(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "if a < b and c > d",
        "x<3 and y>2",
        "Write to <email@example.com>.",
        "a -> b, << and >>",
        "<Kursk> is not a tag",
        "a <b and c> d",
        "AT&T and R&D; &unknown; &T;",
        "https://example.com/?a=1&b=2",
        "&#0; &#xD800;",
    ],
)
def test_leaves_non_markup_alone(text: str) -> None:
    assert clean(text) == text


def test_edits_are_named_and_located() -> None:
    result = MARKUP.clean("a &amp; b< /p>\n")
    assert [(e.rule, e.before, e.replacement) for e in result.edits] == [
        ("entity", "&amp;", "&"),
        ("block-tag", "< /p>", ""),
    ]
    assert all(e.stage == "markup" and e.confidence >= 0.9 and e.note for e in result.edits)


def test_paragraph_separator() -> None:
    assert paragraph_separator("a\n\nb") == "\n\n"
    assert paragraph_separator("a\nb") == "\n"
    assert paragraph_separator("a\r\n\r\nb") == "\r\n\r\n"


def test_idempotent_when_removal_uncovers_markup() -> None:
    once = clean("<<b>p>text &#38;amp;lt;")
    assert clean(once) == once


def test_spaced_out_tag_text_is_left_alone() -> None:
    # "< i >" and "< / i >" in machine-translated text are not clearly tags (spaces on both sides).
    assert clean("< i > quoted < / i >") == "< i > quoted < / i >"
