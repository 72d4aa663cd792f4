"""Fixtures: the app on SQLite (always) and PostgreSQL (when TEST_DATABASE_URL is set)."""
import os

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_babel import refresh

from config import TestConfig
from pb import create_app
from pb.extensions import db as _db
from pb.extensions import limiter

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgres_url(suffix=""):
    """TEST_DATABASE_URL with a database of this pytest-xdist worker's own (and suffix), so that
    parallel workers, and other runs on the same server, never share tables."""
    target = sa.engine.make_url(os.environ["TEST_DATABASE_URL"])
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = target.database + (f"_{worker}" if worker else "") + suffix
    return target.set(database=name).render_as_string(hide_password=False)


def ensure_postgres_database(url):
    """Create the test database on the server when it does not exist yet."""
    target = sa.engine.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


class IsolatedClient(FlaskClient):
    """Each request starts with no cached user or language, as on a real server.

    The tests hold an app context across requests, so g would otherwise carry the
    previous request's user and locale into the next one.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            refresh()
        return super().open(*args, **kwargs)


def make_config(kind, outbox):
    class Config(TestConfig):
        MAIL_OUTBOX_DIR = str(outbox)
        UPLOAD_DIR = str(outbox.parent / f"uploads-{kind}")

    if kind == "postgresql":
        Config.SQLALCHEMY_DATABASE_URI = postgres_url()
    else:
        Config.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return Config


@pytest.fixture(scope="session", params=DATABASES)
def _app(request, tmp_path_factory):
    kind = request.param
    config = make_config(kind, tmp_path_factory.mktemp(f"outbox-{kind}"))
    if kind == "postgresql":
        ensure_postgres_database(config.SQLALCHEMY_DATABASE_URI)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


def _empty_tables():
    # DELETE, not TRUNCATE: a test leaves a handful of rows, and TRUNCATE of every table costs
    # PostgreSQL new files for each of them (about a second a test against milliseconds).
    for table in reversed(_db.metadata.sorted_tables):
        _db.session.execute(table.delete())
    _db.session.commit()


@pytest.fixture
def app(_app):
    with _app.app_context():
        yield _app
        _db.session.rollback()
        _empty_tables()
        _db.session.remove()
    limiter.reset()


@pytest.fixture
def race_app(app, tmp_path):
    """An app whose database several threads can share (SQLite in memory is one connection: a file)."""
    if _db.engine.dialect.name == "postgresql":
        yield app
        return

    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'race.db'}"
        MAIL_OUTBOX_DIR = str(tmp_path / "outbox")
        UPLOAD_DIR = str(tmp_path / "uploads")

    race = create_app(FileConfig)
    with race.app_context():
        _db.create_all()
        yield race
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def outbox(app):
    """The development outbox, emptied for each test; read_outbox() lists its messages."""
    import shutil
    from pathlib import Path

    path = Path(app.config["MAIL_OUTBOX_DIR"])
    shutil.rmtree(path, ignore_errors=True)
    from pb.notifications.mail import read_outbox

    return read_outbox


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log the client in as a user without the login form (and its rate limit)."""

    def _login(user):
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                session["_user_id"] = str(user.id)
                session["_fresh"] = True
        return client

    return _login
