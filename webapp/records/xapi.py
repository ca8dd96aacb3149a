"""Learning records as xAPI 1.0.3 statements. Plain functions: a Record in, a statement (dict) out.

- The actor is an account on this site (homePage = the site's address, name = an opaque number):
  no email and no name ever leaves the site.
- Statement ids are UUID v5 of (site, kind of record, record id): sending twice never duplicates.
- Verbs are ADL's; activity ids are addresses on this site.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "experienced": {"en": "experienced", "fr": "a vu"},
    "attempted": {"en": "attempted", "fr": "a tenté"},
    "passed": {"en": "passed", "fr": "a réussi"},
    "failed": {"en": "failed", "fr": "a échoué"},
    "completed": {"en": "completed", "fr": "a terminé"},
    "scored": {"en": "scored", "fr": "a obtenu un score"},
    "attended": {"en": "attended", "fr": "a participé"},
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "workshop": "http://adlnet.gov/expapi/activities/meeting",
    "workshop_day": "http://adlnet.gov/expapi/activities/meeting",
}
FINAL_NAME = {"en": "Final assessment", "fr": "Évaluation finale"}
QUIZ_NAME = {"en": "Quiz: {}", "fr": "Quiz\u00a0: {}"}
OTHER_QUIZ_NAME = {"en": "Test {}", "fr": "Test {}"}
WORKSHOP_TEST_NAME = {"pre": {"en": "Pre-test: {}", "fr": "Pré-test\u00a0: {}"},
                      "post": {"en": "Post-test: {}", "fr": "Post-test\u00a0: {}"}}
DAY_NAME = {"en": "{} (day of {})", "fr": "{} (journée du {})"}


@dataclass(frozen=True)
class Record:
    """One learning fact, read from the database (see records/learning.py)."""
    kind: str            # lesson-completed | attempt | passed | failed | scored | course | attendance
    key: str             # the record's id, unique within its kind
    user_id: int
    at: datetime         # naive UTC
    verb: str            # a key of VERBS
    object_kind: str     # course | lesson | quiz | workshop_day
    object_key: str      # lesson slug, quiz key, "course", or "<workshop code>/<YYYY-MM-DD>"
    language: str = ""
    score: float | None = None
    success: bool | None = None
    seconds: int | None = None
    workshop: str = ""   # the workshop's code, for attendance and pre- and post-tests
    country: str = ""
    profession: str = ""


def namespace(site: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, site.rstrip("/") + "/xapi")


def statement_id(site: str, record: Record) -> str:
    return str(uuid.uuid5(namespace(site), f"{record.kind}:{record.key}"))


def timestamp(at: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as the specification recommends."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def duration(seconds: int) -> str:
    return f"PT{max(int(seconds), 0)}S"


def actor(site: str, user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": site.rstrip("/") + "/", "name": str(user_id)}}


class Names:
    """Activity names in both languages, from the catalog and the workshops."""

    def __init__(self, course: dict, lessons: dict, workshops: dict | None = None,
                 workshop_codes: dict | None = None):
        self.course = course            # {"en": ..., "fr": ...}
        self.lessons = lessons          # slug -> {"en": ..., "fr": ...}
        self.workshops = workshops or {}  # code -> (title, language)
        self.workshop_codes = workshop_codes or {}  # id -> code

    def workshop_activity(self, site: str, code: str) -> dict:
        return {"objectType": "Activity", "id": f"{site.rstrip('/')}/workshops/{code}",
                "definition": {"type": ACTIVITY_TYPES["workshop"], "name": self.workshop_name(code)}}

    def workshop_name(self, code: str) -> dict:
        title, lang = self.workshops.get(code, (code, "und"))
        return {lang or "und": title}

    def activity(self, site: str, kind: str, key: str) -> dict:
        base = site.rstrip("/")
        if kind == "course":
            iri, name = f"{base}/", dict(self.course)
        elif kind == "lesson":
            iri, name = f"{base}/lessons/{key}", dict(self.lessons.get(key) or {"en": key})
        elif kind == "quiz":
            iri = f"{base}/quizzes/{key}"
            title = self.lessons.get(key)
            if title:
                name = {lang: QUIZ_NAME[lang].format(title.get(lang, key)) for lang in QUIZ_NAME}
            elif key == "final":
                name = dict(FINAL_NAME)
            elif (test := _workshop_test(key)) and test[0] in self.workshop_codes:
                workshop_title = self.workshops.get(self.workshop_codes[test[0]], ("", ""))[0]
                name = {lang: pattern.format(workshop_title) for lang, pattern in WORKSHOP_TEST_NAME[test[1]].items()}
            else:  # a workshop's pre- or post-test
                name = {lang: OTHER_QUIZ_NAME[lang].format(key) for lang in OTHER_QUIZ_NAME}
        elif kind == "workshop_day":
            code, day = key.split("/", 1)
            title = self.workshops.get(code, (code, ""))[0]
            iri = f"{base}/workshops/{code}/days/{day}"
            name = {lang: DAY_NAME[lang].format(title, day) for lang in DAY_NAME}
        else:
            raise ValueError(f"unknown activity kind {kind!r}")
        return {"objectType": "Activity", "id": iri,
                "definition": {"type": ACTIVITY_TYPES[kind], "name": name}}


def _workshop_test(key: str):
    from ..models.workshop import parse_workshop_quiz_key  # models import Flask-SQLAlchemy: only when needed
    return parse_workshop_quiz_key(key)


def statement(site: str, record: Record, names: Names) -> dict:
    """The xAPI statement for one record."""
    base = site.rstrip("/")
    out = {
        "id": statement_id(site, record),
        "actor": actor(site, record.user_id),
        "verb": {"id": ADL + record.verb, "display": dict(VERBS[record.verb])},
        "object": names.activity(site, record.object_kind, record.object_key),
        "timestamp": timestamp(record.at),
    }
    result = {}
    if record.score is not None:
        scaled = min(max(float(record.score), 0.0), 1.0)
        result["score"] = {"scaled": round(scaled, 4), "raw": round(scaled * 100, 2), "min": 0, "max": 100}
    if record.success is not None:
        result["success"] = bool(record.success)
    if record.verb in ("passed", "failed", "completed", "experienced", "scored"):
        result["completion"] = True
    if record.seconds is not None:
        result["duration"] = duration(record.seconds)
    if result:
        out["result"] = result
    context = {"platform": "Passerelle"}
    if record.language:
        context["language"] = record.language
    if record.object_kind != "course":
        parents = {"grouping": [names.activity(site, "course", "course")]}
        if record.object_kind == "workshop_day" or (record.object_kind == "quiz" and record.workshop):
            parents["parent"] = [names.workshop_activity(base, record.workshop)]
        elif record.object_kind == "quiz" and record.object_key in names.lessons:
            parents["parent"] = [names.activity(site, "lesson", record.object_key)]
        context["contextActivities"] = parents
    out["context"] = context
    return out
