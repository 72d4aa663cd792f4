"""The notice for village boards: both languages' data, the QR code of the hearing's page, A4."""
import io
import re

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from pb.hearings.minutes import build_notice
from pb.hearings.minutes_format import local_date
from pb.reports import documents
from pb.reports.pdf.notice import render_notice_pdf
from tests import minutes_factories as mf

URL = "https://ashar.example.kg/hearings/7"


@pytest.fixture
def notice(app):
    return build_notice(mf.make_held_hearing())


def _plain(value):
    return " ".join(value.split())  # no-break spaces (babel's) and wrapped lines read back as plain spaces


def _read(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, _plain("\n".join(page.extract_text() for page in reader.pages))


def _long_date(lang, notice):
    with force_locale(lang):
        return _plain(local_date(notice.starts_at, "full"))


def test_notice_pdf_holds_both_languages_and_the_qr_code(notice):
    reader, text = _read(render_notice_pdf(notice, URL, ("ky", "ru")))
    assert "Жаңы-Ноокат айыл өкмөтү" in text and "Жаны-Ноокатский айыл окмоту" in text
    assert _long_date("ky", notice) in text and _long_date("ru", notice) in text  # "14 февраля 2027 г."
    assert text.count("Мектептин жыйындар залы") == 2
    assert text.count("Тургундардын сунуштары") == 2
    assert "Жаңы-Ноокат, Көк-Бел, Үч-Терек" in text
    assert URL in text  # printed under the code for those without a phone camera
    links = [annotation.get_object()["/A"]["/URI"] for page in reader.pages
             for annotation in page.get("/Annots", [])]
    assert links == [URL]
    # the code is drawn as filled squares: a version-3 code of a short URL has hundreds of them
    content = reader.pages[-1].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r" re\b", content)) > 150


def test_notice_pdf_in_one_language_holds_only_it(notice):
    _reader, text = _read(render_notice_pdf(notice, URL, ("ru",)))
    assert "Жаны-Ноокатский айыл окмоту" in text and _long_date("ru", notice) in text
    assert "Жаңы-Ноокат айыл өкмөтү" not in text and _long_date("ky", notice) not in text


def test_notice_pdf_is_one_a4_page_in_dejavu(notice):
    reader, _text = _read(render_notice_pdf(notice, URL))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts)


def test_notice_pdf_refuses_another_language(notice):
    with pytest.raises(ValueError):
        render_notice_pdf(notice, URL, ("en",))


def test_hearing_url_outside_a_request_uses_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://ashar.kg")
    assert documents.hearing_url(12) == "https://ashar.kg/hearings/12"


def test_notice_of_a_hearing_points_at_its_page(app):
    hearing = mf.make_held_hearing()
    _reader, text = _read(documents.notice_pdf(hearing, ("ky", "ru")))
    assert documents.hearing_url(hearing.id) in text
