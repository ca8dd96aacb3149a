"""Typing a paper pre- or post-test sheet back in, one sheet per screen, from a phone: choose the
trainee and the sheet's version, type the letters she wrote, save; the screen comes back empty for
the next sheet. The rules are in paper.py."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from ..content import catalog
from ..extensions import db
from ..input_numbers import whole_number
from ..models import Attempt
from ..models.workshop import POST, PRE, workshop_quiz_key
from ..people import display_name
from . import access, bp, pack, paper, prepost, services


def _sittings(workshop, kind) -> dict:
    """user id -> her sitting of this test (online or on paper), in one query."""
    return {a.user_id: a for a in db.session.scalars(
        select(Attempt).where(Attempt.quiz == workshop_quiz_key(workshop.id, kind), Attempt.abandoned_at.is_(None)))}


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>/paper", methods=["GET", "POST"])
@login_required
def paper_entry(workshop_id, kind):
    workshop = access.for_facilitator(workshop_id)
    cat = catalog()
    test = prepost.tests_of(workshop.id).get(kind)
    version = request.values.get("version", pack.VERSIONS[0])
    if version not in pack.VERSIONS:
        if request.method == "POST":
            abort(400)
        version = pack.VERSIONS[0]
    page = {"workshop": workshop, "kind": kind, "PRE": PRE, "POST": POST, "test": test, "version": version,
            "versions": pack.VERSIONS, "members": services.members(workshop.id), "form": {}, "unreadable": (),
            "conflict": None, "no_trainee": False}
    if test is None:
        return render_template("workshops/paper_entry.html", **page), 409 if request.method == "POST" else 200
    page["sheet"] = paper.sheet(cat, workshop, test, version)
    if request.method == "GET":
        return render_template("workshops/paper_entry.html", sittings=_sittings(workshop, kind), **page)

    page["form"] = request.form
    user_id = whole_number(request.form.get("user", ""))
    if user_id is None or not services.is_member(workshop.id, user_id):
        return render_template("workshops/paper_entry.html", sittings=_sittings(workshop, kind),
                               **{**page, "no_trainee": True}), 400
    typed = {pq.number: request.form.get(f"a-{pq.number}", "")[:40] for pq in page["sheet"]}
    try:
        attempt = paper.record(cat, workshop, test, user_id, version, typed,
                               replace=whole_number(request.form.get("replace", "")))
    except paper.Unreadable as error:
        return render_template("workshops/paper_entry.html", sittings=_sittings(workshop, kind),
                               **{**page, "unreadable": error.numbers}), 400
    except paper.AlreadyRecorded as error:
        return render_template("workshops/paper_entry.html", sittings=_sittings(workshop, kind),
                               **{**page, "conflict": error}), 409
    person = next(m for m in page["members"] if m.id == user_id)
    flash(_("Saved for %(name)s: %(score)d %% (version %(version)s, on paper).",
            name=display_name(person), score=round(attempt.score * 100), version=version), "success")
    return redirect(url_for("workshops.paper_entry", workshop_id=workshop.id, kind=kind, version=version))
