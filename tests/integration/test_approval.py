"""The council's approval and the budget documents through the test client, on each database."""
import io
from datetime import timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from pb.audit.models import AuditEntry
from pb.budgets.models import BudgetLine
from pb.budgets.states import Phase
from pb.core.models import local_now
from pb.proposals.states import Status
from tests import approval_factories as af
from tests import factories as f


def form(**overrides):
    data = dict(session_number="XII", session_date=af.yesterday().isoformat(), decision_number="12/4",
                decision_text="Бюджет бекитилсин.")
    data.update(overrides)
    return data


def counts(db):
    db.session.expire_all()
    return tuple(db.session.execute(sa.select(sa.func.count()).select_from(m)).scalar() for m in (BudgetLine, AuditEntry))


def test_council_member_approves_on_the_form_and_the_summary_is_published(client, login_as, db):
    budget, chosen, _other = af.make_budget_for_approval()
    login_as(f.make_staff(budget.municipality, role="council"))
    page = client.get(f"/budgets/{budget.id}/approve")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert all(p.title in html for p in chosen)
    response = client.post(f"/budgets/{budget.id}/approve", data=form())
    assert response.status_code == 302 and response.location.endswith(f"/budgets/{budget.id}")
    db.session.expire_all()
    assert budget.phase == Phase.APPROVED
    assert all(p.status == Status.FUNDED for p in chosen)
    assert {line.proposal_id for line in budget.lines if line.proposal_id} == {p.id for p in chosen}
    line = next(line for line in budget.lines if line.proposal_id == chosen[0].id)
    assert f"/proposals/{chosen[0].id}" in client.get(f"/lines/{line.id}").get_data(as_text=True)
    shown = client.get(f"/budgets/{budget.id}").get_data(as_text=True)
    assert "XII" in shown and f"/budgets/{budget.id}/approved-summary/ru.pdf" in shown
    pdf = client.get(f"/budgets/{budget.id}/approved-summary/ru.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert chosen[0].title in text and "XII" in text


def test_bad_input_gets_a_clear_message_and_changes_nothing(client, login_as, db):
    budget, _chosen, _other = af.make_budget_for_approval()
    login_as(f.make_staff(budget.municipality, role="council", language="ru"))
    before = counts(db)
    future = (local_now() + timedelta(days=3)).date().isoformat()
    response = client.post(f"/budgets/{budget.id}/approve", data=form(session_date=future, session_number=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Сессия не может быть в будущем." in html and "Это поле обязательно." in html
    assert counts(db) == before
    db.session.expire_all()
    assert budget.phase == Phase.APPROVAL


def test_the_approval_form_needs_its_csrf_token(app, client, login_as, db):
    budget, _chosen, _other = af.make_budget_for_approval()
    login_as(f.make_staff(budget.municipality, role="council"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/budgets/{budget.id}/approve", data=form())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    db.session.expire_all()
    assert budget.phase == Phase.APPROVAL


def test_staff_may_not_approve(client, login_as, db):
    budget, _chosen, _other = af.make_budget_for_approval()
    login_as(f.make_staff(budget.municipality))
    before = counts(db)
    assert client.get(f"/budgets/{budget.id}/approve").status_code == 403
    assert client.post(f"/budgets/{budget.id}/approve", data=form()).status_code == 403
    assert counts(db) == before


def test_citizen_budget_is_public_once_published_and_the_summary_once_approved(client, db):
    budget, _chosen, _other = af.make_budget_for_approval(phase=Phase.CONSULTATION)
    citizen = client.get(f"/budgets/{budget.id}/citizen-budget/ky.pdf")
    assert citizen.status_code == 200 and len(PdfReader(io.BytesIO(citizen.data)).pages) == 1
    assert client.get(f"/budgets/{budget.id}/approved-summary/ky.pdf").status_code == 404
    assert client.get(f"/budgets/{budget.id}/citizen-budget/en.pdf").status_code == 404
    draft, _chosen, _other = af.make_budget_for_approval(phase=Phase.DRAFT)
    assert client.get(f"/budgets/{draft.id}/citizen-budget/ky.pdf").status_code == 404
    af.approve_directly(budget)
    assert client.get(f"/budgets/{budget.id}/approved-summary/ky.pdf").status_code == 200
