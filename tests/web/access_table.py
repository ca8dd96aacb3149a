"""WHO MAY DO WHAT: the expected answer of every route, for every role. Read by test_access_matrix.py.

ADDING A ROUTE? Add one line per method to EXPECTED below, in the endpoint's alphabetical place:

    "GET workshops.roster":  (LOGIN, 404, 404, 200, 404, 200),

The six answers are for the roles in ROLES, in that order: anonymous visitor, the trainee who owns
the objects, another trainee, the facilitator of the trainee's workshop, the facilitator of another
workshop, an administrator. An answer is a status code (200, 204, 302 = a redirect elsewhere than the
sign-in page, 400, 403, 404, 405 ...) or LOGIN (a redirect to the sign-in page). GET routes are asked
with no query string, POST routes with an empty form (CSRF is tested on its own); a GET/POST route
needs both lines. If your route takes a URL parameter the test does not know yet, say how to fill it in
PARAMS (by parameter name) or PARAMS_FOR (for one endpoint), from the objects of the world built in
tests/web/access_world.py (add your object there). Other users' objects must answer 404.
A line may be written before its route lands (lines of endpoints the app does not have are not used):
remove the lines of a route you delete.
"""
from __future__ import annotations

ANON, TRAINEE, OTHER_TRAINEE, FACILITATOR, OTHER_FACILITATOR, ADMIN = ROLES = (
    "anonymous", "trainee", "other_trainee", "facilitator", "other_facilitator", "admin")
LOGIN = "login"

# Shorthands for the commonest lines.
EVERYONE = (200,) * 6
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)

EXPECTED = {
    # "METHOD endpoint":              (anonymous, trainee, other_trainee, facilitator, other_facilitator, admin)
    # admin
    "POST admin.set_role":               (LOGIN, 403, 403, 403, 403, 400),
    "GET admin.users":                   (LOGIN, 403, 403, 403, 403, 200),
    # auth
    "GET auth.account":                  SIGNED_IN,
    "POST auth.account":                 (LOGIN, 302, 302, 302, 302, 302),
    "GET auth.confirm":                  EVERYONE,  # whoever holds the emailed link
    "POST auth.confirm":                 (302, 302, 302, 302, 302, 302),
    "POST auth.sign_out_everywhere":     (LOGIN, 302, 302, 302, 302, 302),
    "GET auth.forgot":                   EVERYONE,
    "POST auth.forgot":                  EVERYONE,  # the same answer for every address
    "GET auth.issue":                    (LOGIN, 403, 403, 200, 200, 200),
    "POST auth.issue":                   (LOGIN, 403, 403, 400, 400, 400),
    "GET auth.login":                    (200, 302, 302, 302, 302, 302),
    "POST auth.login":                   (400, 302, 302, 302, 302, 302),
    "POST auth.logout":                  (302, 302, 302, 302, 302, 302),
    "GET auth.password":                 SIGNED_IN,
    "POST auth.password":                (LOGIN, 400, 400, 400, 400, 400),
    "GET auth.register":                 (200, 302, 302, 302, 302, 302),
    "POST auth.register":                (400, 302, 302, 302, 302, 302),
    "GET auth.reset":                    EVERYONE,  # whoever holds the link
    "POST auth.reset":                   (400, 400, 400, 400, 400, 400),
    # certificates
    "GET certificates.admin_detail":     (LOGIN, 403, 403, 403, 403, 200),
    "POST certificates.admin_detail":    (LOGIN, 403, 403, 403, 403, 400),
    "GET certificates.admin_list":       (LOGIN, 403, 403, 403, 403, 200),
    "GET certificates.lookup":           EVERYONE,
    "GET certificates.pdf":              (LOGIN, 200, 404, 404, 404, 200),
    "GET certificates.show":             (LOGIN, 200, 404, 404, 404, 200),
    "GET certificates.verify":           EVERYONE,
    # credentials
    "GET credentials.check":             EVERYONE,
    "POST credentials.check":            (400,) * 6,  # nothing pasted
    "GET credentials.download":          (LOGIN, 200, 404, 404, 404, 200),
    "GET credentials.issuer":            EVERYONE,
    "GET credentials.jwks":              EVERYONE,
    "GET credentials.key":               EVERYONE,
    "GET credentials.offline_verifier":  EVERYONE,
    "GET credentials.status_list":       EVERYONE,
    # courses
    "GET courses.changes":               EVERYONE,
    "GET courses.glossary":              EVERYONE,
    "GET courses.lesson":                EVERYONE,
    "GET courses.sources":               EVERYONE,
    # decide
    "GET decide.index":                  EVERYONE,
    # main
    "GET main.healthz":                  EVERYONE,
    "GET main.home":                     EVERYONE,
    "POST main.language":                (302, 302, 302, 302, 302, 302),
    "GET main.switch_language":          (302, 302, 302, 302, 302, 302),
    # progress
    "POST progress.complete":            (LOGIN, 302, 302, 302, 302, 302),
    "GET progress.index":                SIGNED_IN,
    "POST progress.place":               (LOGIN, 400, 400, 400, 400, 400),
    "GET progress.resume":               (LOGIN, 302, 302, 302, 302, 302),
    # quizzes
    "GET quizzes.attempt":               (LOGIN, 200, 404, 404, 404, 404),
    "POST quizzes.attempt":              (LOGIN, 400, 404, 404, 404, 404),
    "GET quizzes.index":                 EVERYONE,
    "POST quizzes.language":             (LOGIN, 400, 404, 404, 404, 404),  # no language chosen
    "GET quizzes.overview":              SIGNED_IN,
    "GET quizzes.result":                (LOGIN, 200, 404, 404, 404, 404),
    "POST quizzes.start":                (LOGIN, 200, 200, 200, 200, 200),  # answered with the form
    # rooms (issue 17). The room pages answer 404 on a server that is not a room (this world is the
    # central site): their access on a room is tested in tests/web/test_room_sync.py.
    "GET rooms.claim":                   SIGNED_IN,
    "POST rooms.claim":                  (LOGIN, 400, 400, 400, 400, 400),  # no code typed
    "GET rooms.claim_codes":             (LOGIN, 404, 404, 404, 404, 404),
    "GET rooms.records":                 (LOGIN, 403, 404, 200, 404, 200),
    "GET rooms.send":                    (LOGIN, 404, 404, 404, 404, 404),
    "POST rooms.send":                   (LOGIN, 404, 404, 404, 404, 404),
    "POST rooms.sync":                   (400,) * 6,  # not a page: see CSRF_EXEMPT
    # records
    "GET records.delete":                (LOGIN, 200, 200, 200, 200, 302),
    "POST records.delete":               (LOGIN, 400, 400, 400, 400, 302),
    "GET records.download":              SIGNED_IN,
    "GET records.mine":                  SIGNED_IN,
    "GET records.outcomes_csv":          (LOGIN, 403, 403, 403, 403, 200),
    "GET records.report":                (LOGIN, 403, 403, 403, 403, 200),
    "GET records.report_csv":            (LOGIN, 403, 403, 403, 403, 200),
    "GET records.workshops_csv":         (LOGIN, 403, 403, 403, 403, 200),
    # rooms (workshops without internet): kits on the central site; the room's pages answer only on
    # a room server (a kit installed), which the world is not (tests/web/test_room_kits.py tests them there)
    "POST rooms.code_sign_in":           (404,) * 6,
    "GET rooms.code_sign_in":            (404,) * 6,
    "GET rooms.fetch_kit":               (404,) * 6,  # whoever holds the one-time link; unknown here
    "POST rooms.fetch_kit":              (404,) * 6,  # not a page: see CSRF_EXEMPT
    "POST rooms.issue_kit":              (LOGIN, 403, 404, 400, 404, 400),  # no label
    "POST rooms.issue_link":             (LOGIN, 403, 404, 400, 404, 400),
    "GET rooms.revoke_kit":              (LOGIN, 403, 404, 200, 404, 200),
    "POST rooms.revoke_kit":             (LOGIN, 403, 404, 400, 404, 400),  # not confirmed
    "GET rooms.room_codes":              (LOGIN, 404, 404, 404, 404, 404),
    "GET rooms.room_page":               (LOGIN, 403, 404, 200, 404, 200),
    "GET rooms.room_password":           (LOGIN, 404, 404, 404, 404, 404),
    "POST rooms.room_password":          (LOGIN, 404, 404, 404, 404, 404),
    # workshops
    "GET workshops.attendance":          (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.attendance_day":      (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.attendance_day":     (LOGIN, 403, 404, 302, 404, 302),
    "GET workshops.attendance_everyone": (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.attendance_everyone": (LOGIN, 403, 404, 302, 404, 302),
    "POST workshops.attendance_mark":    (LOGIN, 403, 404, 400, 404, 400),
    "GET workshops.edit":                (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.edit":               (LOGIN, 403, 404, 400, 404, 400),
    "GET workshops.index":               SIGNED_IN,
    "POST workshops.answer_invitation":  (LOGIN, 404, 404, 404, 404, 404),  # only the invited address
    "GET workshops.items":               (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.join":                (200, 302, 200, 302, 200, 302),
    "POST workshops.join":               (LOGIN, 302, 302, 302, 302, 302),
    "GET workshops.join_by_code":        EVERYONE,
    "POST workshops.close":              (LOGIN, 403, 404, 302, 404, 302),
    "POST workshops.joining":            (LOGIN, 403, 404, 302, 404, 302),
    "POST workshops.live_action":        (LOGIN, 403, 404, 303, 404, 303),
    "POST workshops.live_answer":        (LOGIN, 303, 404, 403, 404, 403),  # back to her page, whatever came of it
    "POST workshops.live_open":          (LOGIN, 403, 404, 400, 404, 400),
    "GET workshops.live_own":            (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.live_own_ask":       (LOGIN, 403, 404, 400, 404, 400),
    "GET workshops.live_past":           (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.live_panel":          (LOGIN, 200, 404, 200, 404, 200),
    "GET workshops.live_present":        (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.live_present_next":  (LOGIN, 403, 404, 303, 404, 303),
    "GET workshops.live_present_panel":  (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.live_saved_ask":     (LOGIN, 403, 404, 302, 404, 404),  # the facilitator's own
    "POST workshops.live_saved_delete":  (LOGIN, 403, 404, 302, 404, 404),
    "GET workshops.live_screen":         (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.new":                 (LOGIN, 403, 403, 200, 200, 200),
    "POST workshops.new":                (LOGIN, 403, 403, 400, 400, 400),
    "POST workshops.new_code":           (LOGIN, 403, 404, 302, 404, 302),
    "GET workshops.pack_page":           (LOGIN, 200, 404, 200, 404, 200),
    "GET workshops.paper_entry":         (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.paper_entry":        (LOGIN, 403, 404, 400, 404, 400),  # an empty sheet names no trainee
    "GET workshops.people":              (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.projector":           (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.qr":                  (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.remove":              (LOGIN, 403, 404, 200, 404, 200),
    "POST workshops.remove":             (LOGIN, 403, 404, 302, 404, 302),
    "GET workshops.roster":              (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.roster_export":       (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.slips":               (LOGIN, 403, 404, 200, 404, 200),
    "GET workshops.show":                (LOGIN, 200, 404, 200, 404, 200),
    "POST workshops.test_compose":       (LOGIN, 403, 404, 302, 404, 302),
    "POST workshops.test_open":          (LOGIN, 403, 404, 302, 404, 302),
    "POST workshops.test_start":         (LOGIN, 303, 404, 403, 404, 403),
    "GET workshops.test_take":           (LOGIN, 302, 404, 403, 404, 403),
    "POST workshops.test_take":          (LOGIN, 302, 404, 403, 404, 403),
    "POST workshops.test_language":      (LOGIN, 302, 404, 403, 404, 403),
    "GET workshops.tests":               (LOGIN, 403, 404, 200, 404, 200),
}

# How to fill a URL parameter, by its name: a function of the world (tests/web/access_world.py).
PARAMS = {
    "slug": lambda w: "first-steps",
    "quiz": lambda w: "first-steps",
    "attempt_id": lambda w: w.attempt.id,
    "user_id": lambda w: w.users[TRAINEE].id,
    "workshop_id": lambda w: w.workshop.id,
    "live_id": lambda w: w.live.id,
    "day": lambda w: w.workshop.start_date.isoformat(),
    "kind": lambda w: "pre",
    "code": lambda w: w.workshop.join_code,
    "number": lambda w: w.certificate.number,
    "invitation_id": lambda w: w.invitation.id,
    "saved_id": lambda w: w.saved.id,
    "kit_uid": lambda w: w.kit.uid,
}

# The same, for one endpoint whose parameter means something else than elsewhere.
PARAMS_FOR = {
    "quizzes.result": {"attempt_id": lambda w: w.submitted.id},
    "main.switch_language": {"code": lambda w: "en"},
    "auth.reset": {"token": lambda w: w.reset_token},
    "auth.confirm": {"token": lambda w: w.confirm_token},
    "workshops.live_action": {"action": lambda w: "reveal"},
    "workshops.test_open": {"action": lambda w: "open"},
    "credentials.status_list": {"number": lambda w: 1},
    "credentials.key": {"kid": lambda w: _current_kid()},
    "rooms.fetch_kit": {"token": lambda w: "no-such-link"},
}


def _current_kid() -> str:
    from webapp.credentials import keys
    return keys.kid_of(keys.signing_key())

# POST routes without a session or a CSRF token, and what authenticates them instead.
# rooms.sync: a room laptop's signed bundle (a compact JWS verified against the room kit it names;
# anyone may post, only a bundle signed by a kit of this site for its workshop is applied).
CSRF_EXEMPT = {"rooms.sync", "rooms.fetch_kit"}
# GET routes allowed to write, and what: tracking the reader, never an action on her behalf.
# The lesson page records that the signed-in reader opened it (reading progress: "in progress" and the
# place to resume). It is idempotent and only about the reader herself, so a forged cross-site GET can
# at most mark a lesson as opened; completing a lesson is a POST with CSRF.
GET_WRITES = {
    "courses.lesson": {"lesson_progress"},
    # Signing (or publishing the keys) publishes the current key's public half the first time: once
    # per key, the same for everyone, never on anyone's behalf.
    "certificates.pdf": {"credential_key"},  # its QR code carries a signed statement
    "certificates.show": {"credential_key"},
    "credentials.download": {"credential_key"},
    "credentials.jwks": {"credential_key"},
    "credentials.offline_verifier": {"credential_key"},
    "credentials.status_list": {"credential_key"},
    # A live question whose countdown ran out is closed in the database by the first page or poll that
    # reads it (nobody's action: it records when answers stopped, for the history).
    "workshops.show": {"live_question"},
    "workshops.live_screen": {"live_question"},
    "workshops.live_panel": {"live_question"},
    "workshops.live_present": {"live_question"},
    "workshops.live_present_panel": {"live_question"},
}
