"""A small client for LanguageTool's HTTP API (``POST /v2/check``), standard library only.

Why not language-tool-python: its wrapper is GPL-3.0, so the default install must not need it. It is
used only, when installed (the ``.[grammar]`` extra), to start a local server; requests still go
through this client.

LanguageTool counts offsets in UTF-16 code units (Java strings); :class:`Utf16Offsets` converts them to
Python ``str`` offsets. Long documents are split at paragraph boundaries (:func:`split_chunks`) and the
chunks are checked concurrently (:func:`check_document`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from http.client import HTTPMessage

log = logging.getLogger(__name__)

ENV_URL = "CLEANER_LANGUAGETOOL_URL"


class LanguageToolError(RuntimeError):
    """A request failed; ``kind`` is ``timeout``, ``http`` (an error status, or a redirect: never followed),
    ``connection`` or ``bad_response``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


@dataclass(frozen=True, slots=True)
class Match:
    """One LanguageTool match with ``start``/``end`` already in Python ``str`` offsets of the document."""

    start: int
    end: int
    rule_id: str
    category_id: str
    category_name: str
    issue_type: str
    message: str
    replacements: tuple[str, ...] = field(default_factory=tuple)


class Utf16Offsets:
    """Convert UTF-16 code-unit offsets to ``str`` offsets: every astral character (above U+FFFF) is two
    units in UTF-16 and one in Python."""

    def __init__(self, text: str) -> None:
        # UTF-16 offset just after each astral character, in order
        self._after: list[int] = []
        units = 0
        for ch in text:
            units += 2 if ord(ch) > 0xFFFF else 1
            if ord(ch) > 0xFFFF:
                self._after.append(units)
        self.length = units

    def to_str(self, units: int) -> int:
        """``str`` offset of UTF-16 offset ``units`` (an offset inside a surrogate pair rounds down)."""
        if not self._after:
            return units
        n = bisect_right(self._after, units)  # astral characters wholly before ``units``
        inside = n < len(self._after) and units == self._after[n] - 1
        return units - n - (1 if inside else 0)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what LanguageTool's size limit counts)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_LINE_BREAK = re.compile(r"\n")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def split_chunks(text: str, max_units: int) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, chunk)`` pieces of at most ``max_units`` UTF-16 units, cutting at
    paragraph breaks, then line breaks, then sentence ends, then spaces (a hard cut only as a last resort).
    Neighbouring small paragraphs are packed into one chunk so short documents make one request."""
    if utf16_len(text) <= max_units:
        return [(0, text)] if text else []
    pieces = _split_to_fit(text, 0, max_units, (_PARAGRAPH_BREAK, _LINE_BREAK, _SENTENCE_BREAK, _SPACE))
    chunks: list[tuple[int, str]] = []
    start = end = pieces[0][0]
    size = 0
    for off, piece in pieces:
        n = utf16_len(piece)
        if size and size + n > max_units:
            chunks.append((start, text[start:end]))
            start, size = off, 0
        end = off + len(piece)
        size += n
    chunks.append((start, text[start:end]))
    return chunks


def _split_to_fit(text: str, base: int, max_units: int, seps: tuple[re.Pattern, ...]) -> list[tuple[int, str]]:
    """Cut ``text`` after each separator match; recurse with finer separators on pieces still too long."""
    if utf16_len(text) <= max_units:
        return [(base, text)]
    if not seps:  # no break point left: hard cut (never splits a surrogate pair: str indices are code points)
        step = max(1, max_units // 2)
        return [(base + i, text[i : i + step]) for i in range(0, len(text), step)]
    cuts = [m.end() for m in seps[0].finditer(text) if 0 < m.end() < len(text)]
    bounds = [0, *cuts, len(text)]
    out: list[tuple[int, str]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        out += _split_to_fit(text[a:b], base + a, max_units, seps[1:])
    return out


def normalise_url(url: str) -> str:
    """Accept ``http://host:8081``, ``.../v2`` or ``.../v2/check``; return the ``.../v2`` base."""
    url = url.strip().rstrip("/")
    if url.endswith("/check"):
        url = url[: -len("/check")]
    if not url.endswith("/v2"):
        url += "/v2"
    return url


def configured_url(config_url: str | None) -> str | None:
    """The server URL from the config, else from ``CLEANER_LANGUAGETOOL_URL``; None when neither is set."""
    url = config_url or os.environ.get(ENV_URL) or None
    return normalise_url(url) if url else None


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it would send the text to a server nobody configured (urllib
    follows 3xx answers by default, and a POST turned into a GET can still leak the URL's query)."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,  # urllib's signature
                         headers: HTTPMessage, newurl: str) -> NoReturn:
        raise LanguageToolError("http", f"HTTP {code} from {req.full_url}: redirect to {newurl} refused")


#: urlopen without redirects (proxies from the environment are honoured as urlopen does).
_OPENER = urllib.request.build_opener(_RefuseRedirects)


class LanguageToolClient:
    """POSTs text to ``/v2/check`` and returns the parsed JSON. Thread-safe (no shared mutable state)."""

    def __init__(
        self,
        base_url: str,
        language: str = "en-US",
        timeout: float = 20.0,
        disabled_categories: tuple[str, ...] = (),
        disabled_rules: tuple[str, ...] = (),
        level: str = "default",
    ) -> None:
        self.base_url = normalise_url(base_url)
        self.language = language
        self.timeout = timeout
        self.disabled_categories = tuple(disabled_categories)
        self.disabled_rules = tuple(disabled_rules)
        self.level = level

    def check(self, text: str) -> dict:
        """The raw ``/v2/check`` response for ``text``; raises :class:`LanguageToolError`."""
        form = {"text": text, "language": self.language, "level": self.level}
        if self.disabled_categories:
            form["disabledCategories"] = ",".join(self.disabled_categories)
        if self.disabled_rules:
            form["disabledRules"] = ",".join(self.disabled_rules)
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            self.base_url + "/check",
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise LanguageToolError("http", f"HTTP {exc.code} from {self.base_url}") from None
        except TimeoutError:
            raise LanguageToolError("timeout", f"no answer from {self.base_url} in {self.timeout}s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise LanguageToolError("timeout", f"no answer from {self.base_url} in {self.timeout}s") from None
            raise LanguageToolError("connection", f"{self.base_url}: {exc.reason}") from None
        except OSError as exc:
            raise LanguageToolError("connection", f"{self.base_url}: {exc}") from None
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LanguageToolError("bad_response", f"{self.base_url}: not JSON: {exc}") from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("matches"), list):
            raise LanguageToolError("bad_response", f"{self.base_url}: no 'matches' list in the answer")
        return parsed


def parse_matches(response: dict, text: str, base: int = 0) -> list[Match]:
    """Turn a ``/v2/check`` response for ``text`` into :class:`Match` objects at ``base + str offset``.
    Malformed matches (missing fields, out of range) are skipped."""
    conv = Utf16Offsets(text)
    out: list[Match] = []
    for m in response.get("matches", []):
        try:
            u0 = int(m["offset"])
            u1 = u0 + int(m["length"])
            rule = m.get("rule") or {}
            category = rule.get("category") or {}
            replacements = tuple(str(r["value"]) for r in m.get("replacements") or [] if "value" in r)
        except (KeyError, TypeError, ValueError):
            continue
        if not 0 <= u0 <= u1 <= conv.length:
            continue
        out.append(
            Match(
                start=base + conv.to_str(u0),
                end=base + conv.to_str(u1),
                rule_id=str(rule.get("id", "")),
                category_id=str(category.get("id", "")),
                category_name=str(category.get("name", category.get("id", ""))),
                issue_type=str(rule.get("issueType", "")),
                message=str(m.get("message", "")),
                replacements=replacements,
            )
        )
    return out


def check_document(
    client: LanguageToolClient, text: str, max_units: int = 20000, max_workers: int = 4
) -> tuple[list[Match], int]:
    """Check ``text`` in paragraph chunks, up to ``max_workers`` requests at a time. Returns the matches
    (document offsets, in order) and the number of requests made. Any failed request raises
    :class:`LanguageToolError`, so the caller can leave the whole text unchanged."""
    chunks = [(off, chunk) for off, chunk in split_chunks(text, max_units) if chunk.strip()]
    if not chunks:
        return [], 0
    if len(chunks) == 1 or max_workers <= 1:
        results = [client.check(chunk) for _, chunk in chunks]
    else:
        with ThreadPoolExecutor(max_workers=min(max_workers, len(chunks))) as pool:
            results = list(pool.map(lambda c: client.check(c[1]), chunks))
    matches: list[Match] = []
    for (off, chunk), response in zip(chunks, results, strict=True):
        matches += parse_matches(response, chunk, off)
    matches.sort(key=lambda m: (m.start, m.end))
    return matches, len(chunks)


_local_lock = threading.Lock()
_local_tools: dict[str, object] = {}


def local_server_url(language: str = "en-US") -> str | None:
    """The URL of a local LanguageTool that language-tool-python starts (once per process), or None when
    that package is not installed. Raises :class:`LanguageToolError` when it is installed but cannot start
    (e.g. no Java, or LanguageTool not downloaded and no network)."""
    try:
        import language_tool_python  # type: ignore[import-not-found]  # optional, GPL-3.0
    except ImportError:
        return None
    with _local_lock:
        tool = _local_tools.get(language)
        if tool is None:
            try:
                tool = language_tool_python.LanguageTool(language)
            except Exception as exc:  # its own error types vary between versions
                message = f"language-tool-python could not start LanguageTool: {exc}"
                raise LanguageToolError("connection", message) from None
            _local_tools[language] = tool
    url = getattr(tool, "url", None) or getattr(tool, "_url", None)
    return normalise_url(str(url)) if url else None
