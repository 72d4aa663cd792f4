"""Groups and their members; the roles a person holds in a municipality."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.accounts import services as accounts
from pb.accounts.models import User
from pb.audit.services import record
from pb.core.errors import NotFound, PermissionDenied, ValidationFailed
from pb.extensions import db
from pb.groups.models import CivicGroup, GroupKind, GroupMember, Position
from pb.places.models import Village

LEAD_POSITIONS = {Position.CHAIR, Position.SECRETARY}


def roles_in(actor, municipality_id):
    """The roles actor holds in the municipality: staff, council, group_lead, group_member."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return set()
    roles = set()
    if actor.is_staff_of(municipality_id):
        roles.add("staff")
    if actor.is_council_of(municipality_id):
        roles.add("council")
    for membership in actor.memberships:
        if membership.group.municipality_id == municipality_id:
            roles.add("group_member")
            if membership.position in LEAD_POSITIONS:
                roles.add("group_lead")
    return roles


def list_groups(municipality_id):
    return db.session.execute(
        sa.select(CivicGroup).where(CivicGroup.municipality_id == municipality_id).order_by(CivicGroup.id)
    ).scalars().all()


def get_group(group_id):
    group = db.session.get(CivicGroup, group_id)
    if group is None:
        raise NotFound()
    return group


def get_member(member_id):
    member = db.session.get(GroupMember, member_id)
    if member is None:
        raise NotFound()
    return member


def position_in(actor, group):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    for member in group.members:
        if member.user_id == actor.id:
            return member.position
    return None


def can_manage_group(actor, group):
    """Admin, the municipality's staff, and the group's chair manage members."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or actor.is_staff_of(group.municipality_id) or position_in(actor, group) == Position.CHAIR


def can_create_group(actor, municipality):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or actor.is_staff_of(municipality.id)


def create_group(actor, municipality, kind, name_ky, name_ru, description=""):
    """Staff of the municipality (or the admin) form a group."""
    if not can_create_group(actor, municipality):
        raise PermissionDenied()
    errors = []
    if kind not in {k.value for k in GroupKind}:
        errors.append(("kind", _l("Choose a kind.")))
    if not (name_ky or "").strip():
        errors.append(("name_ky", _l("This field is required.")))
    if not (name_ru or "").strip():
        errors.append(("name_ru", _l("This field is required.")))
    if errors:
        raise ValidationFailed(errors)
    group = CivicGroup(
        municipality_id=municipality.id,
        kind=GroupKind(kind),
        name_ky=name_ky.strip(),
        name_ru=name_ru.strip(),
        description=(description or "").strip(),
    )
    db.session.add(group)
    db.session.flush()
    record(actor, "group.create", group, kind=kind, name_ky=group.name_ky)
    db.session.commit()
    return group


def _member_values(group, position, village_id, errors):
    try:
        position = Position(position)
    except ValueError:
        errors.append(("position", _l("Choose a position.")))
        position = None
    village = None
    if village_id:
        village = db.session.get(Village, village_id)
        if village is None or village.municipality_id != group.municipality_id:
            errors.append(("village_id", _l("Choose a village of this municipality.")))
    if position == Position.CHAIR:
        chair = next((m for m in group.members if m.position == Position.CHAIR), None)
        if chair is not None:
            errors.append(("position", _l("The group already has a chair: %(name)s.", name=chair.user.name)))
    return position, village


def add_member(actor, group, user_id, position, village_id=None):
    """Add an account to the group with a position and the village they represent."""
    if not can_manage_group(actor, group):
        raise PermissionDenied()
    errors = []
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        errors.append(("user_id", _l("Choose a person.")))
    elif any(m.user_id == user.id for m in group.members):
        errors.append(("user_id", _l("This person is already a member of the group.")))
    position, village = _member_values(group, position, village_id, errors)
    if errors:
        raise ValidationFailed(errors)
    member = GroupMember(group=group, user=user, position=position, village=village)
    db.session.add(member)
    db.session.flush()
    record(actor, "group.add_member", member, municipality_id=group.municipality_id,
           group_id=group.id, user_id=user.id, position=position.value)
    db.session.commit()
    return member


def change_member(actor, member, position, village_id=None):
    group = member.group
    if not can_manage_group(actor, group):
        raise PermissionDenied()
    errors = []
    if position == member.position.value:
        # keeping one's own chair seat is not a second chair
        position_enum, village = member.position, None
        if village_id:
            village = db.session.get(Village, village_id)
            if village is None or village.municipality_id != group.municipality_id:
                errors.append(("village_id", _l("Choose a village of this municipality.")))
    else:
        position_enum, village = _member_values(group, position, village_id, errors)
    if errors:
        raise ValidationFailed(errors)
    member.position = position_enum
    member.village = village
    record(actor, "group.change_member", member, municipality_id=group.municipality_id,
           group_id=group.id, position=position_enum.value, village_id=village.id if village else None)
    db.session.commit()
    return member


def remove_member(actor, member_id):
    member = get_member(member_id)
    group = member.group
    if not can_manage_group(actor, group):
        raise PermissionDenied()
    record(actor, "group.remove_member", member, municipality_id=group.municipality_id,
           group_id=group.id, user_id=member.user_id)
    db.session.delete(member)
    db.session.commit()
    return group


def candidate_members(group):
    """Accounts that can be added: residents of its villages and accounts without a village."""
    in_group = sa.select(GroupMember.user_id).where(GroupMember.group_id == group.id)
    local = sa.select(Village.id).where(Village.municipality_id == group.municipality_id)
    stmt = (
        sa.select(User)
        .where(User.active.is_(True), User.id.not_in(in_group))
        .where(sa.or_(User.village_id.in_(local), User.village_id.is_(None)))
        .order_by(User.name)
    )
    return db.session.execute(stmt).scalars().all()


def compute_seats(municipality, seats, weighting, voters_percent, method):
    """Apportion a group's seats among the municipality's villages (see apportionment.py)."""
    from fractions import Fraction

    from pb.groups import apportionment

    villages = list(municipality.villages)
    if not villages:
        raise ValidationFailed.single(None, _l("This municipality has no villages yet."))
    voters = {v.id: v.registered_voters for v in villages}
    contributions = {v.id: v.revenue_contribution for v in villages}
    try:
        if weighting == "voters":
            weights = voters
        elif weighting == "contribution":
            weights = contributions
        else:
            share = Fraction(int(voters_percent if voters_percent is not None else 50), 100)
            weights = apportionment.mixed_weights(voters, contributions, share)
        total = sum(Fraction(w) for w in weights.values())
        if total > 0:  # shares, so that the page shows every quotient as a percentage
            weights = {k: Fraction(w) / total for k, w in weights.items()}
        return apportionment.apportion(int(seats), weights, method)
    except apportionment.ApportionmentError as exc:
        messages = {
            "seats": ("seats", _l("Enter a number of seats of at least 1.")),
            "method": ("method", _l("Choose a method.")),
        }
        raise ValidationFailed([messages.get(exc.code, ("weighting", _l(
            "The villages have no figures to weigh by: enter their voters or contributions first.")))]) from None
    except ValueError:
        raise ValidationFailed.single("weighting", _l(
            "The villages have no figures to weigh by: enter their voters or contributions first.")) from None


def can_verify_residents(actor, municipality):
    """Group leads (chair, secretary) of the municipality's groups, its staff, and the admin."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or bool({"staff", "group_lead"} & roles_in(actor, municipality.id))


def verify_resident(actor, municipality, user_id, village_id):
    """Mark an account as a verified resident of a village of this municipality (after seeing them)."""
    if not can_verify_residents(actor, municipality):
        raise PermissionDenied()
    user = accounts.get_user(user_id)
    village = db.session.get(Village, village_id) if village_id else None
    if village is None or village.municipality_id != municipality.id:
        raise ValidationFailed.single("village_id", _l("Choose a village of this municipality."))
    accounts.set_verification(actor, user, village)
    return user


def revoke_verification(actor, municipality, user_id):
    """Withdraw a verification made for a village of this municipality."""
    if not can_verify_residents(actor, municipality):
        raise PermissionDenied()
    user = accounts.get_user(user_id)
    village_ids = {v.id for v in municipality.villages}
    if user.verified_village_id not in village_ids:
        raise NotFound()
    accounts.set_verification(actor, user, None)
    return user


def list_residents(municipality, query=None):
    return accounts.search_residents([v.id for v in municipality.villages], query)
