"""Database settings that depend on the engine."""
import time
from contextlib import contextmanager

from sqlalchemy import event, exc

from .extensions import db


def init_app(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "reset", _durable_again)
        else:
            _ping_when_idle(engine, app.config["DB_PING_IDLE_SECONDS"])
            if engine.dialect.name == "postgresql":
                event.listen(engine, "reset", _in_transactions_again)


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


LAZY = "commits_without_waiting"


@contextmanager
def not_waiting_for_the_disk():
    """The transaction opened within commits without waiting for the disk: a power cut in the next
    fraction of a second may take it back, whole, but never half of it, never an earlier commit, and
    never one it precedes (the next durable commit writes it down too). Only for what nobody was told
    is saved: opening a quiz attempt, which a reload opens again (her answers, stored when she submits
    them, wait for the disk as always). It spares a sitting one of its two waits for the disk, which
    SQLite makes while holding the one write lock every worker needs.

    SQLite: ``synchronous`` NORMAL for this transaction (WAL mode), FULL again before the connection
    goes back to the pool; it may only change between transactions, so an open one stays durable.
    PostgreSQL: ``synchronous_commit`` off for this transaction alone (SET LOCAL)."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        connection.info[LAZY] = True
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
    yield
    # A commit gave the connection back to the pool, which made it durable again (_durable_again); one
    # still held (nothing was written, or the caller has not committed) is made so here, unless its
    # transaction is still open (then the pool does it).
    if sqlite and not connection.closed and connection.info.get(LAZY) \
            and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("PRAGMA synchronous=FULL")
        connection.info.pop(LAZY)


def _durable_again(dbapi_connection, record, reset_state):
    """Every connection the pool hands out commits durably (FULL), whatever the last request did."""
    if record.info.pop(LAZY, False):
        dbapi_connection.execute("PRAGMA synchronous=FULL")


@contextmanager
def outside_a_transaction():
    """The statements within run on their own, each its own transaction, when the request has not
    begun one: on PostgreSQL a signed-in page that only reads then costs one round trip to the
    server instead of three (the driver's BEGIN, the query, and the ROLLBACK that ends the request,
    which the driver skips when nothing began). A single SELECT sees one consistent state either way,
    and what the request does next begins its transaction as before. Elsewhere, a no-op: SQLite's
    driver begins a transaction only to write."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    from psycopg.pq import TransactionStatus  # only PostgreSQL deployments need the driver
    driver = connection.connection.driver_connection
    if driver.autocommit or driver.info.transaction_status != TransactionStatus.IDLE:
        yield  # a transaction is under way: read within it
        return
    driver.autocommit = True
    try:
        yield
    finally:
        if not driver.closed and not driver.broken:  # a broken one is thrown away, not pooled
            driver.autocommit = False


def _in_transactions_again(dbapi_connection, record, reset_state):
    """Every PostgreSQL connection the pool hands out begins transactions, whatever happened while
    ``outside_a_transaction`` held it (autocommit never leaves one open, so this is always allowed)."""
    if dbapi_connection.autocommit:
        dbapi_connection.autocommit = False
