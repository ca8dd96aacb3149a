"""Workshop rules that need no database: the pack's flowchart follows the decision rule, the paper
answer key agrees with the grading, the roster sorts, and required attendance days."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_babel import Babel

from webapp.content import load_catalog
from webapp.content.questions import QUESTION_TYPES
from webapp.decision import STEPS
from webapp.models import Workshop
from webapp.workshops.dashboards import RosterRow, sort_rows
from webapp.workshops.pack import flowchart, paper

from ..conftest import ROOT


@pytest.fixture(scope="module")
def real_catalog():
    return load_catalog(ROOT)


@pytest.fixture
def request_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def test_the_flowchart_asks_the_rules_questions_in_order_with_or_without_the_aids_texts(real_catalog, request_context):
    for cat in (real_catalog, SimpleNamespace(aid={})):
        chart = flowchart(cat, "en")
        assert [s.key for s in chart.steps] == list(STEPS)
        assert all(s.question and all(s.choices) for s in chart.steps)
        notes = {s.key: s.note for s in chart.steps if s.note}
        assert set(notes) == {"means", "benefit", "facilitation", "consent"}
        assert "steps 5 and 6 already give smuggling" in notes["facilitation"]
        assert len(chart.rules) == 2 and len(chart.results) == 4
        # The revised rule (December 2026): established trafficking with only smuggling open.
        assert "only smuggling is open" in chart.results[1][1]
    if getattr(real_catalog, "aid", None):  # the aid's own texts, in both languages
        french = flowchart(real_catalog, "fr")
        assert french.steps[0].question != chart.steps[0].question and french.other_lang == "en"
        assert french.steps[0].other == flowchart(real_catalog, "en").steps[0].question


def test_the_paper_answer_key_is_what_the_grading_accepts(real_catalog):
    for bank in real_catalog.banks.values():
        for pq in paper(bank):
            q = pq.question
            letters = {option: letter for letter, option in pq.options}
            right = QUESTION_TYPES[q["type"]].correct_answer(q)
            if q["type"] == "match":
                assert pq.key == ", ".join(f"{n}→{letters[left]}" for n, left in enumerate(pq.rows, start=1))
            elif q["type"] == "order":
                assert [next(o for lt, o in pq.options if lt == letter) for letter in pq.key.split()] \
                    == [i["id"] for i in q["items"]]
            elif isinstance(right, list):
                assert pq.key == ", ".join(sorted(letters[o] for o in right))
            else:
                assert pq.key == letters[right]
    # the same sheet on every print
    bank = next(iter(real_catalog.banks.values()))
    assert paper(bank) == paper(bank)


def test_paper_sheets_spread_the_right_answer_across_letters_and_versions(real_catalog):
    from collections import Counter

    from webapp.workshops.pack import VERSIONS
    for version in VERSIONS:
        singles = Counter(pq.key for bank in real_catalog.banks.values()
                          for pq in paper(bank, version, "W7") if pq.question["type"] == "single")
        total = sum(singles.values())
        assert total >= 20 and len(singles) >= 3, singles  # not "A" for every single-choice question
        assert max(singles.values()) <= 0.5 * total, singles
        firsts = [pq.options[0][1] in QUESTION_TYPES["multiple"].correct_answer(pq.question)
                  for bank in real_catalog.banks.values() for pq in paper(bank, version, "W7")
                  if pq.question["type"] == "multiple"]
        assert not all(firsts)  # right options no longer always come first
    bank = next(iter(real_catalog.banks.values()))
    a, b = paper(bank, "A", "W7"), paper(bank, "B", "W7")
    assert [pq.options for pq in a] != [pq.options for pq in b]  # two versions, two orders
    assert a == paper(bank, "A", "W7") and a != paper(bank, "A", "W8")  # the series is the seed


def test_a_workshops_days_and_the_attendance_it_requires():
    workshop = Workshop(start_date=date(2026, 3, 24), end_date=date(2026, 3, 26), attendance_threshold=None)
    assert workshop.days == [date(2026, 3, 24), date(2026, 3, 25), date(2026, 3, 26)]
    assert workshop.required_days == 3
    workshop.attendance_threshold = 2
    assert workshop.required_days == 2
    workshop.attendance_threshold = 9
    assert workshop.required_days == 3


def test_the_roster_sorts_by_any_column_and_falls_back_to_names():
    def row(name, statuses, best, days, at):
        return RosterRow(SimpleNamespace(id=len(name), name=name, organisation=name[::-1]), datetime(2026, 1, 1),
                         statuses, best, set(days), at)
    rows = [row("Zoé", {"a": "completed"}, {"a": 0.5}, [1], datetime(2026, 3, 24)),
            row("Ali", {"a": "in_progress"}, {}, [1, 2], None),
            row("Mia", {"a": "completed"}, {"a": 0.9}, [], datetime(2026, 3, 25))]
    names = lambda rs: [r.user.name for r in rs]  # noqa: E731
    assert names(sort_rows(rows, "name", False)) == ["Ali", "Mia", "Zoé"]
    assert names(sort_rows(rows, "lesson:a", True)) == ["Mia", "Zoé", "Ali"]
    assert names(sort_rows(rows, "attendance", True)) == ["Ali", "Zoé", "Mia"]
    assert names(sort_rows(rows, "activity", True)) == ["Mia", "Zoé", "Ali"]
    assert names(sort_rows(rows, "nonsense", True)) == ["Zoé", "Mia", "Ali"]
