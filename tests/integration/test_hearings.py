"""Hearing pages through the test client: scheduling, the announcement, the list, changes, cancellation."""
import re

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.groups.models import Position
from pb.hearings.models import Hearing
from pb.hearings.states import HearingStatus
from pb.notifications.models import Follow, Notification
from tests import factories as f
from tests import hearing_factories as hf


@pytest.fixture
def place(db):
    municipality = f.make_municipality(slug="ak-dobo", name_ky="Ак-Добо айыл өкмөтү")
    villages = [f.make_village(municipality, name=name) for name in ("Ак-Добо", "Кызыл-Арык")]
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    group = f.make_group(municipality)
    return municipality, villages, budget, group


def _text(response):
    return response.get_data(as_text=True)


def test_a_lead_schedules_a_hearing_through_the_form_and_residents_read_it(client, login_as, db, place):
    municipality, villages, budget, group = place
    lead = f.make_member(group, Position.CHAIR, name="Мирлан Асанов")
    secretary = f.make_member(group, Position.SECRETARY, name="Нургүл Токтосунова")
    login_as(lead)
    form = client.get("/m/ak-dobo/hearings/new")
    assert form.status_code == 200 and 'type="date"' in _text(form) and "Нургүл Токтосунова" in _text(form)
    data = hf.form_data(hf.hearing_data(municipality, budget_id=str(budget.id), chair_id=str(lead.id),
                                        secretary_id=str(secretary.id), quorum="40",
                                        agenda=[dict(title="Чыгашалар", about=f"line:{budget.lines[0].id}")]))
    response = client.post("/m/ak-dobo/hearings/new", data=data)
    hearing = db.session.execute(sa.select(Hearing)).scalar_one()
    assert response.status_code == 302 and response.location.endswith(f"/hearings/{hearing.id}")
    assert (hearing.chair_id, hearing.secretary_id, hearing.quorum) == (lead.id, secretary.id, 40)
    login_as(None)
    page = _text(client.get(f"/hearings/{hearing.id}"))
    for text in ("Ак-Добо мектеби", "Мирлан Асанов", "Нургүл Токтосунова", "Чыгашалар", "Кызыл-Арык", "10:00"):
        assert text in page
    assert f"/lines/{budget.lines[0].id}" in page and "/console" not in page
    listing = _text(client.get("/m/ak-dobo/hearings"))
    assert f"/hearings/{hearing.id}" in listing and "Ак-Добо мектеби" in listing
    assert "/m/ak-dobo/hearings" in _text(client.get("/m/ak-dobo"))


def test_bad_scheduling_shows_every_message_keeps_the_input_and_saves_nothing(client, login_as, db, place):
    municipality = place[0]
    login_as(f.make_staff(municipality))
    data = hf.form_data(hf.hearing_data(municipality, date="", place="", quorum="көп",
                                        agenda=[dict(title="Күн тартиби", about="line:999999")]))
    page = _text(client.post("/m/ak-dobo/hearings/new", data=data))
    assert page.count('class="error"') == 4 and "Traceback" not in page
    assert "Күн тартиби" in page and 'aria-invalid="true"' in page
    assert db.session.execute(sa.select(sa.func.count(Hearing.id))).scalar() == 0
    assert db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar() == 0


def test_choosing_a_budget_offers_its_lines_to_the_agenda_with_htmx(client, login_as, db, place):
    municipality, _, budget, _ = place
    login_as(f.make_staff(municipality))
    page = _text(client.get("/m/ak-dobo/hearings/new"))
    assert f"line:{budget.lines[0].id}" not in page and 'hx-select="#agenda"' in page
    refill = _text(client.get(f"/m/ak-dobo/hearings/new?budget_id={budget.id}&agenda-0-title=Биринчи",
                              headers={"HX-Request": "true"}))
    assert f"line:{budget.lines[0].id}" in refill and 'value="Биринчи"' in refill


def test_editing_prefills_the_form_and_a_move_is_announced(client, login_as, db, place):
    municipality, _, budget, _ = place
    hearing = hf.make_hearing(municipality, budget)
    resident = f.make_user()
    db.session.add(Follow(user_id=resident.id, target_type="hearing", target_id=hearing.id))
    db.session.commit()
    login_as(f.make_staff(municipality))
    form = _text(client.get(f"/hearings/{hearing.id}/edit"))
    assert 'value="2027-02-14"' in form and 'value="Бюджеттин долбоору"' in form
    data = hf.form_data(hf.hearing_data(municipality, budget_id=str(budget.id), date="2027-02-21"))
    assert client.post(f"/hearings/{hearing.id}/edit", data=data).status_code == 302
    assert db.session.execute(sa.select(Notification.kind)).scalar_one() == "hearing.rescheduled"
    notifications = _text(login_as(resident).get("/notifications"))
    assert "Ак-Добо мектеби" in notifications


def test_cancelling_shows_on_the_page_and_the_list(client, login_as, db, place):
    municipality = place[0]
    hearing = hf.make_hearing(municipality)
    login_as(f.make_staff(municipality))
    response = client.post(f"/hearings/{hearing.id}/cancel", data=dict(reason="Жол жабык"))
    assert response.status_code == 302 and hearing.status == HearingStatus.CANCELLED
    listing = _text(client.get("/m/ak-dobo/hearings"))
    assert re.search(r"<h2>[^<]+</h2>\s*<ul class=\"cards hearings\">\s*<li><a href=\"/hearings/%d\"" % hearing.id, listing)
    assert client.get(f"/hearings/{hearing.id}/edit").status_code == 403


def test_residents_follow_a_hearing_from_its_page(client, login_as, db, place):
    hearing = hf.make_hearing(place[0])
    resident = f.make_user()
    login_as(resident)
    assert f"/follow/hearing/{hearing.id}" in _text(client.get(f"/hearings/{hearing.id}"))
    client.post(f"/follow/hearing/{hearing.id}")
    assert db.session.execute(sa.select(Follow.target_type)).scalar_one() == "hearing"


def test_pages_carry_no_inline_script_or_style(client, login_as, db, place):
    municipality, _, budget, _ = place
    hearing = hf.make_hearing(municipality, budget, HearingStatus.OPEN, quorum=10)
    login_as(f.make_staff(municipality))
    for path in (f"/hearings/{hearing.id}", f"/hearings/{hearing.id}/console", "/m/ak-dobo/hearings/new",
                 f"/hearings/{hearing.id - 0}", "/m/ak-dobo/hearings"):
        page = _text(client.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)", page) and " style=" not in page, path
