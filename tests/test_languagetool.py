"""The LanguageTool client's pure parts: UTF-16 offsets, chunking, URLs, parsing /v2/check JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.language.languagetool import (
    Utf16Offsets,
    configured_url,
    normalise_url,
    parse_matches,
    split_chunks,
    utf16_len,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languagetool"


def load(name: str) -> tuple[str, dict]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data["request"]["text"], data["response"]


def test_utf16_offsets_identity_without_astral_characters():
    conv = Utf16Offsets("Kyiv – “quoted” é")
    assert [conv.to_str(i) for i in range(5)] == [0, 1, 2, 3, 4]


def test_utf16_offsets_after_emoji_flag_and_math_letters():
    text = "😀a🇺🇦b𝐁c"
    conv = Utf16Offsets(text)
    assert conv.length == len(text.encode("utf-16-le")) // 2 == 11
    # 😀 is units 0-1, a=2, 🇺🇦 = 3-6, b=7, 𝐁 = 8-9, c=10
    assert text[conv.to_str(2)] == "a"
    assert text[conv.to_str(7)] == "b"
    assert text[conv.to_str(10)] == "c"
    assert conv.to_str(11) == len(text)
    assert conv.to_str(1) == 0  # inside a surrogate pair: rounds down to the character


def test_parse_matches_converts_offsets_of_astral_fixture():
    text, response = load("astral")
    matches = parse_matches(response, text)
    assert [text[m.start : m.end] for m in matches] == ["a honest", "went", "the the"]
    assert matches[0].rule_id == "EN_A_VS_AN"
    assert matches[1].category_id == "GRAMMAR"
    assert matches[1].replacements == ("gone",)
    # the raw offsets really are UTF-16 ones (they would be wrong as str offsets)
    assert response["matches"][1]["offset"] != text.index("went")


def test_parse_matches_adds_base_and_skips_malformed():
    text = "He go home."
    response = {
        "matches": [
            {
                "offset": 3,
                "length": 2,
                "replacements": [{"value": "goes"}],
                "message": "m",
                "rule": {"id": "R", "issueType": "grammar", "category": {"id": "GRAMMAR", "name": "Grammar"}},
            },
            {"offset": 99, "length": 2, "replacements": [], "rule": {"id": "OUT"}},
            {"length": 2, "rule": {"id": "NO_OFFSET"}},
        ]
    }
    matches = parse_matches(response, text, base=100)
    assert [(m.start, m.end, m.rule_id) for m in matches] == [(103, 105, "R")]


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8081", "http://localhost:8081/", "http://localhost:8081/v2", "http://localhost:8081/v2/check"],
)
def test_normalise_url(url):
    assert normalise_url(url) == "http://localhost:8081/v2"


def test_configured_url_prefers_config_then_env(monkeypatch):
    monkeypatch.setenv("CLEANER_LANGUAGETOOL_URL", "http://env:1")
    assert configured_url("http://cfg:2") == "http://cfg:2/v2"
    assert configured_url(None) == "http://env:1/v2"
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL")
    assert configured_url(None) is None


def test_split_chunks_short_text_is_one_chunk():
    assert split_chunks("One. Two.\n\nThree.", 100) == [(0, "One. Two.\n\nThree.")]
    assert split_chunks("", 100) == []


def test_split_chunks_cuts_at_paragraphs_and_covers_text():
    paragraphs = [f"Paragraph {i} says something. " * 3 for i in range(20)]
    text = "\n\n".join(paragraphs)
    chunks = split_chunks(text, 300)
    assert len(chunks) > 1
    assert "".join(c for _, c in chunks) == text
    for off, chunk in chunks:
        assert text[off : off + len(chunk)] == chunk
        assert utf16_len(chunk) <= 300
    # every cut but a hard one falls right after a paragraph break
    assert all(text[off - 2 : off] == "\n\n" for off, _ in chunks[1:])


def test_split_chunks_long_paragraph_falls_back_to_sentences_then_hard_cut():
    text = "Short sentence here. " * 50 + "x" * 500
    chunks = split_chunks(text, 120)
    assert "".join(c for _, c in chunks) == text
    assert all(utf16_len(c) <= 120 for _, c in chunks)


def test_split_chunks_counts_utf16_units():
    text = "😀" * 60 + "\n\n" + "😀" * 60  # 120 units per paragraph, 60 characters
    chunks = split_chunks(text, 130)
    assert len(chunks) == 2
    assert all(utf16_len(c) <= 130 for _, c in chunks)
