from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..achievements import workshops as workshop_facts
from ..content import catalog
from ..credentials.issuing import completion_day, holder_language, qr_text
from ..credentials.keys import NoSigningKey
from ..i18n import in_language, lang
from ..mail import external_url
from ..people import is_erased
from ..security import admin_required
from ..zones import local_date
from . import bp, document, numbers, services
from .forms import LookupForm, RevokeForm


def _mine_or_admin(number: str):
    status, cert = services.find(number)
    # Someone else's certificate is "not found" here; its public page is /verify/<number>.
    if cert is None or not (current_user.is_admin or cert.user_id == current_user.id):
        abort(404)
    return cert


def _document(cert) -> document.Document:
    """The certificate's texts, in its holder's language (call inside ``in_language``)."""
    lang = holder_language(cert)
    number = numbers.display(cert.number)
    return document.Document(
        lang=lang, number=number, holder=cert.holder_name or _("Deleted account"),
        course=(catalog().course.get("title") or {}).get(lang, "Passerelle"),
        workshop=workshop_facts.describe(cert.workshop_id, lang) if cert.workshop_id else "",
        date=local_date(completion_day(cert), "long"),
        verify_url=external_url("certificates.verify", number=number),
        revoked=not cert.is_valid,
        qr_text="" if is_erased(cert.user) else _signed_qr(cert),
        labels={"heading": _("Certificate of completion"), "certifies": _("This certifies that"),
                "completed": _("has completed the course"), "workshop": _("as part of the workshop"),
                "date": _("Completed on"), "number": _("Certificate number"),
                "verify": _("Check that this certificate is genuine at"),
                "revoked": _("This certificate has been revoked."),
                "issuer": _("Passerelle, a course of the Rabat Process on trafficking in persons and "
                            "smuggling of migrants")})


def _signed_qr(cert) -> str:
    """The QR text with its signed statement; only the link when no key is set up yet (production
    before `flask credentials generate-key`): the certificate itself must never fail for that."""
    try:
        return qr_text(cert)
    except NoSigningKey as error:
        current_app.logger.error("%s", error)
        return ""


@bp.route("/certificates/<number>")
@login_required
def show(number):
    cert = _mine_or_admin(number)
    # The certificate in its holder's language; the page around it in the reader's (an administrator's,
    # say), whose language switch then works.
    with in_language(holder_language(cert)):
        doc = _document(cert)
    return render_template("certificates/certificate.html", doc=doc, cert=cert, erased=is_erased(cert.user),
                           qr=document.qr_svg_data_uri(doc.qr_content), doc_lang=holder_language(cert))


@bp.route("/certificates/<number>/pdf")
@login_required
def pdf(number):
    cert = _mine_or_admin(number)
    if is_erased(cert.user):
        abort(404)  # no document is made any more for someone who deleted her account
    with in_language(holder_language(cert)):
        doc = _document(cert)
    response = make_response(document.pdf(doc))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="passerelle-{doc.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/verify")
def lookup():
    form = LookupForm(request.args) if request.args else LookupForm(formdata=None)
    if request.args and form.validate():
        return redirect(url_for("certificates.verify", number=form.number.data))
    return render_template("certificates/lookup.html", form=form), (400 if request.args else 200)


@bp.route("/verify/<path:number>")
def verify(number):
    """Public: holder, course, date and status, and nothing more. Unknown and malformed: 404."""
    status, cert = services.find(number)
    if cert is None:
        form = LookupForm(formdata=None, data={"number": number[:40]})
        return render_template("certificates/verify.html", status=status, cert=None, form=form), 404
    # The content edition in force on the completion day: what the holder was taught and tested on.
    edition = catalog().edition_on(completion_day(cert))
    # Whether an expert signed off the content version she was tested on (lessons/SIGNOFF.yaml).
    signoff = catalog().signoff(cert.content_version) if cert.content_version else None
    return render_template("certificates/verify.html", status=status, cert=cert, form=None, edition=edition,
                           signoff=signoff,
                           edition_date=edition.when(lang()) if edition else "",
                           number=numbers.display(cert.number), course=catalog().course.get("title") or {},
                           workshop=workshop_facts.describe(cert.workshop_id, lang()) if cert.workshop_id else "",
                           erased=is_erased(cert.user), completed=completion_day(cert))


@bp.route("/admin/certificates")
@admin_required
def admin_list():
    query = request.args.get("q", "")[:120]
    # Each dated as its certificate is (the holder's zone), not in the administrator's.
    return render_template("certificates/admin_list.html", certificates=services.search(query), query=query,
                           display=numbers.display, day=completion_day)


@bp.route("/admin/certificates/<number>", methods=["GET", "POST"])
@admin_required
def admin_detail(number):
    status, cert = services.find(number)
    if cert is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        if services.revoke(cert, by=current_user, reason=form.reason.data):
            flash(_("Certificate %(number)s is revoked.", number=numbers.display(cert.number)), "success")
        else:
            flash(_("This certificate was already revoked."), "info")
        return redirect(url_for("certificates.admin_detail", number=numbers.display(cert.number)))
    others = [(other, workshop_facts.describe(other.workshop_id, lang()) if other.workshop_id else "")
              for other in services.for_user(cert.user_id) if other.id != cert.id]
    return render_template("certificates/admin_detail.html", cert=cert, form=form, number=numbers.display(cert.number),
                           workshop=workshop_facts.describe(cert.workshop_id, lang()) if cert.workshop_id else "",
                           others=others, display=numbers.display, erased=is_erased(cert.user), day=completion_day), \
        (400 if request.method == "POST" else 200)
