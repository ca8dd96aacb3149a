import uuid
from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.orm import mapped_column


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_uid() -> str:
    """A record's id that is unique everywhere: made where the record is made (the central site or a
    room laptop offline), so that records meeting at sync are never confused or counted twice."""
    return str(uuid.uuid4())


def uid_column():
    """The ``uid`` of a record that a room laptop can make offline and send home (issue 17): unique
    on every server, so sending it twice finds it instead of adding it again."""
    return mapped_column(String(36), default=new_uid, unique=True, index=True)
