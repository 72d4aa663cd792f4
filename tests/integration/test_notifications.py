"""Following a budget; notifications on the site and by e-mail after the commit."""
import sqlalchemy as sa

from pb.budgets import services as budgets
from pb.budgets.states import Phase
from pb.notifications.models import Follow, Notification
from pb.notifications.services import notify
from tests import factories as f


def test_follower_is_notified_of_a_phase_change_in_their_language(client, login_as, db, outbox):
    municipality = f.make_municipality(name_ky="Ак-Добо айыл өкмөтү")
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    resident = f.make_user(language="ru", email="aigul@example.kg")
    login_as(resident)
    client.post(f"/follow/budget/{budget.id}")
    assert db.session.execute(sa.select(Follow)).scalar_one().user_id == resident.id

    budgets.change_phase(f.make_staff(municipality), budget, "hearing")

    page = client.get("/").get_data(as_text=True)
    assert 'class="count"' in page and ">1</span>" in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "слушания" in listing  # the phase, in Russian
    messages = outbox()
    assert len(messages) == 1
    _, message = messages[0]
    assert message["To"] == "aigul@example.kg"
    assert "слушания" in message.get_content() and f"/budgets/{budget.id}" in message.get_content()


def test_unfollow_stops_notifications(client, login_as, db, outbox):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    login_as(f.make_user())
    client.post(f"/follow/budget/{budget.id}")
    client.post(f"/follow/budget/{budget.id}", data=dict(action="unfollow"))
    budgets.change_phase(f.make_staff(municipality), budget, "hearing")
    assert db.session.execute(sa.select(sa.func.count(Notification.id))).scalar() == 0
    assert outbox() == []


def test_mail_is_not_sent_when_the_transaction_rolls_back(db, outbox):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality)
    user = f.make_user(email="x@example.kg")
    notify([user.id], "budget.phase", "budget", budget.id, phase="hearing")
    db.session.rollback()
    assert outbox() == []
    notify([user.id], "budget.phase", "budget", budget.id, phase="hearing")
    db.session.commit()
    assert len(outbox()) == 1


def test_following_an_unknown_target_is_not_found(client, login_as):
    login_as(f.make_user())
    assert client.post("/follow/budget/999").status_code == 404
    assert client.post("/follow/nothing/1").status_code == 404


def test_marking_read_clears_the_count(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality)
    user = f.make_user()
    notify([user.id], "budget.phase", "budget", budget.id, phase="hearing")
    db.session.commit()
    login_as(user)
    client.post("/notifications/read")
    assert 'class="count"' not in client.get("/").get_data(as_text=True)


def test_monitoring_notices_name_the_line_in_each_recipients_language(client, login_as, db, outbox):
    from datetime import date

    from pb.monitoring import reports
    from pb.notifications.services import follow
    from tests import monitoring_factories as mf

    municipality = f.make_municipality()
    budget = mf.monitoring_budget(municipality, lines=0)
    line = f.make_line(budget, code="7045200", name_ky="Кышкы жол тейлөө", name_ru="Зимнее содержание дорог")
    staff = f.make_staff(municipality, language="ru", email="finance@example.kg")
    resident = f.make_user(language="ky", email="aigul@example.kg")
    follow(resident, "budget", budget.id)
    member = f.make_user(language="ru", email="monitor@example.kg")
    group = mf.make_monitoring_group(municipality, [member])

    report = reports.file_report(member, line, dict(group_id=group.id, visit_date=date(2026, 6, 10),
                                                    findings="Жол тазаланган эмес.", rating="problem"))
    reports.answer_report(staff, report, "Тазалайбыз.")

    mails = {}
    for _, message in outbox():
        mails.setdefault(message["To"], []).append(message.get_content())
    assert "Зимнее содержание дорог" in mails["finance@example.kg"][0]
    assert "Кышкы жол" not in mails["finance@example.kg"][0]
    assert all("Кышкы жол тейлөө" in text and "Зимнее" not in text for text in mails["aigul@example.kg"])
    assert len(mails["aigul@example.kg"]) == 2 and "Зимнее содержание дорог" in mails["monitor@example.kg"][0]
    login_as(staff)
    assert "7045200 Зимнее содержание дорог" in client.get("/notifications").get_data(as_text=True)
    login_as(resident)
    assert "7045200 Кышкы жол тейлөө" in client.get("/notifications").get_data(as_text=True)
