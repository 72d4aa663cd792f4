"""Writing and verifying the audit log. Services call record() inside their transaction."""
import json
from dataclasses import dataclass

import sqlalchemy as sa

from pb.audit.models import GENESIS, AuditEntry
from pb.core.errors import PermissionDenied
from pb.core.models import utcnow
from pb.extensions import db

# any constant works; it only has to be the same for every process that appends
_PG_LOCK_KEY = 0x41534841  # "ASHA"


def _json_default(value):
    return str(value)


def record(actor, action, obj=None, *, object_type=None, object_id=None, municipality_id=None, **details):
    """Append an entry for a state change; the caller's commit makes it permanent."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    db.session.flush()
    last = db.session.execute(
        sa.select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
        if municipality_id is None:
            municipality_id = getattr(obj, "municipality_id", None)
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "name", "") or "system",
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        municipality_id=municipality_id,
        details=json.dumps(details, sort_keys=True, ensure_ascii=False, default=_json_default),
        prev_hash=last or GENESIS,
    )
    entry.hash = entry.compute_hash()
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None
    problem: str | None

    @property
    def ok(self):
        return self.broken_id is None


def verify_chain():
    """Walk the log in order; report the first entry whose hash or link is wrong."""
    expected_prev = GENESIS
    checked = 0
    query = sa.select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=500)
    result = db.session.execute(query)
    try:  # a server-side cursor on PostgreSQL: close it even when we stop early
        for entry in result.scalars():
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.id, "link")
            if entry.compute_hash() != entry.hash:
                return ChainReport(checked, entry.id, "hash")
            expected_prev = entry.hash
            checked += 1
    finally:
        result.close()
    return ChainReport(checked, None, None)


def list_entries(actor, page, per_page, municipality_id=None):
    """The log, newest first; admins see all of it."""
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied()
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    if municipality_id:
        query = query.where(AuditEntry.municipality_id == municipality_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
