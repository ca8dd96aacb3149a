"""The site always keeps an administrator: not the command line, nor two administrators demoting
each other at the same moment, can take the last one away."""
import threading

import pytest
from sqlalchemy import func, select

from webapp.admin import services
from webapp.extensions import db
from webapp.models import User

from ..factories import make_user
from .workshop_helpers import signed_in, text


def admins() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == "admin"))


def test_an_administrator_demotes_another_but_the_last_one_stays(app, runner):
    first = make_user(email="first@example.org", role="admin", language="en")
    second = make_user(email="second@example.org", role="admin", language="en")
    client = signed_in(app, first)
    assert client.post(f"/admin/users/{second.id}/role", data={"role": "facilitator"}).status_code == 302
    assert admins() == 1
    result = runner.invoke(args=["set-role", "first@example.org", "trainee"])
    assert result.exit_code != 0 and "is the last administrator" in result.output
    assert db.session.get(User, first.id).role == "admin"
    with pytest.raises(services.LastAdministrator):
        services.set_role(db.session.get(User, first.id), "facilitator")
    assert admins() == 1


@pytest.mark.engine_sensitive
def test_two_administrators_demoting_each_other_at_once_leave_one(app):
    first = make_user(email="first@example.org", role="admin", language="en")
    second = make_user(email="second@example.org", role="admin", language="en")
    clients = {first.id: signed_in(app, first), second.id: signed_in(app, second)}
    targets = {first.id: second.id, second.id: first.id}
    barrier, statuses = threading.Barrier(2), []

    def demote(actor):
        barrier.wait()
        response = clients[actor].post(f"/admin/users/{targets[actor]}/role", data={"role": "trainee"})
        statuses.append((response.status_code, text(response)))

    threads = [threading.Thread(target=demote, args=(actor,)) for actor in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admins() == 1
    codes = sorted(code for code, _ in statuses)
    assert codes[0] == 302 and codes[1] in (403, 409)  # the second: no longer an admin, or the last one
    assert all("is the last administrator" in page for code, page in statuses if code == 409)
