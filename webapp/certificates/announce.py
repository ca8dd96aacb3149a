"""What a trainee is told when certificates are issued to her: flashed on her next page (HTTP
here, so that certificates/services.py stays free of it)."""
from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..models.certificate import Certificate


def announce(new: list[Certificate]) -> None:
    """Tell the trainee, on her next page, that a certificate is waiting for her."""
    for cert in new:
        if cert.workshop_id is None:
            text = _("Congratulations: you have completed the course. Your certificate is in My records.")
        else:
            text = _("Congratulations: you have completed the workshop. Your certificate is in My records.")
        # The way to the certificate itself, not only where it is kept (Markup: the links stay links).
        flash(Markup('{} <a href="{}">{}</a> · <a href="{}">{}</a>').format(
            text, url_for("certificates.show", number=cert.number), _("See my certificate"),
            url_for("certificates.pdf", number=cert.number), _("Download it (PDF)")), "success")


def announce_later(user_id: int) -> None:
    """On a workshop room: she has earned a certificate, which the central site will issue."""
    from . import services
    if services.due(user_id):
        flash(_("Congratulations: you have completed it. Your certificate will be issued by the central site "
                "once the facilitator sends this room’s records home; nothing is issued on this laptop."), "success")
