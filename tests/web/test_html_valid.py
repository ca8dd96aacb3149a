"""Every page type (tests/pages.py), in French and English, is valid HTML for the Nu Html Checker
(npm package vnu-jar, run with the machine's Java; `make test` installs it with `npm ci`).

The pages are rendered by the test client on the real course and checked in one run of the checker.
CI (REQUIRE_BROWSER=1) fails instead of skipping when Java or the checker is missing."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from webapp import create_app
from webapp.extensions import db

from ..conftest import ROOT, Client, _config
from ..pages import LANGUAGES, add_crash_route, build_pages_world, client_as, pages_of, speak

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-Xss4m", "-jar", str(VNU)]
    if os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"the Nu Html Checker needs java and {VNU} (make test runs npm ci)")
    pytest.skip("java or node_modules/vnu-jar is missing (make test runs npm ci)")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{file name: (page, language, url)}, each page's HTML written to a folder of its own."""
    folder = tmp_path_factory.mktemp("html")
    app = create_app(_config(f"sqlite:///{folder / 'pages.db'}", CONTENT_DIR=ROOT))
    add_crash_route(app)
    app.test_client_class = Client
    written = {}
    with app.app_context():
        db.create_all()
        world = build_pages_world()
        for lang in LANGUAGES:
            speak(world, lang)
            for page in pages_of(app):
                client = client_as(app, world, page.who)
                client.set_cookie("lang", lang)
                url = page.url(app, world)
                response = client.get(url, headers={"Accept-Language": lang})
                assert response.status_code == page.status, f"{page.name} ({url}) in {lang}: {response.status_code}"
                name = f"{lang}-{re.sub(r'[^a-z0-9]+', '-', page.name)}.html"
                html = response.data
                if page.fragment:  # checked inside the smallest valid page
                    html = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{page.name}'
                            f'</title></head><body>').encode() + html + b"</body></html>"
                (folder / name).write_bytes(html)
                written[name] = (page, lang, url)
        db.session.remove()
        db.engine.dispose()
    return folder, written


def test_every_page_type_is_valid_html_in_both_languages(rendered):
    folder, written = rendered
    command = _checker() + ["--format", "json", "--errors-only", "--skip-non-html", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    problems = []
    for message in report["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1]
        page, lang, url = written.get(name, (None, "?", name))
        problems.append(f"{page.name if page else name} ({url}, {lang}) line {message.get('lastLine')}: "
                        f"{message['message']}  «{message.get('extract', '').strip()}»")
    assert not problems, "The Nu Html Checker finds errors:\n" + "\n".join(problems)
    assert len(written) >= 2 * 15  # every page type was there to be checked


def test_the_checker_would_catch_an_error(tmp_path):
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="en"><head><title>x</title></head>'
                                       "<body><p><div></span></body></html>")
    done = subprocess.run(_checker() + ["--format", "json", "--errors-only", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert json.loads(done.stderr)["messages"]
