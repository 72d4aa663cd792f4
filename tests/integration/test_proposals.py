"""Proposals through the browser's eyes: submitting, lists, the page, support, photos, review, follow-ups."""
import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Category, Phase
from pb.proposals import review
from pb.proposals.models import Proposal
from pb.proposals.states import Status
from tests import factories as f
from tests import proposal_factories as pf


@pytest.fixture
def place(db):
    municipality = f.make_municipality(slug="ak-dobo")
    village = f.make_village(municipality, name="Ак-Добо")
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    return municipality, village, budget


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _text(response):
    return response.get_data(as_text=True)


def test_submit_with_bad_input_shows_every_message_and_saves_nothing(client, login_as, db, place):
    _, village, budget = place
    login_as(f.make_user())
    data = pf.proposal_data(village, title="", estimated_cost="көп", category="")
    data["photos"] = [(io.BytesIO(b"<?php system($_GET['c']); ?>"), "photo.jpg")]
    response = client.post(f"/budgets/{budget.id}/proposals/new", data=data, content_type="multipart/form-data")
    page = _text(response)
    assert response.status_code == 200 and "Traceback" not in page
    assert page.count('class="error"') == 4  # title, category, cost, the photo
    assert "photo.jpg" in page and 'aria-invalid="true"' in page
    assert "Мектепке баруучу көчөгө" in page  # what was typed is kept
    assert _count(db, Proposal) == 0 and _count(db, AuditEntry) == 0


def test_submit_with_a_photo_shows_the_proposal_and_serves_the_photo(client, login_as, db, place):
    _, village, budget = place
    login_as(f.make_user(village_id=village.id))
    form = client.get(f"/budgets/{budget.id}/proposals/new")
    assert f'<option selected value="{village.id}">' in _text(form)  # their village is chosen for them
    data = pf.proposal_data(village)
    data["photos"] = [(io.BytesIO(pf.image_bytes("PNG", size=(2400, 1800))), "street.png")]
    response = client.post(f"/budgets/{budget.id}/proposals/new", data=data, content_type="multipart/form-data")
    proposal = db.session.execute(sa.select(Proposal)).scalar_one()
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{proposal.id}")
    page = _text(client.get(response.location))
    assert "Көчө жарыгы" in page and "180,000" in page.replace("\u00a0", ",").replace(" ", ",")
    name = re.search(r'/proposal-photos/([0-9a-f]{32}\.jpg)', page).group(1)
    photo = client.get(f"/proposal-photos/{name}")
    body = photo.get_data()
    photo.close()
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert body[:3] == b"\xff\xd8\xff"


def test_a_photo_field_sent_as_text_is_ignored_not_a_crash(client, login_as, db, place):
    _, _, budget = place
    proposal = pf.make_proposal(budget)
    login_as(proposal.author)
    response = client.post(f"/proposals/{proposal.id}/photos", data=dict(photos="not a file"))
    assert response.status_code == 422 and 'id="photos-error"' in _text(response)


@pytest.mark.parametrize("name", ["nothere.jpg", "0" * 32 + ".jpg", "..%2Fconfig.py", "%2Fetc%2Fpasswd"])
def test_only_photo_names_from_the_database_are_served(client, place, name):
    assert client.get(f"/proposal-photos/{name}").status_code == 404


def _order(page, titles):
    return sorted(titles, key=page.index)


def test_list_filters_and_sorts_without_javascript(client, db, place):
    municipality, village, budget = place
    other = f.make_village(municipality, name="Кара-Суу")
    cheap = pf.make_proposal(budget, village=village, title="Арзан", estimated_cost=Decimal("1000"))
    dear = pf.make_proposal(budget, village=other, title="Кымбат", estimated_cost=Decimal("900000"),
                            category=Category.ROADS)
    liked = pf.make_proposal(budget, village=village, title="Сүйүктүү", estimated_cost=Decimal("5000"),
                             status=Status.FEASIBLE)
    pf.add_supports(liked, 2)
    pf.add_supports(dear, 1)
    titles = [cheap.title, dear.title, liked.title]
    url = f"/budgets/{budget.id}/proposals"
    assert _order(_text(client.get(url)), titles) == ["Сүйүктүү", "Кымбат", "Арзан"]
    assert _order(_text(client.get(url + "?sort=cost")), titles) == ["Арзан", "Сүйүктүү", "Кымбат"]
    page = _text(client.get(f"{url}?village={village.id}&sort=cost_desc"))
    assert "Кымбат" not in page and _order(page, ["Арзан", "Сүйүктүү"]) == ["Сүйүктүү", "Арзан"]
    page = _text(client.get(url + "?category=roads"))
    assert "Кымбат" in page and "Арзан" not in page
    page = _text(client.get(url + "?status=feasible"))
    assert "Сүйүктүү" in page and "Арзан" not in page
    assert client.get(url + "?village=abc&status=nonsense&page=x").status_code == 200


def test_list_pages_keep_the_filters(app, client, monkeypatch, place):
    _, village, budget = place
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for i in range(5):
        pf.make_proposal(budget, village=village, title=f"Сунуш {i}", category=Category.WATER)
    url = f"/budgets/{budget.id}/proposals?category=water&sort=newest"
    first = _text(client.get(url))
    assert "Сунуш 4" in first and "Сунуш 2" not in first
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "category=water" in next_link and "sort=newest" in next_link
    second = _text(client.get(next_link))
    assert "Сунуш 2" in second and "Сунуш 4" not in second


def test_merged_proposals_are_hidden_and_point_to_their_target(client, db, place):
    municipality, _, budget = place
    duplicate = pf.make_proposal(budget, title="Кайталанган")
    into = pf.make_proposal(budget, title="Негизги")
    review.merge_proposals(f.make_staff(municipality), duplicate, into, "Ошол эле көпүрө.")
    url = f"/budgets/{budget.id}/proposals"
    assert "Кайталанган" not in _text(client.get(url))
    assert "Кайталанган" in _text(client.get(url + "?status=merged"))
    response = client.get(f"/proposals/{duplicate.id}")
    assert response.status_code == 200  # not a redirect: the duplicate keeps its own page
    page = _text(response)
    assert f'href="/proposals/{into.id}"' in page and "Ошол эле көпүрө." in page


def test_support_works_as_a_form_and_as_an_htmx_swap(client, login_as, db, place):
    _, _, budget = place
    proposal = pf.make_proposal(budget)
    login_as(f.make_user())
    response = client.post(f"/proposals/{proposal.id}/support")
    assert response.status_code == 302
    fragment = client.post(f"/proposals/{proposal.id}/support", data=dict(action="withdraw"),
                           headers={"HX-Request": "true"})
    html = _text(fragment)
    assert html.startswith(f'<div id="support-{proposal.id}"') and "<html" not in html
    assert 'aria-pressed="false"' in html
    html = _text(client.post(f"/proposals/{proposal.id}/support", headers={"HX-Request": "true"}))
    assert 'aria-pressed="true"' in html
    db.session.expire_all()
    assert proposal.support_count == 1


def test_a_refusal_without_reason_shows_the_message_and_changes_nothing(client, login_as, db, place):
    municipality, _, budget = place
    proposal = pf.make_proposal(budget, status=Status.UNDER_REVIEW)
    login_as(f.make_staff(municipality))
    response = client.post(f"/proposals/{proposal.id}/status", data=dict(to="not_feasible", reason="",
                                                                         expected="under_review"))
    assert response.status_code == 422 and 'id="reason-error"' in _text(response)
    db.session.expire_all()
    assert proposal.status == Status.UNDER_REVIEW and _count(db, AuditEntry) == 0


def test_status_change_notifies_followers_and_authors_by_email(client, login_as, db, outbox, place):
    municipality, village, budget = place
    author = f.make_user(email="author@example.kg", language="en")
    login_as(author)
    client.post(f"/budgets/{budget.id}/proposals/new", data=pf.proposal_data(village))
    proposal = db.session.execute(sa.select(Proposal)).scalar_one()
    follower = f.make_user(email="aigul@example.kg", language="en")
    login_as(follower)
    client.post(f"/follow/proposal/{proposal.id}")
    staff = f.make_staff(municipality)
    login_as(staff)
    client.post(f"/proposals/{proposal.id}/status", data=dict(to="under_review", expected="submitted"))
    client.post(f"/proposals/{proposal.id}/status", data=dict(to="not_feasible", reason="The land is private.",
                                                              expected="under_review"))
    messages = {message["To"]: message for _, message in reversed(outbox())}  # the newest wins: the refusal
    assert set(messages) == {"author@example.kg", "aigul@example.kg"}
    body = messages["aigul@example.kg"].get_content()
    assert "not feasible" in body and "The land is private." in body and f"/proposals/{proposal.id}" in body
    assert len(outbox()) == 4
    page = _text(client.get(f"/proposals/{proposal.id}"))
    assert "The land is private." in page and page.count("<li>") >= 3  # the dated history


def test_merge_through_the_page(client, login_as, db, place):
    municipality, _, budget = place
    duplicate, into = pf.make_proposal(budget), pf.make_proposal(budget)
    login_as(f.make_member(f.make_group(municipality), position="chair"))
    page = _text(client.get(f"/proposals/{duplicate.id}"))
    assert 'name="merge-into"' in page and f'value="{into.id}"' in page
    response = client.post(f"/proposals/{duplicate.id}/merge", data={"merge-into": str(into.id), "merge-reason": ""})
    assert response.status_code == 422 and 'id="merge-reason-error"' in _text(response)
    response = client.post(f"/proposals/{duplicate.id}/merge",
                           data={"merge-into": str(into.id), "merge-reason": "Same bridge."})
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{into.id}")
    db.session.expire_all()
    assert duplicate.status == Status.MERGED


def test_proposals_of_a_draft_budget_stay_hidden(client, login_as, place):
    municipality, _, _ = place
    draft = f.make_budget(municipality, Phase.DRAFT, fiscal_year=2030)
    login_as(f.make_user())
    assert client.get(f"/budgets/{draft.id}/proposals").status_code == 404
    assert client.get(f"/budgets/{draft.id}/proposals/new").status_code == 404


def test_the_budget_page_links_to_its_proposals(client, place):
    _, _, budget = place
    assert f'href="/budgets/{budget.id}/proposals"' in _text(client.get(f"/budgets/{budget.id}"))
