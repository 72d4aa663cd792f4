"""The audit log's hash chain and its verification."""
import sqlalchemy as sa
from click.testing import CliRunner

from pb.audit.models import AuditEntry
from pb.audit.services import record, verify_chain
from pb.cli import audit_verify
from tests import factories as f


def _entries(db, n):
    actor = f.make_user()
    for i in range(n):
        record(actor, "test.action", object_type="thing", object_id=i, note=f"entry {i}")
        db.session.commit()


def test_verify_chain_of_intact_log(db):
    _entries(db, 5)
    report = verify_chain()
    assert report.ok and report.checked == 5


def test_verify_chain_names_the_first_altered_entry(db):
    _entries(db, 5)
    third = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id).offset(2).limit(1)).scalar_one()
    third.details = '{"note": "rewritten"}'
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.broken_id == third.id and report.problem == "hash"


def test_verify_chain_detects_a_deleted_entry(db):
    _entries(db, 4)
    second = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id).offset(1).limit(1)).scalar_one()
    db.session.delete(second)
    db.session.commit()
    report = verify_chain()
    assert report.problem == "link" and report.broken_id == second.id + 1


def test_audit_verify_command_exit_code(app, db):
    _entries(db, 3)
    runner = CliRunner()
    with app.app_context():
        ok = runner.invoke(audit_verify, [], obj=None)
    assert ok.exit_code == 0 and "3 entries" in ok.output
    entry = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).scalars().first()
    entry.action = "forged"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["pb", "audit-verify"])
    assert result.exit_code == 1 and f"entry {entry.id}" in result.output


def test_entries_form_a_single_chain(db):
    _entries(db, 3)
    entries = db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id)).scalars().all()
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
