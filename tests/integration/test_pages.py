"""Error pages, languages, security headers, CSRF."""
import pytest

from config import TestConfig
from pb import create_app
from tests import factories as f


def test_default_language_is_kyrgyz(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="ky"' in page


def test_not_found_page_in_the_users_language(client):
    client.post("/language", data=dict(language="ru", next="/"))
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'lang="ru"' in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_server_error_shows_no_trace(app, client, monkeypatch):
    from pb.places import services

    def boom():
        raise RuntimeError("secret internals")

    monkeypatch.setattr(services, "list_municipalities", boom)
    response = client.get("/")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_forms_refuse_posts_without_csrf_token(_app):
    class CsrfConfig(TestConfig):
        WTF_CSRF_ENABLED = True
        SQLALCHEMY_DATABASE_URI = _app.config["SQLALCHEMY_DATABASE_URI"]

    app = create_app(CsrfConfig)
    with app.app_context():
        response = app.test_client().post("/login", data=dict(login="x@example.kg", password="whatever"))
    assert response.status_code == 400


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_money_is_formatted_per_locale(app, lang):
    from decimal import Decimal

    from flask_babel import force_locale

    from pb.core.i18n import format_money

    with app.test_request_context(), force_locale(lang):
        text = str(format_money(Decimal("1234567.50")))
    expected = {"ky": "1\u00a0234\u00a0568 сом", "ru": "1\u00a0234\u00a0568 сом", "en": "1,234,568 som"}
    assert text == expected[lang]


def test_municipality_page_lists_villages_and_groups(client):
    municipality = f.make_municipality(slug="ak-dobo")
    f.make_village(municipality, name="Кызыл-Арык")
    f.make_group(municipality, name_ky="Ак-Добо тобу")
    page = client.get("/m/ak-dobo").get_data(as_text=True)
    assert "Кызыл-Арык" in page and "Ак-Добо тобу" in page


def test_an_id_too_large_for_the_database_is_not_found(client):
    assert client.get("/hearings/99999999999999999999").status_code == 404
    assert client.get("/rounds/99999999999999999999").status_code == 404
