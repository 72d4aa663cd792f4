"""Column types and mixins shared by every domain."""
import enum
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

TYIYN = Decimal("0.01")


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_money(value):
    """Parse a money amount exactly (no floats); raises ValueError on anything else."""
    if isinstance(value, float):
        raise ValueError("money must not be a float")
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError("not a finite amount")
    try:
        rounded = amount.quantize(TYIYN, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # an exponent too large to hold in tyiyn
        raise ValueError(f"amount out of range: {value!r}") from exc
    if amount != rounded:
        raise ValueError("more than two decimal places")
    return rounded


class Money(TypeDecorator):
    """An exact amount in som, stored as whole tyiyn in a BIGINT."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(TYIYN)


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a translated label (see each enum's LABELS)."""

    @property
    def label(self):
        return type(self).labels()[self]

    @classmethod
    def labels(cls):
        raise NotImplementedError

    @classmethod
    def choices(cls):
        return [(member.value, member.label) for member in cls]


def enum_column(enum_cls, name, **kwargs):
    """A VARCHAR column restricted to the enum's values by a named CHECK constraint."""
    return mapped_column(
        sa.Enum(
            enum_cls,
            native_enum=False,
            create_constraint=True,
            length=32,
            name=name,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


def local_now():
    """The wall-clock time in Kyrgyzstan (Asia/Bishkek, UTC+6 all year), naive, as local dates are stored."""
    return utcnow() + timedelta(hours=6)
