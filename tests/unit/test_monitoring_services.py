"""Implementation records and monitoring reports: rules, the proposal following the project, audit (no HTTP)."""
import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets import execution
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.core.models import local_now
from pb.groups.models import GroupMember, Position
from pb.monitoring import projects, reports
from pb.monitoring.states import ProjectStatus, Rating
from pb.notifications.models import Notification
from pb.proposals.states import Status
from tests import factories as f
from tests import monitoring_factories as mf
from tests import proposal_factories as pf


@pytest.fixture
def place(app):
    municipality = f.make_municipality()
    budget = mf.monitoring_budget(municipality)
    member = f.make_user()
    return dict(municipality=municipality, budget=budget, staff=f.make_staff(municipality), member=member,
                group=mf.make_monitoring_group(municipality, [member]), proposal=mf.make_funded(budget))


def _data(**overrides):
    data = dict(responsible_body="Айыл өкмөтү", contractor="", planned_start=date(2026, 4, 1),
                planned_end=date(2026, 9, 30), planned_cost="250000", spent="0", contribution_delivered="0",
                progress=0, status="not_started", cancel_reason="")
    data.update(overrides)
    return data


def _actions(db):
    return db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()


def test_done_project_moves_the_proposal_through_in_progress_to_done(place, db):
    record = projects.save_implementation(place["staff"], place["proposal"], _data(status="done", progress=40))
    assert record.progress == 100  # done is done
    assert place["proposal"].status == Status.DONE
    assert [c.to_status for c in place["proposal"].status_changes][-2:] == [Status.IN_PROGRESS, Status.DONE]
    assert _actions(db) == ["implementation.create", "proposal.change_status", "proposal.change_status"]


def test_cancelling_needs_a_reason_and_bad_input_saves_nothing(place, db):
    with pytest.raises(ValidationFailed) as exc:
        projects.save_implementation(place["staff"], place["proposal"], _data(
            status="cancelled", progress=120, planned_end=date(2026, 1, 1), spent="-5", responsible_body=""))
    fields = {field for field, _message in exc.value.errors}
    assert fields == {"cancel_reason", "progress", "planned_end", "spent", "responsible_body"}
    assert projects.find_implementation(place["proposal"]) is None and _actions(db) == []
    record = projects.save_implementation(place["staff"], place["proposal"],
                                          _data(status="cancelled", cancel_reason="Жер талаштуу болуп чыкты."))
    assert record.status == ProjectStatus.CANCELLED and place["proposal"].status == Status.FUNDED


def test_only_staff_keep_records_and_only_of_funded_proposals(place, db):
    with pytest.raises(PermissionDenied):
        projects.save_implementation(place["member"], place["proposal"], _data())
    submitted = pf.make_proposal(place["budget"])
    with pytest.raises(PermissionDenied):
        projects.save_implementation(place["staff"], submitted, _data())


def test_milestones_are_added_and_reached(place, db):
    record = mf.make_implementation(place["proposal"])
    with pytest.raises(ValidationFailed):
        projects.add_milestone(place["staff"], record, "", None)
    milestone = projects.add_milestone(place["staff"], record, "Түтүктөр сатылып алынды", date(2026, 5, 1))
    projects.complete_milestone(place["staff"], milestone, date(2026, 5, 3))
    assert [(m.title, m.done_date) for m in record.milestones] == [("Түтүктөр сатылып алынды", date(2026, 5, 3))]


def test_a_monitoring_member_files_a_report_and_staff_answer_it(place, db):
    record = mf.make_implementation(place["proposal"])
    data = dict(group_id=place["group"].id, visit_date=date(2026, 6, 10), findings="Түтүктөрдүн жарымы коюлду.",
                rating="concerns", recommendations="Күзгө чейин бүтүрүү.")
    report = reports.file_report(place["member"], record, data)
    assert report.rating == Rating.CONCERNS and report.implementation_id == record.id and report.line_id is None
    with pytest.raises(PermissionDenied):
        reports.answer_report(place["member"], report, "Жооп")
    with pytest.raises(ValidationFailed):
        reports.answer_report(place["staff"], report, "  ")
    reports.answer_report(place["staff"], report, "Подрядчик сентябрда бүтүрөт.")
    assert report.answered_at is not None and report.answered_by_id == place["staff"].id
    assert _actions(db) == ["monitoring.file_report", "monitoring.answer_report"]


def test_a_report_needs_a_monitoring_group_a_past_date_and_findings(place, db):
    line = place["budget"].lines[0]
    with pytest.raises(PermissionDenied):
        reports.file_report(place["staff"], line, dict(group_id=place["group"].id))
    other_group = mf.make_monitoring_group(f.make_municipality())
    with pytest.raises(ValidationFailed) as exc:
        reports.file_report(place["member"], line, dict(group_id=other_group.id, rating="excellent", findings="",
                                                        visit_date=local_now().date() + timedelta(days=2)))
    assert {field for field, _m in exc.value.errors} == {"group_id", "rating", "findings", "visit_date"}
    assert reports.list_reports(budget=place["budget"]) == []


def test_staff_hear_of_a_report_and_the_group_of_the_answer(place, db):
    other_member = f.make_user()
    db.session.add(GroupMember(group=place["group"], user=other_member, position=Position.MEMBER))
    db.session.commit()
    record = mf.make_implementation(place["proposal"])
    report = reports.file_report(place["member"], record, dict(
        group_id=place["group"].id, visit_date=date(2026, 6, 10), findings="Көрдүк.", rating="problem"))
    notes = db.session.execute(sa.select(Notification.user_id, Notification.kind)).all()
    assert notes == [(place["staff"].id, "monitoring.report")]
    reports.answer_report(place["staff"], report, "Жооп.")
    answered = db.session.execute(sa.select(Notification.user_id).where(Notification.kind == "monitoring.answer")
                                  ).scalars().all()
    assert set(answered) == {place["member"].id, other_member.id}


def test_a_corrected_figure_keeps_the_old_amount_in_the_audit_log(place, db):
    line = place["budget"].lines[0]
    execution.record_figure(place["staff"], line, dict(period="quarter-1", executed="1000"))
    execution.import_figures(place["staff"], place["budget"], "t.csv",
                             f"code,period,executed\n{line.code},Q1,1200\n{line.code},Q2,50\n".encode())
    details = db.session.execute(sa.select(AuditEntry.details).where(AuditEntry.action == "budget.import_execution")
                                 ).scalar_one()
    assert json.loads(details)["replaced"] == [[line.code, "quarter", 1, "1000.00", "1200.00"]]
    assert [str(f.executed) for f in execution.list_figures(place["budget"])] == ["1200.00", "50.00"]
