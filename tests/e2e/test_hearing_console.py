"""Issue 4's journey: a facilitator schedules and runs a hearing on tablets, through a stretch offline."""
import io
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from pypdf import PdfReader

from pb.extensions import db
from pb.hearings.models import Attendance, Hearing, HearingDecision, HearingQuestion
from pb.hearings.states import HearingStatus
from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e
OFFLINE_QUESTION = "Мектептин чатыры быйыл бүтөбү?"


def tablet(browser, base, who, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ky-KG")
    page = context.new_page()
    page.set_default_timeout(10000)
    login(page, base, who)
    return context, page


def counter(page, name):
    return page.locator(f"[data-counter='{name}']").inner_text()


def shows(page, selector, text, timeout=10000):
    """Wait until the element shows the text (the CSP forbids the eval that wait_for_function needs)."""
    expect(page.locator(selector)).to_have_text(text, timeout=timeout)


def settled(page, total, timeout=10000):
    """Wait until the counters show total attendees and nothing waits to be sent."""
    shows(page, "[data-counter='total']", str(total), timeout)
    shows(page, "#pending b", "0", timeout)


def register(page, age, sex, village=None):
    """An attendee in two or three taps: the age band, the village if it changes, woman or man."""
    page.locator("#attendance label.tap", has_text=age).click()
    if village:
        page.locator("#attendance label.tap", has_text=village).click()
    page.click(f"#add-{sex}")


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in (page.locator("#add-female").bounding_box(), page.locator("#attendance label.tap").first.bounding_box()):
        assert box["height"] >= 44 and box["width"] >= 44  # tap targets for a thumb


def schedule(page, base, app):
    page.goto(base + "/m/ak-dobo")
    page.click(f"text={tr(app, 'Hearings: announcements and minutes')}")
    page.click(f"text={tr(app, 'Schedule a hearing')}")
    page.select_option("#kind", value="draft_budget")
    page.select_option("#budget_id", index=1)
    page.wait_for_selector("#agenda-0-about option[value^='line:']", state="attached")  # htmx offered the lines
    page.fill("#date", "2027-02-14")
    page.fill("#time", "10:00")
    page.fill("#place", "Ак-Добо орто мектебинин залы")
    for box in page.locator("ul.checks input[type=checkbox]").all():
        box.check()
    page.fill("#chair_name", "Мирлан Асанов")
    page.select_option("#secretary_id", label="Нургүл Токтосунова")
    page.fill("#quorum", "5")
    page.fill("#agenda-0-title", "2027-жылдын бюджетинин долбоору")
    page.select_option("#agenda-0-about", index=1)
    page.fill("#agenda-1-title", "Тургундардын сунуштары")
    page.locator("main form button.primary").click()
    page.wait_for_url(re.compile(r".*/hearings/\d+$"))
    assert "Ак-Добо орто мектебинин залы" in page.locator("main").inner_text()
    return int(page.url.rsplit("/", 1)[1])


def stored(app, hearing_id):
    with app.app_context():
        db.session.remove()
        counts = [db.session.execute(sa.select(sa.func.count(model.id)).where(model.hearing_id == hearing_id)).scalar()
                  for model in (Attendance, HearingQuestion, HearingDecision)]
        keys = db.session.execute(sa.select(sa.func.count(sa.distinct(Attendance.client_key)))
                                  .where(Attendance.hearing_id == hearing_id)).scalar()
        status = db.session.get(Hearing, hearing_id).status
        db.session.remove()
    return counts, keys, status


def test_facilitator_runs_a_hearing_on_two_tablets_through_a_stretch_offline(live_server, browser):
    base, app = live_server
    chair_ctx, page = tablet(browser, base, "chair@ak-dobo.kg", 1280, 800)
    hearing_id = schedule(page, base, app)
    console_url = f"{base}/hearings/{hearing_id}/console"

    page.click(f"text={tr(app, 'Open the console')}")
    page.click("#open-hearing")
    page.wait_for_selector("#add-female")
    fits(page, 1280)
    register(page, "18–29", "female", "Ак-Добо")
    register(page, "30–44", "male")  # the village stays chosen: two taps
    register(page, tr(app, "60 and over"), "female", "Кызыл-Арык")
    settled(page, 3)
    assert (counter(page, "total"), counter(page, "women"), counter(page, "young")) == ("3", "2", "1")

    page.locator("li[data-item] button.start").first.click()
    page.wait_for_selector("li[data-item].current")
    page.click(f"summary:has-text('{tr(app, 'Question or remark')}')")
    page.fill("#q-text", "Суу түтүгү Кызыл-Арыкка качан жетет?")
    page.fill("#q-answer", "2027-жылдын май айында.")
    page.fill("#q-by", "Бакыт Жумабаев")
    page.click(f"text={tr(app, 'Record the question')}")
    page.click(f"summary:has-text('{tr(app, 'Decision')}')")
    page.fill("#d-motion", "Бюджеттин долбоорун колдоо")
    page.fill("#d-votes_for", "3")
    page.locator("#decision label.tap", has_text=tr(app, "adopted")).click()
    page.click(f"text={tr(app, 'Record the decision')}")
    page.locator("li[data-item]").nth(1).locator("button.start").click()
    shows(page, "[data-counter='decisions']", "1")
    settled(page, 3)
    # the second item is under way on the server; the tablet shows it (after a poll, or on reload)
    expect(page.locator("li[data-item]").nth(1)).to_have_class(re.compile("current"), timeout=15000)
    assert stored(app, hearing_id)[0] == [3, 1, 1]

    # the connection drops: entries wait on the tablet, counted and shown
    chair_ctx.set_offline(True)
    register(page, "18–29", "female", "Жон-Арык")
    register(page, "18–29", "female")
    register(page, "45–59", "male")
    page.click(f"summary:has-text('{tr(app, 'Question or remark')}')")
    page.fill("#q-text", OFFLINE_QUESTION)
    page.click(f"text={tr(app, 'Record the question')}")
    shows(page, "#pending b", "4")
    assert counter(page, "total") == "6" and counter(page, "questions") == "2"
    assert page.locator("#pending.waiting").count() == 1

    # the tab is closed and opened again, still offline: nothing is lost
    page.close()
    page = chair_ctx.new_page()
    page.set_default_timeout(10000)
    assert page.goto(console_url).from_service_worker  # kept on the tablet for this
    shows(page, "#pending b", "4")
    assert OFFLINE_QUESTION in page.locator("#feed").inner_text()
    assert stored(app, hearing_id)[0] == [3, 1, 1]

    # a second tablet, held upright, follows the hearing
    secretary_ctx, other = tablet(browser, base, "secretary@ak-dobo.kg", 800, 1280)
    other.goto(console_url)
    assert counter(other, "total") == "3"
    fits(other, 800)

    # back online: every waiting entry arrives exactly once, and the other tablet sees them
    chair_ctx.set_offline(False)
    settled(page, 6, timeout=15000)
    counts, keys, _ = stored(app, hearing_id)
    assert counts == [6, 2, 1] and keys == 6
    shows(other, "[data-counter='total']", "6")
    assert OFFLINE_QUESTION in other.locator("#feed").inner_text()
    register(other, tr(app, "under 18"), "male", "Ак-Добо")
    shows(page, "[data-counter='total']", "7")
    assert counter(page, "young") == "4"

    page.click("#close-hearing")
    page.wait_for_selector("#open-hearing, #close-hearing", state="detached")
    counts, keys, status = stored(app, hearing_id)
    assert counts == [7, 2, 1] and keys == 7 and status == HearingStatus.CLOSED
    other.wait_for_selector("#add-female", state="detached", timeout=10000)  # it reloads as held

    # the secretary writes a paragraph, the chair publishes, and the minutes print in both languages
    other.goto(f"{base}/hearings/{hearing_id}/minutes/edit")
    other.fill("#text", "Угуу тынч өттү; катышуучулар суу маселесин көтөрүштү.")
    other.locator("main form button.primary").click()
    page.goto(f"{base}/hearings/{hearing_id}/minutes")
    page.click(f"text={tr(app, 'Publish the minutes')}")
    for lang in ("ky", "ru"):
        response = page.request.get(f"{base}/hearings/{hearing_id}/minutes/{lang}.pdf")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
        assert "Жон-Арык" in text and "Кызыл-Арык" in text  # villages, with their Kyrgyz letters
        assert OFFLINE_QUESTION in text and "маселесин көтөрүштү" in text  # ө ү from an embedded font
        assert re.search(r"\b7\b", text)  # the total attendance
    for context in (chair_ctx, secretary_ctx):
        context.close()
