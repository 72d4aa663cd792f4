"""Issue 5's online journey on a cheap phone: a verified resident votes from their account and finds
their receipt; a code holder votes from the QR link of their slip."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pb.accounts import services as accounts
from pb.accounts.models import User
from pb.budgets.models import Budget
from pb.core.models import local_now
from pb.extensions import db
from pb.places.models import Municipality
from pb.proposals import review
from pb.proposals import services as proposals
from pb.voting import code_batches, codes
from pb.voting import services as voting
from pb.voting.models import Ballot
from tests.e2e.helpers import login, tr

pytestmark = pytest.mark.e2e
RESIDENT = "0555123456"
COSTS = {"Спорт аянтчасы": 300000, "Бала бакчанын чатыры": 500000, "Көпүрө тосмосу": 400000}


def _one(model, *where):
    return db.session.execute(sa.select(model).where(*where)).scalars().first()


@pytest.fixture(scope="module")
def open_round(live_server):
    """A knapsack round of 1,000,000 som on three new proposals of Ak-Dobo's budget, open now, with two
    codes; the demo resident verified in Ak-Dobo. Returns (round id, clear codes)."""
    _base, app = live_server
    with app.app_context():
        admin = _one(User, User.email == "admin@ashar.kg")
        municipality = _one(Municipality, Municipality.slug == "ak-dobo")
        budget = _one(Budget, Budget.municipality_id == municipality.id, Budget.fiscal_year == 2027)
        village = municipality.villages[0]
        resident = accounts.find_user_by_login(RESIDENT)
        if resident.verified_village_id is None or resident.verified_village.municipality_id != municipality.id:
            from pb.groups import services as groups

            groups.verify_resident(admin, municipality, resident.id, village.id)
        ids = []
        for title, cost in COSTS.items():
            proposal = proposals.submit_proposal(admin, budget, dict(
                title=title, description=f"{title}: айыл үчүн.", village_id=str(village.id), category="roads",
                estimated_cost=str(cost), contribution_money="0", contribution_labour=""))
            for to in ("under_review", "feasible", "on_ballot"):
                review.change_status(admin, proposal, to)
            ids.append(proposal.id)
        now = local_now()
        round_ = voting.create_round(admin, budget, dict(
            title="Телефондон добуш берүү", method="knapsack", eligibility="both", allocation_rule="greedy",
            amount="1000000", min_choices=1, max_choices=3, points=10, rank_depth=3,
            channels=["online", "kiosk", "paper"], opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=2), hide_counts=True, proposal_ids=ids))
        voting.open_round(admin, round_)
        _batch, clear = code_batches.generate_batch(admin, round_, 2, label="e2e")
        return round_.id, clear


def _digits(text):
    return int(re.sub(r"\D", "", text) or 0)


def _ballots(app, round_id):
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(Ballot.id)).where(Ballot.round_id == round_id)).scalar()


def _choose(page, title, on=True):
    box = page.locator("label.choice", has_text=title).locator("input")
    box.check() if on else box.uncheck()


def test_resident_sees_money_left_is_refused_an_invalid_ballot_votes_and_finds_the_receipt(live_server, phone,
                                                                                           open_round):
    base, app = live_server
    round_id, _codes = open_round
    login(phone, base, RESIDENT)
    phone.goto(f"{base}/rounds/{round_id}")
    phone.click(".vote-box a.primary")
    phone.wait_for_url(f"{base}/rounds/{round_id}/ballot")

    # the money left follows the choice, before anything is sent
    left = phone.locator("#ballot-left")
    assert _digits(left.inner_text()) == 1000000
    _choose(phone, "Спорт аянтчасы")
    assert _digits(left.inner_text()) == 700000
    _choose(phone, "Бала бакчанын чатыры")
    assert _digits(left.inner_text()) == 200000
    _choose(phone, "Көпүрө тосмосу")  # 1,200,000 som: too much
    assert _digits(left.inner_text()) == 200000 and "over" in left.get_attribute("class")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # the server refuses it with the reason and keeps the marks
    phone.click(f"button:has-text('{tr(app, 'Review my choice')}')")
    assert phone.locator("p.error").is_visible()
    assert phone.locator("p.error").inner_text().strip() and _ballots(app, round_id) == 0
    assert phone.locator("label.choice input:checked").count() == 3

    _choose(phone, "Бала бакчанын чатыры", on=False)
    assert _digits(left.inner_text()) == 300000 and "over" not in left.get_attribute("class")
    phone.click(f"button:has-text('{tr(app, 'Review my choice')}')")
    chosen = phone.locator("ol.review").inner_text()
    assert "Спорт аянтчасы" in chosen and "Көпүрө тосмосу" in chosen and "Бала бакчанын" not in chosen
    phone.click(f"button:has-text('{tr(app, 'Confirm my vote')}')")
    receipt = phone.locator("#receipt").inner_text().strip()
    assert codes.normalise(receipt) and _ballots(app, round_id) == 1

    phone.click(f"text={tr(app, 'Find my receipt on the public list')}")
    mine = phone.locator("tr.mine")
    assert receipt in mine.inner_text() and tr(app, "counted") in mine.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # a second visit to the ballot says the resident has voted
    phone.goto(f"{base}/rounds/{round_id}/ballot")
    assert tr(app, "Back to the round") in phone.content()
    assert _ballots(app, round_id) == 1


def test_code_holder_votes_from_the_slips_qr_link(live_server, phone, open_round):
    base, app = live_server
    round_id, clear = open_round
    before = _ballots(app, round_id)
    shown = codes.display(clear[0])
    phone.goto(f"{base}/rounds/{round_id}/code?code={shown}")
    assert phone.input_value("#code") == shown
    phone.click(f"button:has-text('{tr(app, 'Continue')}')")
    _choose(phone, "Көпүрө тосмосу")
    assert _digits(phone.locator("#ballot-left").inner_text()) == 600000
    phone.click(f"button:has-text('{tr(app, 'Review my choice')}')")
    phone.click(f"button:has-text('{tr(app, 'Confirm my vote')}')")
    receipt = phone.locator("#receipt").inner_text().strip()
    assert codes.normalise(receipt) and _ballots(app, round_id) == before + 1

    # the slip cannot be used twice
    phone.goto(f"{base}/rounds/{round_id}/code?code={shown}")
    phone.click(f"button:has-text('{tr(app, 'Continue')}')")
    assert phone.locator("#code-error").is_visible()
    assert _ballots(app, round_id) == before + 1


def test_ballot_works_without_javascript(live_server, browser, open_round):
    base, app = live_server
    round_id, clear = open_round
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10000)
    try:
        before = _ballots(app, round_id)
        page.goto(f"{base}/rounds/{round_id}/code?code={codes.display(clear[1])}")
        page.click(f"button:has-text('{tr(app, 'Continue')}')")
        assert page.locator("#ballot-left").is_hidden()
        _choose(page, "Спорт аянтчасы")
        page.click(f"button:has-text('{tr(app, 'Review my choice')}')")
        page.click(f"button:has-text('{tr(app, 'Confirm my vote')}')")
        assert codes.normalise(page.locator("#receipt").inner_text().strip())
        assert _ballots(app, round_id) == before + 1
    finally:
        context.close()
