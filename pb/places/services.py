"""Municipalities and villages: queries for everyone, changes for the admin (and staff for villages)."""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.core.errors import NotFound, PermissionDenied, ValidationFailed
from pb.core.models import to_money
from pb.extensions import db
from pb.places.models import Municipality, MunicipalityKind, Oblast, Village

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def list_municipalities():
    return db.session.execute(
        sa.select(Municipality).order_by(Municipality.oblast, Municipality.name_ky)
    ).scalars().all()


def get_municipality(slug):
    municipality = db.session.execute(
        sa.select(Municipality).where(Municipality.slug == slug)
    ).scalar_one_or_none()
    if municipality is None:
        raise NotFound()
    return municipality


def get_municipality_by_id(municipality_id):
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound()
    return municipality


def get_village(village_id):
    village = db.session.get(Village, village_id)
    if village is None:
        raise NotFound()
    return village


def municipality_choices():
    return [(m.id, m.name_ky) for m in list_municipalities()]


def village_choices(municipality_id=None):
    """(id, "Village — Municipality") pairs for select boxes."""
    stmt = sa.select(Village, Municipality).join(Municipality).order_by(Municipality.name_ky, Village.name)
    if municipality_id:
        stmt = stmt.where(Village.municipality_id == municipality_id)
    return [(v.id, f"{v.name} — {m.name_ky}") for v, m in db.session.execute(stmt)]


def _int(value, field, errors):
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append((field, _l("Enter a whole number.")))
        return None
    if number < 0:
        errors.append((field, _l("The number cannot be negative.")))
    return number


def _municipality_values(data, errors, current=None):
    slug = (data.get("slug") or "").strip().lower()
    if not SLUG_RE.match(slug):
        errors.append(("slug", _l("Use lower-case Latin letters, digits and hyphens, e.g. ak-dobo.")))
    else:
        taken = db.session.execute(sa.select(Municipality.id).where(Municipality.slug == slug)).scalar()
        if taken and (current is None or taken != current.id):
            errors.append(("slug", _l("This short name is already taken.")))
    for field in ("name_ky", "name_ru"):
        if not (data.get(field) or "").strip():
            errors.append((field, _l("This field is required.")))
    if data.get("kind") not in {k.value for k in MunicipalityKind}:
        errors.append(("kind", _l("Choose a kind.")))
    if data.get("oblast") not in {o.value for o in Oblast}:
        errors.append(("oblast", _l("Choose an oblast.")))
    population = _int(data.get("population", 0), "population", errors)
    return dict(
        slug=slug,
        name_ky=(data.get("name_ky") or "").strip(),
        name_ru=(data.get("name_ru") or "").strip(),
        kind=data.get("kind"),
        oblast=data.get("oblast"),
        rayon=(data.get("rayon") or "").strip(),
        population=population,
    )


def create_municipality(actor, data):
    """The admin adds a municipality."""
    if not actor or not actor.is_admin:
        raise PermissionDenied()
    errors = []
    values = _municipality_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    municipality = Municipality(**values)
    db.session.add(municipality)
    db.session.flush()
    record(actor, "municipality.create", municipality, municipality_id=municipality.id, **values)
    db.session.commit()
    return municipality


def update_municipality(actor, municipality, data):
    if not actor or not actor.is_admin:
        raise PermissionDenied()
    errors = []
    values = _municipality_values(data, errors, current=municipality)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(municipality, key, value)
    record(actor, "municipality.update", municipality, municipality_id=municipality.id, **values)
    db.session.commit()
    return municipality


def can_edit_villages(actor, municipality):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or actor.is_staff_of(municipality.id)


def _village_values(data, errors, municipality, current=None):
    name = (data.get("name") or "").strip()
    if not name:
        errors.append(("name", _l("This field is required.")))
    else:
        stmt = sa.select(Village.id).where(Village.municipality_id == municipality.id, Village.name == name)
        taken = db.session.execute(stmt).scalar()
        if taken and (current is None or taken != current.id):
            errors.append(("name", _l("This municipality already has a village with this name.")))
    values = dict(
        name=name,
        population=_int(data.get("population", 0), "population", errors),
        registered_voters=_int(data.get("registered_voters", 0), "registered_voters", errors),
    )
    try:
        values["revenue_contribution"] = to_money(data.get("revenue_contribution") or 0)
        if values["revenue_contribution"] < 0:
            errors.append(("revenue_contribution", _l("The amount cannot be negative.")))
    except ValueError:
        errors.append(("revenue_contribution", _l("Enter an amount in som, e.g. 125000 or 125000.50.")))
    return values


def create_village(actor, municipality, data):
    """The admin or the municipality's staff add a village."""
    if not can_edit_villages(actor, municipality):
        raise PermissionDenied()
    errors = []
    values = _village_values(data, errors, municipality)
    if errors:
        raise ValidationFailed(errors)
    village = Village(municipality=municipality, **values)
    db.session.add(village)
    db.session.flush()
    record(actor, "village.create", village, **values)
    db.session.commit()
    return village


def update_village(actor, village, data):
    if not can_edit_villages(actor, village.municipality):
        raise PermissionDenied()
    errors = []
    values = _village_values(data, errors, village.municipality, current=village)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(village, key, value)
    record(actor, "village.update", village, **values)
    db.session.commit()
    return village
