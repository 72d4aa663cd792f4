"""Accounts: registration, login, passwords, language, staff accounts and municipal roles."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.accounts.identifiers import normalize_email, normalize_login, normalize_phone
from pb.accounts.models import MunicipalRole, MunicipalRoleKind, User
from pb.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from pb.audit.services import record
from pb.core.errors import NotFound, PermissionDenied, ValidationFailed
from pb.core.models import utcnow
from pb.extensions import db
from pb.places.models import Municipality, Village

LANGUAGES = ("ky", "ru", "en")


def load_user(user_id):
    """Flask-Login's loader: the active account with this id, or None."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


def get_user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def find_user_by_login(login):
    kind, value = normalize_login(login)
    if kind is None:
        return None
    column = User.email if kind == "email" else User.phone
    return db.session.execute(sa.select(User).where(column == value)).scalar_one_or_none()


def _check_password(password, field="password"):
    if len(password or "") < MIN_LENGTH:
        raise ValidationFailed.single(
            field, _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)
        )


def _contacts(email, phone):
    """Normalise and check an e-mail and/or phone; at least one is required and each unique."""
    errors = []
    email_n = phone_n = None
    if email:
        email_n = normalize_email(email)
        if not email_n:
            errors.append(("email", _l("This is not a valid e-mail address.")))
    if phone:
        phone_n = normalize_phone(phone)
        if not phone_n:
            errors.append(("phone", _l("This is not a valid phone number, e.g. 0555 123 456.")))
    if not email and not phone:
        errors.append(("email", _l("Give an e-mail address or a phone number.")))
    if email_n and db.session.execute(sa.select(User.id).where(User.email == email_n)).first():
        errors.append(("email", _l("An account with this e-mail address already exists.")))
    if phone_n and db.session.execute(sa.select(User.id).where(User.phone == phone_n)).first():
        errors.append(("phone", _l("An account with this phone number already exists.")))
    return email_n, phone_n, errors


def register_resident(name, password, village_id, language, email=None, phone=None):
    """Create a resident account; raises ValidationFailed with every problem found."""
    email_n, phone_n, errors = _contacts(email, phone)
    if not (name or "").strip():
        errors.append(("name", _l("Please give your name.")))
    if len(password or "") < MIN_LENGTH:
        errors.append(("password", _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)))
    village = db.session.get(Village, village_id) if village_id else None
    if village is None:
        errors.append(("village_id", _l("Choose your village.")))
    if language not in LANGUAGES:
        errors.append(("language", _l("Choose a language.")))
    if errors:
        raise ValidationFailed(errors)
    user = User(
        name=name.strip(),
        email=email_n,
        phone=phone_n,
        password_hash=hash_password(password),
        village_id=village.id,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    record(user, "account.register", user, municipality_id=village.municipality_id)
    db.session.commit()
    return user


def authenticate(login, password):
    """The account for these credentials, or None; upgrades an outdated hash on the way."""
    user = find_user_by_login(login)
    if user is None or not user.active:
        # spend the same time as a real check so that timing does not reveal accounts
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not verify_password(user.password_hash, password or ""):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


_DUMMY_HASH = hash_password("not-a-real-password")


def change_password(user, current_password, new_password):
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationFailed.single("current_password", _l("The current password is not right."))
    _check_password(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    record(user, "account.change_password", user)
    db.session.commit()


def set_language(user, language):
    if language not in LANGUAGES:
        raise ValidationFailed.single("language", _l("Choose a language."))
    user.language = language
    db.session.commit()


# --- administration -------------------------------------------------------------


def _require_admin(actor):
    if actor is None or not actor.is_admin:
        raise PermissionDenied()


def create_first_admin(name, email, password):
    """A platform administrator created from the command line (no acting user yet)."""
    address = normalize_email(email or "")
    errors = []
    if not address:
        errors.append(("email", _l("This is not a valid e-mail address.")))
    elif find_user_by_login(address):
        errors.append(("email", _l("An account with this e-mail address already exists.")))
    if not (name or "").strip():
        errors.append(("name", _l("Please give a name.")))
    if len(password or "") < MIN_LENGTH:
        errors.append(("password", _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)))
    if errors:
        raise ValidationFailed(errors)
    user = User(name=name.strip(), email=address, is_admin=True, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(None, "account.create_admin", user)
    db.session.commit()
    return user


def list_users(actor, page, per_page, query=None):
    _require_admin(actor)
    stmt = sa.select(User).order_by(User.name, User.id)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(sa.or_(User.name.ilike(like), User.email.ilike(like), User.phone.ilike(like)))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def create_account(actor, name, password, language, email=None, phone=None, is_admin=False):
    """An admin creates an account (for staff, council members or group members)."""
    _require_admin(actor)
    email_n, phone_n, errors = _contacts(email, phone)
    if not (name or "").strip():
        errors.append(("name", _l("Please give a name.")))
    if len(password or "") < MIN_LENGTH:
        errors.append(("password", _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)))
    if language not in LANGUAGES:
        errors.append(("language", _l("Choose a language.")))
    if errors:
        raise ValidationFailed(errors)
    user = User(
        name=name.strip(),
        email=email_n,
        phone=phone_n,
        password_hash=hash_password(password),
        language=language,
        is_admin=bool(is_admin),
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "account.create", user, is_admin=bool(is_admin))
    db.session.commit()
    return user


def assign_municipal_role(actor, user, municipality_id, role):
    """Give a user the staff or council role in one municipality."""
    _require_admin(actor)
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        raise ValidationFailed.single("municipality_id", _l("Choose a municipality."))
    try:
        role = MunicipalRoleKind(role)
    except ValueError:
        raise ValidationFailed.single("role", _l("Choose a role.")) from None
    if user.has_municipal_role(municipality.id, role):
        raise ValidationFailed.single("role", _l("This person already has this role."))
    assignment = MunicipalRole(user=user, municipality_id=municipality.id, role=role)
    db.session.add(assignment)
    db.session.flush()
    record(actor, "role.assign", assignment, user_id=user.id, role=role.value)
    db.session.commit()
    return assignment


def revoke_municipal_role(actor, role_id):
    _require_admin(actor)
    assignment = db.session.get(MunicipalRole, role_id)
    if assignment is None:
        raise NotFound()
    record(actor, "role.revoke", assignment, user_id=assignment.user_id, role=assignment.role.value)
    db.session.delete(assignment)
    db.session.commit()


def set_verification(actor, user, village):
    """Record (village) or revoke (None) that a resident was seen in person; the caller checks who may."""
    before = user.verified_village_id
    user.verified_village_id = village.id if village else None
    user.verified_at = utcnow() if village else None
    user.verified_by_id = actor.id if village else None
    record(actor, "account.verify" if village else "account.unverify", user,
           municipality_id=village.municipality_id if village else None,
           village_id=village.id if village else None, previous_village_id=before)
    db.session.commit()


def search_residents(village_ids, query=None, limit=50):
    """Residents living in, or verified for, these villages; by name, e-mail or phone."""
    stmt = sa.select(User).where(
        sa.or_(User.village_id.in_(village_ids), User.verified_village_id.in_(village_ids))
    ).order_by(User.name, User.id).limit(limit)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(sa.or_(User.name.ilike(like), User.email.ilike(like), User.phone.ilike(like)))
    return db.session.execute(stmt).scalars().all()


def set_account_active(actor, user, active):
    _require_admin(actor)
    if user.id == actor.id:
        raise ValidationFailed.single(None, _l("You cannot block your own account."))
    user.active = bool(active)
    record(actor, "account.activate" if active else "account.block", user)
    db.session.commit()
