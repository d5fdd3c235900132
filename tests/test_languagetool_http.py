"""The HTTP path: the grammar stage against a stand-in LanguageTool on 127.0.0.1 (scripts/grammar_standin.py),
failures (timeout, HTTP 500, not JSON, nothing listening), chunking and concurrency; and a real server when
CLEANER_LANGUAGETOOL_URL is set."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import socket
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.core.config import Config
from cleaner.language.languagetool import LanguageToolClient, LanguageToolError, check_document
from cleaner.stages.grammar import GrammarStage

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "languagetool"


def _load_standin():
    spec = importlib.util.spec_from_file_location("grammar_standin", ROOT / "scripts" / "grammar_standin.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["grammar_standin"] = module
    spec.loader.exec_module(module)
    return module


standin = _load_standin()


def fixture_text(name: str) -> str:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["request"]["text"]


@pytest.fixture
def server():
    srv = standin.StandIn().start()
    yield srv
    srv.stop()


def stage_for(url: str, **options) -> GrammarStage:
    return GrammarStage(Config(stages=("grammar",), languagetool_url=url, options={"grammar": options}))


def test_client_sends_form_and_gets_fixture_response(server):
    client = LanguageToolClient(server.url, disabled_categories=("TYPOS",))
    response = client.check(fixture_text("seed-slips"))
    assert [m["rule"]["id"] for m in response["matches"]] == ["PREPOSITION_VERB", "PREPOSITION_VERB"]
    form = server.requests[-1]
    assert form["language"] == "en-US" and form["disabledCategories"] == "TYPOS"


def test_stage_over_http_fixes_seed_slips(server):
    stage = stage_for(server.url)
    text = fixture_text("seed-slips")
    edits = stage.propose(text)
    assert [(text[e.start : e.end], e.replacement, e.rule) for e in edits if e.confidence >= 0.8] == [
        ("settle", "settling", "PREPOSITION_VERB"),
        ("faced", "facing", "PREPOSITION_VERB"),
    ]
    assert stage.stats["requests"] == 1 and stage.stats["applied"] == 2


def test_pipeline_with_grammar_on_whole_seed_article(server):
    text = (ROOT / "fixtures" / "seeds" / "bbc-kursk-garbled.txt").read_text(encoding="utf-8")
    result = Cleaner(Config(stages=("grammar",), languagetool_url=server.url)).clean(text)
    changes = [(e.before, e.replacement) for e in result.edits]
    assert changes == [("settle", "settling"), ("faced", "facing")]
    assert result.errors == []


def test_correct_lines_unchanged_over_http(server):
    text = (ROOT / "fixtures" / "seeds" / "reuters-kursk.txt").read_text(encoding="utf-8")
    result = Cleaner(Config(stages=("grammar",), languagetool_url=server.url)).clean(text)
    assert result.text == text and result.edits == []


def test_astral_offsets_over_http_pipeline(server):
    text = "👍🏽 " + fixture_text("astral")  # more astral characters than the recording had
    result = Cleaner(Config(stages=("grammar",), languagetool_url=server.url)).clean(text)
    assert "an honest mistake" in result.text and "has gone home after the vote" in result.text
    assert result.text.startswith("👍🏽 🇺🇦 Kyiv")


def test_long_document_is_chunked_and_checked_concurrently(server):
    server.delay = 0.2  # long enough for requests to overlap even on a busy machine
    paragraph = fixture_text("seed-slips").strip()
    text = "\n\n".join([paragraph] * 12)
    stage = stage_for(server.url, max_chars=len(paragraph) + 10, max_workers=4)
    edits = [e for e in stage.propose(text) if e.confidence >= 0.8]
    assert len(server.requests) == 12 and stage.stats["requests"] == 12
    assert 1 < server.max_in_flight <= 4
    assert len(edits) == 24
    assert {text[e.start : e.end] for e in edits} == {"settle", "faced"}


@pytest.mark.parametrize("mode,kind", [("error", "http"), ("garbage", "bad_response")])
def test_server_error_leaves_text_unchanged_and_is_counted(server, caplog, mode, kind):
    server.mode = mode
    stage = stage_for(server.url)
    text = fixture_text("seed-slips")
    with caplog.at_level(logging.WARNING, logger="cleaner.stages.grammar"):
        assert stage.propose(text) == []
        assert stage.propose(text) == []
    assert stage.stats["errors"] == 2 and stage.stats[f"errors_{kind}"] == 2
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    result = Cleaner(Config(stages=("grammar",), languagetool_url=server.url)).clean(text)
    assert result.text == text and result.errors == []


def test_timeout_leaves_text_unchanged(server, caplog):
    server.mode, server.delay = "slow", 1.0
    stage = stage_for(server.url, timeout=0.2)
    with caplog.at_level(logging.WARNING, logger="cleaner.stages.grammar"):
        assert stage.propose(fixture_text("seed-slips")) == []
    assert stage.stats["errors_timeout"] == 1
    assert "timeout" in caplog.text


def test_one_failed_chunk_fails_the_document(server):
    server.mode = "error"
    client = LanguageToolClient(server.url)
    with pytest.raises(LanguageToolError) as info:
        check_document(client, "One.\n\nTwo.\n\nThree.", max_units=6, max_workers=3)
    assert info.value.kind == "http"


def test_nothing_listening_is_a_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    stage = stage_for(f"http://127.0.0.1:{port}", timeout=2)
    assert stage.propose("He go home.") == []
    assert stage.stats["errors_connection"] == 1


def test_deny_rules_are_sent_to_the_server(server):
    stage = stage_for(server.url, deny_rules=["PREPOSITION_VERB"])
    assert stage.propose(fixture_text("seed-slips")) == []
    assert server.requests[-1]["disabledRules"] == "PREPOSITION_VERB"


REAL = os.environ.get("CLEANER_LANGUAGETOOL_URL")


@pytest.mark.skipif(not REAL, reason="set CLEANER_LANGUAGETOOL_URL to a LanguageTool server to run this test")
def test_real_server():
    stage = GrammarStage(Config(stages=("grammar",)))
    correct = "The minister said the talks would resume on Monday."
    assert [e for e in stage.propose(correct) if e.confidence >= 0.8] == []
    text = "Officials said it was a honest mistake."
    edits = [e for e in stage.propose(text) if e.confidence >= 0.8]
    fixed = [(text[e.start : e.end], e.replacement) for e in edits]
    assert fixed in ([("a", "an")], [("a honest", "an honest")])
    astral = "😀🇺🇦 " + text
    moved = [e for e in stage.propose(astral) if e.confidence >= 0.8]
    assert [astral[e.start : e.end] for e in moved] == [text[e.start : e.end] for e in edits]
    assert stage.stats.get("errors", 0) == 0


def test_repeated_failures_pause_the_stage(server):
    server.mode = "error"
    stage = stage_for(server.url, max_failures=3, pause=60)
    for _ in range(6):
        assert stage.propose("He go home.") == []
    assert len(server.requests) == 3  # after 3 failures in a row the server is left alone
    assert stage.stats["pauses"] == 1 and stage.stats["skipped_server_down"] == 3
    stage._paused_until = 0.0  # the pause is over
    server.mode = "ok"
    stage.propose("He go home.")
    assert len(server.requests) == 4 and stage.stats["requests"] == 1


class _Redirector:
    """A server that answers every POST with a redirect to ``target`` (what a hijacked or misconfigured host
    would do to pull the text elsewhere)."""

    def __init__(self, target: str, code: int) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(code)
                self.send_header("Location", target + "/v2/check")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirects_are_refused_and_nothing_reaches_the_target(server, code):
    redirector = _Redirector(server.url, code)
    try:
        with pytest.raises(LanguageToolError) as info:
            LanguageToolClient(redirector.url).check("Secret draft text.")
        assert info.value.kind == "http" and "redirect" in str(info.value) and str(code) in str(info.value)
        result = Cleaner(Config(stages=("grammar",), languagetool_url=redirector.url)).clean("Secret draft text.")
        assert result.text == "Secret draft text."
    finally:
        redirector.stop()
    assert server.requests == []  # neither as POST nor as a GET the redirect turned it into
