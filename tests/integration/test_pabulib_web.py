"""Pabulib files through the test client: the rehearsal upload, its pages and the .pb download, and the rules
the round form offers."""
import io

import sqlalchemy as sa
from pypdf import PdfReader

from pb.allocation.pabulib import parse
from pb.proposals.models import Proposal
from pb.voting import import_views
from pb.voting.models import Ballot, VotingRound
from tests import factories as f
from tests.integration.test_voting_admin import _count, _form, _text, place  # noqa: F401  (place is a fixture)
from tests.unit.test_pabulib_rounds import SMALL


def _upload(client, slug, text, name="aryk.pb", **fields):
    data = dict(file=(io.BytesIO(text.encode()), name), rule="", **fields)
    return client.post(f"/m/{slug}/rounds/import", data=data, content_type="multipart/form-data")


def test_an_imported_file_is_a_rehearsal_everywhere(client, login_as, place, db):
    login_as(place["organiser"])
    response = _upload(client, "ak-dobo", SMALL, budget_id=str(place["budget"].id))
    assert response.status_code == 302 and "/results" in response.location
    round_ = db.session.execute(sa.select(VotingRound)).scalar_one()
    results = _text(client.get(f"/rounds/{round_.id}/results"))
    assert "Rehearsal imported from the file aryk.pb: not a real vote." in results
    assert f"/rounds/{round_.id}/ballots.pb" in results
    assert "Rehearsal imported from the file aryk.pb" in _text(client.get(f"/rounds/{round_.id}"))
    listing = _text(client.get("/m/ak-dobo/rounds"))
    assert "Rehearsals imported from files" in listing and "No round has closed yet." in listing
    # the budget's real proposals are untouched and the rehearsal's are not among them
    proposals = _text(client.get(f"/budgets/{place['budget'].id}/proposals"))
    assert "Көпүрө" in proposals and "Жол" not in proposals
    assert client.get(f"/api/v1/rounds/{round_.id}").status_code == 404
    rehearsed = round_.entries[0].proposal_id
    assert "imported for rehearsal" in _text(client.get(f"/proposals/{rehearsed}"))
    assert client.get(f"/api/v1/proposals/{rehearsed}").status_code == 404
    api_list = client.get(f"/api/v1/budgets/{place['budget'].id}/proposals").get_json()
    assert {item["title"] for item in api_list["items"]} == {"Көпүрө", "Арык", "Мектептин чатыры"}
    report = PdfReader(io.BytesIO(client.get(f"/rounds/{round_.id}/allocation/ru.pdf").data))
    assert "не настоящее голосование" in " ".join(" ".join(page.extract_text() for page in report.pages).split())
    assert client.get(f"/rounds/{round_.id}/results.xlsx").status_code == 200
    assert client.get(f"/rounds/{round_.id}/receipts").status_code == 200
    assert "Rehearsal imported from the file aryk.pb" in _text(client.get(f"/rounds/{round_.id}/manage"))
    # the download reads back: three projects, four anonymous ballots, the kept outcome as `selected`
    client.get("/logout")
    data = parse(client.get(f"/rounds/{round_.id}/ballots.pb").get_data(as_text=True))
    assert len(data.projects) == 3 and len(data.votes) == 4
    assert sorted(p["name"] for p in data.projects if p["selected"] == "1") == ["Жол", "Мектеп"]


def test_a_bad_file_is_refused_in_the_users_language_and_writes_nothing(client, login_as, place, db):
    login_as(f.make_staff(place["municipality"], language="ru"))
    response = _upload(client, "ak-dobo", SMALL.replace("3;c", "3;c,z").replace("budget;1000", "budget;x"))
    assert response.status_code == 422
    page = _text(response)
    assert "Файл не импортирован: 2 ошибки" in page
    assert "PROJECTS: z." in page and "META: бюджет x" in page
    assert _count(db, VotingRound) == 0 and _count(db, Ballot) == 0 and _count(db, Proposal) == 3


def test_the_upload_has_a_limit_of_ballots(client, login_as, place, db, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_UPLOAD_BALLOTS", 3)
    login_as(place["organiser"])
    response = _upload(client, "ak-dobo", SMALL)
    assert response.status_code == 422
    assert "VOTES: 4 ballots; a file uploaded here may hold at most 3" in _text(response)
    assert _count(db, VotingRound) == 0


def test_the_round_form_offers_every_rule_and_refuses_one_that_does_not_fit(client, login_as, place, db):
    login_as(place["organiser"])
    url = f"/budgets/{place['budget'].id}/rounds/new"
    page = client.get(url).get_data(as_text=True)
    for rule in ("greedy", "greedy-no-skip", "mes-card", "mes-cost-add1", "equalshares-add1-comparison"):
        assert f'value="{rule}"' in page
    # the rules by votes first, for every method; Equal Shares apart, for approval and knapsack only
    assert page.index('label="For every way of voting"') < page.index('value="greedy-no-skip"') < page.index(
        'label="For approval and knapsack voting only"') < page.index('value="mes-cost"')
    response = client.post(url, data=_form(place["proposals"], method="ranking", allocation_rule="mes-cost"))
    assert response.status_code == 422
    assert "for cumulative voting and ranking choose a rule by votes" in _text(response)
    assert _count(db, VotingRound) == 0
    response = client.post(url, data=_form(place["proposals"], method="ranking", allocation_rule="greedy-no-skip"))
    assert response.status_code == 302
