"""Expert sign-offs (lessons/SIGNOFF.yaml): the check refuses a malformed record, never content that is
merely not signed off; a sign-off names a content version, which recording it does not change and
any later content edit voids. The sample course holds one sign-off, of an earlier version."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from webapp.content import load_catalog
from webapp.content.check import main as check

from ..content_problems import problems
from ..signoff_builders import SIGNOFF, sign_off

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent






def test_the_sample_course_was_signed_off_on_an_earlier_version_so_it_has_changed_since():
    cat = load_catalog(DATA)
    [earlier] = cat.signoffs
    assert (earlier.name, earlier.date, earlier.version, earlier.whole_course) == \
        ("Dr Nadia Example", "2026-02-20", "a1b2c3d4e5f6", True)
    assert earlier.with_reservations and earlier.reservations[0]["fr"] == "La leçon 2 devrait dater ses chiffres."
    found = cat.signoff()
    assert not found.signed and found.changed_since and found.last == earlier
    assert cat.signoff("a1b2c3d4e5f6").current == (earlier,)


def test_recording_a_sign_off_does_not_change_the_version_it_signs(content):
    before = load_catalog(content).version
    sign_off(content, before)
    cat = load_catalog(content)
    assert cat.version == before
    assert cat.signoff().signed and cat.signoff().current[0].name == "Dr Yasmine Sample"
    (content / SIGNOFF).unlink()
    assert load_catalog(content).version == before and load_catalog(content).signoffs == ()


def test_changing_a_lesson_voids_the_sign_off(content):
    sign_off(content, load_catalog(content).version)
    path = content / "lessons/02-second-steps/en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Going further.", "Going much further."), encoding="utf-8")
    found = load_catalog(content).signoff()
    assert not found.signed and found.changed_since
    assert (found.last.name, found.last.date) == ("Dr Yasmine Sample", "2026-03-05")


def test_a_sign_off_of_some_parts_names_them(content):
    sign_off(content, load_catalog(content).version, scope="[second-steps, glossary]")
    [signed, _earlier] = load_catalog(content).signoffs
    assert signed.parts == ("second-steps", "glossary") and not signed.whole_course


@pytest.mark.parametrize("change, message", [
    (dict(date="2026-02-30"), "lessons/SIGNOFF.yaml: invalid YAML: day is out of range for month"),
    (dict(date='"5 March 2026"'), "a sign-off needs its date: date: YYYY-MM-DD"),
    (dict(date="2999-03-05"), "sign-off 2999-03-05 is dated in the future"),
    (dict(date="2026-01-05"), "sign-offs go newest first: 2026-02-20 is listed after 2026-01-05"),
    (dict(version="0cb22c51"), "sign-off 2026-03-05: 'version' must be the 12-character content version"),
    (dict(version="0CB22C51D04E"), "'version' must be the 12-character content version"),
    (dict(scope="everything"), "sign-off 2026-03-05: 'scope' is 'all' (the whole course) or a list"),
    (dict(scope="[second-steps, posters]"), "sign-off 2026-03-05: unknown part 'posters' in 'scope'"),
    (dict(verdict="fine"), "sign-off 2026-03-05: 'verdict' must be one of: approved, approved-with-reservations"),
    (dict(verdict="approved-with-reservations"), "approved with reservations needs 'reservations'"),
    (dict(verdict="approved-with-reservations", extra='    reservations:\n      - {en: "English only."}\n'),
     "approved with reservations needs 'reservations', a list of texts in en and fr"),
    (dict(extra='    reservations:\n      - {en: "A", fr: "B"}\n'), "reservations are recorded with the verdict"),
    (dict(extra="    signed: yes\n"), "sign-off 2026-03-05: unknown field 'signed'"),
    (dict(extra="    review: 12\n"), "'review' names the review document"),
])
def test_the_check_refuses_a_malformed_sign_off(content, change, message):
    sign_off(content, change.pop("version", load_catalog(content).version), **change)
    found = problems(content)
    assert any(message in p and p.startswith(SIGNOFF) for p in found), found


@pytest.mark.parametrize("old, new, message", [
    ("      name: Dr Yasmine Sample\n", "", "'expert' needs her 'name'"),
    ('fr: "Procureure principale, ministère public"', 'de: "Staatsanwältin"', "the expert's 'role'"),
])
def test_the_check_refuses_a_sign_off_without_its_expert(content, old, new, message):
    sign_off(content, load_catalog(content).version)
    path = content / SIGNOFF
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    found = problems(content)
    assert any(message in p and p.startswith(SIGNOFF) for p in found), found


@pytest.mark.parametrize("text, message", [
    ("signoffs: yes\n", "lessons/SIGNOFF.yaml:1: 'signoffs' must be a list, newest first"),
    ("signofs: []\n", "lessons/SIGNOFF.yaml:1: unknown key 'signofs' (the file holds one list, 'signoffs')"),
    ("signoffs:\n  - approved\n", "each sign-off must be a mapping"),
])
def test_the_check_refuses_a_sign_off_file_of_the_wrong_shape(content, text, message):
    (content / SIGNOFF).write_text(text, encoding="utf-8")
    assert any(message in p for p in problems(content)), problems(content)


def test_the_check_prints_the_version_to_sign_and_whether_it_is_signed(content, capsys):
    assert check(["check", str(content)]) == 0  # not signed off is not a failure
    out = capsys.readouterr().out
    version = load_catalog(content).version
    assert ("Not signed off: the content changed since the last sign-off (Dr Nadia Example, 2026-02-20, "
            f"version a1b2c3d4e5f6). To sign off this edition, the expert reviews version {version}.") in out
    sign_off(content, version, scope="[second-steps]")
    assert check(["check", str(content)]) == 0
    assert ("Signed off: Dr Yasmine Sample (Senior prosecutor, Public Prosecution Office), 2026-03-05, approved, "
            "for second-steps.") in capsys.readouterr().out
    (content / SIGNOFF).unlink()
    assert check(["check", str(content)]) == 0
    assert f"Not yet signed off. To sign off this edition, the expert reviews version {version}." in \
        capsys.readouterr().out


def test_the_check_command_fails_on_a_malformed_sign_off(content):
    sign_off(content, "not-a-version")
    result = subprocess.run([sys.executable, "-m", "webapp.content", "check"],
                            cwd=ROOT, env={"CONTENT_DIR": str(content), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "lessons/SIGNOFF.yaml:3: sign-off 2026-03-05: 'version' must be the 12-character" in result.stderr


def test_the_real_content_and_its_sign_off_file_pass_the_check(capsys):
    assert (ROOT / SIGNOFF).exists()
    assert check(["check", str(ROOT)]) == 0
    assert f"the expert reviews version {load_catalog(ROOT).version}" in capsys.readouterr().out or \
        load_catalog(ROOT).signoff().signed
