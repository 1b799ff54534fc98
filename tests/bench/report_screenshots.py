"""The README's screenshots of the report (``corpora/screenshots/``), from the sample corpus.

Cleans ``corpora/sample`` (``--no-translate``: the screenshots need no translation packages)
into a scratch folder and photographs, in headless Chromium (tests/support/browser.py), the
main page's overview, its table filtered by a site, and one document in its part. Run:
``python tests/bench/report_screenshots.py`` (a few seconds); review the images, then commit.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import cleaner  # noqa: E402
from tests.support.browser import Tab, chromium, why_no_browser  # noqa: E402

SHOTS = REPO / "corpora" / "screenshots"


def main() -> None:
    reason = why_no_browser()
    if reason:
        raise SystemExit(f"no screenshots: {reason}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        os.chdir(REPO)  # inputs named as a user would type them
        cleaner.run(["corpora/sample"], out, translate=False)
        main_page = (out / "report.html").as_uri()
        with chromium() as browser:
            with Tab(browser, height=1250) as tab:
                tab.page.goto(main_page)
                tab.page.screenshot(path=str(SHOTS / "report-overview.png"))
            with Tab(browser, height=700) as tab:
                tab.page.goto(main_page + "#site=eco-hebdo&sort=-reasons")
                tab.page.evaluate("document.getElementById('search').scrollIntoView()")
                tab.page.evaluate("window.scrollBy(0, -50)")
                tab.page.screenshot(path=str(SHOTS / "report-table.png"))
            with Tab(browser, height=1500) as tab:
                tab.page.goto(main_page)
                tab.page.click("#docs a:text-is('tech-actu/2024-06-03-neuralis-levee')")
                tab.page.wait_for_url("**/report/part-*.html#doc=*")
                tab.page.screenshot(path=str(SHOTS / "report-document.png"))
                assert not tab.errors, tab.errors
    for name in ("report-overview.png", "report-table.png", "report-document.png"):
        print(SHOTS / name)


if __name__ == "__main__":
    main()
