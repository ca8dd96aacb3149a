"""The content checker names every problem with its file and line; good content loads."""
from __future__ import annotations

from pathlib import Path

import pytest

from webapp.content import ContentError, load_catalog
from webapp.content.checks import numbers_in

from ..content_problems import problems

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")




def test_sample_course_loads_with_rendered_html_and_anchors():
    cat = load_catalog(DATA)
    lesson = cat.lesson("first-steps")
    assert [s.anchor for s in lesson.text("fr").sections] == ["elements", "a-case"]
    html = lesson.text("en").html
    assert '<h2 id="elements">The elements</h2>' in html
    assert 'href="/glossary#smuggler"' in html
    assert 'href="/lessons/second-steps#more"' in html
    assert cat.neighbours("first-steps")[1].slug == "second-steps"
    assert cat.question("fs-case")["lesson"] == "first-steps"
    assert len(cat.version) == 12


def test_the_real_course_content_is_valid():
    cat = load_catalog(ROOT)
    assert len(cat.lessons) >= 2
    assert all(set(lesson.texts) == {"en", "fr"} for lesson in cat.lessons)


def test_version_changes_when_content_changes(content):
    before = load_catalog(content).version
    edit(content / "lessons/02-second-steps/en.md", "Going further.", "Going much further.")
    assert load_catalog(content).version != before


def test_a_cached_folder_is_read_once_and_again_when_a_file_changes(content):
    """The test configuration shares catalogs between apps; an edited file must still be seen."""
    cache = {}
    first = load_catalog(content, cache=cache)
    assert load_catalog(content, cache=cache) is first
    edit(content / "lessons/02-second-steps/en.md", "Going further.", "Going much further.")
    again = load_catalog(content, cache=cache)
    assert again is not first and again.version != first.version
    (content / "quizzes/01-first-steps.yaml").write_text("lesson: [", encoding="utf-8")
    with pytest.raises(ContentError):
        load_catalog(content, cache=cache)


def test_raw_html_and_scripts_are_stripped(content):
    edit(content / "lessons/02-second-steps/en.md", "Only 0.4%",
         '<script>alert(document.cookie)</script><a href="javascript:alert(document.cookie)">x</a> Only 0.4%')
    html = load_catalog(content).lesson("second-steps").text("en").html
    assert "<script" not in html and "javascript:" not in html


def test_missing_front_matter_key_is_named_with_file_and_line(content):
    edit(content / "lessons/01-first-steps/en.md", "summary: Where it all starts.\n", "")
    assert "lessons/01-first-steps/en.md:2: front matter: 'summary' is missing" in problems(content)


def test_lesson_in_one_language_only(content):
    (content / "lessons/02-second-steps/fr.md").unlink()
    assert any("02-second-steps/fr.md: is missing: the lesson exists in one language only" in p
               for p in problems(content))


def test_french_and_english_sections_must_match(content):
    edit(content / "lessons/01-first-steps/fr.md", "{#a-case}", "{#un-cas}")
    found = problems(content)
    assert any("sections differ" in p and "only in en: a-case" in p and "only in fr: un-cas" in p for p in found)


def test_heading_without_anchor(content):
    edit(content / "lessons/01-first-steps/en.md", "## A case {#a-case}", "## A case")
    assert any(p.startswith("lessons/01-first-steps/en.md:19: heading 'A case' needs an anchor") for p in problems(content))


def test_different_front_matter_keys_between_languages(content):
    edit(content / "lessons/01-first-steps/fr.md", "minutes: 10\n", "minutes: 10\ncontent_note: Attention.\n")
    assert any("'content_note' is in lessons/01-first-steps/fr.md but not here" in p for p in problems(content))


def test_number_in_one_language_only(content):
    edit(content / "lessons/01-first-steps/fr.md", "5 500 unités", "6 500 unités")
    found = problems(content)
    assert any(p.startswith("lessons/01-first-steps/en.md:") and "the number 5500 is not in" in p for p in found)
    assert any(p.startswith("lessons/01-first-steps/fr.md:") and "the number 6500 is not in" in p for p in found)


@pytest.mark.parametrize("text, expected", [
    ("80 %", {"80"}), ("80%", {"80"}), ("5 500", {"5500"}), ("5,500", {"5500"}), ("5500", {"5500"}),
    ("0,4 %", {"0.4"}), ("0.4%", {"0.4"}), ("300 000", {"300000"}), ("2010-2012", {"2010", "2012"}),
])
def test_numbers_are_compared_whatever_the_digit_style(text, expected):
    assert numbers_in(text) == expected


def test_duplicate_question_id_across_banks(content):
    edit(content / "quizzes/02-second-steps.yaml", "id: ss-match", "id: fs-elements")
    assert any("question id 'fs-elements' is also used in quizzes/01-first-steps.yaml" in p for p in problems(content))


def test_unstable_question_id(content):
    edit(content / "quizzes/02-second-steps.yaml", "id: ss-match", "id: Match Figures")
    assert any("question id 'Match Figures' must be lower-case-with-dashes" in p for p in problems(content))


def test_see_must_name_a_section(content):
    edit(content / "quizzes/01-first-steps.yaml", "see: a-case", "see: nowhere")
    assert any("quizzes/01-first-steps.yaml:27: question 'fs-case': see 'nowhere' names no section" in p
               for p in problems(content))


def test_question_without_a_correct_answer(content):
    edit(content / "quizzes/01-first-steps.yaml", "{id: a, correct: true", "{id: a, correct: false")
    assert any("question 'fs-elements': has no correct answer" in p for p in problems(content))


def test_question_without_an_explanation_in_both_languages(content):
    edit(content / "quizzes/01-first-steps.yaml", 'fr: "La traite interne existe."', 'fr: ""')
    assert any("question 'fs-border': explanation needs both en and fr" in p for p in problems(content))


def test_classify_answer_must_agree_with_the_decision_rule(content):
    edit(content / "quizzes/01-first-steps.yaml", "answer: smuggling", "answer: trafficking")
    assert any("answer is trafficking but the decision rule gives smuggling" in p for p in problems(content))


def test_unknown_glossary_or_lesson_link(content):
    edit(content / "lessons/01-first-steps/en.md", "(glossary:smuggler)", "(glossary:passeur)")
    edit(content / "lessons/01-first-steps/fr.md", "(lesson:second-steps#more)", "(lesson:second-steps#less)")
    found = problems(content)
    assert "lessons/01-first-steps/en.md:16: link to unknown glossary term 'passeur'" in found
    assert "lessons/01-first-steps/fr.md:17: link to unknown section 'less' of lesson 'second-steps'" in found


def test_invalid_yaml_names_the_line(content):
    edit(content / "quizzes/02-second-steps.yaml", "    type: order", "    type: [order")
    assert any(p.startswith("quizzes/02-second-steps.yaml:") and "invalid YAML" in p for p in problems(content))


def test_final_assessment_cannot_ask_for_more_than_the_banks_hold(content):
    edit(content / "quizzes/final.yaml", "{type: classify, count: 1}", "{type: classify, count: 9}")
    assert any("asks for 9 questions from classify but the banks hold 1" in p for p in problems(content))


def test_app_refuses_to_start_on_invalid_content(content):
    from webapp import create_app
    from webapp.config import TestConfig
    edit(content / "lessons/01-first-steps/en.md", "minutes: 10", "minutes: ten")
    config = type("C", (TestConfig,), {"CONTENT_DIR": content})
    with pytest.raises(ContentError, match="'minutes' must be a whole number"):
        create_app(config)


def test_content_check_command_lists_problems_and_fails(content):
    import subprocess
    import sys
    edit(content / "lessons/01-first-steps/en.md", "minutes: 10", "minutes: ten")
    result = subprocess.run([sys.executable, "-m", "webapp.content", "check"],
                            cwd=ROOT, env={"CONTENT_DIR": str(content), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "lessons/01-first-steps/en.md:2: front matter: 'minutes' must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_real_banks_are_big_enough_and_the_final_assessment_is_rich():
    import random

    from webapp.quizzes import drawing
    cat = load_catalog(ROOT)
    questions = list(cat.all_questions())
    assert len(questions) >= 80
    assert sum(q["type"] == "classify" for q in questions) >= 24
    for lesson in cat.lessons:
        assert len(cat.banks[lesson.slug].questions) >= 8, lesson.slug
    for seed in range(5):
        final = drawing.draw(cat, "final", random.Random(seed))
        assert len(final) >= 20
        assert sum(q["type"] == "classify" for q in final) >= 8


UPDATE_EN = ('\n::: update as-of="2025-01-29" source="[ECOWAS, 29 January 2025](https://ecowas.int)"\n'
             'Three States left the community on this date.\n:::\n')
UPDATE_FR = ('\n::: update as-of="2025-01-29" source="[CEDEAO, 29 janvier 2025](https://ecowas.int)"\n'
             'Trois États ont quitté la communauté à cette date.\n:::\n')


def append(path: Path, text: str):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_update_and_course_note_blocks_render_as_labelled_asides(content):
    append(content / "lessons/01-first-steps/en.md", UPDATE_EN + "\n::: course-note\nOur own *advice*.\n:::\n")
    append(content / "lessons/01-first-steps/fr.md", UPDATE_FR + "\n::: course-note\nNotre *conseil*.\n:::\n")
    cat = load_catalog(content)
    en, fr = cat.lesson("first-steps").text("en").html, cat.lesson("first-steps").text("fr").html
    assert ('<div class="update-note" role="note" id="update-1"><p class="block-label">Update, as of '
            '<time datetime="2025-01-29">29 January 2025</time></p>') in en
    assert 'Mise à jour au <time datetime="2025-01-29">29 janvier 2025</time>' in fr
    assert 'Source: <a href="https://ecowas.int" rel="noopener">ECOWAS, 29 January 2025</a>' in en
    assert '<div class="course-note" role="note"><p class="block-label">Course note</p><p>Our own <em>advice</em>.</p>' in en
    assert '<p class="block-label">Note du cours</p>' in fr
    assert ":::" not in en and ":::" not in fr


@pytest.mark.parametrize("opening, message", [
    ('::: update source="[ECOWAS](https://ecowas.int)"', 'an update needs its date: as-of="YYYY-MM-DD"'),
    ('::: update as-of="2025-02-30" source="[ECOWAS](https://ecowas.int)"', "an update needs its date"),
    ('::: update as-of="2025-01-29"', "an update needs an outside source"),
    ('::: update as-of="2025-01-29" source=""', "an update needs an outside source"),
    ("::: aside", "unknown block '::: aside'"),
])
def test_an_update_without_date_or_source_is_refused(content, opening, message):
    for lang in ("en", "fr"):
        append(content / f"lessons/01-first-steps/{lang}.md", f"\n{opening}\nText.\n:::\n")
    found = problems(content)
    assert any("lessons/01-first-steps/en.md:" in p and message in p
               for p in found), found


def test_an_unclosed_block_is_refused_with_its_line(content):
    append(content / "lessons/01-first-steps/en.md", "\n::: course-note\nNever closed.\n")
    append(content / "lessons/01-first-steps/fr.md", "\n::: course-note\nJamais fermé.\n:::\n")
    found = problems(content)
    assert "lessons/01-first-steps/en.md:23: '::: course-note' is not closed by a ':::' line" in found


def test_update_boxes_must_match_across_languages(content):
    append(content / "lessons/01-first-steps/en.md", UPDATE_EN)
    assert any("lessons/01-first-steps/fr.md:" in p and "':::' blocks differ" in p for p in problems(content))


def test_a_lesson_tagged_exploitation_needs_a_content_note(content):
    for lang in ("en", "fr"):
        edit(content / f"lessons/01-first-steps/{lang}.md", "minutes: 10", "minutes: 10\ntags: [exploitation]")
    found = problems(content)
    assert "lessons/01-first-steps/en.md:2: front matter: a lesson tagged 'exploitation' needs a " \
           "'content_note' that warns the reader before the text" in found
    for lang, note in (("en", "Describes exploitation."), ("fr", "Décrit l'exploitation.")):
        edit(content / f"lessons/01-first-steps/{lang}.md", "minutes: 10", f"minutes: 10\ncontent_note: {note}")
    load_catalog(content)


def test_a_citation_to_a_session_the_lesson_does_not_list_is_refused(content):
    edit(content / "lessons/01-first-steps/en.md", "(*Porto 2015, Opening, Sakelliadou*)",
         "(*Porto 2015, Session 4, Sakelliadou*)")
    edit(content / "lessons/01-first-steps/fr.md", "(*Porto 2015, ouverture, Sakelliadou*)",
         "(*Porto 2015, session 4, Sakelliadou*)")
    found = problems(content)
    assert "lessons/01-first-steps/en.md:17: cites 'Session 4', which the lesson's 'sources' do not list" in found
    assert "lessons/01-first-steps/fr.md:17: cites 'session 4', which the lesson's 'sources' do not list" in found
    for lang in ("en", "fr"):
        edit(content / f"lessons/01-first-steps/{lang}.md", "sources: [", "sources: [Session 4, ")
    load_catalog(content)


CHANGELOG = "lessons/CHANGELOG.yaml"


@pytest.mark.parametrize("old, new, message", [
    ("date: 2026-03-01", "date: 2026-02-30", "lessons/CHANGELOG.yaml: invalid YAML: day is out of range for month"),
    ("date: 2026-03-01", 'date: "2026-02-30"', "lessons/CHANGELOG.yaml:3: an edition needs its date: date: YYYY-MM-DD"),
    ("date: 2026-03-01", "date: soon", "an edition needs its date"),
    ("date: 2026-01-15", "date: 2026-04-01",
     "lessons/CHANGELOG.yaml:8: editions go newest first, one per date: 2026-04-01 is listed after 2026-03-01"),
    ("parts: [second-steps, glossary]", "parts: [second-steps, posters]", "edition 2026-03-01: unknown part 'posters'"),
    ("parts: [second-steps, glossary]", "parts: []", "each change names the 'parts' it touches"),
    (', fr: "Une mise à jour datée sur la communauté régionale."', "",
     "edition 2026-03-01: each change needs a 'text' in en and fr"),
    ('title: {en: "Second edition", fr: "Deuxième édition"}', 'title: {en: "Second edition"}',
     "edition 2026-03-01: 'title' needs both en and fr"),
    ("date: 2026-03-01", "date: 2999-03-01", "lessons/CHANGELOG.yaml:3: edition 2999-03-01 is dated in the future"),
])
def test_a_changelog_without_dates_order_parts_or_both_languages_is_refused(content, old, new, message):
    edit(content / CHANGELOG, old, new)
    found = problems(content)
    assert any(message in p and p.startswith(CHANGELOG) for p in found), found


def test_the_changelog_is_optional_and_names_the_edition_in_force_on_a_day(content):
    import datetime
    cat = load_catalog(content)
    assert [e.date for e in cat.changelog] == ["2026-03-01", "2026-01-15"] and cat.edition.date == "2026-03-01"
    assert cat.edition_on(datetime.date(2026, 3, 1)).date == "2026-03-01"
    assert cat.edition_on(datetime.date(2026, 2, 28)).date == "2026-01-15"
    assert cat.edition_on(datetime.date(2025, 12, 31)) is None
    assert cat.edition.parts == ("second-steps", "glossary")
    (content / CHANGELOG).unlink()
    assert load_catalog(content).changelog == () and load_catalog(content).edition is None


def test_the_real_changelog_names_the_newest_update_and_every_lesson():
    cat = load_catalog(ROOT)
    assert cat.edition is not None
    newest_update = max(update.as_of for update, _places in cat.updates("en"))
    assert newest_update <= cat.edition.date, "an update box newer than the newest changelog edition"
    named = {part for edition in cat.changelog for part in edition.parts}
    assert {lesson.slug for lesson in cat.lessons} <= named


def test_update_boxes_are_listed_once_with_every_lesson_that_carries_them(content):
    for number in ("01-first-steps", "02-second-steps"):
        for lang, box in (("en", UPDATE_EN), ("fr", UPDATE_FR)):
            if number == "01-first-steps":
                append(content / f"lessons/{number}/{lang}.md", box)
    cat = load_catalog(content)
    listed = cat.updates("en")
    assert [u.as_of for u, _ in listed] == ["2025-01-29", "2025-01-29"]  # two different texts, same day
    for lang, box in (("en", UPDATE_EN), ("fr", UPDATE_FR)):
        path = content / f"lessons/02-second-steps/{lang}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:text.index("\n::: update")] + box, encoding="utf-8")
    [(update, places)] = load_catalog(content).updates("en")
    assert [(lesson.slug, box.anchor) for lesson, box in places] == [("first-steps", "update-1"),
                                                                     ("second-steps", "update-1")]
    assert update.lead == "Three States left the community on this date."


def test_every_session_of_a_citation_must_be_listed_not_only_the_first(content):
    edit(content / "lessons/01-first-steps/en.md", "(*Porto 2015, Opening, Sakelliadou*)",
         "(*Porto 2015, Opening, Sakelliadou; Session 4, Bombassei; the summary's word*)")
    edit(content / "lessons/01-first-steps/fr.md", "(*Porto 2015, ouverture, Sakelliadou*)",
         "(*Porto 2015, ouverture, Sakelliadou ; session 4, Bombassei ; le mot du résumé*)")
    found = problems(content)
    assert "lessons/01-first-steps/en.md:17: cites 'Session 4', which the lesson's 'sources' do not list" in found
    assert "lessons/01-first-steps/fr.md:17: cites 'session 4', which the lesson's 'sources' do not list" in found
    assert not any("the summary" in p or "le mot" in p for p in found)


def test_a_title_in_the_other_language_keeps_its_lang_for_screen_readers():
    """A French lesson citing an English report marks it (*…*{lang=en}): a screen reader then reads it
    with English pronunciation instead of mangling it in French."""
    from webapp.content.render import render_markdown
    assert render_markdown("Selon le *Trafficking in Persons Report*{lang=en} (2010)") == \
        '<p>Selon le <em lang="en">Trafficking in Persons Report</em> (2010)</p>'
    assert "onclick" not in render_markdown("*x*{onclick=alert(1) lang=en}")
    cat = load_catalog(ROOT)
    for slug in ("scale-and-forms", "identification-referral"):
        html = cat.lesson(slug).text("fr").html
        assert '<em lang="en">Trafficking in Persons Report</em>' in html
        assert "<em>Trafficking" not in html
