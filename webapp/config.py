"""Configuration from the environment, with safe defaults for `make run`."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'passerelle.db'}")
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgresql") and "connect_timeout=" not in url:
        # A database that does not answer (a dropped route) fails a request, and /healthz, in seconds
        # instead of hanging a worker until the operating system gives up.
        url += ("&" if "?" in url else "?") + "connect_timeout=5"
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # A pooled server connection idle longer than this is checked (a round trip) before use: one
    # that sat in the pool may have been cut by a database restart; one used a moment ago is not
    # checked, which saves a round trip on nearly every request (webapp/database.py).
    DB_PING_IDLE_SECONDS = float(os.environ.get("DB_PING_IDLE_SECONDS", "5"))
    CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", ROOT))
    BABEL_DEFAULT_LOCALE = "fr"
    LANGUAGES = LANGUAGES
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A signed-in browser is signed out after this many days at most (webapp/auth/sessions.py).
    SESSION_MAX_DAYS = int(os.environ.get("SESSION_MAX_DAYS", "30"))
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    WTF_CSRF_TIME_LIMIT = None  # a trainee may read a lesson for an hour before pressing "complete"
    MAX_CONTENT_LENGTH = 1024 * 1024
    # Sign-in throttling: failures allowed per window, per account and (many more: a workshop room or a
    # carrier's NAT shares one address) per address.
    LOGIN_MAX_ATTEMPTS = int(os.environ.get("LOGIN_MAX_ATTEMPTS", 5))
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_ATTEMPTS_PER_ADDRESS", 50))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", 900))
    # Past the free failures, each attempt waits after the last failure: doubling, up to a cap
    # (webapp/auth/throttle.py). Per account (and per trusted browser), then per client address.
    LOGIN_FIRST_WAIT_SECONDS = int(os.environ.get("LOGIN_FIRST_WAIT_SECONDS", 30))
    LOGIN_MAX_WAIT_SECONDS = int(os.environ.get("LOGIN_MAX_WAIT_SECONDS", 900))
    LOGIN_ADDRESS_FIRST_WAIT_SECONDS = int(os.environ.get("LOGIN_ADDRESS_FIRST_WAIT_SECONDS", 2))
    LOGIN_ADDRESS_MAX_WAIT_SECONDS = int(os.environ.get("LOGIN_ADDRESS_MAX_WAIT_SECONDS", 60))
    # Accounts created from one client address in the window, when registration needs no email.
    REGISTRATIONS_PER_ADDRESS = int(os.environ.get("REGISTRATIONS_PER_ADDRESS", 60))
    # Join codes that find no open workshop, allowed per window per client address and over the whole
    # site (a guesser with many addresses): past either, every look-up waits, right codes included.
    JOIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("JOIN_MAX_FAILURES_PER_ADDRESS", 30))
    JOIN_MAX_FAILURES = int(os.environ.get("JOIN_MAX_FAILURES", 300))
    JOIN_WINDOW_SECONDS = int(os.environ.get("JOIN_WINDOW_SECONDS", 900))
    PRODUCTION = _bool("PASSERELLE_PRODUCTION")
    # Reliability and security: access log, load balancers, mail, one-time links.
    ACCESS_LOG = _bool("ACCESS_LOG", True)
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))  # proxies in front that set X-Forwarded-*
    BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")  # e.g. https://passerelle.example.org, for emailed links
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")  # STARTTLS
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "passerelle@localhost")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", 10))  # seconds, each SMTP step
    # The outbox (webapp/outbox.py): a process that claims an email owns it this long (longer than a
    # whole SMTP exchange can take, so two servers never send it both); a failure is retried after
    # MAIL_RETRY_SECONDS, doubled each time (at most an hour), MAIL_MAX_ATTEMPTS times; each worker
    # looks for mail due at most every MAIL_POLL_SECONDS while it serves requests (cron covers idle
    # sites); sent emails' bookkeeping is deleted after MAIL_KEEP_DAYS.
    MAIL_CLAIM_SECONDS = float(os.environ.get("MAIL_CLAIM_SECONDS", 300))
    MAIL_RETRY_SECONDS = float(os.environ.get("MAIL_RETRY_SECONDS", 60))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", 8))
    MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", 60))
    MAIL_KEEP_DAYS = int(os.environ.get("MAIL_KEEP_DAYS", 7))
    RESET_EMAIL_HOURS = 1        # a link sent by email
    RESET_ISSUED_HOURS = 72      # a link an admin or facilitator hands over
    CONFIRM_EMAIL_HOURS = 72     # the link that activates an account registered by email
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    # The final assessment: wait after a failed attempt, and failed attempts allowed per period.
    FINAL_RETRY_WAIT_HOURS = float(os.environ.get("FINAL_RETRY_WAIT_HOURS", 24))
    FINAL_MAX_FAILURES = int(os.environ.get("FINAL_MAX_FAILURES", 3))
    FINAL_FAILURE_PERIOD_DAYS = float(os.environ.get("FINAL_FAILURE_PERIOD_DAYS", 30))
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default, slow on purpose against a stolen database
    # xAPI: the Learning Record Store that `flask send-xapi` sends statements to (README, "Records"),
    # and the first wait before a failed batch is sent again (doubled at each retry).
    XAPI_LRS_URL = os.environ.get("XAPI_LRS_URL", "")  # e.g. https://lrs.example.org/xapi
    XAPI_LRS_USERNAME = os.environ.get("XAPI_LRS_USERNAME", "")
    XAPI_LRS_PASSWORD = os.environ.get("XAPI_LRS_PASSWORD", "")
    XAPI_RETRY_BACKOFF = float(os.environ.get("XAPI_RETRY_BACKOFF", 1.0))
    # Verifiable credentials (webapp/credentials/): the Ed25519 key that signs them lives outside the
    # database and the repository, in CREDENTIAL_KEY (the PEM text) or else in the file
    # CREDENTIAL_KEY_FILE; back it up with the database (README, "Certificates and credentials").
    CREDENTIAL_KEY = os.environ.get("CREDENTIAL_KEY", "")
    CREDENTIAL_KEY_FILE = os.environ.get("CREDENTIAL_KEY_FILE", str(ROOT / "instance" / "credential-key.pem"))
    # On a room laptop (a workshop run offline, webapp/rooms/): the key from the room kit that signs
    # the records it sends home.
    ROOM_KEY_FILE = os.environ.get("ROOM_KEY_FILE", str(ROOT / "instance" / "room-key.json"))
    # Sending the room's records home (webapp/rooms/sync_client.py): at most this many records, and
    # about this many bytes, in one signed bundle (the central site refuses requests over
    # MAX_CONTENT_LENGTH); seconds to wait for the central site's answer.
    ROOM_BUNDLE_RECORDS = int(os.environ.get("ROOM_BUNDLE_RECORDS", 500))
    ROOM_BUNDLE_BYTES = int(os.environ.get("ROOM_BUNDLE_BYTES", 700_000))
    ROOM_SYNC_TIMEOUT = float(os.environ.get("ROOM_SYNC_TIMEOUT", 120))
    # The central site: a room clock ahead of its own by more than this is flagged (seconds).
    ROOM_CLOCK_TOLERANCE_SECONDS = int(os.environ.get("ROOM_CLOCK_TOLERANCE_SECONDS", 300))
    # Tests only (honoured when PRODUCTION is off): moves the room's clock, as a laptop set wrong
    # would (webapp/rooms/bundles.py, room_now).
    ROOM_CLOCK_OFFSET_SECONDS = float(os.environ.get("ROOM_CLOCK_OFFSET_SECONDS", 0))
    # The issuer every credential names: the organisation that runs this site.
    ISSUER_NAME = os.environ.get("ISSUER_NAME", "Passerelle – Rabat Process training")
    ISSUER_URL = os.environ.get("ISSUER_URL", "")  # its own web site; the site's address if empty
    ISSUER_EMAIL = os.environ.get("ISSUER_EMAIL", "")
    # How often a workshop page asks for the live panel (the script, and the no-script refresh).
    LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", 3))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    LOGIN_MAX_ATTEMPTS = 5
    LOGIN_MAX_ATTEMPTS_PER_ADDRESS = 50
    PRODUCTION = False
    ACCESS_LOG = False  # records still go to the "passerelle.access" logger (caplog), no handler
    TRUSTED_PROXIES = 0
    BASE_URL = ""
    MAIL_SERVER = ""
    # One round of PBKDF2: a test run registers hundreds of accounts, and scrypt would take minutes.
    # tests/unit/test_passwords.py proves production still uses scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
    # Catalogs by content folder, shared by every app a test process builds: each folder is parsed
    # and checked once per run (the key changes when a file does).
    CONTENT_CACHE: dict = {}
    # One signing key per test process, outside the checkout (made on first use, like `make run`'s).
    CREDENTIAL_KEY_FILE = str(Path(tempfile.gettempdir()) / f"passerelle-test-credential-key-{os.getpid()}.pem")
    ROOM_KEY_FILE = str(Path(tempfile.gettempdir()) / f"passerelle-test-room-key-{os.getpid()}.json")
