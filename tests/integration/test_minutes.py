"""Minutes through the test client: the editor and its conflict page, publication, public reading, PDFs."""
import io

import pytest
import sqlalchemy as sa
from flask import g, render_template
from flask_login import login_user
from pypdf import PdfReader

from pb.extensions import db
from pb.groups.models import Position
from pb.hearings.models import MinutesRevision
from pb.hearings.states import HearingStatus
from tests import factories as f
from tests import minutes_factories as mf


@pytest.fixture
def hearing(app):
    return mf.make_held_hearing()


@pytest.fixture
def staff(hearing):
    return f.make_staff(hearing.municipality, name="Жаркынай Осмонова")


@pytest.fixture
def lead(hearing):
    group = f.make_group(hearing.municipality)
    return f.make_member(group, Position.CHAIR, name="Бакыт Сыдыков")


def _revisions(hearing):
    return db.session.execute(sa.select(MinutesRevision.text).where(MinutesRevision.hearing_id == hearing.id)
                              .order_by(MinutesRevision.number)).scalars().all()


def test_second_editor_sees_the_conflict_and_both_texts(hearing, staff, lead, login_as):
    url = f"/hearings/{hearing.id}/minutes/edit"
    page = login_as(staff).get(url)
    assert page.status_code == 200 and 'name="prev_revision_id"' in page.text
    # both opened the empty editor; the staff member saves first
    saved = login_as(staff).post(url, data=dict(text="Угуу тынч өттү.", prev_revision_id=""))
    assert saved.status_code == 302 and saved.location.endswith(f"/hearings/{hearing.id}/minutes")
    clash = login_as(lead).post(url, data=dict(text="Суроолор көп болду & <b>кызуу</b>.", prev_revision_id=""))
    assert clash.status_code == 409
    assert "Угуу тынч өттү." in clash.text  # the other's text, next to ...
    assert "Суроолор көп болду &amp; &lt;b&gt;кызуу&lt;/b&gt;." in clash.text  # ... the editor's own, escaped
    assert "Жаркынай Осмонова" in clash.text
    assert _revisions(hearing) == ["Угуу тынч өттү."]
    latest_id = db.session.execute(sa.select(MinutesRevision.id).where(MinutesRevision.hearing_id == hearing.id)).scalar()
    assert f'value="{latest_id}"' in clash.text  # the next save starts from what the editor has now seen
    merged = login_as(lead).post(url, data=dict(text="Угуу тынч өттү.\n\nСуроолор көп болду.",
                                                prev_revision_id=str(latest_id)))
    assert merged.status_code == 302
    assert _revisions(hearing) == ["Угуу тынч өттү.", "Угуу тынч өттү.\n\nСуроолор көп болду."]
    shown = login_as(lead).get(f"/hearings/{hearing.id}/minutes")
    assert "Суроолор көп болду." in shown.text and "Бакыт Сыдыков" in shown.text  # revisions list the authors


def test_publication_makes_the_minutes_and_their_pdfs_public(hearing, staff, client, login_as):
    base = f"/hearings/{hearing.id}/minutes"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/ky.pdf").status_code == 404
    login_as(staff)
    assert client.get(base).status_code == 200
    assert client.post(f"{base}/publish").status_code == 302
    login_as(None)
    page = client.get(base)
    assert page.status_code == 200
    assert "Айгүл Мамытова (Көк-Бел)" in page.text and "&lt;b&gt;Суу &amp; жол&lt;/b&gt;" in page.text
    assert "Жаңы-Ноокат" in page.text and ">48<" in page.text
    for lang, name in (("ky", "Жаңы-Ноокат айыл өкмөтү"), ("ru", "Жаны-Ноокатский айыл окмоту")):
        pdf = client.get(f"{base}/{lang}.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.headers["Content-Disposition"].startswith("inline; filename=")
        assert f"-2027-02-14-{lang}.pdf" in pdf.headers["Content-Disposition"]
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
        assert name in text and "Үч-Терек" in text
    assert client.get(f"{base}/en.pdf").status_code == 404
    # editing stays with the editors
    assert client.get(f"{base}/edit").status_code == 302


def test_unpublished_pdf_is_not_cached(hearing, staff, login_as):
    response = login_as(staff).get(f"/hearings/{hearing.id}/minutes/ru.pdf")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]


def test_editor_cannot_edit_before_the_hearing_closes(app, staff, login_as):
    open_hearing = mf.make_hearing(staff.municipal_roles[0].municipality, status=HearingStatus.OPEN)
    client = login_as(staff)
    page = client.get(f"/hearings/{open_hearing.id}/minutes")
    assert page.status_code == 200 and f"/hearings/{open_hearing.id}/minutes/publish" not in page.text
    assert client.get(f"/hearings/{open_hearing.id}/minutes/edit").status_code == 403


def test_notice_pdf_is_public_with_the_hearings_address(hearing, client):
    response = client.get(f"/hearings/{hearing.id}/notice/ky-ru.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    links = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    assert links == [f"http://localhost/hearings/{hearing.id}"]
    assert client.get(f"/hearings/{hearing.id}/notice/de.pdf").status_code == 404
    hearing.status = HearingStatus.CANCELLED
    db.session.commit()
    assert client.get(f"/hearings/{hearing.id}/notice/ky.pdf").status_code == 404


def _documents(app, hearing, user=None):
    g.pop("_login_user", None)  # the tests' app context outlives each request; so would the user
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        return render_template("hearings/_documents.html", hearing=hearing)


def test_documents_fragment_offers_what_each_reader_may_open(app, hearing, staff):
    anonymous = _documents(app, hearing)
    assert f"/hearings/{hearing.id}/notice/ky.pdf" in anonymous and f"/hearings/{hearing.id}/notice/ru.pdf" in anonymous
    assert "/minutes" not in anonymous
    editor = _documents(app, hearing, staff)
    assert f"/hearings/{hearing.id}/minutes/edit" in editor and f"/hearings/{hearing.id}/minutes/ky.pdf" in editor
    hearing.minutes_published_at = hearing.closed_at
    db.session.commit()
    published = _documents(app, hearing)
    assert f"/hearings/{hearing.id}/minutes/ru.pdf" in published and "/minutes/edit" not in published
