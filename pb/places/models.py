"""Municipalities (aiyl okmotus and cities) and their villages."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.core.models import LabelledEnum, Money, TimestampMixin, enum_column
from pb.extensions import db


class MunicipalityKind(LabelledEnum):
    AIYL_OKMOTU = "aiyl_okmotu"
    CITY = "city"

    @classmethod
    def labels(cls):
        return {cls.AIYL_OKMOTU: _l("aiyl okmotu"), cls.CITY: _l("city")}


class Oblast(LabelledEnum):
    BATKEN = "batken"
    CHUY = "chuy"
    ISSYK_KUL = "issyk_kul"
    JALAL_ABAD = "jalal_abad"
    NARYN = "naryn"
    OSH = "osh"
    TALAS = "talas"
    BISHKEK = "bishkek"
    OSH_CITY = "osh_city"

    @classmethod
    def labels(cls):
        return {
            cls.BATKEN: _l("Batken oblast"),
            cls.CHUY: _l("Chuy oblast"),
            cls.ISSYK_KUL: _l("Issyk-Kul oblast"),
            cls.JALAL_ABAD: _l("Jalal-Abad oblast"),
            cls.NARYN: _l("Naryn oblast"),
            cls.OSH: _l("Osh oblast"),
            cls.TALAS: _l("Talas oblast"),
            cls.BISHKEK: _l("Bishkek city"),
            cls.OSH_CITY: _l("Osh city"),
        }


class Municipality(TimestampMixin, db.Model):
    __tablename__ = "municipality"
    __table_args__ = (sa.CheckConstraint("population >= 0", name="population_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    name_ky: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_ru: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[MunicipalityKind] = enum_column(MunicipalityKind, "kind", nullable=False)
    oblast: Mapped[Oblast] = enum_column(Oblast, "oblast", nullable=False)
    rayon: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    population: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    villages: Mapped[list["Village"]] = relationship(
        back_populates="municipality", order_by="Village.name", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Municipality {self.slug}>"


class Village(TimestampMixin, db.Model):
    __tablename__ = "village"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "name"),
        sa.CheckConstraint(
            "population >= 0 AND registered_voters >= 0 AND revenue_contribution >= 0",
            name="figures_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    population: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    registered_voters: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    revenue_contribution = mapped_column(Money, nullable=False, default=0)

    municipality: Mapped[Municipality] = relationship(back_populates="villages")

    def __repr__(self):
        return f"<Village {self.name}>"
