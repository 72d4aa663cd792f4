"""Database connections checked before use only after they sat idle in the pool.

pool_pre_ping would check every connection at every checkout: one more round trip to the server for
every request, a seventh of a kiosk ballot's. A connection handed back a moment ago is as alive as a
check would find it, so only one that sat idle longer than DATABASE_PING_AFTER seconds (when a server
restart or an idle timeout may have dropped it) is checked, with the dialect's own ping; a dead one is
replaced before the request sees it. A connection that dies within those seconds fails the request
that holds it, and SQLAlchemy then drops the pool's other connections, as it would with pre-ping.
"""
import time

from sqlalchemy import event, exc

_CHECKED_IN = "ashar_checked_in"


def ping_after_idle(engine, seconds):
    """Check connections idle longer than `seconds` at checkout (none for SQLite: there is no server)."""
    if engine.dialect.name == "sqlite" or seconds is None:
        return

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        idle_since = record.info.get(_CHECKED_IN)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return  # new (just connected) or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # the pool replaces the connection and checks out another
            raise exc.DisconnectionError(str(error)) from error
