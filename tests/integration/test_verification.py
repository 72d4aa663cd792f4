"""A group secretary marks residents verified for a village, or withdraws it; the audit log records who."""
import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.groups.models import Position
from pb.groups.services import revoke_verification, verify_resident
from tests import factories as f


def test_secretary_verifies_and_revokes_with_an_audit_trail(client, login_as, db):
    municipality = f.make_municipality(slug="ak-dobo")
    village = f.make_village(municipality, name="Кызыл-Арык")
    secretary = f.make_member(f.make_group(municipality), Position.SECRETARY, village)
    resident = f.make_user(name="Асель", village_id=village.id)
    login_as(secretary)
    page = client.get("/m/ak-dobo/residents?q=Асель").get_data(as_text=True)
    assert "Асель" in page
    client.post("/m/ak-dobo/residents", data=dict(user_id=resident.id, village_id=village.id, action="verify"))
    db.session.refresh(resident)
    assert resident.verified_village_id == village.id and resident.verified_by_id == secretary.id
    client.post("/m/ak-dobo/residents", data=dict(user_id=resident.id, action="revoke"))
    db.session.refresh(resident)
    assert not resident.is_verified
    actions = db.session.execute(
        sa.select(AuditEntry.action, AuditEntry.actor_id).where(AuditEntry.object_id == resident.id)
    ).all()
    assert ("account.verify", secretary.id) in actions and ("account.unverify", secretary.id) in actions


def test_plain_member_cannot_verify(db):
    municipality = f.make_municipality()
    village = f.make_village(municipality)
    member = f.make_member(f.make_group(municipality), Position.MEMBER, village)
    with pytest.raises(PermissionDenied):
        verify_resident(member, municipality, f.make_user().id, village.id)


def test_village_of_another_municipality_is_refused(db):
    municipality, other = f.make_municipality(), f.make_municipality()
    staff = f.make_staff(municipality)
    with pytest.raises(ValidationFailed):
        verify_resident(staff, municipality, f.make_user().id, f.make_village(other).id)


def test_cannot_revoke_another_municipalitys_verification(db):
    municipality, other = f.make_municipality(), f.make_municipality()
    other_village = f.make_village(other)
    resident = f.make_user()
    verify_resident(f.make_staff(other), other, resident.id, other_village.id)
    from pb.core.errors import NotFound

    with pytest.raises(NotFound):
        revoke_verification(f.make_staff(municipality), municipality, resident.id)
