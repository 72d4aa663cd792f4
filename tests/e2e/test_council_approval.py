"""Issue 6's journey: a council member approves the budget at an office PC and prints the council's documents."""
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from playwright.sync_api import expect
from pypdf import PdfReader

from pb.budgets import services as budgets
from pb.budgets.models import Budget, BudgetApproval, BudgetLine
from pb.budgets.states import Phase
from pb.core.i18n import format_number
from pb.core.models import local_now
from pb.extensions import db
from pb.places import services as places
from pb.proposals.approval import list_accepted
from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e
COUNCIL = "deputy@janynookat.kg"  # the demo's council member whose budget waits for the kenesh (pb/demo/approval.py)
MUNICIPALITY = "Жаңы-Ноокат айыл өкмөтү"
SESSION = "XXVI"


def waiting_budget(app):
    """Janynookat's budget: (its id, [(id, title, cost) of the proposals its round selected], its expenditure)."""
    with app.app_context():
        db.session.remove()
        municipality = places.get_municipality("janynookat")
        budget = next(b for b in budgets.list_budgets(None, municipality.id) if b.phase == Phase.APPROVAL)
        accepted = [(p.id, p.title, p.estimated_cost) for p in list_accepted(budget)]
        budget_id, expenditure = budget.id, budgets.budget_figures(budget).expenditure
        db.session.remove()
    return budget_id, accepted, expenditure


def stored(app, budget_id):
    """What the database holds: the phase, whether a decision is recorded, the lines made from proposals."""
    with app.app_context():
        db.session.remove()
        phase = db.session.execute(sa.select(Budget.phase).where(Budget.id == budget_id)).scalar_one()
        approvals = db.session.execute(sa.select(sa.func.count(BudgetApproval.id))
                                       .where(BudgetApproval.budget_id == budget_id)).scalar()
        lines = db.session.execute(sa.select(BudgetLine.proposal_id).where(
            BudgetLine.budget_id == budget_id, BudgetLine.proposal_id.is_not(None))).scalars().all()
        db.session.remove()
    return phase, approvals, sorted(lines)


def amount(app, value, lang="ky"):
    """An amount as the pages and documents print it in a language, spaces of any kind made plain."""
    with app.test_request_context(), force_locale(lang):
        return plain(format_number(value))


def plain(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def download(page, base, selector):
    """The PDF behind a link of the page, fetched with the page's session: its pages."""
    href = page.locator(selector).get_attribute("href")
    response = page.request.get(href if href.startswith("http") else base + href)
    assert response.ok and response.headers["content-type"] == "application/pdf", href
    return PdfReader(io.BytesIO(response.body())).pages


def text_of(pages):
    return plain(" ".join(p.extract_text() for p in pages))


def test_council_member_approves_the_budget_and_prints_its_documents(live_server, browser):
    base, app = live_server
    budget_id, accepted, expenditure = waiting_budget(app)
    added = sum(cost for _pid, _title, cost in accepted)
    assert len(accepted) >= 2  # the round selected proposals: they are what the council takes into the budget
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ky-KG")  # an office PC
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        login(page, base, COUNCIL)
        page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
        page.get_by_role("link", name=tr(app, "Budget %(year)d", year=2027), exact=True).click()
        page.wait_for_url(f"{base}/budgets/{budget_id}")
        expect(page.locator("h1 .badge")).to_have_text(tr(app, "approval"))
        page.get_by_role("link", name=tr(app, "Record the council's approval")).click()
        page.wait_for_url(f"{base}/budgets/{budget_id}/approve")

        # the form lists what the council is about to take into the budget
        table = page.locator("main table").first.inner_text()
        for _pid, title, cost in accepted:
            assert title in table and amount(app, cost) in plain(table)
        assert amount(app, added) in plain(table)  # their total
        assert amount(app, expenditure) in plain(page.locator("main").inner_text())  # the expenditure before

        # a year typed wrong puts the session in the future: refused in Kyrgyz, and nothing is written
        future = (local_now() + timedelta(days=365)).date().isoformat()
        page.fill("#session_number", SESSION)
        page.fill("#session_date", future)
        page.get_by_role("button", name=tr(app, "Record the approval")).click()
        expect(page.locator("#session_date-error")).to_have_text(tr(app, "The session cannot be in the future."))
        assert page.url == f"{base}/budgets/{budget_id}/approve"
        assert page.input_value("#session_number") == SESSION  # what was typed is kept
        assert page.locator(".flash-success").count() == 0
        assert stored(app, budget_id) == (Phase.APPROVAL, 0, [])

        # the right date: the budget is approved, the selected proposals are its lines
        yesterday = (local_now() - timedelta(days=1)).date()
        page.fill("#session_date", yesterday.isoformat())
        page.fill("#decision_number", "26/2")
        page.get_by_role("button", name=tr(app, "Record the approval")).click()
        page.wait_for_url(f"{base}/budgets/{budget_id}")
        expect(page.locator(".flash-success")).to_have_text(tr(
            app, "The council's approval has been recorded: %(n)d proposals became budget lines.", n=len(accepted)))
        expect(page.locator("h1 .badge")).to_have_text(tr(app, "approved"))
        decision = page.locator("p.approval").inner_text()
        assert SESSION in decision and tr(app, "Decision № %(number)s.", number="26/2") in decision
        assert page.get_by_role("link", name=tr(app, "Record the council's approval")).count() == 0
        for pid, title, cost in accepted:
            code = page.get_by_role("cell", name=f"PB-{pid}", exact=True)
            row = plain(page.locator("main tr").filter(has=code).inner_text())
            assert title in row and amount(app, cost) in row
        # the expenditure grew by what the council funded
        assert amount(app, expenditure + added) in plain(page.locator("section.totals").inner_text())
        phase, approvals, lines = stored(app, budget_id)
        assert phase == Phase.APPROVED and approvals == 1 and lines == sorted(p for p, _t, _c in accepted)

        # the council's documents, from the links on the budget's page
        _pid, title, cost = max(accepted, key=lambda item: item[2])
        for lang in ("ky", "ru"):
            text = text_of(download(page, base, f"a[href$='/budgets/{budget_id}/approved-summary/{lang}.pdf']"))
            assert SESSION in text and "26/2" in text and title in text and amount(app, cost, lang) in text, lang
            if lang == "ky":
                assert all(letter in text for letter in "өүң")  # the embedded font carries Kyrgyz letters
        citizen = download(page, base, f"a[href$='/budgets/{budget_id}/citizen-budget/ky.pdf']")
        assert len(citizen) == 1  # one page, for the notice board
        text = text_of(citizen)
        assert title in text and amount(app, cost) in text and all(letter in text for letter in "өүң")
    finally:
        context.close()
