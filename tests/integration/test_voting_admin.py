"""The organisers' voting pages through the test client: the round form, the control page, code slips,
the registration desk and paper ballots."""
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from pb.audit.models import AuditEntry
from pb.core.models import local_now
from pb.groups.models import Position
from pb.proposals.states import Status
from pb.voting import casting, code_batches, kiosk_casting
from pb.voting.models import Ballot, CodeBatch, Kiosk, PaperEntry, VotingCode, VotingLocation, VotingRound
from pb.voting.states import Channel, Method, RoundStatus
from tests import factories as f
from tests.proposal_factories import make_proposal
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids


@pytest.fixture
def place(db):
    municipality = f.make_municipality(slug="ak-dobo", name_ky="Ак-Добо айыл өкмөтү", name_ru="Ак-Добо айыл окмоту")
    village = f.make_village(municipality, name="Ак-Добо")
    budget = f.make_budget(municipality)
    proposals = [make_proposal(budget, village=village, status=Status.ON_BALLOT, title=title,
                               estimated_cost=Decimal(cost))
                 for title, cost in (("Көпүрө", "300000"), ("Арык", "200000"), ("Мектептин чатыры", "400000"))]
    organiser = f.make_staff(municipality, language="en", name="Айгүл Осмонова")
    return dict(municipality=municipality, village=village, budget=budget, proposals=proposals, organiser=organiser)


def _text(response):
    return " ".join(response.get_data(as_text=True).split())


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _checked(page, name, value):
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>', page)
    return bool(tags) and all(" checked" in tag for tag in tags)


def _form(proposals, **overrides):
    now = local_now()
    data = dict(title="2027-жылдын долбоорлору", method="approval", min_choices="1", max_choices="2", points="10",
                rank_depth="3", amount="600 000", allocation_rule="greedy", channels=["kiosk", "online", "paper"],
                eligibility="both", opens_at=(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                closes_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), hide_counts="y",
                proposal_ids=[str(p.id) for p in proposals])
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def _open_round(place, **overrides):
    """An open round of the place's budget, through the factory, with the organiser logged in by the caller."""
    return make_round(budget=place["budget"], **overrides)


# --- the round form ---------------------------------------------------------------


def test_budget_page_offers_to_prepare_a_round_to_organisers_only(client, login_as, place):
    url = f"/budgets/{place['budget'].id}"
    assert f"/budgets/{place['budget'].id}/rounds/new" not in _text(client.get(url))
    login_as(f.make_user(language="en"))
    assert "Prepare a voting round" not in _text(client.get(url))
    login_as(place["organiser"])
    assert "Prepare a voting round" in _text(client.get(url))


def test_new_round_form_puts_every_candidate_on_the_ballot(client, login_as, place):
    login_as(place["organiser"])
    page = _text(client.get(f"/budgets/{place['budget'].id}/rounds/new"))
    for proposal in place["proposals"]:
        assert f'name="proposal_ids" value="{proposal.id}" id="proposal-{proposal.id}" checked' in page
    assert "Көпүрө" in page and "300,000 som" in page and 'type="datetime-local"' in page
    assert _checked(page, "method", "approval") and not _checked(page, "method", "ranking")
    assert _checked(page, "channels", "paper") and _checked(page, "hide_counts", "y")
    assert "Method of Equal Shares" in page


def test_create_round_with_bad_input_shows_the_errors_and_stores_nothing(client, login_as, db, place):
    login_as(place["organiser"])
    data = _form(place["proposals"], title="", amount="көп", channels=None, closes_at="2000-01-01T10:00",
                 max_choices="0", points="many")  # points do not count for approval voting
    response = client.post(f"/budgets/{place['budget'].id}/rounds/new", data=data)
    page = _text(response)
    assert response.status_code == 422 and "Traceback" not in page
    for message in ("This field is required.", "Enter the money to allocate in som, e.g. 1500000.",
                    "Choose at least one way to vote.", "The round must close after it opens.",
                    "Enter a number from 1 to 1000.", "The maximum cannot be below the minimum."):
        assert message in page
    assert page.count('class="error"') == 6
    assert 'value="көп"' in page  # what was typed stays
    assert _count(db, VotingRound) == 0 and _count(db, AuditEntry) == 0


def test_create_edit_open_and_close_a_round(client, login_as, db, place):
    login_as(place["organiser"])
    proposals = place["proposals"]
    response = client.post(f"/budgets/{place['budget'].id}/rounds/new",
                           data=_form(proposals, method="cumulative", points="7", min_choices="x"))
    round_ = db.session.execute(sa.select(VotingRound)).scalar_one()
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{round_.id}/manage")
    assert (round_.method, round_.points, round_.status) == (Method.CUMULATIVE, 7, RoundStatus.DRAFT)
    page = _text(client.get(response.location))
    assert "The round has been prepared." in page
    assert "Each voter spreads 7 points among the proposals." in page and "600,000 som" in page
    assert "3 proposals on the ballot" in page and "900,000 som" in page

    form = _text(client.get(f"/rounds/{round_.id}/edit"))
    assert _checked(form, "method", "cumulative") and 'value="7"' in form and "2027-жылдын долбоорлору" in form
    response = client.post(f"/rounds/{round_.id}/edit", data=_form(proposals[:2], title="Жаңы аты",
                                                                   double_keying="y"), follow_redirects=True)
    assert "The changes have been saved." in _text(response)
    db.session.expire_all()
    assert round_.title == "Жаңы аты" and round_.double_keying and len(round_.entries) == 2

    page = _text(client.post(f"/rounds/{round_.id}/open", follow_redirects=True))
    assert "The round is open." in page and "Close the round" in page and "results" in page
    db.session.expire_all()
    assert round_.status == RoundStatus.OPEN and round_.opened_at is not None
    assert client.get(f"/rounds/{round_.id}/edit").status_code == 403
    assert client.post(f"/rounds/{round_.id}/edit", data=_form(proposals)).status_code == 403

    page = _text(client.post(f"/rounds/{round_.id}/close", follow_redirects=True))
    assert "The round is closed. Its counts and results are now public." in page
    db.session.expire_all()
    assert round_.status == RoundStatus.CLOSED
    page = _text(client.post(f"/rounds/{round_.id}/close", follow_redirects=True))
    assert "The round is closed; this cannot be done now." in page
    actions = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    # closing allocates: both proposals on the ballot are decided (selected or not), then the outcome is audited
    assert actions == ["voting.create_round", "voting.update_round", "voting.open_round", "voting.close_round",
                       "proposal.change_status", "proposal.change_status", "voting.allocate"]
    assert {e.proposal.status.value for e in round_.entries} <= {"selected", "not_selected"}


def test_village_quotas_are_chosen_on_the_form_and_a_bad_choice_is_explained(client, login_as, db, place):
    login_as(place["organiser"])
    url = f"/budgets/{place['budget'].id}/rounds/new"
    form = _text(client.get(url))
    assert "Village quotas" in form and "village quotas in proportion to registered voters" in form
    response = client.post(url, data=_form(place["proposals"], quota_basis="by-height"))
    assert response.status_code == 422 and "Choose how the money is shared among the villages." in _text(response)
    assert _count(db, VotingRound) == 0 and _count(db, AuditEntry) == 0
    response = client.post(url, data=_form(place["proposals"], quota_basis="mix"))
    assert response.status_code == 302
    round_ = db.session.execute(sa.select(VotingRound)).scalar_one()
    assert round_.quota_basis == "mix"
    assert 'selected value="mix"' in _text(client.get(f"/rounds/{round_.id}/edit"))


def test_open_refuses_an_empty_ballot(client, login_as, db, place):
    login_as(place["organiser"])
    client.post(f"/budgets/{place['budget'].id}/rounds/new", data=_form(place["proposals"], proposal_ids=None))
    round_ = db.session.execute(sa.select(VotingRound)).scalar_one()
    assert "The ballot is empty" in _text(client.get(f"/rounds/{round_.id}/manage"))
    page = _text(client.post(f"/rounds/{round_.id}/open", follow_redirects=True))
    assert "Put at least one proposal on the ballot first." in page
    db.session.expire_all()
    assert round_.status == RoundStatus.DRAFT


def test_a_draft_round_is_hidden_and_unknown_rounds_are_404(client, login_as, db, place):
    draft = _open_round(place, status=RoundStatus.DRAFT)
    login_as(f.make_user(language="en"))
    for path in (f"/rounds/{draft.id}/manage", f"/rounds/{draft.id}/edit", "/rounds/99999/manage",
                 "/budgets/99999/rounds/new", "/rounds/99999/paper"):
        assert client.get(path).status_code == 404
    login_as(place["organiser"])
    assert client.get("/rounds/99999/desk").status_code == 404
    assert client.post(f"/rounds/{draft.id}/codes/99999/void", data=dict(reason="x")).status_code == 404


# --- the control page -------------------------------------------------------------


def test_locations_are_added_and_a_bad_name_is_explained(client, login_as, db, place):
    round_ = _open_round(place, locations=())
    login_as(place["organiser"])
    page = _text(client.post(f"/rounds/{round_.id}/locations", data=dict(name="Маданият үйү",
                                                                          village_id=str(place["village"].id)),
                             follow_redirects=True))
    assert "Маданият үйү has been added to the locations." in page
    response = client.post(f"/rounds/{round_.id}/locations", data=dict(name="маданият ҮЙҮ"))
    assert response.status_code == 422 and "The round already has a location of this name." in _text(response)
    response = client.post(f"/rounds/{round_.id}/locations", data=dict(name="Клуб", village_id="99999"))
    assert response.status_code == 422 and "Choose a village of this municipality." in _text(response)
    location = db.session.execute(sa.select(VotingLocation)).scalar_one()
    assert (location.name, location.village_id) == ("Маданият үйү", place["village"].id)


def test_a_code_batch_answers_with_the_slips_and_its_counts_show(client, login_as, db, place):
    round_ = _open_round(place)
    login_as(place["organiser"])
    response = client.post(f"/rounds/{round_.id}/codes", data=dict(size="12", label="Көчө 1",
                                                                    location_id=str(round_.locations[0].id)))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    printed = re.findall(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b", text)
    assert len(reader.pages) == 2 and len(set(printed)) == 12 and "Ак-Добо айыл өкмөтү" in text
    assert all(code_batches.check_code(round_, code) == code_batches.VALID for code in printed)
    links = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    assert links[0] == f"http://localhost/rounds/{round_.id}/code?code={printed[0]}"
    page = _text(client.get(f"/rounds/{round_.id}/manage"))
    assert re.search(r"<td>Көчө 1</td><td>Мектеп</td> <td>Айгүл Осмонова<br>.*?</td> "
                     r'<td class="num">12</td><td class="num">0</td><td class="num">0</td><td class="num">12</td>',
                     page)
    assert "The codes are printed only now." in page


def test_bad_batch_input_goes_back_with_the_reason_and_makes_nothing(client, login_as, db, place):
    round_ = _open_round(place)
    login_as(place["organiser"])
    response = client.post(f"/rounds/{round_.id}/codes", data=dict(size="0"))
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{round_.id}/manage#codes")
    assert "Enter a number from 1 to 500." in _text(client.get(response.location))
    response = client.post(f"/rounds/{round_.id}/codes", data=dict(size="5", location_id="99999"),
                           follow_redirects=True)
    assert "Choose one of the round&#39;s locations." in _text(response)
    residents_only = _open_round(place, eligibility="residents", title="Тургундар")
    response = client.post(f"/rounds/{residents_only.id}/codes", data=dict(size="5"), follow_redirects=True)
    assert "This round does not take voting codes" in _text(response)
    assert _count(db, CodeBatch) == 0 and _count(db, VotingCode) == 0


def test_slips_that_cannot_be_made_leave_no_working_codes(client, login_as, db, place, monkeypatch):
    from pb.reports import views as report_views

    def broken(_slips):
        raise OSError("the fonts are missing")

    monkeypatch.setattr(report_views, "render_slips_pdf", broken)
    round_ = _open_round(place)
    login_as(place["organiser"])
    page = _text(client.post(f"/rounds/{round_.id}/codes", data=dict(size="4"), follow_redirects=True))
    assert "The slips could not be made, so their codes were voided. Please try again." in page
    batch = db.session.execute(sa.select(CodeBatch)).scalar_one()
    assert batch.voided_at is not None
    unused = sa.select(sa.func.count(VotingCode.id)).where(VotingCode.voided_at.is_(None))
    assert db.session.execute(unused).scalar() == 0


def test_void_a_batch_needs_a_reason_and_voids_only_unused_codes(client, login_as, db, place):
    round_ = _open_round(place)
    clear = make_codes(round_, size=4, actor=place["organiser"])
    casting.cast_with_code(round_, clear[0], proposal_ids(round_)[:1], key())
    batch = db.session.execute(sa.select(CodeBatch)).scalar_one()
    login_as(place["organiser"])
    page = _text(client.post(f"/rounds/{round_.id}/codes/{batch.id}/void", data=dict(reason=" "),
                             follow_redirects=True))
    assert "Say why the codes are voided." in page
    assert code_batches.check_code(round_, clear[1]) == code_batches.VALID
    page = _text(client.post(f"/rounds/{round_.id}/codes/{batch.id}/void", data=dict(reason="Slips lost in the rain"),
                             follow_redirects=True))
    assert "The batch is void: 3 unused codes no longer work." in page and "Slips lost in the rain" in page
    assert '<td class="num">4</td><td class="num">1</td><td class="num">3</td><td class="num">0</td>' in page
    assert code_batches.check_code(round_, clear[1]) == code_batches.VOID
    assert code_batches.check_code(round_, clear[0]) == code_batches.USED


def test_void_one_lost_code(client, login_as, db, place):
    round_ = _open_round(place)
    clear = make_codes(round_, size=3, actor=place["organiser"])
    login_as(place["organiser"])
    lost = clear[1].lower()[:5] + " " + clear[1].lower()[5:]
    page = _text(client.post(f"/rounds/{round_.id}/codes/void", data=dict(code=lost), follow_redirects=True))
    assert "The code no longer works." in page
    assert code_batches.check_code(round_, clear[1]) == code_batches.VOID
    assert code_batches.check_code(round_, clear[0]) == code_batches.VALID
    response = client.post(f"/rounds/{round_.id}/codes/void", data=dict(code=clear[1]))
    assert response.status_code == 422 and "this code has been voided" in _text(response)
    response = client.post(f"/rounds/{round_.id}/codes/void", data=dict(code="AAAAA-BBBBB"))
    assert response.status_code == 422 and "this code does not exist" in _text(response)


def test_control_page_shows_kiosks_refusals_without_choices_and_turnout(client, login_as, db, place):
    round_ = _open_round(place, locations=("Мектеп", "Клуб"))
    school = round_.locations[1].id if round_.locations[1].name == "Мектеп" else round_.locations[0].id
    kiosk = Kiosk(round_id=round_.id, location_id=school, label="Планшет 2", token_hash=key(),
                  created_by_id=place["organiser"].id)
    db.session.add(kiosk)
    db.session.commit()
    clear = make_codes(round_, size=3, actor=place["organiser"])
    ids = proposal_ids(round_)
    kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=clear[0], choices=[ids[2]]))
    kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=clear[0], choices=[ids[1]]))  # the code again
    casting.cast_online(make_verified_resident(round_), round_, ids[:1], key())
    login_as(place["organiser"])
    page = _text(client.get(f"/rounds/{round_.id}/manage"))
    assert "Планшет 2" in page and "Айгүл Осмонова" in page and "running" in page
    refused = page.split('id="refused"')[1].split("</section>")[0]
    assert "this code has already been used" in refused and "Планшет 2" in refused and "Мектеп" in refused
    assert "Долбоор" not in refused  # never what the refused ballot chose
    turnout = page.split('id="turnout"')[1].split("</section>")[0]
    assert re.search(r'<span class="big">2</span> ballots counted', turnout)
    assert re.search(r'<span class="big">1 / 3</span> codes used / made', turnout)
    assert "no location (from phones and computers)" in turnout
    live = client.get(f"/rounds/{round_.id}/manage", headers={"HX-Request": "true"})
    assert _text(live).startswith('<section id="turnout"') and 'hx-trigger="every 30s"' in _text(live)


def test_a_group_member_sees_the_control_page_of_an_open_round_without_its_levers(client, login_as, place):
    round_ = _open_round(place)
    member = f.make_member(f.make_group(place["municipality"]), Position.MEMBER, language="en")
    login_as(member)
    page = _text(client.get(f"/rounds/{round_.id}/manage"))
    assert f"/rounds/{round_.id}/desk" in page and f"/rounds/{round_.id}/paper" in page
    assert f"/rounds/{round_.id}/kiosk/start" in page
    assert f"/rounds/{round_.id}/close" not in page and f"/rounds/{round_.id}/codes" not in page
    assert client.post(f"/rounds/{round_.id}/close").status_code == 403


# --- the registration desk --------------------------------------------------------


def test_desk_search_says_who_already_voted_and_how(client, login_as, db, place):
    round_ = _open_round(place)
    voted = make_verified_resident(round_, name="Бакыт Жумабеков", phone="+996700123456")
    make_verified_resident(round_, name="Бакыт Асанов")
    f.make_user(name="Бакыт Чет элдик")  # not verified: never listed
    casting.cast_online(voted, round_, proposal_ids(round_)[:1], key())
    login_as(place["organiser"])
    page = _text(client.get(f"/rounds/{round_.id}/desk?q=бакыт"))
    assert "Бакыт Жумабеков" in page and "Бакыт Асанов" in page and "Чет элдик" not in page
    voted_row, other_row = (page.split("Бакыт Жумабеков")[1].split("</li>")[0],
                            page.split("Бакыт Асанов")[1].split("</li>")[0])
    assert "Already voted online: do not give a code." in voted_row and 'name="code"' not in voted_row
    assert "Has not voted in this round yet." in other_row and 'name="code"' in other_row
    by_phone = _text(client.get(f"/rounds/{round_.id}/desk?q=0012345", headers={"HX-Request": "true"}))
    assert by_phone.startswith('<section id="desk-results"') and "Бакыт Жумабеков" in by_phone
    assert "Already voted online" in by_phone and "…3456" in by_phone and "+996700123456" not in by_phone
    assert "No verified resident" in _text(client.get(f"/rounds/{round_.id}/desk?q=Жок"))


def test_desk_binds_a_code_to_a_resident_who_has_not_voted(client, login_as, db, place):
    round_ = _open_round(place)
    resident = make_verified_resident(round_, name="Нургүл Токтосунова")
    clear = make_codes(round_, size=2, actor=place["organiser"])
    member = f.make_member(f.make_group(place["municipality"]), Position.MEMBER, language="en")
    login_as(member)
    response = client.post(f"/rounds/{round_.id}/desk/bind",
                           data=dict(code=codes_display(clear[0]), resident_id=str(resident.id), q="нургүл"))
    assert response.status_code == 302 and "q=" in response.location
    page = _text(client.get(response.location))
    assert "The code is now Нургүл Токтосунова&#39;s" in page
    assert "A code was handed to them before" in page
    row = db.session.execute(sa.select(VotingCode).where(VotingCode.resident_id.is_not(None))).scalar_one()
    assert row.resident_id == resident.id
    page = _text(client.post(f"/rounds/{round_.id}/desk/bind", data=dict(code="AAAAA-BBBBB",
                                                                          resident_id=str(resident.id)),
                             follow_redirects=True))
    assert "The code was not handed over: this code does not exist" in page
    casting.cast_with_code(round_, clear[0], proposal_ids(round_)[:1], key())
    page = _text(client.post(f"/rounds/{round_.id}/desk/bind", data=dict(code=clear[1], resident_id=str(resident.id)),
                             follow_redirects=True))
    assert "Нургүл Токтосунова has already voted in this round" in page
    assert client.post(f"/rounds/{round_.id}/desk/bind",
                       data=dict(code=clear[1], resident_id="99999")).status_code == 404


def codes_display(code):
    return f"{code[:5]}-{code[5:]}"


# --- paper ballots ----------------------------------------------------------------


def _paper(client, round_, serial, choices, **extra):
    data = dict(serial=serial, location_id=str(round_.locations[0].id), choice=[str(pid) for pid in choices])
    data.update(extra)
    return client.post(f"/rounds/{round_.id}/paper", data=data, follow_redirects=True)


def test_single_keying_counts_the_paper(client, login_as, db, place):
    round_ = _open_round(place)
    login_as(place["organiser"])
    page = _text(client.get(f"/rounds/{round_.id}/paper"))
    assert page.count('name="choice"') == 3 and "Мектеп" in page
    ids = proposal_ids(round_)
    page = _text(_paper(client, round_, "a101", ids[:2]))
    assert "Paper ballot A101 has been counted." in page
    assert db.session.execute(sa.select(Ballot.channel)).scalar_one() == Channel.PAPER
    response = client.post(f"/rounds/{round_.id}/paper",
                           data=dict(serial="A102", location_id=str(round_.locations[0].id)))
    assert response.status_code == 422 and "Choose at least one proposal." in _text(response)
    assert 'value="A102"' in _text(response)  # the typed number stays for the correction
    page = _text(_paper(client, round_, "A101", ids[:1]))
    assert "Paper ballot A101 has already been counted." in page
    page = _text(_paper(client, round_, "A103", [], spoiled="y"))
    assert "Paper ballot A103 is recorded as spoiled: it counts in no tally." in page
    assert _count(db, Ballot) == 1 and _count(db, PaperEntry) == 2


def test_double_keying_match_counts_and_mismatch_is_flagged_then_decided(client, login_as, db, place):
    round_ = _open_round(place, double_keying=True, method=Method.RANKING, rank_depth=2)
    first, second = place["organiser"], f.make_staff(place["municipality"], language="en")
    a, b, c = proposal_ids(round_)
    marks = lambda ranks: {f"mark-{pid}": str(rank) for pid, rank in ranks.items()}  # noqa: E731
    login_as(first)
    page = _text(_paper(client, round_, "7", [], **marks({a: 1, b: 2})))
    assert "Paper ballot 7 is keyed in once." in page and "Waiting for their second keying" in page
    login_as(second)
    blind = _text(client.get(f"/rounds/{round_.id}/paper?serial=7&location_id={round_.locations[0].id}"))
    assert 'value="7"' in blind and all(f'name="mark-{pid}" value=""' in blind for pid in (a, b, c))
    page = _text(_paper(client, round_, "7", [], **marks({a: 1, b: 2})))
    assert "The two keyings of paper ballot 7 match: it has been counted." in page
    assert _count(db, Ballot) == 1

    login_as(first)
    _paper(client, round_, "8", [], **marks({a: 1, b: 2}))
    login_as(second)
    page = _text(_paper(client, round_, "8", [], **marks({b: 1, a: 2})))
    assert "The two keyings of paper ballot 8 differ." in page
    assert "Paper 8" in page.split('id="mismatched"')[1].split("</section>")[0]
    assert _count(db, Ballot) == 1
    page = _text(_paper(client, round_, "8", [], **marks({c: 1})))
    assert "Paper ballot 8 has been decided by this keying and counted." in page
    assert 'id="mismatched"' not in page
    assert _count(db, Ballot) == 2


def test_paper_page_when_the_round_takes_no_paper(client, login_as, place):
    round_ = _open_round(place, channel_paper=False)
    login_as(place["organiser"])
    page = _text(client.get(f"/rounds/{round_.id}/paper"))
    assert "This round does not take paper ballots." in page and 'name="serial"' not in page
    response = client.post(f"/rounds/{round_.id}/paper", data=dict(serial="1", location_id=str(round_.locations[0].id),
                                                                   choice=[str(proposal_ids(round_)[0])]))
    assert response.status_code == 422
