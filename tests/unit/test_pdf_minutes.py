"""The minutes PDF read back with pypdf: Kyrgyz letters, counts, page numbers, escaped user text."""
import io
from fractions import Fraction

import pytest
from flask_babel import force_locale, gettext as _
from pypdf import PdfReader

from pb.core.i18n import format_percent
from pb.extensions import db
from pb.hearings.minutes import build_minutes
from pb.reports.pdf import fonts
from pb.reports.pdf.minutes import render_minutes_pdf
from tests import minutes_factories as mf
from tests.minutes_factories import KNOWN

LANGS = ["ky", "ru"]


def pages_text(data):
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def page_label(lang, page, pages):
    with force_locale(lang):
        return _("Page %(page)d of %(pages)d", page=page, pages=pages)


@pytest.fixture
def hearing(app):
    return mf.make_held_hearing()


@pytest.mark.parametrize("lang", LANGS)
def test_minutes_pdf_holds_kyrgyz_letters_and_the_counts(hearing, lang):
    data = render_minutes_pdf(build_minutes(hearing), lang)
    assert data.startswith(b"%PDF")
    text = "\n".join(pages_text(data))
    for village in ("Жаңы-Ноокат", "Көк-Бел", "Үч-Терек"):
        assert village in text
    assert {"ң", "ө", "ү"} <= set(text)
    lines = {line.strip() for line in text.splitlines()}
    with force_locale(lang):
        women_share = format_percent(Fraction(KNOWN.women, KNOWN.total), 1)
    assert str(KNOWN.total) in lines and str(KNOWN.women) in lines and str(KNOWN.young) in lines
    assert women_share in text
    assert "Айгүл Мамытова (Көк-Бел)" in text
    assert "Ичүүчү суу түтүгү" in text and "480" in text
    assert "Асан Токтосунов" in text and "Гүлнара Бекова" in text


@pytest.mark.parametrize("lang", LANGS)
def test_minutes_pdf_numbers_every_page(app, lang):
    hearing = mf.make_held_hearing()
    for i in range(90):
        mf.add_question(hearing, f"Суроо {i}: көчөлөрдү качан оңдойсуздар? " * 3, asked_by=f"Тургун {i}",
                        answer="Кийинки жылы.", answered_by="Башчы", commit=False)
    db.session.commit()
    pages = pages_text(render_minutes_pdf(build_minutes(hearing), lang))
    assert len(pages) > 2
    for number, text in enumerate(pages, 1):
        assert page_label(lang, number, len(pages)) in text


def test_minutes_pdf_escapes_user_markup(app):
    hearing = mf.make_held_hearing()
    mf.add_question(hearing, "<para>бузулбайт</para> & <font size=40>чоң</font> \x0b\x01", asked_by="<i>Жок</i>")
    mf.add_revision(hearing, "Биринчи абзац & <b>калың эмес</b>.\nЭкинчи сап.\n\n<br/>Экинчи абзац 😀.")
    text = "\n".join(pages_text(render_minutes_pdf(build_minutes(hearing), "ky")))
    assert KNOWN.tricky_question in text  # "<b>Суу & жол</b> качан оңдолот?" shown as typed
    assert "<para>бузулбайт</para> & <font size=40>чоң</font>" in text
    assert "<i>Жок</i>" in text
    assert "Биринчи абзац & <b>калың эмес</b>." in text and "<br/>Экинчи абзац" in text


def test_minutes_pdf_is_a4_with_dejavu_embedded(hearing):
    reader = PdfReader(io.BytesIO(render_minutes_pdf(build_minutes(hearing), "ru")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    font_names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            font_names.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded, not referenced
    assert any("DejaVuSans" in name for name in font_names)


def test_minutes_pdf_is_the_same_for_the_same_content(hearing):
    minutes = build_minutes(hearing)
    assert render_minutes_pdf(minutes, "ky") == render_minutes_pdf(minutes, "ky")


def test_minutes_pdf_refuses_another_language(hearing):
    with pytest.raises(ValueError):
        render_minutes_pdf(build_minutes(hearing), "de")


def test_fonts_are_registered_once(app):
    fonts.register_fonts()
    fonts.register_fonts()
    assert fonts._registered
