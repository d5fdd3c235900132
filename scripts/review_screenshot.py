"""Make docs/review.png: the review page of the seed articles with two decisions made and the panel open.

Usage: ``.venv/bin/python scripts/review_screenshot.py`` (needs Chromium: ``apt-get install chromium``). It
cleans ``fixtures/seeds`` with ``--review``, then drives the page with real mouse clicks over the DevTools
protocol (``tests/cdp_support.py``): accepts the most frequent repair everywhere, rejects one occurrence, and
opens the decision panel on an edit of the first document before taking a 1280 x 3400 screenshot.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from cdp_support import Browser  # noqa: E402


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        sys.exit("no Chromium installed (apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="review-shot-"))
    page = work / "review.html"
    subprocess.run([sys.executable, "-m", "cleaner", "--no-config", str(ROOT / "fixtures" / "seeds"), "-o",
                    str(work / "out"), "--review", str(page), "-q"], check=True, cwd=ROOT)
    # names on the page as a reader would type them (relative to the repository)
    page.write_text(page.read_text(encoding="utf-8").replace(str(ROOT) + "/", ""), encoding="utf-8")
    rows = "#repair-table tr[data-d]"
    with Browser(chromium, work / "profile") as browser:
        browser.open(page.as_uri())
        first = browser.eval(f"JSON.parse(document.querySelector({rows!r}).getAttribute('data-d')).before")
        browser.click(f"{rows} button[data-act='accept']")
        browser.click("section.doc .m[data-d*='phrases.credit-via']")
        browser.click("#decide button[data-scope='occurrence'][data-act='reject']")
        browser.call("Emulation.setDeviceMetricsOverride", width=1280, height=3400, deviceScaleFactor=1, mobile=False)
        browser.click(f"section.doc .m[data-d*='\"before\": \"{first}\"']")
        browser.eval("window.scrollTo(0, 0)")
        time.sleep(0.3)
        png = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    (ROOT / "docs" / "review.png").write_bytes(png)
    shutil.rmtree(work, ignore_errors=True)
    print(f"docs/review.png: {len(png):,} bytes")


if __name__ == "__main__":
    main()
