"""A stand-in LanguageTool server that replays recorded ``/v2/check`` answers (fixtures/languagetool/).

Used by the grammar tests and to measure the grammar stage where no real LanguageTool runs. A request
whose text equals a fixture's request text gets that fixture's response verbatim. Any other text gets
every fixture match whose anchor (the matched words plus one word either side, as in the fixture)
occurs in it, at that place, with offsets in UTF-16 units as LanguageTool counts them. Honours
``disabledCategories`` and ``disabledRules``.

    python scripts/grammar_standin.py --port 8081   # then CLEANER_LANGUAGETOOL_URL=http://127.0.0.1:8081
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languagetool"


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _str_offset(text: str, units: int) -> int:
    """str offset of a UTF-16 offset (fixture offsets never fall inside a surrogate pair)."""
    return len(text.encode("utf-16-le")[: 2 * units].decode("utf-16-le"))


class Recording:
    """One fixture: the request text, its response, and each match's replay anchor."""

    def __init__(self, data: dict) -> None:
        self.text: str = data["request"]["text"]
        self.response: dict = data["response"]
        self.anchors: list[tuple[str, int, dict]] = []  # (anchor, str offset of the error in it, match)
        for m in self.response["matches"]:
            s = _str_offset(self.text, m["offset"])
            e = _str_offset(self.text, m["offset"] + m["length"])
            left = re.search(r"(?:\S+[ \t]+)?$", self.text[:s])
            right = re.match(r"(?:[ \t]+\S+)?", self.text[e:])
            a0 = s - len(left.group()) if left else s
            a1 = e + (len(right.group()) if right else 0)
            self.anchors.append((self.text[a0:a1], s - a0, m))


def load_recordings(folder: Path = FIXTURES) -> list[Recording]:
    return [Recording(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]


def answer(recordings: list[Recording], text: str, disabled_categories=(), disabled_rules=()) -> dict:
    """The response the stand-in gives for ``text``."""
    for rec in recordings:
        if rec.text == text:
            response = copy.deepcopy(rec.response)
            break
    else:
        response = copy.deepcopy(recordings[0].response) if recordings else {"matches": []}
        response["matches"] = []
        response.pop("sentenceRanges", None)
        seen: set[tuple[int, int, str]] = set()
        for rec in recordings:
            for anchor, rel, m in rec.anchors:
                for hit in re.finditer(re.escape(anchor), text):
                    start = hit.start() + rel
                    offset = u16(text[:start])
                    key = (offset, m["length"], m["rule"]["id"])
                    if key in seen:
                        continue
                    seen.add(key)
                    replay = copy.deepcopy(m)
                    replay["offset"] = offset
                    response["matches"].append(replay)
        response["matches"].sort(key=lambda m: (m["offset"], m["length"]))
    response["matches"] = [
        m
        for m in response["matches"]
        if m["rule"]["category"]["id"] not in disabled_categories and m["rule"]["id"] not in disabled_rules
    ]
    return response


class StandIn(ThreadingHTTPServer):
    """The server. ``mode``: ``ok``, ``error`` (HTTP 500), ``slow`` (sleep ``delay`` s first), ``garbage``.
    ``requests`` records each request's form; ``max_in_flight`` the most requests served at once."""

    daemon_threads = True

    def __init__(self, port: int = 0, recordings: list[Recording] | None = None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.recordings = recordings if recordings is not None else load_recordings()
        self.mode = "ok"
        self.delay = 0.0
        self.requests: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> StandIn:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        srv = self.server
        with srv._lock:
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            with srv._lock:
                srv.requests.append(form)
            if srv.mode == "slow" or srv.delay:
                time.sleep(srv.delay)
            if self.path.rstrip("/") != "/v2/check":
                return self._send(404, b"not found", "text/plain")
            if srv.mode == "error":
                return self._send(500, b"Error: internal error", "text/plain")
            if srv.mode == "garbage":
                return self._send(200, b"<html>proxy error</html>", "text/html")
            cats = tuple(filter(None, form.get("disabledCategories", "").split(",")))
            rules = tuple(filter(None, form.get("disabledRules", "").split(",")))
            body = answer(srv.recordings, form.get("text", ""), cats, rules)
            self._send(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")
        finally:
            with srv._lock:
                srv.in_flight -= 1

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    server = StandIn(args.port)
    print(f"stand-in LanguageTool on {server.url} ({len(server.recordings)} recordings)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
