"""The journeys people take, in a real browser on a phone-sized screen."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e


def test_resident_registers_and_reads_the_budget_in_kyrgyz(live_server, phone):
    base, app = live_server
    phone.goto(base + "/")
    assert phone.locator("html").get_attribute("lang") == "ky"
    phone.click(f"text={tr(app, 'Register')}")
    phone.fill("#name", "Асель Токтогулова")
    phone.select_option("#village_id", label="Кызыл-Арык — Ак-Добо айыл өкмөтү")
    phone.fill("#phone", "0700 111 222")
    phone.fill("#password", "менин-сырсөзүм")
    phone.fill("#password2", "менин-сырсөзүм")
    phone.locator("main form button.primary").click()
    phone.wait_for_url(base + "/")
    assert "Асель Токтогулова" in phone.content()
    phone.click("text=Ак-Добо айыл өкмөтү — 2027")
    # a click that follows a link returns before the new page is read: expect waits for it
    expect(phone.locator("main")).to_contain_text(tr(app, "Expenditure by category"))
    assert phone.locator("table.chart").count() == 2  # revenue against expenditure, and categories
    # the page fits a phone's width: nothing forces sideways scrolling of the whole page
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.click("text=Ичүүчү суу түтүгүн оңдоо")
    expect(phone.locator("main")).to_contain_text(re.compile(r"2\s750\s000"))


def test_staff_import_with_bad_rows_is_refused_with_a_list(live_server, browser, tmp_path):
    base, app = live_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "finance@isanov.kg")
    page.goto(base + "/m/isanov/budgets/new")
    page.fill("#fiscal_year", "2028")
    page.locator("main form button.primary").click()
    page.click(f"text={tr(app, 'Import from a spreadsheet')}")
    bad = tmp_path / "isanov.csv"
    bad.write_text(
        "kind,code,name_ky,name_ru,category,approved_last_year,executed_last_year,proposed,note\n"
        "revenue,1111,Салык,Налог,other,100,90,120,\n"
        "expenditure,7011,Аппарат,Аппарат,космос,100,90,1.005,\n", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.locator("main form button.primary").click()
    errors = page.locator("section.errors tbody tr")
    assert errors.count() == 2
    assert "космос" in errors.nth(0).inner_text() + errors.nth(1).inner_text()
    good = tmp_path / "isanov-good.csv"
    good.write_text(bad.read_text(encoding="utf-8").replace("космос", "administration").replace("1.005", "80"),
                    encoding="utf-8")
    page.set_input_files("#file", str(good))
    page.locator("main form button.primary").click()
    assert page.locator("table.lines tbody tr").count() == 2
    context.close()


def test_group_member_saves_a_note_without_reloading(live_server, browser):
    base, app = live_server
    context = browser.new_context(viewport={"width": 800, "height": 1280})
    page = context.new_page()
    login(page, base, "member@ak-dobo.kg")
    page.click("text=Ак-Добо айыл өкмөтү — 2027")
    page.click("text=Таштанды чыгаруу")
    url = page.url
    page.evaluate("window.__marker = 1")  # survives only if the page does not reload
    page.fill("#note", "Жаңы полигонго чейин 14 км, ошондуктан кымбат.")
    page.click(f"text={tr(app, 'Save the note')}")
    page.wait_for_selector(f"text={tr(app, 'The note has been saved.')}")
    assert page.evaluate("window.__marker") == 1 and page.url == url
    assert "Жаңы полигонго чейин 14 км" in page.locator("#line-note").inner_text()
    context.close()
