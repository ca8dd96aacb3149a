"""Extensions, created unbound; the app factory binds them with init_app()."""
import click
from flask import g
from flask.cli import with_appcontext
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class LazyMigrate:
    """Flask-Migrate, imported when a migration runs (`flask db ...`, ``flask_migrate.upgrade()``):
    it imports alembic and mako, 11 MB in each web worker, which never migrates. Binds what
    ``Migrate.init_app`` binds: ``app.extensions["migrate"]`` and the ``db`` command group."""

    def init_app(self, app, db, directory: str) -> None:
        app.extensions["migrate"] = _MigrateConfigOnUse(db, directory)
        app.cli.add_command(_MigrateCommands("db", help="Database migrations (Flask-Migrate)."))


class _MigrateConfigOnUse:
    """Flask-Migrate's configuration for the app, made on first use."""

    def __init__(self, db, directory: str):
        self._db, self._directory, self._real = db, directory, None

    def __getattr__(self, name):
        if self._real is None:
            from flask_migrate import Migrate, _MigrateConfig
            self._real = _MigrateConfig(Migrate(db=self._db, directory=self._directory), self._db)
        return getattr(self._real, name)


class _MigrateCommands(click.Group):
    """Flask-Migrate's `db` commands, imported when one is asked for. The group keeps Flask-Migrate's
    own options and callback: its commands read ``g.directory`` and ``g.x_arg`` from it."""

    def __init__(self, name: str, **attrs):
        super().__init__(name, params=[
            click.Option(["-d", "--directory"], default=None,
                         help='Migration script directory (default is "migrations")'),
            click.Option(["-x", "--x-arg"], multiple=True,
                         help="Additional arguments consumed by custom env.py scripts"),
        ], callback=_remember_migrate_options, **attrs)

    @staticmethod
    def _group() -> click.Group:
        from flask_migrate.cli import db as group
        return group

    def list_commands(self, ctx):
        return self._group().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group().get_command(ctx, name)


@with_appcontext
def _remember_migrate_options(directory, x_arg):
    g.directory = directory
    g.x_arg = x_arg


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
