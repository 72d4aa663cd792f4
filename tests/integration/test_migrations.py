"""The migrations build the schema that the models describe, on both databases."""
import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from config import TestConfig
from pb import create_app
from pb.extensions import db
from tests.conftest import ensure_postgres_database, postgres_url


def _urls(tmp_path):
    urls = [pytest.param(f"sqlite:///{tmp_path}/migrations.db", id="sqlite")]
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        urls.append(pytest.param(postgres_url("_migrations"), id="postgresql"))
    return urls


def _fresh(url):
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_empty_database_to_head_matches_models(kind, tmp_path):
    urls = {p.id: p.values[0] for p in _urls(tmp_path)}
    if kind not in urls:
        pytest.skip("no TEST_DATABASE_URL: PostgreSQL is checked on CI")
    url = urls[kind]
    _fresh(url)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diffs == []
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
