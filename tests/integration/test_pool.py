"""Pooled connections are checked before use only after sitting idle (pb/core/pool.py), on PostgreSQL."""
import time

import pytest
import sqlalchemy as sa

from pb.core.pool import ping_after_idle

PID = sa.text("SELECT pg_backend_pid()")


@pytest.fixture
def engine(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to lose a connection to")
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend(engine):
    with engine.connect() as conn:
        return conn.execute(PID).scalar()


def _terminate(db, pid):
    with db.engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()


def test_a_connection_dropped_while_idle_is_replaced_before_use(engine, db):
    ping_after_idle(engine, 0.2)
    first = _backend(engine)
    _terminate(db, first)
    time.sleep(0.3)
    assert _backend(engine) != first  # no error: the check found it dead and the pool connected again


def test_a_connection_used_a_moment_ago_is_not_checked(engine, db):
    ping_after_idle(engine, 60)
    first = _backend(engine)
    _terminate(db, first)
    time.sleep(0.3)
    # no check, so the dead connection fails the one statement that meets it, as pre-ping would not have let
    # it; the pool then drops it and the next use connects again
    with pytest.raises(sa.exc.DBAPIError) as failure:
        _backend(engine)
    assert failure.value.connection_invalidated
    assert _backend(engine) != first
