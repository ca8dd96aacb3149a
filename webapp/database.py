"""Database settings that depend on the engine."""
import time

from sqlalchemy import event, exc

from .extensions import db


def init_app(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            _ping_when_idle(engine, app.config["DB_PING_IDLE_SECONDS"])


def _ping_when_idle(engine, idle_seconds: float) -> None:
    """SQLAlchemy's pool_pre_ping, only for a connection that has sat in the pool for a while.

    pool_pre_ping costs a round trip to the server on every request: on PostgreSQL, a fifth of a
    signed-in trainee's lesson page. A connection given back a moment ago is alive; one idle for
    longer may have been cut (a database restart, a firewall's idle timeout), and is checked. A
    dead one is replaced before the request uses it: the pool retries with a new connection."""
    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def returned(dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection, record, proxy):
        returned_at = record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error


def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers and one writer work together (several gunicorn workers); the busy timeout
    # makes a writer wait its turn instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
