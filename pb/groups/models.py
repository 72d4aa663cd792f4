"""Public budget, initiative and monitoring groups, and their members."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.accounts.models import User
from pb.core.models import LabelledEnum, TimestampMixin, enum_column
from pb.extensions import db
from pb.places.models import Municipality, Village


class GroupKind(LabelledEnum):
    PUBLIC_BUDGET = "public_budget"
    INITIATIVE = "initiative"
    MONITORING = "monitoring"

    @classmethod
    def labels(cls):
        return {
            cls.PUBLIC_BUDGET: _l("public budget group"),
            cls.INITIATIVE: _l("initiative group"),
            cls.MONITORING: _l("monitoring group"),
        }


class Position(LabelledEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"

    @classmethod
    def labels(cls):
        return {cls.CHAIR: _l("chair"), cls.SECRETARY: _l("secretary"), cls.MEMBER: _l("member")}


class CivicGroup(TimestampMixin, db.Model):
    __tablename__ = "civic_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[GroupKind] = enum_column(GroupKind, "kind", nullable=False)
    name_ky: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_ru: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    municipality: Mapped[Municipality] = relationship()
    members: Mapped[list["GroupMember"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id"
    )


class GroupMember(TimestampMixin, db.Model):
    __tablename__ = "group_member"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "user_id"),
        # a group has at most one chair
        sa.Index(
            "uq_group_member_one_chair",
            "group_id",
            unique=True,
            sqlite_where=sa.text("position = 'chair'"),
            postgresql_where=sa.text("position = 'chair'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("civic_group.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[Position] = enum_column(Position, "position", nullable=False)
    village_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("village.id", ondelete="SET NULL"), index=True
    )

    group: Mapped[CivicGroup] = relationship(back_populates="members")
    user: Mapped[User] = relationship(backref="memberships")
    village: Mapped[Village | None] = relationship()
