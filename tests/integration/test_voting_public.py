"""The voter's side of a round: its public page in each state, the online ballot, the code ballot,
the receipts and the anonymous ballots, through the test client, as a resident would see them."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pb.core.models import local_now
from pb.voting import casting, codes
from pb.voting.models import Ballot, RoundVoter, VotingCode
from pb.voting.states import Eligibility, Method, RoundStatus
from tests import factories as f
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids

RECEIPT = re.compile(r'<p class="receipt" id="receipt">([A-Z0-9-]+)</p>')


@pytest.fixture
def english(client):
    """Anonymous pages in English (the source language), so that the tests read the words as written."""
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def _count(db, model):
    db.session.expire_all()
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _resident(round_):
    return make_verified_resident(round_, language="en")


def _marks(ids, value=1):
    return {f"v-{pid}": str(value if not isinstance(value, dict) else value[pid]) for pid in ids}


def _review(client, round_, marks, path="ballot", **extra):
    return client.post(f"/rounds/{round_.id}/{path}", data=dict(step="review", **marks, **extra))


def _receipt(response):
    return RECEIPT.search(response.get_data(as_text=True)).group(1)


def _client_key(html):
    return re.search(r'name="client_key" value="([0-9a-f]+)"', html).group(1)


def _vote(client, round_, ids, path="ballot", **extra):
    """Choose, review and confirm; the receipt page's response."""
    review = _review(client, round_, _marks(ids), path, **extra)
    assert review.status_code == 200, review.get_data(as_text=True)
    return client.post(f"/rounds/{round_.id}/{path}", data=dict(step="confirm", client_key=_client_key(
        review.get_data(as_text=True)), **_marks(ids), **extra))


# --- the round's public page in each state ---------------------------------------------


def test_round_in_preparation_is_hidden_from_visitors(english, db):
    round_ = make_round(status=RoundStatus.DRAFT)
    assert english.get(f"/rounds/{round_.id}").status_code == 404
    assert english.get(f"/rounds/{round_.id}/receipts").status_code == 404
    assert round_.title not in english.get(f"/m/{round_.municipality.slug}/rounds").get_data(as_text=True)


def test_upcoming_round_shows_its_rules_times_and_proposals_but_no_vote_button(english, db):
    now = local_now()
    round_ = make_round(opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=3), method=Method.KNAPSACK)
    html = english.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Voting opens on" in html and "Долбоор 1" in html and "300,000 som" in html
    assert "as long as their costs together are at most 1,000,000 som" in html
    assert "Counts are shown while voting is open" in html
    assert "Log in to vote" not in html and "I have a voting code" not in html


def test_open_round_with_hidden_counts_shows_turnout_by_channel_and_location_but_no_counts(english, db):
    round_ = make_round(hide_counts=True)
    for _ in range(2):
        casting.cast_online(_resident(round_), round_, proposal_ids(round_)[:1], key())
    casting.count_paper(round_, {proposal_ids(round_)[1]: 1}, serial="3", location_id=round_.locations[0].id)
    db.session.commit()
    html = english.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "3 ballots counted" in html
    assert "Online: <strong>2</strong>" in html and "Paper ballot: <strong>1</strong>" in html
    assert "Мектеп: <strong>1</strong>" in html and "online (no place): <strong>2</strong>" in html
    assert "Counts are hidden until the close" in html and "The counts are hidden until the round closes." in html
    assert "Counts so far" not in html and "Results" not in html and 'class="results"' not in html
    assert "Log in to vote" in html and "I have a voting code" in html


def test_open_round_with_public_counts_shows_the_counts_so_far(english, db):
    round_ = make_round(hide_counts=False)
    first = proposal_ids(round_)[0]
    casting.cast_online(_resident(round_), round_, [first], key())
    html = english.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Counts so far" in html and 'class="results"' in html


def test_live_turnout_refresh_returns_only_the_fragment(english, db):
    round_ = make_round()
    response = english.get(f"/rounds/{round_.id}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="live"') and "<html" not in html
    assert 'hx-trigger="every 30s"' in html


def test_closed_round_shows_results_a_csv_link_and_no_vote_button(english, db):
    round_ = make_round(status=RoundStatus.OPEN, hide_counts=True)
    first, second = proposal_ids(round_)[:2]
    casting.cast_online(_resident(round_), round_, [first, second], key())
    casting.cast_online(_resident(round_), round_, [first], key())
    round_.status = RoundStatus.CLOSED
    db.session.commit()
    html = english.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Voting has closed. These are the results." in html
    results = html.split('class="results"')[1].split("</table>")[0]
    assert results.index("Долбоор 1") < results.index("Долбоор 2")
    assert "every ballot, without names (CSV)" in html
    assert "Log in to vote" not in html and "I have a voting code" not in html
    # the decisions and their reasons have a page of their own
    assert f'href="/rounds/{round_.id}/results"' in html and "Which proposals are funded, and why" in html


def test_round_page_tells_each_visitor_whether_and_how_they_can_vote(client, login_as, db):
    round_ = make_round(eligibility=Eligibility.RESIDENTS)
    stranger = f.make_user(language="en")
    login_as(stranger)
    html = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "only verified residents can vote online: ask your group&#39;s secretary to verify you" in html.lower()
    assert "I have a voting code" not in html
    voter = _resident(round_)
    login_as(voter)
    assert f'href="/rounds/{round_.id}/ballot"' in client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    casting.cast_online(voter, round_, proposal_ids(round_)[:1], key())
    html = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "You have already voted in this round (online)." in html
    assert f'href="/rounds/{round_.id}/ballot"' not in html


def test_rounds_list_shows_open_and_closed_rounds_with_turnout(english, db):
    round_ = make_round()
    closed = make_round(round_.budget, status=RoundStatus.CLOSED, title="Былтыркы добуш")
    draft = make_round(round_.budget, status=RoundStatus.DRAFT, title="Даярдалууда")
    casting.cast_online(_resident(round_), round_, proposal_ids(round_)[:1], key())
    html = english.get(f"/m/{round_.municipality.slug}/rounds").get_data(as_text=True)
    assert round_.title in html and closed.title in html and draft.title not in html
    assert "1 ballot" in html and "voting now" in html


def test_municipality_and_budget_pages_link_to_the_rounds(english, db):
    round_ = make_round()
    municipality_page = english.get(f"/m/{round_.municipality.slug}").get_data(as_text=True)
    assert f"/m/{round_.municipality.slug}/rounds" in municipality_page
    budget_page = english.get(f"/budgets/{round_.budget_id}").get_data(as_text=True)
    assert f"/rounds/{round_.id}" in budget_page


# --- the resident's online ballot --------------------------------------------------------


def test_resident_votes_reviews_confirms_and_finds_the_receipt(client, login_as, db):
    round_ = make_round()
    login_as(_resident(round_))
    form = client.get(f"/rounds/{round_.id}/ballot").get_data(as_text=True)
    assert "Choose between 1 and 3 proposals." in form and "Review my choice" in form
    first, second = proposal_ids(round_)[:2]
    review = _review(client, round_, _marks([first, second])).get_data(as_text=True)
    assert "You chose:" in review and "Долбоор 1" in review and "Долбоор 2" in review and "Долбоор 3" not in review
    assert "Confirm my vote" in review and "Change" in review
    assert _count(db, Ballot) == 0, "nothing is cast before the confirmation"
    response = client.post(f"/rounds/{round_.id}/ballot", data=dict(
        step="confirm", client_key=_client_key(review), **_marks([first, second])))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    receipt = _receipt(response)
    assert codes.normalise(receipt) and _count(db, Ballot) == 1
    found = client.get(f"/rounds/{round_.id}/receipts?q={receipt.lower()}").get_data(as_text=True)
    assert f"<strong>{receipt}</strong> — counted" in found and 'class="mine"' in found


def test_change_on_the_review_keeps_the_marks(client, login_as, db):
    round_ = make_round()
    login_as(_resident(round_))
    first = proposal_ids(round_)[0]
    html = client.post(f"/rounds/{round_.id}/ballot", data=dict(step="change", **_marks([first]))).get_data(
        as_text=True)
    assert re.search(rf'name="v-{first}" id="v-{first}" value="1" data-cost="[0-9.]+" checked', html)


def test_the_same_confirmation_twice_counts_once_and_gives_the_same_receipt(client, login_as, db):
    round_ = make_round()
    login_as(_resident(round_))
    ids = proposal_ids(round_)[:1]
    review = _review(client, round_, _marks(ids)).get_data(as_text=True)
    data = dict(step="confirm", client_key=_client_key(review), **_marks(ids))
    first = client.post(f"/rounds/{round_.id}/ballot", data=data)
    again = client.post(f"/rounds/{round_.id}/ballot", data=data)
    assert first.status_code == again.status_code == 200
    assert _receipt(first) == _receipt(again)
    assert _count(db, Ballot) == 1 and _count(db, RoundVoter) == 1


def test_a_second_ballot_by_the_same_person_is_refused(client, login_as, db):
    round_ = make_round()
    login_as(_resident(round_))
    assert _vote(client, round_, proposal_ids(round_)[:1]).status_code == 200
    again = client.get(f"/rounds/{round_.id}/ballot")
    assert again.status_code == 409 and "You have already voted in this round (online)" in again.get_data(as_text=True)
    other = client.post(f"/rounds/{round_.id}/ballot", data=dict(step="confirm", client_key=key(),
                                                                 **_marks(proposal_ids(round_)[1:2])))
    assert other.status_code == 409 and "You have already voted in this round" in other.get_data(as_text=True)
    assert _count(db, Ballot) == 1


@pytest.mark.parametrize(("settings", "chosen", "reason"), [
    (dict(method=Method.APPROVAL, min_choices=1, max_choices=2), {0: 1, 1: 1, 2: 1}, "Choose at most 2 proposals."),
    (dict(method=Method.APPROVAL, min_choices=2, max_choices=3), {0: 1}, "Choose at least 2 proposals."),
    (dict(method=Method.KNAPSACK, amount=Decimal("700000")), {0: 1, 1: 1},
     "The proposals you chose cost 800,000 som together, more than the 700,000 som to share."),
    (dict(method=Method.CUMULATIVE, points=5), {0: 3, 1: 3}, "You gave 6 points; you have 5 to spread."),
    (dict(method=Method.RANKING, rank_depth=3), {0: 1, 1: 1}, "Give each ranked proposal its own place"),
    (dict(method=Method.CUMULATIVE, points=5), {0: "two"}, "The ballot could not be read."),
    (dict(method=Method.APPROVAL), {}, "Choose at least one proposal."),
])
def test_an_invalid_ballot_is_refused_with_its_reason_and_nothing_is_stored(client, login_as, db, settings,
                                                                            chosen, reason):
    round_ = make_round(**settings)
    login_as(_resident(round_))
    ids = proposal_ids(round_)
    marks = {f"v-{ids[n]}": str(value) for n, value in chosen.items()}
    for step in ("review", "confirm"):
        response = client.post(f"/rounds/{round_.id}/ballot", data=dict(step=step, client_key=key(), **marks))
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and reason in html.replace("&#39;", "'")
        assert "Review my choice" in html, "the ballot is shown again"
        for name, value in marks.items():
            assert f'name="{name}"' in html
    assert _count(db, Ballot) == 0 and _count(db, RoundVoter) == 0


def test_the_marks_are_kept_when_a_ballot_is_refused(client, login_as, db):
    round_ = make_round(method=Method.CUMULATIVE, points=5)
    login_as(_resident(round_))
    first, second = proposal_ids(round_)[:2]
    html = _review(client, round_, {f"v-{first}": "4", f"v-{second}": "2"}).get_data(as_text=True)
    assert f'name="v-{first}" id="v-{first}" min="0" max="5" step="1" inputmode="numeric" value="4"' in html
    assert 'value="2"' in html


def test_each_method_shows_its_own_fields(client, login_as, db):
    for method, marker in [(Method.KNAPSACK, 'type="checkbox"'), (Method.CUMULATIVE, 'type="number"'),
                           (Method.RANKING, '<select name="v-')]:
        round_ = make_round(method=method)
        login_as(_resident(round_))
        html = client.get(f"/rounds/{round_.id}/ballot").get_data(as_text=True)
        assert marker in html and f'data-method="{method.value}"' in html and "js/ballot.js" in html


def test_the_proposals_keep_their_order_for_one_voter(client, login_as, db):
    round_ = make_round(proposals=4)
    login_as(_resident(round_))
    def order():
        return re.findall(r'name="v-(\d+)"', client.get(f"/rounds/{round_.id}/ballot").get_data(as_text=True))

    first = order()
    assert sorted(map(int, first)) == sorted(proposal_ids(round_)) and order() == first


def test_a_ranking_ballot_counts_with_its_places(client, login_as, db):
    round_ = make_round(method=Method.RANKING, rank_depth=2)
    login_as(_resident(round_))
    first, second = proposal_ids(round_)[:2]
    marks = {f"v-{first}": "2", f"v-{second}": "1"}
    review = _review(client, round_, marks).get_data(as_text=True)
    assert review.index("Долбоор 2") < review.index("Долбоор 1"), "the review lists by place"
    response = client.post(f"/rounds/{round_.id}/ballot", data=dict(step="confirm", client_key=_client_key(review),
                                                                     **marks))
    assert response.status_code == 200
    ballot = db.session.execute(sa.select(Ballot)).scalar_one()
    assert {c.proposal_id: c.value for c in ballot.choices} == {first: 2, second: 1}


def test_ballot_needs_a_login(client, db):
    round_ = make_round()
    response = client.get(f"/rounds/{round_.id}/ballot")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize(("case", "reason"), [
    ("unverified", "Only verified residents can vote online: ask your group's secretary to verify you."),
    ("elsewhere", "Only verified residents of"),
    ("codes_only", "In this round only holders of a voting code can vote."),
    ("closed", "Voting in this round has ended."),
    ("not_online", "This round does not take ballots online"),
])
def test_ballot_refuses_who_may_not_vote_with_the_reason(client, login_as, db, case, reason):
    settings = dict(codes_only=dict(eligibility=Eligibility.CODES), closed=dict(status=RoundStatus.CLOSED),
                    not_online=dict(channel_online=False)).get(case, {})
    round_ = make_round(**settings)
    if case == "unverified":
        user = f.make_user(language="en")
    elif case == "elsewhere":
        user = make_verified_resident(make_round(), language="en")
    else:
        user = _resident(round_)
    login_as(user)
    review = dict(step="review", **_marks(proposal_ids(round_)[:1]))
    path = f"/rounds/{round_.id}/ballot"
    for response in (client.get(path), client.post(path, data=review)):
        assert response.status_code == 403 and reason in response.get_data(as_text=True).replace("&#39;", "'")
    assert _count(db, Ballot) == 0


# --- the code holder's ballot ---------------------------------------------------------------


def test_code_holder_votes_from_the_qr_link_and_the_code_is_spent(english, db):
    round_ = make_round()
    code = make_codes(round_, 2)[0]
    shown = codes.display(code)
    page = english.get(f"/rounds/{round_.id}/code?code={shown}").get_data(as_text=True)
    assert f'value="{shown}"' in page
    ballot = english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code=shown.lower()))
    html = ballot.get_data(as_text=True)
    assert ballot.status_code == 200 and "Review my choice" in html and f'name="code" value="{shown}"' in html
    response = _vote(english, round_, proposal_ids(round_)[:2], path="code", code=shown)
    receipt = _receipt(response)
    assert _count(db, Ballot) == 1
    spent = db.session.execute(sa.select(VotingCode).where(VotingCode.used_at.is_not(None))).scalars().all()
    assert len(spent) == 1
    assert "counted" in english.get(f"/rounds/{round_.id}/receipts?q={receipt}").get_data(as_text=True)
    again = english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code=shown))
    assert again.status_code == 422 and "this code has already been used" in again.get_data(as_text=True)


def test_a_code_spent_between_review_and_confirm_is_refused_at_the_confirm(english, db):
    round_ = make_round()
    code = make_codes(round_, 1)[0]
    ids = proposal_ids(round_)[:1]
    review = _review(english, round_, _marks(ids), path="code", code=code).get_data(as_text=True)
    casting.cast_with_code(round_, code, ids, key())  # someone else with the same slip, on a kiosk
    response = english.post(f"/rounds/{round_.id}/code", data=dict(
        step="confirm", code=code, client_key=_client_key(review), **_marks(ids)))
    assert response.status_code == 422 and "this code has already been used" in response.get_data(as_text=True)
    assert 'id="code"' in response.get_data(as_text=True) and _count(db, Ballot) == 1


def test_a_code_ballot_confirmed_twice_counts_once(english, db):
    round_ = make_round()
    code = make_codes(round_, 1)[0]
    ids = proposal_ids(round_)[:1]
    review = _review(english, round_, _marks(ids), path="code", code=code).get_data(as_text=True)
    data = dict(step="confirm", code=code, client_key=_client_key(review), **_marks(ids))
    first, again = (english.post(f"/rounds/{round_.id}/code", data=data) for _ in range(2))
    assert _receipt(first) == _receipt(again)
    assert _count(db, Ballot) == 1


def test_an_invalid_code_ballot_is_refused_and_keeps_the_code(english, db):
    round_ = make_round(max_choices=1)
    code = codes.display(make_codes(round_, 1)[0])
    response = _review(english, round_, _marks(proposal_ids(round_)[:2]), path="code", code=code)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose at most 1 proposals." in html and f'value="{code}"' in html
    assert _count(db, Ballot) == 0


def test_wrong_codes_are_rate_limited_per_address(english, db):
    round_ = make_round()
    good = make_codes(round_, 1)[0]
    for _ in range(3):  # right codes do not count against the address
        assert english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code=good)).status_code == 200
    for n in range(10):
        response = english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code="ABCDE-FGHJK"))
        assert response.status_code == 422 and "this code does not exist" in response.get_data(as_text=True)
    blocked = english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code=good))
    assert blocked.status_code == 429
    assert "Too many wrong codes from this connection. Try again in a few minutes." in blocked.get_data(as_text=True)
    other = english.post(f"/rounds/{round_.id}/code", data=dict(step="code", code=good),
                         environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200, "another address is not blocked"


def test_wrong_codes_sent_straight_to_the_confirmation_count_against_the_address_too(english, db):
    round_ = make_round()
    ballot = dict(step="confirm", code="ABCDE-FGHJK", **_marks(proposal_ids(round_)[:1]))
    for _ in range(10):
        assert english.post(f"/rounds/{round_.id}/code", data=dict(ballot, client_key=key())).status_code == 422
    assert english.post(f"/rounds/{round_.id}/code", data=dict(ballot, client_key=key())).status_code == 429
    assert _count(db, Ballot) == 0


def test_codes_page_refuses_a_round_without_codes(english, db):
    round_ = make_round(eligibility=Eligibility.RESIDENTS)
    response = english.get(f"/rounds/{round_.id}/code")
    assert response.status_code == 403 and "This round does not take voting codes" in response.get_data(as_text=True)


# --- receipts and the anonymous ballots --------------------------------------------------------


def test_receipts_list_finds_paper_receipts_and_explains_a_missing_one(english, db):
    round_ = make_round()
    casting.count_paper(round_, {proposal_ids(round_)[0]: 1}, serial="17", location_id=round_.locations[0].id)
    db.session.commit()
    html = english.get(f"/rounds/{round_.id}/receipts?q=p17").get_data(as_text=True)
    assert "<strong>P17</strong> — counted (paper ballot, Мектеп)" in html
    missing = english.get(f"/rounds/{round_.id}/receipts?q=ZZZZZ-ZZZZZ").get_data(as_text=True)
    assert "No counted ballot has the receipt ZZZZZ-ZZZZZ." in missing
    assert "appears once the kiosk has sent its ballots" in missing


def test_receipts_list_is_paged_and_jumps_to_the_page_of_a_found_receipt(english, db, monkeypatch):
    from pb.voting import views

    monkeypatch.setattr(views, "RECEIPTS_PER_PAGE", 2)
    round_ = make_round()
    receipts = sorted(casting.cast_online(_resident(round_), round_, proposal_ids(round_)[:1], key()).receipt
                      for _ in range(5))
    first = english.get(f"/rounds/{round_.id}/receipts").get_data(as_text=True)
    assert "Page 1 of 3" in first and codes.display(receipts[0]) in first and codes.display(receipts[4]) not in first
    last = english.get(f"/rounds/{round_.id}/receipts?q={receipts[4]}").get_data(as_text=True)
    assert "Page 3 of 3" in last and 'class="mine"' in last


def test_ballots_csv_is_published_at_the_close_without_identity(english, db):
    round_ = make_round(method=Method.CUMULATIVE, points=10)
    ids = proposal_ids(round_)
    voter = _resident(round_)
    online = casting.cast_online(voter, round_, {ids[0]: 6, ids[1]: 4}, key())
    casting.count_paper(round_, {ids[2]: 10}, serial="5", location_id=round_.locations[0].id)
    db.session.commit()
    before = english.get(f"/rounds/{round_.id}/ballots.csv")
    assert before.status_code == 403
    assert "The ballots are published when the round closes." in before.get_data(as_text=True)
    round_.status = RoundStatus.CLOSED
    db.session.commit()
    response = english.get(f"/rounds/{round_.id}/ballots.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    entries = sorted(round_.entries, key=lambda e: e.proposal_id)
    assert rows[0] == ["number", "channel", "location"] + [f"#{e.proposal_id} {e.proposal.title}" for e in entries]
    assert sorted(row[0] for row in rows[1:]) == ["1", "2"], "numbered, one row per ballot"
    assert sorted(row[1:] for row in rows[1:]) == [["online", "", "6", "4", ""], ["paper", "Мектеп", "", "", "10"]]
    assert online.receipt not in text and "P5" not in text and voter.name not in text and voter.email not in text
