"""Issue 3's journey: a resident asks and proposes from a phone; the group answers, reviews and moderates."""
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e
PROPOSALS = "Residents' proposals"
QUESTION = "Түтүк Кызыл-Арыкка да жетеби?"


def open_line(page, base, name):
    page.goto(base + "/")
    page.click("text=Ак-Добо айыл өкмөтү — 2027")
    page.click(f"text={name}")


def propose(page, app, title, cost):
    page.click(f"text={tr(app, PROPOSALS)}")
    page.click(f"text={tr(app, 'Submit a proposal')}")
    page.fill("#title", title)
    page.fill("#description", f"{title}: айылдын жашоочулары үчүн зарыл.")
    page.select_option("#village_id", label="Кызыл-Арык")
    page.select_option("#category", value="water")
    page.fill("#estimated_cost", cost)
    page.fill("#contribution_money", "20000")
    page.fill("#contribution_labour", "10 киши × 5 күн")
    page.locator("main form button.primary").click()
    page.wait_for_selector("h1")
    return page.url


def set_status(page, app, status, reason=""):
    page.select_option("#to", value=status)
    page.fill("#reason", reason)
    with page.expect_navigation():  # the form posts and comes back to the proposal: wait for that page
        page.click(f"text={tr(app, 'Change the status')}")


def test_resident_asks_proposes_and_follows_what_becomes_of_it(live_server, browser):
    base, app = live_server
    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740})
    desk_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    phone, desk = phone_ctx.new_page(), desk_ctx.new_page()
    for page in (phone, desk):
        page.set_default_timeout(10000)

    # a new resident registers on a phone and asks about a line, without a page reload
    phone.goto(base + "/register")
    phone.fill("#name", "Бурул Асанова")
    phone.select_option("#village_id", label="Кызыл-Арык — Ак-Добо айыл өкмөтү")
    phone.fill("#email", "burul@example.kg")
    phone.fill("#password", "бурулдун-сыры")
    phone.fill("#password2", "бурулдун-сыры")
    phone.locator("main form button.primary").click()
    phone.wait_for_url(base + "/")
    open_line(phone, base, "Ичүүчү суу түтүгүн оңдоо")
    line_url = phone.url
    phone.evaluate("window.__marker = 1")
    phone.fill("textarea[id$='-new']", QUESTION)
    phone.locator("form:has(textarea[id$='-new']) button.primary").click()
    phone.wait_for_selector(f"text={QUESTION}")
    assert phone.evaluate("window.__marker") == 1 and phone.url == line_url
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # the finance officer answers officially
    login(desk, base, "finance@ak-dobo.kg")
    desk.goto(line_url)
    mine = desk.locator("li.comment", has_text=QUESTION).first
    mine.locator("summary", has_text=tr(app, "Reply")).first.click()
    reply = mine.locator("details[open] form.comment-form").first
    reply.locator("textarea").fill("Ооба, 2027-жылы 1,2 км Кызыл-Арыкка тартылат.")
    reply.locator("input[name=official]").check()
    reply.locator("button.primary").click()
    mine.locator(".badge", has_text=tr(app, "Official answer")).first.wait_for()

    # the resident sees the answer and a notification
    phone.goto(base + "/")
    assert phone.locator(".count").inner_text() == "1"
    phone.click(f"text={tr(app, 'Notifications')}")
    phone.locator("ul.notifications a").first.click()
    expect(phone.locator("main")).to_contain_text("1,2 км Кызыл-Арыкка")

    # two proposals: the group finds one not feasible, the other reaches the ballot
    phone.goto(base + "/budgets/1")
    first = propose(phone, app, "Кызыл-Арыкка суу мунарасы", "900000")
    phone.goto(base + "/budgets/1")
    second = propose(phone, app, "Мектептин короосуна кран", "45000")

    chair_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    login_as_chair = chair_ctx.new_page()
    login(login_as_chair, base, "chair@ak-dobo.kg")
    login_as_chair.goto(first)
    set_status(login_as_chair, app, "under_review")
    set_status(login_as_chair, app, "not_feasible", "Жер астындагы суу бул жерде жетишсиз.")
    login_as_chair.goto(second)
    for status in ("under_review", "feasible", "on_ballot"):
        set_status(login_as_chair, app, status)

    phone.goto(first)
    text = phone.locator("main").inner_text()
    assert tr(app, "not feasible") in text and "Жер астындагы суу бул жерде жетишсиз." in text
    phone.goto(second)
    assert tr(app, "on the ballot") in phone.locator("main").inner_text()

    # the same proposal in Russian and English
    for lang, button in (("ru", "Русский"), ("en", "English")):
        phone.click(f"button:has-text('{button}')")
        assert tr(app, "on the ballot", lang=lang) in phone.locator("main").inner_text()
    phone.click("button:has-text('Кыргызча')")

    # a reported comment is hidden and restored by a moderator
    member_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    reporter = member_ctx.new_page()
    login(reporter, base, "member@ak-dobo.kg")
    reporter.goto(line_url)
    report = reporter.locator("li.comment", has_text=QUESTION).first.locator(
        "details:has(summary:has-text('%s'))" % tr(app, "Report")).first
    report.locator("summary").click()
    report.locator("input[name=reason]").fill("Темадан тышкары")
    report.locator("button").click()
    reporter.wait_for_selector(f"text={tr(app, 'You have reported this comment.')}")
    desk.goto(f"{base}/m/ak-dobo/moderation")
    assert QUESTION in desk.content()
    desk.goto(line_url)
    moderate = desk.locator("li.comment", has_text=QUESTION).first.locator(
        "details:has(summary:has-text('%s'))" % tr(app, "Moderate")).first
    moderate.locator("summary").click()
    moderate.locator("textarea, input[name=reason]").first.fill("Текшерүү үчүн")
    moderate.locator("button").first.click()
    desk.wait_for_selector(f"text={tr(app, 'This comment is hidden by a moderator.')}")
    phone.goto(line_url)
    assert tr(app, "Reason: %(reason)s", reason="Текшерүү үчүн") in phone.content()
    desk.goto(line_url)
    moderate = desk.locator("li.comment", has_text=QUESTION).first.locator(
        "details:has(summary:has-text('%s'))" % tr(app, "Moderate")).first
    moderate.locator("summary").click()
    moderate.locator("textarea, input[name=reason]").first.fill("Эреже бузулган жок")
    # wait for the moderator's answer itself: the page is already loaded, so a load state would not wait
    with desk.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/moderate")):
        moderate.locator("button").last.click()
    phone.goto(line_url)
    assert QUESTION in phone.content()
    assert tr(app, "This comment is hidden by a moderator.") not in phone.content()
    for context in (phone_ctx, desk_ctx, chair_ctx, member_ctx):
        context.close()
