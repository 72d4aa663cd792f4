"""The voting-code slips: ten to an A4 page, each code readable and in its QR link, instructions in ky and ru."""
import io
import re
from datetime import datetime

import pytest
from flask_babel import force_locale, gettext as _
from pypdf import PdfReader

from pb.hearings.minutes_format import local_date
from pb.reports.pdf.slips import Slips, render_slips_pdf
from pb.voting import codes

BASE = "https://ashar.example.kg/rounds/12/code?code="
INSTRUCTION = "Enter this code at the hearing's tablet or scan the QR code with your phone. The code works once."


def _slips(count, **overrides):
    values = dict(municipality="Ак-Добо айыл өкмөтү", title="Жаңы көпүрө үчүн добуш берүү",
                  closes_at=datetime(2027, 2, 14, 18, 0), codes=[codes.new_code() for _ in range(count)],
                  url=lambda code: BASE + code, label="Көчө 1")
    values.update(overrides)
    return Slips(**values)


def _plain(value):
    return " ".join(value.split())


def _read(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, _plain("\n".join(page.extract_text() for page in reader.pages))


def test_25_codes_fill_three_a4_pages_each_code_readable_and_linked(app):
    slips = _slips(25)
    reader, text = _read(render_slips_pdf(slips))
    assert len(reader.pages) == 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    shown = [codes.display(code) for code in slips.codes]
    assert sorted(re.findall(r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b", text)) == sorted(shown)
    links = [annotation.get_object()["/A"]["/URI"] for page in reader.pages for annotation in page.get("/Annots", [])]
    assert links == [BASE + code for code in shown]
    assert [len(page.get("/Annots", [])) for page in reader.pages] == [10, 10, 5]


def test_slips_render_kyrgyz_letters_and_both_languages(app):
    _reader, text = _read(render_slips_pdf(_slips(2)))
    assert text.count("Ак-Добо айыл өкмөтү") == 2 + 1  # each slip, and the page's footer
    assert "Жаңы көпүрө үчүн добуш берүү" in text and "ң" in text and "ө" in text and "ү" in text
    for lang in ("ky", "ru"):
        with force_locale(lang):
            instruction = _plain(_(INSTRUCTION))
            date = _plain(local_date(datetime(2027, 2, 14), "long"))
        assert instruction in text and date in text
    with force_locale("ru"):
        assert "февраля" in _plain(local_date(datetime(2027, 2, 14), "long"))


def test_slips_are_in_dejavu_with_the_qr_codes_drawn(app):
    reader, _text = _read(render_slips_pdf(_slips(10)))
    fonts = {str(font.get_object()["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts)
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r" re\b", content)) > 10 * 150  # dark runs of ten version-4 codes


def test_a_long_title_is_fitted_and_the_same_content_gives_the_same_bytes(app):
    slips = _slips(3, title="Айылдын арыгын тазалоо жана оңдоо, мектептин чатыры, көчө жарыгы " * 4)
    data = render_slips_pdf(slips)
    assert data == render_slips_pdf(slips)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_no_codes_no_sheet(app):
    with pytest.raises(ValueError):
        render_slips_pdf(_slips(0))
