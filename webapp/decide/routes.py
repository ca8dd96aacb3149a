"""One question per page; the answers so far travel in the query string.

Every page is a GET (``/decide?child=no&act=yes``): nothing is stored, each step can be bookmarked
or shared, and the browser's Back button works. The rule is :func:`webapp.decision.classify`; the
texts come from ``lessons/decision-aid.yaml`` through the catalog.
"""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import catalog
from ..decision import BOTH, CHOICES, NEITHER, SMUGGLING, STEPS, UNKNOWN, classify, is_asked
from ..fragments import member_page
from ..i18n import lang
from ..people import PROFESSIONS
from . import bp

# The elements of each crime, in the order the reasons list them.
CRIMES = (("trafficking", ("child", "act", "purpose", "means")),
          ("smuggling", ("crossing", "benefit", "facilitation")))
EXPLANATIONS = ("consent", "border", "profit_source", "shift")


class InvalidLink(Exception):
    """A query parameter that no page of the aid offers: a damaged or forged link."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _t(text: dict) -> str:
    return text.get(lang()) or text["en"]


# Carried by the aid's forms from a "Change" on: answers that come from them are this version's.
CURRENT_FORM = ("v", "2")


def read_answers(args, aid) -> dict:
    """The answers in ``args``, in step order, without answers to questions that the other answers
    skip (a changed answer can make a later one irrelevant). Raise InvalidLink on a value that no
    form offers, or on a question answered twice."""
    answers = {}
    for key in STEPS:
        values = args.getlist(key)
        if values and (len(values) > 1 or values[0] not in CHOICES[key]):
            raise InvalidLink(_("The link gives an answer that the question “%(question)s” does not offer.",
                                question=_t(aid["steps"][key]["name"])))
        if values:
            answers[key] = values[0]
    if ("consent" in answers and "facilitation" not in answers and is_asked("facilitation", answers)
            and args.get(CURRENT_FORM[0]) != CURRENT_FORM[1]):
        # A finished link from before the aid asked about documents and stays (December 2026):
        # it still opens on a result, with that answer as "don't know" and a link to change it.
        # Not the aid's own forms: after a "Change" that makes the question apply, it is asked.
        answers = {**{k: v for k, v in answers.items() if k != "consent"}, "facilitation": UNKNOWN,
                   "consent": answers["consent"]}
    return {key: value for key, value in answers.items() if is_asked(key, answers)}


def read_role(args, aid) -> str:
    role = args.get("role", "")
    if role and role not in aid["roles"]:
        raise InvalidLink(_("The link names a profession that the decision aid does not know."))
    return role


def read_step(args, answers) -> str | None:
    """The question to show again (from a "Change" link), if any."""
    step = args.get("step")
    if step is not None and (step not in STEPS or not is_asked(step, answers)):
        raise InvalidLink(_("The link asks for a question that does not apply to the answers given."))
    return step


def _may_be_asked(key: str, answers: dict) -> bool:
    # benefit may yet be asked while the crossing is not answered.
    return (key == "benefit" and "crossing" not in answers) or is_asked(key, answers)


def _url(answers: dict, role: str = "", **extra) -> str:
    return url_for("decide.index", **answers, **({"role": role} if role else {}), **extra)


def _without_last(answers: dict) -> dict:
    return dict(list(answers.items())[:-1])


@bp.route("/decide")
def index():
    aid = catalog().aid
    try:
        answers = read_answers(request.args, aid)
        role = read_role(request.args, aid)
        editing = read_step(request.args, answers)
    except InvalidLink as error:
        return render_template("decide/invalid.html", message=error.message), 400
    key = editing or next((k for k in STEPS if is_asked(k, answers) and k not in answers), None)
    if key is None:
        return _result(aid, answers, role)
    sequence = [k for k in STEPS if _may_be_asked(k, answers)]
    hidden = {k: v for k, v in answers.items() if k != key}
    if role:
        hidden["role"] = role
    if editing or request.args.get(CURRENT_FORM[0]) == CURRENT_FORM[1]:
        hidden[CURRENT_FORM[0]] = CURRENT_FORM[1]
    back = _url(answers, role) if editing else (_url(_without_last(answers), role) if answers else None)
    def render():
        return render_template("decide/question.html", aid=aid, key=key, step=aid["steps"][key],
                               choices=CHOICES[key], current=answers.get(key), hidden=hidden,
                               number=sequence.index(key) + 1, total=len(sequence), back=back,
                               first=not answers and not editing)
    if current_user.is_authenticated:
        # A question depends on nothing of hers but her role; the answers so far are in the query
        # string, and a page asked for with one is rendered afresh (fragments.member_page).
        return member_page(("decide.index", current_user.is_admin), render)
    return render()


def _result(aid: dict, answers: dict, role: str):
    decision = classify(answers)
    steps = aid["steps"]
    states = {"met": _("Met"), "not_met": _("Not met"), "unknown": _("Unknown"), "not_needed": _("Not needed")}
    crimes = [{"label": aid["results"][crime]["label"], "rule": aid["rules"][crime],
               "elements": [{"name": steps[k]["element"], "state": decision.elements[k],
                             "state_label": states[decision.elements[k]],
                             "answer": steps[k]["choices"][answers[k]] if k in answers else None}
                            for k in keys]}
              for crime, keys in CRIMES]
    referral = aid["referrals"][decision.result]
    referral_steps = list(aid["referrals"][referral["include"]]["steps"] if referral.get("include") else ())
    referral_steps += referral["steps"]
    if decision.result in (SMUGGLING, BOTH) and decision.elements["facilitation"] == "met":
        referral_steps += aid["referrals"][SMUGGLING]["documents"]
    account_role = (current_user.profession if current_user.is_authenticated
                    and current_user.profession in aid["roles"] else "")
    shown_role = account_role or role
    with_roles = decision.result != NEITHER  # the role lines are about victims and smuggled migrants
    summary = [{"name": steps[k]["name"], "answer": steps[k]["choices"][v], "change": _url(answers, role, step=k)}
               for k, v in answers.items()]
    return render_template(
        "decide/result.html", aid=aid, decision=decision, result=aid["results"][decision.result],
        crimes=crimes, smuggling_open=aid["results"]["trafficking"]["smuggling_open"] if decision.smuggling_open else None,
        find_out=[steps[k]["find_out"] for k in decision.find_out],
        referral_steps=referral_steps, explanations=[aid["explanations"][k] for k in EXPLANATIONS],
        role_line=aid["roles"].get(shown_role) if with_roles else None,
        role_name=PROFESSIONS.get(shown_role), role_form=with_roles and not account_role, role=role,
        professions=[(code, label) for code, label in PROFESSIONS.items() if code in aid["roles"]],
        answers=answers, summary=summary, back=_url(_without_last(answers), role),
        again=_url({}, role),
        lesson=url_for("courses.lesson", slug="trafficking-vs-smuggling", _anchor="classify-cases"))
