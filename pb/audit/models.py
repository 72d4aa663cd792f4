"""The hash-chained audit log: each entry's hash covers its content and the previous hash."""
import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pb.core.models import utcnow
from pb.extensions import db

GENESIS = "0" * 64


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    action: Mapped[str] = mapped_column(sa.String(80), nullable=False, index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    object_id: Mapped[int | None] = mapped_column(sa.Integer)
    municipality_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    details: Mapped[str] = mapped_column(sa.Text, nullable=False, default="{}")
    # unique prev_hash: two writers that read the same tail cannot both append (no forks)
    prev_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)

    def payload(self):
        """The canonical content that the hash covers."""
        return json.dumps(
            {
                "created_at": self.created_at.isoformat(timespec="microseconds"),
                "actor_id": self.actor_id,
                "actor_name": self.actor_name,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "municipality_id": self.municipality_id,
                "details": json.loads(self.details),
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self):
        return hashlib.sha256(self.payload().encode("utf-8")).hexdigest()

    @property
    def details_dict(self):
        return json.loads(self.details)
