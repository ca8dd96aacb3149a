"""Room side: send the records home, one signed bundle at a time.

Repeatable and resumable by construction: a record is marked as sent only once the central site
acknowledged the bundle that carried it (``bundles.mark_sent``, committed per bundle). A failure of
any kind (no network, a transfer cut, a server error, either side killed) leaves the records of the
unanswered bundle unsent, and the next run sends them again in a new bundle; the central site
applies records by uid, so a record that did arrive before the failure is found, not added twice.
A bundle the central site says it already received counts as acknowledged.
"""
from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from flask import current_app, has_request_context
from flask_babel import get_locale, gettext

from ..extensions import db
from ..models import Workshop
from . import bundles, keys

CONTENT_TYPE = "application/jose"


def _(message: str, **values) -> str:
    """Translated on the room's page; in English from `flask room sync` (no request, no locale)."""
    return gettext(message, **values) if has_request_context() else message % values


@dataclass
class Result:
    sent: int = 0            # records acknowledged in this run
    bundles: int = 0         # bundles acknowledged in this run
    left: int = 0            # records still not sent
    error: str | None = None  # why the run stopped early (None: everything was sent)
    refused: bool = False    # the central site refused (a revoked kit...): sending again will not help

    @property
    def ok(self) -> bool:
        return self.error is None


class _Failed(Exception):
    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.message, self.refused = message, refused


def sync_url(central_url: str) -> str:
    return central_url.rstrip("/") + "/rooms/sync"


def post_bundle(url: str, text: str, timeout: float) -> dict:
    """POST one bundle; the central site's JSON answer when it acknowledged it, else _Failed."""
    # The central site's refusals are shown to the facilitator: in her language, or English in a terminal.
    language = str(get_locale()) if has_request_context() else "en"
    request = urllib.request.Request(url, data=text.encode("ascii"), method="POST",
                                     headers={"Content-Type": CONTENT_TYPE, "Accept": "application/json",
                                              "Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read().decode("utf-8")).get("message", "")
        except (ValueError, OSError, http.client.HTTPException):
            detail = ""
        if error.code >= 500:
            raise _Failed(_("The central site could not take the records now (error %(code)s). Try again "
                            "later: nothing was lost.", code=error.code)) from error
        raise _Failed(_("The central site refused the records: %(detail)s", detail=detail or error.code),
                      refused=True) from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        # no network, a refused or cut connection, a timeout, an answer cut short
        current_app.logger.warning("sending the room's records: %r", error)  # the cause, for the log
        raise _Failed(_("The central site could not be reached. Try again when the connection is back: "
                        "nothing was lost.")) from error
    if answer.get("status") not in ("applied", "already_received"):
        raise _Failed(_("The central site gave an answer this room does not understand. Try again later."))
    return answer


def sync(central_url: str | None = None) -> Result:
    """Send every record not sent yet, bundle after bundle; stop at the first failure."""
    room = bundles.install()
    if room is None:
        return Result(error=_("This server is not a room: install a room kit first."), refused=True)
    url = sync_url(central_url or room.central_url)
    config = current_app.config
    workshop_uid = db.session.get(Workshop, room.workshop_id).uid
    try:
        key = keys.room_key()
    except keys.NoRoomKey as error:
        return Result(error=str(error), refused=True)
    todo = bundles.unsent(bundles.collect(room))
    result = Result(left=len(todo))
    for chunk in bundles.chunks(todo, config["ROOM_BUNDLE_RECORDS"], config["ROOM_BUNDLE_BYTES"]):
        text = bundles.sign(bundles.payload(room, workshop_uid, chunk), key)
        try:
            post_bundle(url, text, config["ROOM_SYNC_TIMEOUT"])
        except _Failed as failure:
            result.error, result.refused = failure.message, failure.refused
            return result
        bundles.mark_sent(chunk)
        result.sent += len(chunk)
        result.bundles += 1
        result.left -= len(chunk)
    return result
