"""Passerelle: an e-learning module on trafficking in persons and smuggling of migrants."""
from __future__ import annotations

from flask import Flask

from . import content, fragments, i18n, security, zones
from .config import DEV_SECRET, Config
from .extensions import babel, csrf, db, login_manager, migrate

MIGRATIONS = __import__("pathlib").Path(__file__).parent / "migrations"
MIN_SECRET_KEY = 32  # characters; secrets.token_urlsafe(48) makes 64


def create_app(config: object | None = None) -> Flask:
    """Build the app: extensions, then content, then blueprints, then CLI. Nothing runs at import."""
    app = Flask(__name__, static_folder="../static", instance_relative_config=True)
    app.jinja_environment = fragments.Environment  # before anything asks for app.jinja_env
    app.config.from_object(config or Config)
    if app.config.get("PRODUCTION"):
        _check_secret_key(app.config.get("SECRET_KEY") or "")

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=zones.select_timezone)
    i18n.init_app(app)
    zones.init_app(app)
    security.init_app(app)
    content.init_app(app)
    fragments.init_app(app)

    from . import models  # noqa: F401  (registers the tables with SQLAlchemy)
    from .auth import bp as auth_bp
    from .auth import init_app as auth_init_app
    from .certificates import bp as certificates_bp
    from .courses import bp as courses_bp
    from .credentials import bp as credentials_bp
    from .decide import bp as decide_bp
    from .main import bp as main_bp
    from .progress import bp as progress_bp
    from .quizzes import bp as quizzes_bp
    from .records import bp as records_bp

    for bp in (main_bp, auth_bp, courses_bp, progress_bp, quizzes_bp, decide_bp, records_bp, certificates_bp,
               credentials_bp):
        app.register_blueprint(bp)
    auth_init_app(app)
    from .admin import bp as admin_bp
    from .rooms import bp as rooms_bp
    from .workshops import bp as workshops_bp
    app.register_blueprint(admin_bp)
    app.register_blueprint(workshops_bp)
    app.register_blueprint(rooms_bp)

    from . import cli, database, errors, mail
    database.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    from . import delivery
    delivery.init_app(app)  # last: its after_request hook then runs first (304s, gzip)
    return app


def _check_secret_key(key: str) -> None:
    """In production, refuse the default key and keys short enough to guess (sessions are signed with it)."""
    make = 'make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
    if key == DEV_SECRET:
        raise RuntimeError(f"Refusing to start in production with the default SECRET_KEY: set SECRET_KEY ({make}).")
    if len(key) < MIN_SECRET_KEY:
        raise RuntimeError(f"Refusing to start in production without a SECRET_KEY of at least {MIN_SECRET_KEY} "
                           f"characters (it is {'empty' if not key else f'{len(key)} characters long'}): {make}.")
