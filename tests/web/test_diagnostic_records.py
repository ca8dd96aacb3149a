"""Pre-tests and post-tests are diagnostic: every record of them gives a score and never says
"passed" or "failed" (My records, the data download, the CSV and xAPI exports, every template)."""
import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt
from webapp.workshops import prepost

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import take_quiz
from ..xapi_spec import problems
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # records are SQL aggregates

SITE = "https://passerelle.example.org"
TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
VERDICTS = re.compile(r"\b(passed|failed|not passed|réussi|non réussi|échoué|échec)\b", re.IGNORECASE)


def _sat_pre_test(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, title="Atelier de Thiès")
    ana = make_user(language="en", email="ana@example.org")
    join_workshop(workshop, ana)
    prepost.compose(catalog(), workshop, "pre", 1)
    take_quiz(ana, quiz=f"workshop-{workshop.id}-pre", score=0.25, pass_mark=0.0, at=datetime(2026, 3, 9, 9))
    return workshop, ana


def test_my_records_calls_a_pre_test_neither_passed_nor_failed_and_links_to_its_page(app):
    workshop, ana = _sat_pre_test(app)
    client = signed_in(app, ana)
    for language in ("en", "fr"):
        page = text(client.get("/records", headers={"Accept-Language": language}))
        attempts = page.split('id="attempts"', 1)[1].split('id="workshops"', 1)[0]
        assert "25 %" in attempts and "Atelier de Thiès" in attempts
        assert not VERDICTS.search(attempts), attempts
    link = f"/workshops/{workshop.id}/tests/pre"
    assert f'href="{link}"' in page
    assert "Your score: 25 %" in text(client.get(link))


def test_the_old_result_address_of_a_pre_test_leads_to_its_workshop_page_not_an_error(app):
    workshop, ana = _sat_pre_test(app)
    client = signed_in(app, ana)
    attempt_id = db.session.scalar(select(Attempt.id))
    response = client.get(f"/attempts/{attempt_id}/result")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/workshops/{workshop.id}/tests/pre"


def test_the_data_download_gives_a_pre_test_a_score_and_no_verdict(app):
    workshop, ana = _sat_pre_test(app)
    data = json.loads(signed_in(app, ana).get("/records/my-data.json").get_data(as_text=True))
    [attempt] = data["quiz_attempts"]
    assert attempt["score"] == 0.25 and attempt["kind"] == "pre-test" and attempt["workshop"] == workshop.join_code
    assert "passed" not in attempt and "pass_mark" not in attempt


def test_exports_score_a_pre_test_without_success_and_name_its_workshop(app, runner):
    app.config["BASE_URL"] = SITE
    workshop, ana = _sat_pre_test(app)
    statements = json.loads(runner.invoke(args=["export-records", "--format", "xapi"]).stdout)
    [scored] = [s for s in statements if s["verb"]["id"].endswith("/scored")]
    assert problems(scored) == []
    assert scored["result"]["score"]["scaled"] == 0.25 and "success" not in scored["result"]
    assert scored["object"]["definition"]["name"]["en"] == "Pre-test: Atelier de Thiès"
    assert scored["context"]["contextActivities"]["parent"][0]["id"] == f"{SITE}/workshops/{workshop.join_code}"
    assert not any(s["verb"]["id"].endswith(("/passed", "/failed")) for s in statements)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["export-records", "--format", "csv"]).stdout
                                           .lstrip("\ufeff"))))
    assert {r["verb"] for r in rows} == {"attempted", "scored"}
    assert all(r["workshop"] == workshop.join_code and r["success"] == "" for r in rows)


def test_a_completed_lesson_is_completed_in_xapi(app, runner):
    from ..records_builders import complete_lessons
    app.config["BASE_URL"] = SITE
    complete_lessons(make_user(), slugs=["first-steps"])
    [statement] = json.loads(runner.invoke(args=["export-records", "--format", "xapi"]).stdout)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["result"]["completion"] is True and problems(statement) == []


def _msgstr(msgid: str) -> str:
    po = (TEMPLATES.parent / "translations" / "fr" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    found = re.search(r'^msgid "' + re.escape(msgid) + r'"\nmsgstr "(.*)"$', po, re.MULTILINE)
    return found.group(1) if found else ""


def test_no_template_of_a_pre_or_post_test_speaks_of_passing_or_failing():
    """Workshop templates (where pre- and post-tests are shown) carry no verdict, in English or in
    French; elsewhere, the only verdicts are in branches that a pre- or post-test never reaches."""
    strings = re.compile(r"""_\(\s*(['"])(.*?)\1""")
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for match in strings.finditer(source):
            english = match.group(2)
            if not (VERDICTS.search(english) or VERDICTS.search(_msgstr(english))):
                continue
            relative = path.relative_to(TEMPLATES).as_posix()
            line = source[source.rfind("\n", 0, match.start()) + 1:source.find("\n", match.end())]
            if relative == "workshops/roster.html" and "final_labels" in line:
                continue  # the roster's column of the final assessment, which is passed or not
            if relative.startswith("workshops/"):
                offenders.append(f"{relative}: {english}")
            elif relative == "records/mine.html":
                # My records lists pre-tests: a verdict only in the branch of lesson quizzes and the final.
                before = source[:match.start()]
                if before.rfind("{% else %}") < before.rfind("{% if test %}"):
                    offenders.append(f"{relative}: {english}")
    assert offenders == []
