"""Batches of voting codes: making them (the clear codes leave only as the printed slips), voiding,
counting their use, checking a typed code, and the registration desk's binding of a code to a resident."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.accounts.models import User
from pb.audit.services import record
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import ensure
from pb.extensions import db
from pb.voting import codes
from pb.voting.casting import code_hash
from pb.voting.models import CodeBatch, RoundVoter, VotingCode
from pb.voting.states import Refusal, RoundStatus

MAX_BATCH, MAX_LABEL = 500, 200  # 500 slips render in a few seconds; more would near a worker timeout
# check_code's answers
VALID, UNKNOWN, USED, VOID = "valid", "unknown", "used", "void"


def generate_batch(actor, round_, size, label="", location_id=None):
    """A batch of new single-use codes; returns (batch, clear codes) — print them now, they are not kept."""
    ensure(actor, "manage", round_)
    if round_.status == RoundStatus.CLOSED:
        raise Conflict(_l("The round is closed."))
    if not round_.codes_may_vote:
        raise ValidationFailed.single(None, _l("This round does not take voting codes; change who may vote first."))
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= MAX_BATCH:
        raise ValidationFailed.single("size", _l("Enter a number from %(low)d to %(high)d.", low=1, high=MAX_BATCH))
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise ValidationFailed.single("label", _l("At most %(n)d characters.", n=MAX_LABEL))
    location = None
    if location_id not in (None, "", 0, "0"):
        from pb.voting.services import get_location

        location = get_location(round_, location_id)
    batch = CodeBatch(round_id=round_.id, label=label, size=size, created_by_id=actor.id,
                      location_id=location.id if location else None)
    db.session.add(batch)
    db.session.flush()
    clear = _fresh_codes(round_, size)
    db.session.execute(sa.insert(VotingCode), [
        dict(round_id=round_.id, batch_id=batch.id, code_hash=code_hash(round_.id, code)) for code in clear
    ])
    record(actor, "voting.generate_codes", round_, batch=batch.id, size=size, label=label)
    db.session.commit()
    return batch, clear


def _fresh_codes(round_, size):
    taken = set()
    clear = []
    while len(clear) < size:
        code = codes.new_code()
        digest = code_hash(round_.id, code)
        if digest in taken:
            continue
        exists = db.session.execute(
            sa.select(VotingCode.id).where(VotingCode.round_id == round_.id, VotingCode.code_hash == digest)
        ).first()
        if exists is None:
            taken.add(digest)
            clear.append(code)
    return clear


def list_batches(round_):
    """The round's batches with their counts: [(batch, used, voided, unused)]."""
    rows = db.session.execute(
        sa.select(
            VotingCode.batch_id,
            sa.func.count(VotingCode.used_at),
            sa.func.count(VotingCode.voided_at),
            sa.func.count(VotingCode.id),
        ).where(VotingCode.round_id == round_.id).group_by(VotingCode.batch_id)
    ).all()
    counts = {row[0]: row[1:] for row in rows}
    batches = db.session.execute(
        sa.select(CodeBatch).where(CodeBatch.round_id == round_.id).order_by(CodeBatch.id)
    ).scalars().all()
    out = []
    for batch in batches:
        used, voided, total = counts.get(batch.id, (0, 0, 0))
        out.append((batch, used, voided, total - used - voided))
    return out


def get_batch(round_, batch_id):
    batch = db.session.get(CodeBatch, batch_id)
    if batch is None or batch.round_id != round_.id:
        raise NotFound()
    return batch


def void_batch(actor, batch, reason):
    """Void every unused code of a batch (lost slips, a misprint); used codes keep their ballots."""
    round_ = batch.round
    ensure(actor, "manage", round_)
    if batch.voided_at is not None:
        raise Conflict(_l("This batch is already void."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", _l("Say why the codes are voided."))
    now = utcnow()
    batch.voided_at, batch.void_reason = now, reason[:500]
    voided = db.session.execute(
        sa.update(VotingCode).where(VotingCode.batch_id == batch.id, VotingCode.used_at.is_(None),
                                    VotingCode.voided_at.is_(None)).values(voided_at=now)
    ).rowcount
    record(actor, "voting.void_batch", round_, batch=batch.id, voided=voided, reason=reason)
    db.session.commit()
    return voided


def find_code(round_, code_text):
    """The stored code matching a typed one, or None."""
    code = codes.normalise(code_text)
    if code is None:
        return None
    return db.session.execute(
        sa.select(VotingCode).where(VotingCode.round_id == round_.id,
                                    VotingCode.code_hash == code_hash(round_.id, code))
    ).scalar_one_or_none()


def void_code(actor, round_, code_text):
    """Void one unused code (a slip reported lost)."""
    ensure(actor, "manage", round_)
    row = find_code(round_, code_text)
    if row is None:
        raise ValidationFailed.single("code", Refusal.CODE_UNKNOWN.label)
    if row.used_at is not None:
        raise ValidationFailed.single("code", Refusal.CODE_USED.label)
    if row.voided_at is not None:
        raise ValidationFailed.single("code", Refusal.CODE_VOID.label)
    row.voided_at = utcnow()
    record(actor, "voting.void_code", round_, code=row.id, batch=row.batch_id)
    db.session.commit()


def check_code(round_, code_text):
    """VALID, UNKNOWN, USED or VOID for a typed or scanned code (changes nothing)."""
    row = find_code(round_, code_text)
    if row is None:
        return UNKNOWN
    if row.voided_at is not None:
        return VOID
    if row.used_at is not None:
        return USED
    return VALID


CHECK_MESSAGES = {UNKNOWN: Refusal.CODE_UNKNOWN, USED: Refusal.CODE_USED, VOID: Refusal.CODE_VOID}


# --- the registration desk --------------------------------------------------------


def voter_mark(round_, user_id):
    """How the person voted in the round (RoundVoter: the channel and when), or None."""
    return db.session.execute(
        sa.select(RoundVoter).where(RoundVoter.round_id == round_.id, RoundVoter.voter_id == user_id)
    ).scalar_one_or_none()


def desk_search(actor, round_, query, limit=20):
    """Verified residents of the municipality matching a name or phone: [(user, mark or None, bound code?)]."""
    ensure(actor, "run", round_)
    query = (query or "").strip()
    if len(query) < 2:
        return []
    from pb.places.models import Village

    villages = sa.select(Village.id).where(Village.municipality_id == round_.municipality_id)
    # filtered here, not by SQL lower(): SQLite folds only ASCII letters, and names are Cyrillic
    needle = query.casefold()
    digits = "".join(ch for ch in query if ch.isdigit())
    users = [
        user for user in db.session.execute(
            sa.select(User).where(User.verified_village_id.in_(villages)).order_by(User.name)
        ).scalars()
        if needle in user.name.casefold() or (len(digits) >= 3 and digits in (user.phone or ""))
    ][:limit]
    marks = {m.voter_id: m for m in db.session.execute(
        sa.select(RoundVoter).where(RoundVoter.round_id == round_.id, RoundVoter.voter_id.in_([u.id for u in users]))
    ).scalars()}
    bound = set(db.session.execute(
        sa.select(VotingCode.resident_id).where(VotingCode.round_id == round_.id,
                                                VotingCode.resident_id.in_([u.id for u in users]))
    ).scalars())
    return [(user, marks.get(user.id), user.id in bound) for user in users]


def bind_code(actor, round_, code_text, resident_id):
    """Hand a code to a known resident at the desk: the code then counts as that resident's one vote."""
    ensure(actor, "run", round_)
    resident = db.session.get(User, resident_id) if str(resident_id).isdigit() else None
    if resident is None or resident.verified_village is None \
            or resident.verified_village.municipality_id != round_.municipality_id:
        raise NotFound()
    mark = voter_mark(round_, resident.id)
    if mark is not None:
        raise Conflict(_l("%(name)s has already voted in this round (%(channel)s).",
                          name=resident.name, channel=mark.channel.label))
    row = find_code(round_, code_text)
    if row is None:
        raise ValidationFailed.single("code", Refusal.CODE_UNKNOWN.label)
    if row.used_at is not None or row.voided_at is not None:
        raise ValidationFailed.single("code", (Refusal.CODE_USED if row.used_at else Refusal.CODE_VOID).label)
    if row.resident_id is not None and row.resident_id != resident.id:
        raise ValidationFailed.single("code", _l("This code has been handed to someone else."))
    row.resident_id = resident.id
    record(actor, "voting.bind_code", round_, resident=resident.id)
    db.session.commit()
    return resident
