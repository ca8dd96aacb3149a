"""Rules an expert checks in the real course content, written down so that they stay checked.

Each test names the OUTLINE section or the source it guards. They read the real lessons and
question banks (not the small sample in tests/data).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from webapp.content import load_catalog

ROOT = Path(__file__).parent.parent.parent


def catalog():
    return load_catalog(ROOT)


def texts(node, path=""):
    """Every {en, fr} pair in a YAML structure, with where it is."""
    if isinstance(node, Mapping):
        if isinstance(node.get("en"), str) and isinstance(node.get("fr"), str):
            yield path, node
        for key, value in node.items():
            yield from texts(value, f"{path}/{key}")
    elif isinstance(node, (list, tuple)):
        for n, value in enumerate(node):
            name = value.get("id", n) if isinstance(value, Mapping) else n
            yield from texts(value, f"{path}/{name}")


def test_a_regular_entry_alone_never_rules_out_smuggling_in_a_case_explanation():
    """Since the December 2026 revision (OUTLINE 4.1 step 7, 4.2), documents supplied for an entry
    or an illegal stay arranged for a benefit are smuggling even after a regular entry (Smuggling
    of Migrants Protocol, art. 6(1)(b), (c)). A case explanation that says "no smuggling" must
    therefore say why on both counts, not only that the entry was regular."""
    wrong = []
    for q in catalog().all_questions():
        if q["type"] != "classify" or q["facts"].get("crossing") not in ("regular", "none"):
            continue
        en, fr = q["explanation"]["en"], q["explanation"]["fr"]
        if re.search(r"\bno smuggling\b|\bnot smuggling\b", en) and not re.search(r"false documents|illegal stay", en):
            wrong.append((q["id"], "en"))
        if re.search(r"pas de trafic illicite", fr) and not re.search(r"faux documents|séjour illégal", fr):
            wrong.append((q["id"], "fr"))
    assert not wrong


def test_no_lesson_says_a_legal_entry_rules_out_smuggling():
    """Lesson 1 and the decision aid teach that an illegal stay enabled after a regular entry is a
    smuggling offence; no lesson may teach the old rule that a legal entry is never smuggling."""
    old = re.compile(r"entered legally, it is not smuggling|entrée légalement, il n'y a pas de trafic")
    for lesson in catalog().lessons:
        for lang in ("en", "fr"):
            assert not old.search(lesson.text(lang).html), (lesson.slug, lang)


LEFT_ECOWAS = re.compile(r"Niamey|Bamako|Ouagadougou|\bNiger\b|\bMali\b|Burkina Faso")


def test_a_question_keying_an_ecowas_instrument_is_not_set_in_a_state_that_left_ecowas():
    """Burkina Faso, Mali and Niger left ECOWAS on 29 January 2025 (the course's update boxes).
    A question whose right answer is an ECOWAS convention would be arguable if its case involved
    one of them; rc-ecowas-channels once sent a prosecutor in Niamey to the ECOWAS conventions."""
    for q in catalog().all_questions():
        right = [o for o in q.get("options", ()) if o["correct"]]
        if any("ECOWAS Convention" in o["text"]["en"] for o in right):
            assert not LEFT_ECOWAS.search(q["prompt"]["en"]), q["id"]


def test_the_tobacco_example_says_only_what_the_summary_says():
    """The summary says only that Malian smugglers who take migrants to Algeria "sont liés à des
    activités de contrebande de tabac" on the way back (Opening, Mustonen). That the same network,
    vehicles or drivers carry both is not in it (expert review 1.3; lesson 2 says so)."""
    invented = re.compile(r"same (network|vehicles|drivers) (moves|carr)|même réseau transporte"
                          r"|mêmes (véhicules|chauffeurs) transportent", re.I)
    for bank in catalog().banks.values():
        for q in bank.questions:
            for where, pair in texts(q):
                for lang in ("en", "fr"):
                    assert not invented.search(pair[lang]), (q["id"], where, lang)
    for lesson in catalog().lessons:
        for lang in ("en", "fr"):
            assert not invented.search(lesson.text(lang).html), (lesson.slug, lang)


def french_texts():
    """Every French text a reader sees: lessons, question banks, glossary, decision aid, course
    page, sources, and the interface's French translations (the certificate among them)."""
    import yaml
    for lesson in catalog().lessons:
        yield lesson.slug, lesson.text("fr").html
    for path in sorted((ROOT / "quizzes").glob("*.yaml")) + sorted((ROOT / "lessons").glob("*.yaml")):
        for where, pair in texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield f"{path.name}{where}", pair["fr"]
    po = (ROOT / "webapp/translations/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    for n, line in enumerate(po.splitlines(), start=1):
        if line.startswith("msgstr"):
            yield f"messages.po:{n}", line


def test_french_follows_the_outlines_terminology_for_smugglers_and_traffickers():
    """OUTLINE section 0, terminology: smuggling of migrants is « trafic illicite de migrants »
    (the summary's « trafic de migrants » survives only in the EU action plan's official title
    and the Valletta wording, both « contre le trafic de migrants »), and « trafiquant » is never
    used on its own, since the summary uses it for smugglers and traffickers alike."""
    bare_trafiquant = re.compile(r"(?<!« )(?<!<em>)\btrafiquants?\b(?! d'êtres humains)")
    short_smuggling = re.compile(r"(?<!contre le )\btrafic de migrants")
    titles = {"sources.yaml/groups/meeting/items/porto-2015/text"}  # the meeting's own title
    wrong = []
    for where, text in french_texts():
        if where in titles or where.startswith("CHANGELOG.yaml"):  # the changelog quotes old words
            continue
        text = text.replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")
        if bare_trafiquant.search(text) or short_smuggling.search(text):
            wrong.append(where)
    assert not wrong


SUMMARY = Path(os.environ.get("PORTO_SUMMARY", "/work/shared/source/porto-2015-summary.fr.txt"))
# Names, titles and enumerations the outline lets lessons carry over (section 0: "facts, figures,
# names and counts carry over; the summary's sentences do not").
CARRIED_OVER = (
    "plan d'action de la valette et le programme de rome",
    "les organisations religieuses les autorités traditionnelles et coutumières",
    "réseau de l'afrique de l'ouest pour la protection des enfants",
    "une politique publique à part entière",
    "assistance de long terme retour et inclusion sociale",
    "loi de 2005 relative à la traite et aux pratiques assimilées",
    "la lutte contre la migration irrégulière et les crimes",
    "les enquêtes judiciaires la coopération",
    "l'éradication de la traite des êtres humains",
    "les victimes potentielles de traite les mères seules",
    "la révision des accords bilatéraux et de coopération",
    "la croix rouge italienne et save the children",
    "en faire des mécanismes de référence",
    "dialogue euro africain sur la migration et le développement",
    "libre circulation des personnes et aux migrations en afrique de l'ouest",
    "les droits de l'homme et la coopération régionale et internationale",
)
RUN = 12  # words in a row shared with the summary that make a copied sentence


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", re.sub(r"<[^>]+>", " ", text).lower().replace("’", "'"))


@pytest.mark.skipif(not SUMMARY.exists(), reason="the Porto 2015 summary is not on this machine "
                                                  "(set PORTO_SUMMARY)")
def test_french_texts_do_not_copy_sentences_of_the_summary():
    """OUTLINE section 0: lessons are in our own words. The French texts are written in the
    summary's own language, so a copied sentence shows as a long run of the same words."""
    source = _words(SUMMARY.read_text(encoding="utf-8"))
    runs = {tuple(source[i:i + RUN]) for i in range(len(source) - RUN + 1)}
    copied = []
    for where, text in french_texts():
        words = _words(text)
        n = 0
        while n <= len(words) - RUN:
            if tuple(words[n:n + RUN]) not in runs:
                n += 1
                continue
            end = n + RUN
            while end < len(words) and tuple(words[end - RUN + 1:end + 1]) in runs:
                end += 1
            found = " ".join(words[n:end])
            if not any(allowed in found for allowed in CARRIED_OVER):
                copied.append((where, found))
            n = end
    assert not copied


def test_an_explanation_about_portugals_sef_says_it_no_longer_exists():
    """The SEF, whose unit spoke at Porto, was dissolved on 29 October 2023 (update boxes in lessons
    3 and 5). Quiz explanations have no update box of their own: one that describes the SEF must
    say so, or it teaches a service a trainee can no longer call."""
    for q in catalog().all_questions():
        if "SEF" in q["explanation"]["en"]:
            assert "dissolved" in q["explanation"]["en"], q["id"]
            assert "dissous" in q["explanation"]["fr"], q["id"]


def test_the_right_option_does_not_give_itself_away_by_its_length():
    """A single-choice question whose right option is more than twice as long as any wrong one is
    answered without reading it: the longest, most qualified option wins. Seven questions did so
    (saf-france-profile, saf-ratio-meaning, ns-observatory-role, cj-network-focus,
    idr-age-assessment, rc-ecowas-channels, co-civil-registries)."""
    for q in catalog().all_questions():
        if q["type"] != "single":
            continue
        for lang in ("en", "fr"):
            right = max(len(o["text"][lang]) for o in q["options"] if o["correct"])
            wrong = max(len(o["text"][lang]) for o in q["options"] if not o["correct"])
            assert right <= 2 * wrong, (q["id"], lang, right, wrong)


def test_the_glossary_counts_as_smuggling_what_the_decision_aid_counts():
    """The aid's step 7 (OUTLINE 4.1) makes documents and illegal stays procured for a benefit
    smuggling (Smuggling of Migrants Protocol, art. 6(1)(b), (c)); the glossary's definition, which
    lessons link on first use, must not stop at the crossing of art. 3(a)."""
    term = next(t for t in catalog().glossary if t["id"] == "smuggling-of-migrants")
    assert "6(1)(b), (c)" in term["definition"]["en"]
    assert "art. 6, par. 1, b) et c)" in term["definition"]["fr"]
