"""Monitoring in a real browser: the treasury import refused then accepted, a group's report, the phone view."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pb.budgets.models import Budget
from pb.extensions import db
from pb.places.models import Municipality
from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e


def budget_2026(app):
    with app.app_context():
        db.session.remove()
        return db.session.execute(sa.select(Budget.id).join(Municipality).where(
            Municipality.slug == "ak-dobo", Budget.fiscal_year == 2026)).scalar_one()


def test_staff_import_the_fourth_quarter_after_a_refused_file(live_server, browser, tmp_path):
    base, app = live_server
    budget_id = budget_2026(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "finance@ak-dobo.kg")
    page.goto(f"{base}/budgets/{budget_id}")
    page.click(f"text={tr(app, 'Execution: planned against executed')}")
    page.click("text=" + tr(app, "Import the treasury's figures"))
    bad = tmp_path / "q4.csv"
    bad.write_text("Код;Период;Исполнено\n7045200;4 квартал;20000\n9999999;4 квартал;5\n7011200;5 квартал;1\n",
                   encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.locator("main form button.primary").click()
    errors = page.locator("section.errors tbody tr")
    assert errors.count() == 2
    assert "9999999" in errors.nth(0).inner_text() and "5 квартал" in errors.nth(1).inner_text()
    good = tmp_path / "q4-good.csv"
    good.write_text("Код;Период;Исполнено\n7045200;4 квартал;20000\n", encoding="utf-8")
    page.set_input_files("#file", str(good))
    page.locator("main form button.primary").click()
    page.wait_for_url(f"{base}/budgets/{budget_id}/execution")
    assert tr(app, "Q%(n)d", n=4) in page.locator("table.lines thead").first.inner_text()
    assert page.locator("tr.off-plan", has_text="7045200").count() == 1
    assert "20 000" in page.locator("tr", has_text="7045200").first.inner_text().replace("\u00a0", " ")
    context.close()


def test_a_monitor_files_a_report_and_a_resident_reads_it_on_a_phone(live_server, browser, phone):
    base, app = live_server
    budget_id = budget_2026(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "monitor@ak-dobo.kg")
    page.goto(f"{base}/budgets/{budget_id}/projects")
    page.click("text=Ак-Добо мектебинин жанындагы көчөгө чырак")
    page.click(f"text={tr(app, 'File a monitoring report')}")
    page.fill("#visit_date", "2026-09-05")
    page.fill("#findings", "18 чырак күйүп турат, бирөө гана өчүк.")
    page.select_option("#rating", "on_track")
    page.locator("main form button.primary").click()
    expect(page.locator("main")).to_contain_text("18 чырак күйүп турат")
    expect(page.locator("main")).to_contain_text(tr(app, "The municipality has not answered yet."))
    context.close()
    phone.goto(f"{base}/budgets/{budget_id}/monitoring")
    phone.locator("main li", has_text="Ак-Добо мектебинин").first.locator("a").first.click()
    expect(phone.locator("main")).to_contain_text("18 чырак күйүп турат")
    phone.goto(f"{base}/budgets/{budget_id}/execution")
    assert phone.locator("tr.off-plan").count() >= 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
