"""xAPI statements: valid by the specification's rules, anonymous, stable ids."""
import copy
import uuid
from datetime import datetime

import pytest

from webapp.records.xapi import Names, Record, statement, statement_id, timestamp

from ..xapi_spec import problems

SITE = "https://passerelle.example.org"
NAMES = Names(course={"en": "Trafficking or smuggling?", "fr": "Traite ou trafic ?"},
              lessons={"first-steps": {"en": "First steps", "fr": "Premiers pas"}},
              workshops={"DAKAR2": ("Atelier de Dakar", "fr")})
AT = datetime(2026, 3, 10, 10, 4, 5, 678901)

RECORDS = [
    Record("lesson", "11", 7, AT, "experienced", "lesson", "first-steps", "fr"),
    Record("attempt", "21", 7, AT, "attempted", "quiz", "first-steps", "fr"),
    Record("passed", "21", 7, AT, "passed", "quiz", "first-steps", "fr", score=0.85, success=True, seconds=300),
    Record("failed", "22", 7, AT, "failed", "quiz", "final", "en", score=0.0, success=False, seconds=0),
    Record("passed", "23", 7, AT, "passed", "quiz", "final", "en", score=1.0, success=True, seconds=61),
    Record("passed", "24", 7, AT, "passed", "quiz", "workshop-3-pre", "en", score=0.5, success=True, seconds=61),
    Record("course", "31", 7, AT, "completed", "course", "course", "fr"),
    Record("attendance", "41", 7, AT, "attended", "workshop_day", "DAKAR2/2026-03-10", "fr", workshop="DAKAR2"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r.kind}-{r.object_key}")
def test_every_kind_of_statement_is_valid_xapi(record):
    made = statement(SITE, record, NAMES)
    assert problems(made) == []
    assert made["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
    assert made["actor"] == {"objectType": "Agent", "account": {"homePage": SITE + "/", "name": "7"}}
    assert made["timestamp"] == "2026-03-10T10:04:05.678Z"


def test_scores_are_scaled_between_0_and_1_with_success():
    passed = statement(SITE, RECORDS[2], NAMES)
    assert passed["result"]["score"]["scaled"] == 0.85 and passed["result"]["success"] is True
    assert passed["result"]["duration"] == "PT300S"
    failed = statement(SITE, RECORDS[3], NAMES)
    assert failed["result"]["score"]["scaled"] == 0.0 and failed["result"]["success"] is False


def test_statement_ids_are_stable_and_differ_by_record_and_site():
    one = statement_id(SITE, RECORDS[1])
    assert one == statement_id(SITE, RECORDS[1]) and uuid.UUID(one).version == 5
    assert one != statement_id(SITE, RECORDS[2])          # attempted vs passed of the same attempt
    assert one != statement_id("https://other.example", RECORDS[1])
    assert len({statement_id(SITE, r) for r in RECORDS}) == len(RECORDS)


def test_timestamps_are_utc_iso_8601():
    assert timestamp(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000Z"


def test_workshop_days_name_the_workshop_and_its_day():
    made = statement(SITE, RECORDS[-1], NAMES)
    assert made["object"]["id"] == SITE + "/workshops/DAKAR2/days/2026-03-10"
    assert "Atelier de Dakar" in made["object"]["definition"]["name"]["fr"]
    assert made["context"]["contextActivities"]["parent"][0]["id"] == SITE + "/workshops/DAKAR2"


def test_workshop_tests_are_not_called_the_final_assessment():
    made = statement(SITE, RECORDS[5], NAMES)
    assert "Final" not in made["object"]["definition"]["name"]["en"]


# The checker itself: it must catch what an LRS would refuse.
def _broken(change):
    made = copy.deepcopy(statement(SITE, RECORDS[2], NAMES))
    change(made)
    return problems(made)


@pytest.mark.parametrize("change", [
    lambda s: s["result"]["score"].update(scaled=1.5),
    lambda s: s["result"]["score"].update(raw=101),
    lambda s: s["result"].update(success="yes"),
    lambda s: s["result"].update(duration="5 minutes"),
    lambda s: s["verb"].update(id="passed"),
    lambda s: s["verb"].update(display={"en_US": "passed"}),
    lambda s: s["actor"].update(mbox="mailto:a@example.org"),
    lambda s: s["actor"].pop("account"),
    lambda s: s["actor"]["account"].update(homePage="passerelle"),
    lambda s: s["actor"].update(mbox_sha1sum="ABC"),
    lambda s: s.update(id="not-a-uuid"),
    lambda s: s.update(timestamp="10/03/2026"),
    lambda s: s.update(timestamp="2026-03-10T10:04:05"),
    lambda s: s.update(stored="2026-03-10T10:04:05Z"),
    lambda s: s.update(colour="blue"),
    lambda s: s["object"].update(id="first steps"),
    lambda s: s["context"].update(registration="x"),
    lambda s: s["result"].update(score=None),
], ids=lambda f: "")
def test_the_checker_refuses_what_the_specification_refuses(change):
    assert _broken(change)
