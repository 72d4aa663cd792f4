"""Registration, login and its rate limit, passwords, language, roles."""
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from pb.accounts.models import User
from tests import factories as f


def test_register_resident_logs_in_and_hashes_with_argon2(client, db):
    village = f.make_village(f.make_municipality())
    response = client.post("/register", data=dict(
        name="Айбек", village_id=str(village.id), phone="0555 123 456", email="",
        password="secret-pass-1", password2="secret-pass-1", language="ru"))
    assert response.status_code == 302
    user = db.session.execute(sa.select(User)).scalar_one()
    assert user.phone == "+996555123456" and user.language == "ru"
    assert user.password_hash.startswith("$argon2id$")
    page = client.get("/").get_data(as_text=True)
    assert "Айбек" in page


def test_register_with_bad_input_lists_problems_and_saves_nothing(client, db):
    village = f.make_village(f.make_municipality())
    response = client.post("/register", data=dict(
        name="Айбек", village_id=str(village.id), phone="123", email="",
        password="short", password2="short", language="ky"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "телефон" in page.lower() or "phone" in page.lower()
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0


def test_register_twice_with_same_email_is_refused(client, db):
    village = f.make_village(f.make_municipality())
    f.make_user(email="taken@example.kg")
    client.post("/register", data=dict(name="X", village_id=str(village.id), email="Taken@Example.kg",
                                       password="secret-pass-1", password2="secret-pass-1", language="en"))
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 1


def test_login_with_phone_and_wrong_password(client):
    f.make_user(email=None, phone="+996555000111")
    bad = client.post("/login", data=dict(login="0555 000 111", password="wrong-password"))
    assert bad.status_code == 200
    good = client.post("/login", data=dict(login="0555 000 111", password=f.PASSWORD))
    assert good.status_code == 302


def test_login_is_rate_limited_with_a_clear_message(app, client):
    f.make_user(email="a@example.kg")
    codes = [client.post("/login", data=dict(login="a@example.kg", password="nope-nope")).status_code
             for _ in range(11)]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    response = client.post("/login", data=dict(login="a@example.kg", password=f.PASSWORD))
    assert response.status_code == 429
    with app.test_request_context(), force_locale("ky"):
        message = gettext("Too many attempts. Please wait a minute and try again.")
    assert message != "Too many attempts. Please wait a minute and try again."
    assert message in response.get_data(as_text=True)


def test_login_does_not_redirect_off_site(client):
    f.make_user(email="a@example.kg")
    response = client.post("/login?next=https://evil.example/", data=dict(login="a@example.kg", password=f.PASSWORD))
    assert response.location == "/"


def test_change_password_requires_the_current_one(client, login_as, db):
    user = f.make_user()
    login_as(user)
    wrong = client.post("/account/password", data=dict(current_password="nope", new_password="new-secret-1",
                                                       new_password2="new-secret-1"))
    assert wrong.status_code == 200
    ok = client.post("/account/password", data=dict(current_password=f.PASSWORD, new_password="new-secret-1",
                                                    new_password2="new-secret-1"))
    assert ok.status_code == 302
    client.post("/logout")
    assert client.post("/login", data=dict(login=user.email, password="new-secret-1")).status_code == 302


def test_language_switch_is_remembered_on_the_account(client, login_as, db):
    user = f.make_user(language="ky")
    login_as(user)
    client.post("/language", data=dict(language="ru", next="/"))
    db.session.refresh(user)
    assert user.language == "ru"
    assert 'lang="ru"' in client.get("/").get_data(as_text=True)


def test_admin_assigns_staff_role(client, login_as, db):
    municipality = f.make_municipality()
    person = f.make_user()
    login_as(f.make_user(is_admin=True))
    client.post(f"/admin/accounts/{person.id}", data=dict(municipality_id=str(municipality.id), role="staff"))
    db.session.refresh(person)
    assert person.is_staff_of(municipality.id)


def test_create_admin_command_makes_an_admin_and_refuses_a_short_password(app, db):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["pb", "create-admin", "--email", "boss@example.kg", "--name", "Boss",
                              "--password", "short"])
    assert bad.exit_code != 0
    ok = runner.invoke(args=["pb", "create-admin", "--email", "boss@example.kg", "--name", "Boss",
                             "--password", "long-enough-1"])
    assert ok.exit_code == 0, ok.output
    user = db.session.execute(sa.select(User).where(User.email == "boss@example.kg")).scalar_one()
    assert user.is_admin


def test_logout_forgets_a_remembered_login(client):
    user = f.make_user()
    client.post("/login", data=dict(login=user.email, password=f.PASSWORD, remember="y"))
    assert client.get_cookie("remember_token") is not None
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
    with client.session_transaction() as session:
        assert "_user_id" not in session
