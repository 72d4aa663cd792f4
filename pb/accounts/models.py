"""Accounts and municipality-scoped roles. Group positions live in pb.groups."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.core.models import LabelledEnum, TimestampMixin, enum_column
from pb.extensions import db
from pb.places.models import Village


class MunicipalRoleKind(LabelledEnum):
    STAFF = "staff"
    COUNCIL = "council"

    @classmethod
    def labels(cls):
        return {cls.STAFF: _l("municipal staff"), cls.COUNCIL: _l("council member")}


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "account"
    __table_args__ = (
        sa.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
        sa.CheckConstraint("language IN ('ky', 'ru', 'en')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="ky")
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("village.id", ondelete="SET NULL"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # set by a group secretary who has seen the person: voting relies on it
    verified_village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("village.id", ondelete="SET NULL"), index=True
    )
    verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    village: Mapped[Village | None] = relationship(foreign_keys=[village_id])
    verified_village: Mapped[Village | None] = relationship(foreign_keys=[verified_village_id])
    municipal_roles: Mapped[list["MunicipalRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self):
        return self.active

    @property
    def is_verified(self):
        return self.verified_village_id is not None

    @property
    def login(self):
        return self.email or self.phone

    def has_municipal_role(self, municipality_id, role):
        return any(
            r.municipality_id == municipality_id and r.role == role for r in self.municipal_roles
        )

    def is_staff_of(self, municipality_id):
        return self.has_municipal_role(municipality_id, MunicipalRoleKind.STAFF)

    def is_council_of(self, municipality_id):
        return self.has_municipal_role(municipality_id, MunicipalRoleKind.COUNCIL)

    def __repr__(self):
        return f"<User {self.id} {self.login}>"


class MunicipalRole(TimestampMixin, db.Model):
    __tablename__ = "municipal_role"
    __table_args__ = (sa.UniqueConstraint("user_id", "municipality_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role: Mapped[MunicipalRoleKind] = enum_column(MunicipalRoleKind, "role", nullable=False)

    user: Mapped[User] = relationship(back_populates="municipal_roles")
    municipality = relationship("Municipality")


class AnonymousUser(AnonymousUserMixin):
    """A visitor: holds no role anywhere, reads in the session's language."""

    is_admin = False
    is_verified = False
    municipal_roles = ()
    memberships = ()
    language = None

    def is_staff_of(self, municipality_id):
        return False

    def is_council_of(self, municipality_id):
        return False
