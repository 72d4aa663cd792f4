"""Issue 5's kiosk journey: a facilitator turns a tablet into a ballot box; voters vote online, offline, and again.

The round is made here through the voting services (inside the live server's app), on the demo's Ak-Dobo
budget, so that the journey does not depend on the demo's own rounds.
"""
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from pb.accounts.services import find_user_by_login
from pb.budgets.models import Budget
from pb.core.models import local_now
from pb.demo.seed import DEMO_PASSWORD
from pb.extensions import db
from pb.places.models import Municipality
from pb.voting import code_batches, codes, kiosks, services
from pb.voting.kiosk_views import KIOSK_SCRIPTS
from pb.voting.models import Ballot, RefusedBallot
from pb.voting.states import Refusal
from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e
LOCATION = "Ак-Добо мектебинин залы"


def open_round(app, method, codes_wanted, **settings):
    """An open round on the two dearest proposals of Ak-Dobo's ballot, with a location and codes."""
    with app.app_context():
        db.session.remove()
        admin = find_user_by_login("admin@ashar.kg")
        budget = db.session.execute(sa.select(Budget).join(Municipality).where(
            Municipality.slug == "ak-dobo", Budget.fiscal_year == 2027)).scalar_one()
        dear, cheap = sorted(services.ballot_candidates(budget), key=lambda p: p.estimated_cost, reverse=True)[:2]
        now = local_now()
        data = dict(title=f"Киоск: {method}", method=method, eligibility="codes", allocation_rule="greedy",
                    amount=str(dear.estimated_cost + cheap.estimated_cost // 2), min_choices="1", max_choices="2",
                    points="5", rank_depth="2", channels=["kiosk", "paper"], opens_at=now - timedelta(hours=1),
                    closes_at=now + timedelta(days=1), proposal_ids=[str(dear.id), str(cheap.id)])
        data.update(settings)
        round_ = services.create_round(admin, budget, data)
        services.add_location(admin, round_, LOCATION)
        services.open_round(admin, round_)
        _batch, clear = code_batches.generate_batch(admin, round_, codes_wanted, label="e2e")
        info = SimpleNamespace(id=round_.id, dear=dear.title, cheap=cheap.title, codes=clear,
                               location_id=round_.locations[0].id, amount=round_.amount)
        db.session.remove()
    return info


def stored(app, round_id):
    """The round's counted receipts, {proposal title → value} of each ballot, and its refusals' reasons."""
    with app.app_context():
        db.session.remove()
        ballots = db.session.execute(sa.select(Ballot).where(Ballot.round_id == round_id)).scalars().all()
        receipts = {ballot.receipt for ballot in ballots}
        choices = sorted(sorted((choice.proposal_id, choice.value) for choice in ballot.choices) for ballot in ballots)
        refusals = db.session.execute(sa.select(RefusedBallot.reason).where(RefusedBallot.round_id == round_id)
                                      ).scalars().all()
        db.session.remove()
    return receipts, choices, refusals


def tablet(browser, width=1280, height=800):
    # tablets run on local time, as the round's times are (the kiosk stamps offline ballots with it)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="ky-KG",
                                  timezone_id="Asia/Bishkek")
    page = context.new_page()
    page.set_default_timeout(10000)
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    return context, page


def kept_offline(page):
    """Wait until the service worker keeps the kiosk's page and scripts for use without a connection."""
    scripts = [f"/static/js/{name}" for name in KIOSK_SCRIPTS]
    check = (f"Promise.all({['/kiosk/', '/static/css/kiosk.css', *scripts]!r}"
             ".map((url) => caches.match(url))).then((hits) => hits.every(Boolean))")
    for _ in range(100):
        if page.evaluate(check):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the kiosk was not kept on the tablet")


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for box in (page.locator("#k-cards .pick").first.bounding_box(), page.locator("#k-review").bounding_box()):
        assert box["height"] >= 44 and box["width"] >= 44  # tap targets for a finger


def enter_code(page, code):
    page.click("#k-begin")
    page.fill("#k-code", code)
    page.click("#k-code-next")


def choose(page, *titles):
    for title in titles:
        page.locator("#k-cards .pick", has_text=title).click()


def vote(page, app, code, title, state):
    """One voter: code, one proposal, review, confirm; returns the receipt once its state shows."""
    enter_code(page, code)
    expect(page.locator("#s-ballot")).to_be_visible()
    choose(page, title)
    page.click("#k-review")
    expect(page.locator("#k-summary")).to_contain_text(title)
    page.click("#k-confirm")
    expect(page.locator("#s-receipt")).to_be_visible()
    expect(page.locator("#k-receipt-state")).to_have_class(re.compile(state))
    receipt = page.locator("#k-receipt").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", receipt)
    page.click("#k-done")
    expect(page.locator("#k-begin")).to_be_visible()
    return receipt


def test_a_kiosk_takes_ballots_online_offline_and_after_a_reload(live_server, browser):
    base, app = live_server
    round_ = open_round(app, "knapsack", 5)
    context, page = tablet(browser)

    # a facilitator turns the tablet into a kiosk; they are logged out, and the tablet shows only the ballot
    login(page, base, "member@ak-dobo.kg")
    page.goto(f"{base}/rounds/{round_.id}/kiosk/start")
    page.select_option("#location_id", label=LOCATION)
    page.fill("#label", "Планшет 1")
    page.click("#start-kiosk")
    page.wait_for_url(f"{base}/kiosk/")
    expect(page.locator("#k-round-title")).to_have_text("Киоск: knapsack")
    page.goto(f"{base}/budgets/1")
    assert page.url == f"{base}/kiosk/"
    kept_offline(page)

    # a wrong code is refused before any ballot; then voter 1 votes, too dear at first
    enter_code(page, "ABCDE-23456")
    expect(page.locator("#k-code-error")).to_have_text(tr(app, "this code does not exist"))
    page.click("#k-code-back")
    enter_code(page, codes.display(round_.codes[0]).lower())
    expect(page.locator("#s-ballot")).to_be_visible()
    fits(page, 1280)
    choose(page, round_.dear, round_.cheap)
    expect(page.locator("#k-tally")).to_have_class(re.compile("over"))
    page.click("#k-review")
    over = tr(app, "The proposals you chose cost %(total)s together, more than the %(amount)s to share. "
                   "Remove one or more.", total="", amount="")
    expect(page.locator("#k-ballot-error")).to_contain_text(over.rsplit(". ", 1)[-1])  # "remove one or more"
    assert page.locator("#s-confirm").is_hidden()
    choose(page, round_.dear)  # taken out again
    page.click("#k-review")
    expect(page.locator("#k-summary li")).to_have_count(1)
    page.click("#k-confirm")
    expect(page.locator("#k-receipt-state")).to_have_class(re.compile("counted"))
    first = page.locator("#k-receipt").inner_text()
    page.click("#k-done")
    expect(page.locator("#k-begin")).to_be_visible()

    # the connection drops: voters 2 and 3 vote, and someone tries voter 1's code again
    context.set_offline(True)
    expect(page.locator("#k-net")).to_have_class(re.compile("off"))
    page.set_viewport_size({"width": 800, "height": 1280})  # the tablet held upright
    enter_code(page, round_.codes[1])
    expect(page.locator("#s-ballot")).to_be_visible()
    fits(page, 800)
    page.click("#k-cancel")
    page.set_viewport_size({"width": 1280, "height": 800})
    offline = [vote(page, app, code, round_.cheap, "pending")
               for code in (round_.codes[1], round_.codes[2], round_.codes[0])]
    expect(page.locator("#k-waiting")).to_have_text(tr(app, "Waiting to be sent: %(n)s", n=3))
    assert stored(app, round_.id)[0] == {codes.normalise(first)}

    # the page is opened again without a connection: the service worker has it, and nothing is lost
    response = page.reload()
    assert response.from_service_worker
    expect(page.locator("#k-waiting")).to_have_text(tr(app, "Waiting to be sent: %(n)s", n=3))
    page.click("#k-staff")
    expect(page.locator("#k-notice")).to_contain_text(tr(
        app, "Leaving kiosk mode is impossible while %(n)s ballots wait to be sent. "
        "Restore the connection, then try again.", n=3))
    assert page.url.startswith(f"{base}/kiosk/")

    # back online: the queue drains; each ballot counts once, the reused code is refused and reported
    context.set_offline(False)
    expect(page.locator("#k-waiting")).to_have_text(tr(app, "Waiting to be sent: %(n)s", n=0), timeout=15000)
    receipts, choices, refusals = stored(app, round_.id)
    assert receipts == {codes.normalise(r) for r in [first] + offline[:2]}
    assert len(choices) == 3 and refusals == [Refusal.CODE_USED]

    # left alone halfway through a ballot, the kiosk warns, then clears it for the next voter
    page.goto(f"{base}/kiosk/?idle=3")
    enter_code(page, round_.codes[3])
    choose(page, round_.cheap)
    expect(page.locator("#k-idle")).to_be_visible(timeout=6000)
    expect(page.locator("#k-begin")).to_be_visible(timeout=8000)
    assert page.locator("#k-idle").is_hidden()
    page.click("#k-begin")
    assert page.locator("#k-code").input_value() == ""
    page.click("#k-code-back")

    # leaving: the report shows the refused ballot; a wrong password keeps the kiosk, the right one ends it
    page.click("#k-staff")
    page.wait_for_url(f"{base}/kiosk/exit")
    expect(page.locator("#exit-queue")).to_have_text(tr(app, "Every ballot of this tablet has been sent."))
    expect(page.locator("#refusals")).to_contain_text(offline[2])
    expect(page.locator("#refusals")).to_contain_text(tr(app, "this code has already been used"))
    page.fill("#login", "member@ak-dobo.kg")
    page.fill("#password", "not-the-password")
    page.click("#exit-submit")
    expect(page.locator("#exit-form .error")).to_have_text(tr(app, "The login or the password is not right."))
    page.goto(f"{base}/")
    assert page.url == f"{base}/kiosk/"
    page.click("#k-staff")
    page.fill("#login", "member@ak-dobo.kg")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#exit-submit")
    # to the round's page, which asks for a login: no one is logged in on the tablet
    page.wait_for_url(lambda url: f"/rounds/{round_.id}/manage" in unquote(url))
    expect(page.locator("header.top")).to_contain_text(tr(app, "Log in"))
    page.goto(f"{base}/budgets/1")
    assert page.url == f"{base}/budgets/1"
    with app.app_context():
        assert all(k.ended_at for k in kiosks.list_kiosks(services.get_round(round_.id)))
        db.session.remove()

    # every counted voter finds their receipt among the round's ballots
    assert stored(app, round_.id)[0] == {codes.normalise(r) for r in [first] + offline[:2]}
    assert page.script_errors == []
    context.close()


def _kiosk_tablet(app, browser, base, round_):
    """A tablet made a kiosk through the service (its token set as the start page sets it)."""
    with app.app_context():
        db.session.remove()
        staff = find_user_by_login("finance@ak-dobo.kg")
        _kiosk, token = kiosks.start_kiosk(staff, services.get_round(round_.id), round_.location_id)
        db.session.remove()
    context, page = tablet(browser, 800, 1280)
    context.add_cookies([dict(name="ashar_kiosk", value=token, url=base, httpOnly=True, sameSite="Strict")])
    page.goto(f"{base}/kiosk/")
    return context, page


@pytest.mark.parametrize("method", ["cumulative", "ranking", "approval"])
def test_the_ballot_shows_what_is_left_and_refuses_as_the_server_would(live_server, browser, method):
    base, app = live_server
    settings = dict(min_choices="2") if method == "approval" else {}
    round_ = open_round(app, method, 1, **settings)
    context, page = _kiosk_tablet(app, browser, base, round_)
    enter_code(page, round_.codes[0])
    expect(page.locator("#s-ballot")).to_be_visible()
    tally = page.locator("#k-tally")
    if method == "cumulative":
        expect(tally).to_have_text(tr(app, "Points left: %(n)s", n=5))
        page.click("#k-review")
        expect(page.locator("#k-ballot-error")).to_have_text(tr(app, "Choose at least one proposal."))
        dear = page.locator("#k-cards li", has_text=round_.dear)
        for _ in range(4):
            dear.locator(".plus").click()
        page.locator("#k-cards li", has_text=round_.cheap).locator(".plus").click()
        expect(tally).to_have_text(tr(app, "Points left: %(n)s", n=0))
        expect(dear.locator(".plus")).to_be_disabled()
        expected = {round_.dear: 4, round_.cheap: 1}
    elif method == "ranking":
        choose(page, round_.cheap, round_.dear)
        expect(tally).to_have_text(tr(app, "Ranked: %(n)s of %(k)s", n=2, k=2))
        expect(page.locator("#k-cards li", has_text=round_.cheap).locator(".mark")).to_have_text("1")
        choose(page, round_.cheap)  # out: the other moves up
        expect(page.locator("#k-cards li", has_text=round_.dear).locator(".mark")).to_have_text("1")
        choose(page, round_.cheap)
        expected = {round_.dear: 1, round_.cheap: 2}
    else:
        choose(page, round_.dear)
        page.click("#k-review")
        expect(page.locator("#k-ballot-error")).to_have_text(tr(app, "Choose at least %(n)d proposals.", n=2))
        choose(page, round_.cheap)
        expect(tally).to_have_text(tr(app, "Chosen: %(n)s", n=2))
        expected = {round_.dear: 1, round_.cheap: 1}
    page.click("#k-review")
    page.click("#k-change")  # back to the ballot, nothing lost
    page.click("#k-review")
    page.click("#k-confirm")
    expect(page.locator("#k-receipt-state")).to_have_class(re.compile("counted"))
    with app.app_context():
        round_row = services.get_round(round_.id)
        titles = {entry.proposal_id: entry.proposal.title for entry in round_row.entries}
        db.session.remove()
    _receipts, choices, _refusals = stored(app, round_.id)
    assert [{titles[pid]: value for pid, value in ballot} for ballot in choices] == [expected]
    assert page.script_errors == []
    context.close()


def test_a_kiosk_ended_from_afar_while_offline_shows_its_later_ballot_refused(live_server, browser):
    base, app = live_server
    round_ = open_round(app, "approval", 4, channels=["kiosk", "online", "paper"], eligibility="both")
    context, page = _kiosk_tablet(app, browser, base, round_)
    kept_offline(page)
    online = vote(page, app, round_.codes[0], round_.cheap, "counted")

    # the tablet loses its connection and takes a ballot: cast before the end, it will count
    context.set_offline(True)
    expect(page.locator("#k-net")).to_have_class(re.compile("off"))
    early = vote(page, app, round_.codes[1], round_.cheap, "pending")

    # staff end the kiosk from the round's page, in another browser
    staff_context, staff = tablet(browser)
    login(staff, base, "finance@ak-dobo.kg")
    staff.goto(f"{base}/rounds/{round_.id}/manage")
    staff.locator("#kiosks form button.danger").click()
    expect(staff.locator("#kiosks")).not_to_contain_text(tr(app, "running"))
    expect(staff.locator("#kiosks form button.danger")).to_have_count(0)
    staff.wait_for_timeout(1100)  # the tablet's clock counts whole seconds

    # the tablet, still offline, knows nothing of it and takes one more ballot
    enter_code(page, round_.codes[2])
    choose(page, round_.dear)
    page.click("#k-review")
    page.click("#k-confirm")
    expect(page.locator("#k-receipt-state")).to_have_class(re.compile("pending"))
    late = page.locator("#k-receipt").inner_text()
    expect(page.locator("#k-waiting")).to_have_text(tr(app, "Waiting to be sent: %(n)s", n=2))

    # back online: the early ballot counts, the late one is refused with the reason, the queue empties
    context.set_offline(False)
    reason = tr(app, "cast after the kiosk had been ended; the code is still unused")
    expect(page.locator("#k-receipt-state")).to_have_class(re.compile("refused"), timeout=15000)
    expect(page.locator("#k-receipt-state")).to_contain_text(reason)
    expect(page.locator("#k-waiting")).to_have_text(tr(app, "Waiting to be sent: %(n)s", n=0))
    page.click("#k-done")
    expect(page.locator("#s-ended")).to_be_visible()
    expect(page.locator("#k-ended-refused")).to_contain_text(late)
    expect(page.locator("#k-ended-refused")).to_contain_text(reason)
    expect(page.locator("#k-ended-waiting")).to_have_text("")
    receipts, _choices, refusals = stored(app, round_.id)
    assert receipts == {codes.normalise(online), codes.normalise(early)} and refusals == [Refusal.KIOSK_ENDED]

    # opened again, the tablet's page says it is ended, lists the refusal, and lets staff leave
    page.goto(f"{base}/kiosk/")
    expect(page.locator("#refusals")).to_contain_text(late)
    expect(page.locator("#k-ended-note")).to_have_text(tr(app, "Every ballot of this tablet has been sent."))
    page.goto(f"{base}/")
    assert page.url == f"{base}/"

    # the organisers see it among the refused submissions, with its kiosk and the time it was cast
    staff.goto(f"{base}/rounds/{round_.id}/manage")
    expect(staff.locator("#refused")).to_contain_text(reason)
    expect(staff.locator("#refused")).to_contain_text(LOCATION)

    # the voter's code was not used: it counts at another kiosk
    other_context, other = _kiosk_tablet(app, browser, base, round_)
    vote(other, app, round_.codes[2], round_.dear, "counted")
    assert len(stored(app, round_.id)[0]) == 3
    assert page.script_errors == [] and other.script_errors == []
    for each in (context, staff_context, other_context):
        each.close()
