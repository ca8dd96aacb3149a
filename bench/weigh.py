"""What each lesson weighs on a first visit, and on a repeat visit, in Debian's Chromium (the figures
behind tests/browser/test_budgets.py, for bench/RESULTS.md).

    .venv/bin/python -m bench.weigh
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM
from tests.browser.site import serve
from webapp.content import catalog

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


def weigh(page, url: str) -> tuple[int, int, list]:
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    size = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
    return size, len(finished), finished


def main():
    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as (base, app, recorder), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        with app.app_context():
            slugs = [lesson.slug for lesson in catalog().lessons]
        print(f"{'lesson':<36}{'lang':>5}{'first visit':>14}{'requests':>10}{'html (gz)':>11}{'repeat':>9}")
        for lang in ("fr", "en"):
            for slug in slugs:
                context = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": lang})
                size, count, requests = weigh(context.new_page(), f"{base}/lessons/{slug}")
                html = next(r for r in requests if r.resource_type == "document").sizes()["responseBodySize"]
                del recorder.hits[:]
                again = context.new_page()
                again.goto(f"{base}/glossary")
                del recorder.hits[:]
                again.goto(f"{base}/lessons/{slug}")
                repeat = ", ".join(f"{h.status}" for h in recorder.hits)
                print(f"{slug:<36}{lang:>5}{size:>11} B{count:>10}{html:>9} B{repeat:>9}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
