"""Permission matrix of the funded-project and monitoring-report routes: every route × every role."""
import io
from datetime import date

import pytest

from pb.extensions import db
from pb.monitoring.models import Milestone, MonitoringPhoto
from pb.monitoring.photos import photo_directory
from pb.proposals import photos
from tests import monitoring_factories as mf
from tests import proposal_factories as pf
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, INSIDERS, LEADS, LOGGED_IN, STAFF, cases, check_access, world,
)

NOBODY = set()
MONITORS = {"admin", "member"}  # the world's group member also sits in the monitoring group


def _setup(w):
    """A 2026 budget in monitoring with a funded project and its record, a monitoring group and a report."""
    if not hasattr(w, "_mon"):
        budget = mf.monitoring_budget(w.ak)
        funded = mf.make_funded(budget, village=w.village)
        record = mf.make_implementation(funded)
        group = mf.make_monitoring_group(w.ak, [w.users["member"]])
        report = mf.make_report(group, implementation=record)
        draft_proposal = mf.make_funded(w.draft, village=w.village)
        w._mon = dict(budget=budget, funded=funded, record=record, group=group, report=report,
                      waiting=mf.make_funded(budget, village=w.village, title="Көпүрө"),
                      draft_record=mf.make_implementation(draft_proposal))
    return w._mon


def _photo(w, draft=False):
    record = _setup(w)["draft_record" if draft else "record"]
    prepared = photos.prepare_photo(pf.image_bytes("JPEG"), 1024 * 1024, 1600)
    name = photos.new_name(prepared.extension)
    photos.write_photo(photo_directory(), name, prepared.data)
    record.photos.append(MonitoringPhoto(name=name, width=prepared.width, height=prepared.height,
                                         size=len(prepared.data)))
    db.session.commit()
    return name


def _record_data(w):
    return dict(responsible_body="Айыл өкмөтү", planned_cost="250000", spent="1000", contribution_delivered="0",
                progress="30", status="in_progress", cancel_reason="")


def _report_data(w):
    return dict(group_id=str(_setup(w)["group"].id), visit_date="2026-06-01", findings="Иш жүрүүдө.",
                rating="on_track", recommendations="")


MATRIX = [
    ("monitoring.list_projects", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/projects", None, ALL),
    ("monitoring.list_projects", "GET", lambda w: f"/budgets/{w.draft.id}/projects", None, INSIDERS),
    ("monitoring.print_projects", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/projects/print", None, ALL),
    ("monitoring.show_project", "GET", lambda w: f"/projects/{_setup(w)['record'].id}", None, ALL),
    ("monitoring.show_project", "GET", lambda w: f"/projects/{_setup(w)['draft_record'].id}", None, INSIDERS),
    ("monitoring.edit_implementation", "GET", lambda w: f"/proposals/{_setup(w)['waiting'].id}/implementation",
     None, STAFF),
    ("monitoring.edit_implementation", "POST", lambda w: f"/proposals/{_setup(w)['waiting'].id}/implementation",
     _record_data, STAFF),
    ("monitoring.edit_implementation", "POST", lambda w: f"/proposals/{_setup(w)['funded'].id}/implementation",
     _record_data, STAFF),
    ("monitoring.edit_implementation", "GET",
     lambda w: f"/proposals/{pf.make_proposal(_setup(w)['budget']).id}/implementation", None, NOBODY),
    ("monitoring.add_milestone", "POST", lambda w: f"/projects/{_setup(w)['record'].id}/milestones",
     lambda w: {"m-title": "Материалдар", "m-planned_date": "2026-07-01"}, STAFF),
    ("monitoring.complete_milestone", "POST",
     lambda w: f"/milestones/{_milestone(w)}/done", lambda w: {"d-done_date": "2026-07-02"}, STAFF),
    ("monitoring.add_project_photos", "POST", lambda w: f"/projects/{_setup(w)['record'].id}/photos",
     lambda w: {"photos": [(io.BytesIO(pf.image_bytes("PNG")), "a.png")]}, STAFF),
    ("monitoring.show_photo", "GET", lambda w: f"/monitoring-photos/{_photo(w)}", None, ALL),
    ("monitoring.show_photo", "GET", lambda w: f"/monitoring-photos/{_photo(w, draft=True)}", None, INSIDERS),
    ("monitoring_reports.list_reports", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/monitoring", None, ALL),
    ("monitoring_reports.show_report", "GET", lambda w: f"/monitoring-reports/{_setup(w)['report'].id}", None, ALL),
    ("monitoring_reports.file_project_report", "GET",
     lambda w: f"/projects/{_setup(w)['record'].id}/reports/new", None, MONITORS),
    ("monitoring_reports.file_project_report", "POST",
     lambda w: f"/projects/{_setup(w)['record'].id}/reports/new", _report_data, MONITORS),
    ("monitoring_reports.file_line_report", "POST",
     lambda w: f"/lines/{_setup(w)['budget'].lines[0].id}/reports/new", _report_data, MONITORS),
    ("monitoring_reports.file_line_report", "POST",  # a budget in consultation is not monitored yet
     lambda w: f"/lines/{(_setup(w), w.line)[1].id}/reports/new", _report_data, NOBODY),
    ("next_cycle.start_next_budget", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/next", None, LEADS),
    ("next_cycle.start_next_budget", "POST", lambda w: f"/budgets/{_setup(w)['budget'].id}/next",
     lambda w: dict(fiscal_year="2029"), LEADS),
    ("next_cycle.start_next_budget", "GET", lambda w: f"/budgets/{w.budget.id}/next", None, NOBODY),
    ("monitoring_pdf.show_monitoring_pdf", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/monitoring/ky.pdf",
     None, ALL),
    ("monitoring_pdf.show_monitoring_pdf", "GET", lambda w: f"/budgets/{w.budget.id}/monitoring/ru.pdf", None, NOBODY),
    ("monitoring_pdf.show_monitoring_pdf", "GET", lambda w: f"/budgets/{_setup(w)['budget'].id}/monitoring/de.pdf",
     None, NOBODY),
    ("monitoring_reports.answer_report", "POST", lambda w: f"/monitoring-reports/{_setup(w)['report'].id}/answer",
     lambda w: dict(answer="Оңдолот."), STAFF),
    # a report's comment thread is as public as its budget
    ("comments.show_comments", "GET", lambda w: f"/comments/monitoring_report/{_setup(w)['report'].id}", None, ALL),
    ("comments.post_comment", "POST", lambda w: f"/comments/monitoring_report/{_setup(w)['report'].id}",
     lambda w: dict(body="Түтүктөр качан келет?"), LOGGED_IN),
    ("comments.show_comments", "GET", lambda w: f"/comments/monitoring_report/{_draft_report(w)}", None, INSIDERS),
    ("comments.post_comment", "POST", lambda w: f"/comments/monitoring_report/{_draft_report(w)}",
     lambda w: dict(body="Суроо"), INSIDERS),
]


def _draft_report(w):
    setup = _setup(w)
    return mf.make_report(setup["group"], implementation=setup["draft_record"]).id


def _milestone(w):
    milestone = Milestone(implementation_id=_setup(w)["record"].id, title="Пайдубал", planned_date=date(2026, 6, 1))
    db.session.add(milestone)
    db.session.commit()
    return milestone.id


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_monitoring_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
